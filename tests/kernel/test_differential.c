/* test_differential.c - the same bpf() command sequences through emu_bpf() and the
 * real kernel's bpf(2); return values, errno and map contents must agree (hash
 * iteration order compared unordered). Exits 77 (SKIP) without a usable bpf(2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <ftw.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "emu_test.h"

typedef int (*bpf_fn)(int cmd, union bpf_attr *attr, unsigned int size);

static int kernel_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	return (int)syscall(__NR_bpf, cmd, attr, size);
}

static bpf_fn backends[2] = { emu_bpf, kernel_bpf };
static unsigned long compared, disagreed;

struct outcome {
	int ok;  /* call returned >= 0 */
	int err; /* errno when it failed */
};

static struct outcome run(int side, int cmd, union bpf_attr *attr)
{
	int ret = backends[side](cmd, attr, sizeof(*attr));

	return (struct outcome){ ret >= 0, ret < 0 ? errno : 0 };
}

static void report(const char *what, struct outcome a, struct outcome b)
{
	compared++;
	if (a.ok == b.ok && a.err == b.err)
		return;
	disagreed++;
	if (disagreed < 40)
		fprintf(stderr, "DIFF %s: emu ok=%d errno=%d, kernel ok=%d errno=%d\n", what,
			a.ok, a.err, b.ok, b.err);
}

static int create(int side, const union bpf_attr *tmpl)
{
	union bpf_attr attr = *tmpl;

	return backends[side](BPF_MAP_CREATE, &attr, sizeof(attr));
}

/* ---- creation attributes ---- */

struct create_case {
	uint32_t type, key, value, max, flags;
	uint64_t extra;
};

static const struct create_case create_cases[] = {
	{ BPF_MAP_TYPE_HASH, 4, 4, 1, 0, 0 }, { BPF_MAP_TYPE_HASH, 0, 4, 1, 0, 0 },
	{ BPF_MAP_TYPE_HASH, 4, 0, 1, 0, 0 }, { BPF_MAP_TYPE_HASH, 4, 4, 0, 0, 0 },
	{ BPF_MAP_TYPE_HASH, 4, 4, 1, BPF_F_NO_PREALLOC, 0 },
	{ BPF_MAP_TYPE_HASH, 4, 4, 1, BPF_F_NO_COMMON_LRU, 0 },
	{ BPF_MAP_TYPE_HASH, 4, 4, 1, BPF_F_MMAPABLE, 0 },
	{ BPF_MAP_TYPE_HASH, 4, 4, 1, BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG, 0 },
	{ BPF_MAP_TYPE_HASH, 4, 4, 1, BPF_F_RDONLY | BPF_F_WRONLY, 0 },
	{ BPF_MAP_TYPE_HASH, 4, 4, 1, 0, 1 }, { BPF_MAP_TYPE_HASH, 4, 4, 1, 1u << 20, 0 },
	{ BPF_MAP_TYPE_HASH, 512, 4, 1, 0, 0 }, { BPF_MAP_TYPE_HASH, 600, 4, 1, 0, 0 },
	{ BPF_MAP_TYPE_HASH, 4, 4u << 20, 1, 0, 0 },
	{ BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0, 0 }, { BPF_MAP_TYPE_ARRAY, 8, 4, 1, 0, 0 },
	{ BPF_MAP_TYPE_ARRAY, 4, 0, 1, 0, 0 }, { BPF_MAP_TYPE_ARRAY, 4, 4, 0, 0, 0 },
	{ BPF_MAP_TYPE_ARRAY, 4, 4, 1, BPF_F_NO_PREALLOC, 0 },
	{ BPF_MAP_TYPE_ARRAY, 4, 4, 1, BPF_F_MMAPABLE, 0 },
	{ BPF_MAP_TYPE_ARRAY, 4, 4, 1, BPF_F_PRESERVE_ELEMS, 0 },
	{ BPF_MAP_TYPE_ARRAY, 4, 4, 1, BPF_F_INNER_MAP, 0 },
	{ BPF_MAP_TYPE_ARRAY, 4, 4, 1, BPF_F_RDONLY_PROG, 0 },
	{ BPF_MAP_TYPE_PERCPU_ARRAY, 4, 4, 1, BPF_F_MMAPABLE, 0 },
	{ BPF_MAP_TYPE_PERCPU_ARRAY, 4, 32768, 1, 0, 0 },
	{ BPF_MAP_TYPE_PERCPU_ARRAY, 4, 32769, 1, 0, 0 },
	{ BPF_MAP_TYPE_PERCPU_HASH, 4, 32769, 1, 0, 0 },
	{ BPF_MAP_TYPE_PERCPU_HASH, 4, 8, 4, BPF_F_NO_PREALLOC, 0 },
	{ BPF_MAP_TYPE_LRU_HASH, 4, 4, 4, BPF_F_NO_PREALLOC, 0 },
	{ BPF_MAP_TYPE_LRU_HASH, 4, 4, 4, BPF_F_NO_COMMON_LRU, 0 },
	{ BPF_MAP_TYPE_LRU_PERCPU_HASH, 4, 4, 4, 0, 0 },
	{ BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0, 0 }, { BPF_MAP_TYPE_PROG_ARRAY, 4, 8, 4, 0, 0 },
	{ BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, BPF_F_RDONLY_PROG, 0 },
	{ BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 4, BPF_F_PRESERVE_ELEMS, 0 },
	{ BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 8, 4, 0, 0 },
	{ BPF_MAP_TYPE_LPM_TRIE, 8, 4, 4, 0, 0 },
	{ BPF_MAP_TYPE_LPM_TRIE, 8, 4, 4, BPF_F_NO_PREALLOC, 0 },
	{ BPF_MAP_TYPE_LPM_TRIE, 4, 4, 4, BPF_F_NO_PREALLOC, 0 },
	{ BPF_MAP_TYPE_LPM_TRIE, 260, 4, 4, BPF_F_NO_PREALLOC, 0 },
	{ BPF_MAP_TYPE_LPM_TRIE, 261, 4, 4, BPF_F_NO_PREALLOC, 0 },
	{ BPF_MAP_TYPE_LPM_TRIE, 8, 0, 4, BPF_F_NO_PREALLOC, 0 },
	{ BPF_MAP_TYPE_QUEUE, 0, 4, 4, 0, 0 }, { BPF_MAP_TYPE_QUEUE, 4, 4, 4, 0, 0 },
	{ BPF_MAP_TYPE_STACK, 0, 0, 4, 0, 0 }, { BPF_MAP_TYPE_STACK, 0, 4, 0, 0, 0 },
	{ BPF_MAP_TYPE_QUEUE, 0, 4, 4, BPF_F_NO_PREALLOC, 0 },
	{ BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0, 0 }, { BPF_MAP_TYPE_RINGBUF, 0, 0, 4095, 0, 0 },
	{ BPF_MAP_TYPE_RINGBUF, 0, 0, 8192 * 2, 0, 0 }, { BPF_MAP_TYPE_RINGBUF, 4, 0, 4096, 0, 0 },
	{ BPF_MAP_TYPE_RINGBUF, 0, 0, 2048, 0, 0 },
	{ BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, BPF_F_RDONLY, 0 },
	{ BPF_MAP_TYPE_BLOOM_FILTER, 0, 4, 16, 0, 0 }, { BPF_MAP_TYPE_BLOOM_FILTER, 0, 4, 16, 0, 3 },
	{ BPF_MAP_TYPE_BLOOM_FILTER, 0, 4, 16, 0, 16 }, { BPF_MAP_TYPE_BLOOM_FILTER, 4, 4, 16, 0, 0 },
	{ BPF_MAP_TYPE_ARRAY_OF_MAPS, 4, 4, 4, 0, 0 }, { 0, 4, 4, 4, 0, 0 }, { 200, 4, 4, 4, 0, 0 },
};

static void diff_create_cases(void)
{
	char what[96];

	for (size_t i = 0; i < sizeof(create_cases) / sizeof(create_cases[0]); i++) {
		const struct create_case *c = &create_cases[i];
		union bpf_attr attr;
		struct outcome o[2];

		memset(&attr, 0, sizeof(attr));
		attr.map_type = c->type;
		attr.key_size = c->key;
		attr.value_size = c->value;
		attr.max_entries = c->max;
		attr.map_flags = c->flags;
		attr.map_extra = c->extra;
		for (int side = 0; side < 2; side++) {
			int fd = create(side, &attr);

			o[side] = (struct outcome){ fd >= 0, fd < 0 ? errno : 0 };
			if (fd >= 0)
				close(fd);
		}
		snprintf(what, sizeof(what), "create #%zu type %u k%u v%u max%u flags %#x", i,
			 c->type, c->key, c->value, c->max, c->flags);
		report(what, o[0], o[1]);
	}
}

