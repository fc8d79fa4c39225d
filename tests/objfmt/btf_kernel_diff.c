/* btf_kernel_diff.c - differential test of the BTF validator against the running
 * kernel: random single-field mutations of clang's BTF (and of built BTF) are loaded
 * with BPF_BTF_LOAD; our validator must accept exactly what the kernel accepts.
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

/* Change one field of one type (or of one of its members), or its kind. */
static void mutate(struct objfmt_btf *btf)
{
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

int main(int argc, char **argv)
{
	int rounds = argc > 2 ? atoi(argv[2]) : 2000, agree = 0, total = 0, shown = 0, lax = 0;
	rng_state = argc > 3 ? (uint32_t)atoi(argv[3]) : 12345;
	size_t size;
	void *data = argc > 1 ? read_file(argv[1], &size) : NULL;
	if (!data) {
		fprintf(stderr, "usage: btf_kernel_diff FILE.btf [ROUNDS [SEED]]\n");
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
		agree += ours == theirs;
		/* the kernel resolves sizes in id order and lets some cycles through arrays
		 * pass; we reject those on purpose */
		if (!ours && theirs && strstr(diag.message, "self-referencing size")) {
			lax++;
			continue;
		}
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
	printf("%s: %d/%d verdicts agree with the kernel, %d self-referencing sizes it lets "
	       "through\n", argv[1], agree, total, lax);
	free(data);
	return agree + lax == total ? 0 : 1;
}
