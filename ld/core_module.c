/* core_module.c - the BTF of kernel modules as CO-RE targets: each file of a directory
 * like /sys/kernel/btf other than vmlinux is split BTF whose type ids and string
 * offsets continue those of vmlinux; it is joined to vmlinux's bytes and decoded, so
 * its own types (ids after vmlinux's) can be candidates, as libbpf's load_module_btfs.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"
#include "ld_int.h"

#define BTF_HEADER_BYTES 24

/* Sections of one BTF blob, after the checks a split reader needs. */
struct btf_sections {
	const uint8_t *types, *strings;
	uint32_t types_size, strings_size;
};

static uint32_t read_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_u32(uint8_t *p, uint32_t value)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(value >> 8 * i);
}

static int sections_of(const uint8_t *data, size_t size, struct btf_sections *out)
{
	if (size < BTF_HEADER_BYTES || data[0] != 0x9f || data[1] != 0xeb || data[2] != 1)
		return -EINVAL;
	uint32_t header = read_u32(data + 4), type_off = read_u32(data + 8);
	uint32_t type_len = read_u32(data + 12), str_off = read_u32(data + 16);
	uint32_t str_len = read_u32(data + 20);
	if (header < BTF_HEADER_BYTES || header > size ||
	    (uint64_t)type_off + type_len > size - header ||
	    (uint64_t)str_off + str_len > size - header)
		return -EINVAL;
	out->types = data + header + type_off;
	out->types_size = type_len;
	out->strings = data + header + str_off;
	out->strings_size = str_len;
	return 0;
}

static int read_whole(const char *path, uint8_t **out, size_t *out_size)
{
	FILE *f = fopen(path, "rb");
	size_t size = 0, capacity = 1 << 16, n;
	uint8_t *buffer = f ? malloc(capacity) : NULL;

	if (!f)
		return -errno;
	while (buffer && (n = fread(buffer + size, 1, capacity - size, f)) > 0) {
		size += n;
		if (size == capacity) {
			uint8_t *bigger = realloc(buffer, capacity *= 2);
			if (!bigger)
				free(buffer);
			buffer = bigger;
		}
	}
	fclose(f);
	if (!buffer)
		return -ENOMEM;
	*out = buffer;
	*out_size = size;
	return 0;
}

/* vmlinux's types and strings followed by the module's, as one BTF. */
static struct objfmt_btf *join_split(const struct btf_sections *base, const uint8_t *data,
				     size_t size)
{
	struct btf_sections split;
	struct objfmt_diag diag = { { 0 }, { 0 } };

	if (sections_of(data, size, &split))
		return NULL;
	uint32_t types = base->types_size + split.types_size;
	uint32_t strings = base->strings_size + split.strings_size;
	uint8_t *joined = malloc((size_t)BTF_HEADER_BYTES + types + strings);
	if (!joined)
		return NULL;
	const uint32_t header[6] = { 0x0001eb9f, BTF_HEADER_BYTES, 0, types, types, strings };
	for (int i = 0; i < 6; i++)
		put_u32(joined + 4 * i, header[i]);
	uint8_t *p = joined + BTF_HEADER_BYTES;
	memcpy(p, base->types, base->types_size);
	memcpy(p + base->types_size, split.types, split.types_size);
	memcpy(p + types, base->strings, base->strings_size);
	memcpy(p + types + base->strings_size, split.strings, split.strings_size);
	struct objfmt_btf *btf = objfmt_btf__decode(joined, BTF_HEADER_BYTES + (size_t)types +
						    strings, &diag);
	free(joined);
	return btf;
}

static int add_module(struct core_modules *modules, const char *name, struct objfmt_btf *btf,
		      uint32_t first_id)
{
	struct core_module module = { .btf = btf, .first_id = first_id };

	snprintf(module.name, sizeof(module.name), "%s", name);
	if (ld_append((void **)&modules->items, &modules->count, sizeof(module), &module)) {
		objfmt_btf__free(btf);
		return -ENOMEM;
	}
	return 0;
}

/* Every module of `dir` whose BTF splits `vmlinux` (the decoded DIR/vmlinux): files
 * that are not split BTF of that base are skipped, as libbpf skips what it cannot
 * parse. 0 or a negative errno (allocation). */
int core_modules_load(struct core_modules *modules, const char *dir,
		      const struct objfmt_btf *vmlinux)
{
	char path[4096];
	uint8_t *base_bytes = NULL, *bytes;
	size_t base_size, size;
	struct btf_sections base;
	struct dirent *entry;
	DIR *d = opendir(dir);
	int err = 0;

	modules->loaded = true;
	while (!err && d && (entry = readdir(d))) {
		if (entry->d_name[0] == '.' || strcmp(entry->d_name, "vmlinux") == 0)
			continue;
		/* vmlinux's bytes only once a module is there: usually there is none */
		snprintf(path, sizeof(path), "%s/vmlinux", dir);
		if (!base_bytes && (read_whole(path, &base_bytes, &base_size) ||
				    sections_of(base_bytes, base_size, &base)))
			break;
		snprintf(path, sizeof(path), "%s/%s", dir, entry->d_name);
		if (read_whole(path, &bytes, &size))
			continue;
		struct objfmt_btf *btf = join_split(&base, bytes, size);
		free(bytes);
		if (btf && objfmt_btf__type_count(btf) > objfmt_btf__type_count(vmlinux))
			err = add_module(modules, entry->d_name, btf,
					 objfmt_btf__type_count(vmlinux) + 1);
		else
			objfmt_btf__free(btf);
	}
	if (d)
		closedir(d);
	free(base_bytes);
	return err;
}

void core_modules_release(struct core_modules *modules)
{
	for (size_t i = 0; i < modules->count; i++)
		objfmt_btf__free(modules->items[i].btf);
	free(modules->items);
	memset(modules, 0, sizeof(*modules));
}