/* ---- random element operations ---- */

struct map_shape {
	uint32_t type, key, value, max, flags;
	uint32_t key_domain; /* keys drawn from [0, key_domain) */
	bool ordered;        /* get_next_key order is deterministic */
};

static unsigned rng_state = 12345;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return (rng_state >> 8) % n;
}

static void make_key(const struct map_shape *s, unsigned char *key, unsigned k)
{
	memset(key, 0, s->key);
	if (s->type == BPF_MAP_TYPE_LPM_TRIE) {
		uint32_t plen = rnd((s->key - 4) * 8 + 2);

		memcpy(key, &plen, 4);
		key[4] = (unsigned char)(k * 37);
		if (s->key > 5)
			key[5] = (unsigned char)(k * 11);
		return;
	}
	memcpy(key, &k, s->key < 4 ? s->key : 4);
}

static void one_op(const struct map_shape *s, const int fd[2], unsigned step)
{
	unsigned char key[64], value[2][8192], next[2][64];
	unsigned op = rnd(6), k = rnd(s->key_domain);
	uint64_t flags = rnd(8) == 0 ? rnd(5) : rnd(3);
	struct outcome o[2];
	char what[96];
	static const char *const names[] = { "update", "lookup", "delete", "next_key",
					     "lookup_and_delete", "next_key(NULL)" };

	make_key(s, key, k);
	if (flags == 3)
		flags = BPF_F_LOCK;
	for (int side = 0; side < 2; side++) {
		union bpf_attr attr;
		static const int cmds[] = { BPF_MAP_UPDATE_ELEM, BPF_MAP_LOOKUP_ELEM,
					    BPF_MAP_DELETE_ELEM, BPF_MAP_GET_NEXT_KEY,
					    BPF_MAP_LOOKUP_AND_DELETE_ELEM, BPF_MAP_GET_NEXT_KEY };

		memset(&attr, 0, sizeof(attr));
		memset(value[side], (int)(k + 1), sizeof(value[side]));
		memset(next[side], 0, sizeof(next[side]));
		attr.map_fd = (uint32_t)fd[side];
		attr.key = s->key && op != 5 ? (uint64_t)(uintptr_t)key : 0;
		attr.value = (uint64_t)(uintptr_t)value[side];
		if (op == 3 || op == 5)
			attr.next_key = (uint64_t)(uintptr_t)next[side];
		if (op == 0)
			attr.flags = flags;
		o[side] = run(side, cmds[op], &attr);
	}
	snprintf(what, sizeof(what), "type %u step %u %s key %u flags %llu", s->type, step,
		 names[op], k, (unsigned long long)(op == 0 ? flags : 0));
	if (op != 3 || s->ordered)
		report(what, o[0], o[1]);
	if (o[0].ok && o[1].ok && (op == 1 || op == 4) && memcmp(value[0], value[1], sizeof(value[0])))
		report("value bytes", (struct outcome){ 0, 1 }, (struct outcome){ 0, 2 });
	if (op == 3 && !s->ordered)
		return; /* which key follows depends on the hash order */
	if (o[0].ok && o[1].ok && (op == 3 || op == 5) && s->ordered &&
	    memcmp(next[0], next[1], s->key))
		report("next key bytes", (struct outcome){ 0, 1 }, (struct outcome){ 0, 2 });
}

static int cmp_bytes(const void *a, const void *b)
{
	return memcmp(a, b, 64 + 64);
}

/* Every key with its value, sorted: equal contents regardless of iteration order. */
static size_t dump_map(const struct map_shape *s, int side, int fd, unsigned char *out)
{
	unsigned char key[64] = { 0 }, next[64];
	union bpf_attr attr;
	size_t n = 0;
	bool first = true;

	for (;;) {
		memset(&attr, 0, sizeof(attr));
		attr.map_fd = (uint32_t)fd;
		attr.key = first ? 0 : (uint64_t)(uintptr_t)key;
		attr.next_key = (uint64_t)(uintptr_t)next;
		if (backends[side](BPF_MAP_GET_NEXT_KEY, &attr, sizeof(attr)) < 0 || n >= 512)
			break;
		first = false;
		memcpy(key, next, s->key);
		memset(out + n * 128, 0, 128);
		memcpy(out + n * 128, key, s->key);
		attr.key = (uint64_t)(uintptr_t)key;
		attr.value = (uint64_t)(uintptr_t)(out + n * 128 + 64);
		attr.next_key = 0;
		if (s->value <= 64 && backends[side](BPF_MAP_LOOKUP_ELEM, &attr, sizeof(attr)) == 0)
			n++;
	}
	qsort(out, n, 128, cmp_bytes);
	return n;
}

static void diff_shape(const struct map_shape *s, unsigned steps)
{
	static unsigned char dump[2][512 * 128];
	union bpf_attr attr;
	int fd[2];
	size_t n[2];

	memset(&attr, 0, sizeof(attr));
	attr.map_type = s->type;
	attr.key_size = s->key;
	attr.value_size = s->value;
	attr.max_entries = s->max;
	attr.map_flags = s->flags;
	fd[0] = create(0, &attr);
	fd[1] = create(1, &attr);
	ck_assert_msg(fd[0] >= 0 && fd[1] >= 0, "create type %u: %d %d", s->type, fd[0], fd[1]);
	for (unsigned i = 0; i < steps; i++)
		one_op(s, fd, i);
	if (s->key && s->type != BPF_MAP_TYPE_PERCPU_HASH && s->type != BPF_MAP_TYPE_PERCPU_ARRAY) {
		n[0] = dump_map(s, 0, fd[0], dump[0]);
		n[1] = dump_map(s, 1, fd[1], dump[1]);
		report("content count", (struct outcome){ (int)n[0], 0 },
		       (struct outcome){ (int)n[1], 0 });
		if (n[0] == n[1] && memcmp(dump[0], dump[1], n[0] * 128))
			report("content bytes", (struct outcome){ 0, 1 }, (struct outcome){ 0, 2 });
	}
	close(fd[0]);
	close(fd[1]);
}

static const struct map_shape shapes[] = {
	{ BPF_MAP_TYPE_HASH, 4, 8, 16, 0, 24, false },
	{ BPF_MAP_TYPE_HASH, 6, 3, 8, BPF_F_NO_PREALLOC, 12, false },
	{ BPF_MAP_TYPE_ARRAY, 4, 12, 10, 0, 14, true },
	{ BPF_MAP_TYPE_PERCPU_ARRAY, 4, 4, 6, 0, 8, true },
	{ BPF_MAP_TYPE_PERCPU_HASH, 4, 12, 8, 0, 10, false },
	{ BPF_MAP_TYPE_LRU_HASH, 4, 8, 64, 0, 24, false },
	{ BPF_MAP_TYPE_LPM_TRIE, 6, 8, 16, BPF_F_NO_PREALLOC, 24, true },
	{ BPF_MAP_TYPE_LPM_TRIE, 5, 4, 6, BPF_F_NO_PREALLOC, 24, true },
	{ BPF_MAP_TYPE_QUEUE, 0, 8, 4, 0, 8, true },
	{ BPF_MAP_TYPE_STACK, 0, 8, 4, 0, 8, true },
	/* with a zero seed the kernel's buckets are known: the order must match too */
	{ BPF_MAP_TYPE_HASH, 4, 8, 16, BPF_F_ZERO_SEED, 40, true },
	{ BPF_MAP_TYPE_HASH, 6, 3, 8, BPF_F_ZERO_SEED | BPF_F_NO_PREALLOC, 12, true },
	{ BPF_MAP_TYPE_HASH, 12, 4, 64, BPF_F_ZERO_SEED, 100, true },
	{ BPF_MAP_TYPE_PERCPU_HASH, 4, 12, 8, BPF_F_ZERO_SEED, 10, true },
	{ BPF_MAP_TYPE_LRU_HASH, 4, 8, 64, BPF_F_ZERO_SEED, 24, true },
};

/* ---- batches over an array (deterministic cursor) and a hash (unordered) ---- */

