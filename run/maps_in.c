/* maps_in.c - --maps-in FILE: map pre-population before the runs. One element per
 * line, `MAP KEY VALUE`; KEY and VALUE are comma-separated pieces concatenated in
 * order: hex bytes (0a0b0c), u8:/u16:/u32:/u64:/s32:/s64:N (little-endian),
 * be16:/be32:N (network order), ip:A.B.C.D, and prog:NAME / map:NAME (the fd of one
 * of the object's programs or maps, for prog arrays and map-in-map). `#` starts a
 * comment.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "run_int.h"

static int append_bytes(uint8_t **out, size_t *size, const void *data, size_t len)
{
	uint8_t *grown = realloc(*out, *size + len + 1);

	if (!grown)
		return -1;
	memcpy(grown + *size, data, len);
	*out = grown;
	*size += len;
	return 0;
}

static int parse_number(const char *text, int width, bool big_endian, uint8_t *bytes)
{
	char *end;
	errno = 0;
	unsigned long long value = text[0] == '-' ? (unsigned long long)strtoll(text, &end, 0)
						  : strtoull(text, &end, 0);

	if (errno || end == text || *end)
		return -1;
	if (width < 8 && text[0] != '-' && value >> (width * 8))
		return -1;
	for (int i = 0; i < width; i++)
		bytes[big_endian ? width - 1 - i : i] = (uint8_t)(value >> (8 * i));
	return 0;
}

/* prog:NAME / map:NAME: the 4-byte fd of a loaded program or map of `obj`. */
static int parse_object_fd(const char *piece, struct ld_object *obj, uint8_t **out,
			   size_t *size, char *err, size_t errlen)
{
	bool program = strncmp(piece, "prog:", 5) == 0;
	const char *name = piece + (program ? 5 : 4);
	int32_t fd = -1;

	if (obj && program && ld_object__find_program(obj, name))
		fd = ld_program__fd(ld_object__find_program(obj, name));
	else if (obj && !program && ld_object__find_map(obj, name))
		fd = ld_map__fd(ld_object__find_map(obj, name));
	if (fd < 0) {
		snprintf(err, errlen, "'%s': no loaded %s of that name", piece,
			 program ? "program" : "map");
		return -1;
	}
	return append_bytes(out, size, &fd, 4);
}

static int parse_piece(const char *piece, struct ld_object *obj, uint8_t **out, size_t *size,
		       char *err, size_t errlen)
{
	if (strncmp(piece, "prog:", 5) == 0 || strncmp(piece, "map:", 4) == 0)
		return parse_object_fd(piece, obj, out, size, err, errlen);
	static const struct { const char *prefix; int width; bool big_endian; } kinds[] = {
		{"u8:", 1, false}, {"u16:", 2, false}, {"u32:", 4, false}, {"u64:", 8, false},
		{"s8:", 1, false}, {"s16:", 2, false}, {"s32:", 4, false}, {"s64:", 8, false},
		{"be16:", 2, true}, {"be32:", 4, true},
	};
	uint8_t bytes[8];

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		size_t len = strlen(kinds[k].prefix);
		if (strncmp(piece, kinds[k].prefix, len) != 0)
			continue;
		if (parse_number(piece + len, kinds[k].width, kinds[k].big_endian, bytes)) {
			snprintf(err, errlen, "'%s': not a number that fits %d bytes", piece, kinds[k].width);
			return -1;
		}
		return append_bytes(out, size, bytes, (size_t)kinds[k].width);
	}
	if (strncmp(piece, "ip:", 3) == 0) {
		struct in_addr addr;
		if (inet_pton(AF_INET, piece + 3, &addr) != 1) {
			snprintf(err, errlen, "'%s': not an IPv4 address", piece);
			return -1;
		}
		return append_bytes(out, size, &addr, 4);
	}
	uint8_t *hex;
	size_t len;
	if (input_parse_hex(piece, &hex, &len, err, errlen))
		return -1;
	int ret = append_bytes(out, size, hex, len);
	free(hex);
	return ret;
}

int maps_in_parse_value(const char *spec, struct ld_object *obj, uint8_t **out, size_t *size,
			char *err, size_t errlen)
{
	char *copy = strdup(spec), *save = NULL;
	int ret = 0;

	*out = NULL;
	*size = 0;
	if (!copy)
		return -1;
	for (char *piece = strtok_r(copy, ",", &save); piece && !ret;
	     piece = strtok_r(NULL, ",", &save))
		ret = parse_piece(piece, obj, out, size, err, errlen);
	free(copy);
	if (ret) {
		free(*out);
		*out = NULL;
	}
	return ret;
}

/* Per-CPU maps take one value per CPU: the given value is copied to every CPU. */
static uint8_t *widen_per_cpu(const uint8_t *value, uint32_t value_size, uint32_t cpus)
{
	size_t stride = (value_size + 7) / 8 * 8;
	uint8_t *all = calloc(cpus, stride);

	for (uint32_t cpu = 0; all && cpu < cpus; cpu++)
		memcpy(all + cpu * stride, value, value_size);
	return all;
}

static int apply_line(char *line, struct ld_object *obj, uint32_t cpus, char *err,
		      size_t errlen)
{
	char *save = NULL, *name = strtok_r(line, " \t", &save);
	char *key_spec = strtok_r(NULL, " \t", &save), *value_spec = strtok_r(NULL, " \t", &save);
	uint8_t *key = NULL, *value = NULL, *update_value;
	size_t key_size, value_size;
	struct ld_map *map;
	int ret = -1;

	if (!name)
		return 0;
	if (!key_spec || !value_spec || strtok_r(NULL, " \t", &save)) {
		snprintf(err, errlen, "expected 'MAP KEY VALUE'");
		return -1;
	}
	if (!(map = ld_object__find_map(obj, name))) {
		snprintf(err, errlen, "no map '%s' in the object", name);
		return -1;
	}
	if (maps_in_parse_value(key_spec, obj, &key, &key_size, err, errlen) ||
	    maps_in_parse_value(value_spec, obj, &value, &value_size, err, errlen))
		goto out;
	if (key_size != ld_map__key_size(map) || value_size != ld_map__value_size(map)) {
		snprintf(err, errlen, "map '%s': key %zu and value %zu bytes given, map has %u and %u",
			 name, key_size, value_size, ld_map__key_size(map), ld_map__value_size(map));
		goto out;
	}
	uint32_t type = ld_map__type(map);
	bool per_cpu = type == BPF_MAP_TYPE_PERCPU_ARRAY || type == BPF_MAP_TYPE_PERCPU_HASH ||
		       type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
	update_value = per_cpu ? widen_per_cpu(value, (uint32_t)value_size, cpus) : value;
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)ld_map__fd(map);
	attr.key = (uint64_t)(uintptr_t)key;
	attr.value = (uint64_t)(uintptr_t)update_value;
	long r = update_value ? ld_bpf(ld_object__backend(obj), BPF_MAP_UPDATE_ELEM, &attr, sizeof(attr))
			      : -ENOMEM;
	if (per_cpu)
		free(update_value);
	if (r < 0)
		snprintf(err, errlen, "map '%s': update failed: %s", name, strerror((int)-r));
	else
		ret = 0;
out:
	free(key);
	free(value);
	return ret;
}

int maps_in_apply(const char *path, struct ld_object *obj, uint32_t cpus, char *err,
		  size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[4096], message[400];
	int number = 0;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		number++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		line[strcspn(line, "\r\n")] = '\0';
		if (apply_line(line, obj, cpus, message, sizeof(message))) {
			snprintf(err, errlen, "%s:%d: error: %s", path, number, message);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}
