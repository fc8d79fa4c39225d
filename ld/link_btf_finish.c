/* link_btf_finish.c - the last BTF steps once every input is in: one DATASEC per
 * output section holding the variables whose definitions won, at their final offsets
 * and sorted; structural dedup; .BTF.ext type ids renumbered to the deduplicated BTF.
 * Needs the symbols resolved first (which definition won decides what is kept).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "link_int.h"

/* Whether entry `e` of section `out_section` describes what the output holds: a global
 * only where its winning definition lies, an extern only while nothing defines it. */
static bool entry_kept(struct ld_linker *linker, const struct link_datasec_entry *e,
		       int out_section)
{
	const struct objfmt_btf_type *var = objfmt_btf__type(linker->btf, e->var);
	struct link_global *g = var && link_btf_is_global(var) ?
				link_global_find(linker, var->name) : NULL;
	const struct objfmt_symbol *sym = g ? objfmt_object__symbol(linker->out, g->symbol)
					    : NULL;

	if (!var)
		return false;
	if (e->extern_only)
		return !sym || sym->section == OBJFMT_SECTION_UNDEF;
	if (!sym)
		return true;
	return out_section >= 0 && sym->section == (size_t)out_section &&
	       sym->value == e->offset;
}

/* Kept entries, each variable once, sorted by offset (insertion sort: the entries
 * arrive nearly sorted, object after object). Returns the count or -ENOMEM. */
static long entries_select(struct ld_linker *linker, const struct link_datasec *ds,
			   int out_section, struct link_datasec_entry **out)
{
	struct link_datasec_entry *kept = malloc((ds->count + 1) * sizeof(*kept));
	size_t i, j, count = 0;

	if (!kept)
		return -ENOMEM;
	for (i = 0; i < ds->count; i++) {
		struct link_datasec_entry e = ds->entries[i];

		if (!entry_kept(linker, &e, out_section))
			continue;
		for (j = 0; j < count && kept[j].var != e.var; j++)
			;
		if (j < count)
			continue;
		for (j = count; j > 0 && kept[j - 1].offset > e.offset; j--)
			kept[j] = kept[j - 1];
		kept[j] = e;
		count++;
	}
	*out = kept;
	return (long)count;
}

static int datasec_emit(struct ld_linker *linker, const struct link_datasec *ds)
{
	int out_section = objfmt_object__find_section(linker->out, ds->name);
	struct objfmt_btf_type type = { .kind = OBJFMT_BTF_DATASEC, .name = ds->name };
	struct link_datasec_entry *kept;
	long count = entries_select(linker, ds, out_section, &kept);
	long i;
	int id, err = 0;

	if (count <= 0) {
		if (count == 0)
			free(kept);
		return (int)count; /* the kernel refuses a DATASEC without entries */
	}
	if (out_section >= 0)
		type.size = (uint32_t)objfmt_object__section(linker->out,
							     (size_t)out_section)->size;
	id = objfmt_btf__add(linker->btf, &type);
	for (i = 0; i < count && id > 0 && !err; i++) {
		struct objfmt_btf_member member = { .name = "", .type = kept[i].var,
						    .offset = (uint32_t)kept[i].offset,
						    .size = kept[i].size };

		err = objfmt_btf__add_member(linker->btf, (uint32_t)id, &member);
	}
	free(kept);
	return id < 0 ? id : err;
}

/* DATASECs in output section order (as libbpf's linker), then those of externs with
 * no section (.kconfig, .ksyms) in the order they were met. */