static void diff_array_batches(void)
{
	const struct map_shape s = { BPF_MAP_TYPE_ARRAY, 4, 4, 7, 0, 7, true };
	uint32_t keys[2][8], values[2][8], in[2], out[2], k;
	int fd[2];
	union bpf_attr attr;
	struct outcome o[2];

	memset(&attr, 0, sizeof(attr));
	attr.map_type = s.type;
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = 7;
	for (int side = 0; side < 2; side++) {
		fd[side] = create(side, &attr);
		for (k = 0; k < 7; k++) {
			uint32_t v = k * 10;
			union bpf_attr u;

			memset(&u, 0, sizeof(u));
			u.map_fd = (uint32_t)fd[side];
			u.key = (uint64_t)(uintptr_t)&k;
			u.value = (uint64_t)(uintptr_t)&v;
			backends[side](BPF_MAP_UPDATE_ELEM, &u, sizeof(u));
		}
	}
	for (int round = 0; round < 6; round++) {
		uint32_t counts[2];

		for (int side = 0; side < 2; side++) {
			memset(&attr, 0, sizeof(attr));
			attr.batch.map_fd = (uint32_t)fd[side];
			attr.batch.in_batch = round ? (uint64_t)(uintptr_t)&in[side] : 0;
			attr.batch.out_batch = (uint64_t)(uintptr_t)&out[side];
			attr.batch.keys = (uint64_t)(uintptr_t)keys[side];
			attr.batch.values = (uint64_t)(uintptr_t)values[side];
			attr.batch.count = 3;
			o[side] = run(side, BPF_MAP_LOOKUP_BATCH, &attr);
			counts[side] = attr.batch.count;
			in[side] = out[side];
		}
		report("array lookup batch", o[0], o[1]);
		report("array batch count", (struct outcome){ (int)counts[0], 0 },
		       (struct outcome){ (int)counts[1], 0 });
		if (counts[0] == counts[1] && counts[0] &&
		    (memcmp(keys[0], keys[1], counts[0] * 4) ||
		     memcmp(values[0], values[1], counts[0] * 4) || out[0] != out[1]))
			report("array batch bytes", (struct outcome){ 0, 1 }, (struct outcome){ 0, 2 });
	}
	for (int side = 0; side < 2; side++) {
		memset(&attr, 0, sizeof(attr));
		attr.batch.map_fd = (uint32_t)fd[side];
		attr.batch.keys = (uint64_t)(uintptr_t)keys[side];
		attr.batch.count = 2;
		o[side] = run(side, BPF_MAP_DELETE_BATCH, &attr);
	}
	report("array delete batch", o[0], o[1]);
	for (int side = 0; side < 2; side++) {
		memset(&attr, 0, sizeof(attr));
		attr.batch.map_fd = (uint32_t)fd[side];
		attr.batch.keys = (uint64_t)(uintptr_t)keys[side];
		attr.batch.values = (uint64_t)(uintptr_t)values[side];
		attr.batch.elem_flags = BPF_NOEXIST;
		attr.batch.count = 2;
		o[side] = run(side, BPF_MAP_UPDATE_BATCH, &attr);
	}
	report("array update batch NOEXIST", o[0], o[1]);
	close(fd[0]);
	close(fd[1]);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Hash batches: drain with small counts; the union of what came back and the final
 * ENOENT must agree (bucket order differs). */
static void diff_hash_batches(bool do_delete, uint32_t map_flags)
{
	uint32_t got[2][64], ngot[2] = { 0, 0 }, trace[2][256], ntrace[2] = { 0, 0 };
	int fd[2], last_err[2];
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_HASH;
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = 64;
	attr.map_flags = map_flags;
	for (int side = 0; side < 2; side++) {
		uint32_t keys[64], values[64], in = 0, out = 0, count = 0;
		int ret = 0;

		fd[side] = create(side, &attr);
		for (uint32_t k = 0; k < 40; k++) {
			union bpf_attr u;
			uint32_t v = k + 100;

			memset(&u, 0, sizeof(u));
			u.map_fd = (uint32_t)fd[side];
			u.key = (uint64_t)(uintptr_t)&k;
			u.value = (uint64_t)(uintptr_t)&v;
			backends[side](BPF_MAP_UPDATE_ELEM, &u, sizeof(u));
		}
		for (int round = 0; round < 200 && ret == 0; round++) {
			union bpf_attr b;

			memset(&b, 0, sizeof(b));
			b.batch.map_fd = (uint32_t)fd[side];
			b.batch.in_batch = round ? (uint64_t)(uintptr_t)&in : 0;
			b.batch.out_batch = (uint64_t)(uintptr_t)&out;
			b.batch.keys = (uint64_t)(uintptr_t)keys;
			b.batch.values = (uint64_t)(uintptr_t)values;
			b.batch.count = 8 + (uint32_t)round % 5;
			ret = backends[side](do_delete ? BPF_MAP_LOOKUP_AND_DELETE_BATCH
						       : BPF_MAP_LOOKUP_BATCH, &b, sizeof(b));
			count = b.batch.count;
			if (map_flags & BPF_F_ZERO_SEED) /* same buckets: same batches */
				trace[side][ntrace[side] < 256 ? ntrace[side]++ : 255] =
					(uint32_t)(ret < 0 ? errno : 0) << 24 | count << 8 | out;
			for (uint32_t i = 0; i < count && ngot[side] < 64; i++)
				if (values[i] == keys[i] + 100)
					got[side][ngot[side]++] = keys[i];
			in = out;
		}
		last_err[side] = ret < 0 ? errno : 0;
		close(fd[side]);
	}
	report("hash batch final errno", (struct outcome){ 0, last_err[0] },
	       (struct outcome){ 0, last_err[1] });
	report("hash batch total", (struct outcome){ (int)ngot[0], 0 },
	       (struct outcome){ (int)ngot[1], 0 });
	qsort(got[0], ngot[0], sizeof(uint32_t), cmp_u32);
	qsort(got[1], ngot[1], sizeof(uint32_t), cmp_u32);
	if (ngot[0] == ngot[1] && memcmp(got[0], got[1], ngot[0] * sizeof(uint32_t)))
		report("hash batch keys", (struct outcome){ 0, 1 }, (struct outcome){ 0, 2 });
	if (ntrace[0] != ntrace[1] || memcmp(trace[0], trace[1], ntrace[0] * sizeof(uint32_t)))
		report("zero-seed hash batch sequence", (struct outcome){ 0, 1 },
		       (struct outcome){ 0, 2 });
}

/* ---- freeze, read-only fds, fd errors ---- */

static void diff_misc(void)
{
	union bpf_attr attr;
	struct outcome o[2];
	uint32_t key = 1, value = 2;

	static const char *const steps[] = { "freeze", "freeze again", "update after freeze",
					     "lookup after freeze", "next key after freeze" };
	static const int cmds[] = { BPF_MAP_FREEZE, BPF_MAP_FREEZE, BPF_MAP_UPDATE_ELEM,
				    BPF_MAP_LOOKUP_ELEM, BPF_MAP_GET_NEXT_KEY };

	for (int variant = 0; variant < 3; variant++) {
		struct outcome seen[2][5];
		char what[64];

		for (int side = 0; side < 2; side++) {
			int fd;

			memset(&attr, 0, sizeof(attr));
			attr.map_type = BPF_MAP_TYPE_HASH;
			attr.key_size = 4;
			attr.value_size = 4;
			attr.max_entries = 4;
			attr.map_flags = variant == 1 ? BPF_F_RDONLY : variant == 2 ? BPF_F_WRONLY : 0;
			fd = create(side, &attr);
			for (int step = 0; step < 5; step++) {
				memset(&attr, 0, sizeof(attr));
				attr.map_fd = (uint32_t)fd;
				if (step >= 2) {
					attr.key = (uint64_t)(uintptr_t)&key;
					attr.value = (uint64_t)(uintptr_t)&value;
				}
				if (step == 4) {
					attr.value = 0;
					attr.next_key = (uint64_t)(uintptr_t)&value;
				}
				seen[side][step] = run(side, cmds[step], &attr);
			}
			close(fd);
		}
		for (int step = 0; step < 5; step++) {
			snprintf(what, sizeof(what), "%s (variant %d)", steps[step], variant);
			report(what, seen[0][step], seen[1][step]);
		}
	}
	for (int cmd = 0; cmd < 40; cmd++) {
		if (cmd == BPF_PROG_LOAD || cmd == BPF_BTF_LOAD || cmd == BPF_MAP_CREATE ||
		    cmd == BPF_OBJ_PIN || cmd == BPF_OBJ_GET || cmd >= BPF_LINK_CREATE ||
		    cmd == BPF_PROG_ATTACH || cmd == BPF_PROG_DETACH || cmd == BPF_PROG_QUERY ||
		    cmd == BPF_RAW_TRACEPOINT_OPEN || cmd == BPF_TASK_FD_QUERY ||
		    (cmd >= BPF_PROG_GET_NEXT_ID && cmd <= BPF_MAP_GET_FD_BY_ID) ||
		    cmd == BPF_BTF_GET_FD_BY_ID || cmd == BPF_BTF_GET_NEXT_ID)
			continue;
		for (int side = 0; side < 2; side++) {
			memset(&attr, 0, sizeof(attr));
			attr.map_fd = 999;
			o[side] = run(side, cmd, &attr);
		}
		report("command on a closed fd", o[0], o[1]);
	}
}


/* ---- map-in-map, prog arrays, per-type commands, info and ids ---- */

static int map_new(int side, uint32_t type, uint32_t key, uint32_t value, uint32_t max,
		   uint32_t flags, int inner)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = type;
	attr.key_size = key;
	attr.value_size = value;
	attr.max_entries = max;
	attr.map_flags = flags;
	attr.inner_map_fd = (uint32_t)(inner < 0 ? 0 : inner);
	return create(side, &attr);
}

