/* load_open.c - ld_object__open*: read the object model and describe what it holds
 * (license, version, code sections, programs, maps, relocations, BTF) without sending
 * anything to a backend. Steps run in order and stop at the first error.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ld_int.h"

#define LD_SHF_EXECINSTR 0x4

static int read_license_and_version(struct ld_object *obj, struct ld_diag *diag)
{
	int idx = objfmt_object__find_section(obj->model, "license");
	struct objfmt_section *sec;

	if (idx >= 0) {
		sec = objfmt_object__section(obj->model, (size_t)idx);
		size_t len = sec->data ? strnlen((const char *)sec->data, sec->size) : 0;
		if (!sec->data || len == sec->size || len >= sizeof(obj->license))
			return ld_diag_set(diag, -EINVAL,
					   "%s: section 'license': not a NUL-terminated string "
					   "shorter than %zu bytes", obj->name, sizeof(obj->license));
		memcpy(obj->license, sec->data, len + 1);
	}
	idx = objfmt_object__find_section(obj->model, "version");
	if (idx >= 0) {
		sec = objfmt_object__section(obj->model, (size_t)idx);
		if (sec->size != 4 || !sec->data)
			return ld_diag_set(diag, -EINVAL,
					   "%s: section 'version': size %llu, expected 4",
					   obj->name, (unsigned long long)sec->size);
		memcpy(&obj->kern_version, sec->data, 4);
	}
	return 0;
}

static int add_code_section(struct ld_object *obj, const struct objfmt_section *sec,
			    struct ld_diag *diag)
{
	struct ld_code code = {0};

	if (sec->size % LD_INSN_SIZE != 0)
		return ld_diag_set(diag, -EINVAL,
				   "%s: section '%s': size %llu is not a multiple of 8",
				   obj->name, sec->name, (unsigned long long)sec->size);
	code.name = ld_strdup(sec->name);
	if (!code.name)
		return -ENOMEM;
	code.section = sec->index;
	code.insns = (const struct objfmt_insn *)sec->data;
	code.insn_count = sec->size / LD_INSN_SIZE;
	if (strcmp(sec->name, ".text") == 0)
		obj->text_code = (ptrdiff_t)obj->code_count;
	if (ld_append((void **)&obj->codes, &obj->code_count, sizeof(code), &code)) {
		free(code.name);
		return -ENOMEM;
	}
	return 0;
}

static int collect_code_sections(struct ld_object *obj, struct ld_diag *diag)
{
	size_t count = objfmt_object__section_count(obj->model);

	for (size_t i = 0; i < count; i++) {
		const struct objfmt_section *sec = objfmt_object__section(obj->model, i);
		if (!(sec->flags & LD_SHF_EXECINSTR) || sec->size == 0)
			continue;
		if (sec->kind != OBJFMT_SEC_PROGBITS || !sec->data)
			return ld_diag_set(diag, -EINVAL, "%s: section '%s': code without bytes",
					   obj->name, sec->name);
		int err = add_code_section(obj, sec, diag);
		if (err)
			return err;
	}
	return 0;
}

/* A model built in memory (assembler, compiler) holds BTF as a type graph but no .BTF
 * bytes; serialising it as ELF and reading it back gives it the sections a file would
 * have, so such objects take exactly the path of objects read from files. */
static struct objfmt_object *with_btf_sections(struct objfmt_object *model, const char *name,
					       struct ld_diag *diag)
{
	struct objfmt_diag odiag = {{0}, {0}};
	struct objfmt_object *again;
	void *image = NULL;
	size_t size = 0;

	if (!objfmt_object__btf(model) || objfmt_object__find_section(model, ".BTF") >= 0)
		return model;
	if (objfmt_elf_write_mem(model, &image, &size, &odiag)) {
		ld_diag_set(diag, -EINVAL, "%s: cannot serialise the object: %s%s%s", name,
			    odiag.where, odiag.where[0] ? ": " : "", odiag.message);
		objfmt_object__free(model);
		return NULL;
	}
	again = objfmt_elf_read_mem(image, size, name, &odiag);
	free(image);
	objfmt_object__free(model);
	if (!again)
		ld_diag_set(diag, -EINVAL, "%s: %s%s%s", name, odiag.where,
			    odiag.where[0] ? ": " : "", odiag.message);
	return again;
}

