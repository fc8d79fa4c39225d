/* link_sections.c - sections and relocations of one input: same-named sections are
 * concatenated at their alignment, the license is kept once (and must agree), and each
 * relocation is moved with its section, its in-place addend shifted when it points at
 * a section that moved.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "link_int.h"

bool link_is_license(const struct objfmt_section *sec)
{
	return strcmp(sec->name, "license") == 0;
}

/* Code and loadable data are linked; .BTF/.BTF.ext (rebuilt), DWARF and other
 * non-allocated sections are not. */
static bool section_linked(const struct objfmt_section *sec)
{
	return (sec->flags & (OBJFMT_SHF_ALLOC | OBJFMT_SHF_EXECINSTR)) != 0;
}

static bool section_is_code(const struct objfmt_section *sec)
{
	return (sec->flags & OBJFMT_SHF_EXECINSTR) != 0;
}

/* Mark the input sections some symbol is defined in (an empty one is kept then). */
static bool *sections_with_symbols(const struct objfmt_object *obj)
{
	size_t count = objfmt_object__section_count(obj);
	bool *used = calloc(count + 1, sizeof(*used));
	size_t i;

	if (!used)
		return NULL;
	for (i = 0; i < objfmt_object__symbol_count(obj); i++) {
		const struct objfmt_symbol *sym = objfmt_object__symbol(obj, i);

		if (sym->type != OBJFMT_SYM_SECTION && sym->section < count)
			used[sym->section] = true;
	}
	return used;
}

int link_section_symbol(struct ld_linker *linker, size_t out_section)
{
	struct objfmt_symbol sym = { .name = "", .bind = OBJFMT_BIND_LOCAL,
				     .type = OBJFMT_SYM_SECTION, .section = out_section };
	int index;

	if (linker->section_symbol[out_section] != LINK_NONE)
		return (int)linker->section_symbol[out_section];
	index = objfmt_object__add_symbol(linker->out, &sym);
	if (index >= 0)
		linker->section_symbol[out_section] = (size_t)index;
	return index;
}

/* The license string of `sec` (NUL-terminated inside it, or the whole section). */
static char *license_text(const struct objfmt_section *sec)
{
	size_t length = sec->data ? strnlen((const char *)sec->data, sec->size) : 0;
	char *text = malloc(length + 1);

	if (text) {
		memcpy(text, sec->data ? sec->data : (const uint8_t *)"", length);
		text[length] = '\0';
	}
	return text;
}

/* The second and later licenses must repeat the first; they are not copied again.
 * Returns 1 when the section is fully handled, 0 to append it, or a negative errno. */
static int license_add(struct ld_linker *linker, struct link_input *in, size_t index,
		       struct ld_diag *diag)
{
	const struct objfmt_section *sec = objfmt_object__section(in->obj, index);
	char *text = license_text(sec);
	int out;

	if (!text)
		return link_error(diag, -ENOMEM, "out of memory");
	if (!linker->license) {
		linker->license = text;
		linker->license_by = in->ordinal;
		return 0;
	}
	if (strcmp(text, linker->license) != 0) {
		link_error(diag, -EINVAL, "license mismatch: %s has '%s' but %s has '%s'",
			   linker->input_names[linker->license_by], linker->license, in->name,
			   text);
		free(text);
		return -EINVAL;
	}
	free(text);
	out = objfmt_object__find_section(linker->out, "license");
	if (out < 0)
		return link_error(diag, -EFAULT, "internal error: license section lost");
	in->section_map[index] = (size_t)out;
	in->section_shift[index] = 0;
	return 1;
}

/* Find or create the output section for `sec`; its kind and code-ness must agree. */
static int output_section(struct ld_linker *linker, const struct link_input *in,
			  const struct objfmt_section *sec, struct ld_diag *diag)
{
	struct objfmt_section *dst;
	int out = objfmt_object__find_section(linker->out, sec->name);

	if (out < 0) {
		out = objfmt_object__add_section(linker->out, sec->name, sec->kind, sec->flags,
						 sec->align);
		if (out < 0)
			return link_error(diag, out, "%s: section '%s': cannot be added",
					  in->name, sec->name);
		objfmt_object__section(linker->out, (size_t)out)->entsize = sec->entsize;
		return out;
	}
	dst = objfmt_object__section(linker->out, (size_t)out);
	if (dst->kind != sec->kind || section_is_code(dst) != section_is_code(sec))
		return link_error(diag, -EINVAL, "%s: section '%s': is %s here but %s in "
				  "the objects before", in->name, sec->name,
				  section_is_code(sec) ? "code" : sec->kind == OBJFMT_SEC_NOBITS
				  ? "zero-filled data" : "data", section_is_code(dst) ? "code"
				  : dst->kind == OBJFMT_SEC_NOBITS ? "zero-filled data" : "data");
	dst->flags |= sec->flags;
	if (dst->entsize != sec->entsize)
		dst->entsize = 0;
	return out;
}

static int section_add(struct ld_linker *linker, struct link_input *in, size_t index,
		       struct ld_diag *diag)
{
	const struct objfmt_section *sec = objfmt_object__section(in->obj, index);
	int64_t placed;
	int out, err;