static struct outcome elem_op(int side, int cmd, int fd, const void *key, void *value,
			      uint64_t flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)fd;
	attr.key = (uint64_t)(uintptr_t)key;
	if (cmd == BPF_MAP_GET_NEXT_KEY)
		attr.next_key = (uint64_t)(uintptr_t)value;
	else
		attr.value = (uint64_t)(uintptr_t)value;
	attr.flags = flags;
	return run(side, cmd, &attr);
}

static uint32_t map_id(int side, int fd)
{
	struct bpf_map_info info;
	union bpf_attr attr;

	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (uint32_t)fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = (uint64_t)(uintptr_t)&info;
	backends[side](BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr));
	return info.id;
}

/* Lookup a slot of an fd map; agreeing means the same errno and, on success, the id of
 * the object that backend stored. */
static void compare_fd_slot(const char *what, const int outer[2], uint32_t key,
			    const uint32_t expect_id[2])
{
	uint32_t got[2] = { 0, 0 };
	struct outcome o[2];

	for (int side = 0; side < 2; side++)
		o[side] = elem_op(side, BPF_MAP_LOOKUP_ELEM, outer[side], &key, &got[side], 0);
	report(what, o[0], o[1]);
	if (o[0].ok && o[1].ok && (got[0] == expect_id[0]) != (got[1] == expect_id[1]))
		report("slot id", (struct outcome){ 0, 1 }, (struct outcome){ 0, 2 });
}

static void diff_map_in_map(uint32_t outer_type)
{
	int inner[2], other[2], outer[2], bad[2];
	uint32_t ids[2], key = 1, missing = 9;
	struct outcome o[2];
	char what[80];

	for (int side = 0; side < 2; side++) {
		inner[side] = map_new(side, BPF_MAP_TYPE_ARRAY, 4, 4, 4, 0, -1);
		other[side] = map_new(side, BPF_MAP_TYPE_ARRAY, 4, 4, 8, 0, -1);
		bad[side] = map_new(side, BPF_MAP_TYPE_HASH, 4, 4, 4, 0, -1);
		outer[side] = map_new(side, outer_type, 4, 4, 4, 0, inner[side]);
		ids[side] = map_id(side, inner[side]);
	}
	ck_assert(outer[0] >= 0 && outer[1] >= 0);
	static const uint64_t flag_list[] = { BPF_ANY, BPF_NOEXIST, BPF_EXIST, BPF_F_LOCK, 7 };
	for (size_t f = 0; f < sizeof(flag_list) / sizeof(flag_list[0]); f++) {
		for (int side = 0; side < 2; side++)
			o[side] = elem_op(side, BPF_MAP_UPDATE_ELEM, outer[side], &key, &inner[side],
					  flag_list[f]);
		snprintf(what, sizeof(what), "type %u update inner flags %llu", outer_type,
			 (unsigned long long)flag_list[f]);
		report(what, o[0], o[1]);
	}
	for (int side = 0; side < 2; side++)
		o[side] = elem_op(side, BPF_MAP_UPDATE_ELEM, outer[side], &key, &other[side], 0);
	report("update with other max_entries", o[0], o[1]);
	for (int side = 0; side < 2; side++)
		o[side] = elem_op(side, BPF_MAP_UPDATE_ELEM, outer[side], &key, &bad[side], 0);
	report("update with other type", o[0], o[1]);
	for (int side = 0; side < 2; side++)
		o[side] = elem_op(side, BPF_MAP_UPDATE_ELEM, outer[side], &key, &(int){ 0 }, 0);
	report("update with non-map fd", o[0], o[1]);
	for (int side = 0; side < 2; side++)
		o[side] = elem_op(side, BPF_MAP_UPDATE_ELEM, outer[side], &missing, &inner[side], 0);
	report("update out of range", o[0], o[1]);
	compare_fd_slot("lookup inner", outer, key, ids);
	for (int side = 0; side < 2; side++) {
		close(inner[side]); /* the outer map keeps it */
		inner[side] = -1;
	}
	compare_fd_slot("lookup inner after close", outer, key, ids);
	for (int side = 0; side < 2; side++) {
		uint32_t next;

		o[side] = elem_op(side, BPF_MAP_GET_NEXT_KEY, outer[side], NULL, &next, 0);
	}
	report("outer next key", o[0], o[1]);
	for (int side = 0; side < 2; side++)
		o[side] = elem_op(side, BPF_MAP_LOOKUP_AND_DELETE_ELEM, outer[side], &key,
				  &(uint32_t){ 0 }, 0);
	report("outer lookup and delete", o[0], o[1]);
	for (int side = 0; side < 2; side++)
		o[side] = elem_op(side, BPF_MAP_DELETE_ELEM, outer[side], &key, NULL, 0);
	report("outer delete", o[0], o[1]);
	for (int side = 0; side < 2; side++)
		o[side] = elem_op(side, BPF_MAP_DELETE_ELEM, outer[side], &key, NULL, 0);
	report("outer delete again", o[0], o[1]);
	for (int side = 0; side < 2; side++) {
		union bpf_attr attr;
		uint32_t keys[4], values[4], out;

		memset(&attr, 0, sizeof(attr));
		attr.batch.map_fd = (uint32_t)outer[side];
		attr.batch.out_batch = (uint64_t)(uintptr_t)&out;
		attr.batch.keys = (uint64_t)(uintptr_t)keys;
		attr.batch.values = (uint64_t)(uintptr_t)values;
		attr.batch.count = 4;
		o[side] = run(side, BPF_MAP_LOOKUP_BATCH, &attr);
	}
	report("outer lookup batch", o[0], o[1]);
	for (int side = 0; side < 2; side++) {
		o[side] = (struct outcome){ map_new(side, outer_type, 4, 4, 4, 0, outer[side]) >= 0, 0 };
		o[side].err = o[side].ok ? 0 : errno;
		close(outer[side]);
		close(other[side]);
		close(bad[side]);
	}
	report("map-in-map as template", o[0], o[1]);
}

static int load_prog(int side, uint32_t type, int map_fd)
{
	struct bpf_insn insns[4] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_EXIT | BPF_JMP },
	};
	union bpf_attr attr;
	uint32_t cnt = 2;

	if (map_fd >= 0) { /* r1 = map ll; r0 = 0; exit: the program holds the map */
		insns[0] = (struct bpf_insn){ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = 1,
					      .src_reg = BPF_PSEUDO_MAP_FD, .imm = map_fd };
		insns[1] = (struct bpf_insn){ 0 };
		insns[2] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K };
		insns[3] = (struct bpf_insn){ .code = BPF_EXIT | BPF_JMP };
		cnt = 4;
	}
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = type;
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = cnt;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	return backends[side](BPF_PROG_LOAD, &attr, sizeof(attr));
}

static void prog_tag(int side, int fd, uint8_t tag[BPF_TAG_SIZE])
{
	struct bpf_prog_info info;
	union bpf_attr attr;

	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (uint32_t)fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = (uint64_t)(uintptr_t)&info;
	backends[side](BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr));
	memcpy(tag, info.tag, BPF_TAG_SIZE);
}

static uint32_t prog_id(int side, int fd)
{
	struct bpf_prog_info info;
	union bpf_attr attr;

	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (uint32_t)fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = (uint64_t)(uintptr_t)&info;
	backends[side](BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr));
	return info.id;
}

/* PROG_ARRAY: fd updates, ids on lookup, owner type, and the kernel's surprise: when
 * the last user reference (fd) goes, the entries are cleared even though a program
 * still holds the map. */
