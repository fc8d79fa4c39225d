/* btf_kernel_diff.c - differential test of the BTF validator against the running
 * kernel: random mutations (a field, a kind, a dropped member, an added type) of
 * clang's BTF or of a built all-kinds BTF are loaded with BPF_BTF_LOAD; our validator
 * must accept exactly what the kernel accepts.
 * Exits 77 when the kernel cannot be asked (no bpf(), not privileged). */
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ebpf/objfmt.h"

static char kernel_log[65536];

/* 1 accepted, 0 rejected, -1 cannot ask. */
static int kernel_accepts(const void *data, size_t size)
{
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.btf = (uint64_t)(uintptr_t)data;
	attr.btf_size = (uint32_t)size;
	kernel_log[0] = 0;
	long fd = syscall(__NR_bpf, BPF_BTF_LOAD, &attr, sizeof(attr));
	if (fd >= 0) {
		close((int)fd);
		return 1;
	}
	if (errno == EPERM || errno == ENOSYS || errno == EACCES)
		return -1;
	/* again with a log, for the message (a full log alone would fail the load) */
	attr.btf_log_buf = (uint64_t)(uintptr_t)kernel_log;
	attr.btf_log_size = sizeof(kernel_log);
	attr.btf_log_level = 1;
	syscall(__NR_bpf, BPF_BTF_LOAD, &attr, sizeof(attr));
	return 0;
}

static void *read_file(const char *path, size_t *size)
{
	FILE *file = fopen(path, "rb");
	if (!file)
		return NULL;
	static char buf[1 << 20];
	*size = fread(buf, 1, sizeof(buf), file);
	fclose(file);
	void *copy = malloc(*size);
	memcpy(copy, buf, *size);
	return copy;
}

/* What a loader does first: DATASEC sizes from their entries, extern VARs global. */
static void loader_fixups(struct objfmt_btf *btf)
{
	for (uint32_t id = 1; id <= objfmt_btf__type_count(btf); id++) {
		struct objfmt_btf_type *t = objfmt_btf__type_mut(btf, id);
		if (t->kind == OBJFMT_BTF_DATASEC)
			for (uint32_t i = 0; i < t->vlen; i++)
				if (t->members[i].offset + t->members[i].size > t->size)
					t->size = t->members[i].offset + t->members[i].size;
	}
}

static uint32_t rng_state = 12345;
static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return n ? (rng_state >> 8) % n : 0;
}

static uint32_t pick_value(uint32_t count, uint32_t current)
{
	static const uint32_t specials[] = { 0, 1, 2, 3, 4, 7, 8, 16, 31, 32, 33, 64, 65,
					     128, 129, 255, 0xffffff, 0x7fffffff, 0xffffffff };
	switch (rnd(4)) {
	case 0:
		return rnd(count + 3);
	case 1:
		return current + rnd(17) - 8;
	default:
		return specials[rnd(sizeof(specials) / sizeof(specials[0]))];
	}
}

static const char *pick_name(void)
{
	static const char *const names[] = { "", "x", "_a.b", "1bad", "a b", "\x01", "ok_2" };
	return names[rnd(sizeof(names) / sizeof(names[0]))];
}

/* Append a type of a random kind whose references point at random existing ids. */
static void add_random_type(struct objfmt_btf *btf)
{
	uint32_t count = objfmt_btf__type_count(btf);
	struct objfmt_btf_member members[3];
	struct objfmt_btf_type t = {
		.kind = 1 + rnd(OBJFMT_BTF_ENUM64), .name = pick_name(),
		.size = pick_value(count, 4), .type = pick_value(count, 1),
		.int_bits = rnd(3) ? 32 : rnd(130), .int_encoding = rnd(3) ? 0 : rnd(5),
		.array_elem = pick_value(count, 1), .array_index = pick_value(count, 1),
		.array_nelems = rnd(5), .linkage = rnd(3), .kind_flag = rnd(4) == 0,
		.component_idx = (int32_t)rnd(4) - 1, .members = members,
	};
	for (uint32_t i = 0; i < 3; i++)
		members[i] = (struct objfmt_btf_member){
			.name = pick_name(), .type = pick_value(count, 1), .bit_offset = 32 * i,
			.bitfield = rnd(4) ? 0 : rnd(40), .value = i, .offset = 4 * i, .size = 4,
		};
	switch (t.kind) {
	case OBJFMT_BTF_STRUCT: case OBJFMT_BTF_UNION: case OBJFMT_BTF_ENUM:
	case OBJFMT_BTF_ENUM64: case OBJFMT_BTF_FUNC_PROTO: case OBJFMT_BTF_DATASEC:
		t.vlen = rnd(4);
		break;
	default:
		break;
	}
	objfmt_btf__add(btf, &t);
}

