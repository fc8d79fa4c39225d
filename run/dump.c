/* dump.c - map contents after the runs, read back through bpf() commands of the
 * object's backend: every key (MAP_GET_NEXT_KEY), its value, sorted by key bytes so
 * that reports are stable whatever the backend's iteration order; BTF pretty text.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "run_int.h"

static long map_command(const struct ld_backend *backend, int cmd, int fd, const void *key,
			void *value_or_next)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)fd;
	attr.key = (uint64_t)(uintptr_t)key;
	attr.value = (uint64_t)(uintptr_t)value_or_next; /* next_key shares this slot */
	return backend->bpf(cmd, &attr, sizeof(attr));
}

static bool is_per_cpu(uint32_t type)
{
	return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

static bool holds_objects(uint32_t type)
{
	return type == BPF_MAP_TYPE_PROG_ARRAY || type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
	       type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

static bool all_zero(const uint8_t *data, size_t size)
{
	for (size_t i = 0; i < size; i++)
		if (data[i])
			return false;
	return true;
}

/* Name of the program or map with kernel id `id` among the object's, or NULL. */
static const char *object_name_by_id(struct ld_object *obj, bool program, uint32_t id)
{
	const struct ld_backend *backend = ld_object__backend(obj);
	size_t count = program ? ld_object__program_count(obj) : ld_object__map_count(obj);

	for (size_t i = 0; i < count; i++) {
		int fd = program ? ld_program__fd(ld_object__program(obj, i))
				 : ld_map__fd(ld_object__map(obj, i));
		uint8_t info[256] = {0}; /* prog and map info both start with type, id */
		union bpf_attr attr;
		memset(&attr, 0, sizeof(attr));
		attr.info.bpf_fd = (uint32_t)fd;
		attr.info.info_len = program ? sizeof(struct bpf_prog_info) : sizeof(struct bpf_map_info);
		attr.info.info = (uint64_t)(uintptr_t)info;
		if (fd < 0 || attr.info.info_len > sizeof(info) ||
		    backend->bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr)) < 0)
			continue;
		uint32_t got = program ? ((struct bpf_prog_info *)info)->id
				       : ((struct bpf_map_info *)info)->id;
		if (got == id)
			return program ? ld_program__name(ld_object__program(obj, i))
				       : ld_map__name(ld_object__map(obj, i));
	}
	return NULL;
}

static char *object_slot_text(struct ld_object *obj, const struct ld_map *map,
			      const uint8_t *value)
{
	bool program = ld_map__type(map) == BPF_MAP_TYPE_PROG_ARRAY;
	uint32_t id;
	char *text = NULL;

	memcpy(&id, value, 4);
	const char *name = object_name_by_id(obj, program, id);
	if (asprintf(&text, "%s %s", program ? "prog" : "map", name ? name : "(not from this object)") < 0)
		return NULL;
	return text;
}

static char *pretty_entry(struct ld_object *obj, const struct ld_map *map, const uint8_t *key,
			  const uint8_t *value, uint32_t cpus)
{
	const struct objfmt_btf *btf = ld_object__btf(obj);
	uint32_t key_id = ld_map__btf_key_type_id(map), value_id = ld_map__btf_value_type_id(map);
	char *key_text = btf_print_value(btf, key_id, key, ld_map__key_size(map));
	char *text = NULL, *values = NULL;
	size_t len = 0;
	FILE *out;

	if (!btf || !value_id || !(out = open_memstream(&values, &len))) {
		free(key_text);
		return NULL;
	}
	size_t stride = (ld_map__value_size(map) + 7) / 8 * 8;
	for (uint32_t cpu = 0; cpu < (cpus ? cpus : 1); cpu++) {
		char *one = btf_print_value(btf, value_id, value + cpu * stride, ld_map__value_size(map));
		if (cpus)
			fprintf(out, "%scpu%u = %s", cpu ? ", " : "", cpu, one ? one : "?");
		else
			fputs(one ? one : "?", out);
		free(one);
	}
	fclose(out);
	if (key_text) {
		if (asprintf(&text, "%s => %s", key_text, values) < 0)
			text = NULL;
		free(values);
	} else
		text = values;
	free(key_text);
	return text;
}

static int compare_entries(const void *a, const void *b, void *key_size)
{
	const struct report_entry *x = a, *y = b;
	return memcmp(x->key, y->key, *(uint32_t *)key_size);
}