static void diff_prog_array(void)
{
	int pa[2], prog[2], xdp[2], user[2], again[2];
	uint32_t ids[2], key = 0, pa_id[2];
	struct outcome o[2];

	for (int side = 0; side < 2; side++) {
		prog[side] = load_prog(side, BPF_PROG_TYPE_SOCKET_FILTER, -1);
		xdp[side] = load_prog(side, BPF_PROG_TYPE_XDP, -1);
		pa[side] = map_new(side, BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0, -1);
		ids[side] = prog_id(side, prog[side]);
		pa_id[side] = map_id(side, pa[side]);
	}
	report("load socket filter", (struct outcome){ prog[0] >= 0, 0 },
	       (struct outcome){ prog[1] >= 0, 0 });
	if (prog[0] < 0 || prog[1] < 0)
		return;
	for (int side = 0; side < 2; side++)
		o[side] = elem_op(side, BPF_MAP_UPDATE_ELEM, pa[side], &key, &prog[side], BPF_NOEXIST);
	report("prog array NOEXIST", o[0], o[1]);
	for (int side = 0; side < 2; side++)
		o[side] = elem_op(side, BPF_MAP_UPDATE_ELEM, pa[side], &key, &prog[side], 0);
	report("prog array update", o[0], o[1]);
	for (int side = 0; side < 2; side++)
		o[side] = elem_op(side, BPF_MAP_UPDATE_ELEM, pa[side], &(uint32_t){ 1 }, &xdp[side], 0);
	report("prog array other prog type", o[0], o[1]);
	for (int side = 0; side < 2; side++)
		o[side] = elem_op(side, BPF_MAP_UPDATE_ELEM, pa[side], &(uint32_t){ 1 }, &pa[side], 0);
	report("prog array map fd as prog", o[0], o[1]);
	for (int side = 0; side < 2; side++)
		o[side] = elem_op(side, BPF_MAP_UPDATE_ELEM, pa[side], &(uint32_t){ 4 }, &prog[side], 0);
	report("prog array out of range", o[0], o[1]);
	compare_fd_slot("prog array lookup", pa, key, ids);
	for (int side = 0; side < 2; side++)
		o[side] = elem_op(side, BPF_MAP_DELETE_ELEM, pa[side], &(uint32_t){ 2 }, NULL, 0);
	report("prog array delete empty", o[0], o[1]);
	for (int side = 0; side < 2; side++)
		o[side] = elem_op(side, BPF_MAP_DELETE_ELEM, pa[side], &(uint32_t){ 9 }, NULL, 0);
	report("prog array delete out of range", o[0], o[1]);
	for (int side = 0; side < 2; side++) {
		user[side] = load_prog(side, BPF_PROG_TYPE_SOCKET_FILTER, pa[side]);
		close(pa[side]);
		usleep(200000); /* the kernel clears the entries from a work queue */
		again[side] = -1;
		if (user[side] >= 0) {
			union bpf_attr attr;

			memset(&attr, 0, sizeof(attr));
			attr.map_id = pa_id[side];
			again[side] = backends[side](BPF_MAP_GET_FD_BY_ID, &attr, sizeof(attr));
		}
	}
	report("program holding the prog array", (struct outcome){ user[0] >= 0, 0 },
	       (struct outcome){ user[1] >= 0, 0 });
	if (user[0] >= 0 && user[1] >= 0) { /* tags ignore map fd numbers */
		uint8_t tags[4][BPF_TAG_SIZE];

		prog_tag(0, user[0], tags[0]);
		prog_tag(1, user[1], tags[1]);
		prog_tag(0, prog[0], tags[2]);
		prog_tag(1, prog[1], tags[3]);
		if (memcmp(tags[0], tags[1], BPF_TAG_SIZE) || memcmp(tags[2], tags[3], BPF_TAG_SIZE))
			report("program tags", (struct outcome){ 0, 1 }, (struct outcome){ 0, 2 });
		report("program tag compared", (struct outcome){ 1, 0 }, (struct outcome){ 1, 0 });
	}
	report("prog array reachable by id", (struct outcome){ again[0] >= 0, 0 },
	       (struct outcome){ again[1] >= 0, 0 });
	if (again[0] >= 0 && again[1] >= 0)
		compare_fd_slot("prog array after last fd closed", again, key, ids);
	for (int side = 0; side < 2; side++) {
		close(again[side]);
		close(user[side]);
		close(prog[side]);
		close(xdp[side]);
	}
}

/* The owner of a PROG_ARRAY is fixed by the first program stored in it or loaded
 * with a reference to it; a program of another type (or flags) is refused at load
 * (EINVAL, after verification) and at update. */
static void diff_prog_array_owner(void)
{
	int pa[2], sf[2], xdp[2], xdp_user[2], sf_user[2];
	struct outcome o[2];

	for (int side = 0; side < 2; side++) {
		pa[side] = map_new(side, BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0, -1);
		sf[side] = load_prog(side, BPF_PROG_TYPE_SOCKET_FILTER, -1);
		xdp_user[side] = load_prog(side, BPF_PROG_TYPE_XDP, pa[side]); /* owner: XDP */
		o[side] = (struct outcome){ xdp_user[side] >= 0, xdp_user[side] < 0 ? errno : 0 };
	}
	report("first program referencing a prog array", o[0], o[1]);
	for (int side = 0; side < 2; side++) {
		sf_user[side] = load_prog(side, BPF_PROG_TYPE_SOCKET_FILTER, pa[side]);
		o[side] = (struct outcome){ sf_user[side] >= 0, sf_user[side] < 0 ? errno : 0 };
	}
	report("program of another type referencing the prog array", o[0], o[1]);
	for (int side = 0; side < 2; side++)
		o[side] = elem_op(side, BPF_MAP_UPDATE_ELEM, pa[side], &(uint32_t){ 0 }, &sf[side], 0);
	report("storing another type in a prog array owned by a loaded program", o[0], o[1]);
	for (int side = 0; side < 2; side++) {
		xdp[side] = load_prog(side, BPF_PROG_TYPE_XDP, -1);
		o[side] = elem_op(side, BPF_MAP_UPDATE_ELEM, pa[side], &(uint32_t){ 0 }, &xdp[side], 0);
	}
	report("storing the owner's type", o[0], o[1]);
	for (int side = 0; side < 2; side++) {
		close(pa[side]);
		close(sf[side]);
		close(xdp[side]);
		close(xdp_user[side]);
		close(sf_user[side]);
	}
}

/* Commands a map type does not have, and per-type flag rules. */
static void diff_type_commands(void)
{
	static const uint32_t types[][4] = {
		{ BPF_MAP_TYPE_QUEUE, 0, 4, 4 },     { BPF_MAP_TYPE_STACK, 0, 4, 4 },
		{ BPF_MAP_TYPE_BLOOM_FILTER, 0, 4, 4 }, { BPF_MAP_TYPE_RINGBUF, 0, 0, 4096 },
		{ BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 4 }, { BPF_MAP_TYPE_PERCPU_ARRAY, 4, 4, 4 },
		{ BPF_MAP_TYPE_PERCPU_HASH, 4, 4, 4 }, { BPF_MAP_TYPE_LRU_PERCPU_HASH, 4, 4, 4 },
		{ BPF_MAP_TYPE_LPM_TRIE, 8, 4, 4 },  { BPF_MAP_TYPE_LRU_HASH, 4, 4, 4 },
	};
	static const int cmds[] = { BPF_MAP_LOOKUP_ELEM, BPF_MAP_UPDATE_ELEM,
				    BPF_MAP_DELETE_ELEM, BPF_MAP_GET_NEXT_KEY,
				    BPF_MAP_LOOKUP_AND_DELETE_ELEM, BPF_MAP_LOOKUP_BATCH,
				    BPF_MAP_LOOKUP_AND_DELETE_BATCH, BPF_MAP_UPDATE_BATCH,
				    BPF_MAP_DELETE_BATCH, BPF_MAP_FREEZE };
	static const uint64_t flag_list[] = { 0, BPF_NOEXIST, BPF_EXIST, BPF_F_LOCK, 4 };
	static uint8_t key[64], value[1 << 14], keys[1 << 14], values[1 << 16];
	char what[96];

	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
		for (size_t c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++) {
			for (size_t f = 0; f < sizeof(flag_list) / sizeof(flag_list[0]); f++) {
				struct outcome o[2];
				uint32_t counts[2] = { 0, 0 };

				for (int side = 0; side < 2; side++) {
					uint32_t flags = types[t][0] == BPF_MAP_TYPE_LPM_TRIE
								 ? BPF_F_NO_PREALLOC : 0;
					int fd = map_new(side, types[t][0], types[t][1], types[t][2],
							 types[t][3], flags, -1);
					union bpf_attr attr;
					uint32_t in = 0;

					memset(key, 0, sizeof(key));
					key[0] = 32; /* LPM prefix length */
					memset(&attr, 0, sizeof(attr));
					if (cmds[c] >= BPF_MAP_LOOKUP_BATCH && cmds[c] <= BPF_MAP_DELETE_BATCH) {
						attr.batch.map_fd = (uint32_t)fd;
						attr.batch.out_batch = (uint64_t)(uintptr_t)&in;
						attr.batch.keys = (uint64_t)(uintptr_t)keys;
						attr.batch.values = (uint64_t)(uintptr_t)values;
						attr.batch.count = 2;
						attr.batch.elem_flags = flag_list[f];
					} else {
						attr.map_fd = (uint32_t)fd;
						attr.key = types[t][1] ? (uint64_t)(uintptr_t)key : 0;
						if (cmds[c] == BPF_MAP_GET_NEXT_KEY)
							attr.next_key = (uint64_t)(uintptr_t)value;
						else if (cmds[c] != BPF_MAP_DELETE_ELEM &&
							 cmds[c] != BPF_MAP_FREEZE)
							attr.value = (uint64_t)(uintptr_t)value;
						if (cmds[c] != BPF_MAP_DELETE_ELEM &&
						    cmds[c] != BPF_MAP_GET_NEXT_KEY &&
						    cmds[c] != BPF_MAP_FREEZE)
							attr.flags = flag_list[f];
					}
					o[side] = run(side, cmds[c], &attr);
					counts[side] = attr.batch.count;
					close(fd);
				}
				snprintf(what, sizeof(what), "type %u cmd %d flags %llu", types[t][0],
					 cmds[c], (unsigned long long)flag_list[f]);
				report(what, o[0], o[1]);
				if (cmds[c] >= BPF_MAP_LOOKUP_BATCH && cmds[c] <= BPF_MAP_DELETE_BATCH)
					report("batch count", (struct outcome){ (int)counts[0], 0 },
					       (struct outcome){ (int)counts[1], 0 });
			}
		}
	}
}