/* Change one field of one type (or of one of its members), or its kind. */
static void mutate(struct objfmt_btf *btf)
{
	if (rnd(8) == 0) {
		add_random_type(btf);
		return;
	}
	uint32_t count = objfmt_btf__type_count(btf);
	struct objfmt_btf_type *t = objfmt_btf__type_mut(btf, 1 + rnd(count));
	struct objfmt_btf_member *m = t->vlen ? &t->members[rnd(t->vlen)] : NULL;

	switch (rnd(m ? 16 : 10)) {
	case 0: t->kind_flag = !t->kind_flag; break;
	case 1: t->size = pick_value(count, t->size); break;
	case 2: t->type = pick_value(count, t->type); break;
	case 3: t->int_bits = pick_value(count, t->int_bits) & 0xff;
		t->int_offset = rnd(4) ? t->int_offset : rnd(9); break;
	case 4: t->int_encoding = rnd(9); break;
	case 5: t->array_elem = pick_value(count, t->array_elem);
		t->array_index = rnd(2) ? t->array_index : pick_value(count, t->array_index); break;
	case 6: t->linkage = rnd(4); break;
	case 7: t->component_idx = (int32_t)rnd(5) - 2; break;
	case 8: t->name = pick_name(); break;
	case 9: t->kind = 1 + rnd(OBJFMT_BTF_ENUM64); break;
	case 10: m->type = pick_value(count, m->type); break;
	case 11: m->bit_offset = pick_value(count, m->bit_offset) & 0xffffff; break;
	case 12: m->bitfield = rnd(3) ? rnd(66) : 0; break;
	case 13: m->offset = pick_value(count, m->offset);
		m->size = rnd(2) ? m->size : pick_value(count, m->size); break;
	case 14: t->vlen--; break; /* drop the last member */
	default: m->name = pick_name(); break;
	}
}

/* Damage the encoded bytes: a header field, or one byte anywhere; or cut the end. */
static void mutate_bytes(uint8_t *bytes, size_t *len)
{
	static const uint32_t header_values[] = { 0, 1, 4, 24, 25, 28, 0x1000, 0xffffffff };
	switch (rnd(4)) {
	case 0: {
		uint32_t field = 4 + 4 * rnd(5), value = header_values[rnd(8)];
		if (rnd(2))
			value = bytes[field] + rnd(9) - 4;
		memcpy(bytes + field, &value, 4);
		break;
	}
	case 1:
		bytes[rnd(8)] ^= (uint8_t)(1u << rnd(8));
		break;
	case 2:
		*len -= rnd(9) < *len ? rnd(9) : 0;
		break;
	default:
		bytes[rnd((uint32_t)*len)] = (uint8_t)rnd(256);
		break;
	}
}

/* A small BTF with every kind the kernel loads (the "all-kinds" base). */
static void *build_all_kinds(size_t *size)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	objfmt_btf__add_int(btf, "int", 4, OBJFMT_BTF_INT_SIGNED);               /* 1 */
	struct objfmt_btf_type fwd = { .kind = OBJFMT_BTF_FWD, .name = "u", .kind_flag = 1 };
	objfmt_btf__add(btf, &fwd);                                              /* 2 */
	struct objfmt_btf_type tag = { .kind = OBJFMT_BTF_TYPE_TAG, .name = "user", .type = 1 };
	objfmt_btf__add(btf, &tag);                                              /* 3 */
	objfmt_btf__add_ptr(btf, 3);                                             /* 4 */
	struct objfmt_btf_member params[2] = { { .name = "a", .type = 4 },
					       { .name = "b", .type = 1 } };
	struct objfmt_btf_type proto = { .kind = OBJFMT_BTF_FUNC_PROTO, .type = 1, .vlen = 2,
					 .members = params };
	objfmt_btf__add(btf, &proto);                                            /* 5 */
	struct objfmt_btf_type func = { .kind = OBJFMT_BTF_FUNC, .name = "f", .type = 5,
					.linkage = OBJFMT_BTF_FUNC_GLOBAL };
	objfmt_btf__add(btf, &func);                                             /* 6 */
	struct objfmt_btf_member values[2] = { { .name = "NEG", .value = -1 },
					       { .name = "POS", .value = 7 } };
	struct objfmt_btf_type e = { .kind = OBJFMT_BTF_ENUM, .name = "e", .size = 4,
				     .kind_flag = 1, .vlen = 2, .members = values };
	objfmt_btf__add(btf, &e);                                                /* 7 */
	e.kind = OBJFMT_BTF_ENUM64;
	e.name = "e64";
	e.size = 8;
	objfmt_btf__add(btf, &e);                                                /* 8 */
	struct objfmt_btf_member fields[4] = {
		{ .name = "x", .type = 1 },
		{ .name = "bits", .type = 1, .bit_offset = 32, .bitfield = 5 },
		{ .name = "en", .type = 7, .bit_offset = 64 },
		{ .name = "p", .type = 4, .bit_offset = 128 },
	};
	struct objfmt_btf_type s = { .kind = OBJFMT_BTF_STRUCT, .name = "s", .size = 24,
				     .kind_flag = 1, .vlen = 4, .members = fields };
	objfmt_btf__add(btf, &s);                                                /* 9 */
	objfmt_btf__add_array(btf, 9, 1, 2);                                     /* 10 */
	objfmt_btf__add_var(btf, "v", 10, OBJFMT_BTF_VAR_GLOBAL);                /* 11 */
	struct objfmt_btf_member entry = { .type = 11, .offset = 0, .size = 48 };
	struct objfmt_btf_type sec = { .kind = OBJFMT_BTF_DATASEC, .name = ".bss", .size = 48,
				       .vlen = 1, .members = &entry };
	objfmt_btf__add(btf, &sec);                                              /* 12 */
	struct objfmt_btf_type decl = { .kind = OBJFMT_BTF_DECL_TAG, .name = "t", .type = 6 };
	objfmt_btf__add(btf, &decl);                                             /* 13 */
	decl.type = 9;
	decl.component_idx = 3;
	objfmt_btf__add(btf, &decl);                                             /* 14 */
	struct objfmt_btf_type flt = { .kind = OBJFMT_BTF_FLOAT, .name = "double", .size = 8 };
	objfmt_btf__add(btf, &flt);                                              /* 15 */
	objfmt_btf__add_typedef(btf, "s_t", 9);                                  /* 16 */
	struct objfmt_btf_type c = { .kind = OBJFMT_BTF_CONST, .type = 16 };
	objfmt_btf__add(btf, &c);                                                /* 17 */
	struct objfmt_btf_member alternatives[2] = { { .name = "d", .type = 15 },
						     { .name = "i", .type = 17 } };
	struct objfmt_btf_type u = { .kind = OBJFMT_BTF_UNION, .name = "un", .size = 24,
				     .vlen = 2, .members = alternatives };
	objfmt_btf__add(btf, &u);                                                /* 18 */
	void *bytes = NULL;
	if (objfmt_btf__encode(btf, &bytes, size))
		bytes = NULL;
	objfmt_btf__free(btf);
	return bytes;
}

