/* link.c - the static linker's driver: each input goes through sections, symbols,
 * relocations, BTF and .BTF.ext in turn; finish checks what is left unresolved, emits
 * the relocations, rebuilds DATASECs and deduplicates the merged BTF.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "link_int.h"

int link_error(struct ld_diag *diag, int err, const char *fmt, ...)
{
	va_list ap;

	if (diag) {
		va_start(ap, fmt);
		vsnprintf(diag->message, sizeof(diag->message), fmt, ap);
		va_end(ap);
	}
	return err;
}

/* Make room for element `count` of a malloc'ed array filled one element at a time:
 * its capacity is 8, then doubles whenever `count` reaches a power of two. 0 or -ENOMEM. */
int link_grow(void **array, size_t count, size_t elem_size)
{
	size_t capacity;
	void *grown;

	if (*array && (count < 8 || (count & (count - 1)) != 0))
		return 0;
	capacity = count < 8 ? 8 : count * 2;
	grown = realloc(*array, capacity * elem_size);
	if (!grown)
		return -ENOMEM;
	*array = grown;
	return 0;
}

char *link_strdup(const char *text)
{
	char *copy = strdup(text ? text : "");

	if (!copy)
		errno = ENOMEM;
	return copy;
}

struct ld_linker *ld_linker__new(void)
{
	struct ld_linker *linker = calloc(1, sizeof(*linker));

	if (!linker)
		return NULL;
	linker->out = objfmt_object__new();
	linker->btf = objfmt_btf__new();
	linker->ext = objfmt_btf_ext__new();
	if (!linker->out || !linker->btf || !linker->ext) {
		ld_linker__free(linker);
		errno = ENOMEM;
		return NULL;
	}
	return linker;
}

void ld_linker__free(struct ld_linker *linker)
{
	size_t i;

	if (!linker)
		return;
	objfmt_object__free(linker->out);
	objfmt_btf__free(linker->btf);
	objfmt_btf_ext__free(linker->ext);
	free(linker->section_symbol);
	link_globals_free(linker);
	link_datasecs_free(linker);
	free(linker->dropped);
	free(linker->relocs);
	free(linker->reloc_inputs);
	for (i = 0; i < linker->input_count; i++)
		free(linker->input_names[i]);
	free(linker->input_names);
	free(linker->license);
	free(linker);
}

/* Allocate the per-input index maps, every entry "none". */
static int input_prepare(struct ld_linker *linker, struct link_input *in,
			 const struct objfmt_object *obj, const char *name)
{
	size_t sections = objfmt_object__section_count(obj);
	size_t symbols = objfmt_object__symbol_count(obj);
	size_t i;
	int err;

	err = link_grow((void **)&linker->input_names, linker->input_count,
			sizeof(*linker->input_names));
	if (err)
		return err;
	in->name = link_strdup(name);
	if (!in->name)
		return -ENOMEM;
	in->ordinal = linker->input_count;
	linker->input_names[linker->input_count++] = in->name;
	in->obj = obj;
	in->section_map = malloc((sections + 1) * sizeof(*in->section_map));
	in->section_shift = calloc(sections + 1, sizeof(*in->section_shift));
	in->symbol_map = malloc((symbols + 1) * sizeof(*in->symbol_map));
	if (!in->section_map || !in->section_shift || !in->symbol_map)
		return -ENOMEM;
	for (i = 0; i < sections; i++)
		in->section_map[i] = LINK_NONE;
	for (i = 0; i < symbols; i++)
		in->symbol_map[i] = LINK_NONE;
	return 0;
}

static void input_release(struct link_input *in)
{
	free(in->section_map);
	free(in->section_shift);
	free(in->symbol_map);
	free(in->type_map);
}

int ld_linker__add_object(struct ld_linker *linker, const struct objfmt_object *obj,
			  const char *name, struct ld_diag *diag)
{
	struct link_input in = { 0 };
	int err;

	if (!linker || !obj || !name)
		return link_error(diag, -EINVAL, "ld_linker__add_object: missing argument");
	if (linker->finished || linker->failed)
		return link_error(diag, -EINVAL, "%s: the linker was already %s", name,
				  linker->finished ? "finished" : "stopped by an error");
	err = input_prepare(linker, &in, obj, name);
	if (err)
		link_error(diag, err, "%s: out of memory", name);
	err = err ?: link_sections_add(linker, &in, diag);
	err = err ?: link_symbols_add(linker, &in, diag);
	err = err ?: link_relocs_add(linker, &in, diag);
	err = err ?: link_btf_add(linker, &in, diag);
	err = err ?: link_btf_ext_add(linker, &in, diag);
	input_release(&in);
	if (err)
		linker->failed = true;
	return err;
}

