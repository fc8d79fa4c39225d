/* load_kconfig.c - `extern ... __kconfig` variables, as libbpf provides them: a frozen
 * ".kconfig" array map holds LINUX_KERNEL_VERSION (from uname), LINUX_HAS_* facts and
 * CONFIG_* values from the running kernel's configuration (/proc/config.gz or
 * /boot/config-RELEASE); ld_imm64 relocations against the externs point into it.
 * A weak extern without a value reads 0; a strong one is an error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <zlib.h>

#include "ld_int.h"

#define KCONFIG_LINE_MAX 512

/* `name`'s line of the kernel configuration ("y", "m", "1000", "\"str\""), or NULL if
 * the option is not set or no configuration is readable. Malloc'ed. */
static char *config_value(const char *name)
{
	char path[300], line[KCONFIG_LINE_MAX];
	struct utsname uts;
	size_t len = strlen(name);
	gzFile in = gzopen("/proc/config.gz", "rb");
	char *found = NULL;

	if (!in && uname(&uts) == 0) {
		snprintf(path, sizeof(path), "/boot/config-%s", uts.release);
		in = gzopen(path, "rb"); /* zlib reads plain files too */
	}
	while (in && !found && gzgets(in, line, sizeof(line))) {
		if (strncmp(line, name, len) == 0 && line[len] == '=') {
			line[strcspn(line, "\n")] = '\0';
			found = ld_strdup(line + len + 1);
		}
	}
	if (in)
		gzclose(in);
	return found;
}

/* KERNEL_VERSION(a, b, c) of the running kernel, the patch level capped at 255. */
static uint32_t kernel_version(void)
{
	struct utsname uts;
	unsigned major = 0, minor = 0, patch = 0;

	if (uname(&uts) == 0)
		sscanf(uts.release, "%u.%u.%u", &major, &minor, &patch);
	return (major << 16) + (minor << 8) + (patch > 255 ? 255 : patch);
}

static void store_number(uint8_t *at, uint32_t size, uint64_t value)
{
	for (uint32_t i = 0; i < size && i < 8; i++)
		at[i] = (uint8_t)(value >> (8 * i));
}

/* Interpret a configuration value for an extern of `size` bytes; -EINVAL if it fits
 * no libbpf kconfig type. */
static int store_config(const struct objfmt_btf *btf, const struct ld_kconfig_extern *ext,
			const char *value, uint8_t *at)
{
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, objfmt_btf__resolve(btf, ext->type_id));
	char *end;

	if (t && t->kind == OBJFMT_BTF_ARRAY) { /* char[N]: a quoted string */
		size_t len = strlen(value);
		if (len < 2 || value[0] != '"' || value[len - 1] != '"')
			return -EINVAL;
		snprintf((char *)at, ext->size, "%.*s", (int)(len - 2), value + 1);
		return 0;
	}
	if (strcmp(value, "y") == 0 || strcmp(value, "n") == 0 || strcmp(value, "m") == 0) {
		/* bool and char take y/n; libbpf's tristate enum also m (2) */
		store_number(at, ext->size, value[0] == 'y' ? 1 : value[0] == 'm' ? 2 : 0);
		return value[0] == 'm' && t && t->kind != OBJFMT_BTF_ENUM ? -EINVAL : 0;
	}
	unsigned long long number = strtoull(value, &end, 0);
	if (*end || end == value)
		return -EINVAL;
	store_number(at, ext->size, number);
	return 0;
}

static bool is_weak(const struct ld_object *obj, const char *name)
{
	int index = objfmt_object__find_symbol(obj->model, name);
	return index >= 0 && objfmt_object__symbol(obj->model, (size_t)index)->bind == OBJFMT_BIND_WEAK;
}

static int fill_value(struct ld_object *obj, const struct ld_kconfig_extern *ext, uint8_t *image,
		      struct ld_diag *diag)
{
	uint8_t *at = image + ext->offset;
	char *value;
	int err = 0;