static int datasecs_emit(struct ld_linker *linker, struct ld_diag *diag)
{
	size_t sections = objfmt_object__section_count(linker->out), s, i;
	bool *emitted = calloc(linker->datasec_count + 1, sizeof(*emitted));
	int err = emitted ? 0 : -ENOMEM;

	for (s = 0; s <= sections && !err; s++) {
		const char *name = s < sections ? objfmt_object__section(linker->out, s)->name
						: NULL;

		for (i = 0; i < linker->datasec_count && !err; i++) {
			if (emitted[i] || (name && strcmp(name, linker->datasecs[i].name)))
				continue;
			emitted[i] = true;
			err = datasec_emit(linker, &linker->datasecs[i]);
			if (err)
				link_error(diag, err, "BTF: DATASEC '%s' cannot be built",
					   linker->datasecs[i].name);
		}
	}
	free(emitted);
	return err == -ENOMEM ? link_error(diag, err, "out of memory") : err;
}

/* A copy of the merged .BTF.ext, sections in output order (as libbpf's linker writes
 * them), type ids passed through `remap`. When some code has no func_info, only CO-RE
 * records are kept: partial func_info/line_info would make the kernel refuse the
 * programs that lack it. */
static struct objfmt_btf_ext *ext_renumber(const struct ld_linker *linker,
					   const struct objfmt_btf_ext *ext,
					   const uint32_t *remap, uint32_t count)
{
	struct objfmt_btf_ext *copy = objfmt_btf_ext__new();
	size_t sections = objfmt_object__section_count(linker->out), s, i, j;
	int err = copy ? 0 : -ENOMEM;

	for (s = 0; s < sections && !err; s++) {
		const char *name = objfmt_object__section(linker->out, s)->name;

		for (i = 0; i < objfmt_btf_ext__section_count(ext); i++)
			if (strcmp(objfmt_btf_ext__section_name(ext, i), name) == 0)
				break;
		if (i == objfmt_btf_ext__section_count(ext))
			continue;
		bool debug_info = !linker->code_without_func_info;

		for (j = 0; debug_info && j < objfmt_btf_ext__func_count(ext, i) && !err; j++) {
			struct objfmt_btf_ext_func rec = *objfmt_btf_ext__func(ext, i, j);

			rec.type_id = rec.type_id <= count ? remap[rec.type_id] : 0;
			err = objfmt_btf_ext__add_func(copy, name, &rec);
		}
		for (j = 0; debug_info && j < objfmt_btf_ext__line_count(ext, i) && !err; j++)
			err = objfmt_btf_ext__add_line(copy, name, objfmt_btf_ext__line(ext, i, j));
		for (j = 0; j < objfmt_btf_ext__core_count(ext, i) && !err; j++) {
			struct objfmt_btf_ext_core rec = *objfmt_btf_ext__core(ext, i, j);

			rec.type_id = rec.type_id <= count ? remap[rec.type_id] : 0;
			err = objfmt_btf_ext__add_core(copy, name, &rec);
		}
	}
	if (err) {
		objfmt_btf_ext__free(copy);
		errno = -err;
		return NULL;
	}
	return copy;
}

int link_btf_finish(struct ld_linker *linker, struct ld_diag *diag)
{
	struct objfmt_btf_ext *ext;
	uint32_t *remap = NULL;
	uint32_t count;
	int err = datasecs_emit(linker, diag);

	if (err)
		return err;
	count = objfmt_btf__type_count(linker->btf);
	if (!count)
		return 0; /* no input had BTF: the output has none either */
	err = objfmt_btf__dedup(linker->btf, &remap);
	if (err)
		return link_error(diag, err, "BTF: deduplication failed");
	ext = objfmt_btf_ext__section_count(linker->ext) ?
	      ext_renumber(linker, linker->ext, remap, count) : NULL;
	free(remap);
	if (objfmt_btf_ext__section_count(linker->ext) && !ext)
		return link_error(diag, -errno, "BTF: .BTF.ext cannot be renumbered");
	objfmt_object__set_btf(linker->out, linker->btf);
	linker->btf = NULL;
	if (ext && objfmt_btf_ext__section_count(ext))
		objfmt_object__set_btf_ext(linker->out, ext);
	else
		objfmt_btf_ext__free(ext); /* libbpf refuses a .BTF.ext without records */
	return 0;
}