int ld_linker__add_file(struct ld_linker *linker, const char *path, struct ld_diag *diag)
{
	struct objfmt_diag read_diag = { { 0 }, { 0 } };
	struct objfmt_object *obj;
	int err;

	if (!linker || !path)
		return link_error(diag, -EINVAL, "ld_linker__add_file: missing argument");
	obj = objfmt_elf_read_file(path, &read_diag);
	if (!obj) {
		err = -(errno ? errno : EINVAL);
		if (read_diag.message[0])
			return link_error(diag, err, "%s: %s", read_diag.where[0] ?
					  read_diag.where : path, read_diag.message);
		return link_error(diag, err, "%s: %s", path, strerror(-err));
	}
	err = ld_linker__add_object(linker, obj, path, diag);
	objfmt_object__free(obj);
	return err;
}

/* Whether relocation `rel` patches the bytes of a weak .maps definition that lost. */
static bool reloc_dropped(const struct ld_linker *linker, const struct objfmt_reloc *rel)
{
	size_t i;

	for (i = 0; i < linker->dropped_count; i++) {
		const struct link_range *range = &linker->dropped[i];

		if (rel->section == range->section && rel->offset >= range->start &&
		    rel->offset < range->end)
			return true;
	}
	return false;
}

static int relocs_emit(struct ld_linker *linker, struct ld_diag *diag)
{
	size_t i;
	int err;

	for (i = 0; i < linker->reloc_count; i++) {
		if (reloc_dropped(linker, &linker->relocs[i]))
			continue;
		err = objfmt_object__add_reloc(linker->out, &linker->relocs[i]);
		if (err < 0)
			return link_error(diag, err, "%s: relocation #%zu: cannot be added: %s",
					  linker->reloc_inputs[i], i, strerror(-err));
	}
	return 0;
}

struct objfmt_object *ld_linker__finish(struct ld_linker *linker, struct ld_diag *diag)
{
	struct objfmt_object *out;
	int err;

	if (!linker) {
		errno = EINVAL;
		return NULL;
	}
	if (linker->finished || linker->failed || !linker->input_count) {
		link_error(diag, -EINVAL, "%s", !linker->input_count ? "no input objects"
			   : "the linker was already finished or stopped by an error");
		errno = EINVAL;
		return NULL;
	}
	linker->finished = true;
	err = link_maps_check_initializers(linker, diag);
	err = err ?: link_symbols_check_resolved(linker, diag);
	err = err ?: relocs_emit(linker, diag);
	err = err ?: link_btf_finish(linker, diag);
	if (err) {
		errno = -err;
		return NULL;
	}
	out = linker->out;
	linker->out = NULL;
	return out;
}

int ld_link_files(const char *out_path, const char *const *inputs, size_t count,
		  struct ld_diag *diag)
{
	struct objfmt_diag write_diag = { { 0 }, { 0 } };
	struct objfmt_object *out = NULL;
	struct ld_linker *linker;
	size_t i;
	int err = 0;

	linker = ld_linker__new();
	if (!linker)
		return link_error(diag, -ENOMEM, "out of memory");
	for (i = 0; i < count && !err; i++)
		err = ld_linker__add_file(linker, inputs[i], diag);
	if (!err) {
		out = ld_linker__finish(linker, diag);
		if (!out)
			err = -errno;
	}
	if (!err) {
		err = objfmt_elf_write_file(out, out_path, &write_diag);
		if (err)
			link_error(diag, err, "%s: %s%s%s", out_path, write_diag.where,
				   write_diag.where[0] ? ": " : "", write_diag.message[0] ?
				   write_diag.message : strerror(-err));
	}
	if (err)
		unlink(out_path); /* a stale output must not look up to date to make */
	objfmt_object__free(out);
	ld_linker__free(linker);
	return err;
}