	if (strcmp(ext->name, "LINUX_KERNEL_VERSION") == 0)
		store_number(at, ext->size, kernel_version());
	else if (strcmp(ext->name, "LINUX_HAS_SYSCALL_WRAPPER") == 0 ||
		 strcmp(ext->name, "LINUX_HAS_BPF_COOKIE") == 0)
		store_number(at, ext->size, 1); /* true of every kernel with BTF'd syscalls */
	else if (strncmp(ext->name, "CONFIG_", 7) != 0)
		err = ld_diag_set(diag, -EINVAL, "%s: extern '%s' (.kconfig): unknown name; "
				  "expected LINUX_KERNEL_VERSION, LINUX_HAS_* or CONFIG_*",
				  obj->name, ext->name);
	else if ((value = config_value(ext->name))) {
		if (store_config(objfmt_object__btf(obj->model), ext, value, at))
			err = ld_diag_set(diag, -EINVAL, "%s: extern '%s' (.kconfig): value '%s' does "
					  "not fit its type", obj->name, ext->name, value);
		free(value);
	} else if (!is_weak(obj, ext->name))
		err = ld_diag_set(diag, -ENOENT, "%s: extern '%s' (.kconfig): not set in the kernel "
				  "configuration (declare it __weak to read 0)", obj->name, ext->name);
	return err;
}

/* Lay the externs out in DATASEC order, each aligned to its size (at most 8). */
static int lay_out(struct ld_object *obj, const struct objfmt_btf_type *sec, uint32_t *total)
{
	const struct objfmt_btf *btf = objfmt_object__btf(obj->model);
	uint32_t offset = 0;

	for (uint32_t i = 0; i < sec->vlen; i++) {
		const struct objfmt_btf_type *var = objfmt_btf__type(btf, sec->members[i].type);
		int64_t size = var ? objfmt_btf__size(btf, var->type) : -1;
		if (!var || var->kind != OBJFMT_BTF_VAR || size <= 0 || size > 4096)
			return -EINVAL;
		uint32_t align = size >= 8 ? 8 : size >= 4 ? 4 : size >= 2 ? 2 : 1;
		const struct objfmt_btf_type *base = objfmt_btf__type(btf, objfmt_btf__resolve(btf, var->type));
		if (base && base->kind == OBJFMT_BTF_ARRAY)
			align = 1;
		offset = (offset + align - 1) / align * align;
		struct ld_kconfig_extern ext = { ld_strdup(var->name), var->type, (uint32_t)size, offset };
		if (!ext.name || ld_append((void **)&obj->kconfig, &obj->kconfig_count, sizeof(ext), &ext)) {
			free(ext.name);
			return -ENOMEM;
		}
		offset += (uint32_t)size;
	}
	*total = (offset + 7) / 8 * 8;
	return 0;
}

int ld_kconfig_collect(struct ld_object *obj, struct ld_diag *diag)
{
	const struct objfmt_btf *btf = objfmt_object__btf(obj->model);
	int datasec = btf ? objfmt_btf__find(btf, OBJFMT_BTF_DATASEC, ".kconfig") : -ENOENT;
	uint32_t total = 0, *offsets;
	uint8_t *image;
	int err;

	obj->kconfig_map = -1;
	if (datasec <= 0)
		return 0;
	if (lay_out(obj, objfmt_btf__type(btf, (uint32_t)datasec), &total))
		return ld_diag_set(diag, -EINVAL, "%s: section '.kconfig': BTF does not describe "
				   "the externs", obj->name);
	if (!obj->kconfig_count)
		return 0;
	image = calloc(1, total);
	offsets = calloc(obj->kconfig_count, sizeof(*offsets));
	err = image && offsets ? 0 : -ENOMEM;
	for (size_t i = 0; !err && i < obj->kconfig_count; i++) {
		offsets[i] = obj->kconfig[i].offset;
		err = fill_value(obj, &obj->kconfig[i], image, diag);
	}
	if (!err && obj->btf_raw)
		err = ld_btf_fix_extern_datasec(obj, (uint32_t)datasec, total, offsets);
	struct objfmt_btf_type *model = objfmt_btf__type_mut((struct objfmt_btf *)btf, (uint32_t)datasec);
	for (size_t i = 0; !err && model && i < obj->kconfig_count && i < model->vlen; i++)
		model->members[i].offset = offsets[i]; /* for reports that print the map */
	if (!err && model)
		model->size = total;
	if (!err)
		err = ld_maps_add_kconfig(obj, image, total, (uint32_t)datasec);
	else
		free(image);
	free(offsets);
	return err;
}

const struct ld_kconfig_extern *ld_kconfig_find(const struct ld_object *obj, const char *name)
{
	for (size_t i = 0; name && i < obj->kconfig_count; i++)
		if (strcmp(obj->kconfig[i].name, name) == 0)
			return &obj->kconfig[i];
	return NULL;
}