/* OBJ_GET_INFO_BY_FD: info_len handling and the map fields. */
static void diff_info(void)
{
	static const uint32_t lens[] = { 0, 4, 24, sizeof(struct bpf_map_info),
					 sizeof(struct bpf_map_info) + 16 };
	char what[64];

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		for (int tail = 0; tail < 2; tail++) {
			struct bpf_map_info info[2];
			uint8_t buf[2][sizeof(struct bpf_map_info) + 16];
			uint32_t len[2];
			struct outcome o[2];

			for (int side = 0; side < 2; side++) {
				union bpf_attr attr;
				int fd = map_new(side, BPF_MAP_TYPE_LRU_HASH, 6, 10, 33,
						 BPF_F_NO_COMMON_LRU, -1);

				memset(buf[side], 0, sizeof(buf[side]));
				buf[side][sizeof(buf[side]) - 1] = (uint8_t)tail;
				memset(&attr, 0, sizeof(attr));
				attr.info.bpf_fd = (uint32_t)fd;
				attr.info.info_len = lens[i];
				attr.info.info = (uint64_t)(uintptr_t)buf[side];
				o[side] = run(side, BPF_OBJ_GET_INFO_BY_FD, &attr);
				len[side] = attr.info.info_len;
				memcpy(&info[side], buf[side], sizeof(info[side]));
				close(fd);
			}
			snprintf(what, sizeof(what), "map info len %u tail %d", lens[i], tail);
			report(what, o[0], o[1]);
			if (o[0].ok && o[1].ok) {
				report("map info_len", (struct outcome){ (int)len[0], 0 },
				       (struct outcome){ (int)(len[1] < sizeof(info[1]) ? len[1]
										: sizeof(info[1])), 0 });
				info[0].id = info[1].id = 0;
				if (len[0] >= 24 && memcmp(&info[0], &info[1], 24))
					report("map info fields", (struct outcome){ 0, 1 },
					       (struct outcome){ 0, 2 });
			}
		}
	}
}

/* Id commands: attribute checks and lookups of ids that do not exist. */
static void diff_ids(void)
{
	static const int cmds[] = { BPF_MAP_GET_NEXT_ID, BPF_PROG_GET_NEXT_ID,
				    BPF_MAP_GET_FD_BY_ID, BPF_PROG_GET_FD_BY_ID };
	char what[64];

	for (size_t c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++) {
		for (int variant = 0; variant < 5; variant++) {
			struct outcome o[2];

			for (int side = 0; side < 2; side++) {
				union bpf_attr attr;
				int ret;

				memset(&attr, 0, sizeof(attr));
				attr.start_id = variant == 1 ? 0x7fffffff : variant == 2 ? 0xfffffff0 : 0x7ffffff0;
				if (variant == 3)
					attr.open_flags = BPF_F_RDONLY | BPF_F_WRONLY;
				if (variant == 4)
					attr.open_flags = 1u << 12;
				ret = backends[side](cmds[c], &attr, sizeof(attr));
				o[side] = (struct outcome){ ret >= 0, ret < 0 ? errno : 0 };
				if (ret >= 0 && (cmds[c] == BPF_MAP_GET_FD_BY_ID ||
						 cmds[c] == BPF_PROG_GET_FD_BY_ID))
					close(ret);
			}
			snprintf(what, sizeof(what), "id cmd %d variant %d", cmds[c], variant);
			report(what, o[0], o[1]);
		}
	}
}


/* ---- BTF: a value with a struct bpf_spin_lock, BPF_F_LOCK, freeze ---- */

/* Raw .BTF: [1] int, [2] struct bpf_spin_lock { int val; },
 * [3] struct val { int cnt; struct bpf_spin_lock lock; int x; }. */
static const uint32_t btf_types[] = {
	1, 0x01000000, 4, 0x01000020,
	5, 0x04000001, 4, 19, 1, 0,
	19, 0x04000003, 12, 23, 1, 0, 27, 2, 32, 32, 1, 64,
};
static const char btf_strings[] = "\0int\0bpf_spin_lock\0val\0cnt\0lock\0x";

static size_t btf_blob(uint8_t *out, bool corrupt)
{
	uint32_t hdr[6] = { 0x0001eb9f | (0u << 24), 24, 0, sizeof(btf_types),
			    sizeof(btf_types), sizeof(btf_strings) };

	hdr[0] = 0xeb9f | (1u << 16); /* magic, version 1, flags 0 */
	memcpy(out, hdr, sizeof(hdr));
	memcpy(out + 24, btf_types, sizeof(btf_types));
	memcpy(out + 24 + sizeof(btf_types), btf_strings, sizeof(btf_strings));
	if (corrupt)
		out[24 + 4 * 7 + 2] = 0x7f; /* member type id out of range */
	return 24 + sizeof(btf_types) + sizeof(btf_strings);
}

static int btf_load(int side, bool corrupt)
{
	static uint8_t blob[256];
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.btf = (uint64_t)(uintptr_t)blob;
	attr.btf_size = (uint32_t)btf_blob(blob, corrupt);
	return backends[side](BPF_BTF_LOAD, &attr, sizeof(attr));
}

static int btf_map(int side, int btf, uint32_t type, uint32_t key_id, uint32_t value_id,
		   uint32_t value_size)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = type;
	attr.key_size = 4;
	attr.value_size = value_size;
	attr.max_entries = 4;
	attr.btf_fd = (uint32_t)btf;
	attr.btf_key_type_id = key_id;
	attr.btf_value_type_id = value_id;
	return create(side, &attr);
}

