/* kobj.c - emulated kernel objects for tracing programs: the current task_struct and
 * whatever it points to (parent task, cred, mm, ...), laid out by the emulated
 * kernel's BTF and populated member by member from "path=value" assignments, then
 * handed to the probe_read memory of the helpers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ebpf/emu.h"
#include "kbtf_int.h"

#define KOBJ_FIRST_ADDRESS 0xffff888006000000ull /* where further objects are placed */
#define KOBJ_MAX 64

struct kobj {
	uint64_t address;
	uint32_t type_id;      /* STRUCT/UNION in the kernel BTF */
	size_t size;
	uint8_t *bytes;        /* owned, `size` bytes */
};

static struct kobj objects[KOBJ_MAX]; /* objects[0]: the current task */
static size_t object_count;
static uint64_t next_address = KOBJ_FIRST_ADDRESS;

static int fail(char *error, unsigned long size, int err, const char *fmt, const char *what)
{
	if (error && size)
		snprintf(error, size, fmt, what);
	return err;
}

static bool is_composite(const struct objfmt_btf_type *t)
{
	return t && (t->kind == OBJFMT_BTF_STRUCT || t->kind == OBJFMT_BTF_UNION);
}

/* A zeroed object of `size` bytes (type_id 0: a string) at `address`. */
static int new_blob(uint32_t type_id, size_t size, uint64_t address)
{
	struct kobj *o = &objects[object_count];

	if (object_count == KOBJ_MAX)
		return -ENOSPC;
	o->bytes = calloc(1, size);
	if (!o->bytes)
		return -ENOMEM;
	o->address = address;
	o->type_id = type_id;
	o->size = size;
	return (int)object_count++;
}

/* The next free address for an object of `size` bytes (4 KiB aligned). */
static uint64_t take_address(uint64_t size)
{
	uint64_t address = next_address;

	next_address += (size + 0xfff) & ~0xfffull;
	return address;
}

static int new_object(const struct objfmt_btf *btf, uint32_t type_id, uint64_t address)
{
	int64_t size = objfmt_btf__size(btf, type_id);
	struct kobj *o = &objects[object_count];

	if (object_count == KOBJ_MAX)
		return -ENOSPC;
	if (size <= 0)
		return -EINVAL;
	o->bytes = calloc(1, (size_t)size);
	if (!o->bytes)
		return -ENOMEM;
	o->address = address;
	o->type_id = type_id;
	o->size = (size_t)size;
	return (int)object_count++;
}

/* Member `name` of composite `id`, through anonymous members: bit offset, bitfield
 * width and type; false when absent. */
static bool find_member_at(const struct objfmt_btf *btf, uint32_t id, const char *name,
			   uint64_t *bit_offset, uint32_t *bits, uint32_t *type, int depth)
{
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, objfmt_btf__resolve(btf, id));

	for (uint32_t i = 0; depth < 32 && is_composite(t) && i < t->vlen; i++) {
		const struct objfmt_btf_member *m = &t->members[i];
		if (m->name && *m->name) {
			if (strcmp(m->name, name))
				continue;
			*bit_offset = m->bit_offset;
			*bits = m->bitfield;
			*type = m->type;
			return true;
		}
		if (find_member_at(btf, m->type, name, bit_offset, bits, type, depth + 1)) {
			*bit_offset += m->bit_offset;
			return true;
		}
	}
	return false;
}

/* ... nested at most 32 anonymous levels deep (a cyclic BTF file ends there). */
static bool find_member(const struct objfmt_btf *btf, uint32_t id, const char *name,
			uint64_t *bit_offset, uint32_t *bits, uint32_t *type)
{
	return find_member_at(btf, id, name, bit_offset, bits, type, 0);
}