struct ld_object *ld_object__open_object(struct objfmt_object *model, const char *name,
					 struct ld_diag *diag)
{
	struct ld_object *obj;
	int err = -ENOMEM;

	model = with_btf_sections(model, name ? name : "object", diag);
	if (!model) {
		errno = EINVAL;
		return NULL;
	}
	obj = calloc(1, sizeof(*obj));

	if (!obj || !(obj->name = ld_strdup(name ? name : "object"))) {
		free(obj);
		objfmt_object__free(model);
		errno = ENOMEM;
		return NULL;
	}
	obj->model = model;
	obj->text_code = -1;
	obj->kconfig_map = -1;
	obj->btf_fd = -1;
	if ((err = read_license_and_version(obj, diag)) ||
	    (err = collect_code_sections(obj, diag)) ||
	    (err = ld_btf_prepare(obj, diag)) ||
	    (err = ld_maps_collect(obj, diag)) ||
	    (err = ld_kconfig_collect(obj, diag)) ||
	    (err = ld_ksyms_collect(obj, diag)) ||
	    (err = ld_btf_fix_ksyms(obj, diag)) ||
	    (err = ld_programs_collect(obj, diag)) ||
	    (err = ld_relocs_collect(obj, diag)) ||
	    (err = ld_btf_ext_collect(obj, diag)))
		goto fail;
	return obj;
fail:
	if (err == -ENOMEM && diag && !diag->message[0])
		ld_diag_set(diag, err, "%s: out of memory", obj->name);
	ld_object__free(obj);
	errno = -err;
	return NULL;
}

struct ld_object *ld_object__open_mem(const void *data, size_t size, const char *name,
				      struct ld_diag *diag)
{
	struct objfmt_diag odiag = {{0}, {0}};
	struct objfmt_object *model = objfmt_elf_read_mem(data, size, name, &odiag);

	if (!model) {
		int err = errno ? errno : EINVAL;
		if (odiag.where[0])
			ld_diag_set(diag, -err, "%s: %s", odiag.where, odiag.message);
		else
			ld_diag_set(diag, -err, "%s: %s", name,
				    odiag.message[0] ? odiag.message : strerror(err));
		errno = err;
		return NULL;
	}
	return ld_object__open_object(model, name, diag);
}

struct ld_object *ld_object__open_file(const char *path, struct ld_diag *diag)
{
	struct objfmt_diag odiag = {{0}, {0}};
	struct objfmt_object *model = objfmt_elf_read_file(path, &odiag);

	if (!model) {
		int err = errno ? errno : EINVAL;
		if (odiag.where[0])
			ld_diag_set(diag, -err, "%s: %s", odiag.where, odiag.message);
		else
			ld_diag_set(diag, -err, "%s: %s", path,
				    odiag.message[0] ? odiag.message : strerror(err));
		errno = err;
		return NULL;
	}
	return ld_object__open_object(model, path, diag);
}

static void free_ext(struct ld_ext_info *ext)
{
	free(ext->funcs);
	free(ext->lines);
}

void ld_object__free(struct ld_object *obj)
{
	if (!obj)
		return;
	for (size_t i = 0; i < obj->program_count; i++)
		ld_program_free(obj->programs[i]);
	for (size_t i = 0; i < obj->map_count; i++)
		ld_map_free(obj->maps[i]);
	for (size_t i = 0; i < obj->code_count; i++) {
		free(obj->codes[i].name);
		free(obj->codes[i].relocs);
		free(obj->codes[i].patched);
		free(obj->codes[i].cores);
		free_ext(&obj->codes[i].ext);
	}
	if (obj->btf_fd >= 0)
		close(obj->btf_fd);
	free(obj->programs);
	free(obj->maps);
	free(obj->codes);
	for (size_t i = 0; i < obj->kconfig_count; i++)
		free(obj->kconfig[i].name);
	free(obj->kconfig);
	ld_ksyms_free(obj);
	free(obj->btf_raw);
	free(obj->pin_root);
	free(obj->module_btf_dir);
	objfmt_object__free(obj->model);
	free(obj->name);
	free(obj);
}