	if (section_is_code(sec) && sec->size % sizeof(struct objfmt_insn))
		return link_error(diag, -EINVAL, "%s: section '%s': code size %llu is not a "
				  "multiple of 8", in->name, sec->name,
				  (unsigned long long)sec->size);
	if (link_is_license(sec)) {
		err = license_add(linker, in, index, diag);
		if (err)
			return err < 0 ? err : 0;
	}
	out = output_section(linker, in, sec, diag);
	if (out < 0)
		return out;
	err = objfmt_object__align(linker->out, (size_t)out, sec->align ? sec->align : 1);
	placed = err ? err : objfmt_object__append(linker->out, (size_t)out,
				sec->kind == OBJFMT_SEC_NOBITS ? NULL : sec->data, sec->size);
	if (placed < 0)
		return link_error(diag, (int)placed, "%s: section '%s': cannot be appended "
				  "(%llu bytes)", in->name, sec->name,
				  (unsigned long long)sec->size);
	in->section_map[index] = (size_t)out;
	in->section_shift[index] = (uint64_t)placed;
	return 0;
}

int link_sections_add(struct ld_linker *linker, struct link_input *in, struct ld_diag *diag)
{
	size_t count = objfmt_object__section_count(in->obj);
	bool *used = sections_with_symbols(in->obj);
	size_t i, old_count = objfmt_object__section_count(linker->out);
	int err = 0;

	if (!used)
		return link_error(diag, -ENOMEM, "out of memory");
	for (i = 0; i < count && !err; i++) {
		const struct objfmt_section *sec = objfmt_object__section(in->obj, i);

		if (section_linked(sec) && (sec->size || used[i]))
			err = section_add(linker, in, i, diag);
	}
	free(used);
	if (!err && objfmt_object__section_count(linker->out) > old_count) {
		size_t new_count = objfmt_object__section_count(linker->out);
		size_t *grown = realloc(linker->section_symbol, new_count * sizeof(*grown));

		if (!grown)
			return link_error(diag, -ENOMEM, "out of memory");
		for (i = old_count; i < new_count; i++)
			grown[i] = LINK_NONE;
		linker->section_symbol = grown;
	}
	return err;
}

/* A relocation against a section symbol keeps its addend in the patched bytes: add
 * where the target section now starts. */
static int addend_shift(struct objfmt_section *sec, uint64_t offset,
			enum objfmt_reloc_type type, uint64_t shift)
{
	uint8_t *at = sec->data + offset;

	if (section_is_code(sec)) {
		struct objfmt_insn insn;

		memcpy(&insn, at, sizeof(insn));
		if (type == OBJFMT_R_BPF_64_32 && insn.code == 0x85)
			insn.imm += (int32_t)(shift / sizeof(insn));
		else if (type == OBJFMT_R_BPF_64_64 && insn.code == 0x18)
			insn.imm += (int32_t)shift;
		else
			return -EINVAL;
		memcpy(at, &insn, sizeof(insn));
	} else if (type == OBJFMT_R_BPF_64_ABS64) {
		uint64_t value;

		memcpy(&value, at, sizeof(value));
		value += shift;
		memcpy(at, &value, sizeof(value));
	} else if (type == OBJFMT_R_BPF_64_ABS32 || type == OBJFMT_R_BPF_64_NODYLD32) {
		uint32_t value;

		memcpy(&value, at, sizeof(value));
		value += (uint32_t)shift;
		memcpy(at, &value, sizeof(value));
	} else {
		return -EINVAL;
	}
	return 0;
}

static int reloc_add(struct ld_linker *linker, struct link_input *in,
		     const struct objfmt_reloc *rel, struct ld_diag *diag)
{
	const struct objfmt_symbol *sym = objfmt_object__symbol(in->obj, rel->symbol);
	const struct objfmt_section *src = objfmt_object__section(in->obj, rel->section);
	struct objfmt_reloc out = *rel;
	int err;

	out.section = in->section_map[rel->section];
	out.offset = rel->offset + in->section_shift[rel->section];
	out.symbol = in->symbol_map[rel->symbol];
	if (out.symbol == LINK_NONE)
		return link_error(diag, -EINVAL, "%s: section '%s': relocation at offset %llu "
				  "refers to symbol #%zu '%s', which is not linked", in->name,
				  src->name, (unsigned long long)rel->offset, rel->symbol,
				  sym->name);
	if (sym->type == OBJFMT_SYM_SECTION && in->section_shift[sym->section]) {
		err = addend_shift(objfmt_object__section(linker->out, out.section), out.offset,
				   rel->type, in->section_shift[sym->section]);
		if (err)
			return link_error(diag, err, "%s: section '%s': relocation type %u at "
					  "offset %llu cannot be moved", in->name, src->name,
					  (unsigned)rel->type, (unsigned long long)rel->offset);
	}
	err = link_grow((void **)&linker->relocs, linker->reloc_count, sizeof(out));
	err = err ?: link_grow((void **)&linker->reloc_inputs, linker->reloc_count,
			       sizeof(*linker->reloc_inputs));
	if (err)
		return link_error(diag, err, "out of memory");
	linker->reloc_inputs[linker->reloc_count] = in->name;
	linker->relocs[linker->reloc_count++] = out;
	return 0;
}

int link_relocs_add(struct ld_linker *linker, struct link_input *in, struct ld_diag *diag)
{
	size_t i;
	int err;

	for (i = 0; i < objfmt_object__reloc_count(in->obj); i++) {
		const struct objfmt_reloc *rel = objfmt_object__reloc(in->obj, i);

		if (in->section_map[rel->section] == LINK_NONE)
			continue; /* .BTF, .BTF.ext, DWARF: rebuilt or not linked */
		if (link_is_license(objfmt_object__section(in->obj, rel->section)) &&
		    in->ordinal != linker->license_by)
			continue;
		err = reloc_add(linker, in, rel, diag);
		if (err)
			return err;
	}
	return 0;
}