static void diff_btf_spin_lock(void)
{
	int btf[2], map[2];
	struct outcome o[2];
	char what[80];

	for (int side = 0; side < 2; side++) {
		int bad = btf_load(side, true);

		o[side] = (struct outcome){ bad >= 0, bad < 0 ? errno : 0 };
		if (bad >= 0)
			close(bad);
	}
	report("BTF_LOAD with a bad member type", o[0], o[1]);
	for (int side = 0; side < 2; side++)
		btf[side] = btf_load(side, false);
	report("BTF_LOAD", (struct outcome){ btf[0] >= 0, 0 }, (struct outcome){ btf[1] >= 0, 0 });
	if (btf[0] < 0 || btf[1] < 0) {
		report("BTF_LOAD of a valid blob", (struct outcome){ btf[0] >= 0, 0 },
		       (struct outcome){ 0, 1 });
		return;
	}
	static const uint32_t shapes[][4] = {
		{ BPF_MAP_TYPE_HASH, 1, 3, 12 }, { BPF_MAP_TYPE_ARRAY, 1, 3, 12 },
		{ BPF_MAP_TYPE_HASH, 1, 3, 16 }, { BPF_MAP_TYPE_HASH, 1, 9, 12 },
		{ BPF_MAP_TYPE_HASH, 3, 3, 12 }, { BPF_MAP_TYPE_PERCPU_HASH, 1, 3, 12 },
		{ BPF_MAP_TYPE_LRU_HASH, 1, 3, 12 }, { BPF_MAP_TYPE_HASH, 0, 3, 12 },
		{ BPF_MAP_TYPE_HASH, 1, 1, 4 },
	};
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		for (int side = 0; side < 2; side++) {
			int fd = btf_map(side, btf[side], shapes[i][0], shapes[i][1], shapes[i][2],
					 shapes[i][3]);

			o[side] = (struct outcome){ fd >= 0, fd < 0 ? errno : 0 };
			if (fd >= 0)
				close(fd);
		}
		snprintf(what, sizeof(what), "BTF map #%zu type %u key %u value %u size %u", i,
			 shapes[i][0], shapes[i][1], shapes[i][2], shapes[i][3]);
		report(what, o[0], o[1]);
	}
	for (int t = 0; t < 2; t++) {
		uint32_t type = t ? BPF_MAP_TYPE_ARRAY : BPF_MAP_TYPE_HASH;
		static const uint64_t flag_list[] = { 0, BPF_F_LOCK, BPF_F_LOCK | BPF_EXIST,
						      BPF_F_LOCK | BPF_NOEXIST, BPF_F_LOCK | 4 };
		uint32_t val[2][3], key = 1;

		for (int side = 0; side < 2; side++)
			map[side] = btf_map(side, btf[side], type, 1, 3, 12);
		for (size_t f = 0; f < sizeof(flag_list) / sizeof(flag_list[0]); f++) {
			for (int side = 0; side < 2; side++) {
				uint32_t in[3] = { 5 + (uint32_t)f, 0xdeadbeef, 7 };

				o[side] = elem_op(side, BPF_MAP_UPDATE_ELEM, map[side], &key, in,
						  flag_list[f]);
			}
			snprintf(what, sizeof(what), "spin lock map %u update flags %#llx", type,
				 (unsigned long long)flag_list[f]);
			report(what, o[0], o[1]);
			for (int lf = 0; lf < 2; lf++) {
				for (int side = 0; side < 2; side++) {
					memset(val[side], 0xaa, sizeof(val[side]));
					o[side] = elem_op(side, BPF_MAP_LOOKUP_ELEM, map[side], &key,
							  val[side], lf ? BPF_F_LOCK : 0);
				}
				report("spin lock map lookup", o[0], o[1]);
				if (o[0].ok && o[1].ok && memcmp(val[0], val[1], sizeof(val[0])))
					report("spin lock value bytes", (struct outcome){ 0, 1 },
					       (struct outcome){ 0, 2 });
			}
		}
		for (int side = 0; side < 2; side++) {
			union bpf_attr attr;
			uint32_t keys[4], values[12], out = 0;

			memset(&attr, 0, sizeof(attr));
			attr.batch.map_fd = (uint32_t)map[side];
			attr.batch.out_batch = (uint64_t)(uintptr_t)&out;
			attr.batch.keys = (uint64_t)(uintptr_t)keys;
			attr.batch.values = (uint64_t)(uintptr_t)values;
			attr.batch.count = 4;
			attr.batch.elem_flags = BPF_F_LOCK;
			memset(values, 0xaa, sizeof(values));
			o[side] = run(side, BPF_MAP_LOOKUP_BATCH, &attr);
			val[side][0] = attr.batch.count;
			val[side][1] = values[t ? 4 : 1];
		}
		report("spin lock batch", o[0], o[1]);
		if (val[0][0] != val[1][0] || val[0][1] != val[1][1])
			report("spin lock batch values", (struct outcome){ 0, 1 },
			       (struct outcome){ 0, 2 });
		for (int side = 0; side < 2; side++) {
			o[side] = elem_op(side, BPF_MAP_LOOKUP_AND_DELETE_ELEM, map[side], &key,
					  val[side], BPF_F_LOCK);
		}
		report("spin lock lookup and delete", o[0], o[1]);
		for (int side = 0; side < 2; side++) {
			union bpf_attr attr;

			memset(&attr, 0, sizeof(attr));
			attr.map_fd = (uint32_t)map[side];
			o[side] = run(side, BPF_MAP_FREEZE, &attr);
			close(map[side]);
		}
		report("freeze a map with a spin lock", o[0], o[1]);
	}
	close(btf[0]);
	close(btf[1]);
}


/* Batches over maps whose iteration order is defined (arrays, per-CPU arrays, LPM
 * tries): every call's errno, count, keys, values and cursor must match. The map is
 * filled with UPDATE_BATCH, read back in batches of 3, then DELETE_BATCH runs. */
static void diff_ordered_batches(uint32_t type, uint32_t key_size, uint32_t max,
				 uint32_t flags)
{
	static uint8_t keys[2][64 * 8], values[2][64 * 512], cursor[2][8];
	uint32_t vsize = type == BPF_MAP_TYPE_PERCPU_ARRAY ? 8 * emu_config_cpus() : 4;
	int fd[2];
	char what[80];

	for (int side = 0; side < 2; side++) {
		fd[side] = map_new(side, type, key_size, 4, max, flags, -1);
		for (uint32_t i = 0; i < max; i++) {
			uint8_t *key = keys[side] + i * key_size;

			memset(key, 0, key_size);
			if (type == BPF_MAP_TYPE_LPM_TRIE) {
				key[0] = (uint8_t)(8 + i % 25);
				key[4] = (uint8_t)(i * 29);
				key[5] = (uint8_t)(i * 7);
			} else {
				key[0] = (uint8_t)i;
			}
			for (uint32_t b = 0; b < vsize; b++)
				values[side][i * vsize + b] = (uint8_t)(i * 3 + b);
		}
	}
	for (int op = 0; op < 8; op++) {
		struct outcome o[2];
		uint32_t counts[2];
		int cmd = op == 0 ? BPF_MAP_UPDATE_BATCH : op == 7 ? BPF_MAP_DELETE_BATCH
								 : BPF_MAP_LOOKUP_BATCH;

		for (int side = 0; side < 2; side++) {
			union bpf_attr attr;

			memset(&attr, 0, sizeof(attr));
			attr.batch.map_fd = (uint32_t)fd[side];
			attr.batch.keys = (uint64_t)(uintptr_t)keys[side];
			attr.batch.values = (uint64_t)(uintptr_t)values[side];
			attr.batch.count = cmd == BPF_MAP_LOOKUP_BATCH ? 3 : max;
			if (cmd == BPF_MAP_LOOKUP_BATCH) {
				attr.batch.in_batch = op > 1 ? (uint64_t)(uintptr_t)cursor[side] : 0;
				attr.batch.out_batch = (uint64_t)(uintptr_t)cursor[side];
				memset(keys[side], 0xee, 3 * key_size);
				memset(values[side], 0xee, 3 * vsize);
			}
			o[side] = run(side, cmd, &attr);
			counts[side] = attr.batch.count;
		}
		snprintf(what, sizeof(what), "ordered batch type %u op %d", type, op);
		report(what, o[0], o[1]);
		report("ordered batch count", (struct outcome){ (int)counts[0], 0 },
		       (struct outcome){ (int)counts[1], 0 });
		if (cmd == BPF_MAP_LOOKUP_BATCH && counts[0] == counts[1] && counts[0] <= 3 &&
		    (memcmp(keys[0], keys[1], counts[0] * key_size) ||
		     memcmp(values[0], values[1], counts[0] * vsize) ||
		     (counts[0] && memcmp(cursor[0], cursor[1], key_size))))
			report("ordered batch bytes", (struct outcome){ 0, 1 },
			       (struct outcome){ 0, 2 });
	}
	close(fd[0]);
	close(fd[1]);
}


/* A zero-seed bloom filter sets the kernel's bits: every probe, false positives
 * included, must answer the same. */
static void diff_bloom_zero_seed(void)
{
	int fd[2];
	char what[64];

	for (int size = 4; size <= 6; size += 2) {
		for (int side = 0; side < 2; side++)
			fd[side] = map_new(side, BPF_MAP_TYPE_BLOOM_FILTER, 0, (uint32_t)size, 8,
					   BPF_F_ZERO_SEED, -1);
		for (uint32_t v = 0; v < 400; v++) {
			uint8_t value[8] = { 0 };
			struct outcome o[2];
			int cmd = v % 10 == 0 ? BPF_MAP_UPDATE_ELEM : BPF_MAP_LOOKUP_ELEM;

			memcpy(value, &v, 4);
			value[5] = (uint8_t)(v >> 3);
			for (int side = 0; side < 2; side++)
				o[side] = elem_op(side, cmd, fd[side], NULL, value, 0);
			snprintf(what, sizeof(what), "bloom size %d value %u cmd %d", size, v, cmd);
			report(what, o[0], o[1]);
		}
		close(fd[0]);
		close(fd[1]);
	}
}


/* NULL key or value pointers: the kernel answers EFAULT (or EINVAL for a key given to
 * a key-less map) where its copy_{from,to}_user fails. */