static int add_entry(struct report_map *rm, uint8_t *key, uint8_t *value, size_t size,
		     char *pretty)
{
	struct report_entry *grown = realloc(rm->entries, (rm->entry_count + 1) * sizeof(*grown));

	if (!grown)
		return -ENOMEM;
	rm->entries = grown;
	grown[rm->entry_count++] = (struct report_entry){ key, value, size, pretty };
	return 0;
}

/* Skip all-zero slots of user-defined arrays: every index exists, most are untouched.
 * Global-data maps (.bss, ...) are always shown. */
static bool omit_entry(const struct ld_map *map, const uint8_t *value, size_t size)
{
	uint32_t type = ld_map__type(map);
	enum ld_map_origin origin = ld_map__origin(map);

	return (type == BPF_MAP_TYPE_ARRAY || type == BPF_MAP_TYPE_PERCPU_ARRAY) &&
	       (origin == LD_MAP_BTF_DEFINED || origin == LD_MAP_LEGACY) &&
	       all_zero(value, size);
}

static int dump_entry(struct ld_object *obj, const struct ld_map *map, struct report_map *rm,
		      const uint8_t *cursor, size_t value_size)
{
	const struct ld_backend *backend = ld_object__backend(obj);
	uint32_t type = ld_map__type(map), key_size = ld_map__key_size(map);
	uint8_t *key = malloc(key_size ? key_size : 1);
	uint8_t *value = calloc(1, value_size ? value_size : 1);
	char *pretty;
	long err;

	if (!key || !value) {
		free(key);
		free(value);
		return -ENOMEM;
	}
	memcpy(key, cursor, key_size);
	err = map_command(backend, BPF_MAP_LOOKUP_ELEM, ld_map__fd(map), key, value);
	if (err || omit_entry(map, value, value_size)) {
		rm->zero_omitted += !err;
		free(key);
		free(value);
		return err == -ENOENT ? 0 : (int)err; /* empty prog-array slots answer ENOENT */
	}
	if (holds_objects(type)) {
		pretty = object_slot_text(obj, map, value);
		value_size = 0; /* ids differ between runs: only the name is reported */
	} else
		pretty = pretty_entry(obj, map, key, value, rm->cpus);
	if (add_entry(rm, key, value, value_size, pretty)) {
		free(key);
		free(value);
		free(pretty);
		return -ENOMEM;
	}
	return 0;
}

static int dump_map(struct ld_object *obj, const struct ld_map *map, uint32_t cpus,
		    struct report_map *rm)
{
	const struct ld_backend *backend = ld_object__backend(obj);
	uint32_t key_size = ld_map__key_size(map), type = ld_map__type(map);
	size_t value_size = is_per_cpu(type) ? (ld_map__value_size(map) + 7) / 8 * 8 * cpus
					     : ld_map__value_size(map);
	uint8_t *cursor = calloc(1, key_size ? key_size : 1);
	uint8_t *next = calloc(1, key_size ? key_size : 1);
	bool started = false;
	long err = 0;

	rm->cpus = is_per_cpu(type) ? cpus : 0;
	while (cursor && next) {
		err = map_command(backend, BPF_MAP_GET_NEXT_KEY, ld_map__fd(map),
				  started ? cursor : NULL, next);
		if (err)
			break;
		memcpy(cursor, next, key_size);
		started = true;
		if ((err = dump_entry(obj, map, rm, cursor, value_size)))
			break;
	}
	free(cursor);
	free(next);
	if (err && err != -ENOENT)
		return rm->error = (int)err;
	if (rm->entry_count > 1)
		qsort_r(rm->entries, rm->entry_count, sizeof(*rm->entries), compare_entries, &key_size);
	return 0;
}

int dump_maps(struct ld_object *obj, uint32_t cpus, struct report *r)
{
	for (size_t i = 0; i < ld_object__map_count(obj); i++) {
		const struct ld_map *map = ld_object__map(obj, i);
		uint32_t type = ld_map__type(map);
		if (type == BPF_MAP_TYPE_RINGBUF || type == BPF_MAP_TYPE_PERF_EVENT_ARRAY ||
		    ld_map__fd(map) < 0)
			continue;
		struct report_map *grown = realloc(r->maps, (r->map_count + 1) * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		r->maps = grown;
		struct report_map *rm = &r->maps[r->map_count++];
		memset(rm, 0, sizeof(*rm));
		rm->name = strdup(ld_map__name(map));
		rm->type = type;
		rm->key_size = ld_map__key_size(map);
		rm->value_size = ld_map__value_size(map);
		rm->max_entries = ld_map__max_entries(map);
		dump_map(obj, map, cpus, rm);
	}
	return 0;
}