int main(int argc, char **argv)
{
	int rounds = argc > 2 ? atoi(argv[2]) : 2000, agree = 0, total = 0, shown = 0;
	int accepted = 0;
	rng_state = argc > 3 ? (uint32_t)atoi(argv[3]) : 12345;
	int raw_bytes = argc > 4 && strcmp(argv[4], "bytes") == 0;
	size_t size;
	void *data = argc < 2 ? NULL
		     : strcmp(argv[1], "all-kinds") == 0 ? build_all_kinds(&size)
							 : read_file(argv[1], &size);
	if (!data) {
		fprintf(stderr, "usage: btf_kernel_diff FILE.btf|all-kinds [ROUNDS [SEED [bytes]]]\n");
		return 2;
	}
	for (int round = 0; round < rounds; round++) {
		struct objfmt_btf *btf = objfmt_btf__decode(data, size, NULL);
		loader_fixups(btf);
		if (round > 0)
			for (uint32_t n = 1 + rnd(2); n; n--)
				mutate(btf);
		void *bytes;
		size_t len;
		if (objfmt_btf__encode(btf, &bytes, &len)) {
			objfmt_btf__free(btf);
			continue;
		}
		objfmt_btf__free(btf);
		if (raw_bytes && round > 0)
			mutate_bytes(bytes, &len);
		/* judge what the kernel will see: the encoded bytes, decoded again */
		struct objfmt_diag diag = { 0 };
		struct objfmt_btf *seen = objfmt_btf__decode(bytes, len, &diag);
		int ours = seen && objfmt_btf__validate(seen, &diag) == 0;
		int theirs = kernel_accepts(bytes, len);
		if (getenv("BTF_DIFF_SAVE") && round == atoi(getenv("BTF_DIFF_ROUND"))) {
			FILE *out = fopen(getenv("BTF_DIFF_SAVE"), "wb");
			fwrite(bytes, 1, len, out);
			fclose(out);
		}
		objfmt_btf__free(seen);
		free(bytes);
		if (theirs < 0) {
			printf("SKIP: BPF_BTF_LOAD not permitted here\n");
			return 77;
		}
		total++;
		accepted += theirs;
		agree += ours == theirs;
		if (ours != theirs && shown++ < 20) {
			char *last = kernel_log;
			for (char *p = kernel_log; *p; p++)
				if (*p == '\n' && p[1])
					last = p + 1;
			printf("round %d: kernel %s, we %s: %s: %s\n  kernel log: %s", round,
			       theirs ? "accepts" : "rejects", ours ? "accept" : "reject", diag.where,
			       diag.message, last);
		}
	}
	printf("%s: %d/%d verdicts agree with the kernel (which accepted %d)\n", argv[1], agree,
	       total, accepted);
	free(data);
	return agree == total ? 0 : 1;
}
