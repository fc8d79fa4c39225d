/* maps_bench.c - update/lookup/delete throughput of hash, array, LPM trie and per-CPU
 * maps through libebpfemu's emu_bpf() and through the real bpf(2), side by side.
 * Usage: maps_bench [iterations]. Prints one line per map and operation.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "ebpf/emu.h"

typedef int (*bpf_fn)(int cmd, union bpf_attr *attr, unsigned int size);

static int kernel_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	return (int)syscall(__NR_bpf, cmd, attr, size);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct shape {
	const char *name;
	uint32_t type, key_size, value_size, flags;
};

static int make_map(bpf_fn bpf, const struct shape *s, uint32_t entries)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = s->type;
	attr.key_size = s->key_size;
	attr.value_size = s->value_size;
	attr.max_entries = entries;
	attr.map_flags = s->flags;
	return bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
}

static void fill_key(const struct shape *s, unsigned char *key, uint32_t i)
{
	memset(key, 0, 8);
	if (s->type == BPF_MAP_TYPE_LPM_TRIE) {
		uint32_t plen = 32, be = __builtin_bswap32(i * 2654435761u);

		memcpy(key, &plen, 4);
		memcpy(key + 4, &be, 4);
	} else {
		memcpy(key, &i, 4);
	}
}

/* Operations per second of `cmd` over n keys. */
static double run(bpf_fn bpf, int fd, const struct shape *s, int cmd, uint32_t n)
{
	static unsigned char value[4096 * 8];
	unsigned char key[8];
	union bpf_attr attr;
	double start = now();

	for (uint32_t i = 0; i < n; i++) {
		fill_key(s, key, i);
		memset(&attr, 0, sizeof(attr));
		attr.map_fd = (uint32_t)fd;
		attr.key = (uint64_t)(uintptr_t)key;
		if (cmd != BPF_MAP_DELETE_ELEM)
			attr.value = (uint64_t)(uintptr_t)value;
		bpf(cmd, &attr, sizeof(attr));
	}
	return n / (now() - start);
}

int main(int argc, char **argv)
{
	static const struct shape shapes[] = {
		{ "hash", BPF_MAP_TYPE_HASH, 4, 8, 0 },
		{ "array", BPF_MAP_TYPE_ARRAY, 4, 8, 0 },
		{ "lpm_trie", BPF_MAP_TYPE_LPM_TRIE, 8, 8, BPF_F_NO_PREALLOC },
		{ "percpu_array", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 0 },
		{ "percpu_hash", BPF_MAP_TYPE_PERCPU_HASH, 4, 8, 0 },
	};
	static const struct { const char *name; int cmd; } ops[] = {
		{ "update", BPF_MAP_UPDATE_ELEM },
		{ "lookup", BPF_MAP_LOOKUP_ELEM },
		{ "delete", BPF_MAP_DELETE_ELEM },
	};
	uint32_t n = argc > 1 ? (uint32_t)atoi(argv[1]) : 200000;
	bool kernel_ok;
	int probe;
	const struct shape array = shapes[1];

	probe = make_map(kernel_bpf, &array, 1);
	kernel_ok = probe >= 0;
	if (kernel_ok)
		close(probe);
	printf("%-13s %-7s %14s %14s %8s\n", "map", "op", "emu ops/s", "kernel ops/s", "ratio");
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		const struct shape *s = &shapes[i];
		int efd = make_map(emu_bpf, s, n), kfd = kernel_ok ? make_map(kernel_bpf, s, n) : -1;

		for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
			bool skip = ops[o].cmd == BPF_MAP_DELETE_ELEM &&
				    (s->type == BPF_MAP_TYPE_ARRAY ||
				     s->type == BPF_MAP_TYPE_PERCPU_ARRAY);
			double e, k;

			if (skip)
				continue;
			e = run(emu_bpf, efd, s, ops[o].cmd, n);
			k = kfd >= 0 ? run(kernel_bpf, kfd, s, ops[o].cmd, n) : 0;
			if (kfd >= 0)
				printf("%-13s %-7s %14.0f %14.0f %7.2fx\n", s->name, ops[o].name, e, k,
				       e / k);
			else
				printf("%-13s %-7s %14.0f %14s %8s\n", s->name, ops[o].name, e, "n/a",
				       "n/a");
		}
		close(efd);
		if (kfd >= 0)
			close(kfd);
	}
	return 0;
}
