/* core_module_btf.c - writes DIR/vmlinux, DIR/modfoo and DIR/combined for
 * core_module.sh: a small made-up vmlinux BTF, the split BTF of a module "modfoo" on
 * top of it (type ids and string offsets continuing vmlinux's, as the kernel's
 * /sys/kernel/btf/<module> files are), and both as one plain BTF for libbpf. The
 * module also has a kfunc and a variable for the __ksym tests (ksym.sh).
 * Usage: core_module_btf DIR. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ebpf/objfmt.h"

static int add_struct(struct objfmt_btf *btf, const char *name, uint32_t size)
{
	struct objfmt_btf_type t = { .kind = OBJFMT_BTF_STRUCT, .name = name, .size = size };
	return objfmt_btf__add(btf, &t);
}

static void member(struct objfmt_btf *btf, int owner, const char *name, int type,
		   uint32_t bit_offset)
{
	struct objfmt_btf_member m = { .name = name, .type = (uint32_t)type,
				       .bit_offset = bit_offset };
	objfmt_btf__add_member(btf, (uint32_t)owner, &m);
}

/* vmlinux: int, long, struct task_struct { int pid; int tgid; long state; },
 * struct shared_thing { int a; int b; } */
static struct objfmt_btf *make_vmlinux(void)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	int i = objfmt_btf__add_int(btf, "int", 4, OBJFMT_BTF_INT_SIGNED);
	int l = objfmt_btf__add_int(btf, "long", 8, OBJFMT_BTF_INT_SIGNED);
	int task = add_struct(btf, "task_struct", 16);
	member(btf, task, "pid", i, 0);
	member(btf, task, "tgid", i, 32);
	member(btf, task, "state", l, 64);
	int shared = add_struct(btf, "shared_thing", 8);
	member(btf, shared, "a", i, 0);
	member(btf, shared, "b", i, 32);
	return btf;
}

/* modfoo, on top: struct modfoo_state { int pad; long count; struct task_struct *owner;
 * int flags; } and its own struct shared_thing { long x; int b; } */
static void add_module_types(struct objfmt_btf *btf)
{
	int i = objfmt_btf__find(btf, OBJFMT_BTF_INT, "int");
	int l = objfmt_btf__find(btf, OBJFMT_BTF_INT, "long");
	int task = objfmt_btf__find(btf, OBJFMT_BTF_STRUCT, "task_struct");
	int state = add_struct(btf, "modfoo_state", 32);
	int owner = objfmt_btf__add_ptr(btf, (uint32_t)task);
	member(btf, state, "pad", i, 0);
	member(btf, state, "count", l, 64);
	member(btf, state, "owner", owner, 128);
	member(btf, state, "flags", i, 192);
	int shared = add_struct(btf, "shared_thing", 16);
	member(btf, shared, "x", l, 0);
	member(btf, shared, "b", i, 64);
	/* a kfunc long modfoo_kfunc(struct modfoo_state *state) and a variable
	 * long modfoo_counter, for __ksym externs (ksym.sh) */
	struct objfmt_btf_type proto = { .kind = OBJFMT_BTF_FUNC_PROTO, .name = "", .type = (uint32_t)l };
	int proto_id = objfmt_btf__add(btf, &proto);
	struct objfmt_btf_member param = { .name = "state",
					   .type = (uint32_t)objfmt_btf__add_ptr(btf, (uint32_t)state) };
	objfmt_btf__add_member(btf, (uint32_t)proto_id, &param);
	struct objfmt_btf_type func = { .kind = OBJFMT_BTF_FUNC, .name = "modfoo_kfunc",
					.type = (uint32_t)proto_id,
					.linkage = OBJFMT_BTF_FUNC_STATIC };
	objfmt_btf__add(btf, &func);
	struct objfmt_btf_type var = { .kind = OBJFMT_BTF_VAR, .name = "modfoo_counter",
				       .type = (uint32_t)l, .linkage = OBJFMT_BTF_VAR_GLOBAL };
	objfmt_btf__add(btf, &var);
}

static uint32_t u32_at(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_u32(unsigned char *p, uint32_t value)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(value >> 8 * i);
}

static int write_file(const char *dir, const char *name, const void *data, size_t size)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	size_t written = f ? fwrite(data, 1, size, f) : 0;
	return !f || fclose(f) || written != size;
}

int main(int argc, char **argv)
{
	struct objfmt_diag diag = { { 0 }, { 0 } };
	void *base, *joined;
	size_t base_size, joined_size;

	if (argc != 2) {
		fprintf(stderr, "usage: core_module_btf DIR\n");
		return 2;
	}
	struct objfmt_btf *vmlinux = make_vmlinux();
	if (objfmt_btf__encode(vmlinux, &base, &base_size))
		return 1;
	/* the module's types appended to vmlinux as decoded: both sections keep vmlinux's
	 * bytes as their prefix, the rest is the module's */
	struct objfmt_btf *both = objfmt_btf__decode(base, base_size, &diag);
	add_module_types(both);
	if (objfmt_btf__encode(both, &joined, &joined_size))
		return 1;
	const unsigned char *b = base, *j = joined;
	uint32_t b_types = u32_at(b + 12), b_strings = u32_at(b + 20);
	uint32_t j_types = u32_at(j + 12), j_strings = u32_at(j + 20);
	if (memcmp(b + 24, j + 24, b_types) ||
	    memcmp(b + 24 + b_types, j + 24 + j_types, b_strings)) {
		fprintf(stderr, "core_module_btf: vmlinux is not a prefix of the joined BTF\n");
		return 1;
	}
	size_t split_size = 24 + (j_types - b_types) + (j_strings - b_strings);
	unsigned char *split = malloc(split_size);
	memcpy(split, j, 24);
	put_u32(split + 12, j_types - b_types);
	put_u32(split + 16, j_types - b_types);
	put_u32(split + 20, j_strings - b_strings);
	memcpy(split + 24, j + 24 + b_types, j_types - b_types);
	memcpy(split + 24 + (j_types - b_types), j + 24 + j_types + b_strings,
	       j_strings - b_strings);
	int err = write_file(argv[1], "vmlinux", base, base_size) ||
		  write_file(argv[1], "modfoo", split, split_size) ||
		  write_file(argv[1], "combined", joined, joined_size);
	free(split);
	free(base);
	free(joined);
	objfmt_btf__free(vmlinux);
	objfmt_btf__free(both);
	return err;
}