static void diff_null_pointers(void)
{
	static const uint32_t types[][4] = {
		{ BPF_MAP_TYPE_HASH, 4, 4, 4 },  { BPF_MAP_TYPE_ARRAY, 4, 4, 4 },
		{ BPF_MAP_TYPE_PERCPU_HASH, 4, 4, 4 }, { BPF_MAP_TYPE_QUEUE, 0, 4, 4 },
		{ BPF_MAP_TYPE_LPM_TRIE, 8, 4, 4 },
	};
	static const int cmds[] = { BPF_MAP_LOOKUP_ELEM, BPF_MAP_UPDATE_ELEM,
				    BPF_MAP_DELETE_ELEM, BPF_MAP_GET_NEXT_KEY,
				    BPF_MAP_LOOKUP_AND_DELETE_ELEM };
	static uint8_t key[8] = { 32 }, value[4096];
	char what[80];

	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
		for (size_t c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++) {
			for (int variant = 0; variant < 3; variant++) {
				struct outcome o[2];

				for (int side = 0; side < 2; side++) {
					uint32_t flags = types[t][0] == BPF_MAP_TYPE_LPM_TRIE
								 ? BPF_F_NO_PREALLOC : 0;
					int fd = map_new(side, types[t][0], types[t][1], types[t][2],
							 types[t][3], flags, -1);
					const void *k = variant == 0 ? NULL : key;
					void *v = variant == 1 ? NULL : value;

					if (!types[t][1] && variant == 0)
						k = key; /* a key where none belongs */
					elem_op(side, BPF_MAP_UPDATE_ELEM, fd,
						types[t][1] ? key : NULL, value, 0);
					o[side] = elem_op(side, cmds[c], fd, k, v, 0);
					close(fd);
				}
				snprintf(what, sizeof(what), "null pointers type %u cmd %d variant %d",
					 types[t][0], cmds[c], variant);
				report(what, o[0], o[1]);
			}
		}
	}
}


/* ---- pinning: the kernel's bpffs (mounted in a private mount namespace) next to the
 * emulated one; the same relative paths must give the same answers. ---- */

static char bpffs_dirs[2][64]; /* [0] emulated root, [1] kernel bpffs mount */

static int pin_path(int side, const char *name, char *out, size_t size)
{
	return snprintf(out, size, "%s/%s", side ? bpffs_dirs[1] : "/sys/fs/bpf", name);
}

static struct outcome obj_cmd(int side, int cmd, int fd, const char *name, uint32_t flags)
{
	char path[256];
	union bpf_attr attr;

	pin_path(side, name, path, sizeof(path));
	memset(&attr, 0, sizeof(attr));
	attr.pathname = (uint64_t)(uintptr_t)path;
	attr.bpf_fd = (uint32_t)fd;
	attr.file_flags = flags;
	int ret = backends[side](cmd, &attr, sizeof(attr));

	if (ret >= 0 && cmd == BPF_OBJ_GET)
		close(ret);
	return (struct outcome){ ret >= 0, ret < 0 ? errno : 0 };
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static bool mount_kernel_bpffs(void)
{
	snprintf(bpffs_dirs[1], sizeof(bpffs_dirs[1]), "/tmp/emu-diff-bpffs-%d", (int)getpid());
	mkdir(bpffs_dirs[1], 0700);
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("bpf", bpffs_dirs[1], "bpf", 0, NULL) < 0) {
		rmdir(bpffs_dirs[1]);
		return false;
	}
	return true;
}

static void diff_pinning(void)
{
	static const struct { int cmd; const char *name; int fd_kind; uint32_t flags; } steps[] = {
		{ BPF_OBJ_PIN, "m", 1, 0 },          { BPF_OBJ_PIN, "m", 1, 0 },
		{ BPF_OBJ_PIN, "m.x", 1, 0 },        { BPF_OBJ_PIN, "nodir/m", 1, 0 },
		{ BPF_OBJ_PIN, "p", 2, 0 },          { BPF_OBJ_PIN, "b", 3, 0 },
		{ BPF_OBJ_PIN, "n", 0, 0 },          { BPF_OBJ_PIN, "bad", 4, 0 },
		{ BPF_OBJ_PIN, "m2", 1, 1 },         { BPF_OBJ_PIN, "", 1, 0 },
		{ BPF_OBJ_GET, "m", 0, 0 },          { BPF_OBJ_GET, "p", 0, 0 },
		{ BPF_OBJ_GET, "missing", 0, 0 },    { BPF_OBJ_GET, "m", 0, BPF_F_RDONLY },
		{ BPF_OBJ_GET, "m", 0, BPF_F_RDONLY | BPF_F_WRONLY },
		{ BPF_OBJ_GET, "m", 0, 1u << 5 },    { BPF_OBJ_GET, "m.x", 0, 0 },
		{ BPF_OBJ_GET, "nodir/m", 0, 0 },    { BPF_OBJ_GET, "m", 5, 0 },
	};
	int fds[2][5];
	char what[96], *old_root;

	if (!mount_kernel_bpffs()) {
		fprintf(stderr, "differential: no private bpffs mount, pinning not compared\n");
		return;
	}
	snprintf(bpffs_dirs[0], sizeof(bpffs_dirs[0]), "/tmp/emu-diff-root-%d", (int)getpid());
	mkdir(bpffs_dirs[0], 0700);
	old_root = getenv("EBPF_BPFFS") ? strdup(getenv("EBPF_BPFFS")) : NULL;
	setenv("EBPF_BPFFS", bpffs_dirs[0], 1);
	for (int side = 0; side < 2; side++) {
		fds[side][0] = 0; /* stdin: not a bpf object */
		fds[side][1] = map_new(side, BPF_MAP_TYPE_HASH, 4, 4, 4, 0, -1);
		fds[side][2] = load_prog(side, BPF_PROG_TYPE_SOCKET_FILTER, -1);
		fds[side][3] = btf_load(side, false);
		fds[side][4] = 999;
	}
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		struct outcome o[2];

		for (int side = 0; side < 2; side++) {
			int fd = steps[i].fd_kind == 5 ? 7 : fds[side][steps[i].fd_kind];

			o[side] = obj_cmd(side, steps[i].cmd, fd, steps[i].name, steps[i].flags);
		}
		snprintf(what, sizeof(what), "%s '%s' (fd kind %d, flags %#x)",
			 steps[i].cmd == BPF_OBJ_PIN ? "pin" : "get", steps[i].name,
			 steps[i].fd_kind, steps[i].flags);
		report(what, o[0], o[1]);
	}
	for (int side = 0; side < 2; side++)
		for (int k = 1; k < 4; k++)
			close(fds[side][k]);
	umount2(bpffs_dirs[1], MNT_DETACH);
	rmdir(bpffs_dirs[1]);
	nftw(bpffs_dirs[0], remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	if (old_root)
		setenv("EBPF_BPFFS", old_root, 1);
	else
		unsetenv("EBPF_BPFFS");
	free(old_root);
}

START_TEST(test_differential_against_kernel)
{
	diff_create_cases();
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		diff_shape(&shapes[i], 400);
	diff_array_batches();
	diff_hash_batches(false, 0);
	diff_hash_batches(true, 0);
	diff_hash_batches(false, BPF_F_ZERO_SEED);
	diff_hash_batches(true, BPF_F_ZERO_SEED);
	diff_bloom_zero_seed();
	diff_null_pointers();
	diff_pinning();
	diff_misc();
	diff_map_in_map(BPF_MAP_TYPE_ARRAY_OF_MAPS);
	diff_map_in_map(BPF_MAP_TYPE_HASH_OF_MAPS);
	diff_prog_array();
	diff_prog_array_owner();
	diff_type_commands();
	diff_info();
	diff_ids();
	diff_btf_spin_lock();
	diff_ordered_batches(BPF_MAP_TYPE_ARRAY, 4, 8, 0);
	diff_ordered_batches(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 7, 0);
	diff_ordered_batches(BPF_MAP_TYPE_LPM_TRIE, 8, 10, BPF_F_NO_PREALLOC);
	fprintf(stderr, "differential: %lu comparisons, %lu disagreements\n", compared,
		disagreed);
	ck_assert_uint_eq(disagreed, 0);
}
END_TEST

static bool kernel_bpf_usable(void)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = 1;
	fd = kernel_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

int main(void)
{
	Suite *s = suite_create("differential");
	TCase *tc = tcase_create("kernel");
	SRunner *runner;
	int failed;

	if (!kernel_bpf_usable()) {
		printf("SKIP: bpf(2) unavailable (need root and CONFIG_BPF_SYSCALL)\n");
		return 77;
	}
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_differential_against_kernel);
	suite_add_tcase(s, tc);
	runner = srunner_create(s);
	srunner_set_fork_status(runner, CK_NOFORK);
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