static uint64_t load_le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	for (size_t i = n; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

static void store_le(uint8_t *p, size_t n, uint64_t v)
{
	for (size_t i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

/* The current task, created on first use with the run configuration's pid/tgid/comm. */
static int current_task(const struct objfmt_btf *btf)
{
	struct emu_run_config config;
	int id = objfmt_btf__find(btf, OBJFMT_BTF_STRUCT, "task_struct");

	if (object_count)
		return 0;
	if (id <= 0)
		return -ENOENT;
	emu_run_config_get(&config);
	int err = new_object(btf, (uint32_t)id, config.task);
	if (err < 0)
		return err;
	uint64_t offset;
	uint32_t bits, type;
	if (find_member(btf, (uint32_t)id, "pid", &offset, &bits, &type))
		store_le(objects[0].bytes + offset / 8, 4, config.pid);
	if (find_member(btf, (uint32_t)id, "tgid", &offset, &bits, &type))
		store_le(objects[0].bytes + offset / 8, 4, config.tgid);
	if (find_member(btf, (uint32_t)id, "comm", &offset, &bits, &type))
		memcpy(objects[0].bytes + offset / 8, config.comm, sizeof(config.comm));
	return 0;
}

static int object_at(uint64_t address)
{
	for (size_t i = 0; i < object_count; i++)
		if (objects[i].address == address)
			return (int)i;
	return -1;
}

/* Where a member lives: object, bit offset in it, bitfield width, member type. */
struct kobj_place {
	int object;
	uint64_t bit_offset;
	uint32_t bits;
	uint32_t type;
};

/* Follow pointer member `place` to its object, creating a zeroed one for NULL. */
static int follow(const struct objfmt_btf *btf, const struct kobj_place *place, uint32_t pointee)
{
	uint8_t *slot = objects[place->object].bytes + place->bit_offset / 8;
	uint64_t address = load_le(slot, 8);
	int64_t size = objfmt_btf__size(btf, pointee);

	if (address)
		return object_at(address) >= 0 ? object_at(address) : -EFAULT;
	int index = new_object(btf, pointee, take_address((uint64_t)size));
	if (index < 0)
		return index;
	store_le(slot, 8, objects[index].address);
	return index;
}

/* Resolve "a.b.c" from the current task to the place of member c. */
static int walk(const struct objfmt_btf *btf, int root, char *path, struct kobj_place *place,
		char *error, unsigned long error_size)
{
	uint32_t composite = objects[root].type_id;
	char *name = strtok(path, ".");

	place->object = root;
	place->bit_offset = 0;
	while (name) {
		uint64_t offset;
		if (!find_member(btf, composite, name, &offset, &place->bits, &place->type))
			return fail(error, error_size, -ENOENT, "no member '%s' in the kernel's BTF", name);
		place->bit_offset += offset;
		const char *member = name;
		if (!(name = strtok(NULL, ".")))
			return 0;
		uint32_t id = objfmt_btf__resolve(btf, place->type);
		const struct objfmt_btf_type *t = objfmt_btf__type(btf, id);
		if (t && t->kind == OBJFMT_BTF_PTR) {
			id = objfmt_btf__resolve(btf, t->type);
			if (!is_composite(objfmt_btf__type(btf, id)))
				return fail(error, error_size, -EINVAL, "'%s' does not point to a struct",
					    member);
			int index = follow(btf, place, id);
			if (index < 0)
				return fail(error, error_size, index, "cannot follow the pointer before '%s'", name);
			*place = (struct kobj_place){ index, 0, 0, 0 };
		} else if (!is_composite(t))
			return fail(error, error_size, -EINVAL, "no struct to look up '%s' in", name);
		composite = id;
	}
	return fail(error, error_size, -EINVAL, "empty member path%s", "");
}

/* Write `value` into `bits` bits at `bit_offset` of bytes (little-endian). */
static void store_bits(uint8_t *bytes, uint64_t bit_offset, uint32_t bits, uint64_t value)
{
	uint8_t *p = bytes + bit_offset / 8;
	uint32_t shift = (uint32_t)(bit_offset % 8), n = (shift + bits + 7) / 8;
	uint64_t mask = (bits == 64 ? ~0ull : (1ull << bits) - 1) << shift;

	store_le(p, n, (load_le(p, n) & ~mask) | ((value << shift) & mask));
}

static int parse_number(const char *text, uint32_t bits, uint64_t *out)
{
	char *end;
	bool negative = *text == '-';
	uint64_t value = negative ? (uint64_t)strtoll(text, &end, 0) : strtoull(text, &end, 0);

	if (!*text || *end)
		return -EINVAL;
	if (bits < 64) {
		int64_t low = -(int64_t)(1ull << (bits - 1));
		if (negative ? (int64_t)value < low : value >> bits)
			return -ERANGE;
		value &= (1ull << bits) - 1;
	}
	*out = value;
	return 0;
}

static int assign_value(const struct objfmt_btf *btf, const struct kobj_place *place,
			const char *text, char *error, unsigned long error_size)
{
	uint32_t id = objfmt_btf__resolve(btf, place->type);
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, id);
	uint8_t *bytes = objects[place->object].bytes;
	int64_t size = objfmt_btf__size(btf, id);
	uint64_t value;

	if (t && t->kind == OBJFMT_BTF_ARRAY && objfmt_btf__size(btf, t->array_elem) == 1) {
		size_t length = strlen(text);
		if (length >= t->array_nelems)
			return fail(error, error_size, -ERANGE, "'%s' is too long for the array", text);
		memset(bytes + place->bit_offset / 8, 0, t->array_nelems);
		memcpy(bytes + place->bit_offset / 8, text, length);
		return 0;
	}
	if (t && t->kind == OBJFMT_BTF_PTR && objfmt_btf__size(btf, t->type) == 1 &&
	    objfmt_btf__type(btf, objfmt_btf__resolve(btf, t->type))->kind == OBJFMT_BTF_INT) {
		size_t length = strlen(text); /* a char pointer: a new string object */
		int index = new_blob(0, length + 1, take_address(length + 1));
		if (index < 0)
			return fail(error, error_size, index, "no room for the string '%s'", text);
		memcpy(objects[index].bytes, text, length);
		store_le(objects[place->object].bytes + place->bit_offset / 8, 8,
			 objects[index].address);
		return 0;
	}
	if (!t || (t->kind != OBJFMT_BTF_INT && t->kind != OBJFMT_BTF_ENUM &&
		   t->kind != OBJFMT_BTF_ENUM64 && t->kind != OBJFMT_BTF_PTR) || size <= 0 || size > 8)
		return fail(error, error_size, -EINVAL, "cannot assign '%s' to a member of this type", text);
	uint32_t bits = place->bits ? place->bits : (uint32_t)size * 8;
	int err = parse_number(text, bits, &value);
	if (err)
		return fail(error, error_size, err, err == -ERANGE ? "%s does not fit the member"
								 : "'%s' is not a number", text);
	store_bits(bytes, place->bit_offset, bits, value);
	return 0;
}

/* Does [address, address + size) share a byte with an existing object? */
static bool overlaps(uint64_t address, uint64_t size)
{
	for (size_t i = 0; i < object_count; i++)
		if (address < objects[i].address + objects[i].size &&
		    objects[i].address < address + size)
			return true;
	return false;
}

/* "STRUCT@ADDRESS": the object of that struct at that address, created zeroed. */
static int root_object(const struct objfmt_btf *btf, const char *root, char *error,
		       unsigned long error_size)
{
	char name[128];
	const char *at = strchr(root, '@');
	char *end;

	if (!at || at == root || (size_t)(at - root) >= sizeof(name))
		return fail(error, error_size, -EINVAL, "'%s' is not STRUCT@ADDRESS", root);
	memcpy(name, root, (size_t)(at - root));
	name[at - root] = '\0';
	uint64_t address = strtoull(at + 1, &end, 0);
	if (end == at + 1 || *end || !address)
		return fail(error, error_size, -EINVAL, "'%s' is not an address", at + 1);
	int id = objfmt_btf__find(btf, OBJFMT_BTF_STRUCT, name);
	if (id <= 0)
		return fail(error, error_size, -ENOENT, "no struct %s in the kernel's BTF", name);
	int index = object_at(address);
	if (index >= 0 && objects[index].type_id != (uint32_t)id)
		return fail(error, error_size, -EEXIST, "another object is at %s", at + 1);
	if (index < 0 && overlaps(address, (uint64_t)objfmt_btf__size(btf, (uint32_t)id)))
		return fail(error, error_size, -EEXIST, "another object overlaps %s", at + 1);
	if (index < 0 && (index = new_object(btf, (uint32_t)id, address)) < 0)
		return fail(error, error_size, index, "cannot create struct %s", name);
	return index;
}

int emu_kobj_assign(const char *assignment, char *error, unsigned long error_size)
{
	const struct objfmt_btf *btf = emu_kbtf_get();
	const char *equals = assignment ? strchr(assignment, '=') : NULL;
	const char *colon = assignment ? strchr(assignment, ':') : NULL;
	struct kobj_place place;
	char path[256];
	int err, root = 0;

	if (!btf)
		return fail(error, error_size, -ENOENT, "the emulated kernel has no BTF%s", "");
	if (!equals || equals == assignment || (size_t)(equals - assignment) >= sizeof(path))
		return fail(error, error_size, -EINVAL, "'%s' is not PATH=VALUE",
			    assignment ? assignment : "");
	if ((err = current_task(btf)))
		return fail(error, error_size, err, "no struct task_struct in the kernel's BTF%s", "");
	if (colon && colon < equals) { /* STRUCT@ADDRESS:PATH=VALUE */
		memcpy(path, assignment, (size_t)(colon - assignment));
		path[colon - assignment] = '\0';
		if ((root = root_object(btf, path, error, error_size)) < 0)
			return root;
		assignment = colon + 1;
	}
	memcpy(path, assignment, (size_t)(equals - assignment));
	path[equals - assignment] = '\0';
	if (path[0] == '.' || path[strlen(path) - 1] == '.' || strstr(path, ".."))
		return fail(error, error_size, -EINVAL, "'%s' has an empty member name", path);
	if ((err = walk(btf, root, path, &place, error, error_size)))
		return err;
	return assign_value(btf, &place, equals + 1, error, error_size);
}

/* Copy the task's pid, tgid and comm into the run configuration. */
static void sync_config(const struct objfmt_btf *btf)
{
	struct emu_run_config config;
	uint64_t offset;
	uint32_t bits, type;
	const uint8_t *task = objects[0].bytes;

	emu_run_config_get(&config);
	if (find_member(btf, objects[0].type_id, "pid", &offset, &bits, &type))
		config.pid = (unsigned int)load_le(task + offset / 8, 4);
	if (find_member(btf, objects[0].type_id, "tgid", &offset, &bits, &type))
		config.tgid = (unsigned int)load_le(task + offset / 8, 4);
	if (find_member(btf, objects[0].type_id, "comm", &offset, &bits, &type)) {
		memcpy(config.comm, task + offset / 8, sizeof(config.comm));
		config.comm[sizeof(config.comm) - 1] = '\0';
	}
	config.task = objects[0].address;
	emu_run_config_set(&config);
}

int emu_kobj_install(void)
{
	const struct objfmt_btf *btf = emu_kbtf_loaded();

	if (!object_count && btf && current_task(btf) == -ENOMEM)
		return -ENOMEM; /* the default task once the kernel's BTF is in use */
	for (size_t i = 0; i < object_count; i++) {
		int err = emu_memory_add(objects[i].address, objects[i].bytes, objects[i].size, 0);
		if (err)
			return err;
	}
	if (object_count)
		sync_config(btf ? btf : emu_kbtf_get());
	return 0;
}

void emu_kobj_clear(void)
{
	for (size_t i = 0; i < object_count; i++)
		free(objects[i].bytes);
	memset(objects, 0, sizeof(objects));
	object_count = 0;
	next_address = KOBJ_FIRST_ADDRESS;
}
