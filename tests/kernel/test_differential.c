/* test_differential.c - the same bpf() command sequences through emu_bpf() and the
 * real kernel's bpf(2); return values, errno and map contents must agree (hash
 * iteration order compared unordered). Exits 77 (SKIP) without a usable bpf(2).
 */
#include <stdio.h>
#include <stdlib.h>
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
static void diff_hash_batches(bool do_delete)
{
	uint32_t got[2][64], ngot[2] = { 0, 0 };
	int fd[2], last_err[2];
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_HASH;
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = 64;
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

START_TEST(test_differential_against_kernel)
{
	diff_create_cases();
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		diff_shape(&shapes[i], 400);
	diff_array_batches();
	diff_hash_batches(false);
	diff_hash_batches(true);
	diff_misc();
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
