/* emu_syscall_fuzzer.c - libFuzzer target for emu_bpf(): random sequences of map
 * commands with random attributes (types, sizes, flags, fds, keys, batch cursors).
 * Invariants: no crash or sanitizer report, and once every fd the run created is
 * closed no map is left alive (MAP_GET_NEXT_ID from 0 answers ENOENT).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ebpf/emu.h"

#define MAX_FDS 16

struct fuzz_input {
	const uint8_t *data;
	size_t size;
};

static uint32_t take(struct fuzz_input *in, unsigned bytes)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < bytes && in->size; i++, in->data++, in->size--)
		v |= (uint32_t)in->data[0] << (8 * i);
	return v;
}

static const uint32_t map_types[] = {
	BPF_MAP_TYPE_HASH, BPF_MAP_TYPE_ARRAY, BPF_MAP_TYPE_PROG_ARRAY,
	BPF_MAP_TYPE_PERF_EVENT_ARRAY, BPF_MAP_TYPE_PERCPU_HASH, BPF_MAP_TYPE_PERCPU_ARRAY,
	BPF_MAP_TYPE_LRU_HASH, BPF_MAP_TYPE_LRU_PERCPU_HASH, BPF_MAP_TYPE_LPM_TRIE,
	BPF_MAP_TYPE_ARRAY_OF_MAPS, BPF_MAP_TYPE_HASH_OF_MAPS, BPF_MAP_TYPE_QUEUE,
	BPF_MAP_TYPE_STACK, BPF_MAP_TYPE_RINGBUF, BPF_MAP_TYPE_BLOOM_FILTER, 0, 99,
	BPF_MAP_TYPE_DEVMAP, BPF_MAP_TYPE_DEVMAP_HASH, BPF_MAP_TYPE_CPUMAP, BPF_MAP_TYPE_XSKMAP,
};

static const int commands[] = {
	BPF_MAP_CREATE, BPF_MAP_LOOKUP_ELEM, BPF_MAP_UPDATE_ELEM, BPF_MAP_DELETE_ELEM,
	BPF_MAP_GET_NEXT_KEY, BPF_MAP_LOOKUP_AND_DELETE_ELEM, BPF_MAP_FREEZE,
	BPF_MAP_LOOKUP_BATCH, BPF_MAP_LOOKUP_AND_DELETE_BATCH, BPF_MAP_UPDATE_BATCH,
	BPF_MAP_DELETE_BATCH, BPF_OBJ_GET_INFO_BY_FD, BPF_MAP_GET_NEXT_ID,
	BPF_MAP_GET_FD_BY_ID, BPF_BTF_LOAD, 1000,
};

/* [1] int, [2] struct bpf_spin_lock { int val; },
 * [3] struct val { int cnt; struct bpf_spin_lock lock; int x; }: maps with a lock. */
static const uint32_t btf_types[] = {
	1, 0x01000000, 4, 0x01000020,
	5, 0x04000001, 4, 19, 1, 0,
	19, 0x04000003, 12, 23, 1, 0, 27, 2, 32, 32, 1, 64,
};
static const char btf_strings[] = "\0int\0bpf_spin_lock\0val\0cnt\0lock\0x";

static void fill_btf_load(union bpf_attr *attr, struct fuzz_input *in)
{
	static uint8_t blob[256];
	uint32_t hdr[6] = { 0xeb9f | (1u << 16), 24, 0, sizeof(btf_types), sizeof(btf_types),
			    sizeof(btf_strings) };
	size_t size = 24 + sizeof(btf_types) + sizeof(btf_strings);

	memcpy(blob, hdr, sizeof(hdr));
	memcpy(blob + 24, btf_types, sizeof(btf_types));
	memcpy(blob + 24 + sizeof(btf_types), btf_strings, sizeof(btf_strings));
	if (take(in, 1) % 4 == 0)
		blob[take(in, 1) % size] ^= (uint8_t)take(in, 1);
	attr->btf = (uint64_t)(uintptr_t)blob;
	attr->btf_size = (uint32_t)size;
}

/* Buffers big enough for any key/value/batch the sizes below allow. */
static uint8_t key[512], value[1 << 16], keys[1 << 16], values[1 << 20], cursor[512];
static uint8_t info[sizeof(struct bpf_prog_info) + 64];

static void fill_create(union bpf_attr *attr, struct fuzz_input *in, const int *fds)
{
	attr->map_type = map_types[take(in, 1) % (sizeof(map_types) / sizeof(map_types[0]))];
	attr->key_size = take(in, 1) % 300;
	attr->value_size = take(in, 1) % 2 ? take(in, 1) % 64 : take(in, 2) % 5000;
	attr->max_entries = take(in, 1) % 2 ? take(in, 1) % 64 : 4096u << (take(in, 1) % 3);
	attr->map_flags = take(in, 1) % 3 ? 0 : take(in, 4);
	attr->inner_map_fd = (uint32_t)fds[take(in, 1) % MAX_FDS];
	attr->map_extra = take(in, 1) % 4 ? 0 : take(in, 1);
	if (take(in, 1) % 4 == 0) { /* typed by a BTF object loaded earlier */
		attr->btf_fd = (uint32_t)fds[take(in, 1) % MAX_FDS];
		attr->btf_key_type_id = take(in, 1) % 4;
		attr->btf_value_type_id = take(in, 1) % 5;
		if (take(in, 1) % 2) {
			attr->key_size = 4;
			attr->value_size = 12;
		}
	}
	if (take(in, 1) % 8 == 0)
		memset(attr->map_name, 'a' + take(in, 1) % 3, sizeof(attr->map_name));
}

static void fill_elem(union bpf_attr *attr, struct fuzz_input *in, const int *fds)
{
	attr->map_fd = (uint32_t)fds[take(in, 1) % MAX_FDS];
	for (unsigned i = 0; i < 8; i++)
		key[i] = (uint8_t)take(in, 1);
	memcpy(value, &fds[take(in, 1) % MAX_FDS], sizeof(int));
	attr->key = take(in, 1) % 16 ? (uint64_t)(uintptr_t)key : 0;
	attr->value = (uint64_t)(uintptr_t)value;
	attr->flags = take(in, 1) % 5;
	if (take(in, 1) % 16 == 0)
		attr->flags = take(in, 4);
}

static void fill_batch(union bpf_attr *attr, struct fuzz_input *in, const int *fds)
{
	attr->batch.map_fd = (uint32_t)fds[take(in, 1) % MAX_FDS];
	attr->batch.in_batch = take(in, 1) % 2 ? (uint64_t)(uintptr_t)cursor : 0;
	attr->batch.out_batch = (uint64_t)(uintptr_t)cursor;
	attr->batch.keys = (uint64_t)(uintptr_t)keys;
	attr->batch.values = (uint64_t)(uintptr_t)values;
	attr->batch.count = take(in, 1) % 32;
	attr->batch.elem_flags = take(in, 1) % 8 ? 0 : take(in, 1);
	attr->batch.flags = take(in, 1) % 8 ? 0 : take(in, 1);
}

/* Flip one attr byte that is not a user pointer (emu_bpf trusts pointers as user
 * space memory, like any library call; the kernel would answer EFAULT). */
static void flip_byte(union bpf_attr *attr, int cmd, struct fuzz_input *in)
{
	size_t off = take(in, 1) % sizeof(*attr);
	bool batch = cmd >= BPF_MAP_LOOKUP_BATCH && cmd <= BPF_MAP_DELETE_BATCH;

	if (batch && off < 36) /* pointers and count */
		return;
	if (cmd == BPF_OBJ_GET_INFO_BY_FD && off >= 4 && off < 16)
		return;
	if (!batch && cmd != BPF_MAP_CREATE && off >= 8 && off < 24)
		return;
	if (cmd == BPF_BTF_LOAD && off < 16)
		return;
	if (cmd == BPF_MAP_CREATE && off >= 4 && off < 12)
		return; /* key/value sizes stay within the buffers above */
	((uint8_t *)attr)[off] ^= (uint8_t)take(in, 1);
}

static void remember_fd(int *fds, int fd, unsigned *next)
{
	if (fd < 0)
		return;
	if (fds[*next % MAX_FDS] >= 0)
		close(fds[*next % MAX_FDS]);
	fds[(*next)++ % MAX_FDS] = fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	int fds[MAX_FDS];
	unsigned next = 0;
	union bpf_attr attr;

	for (int i = 0; i < MAX_FDS; i++)
		fds[i] = -1;
	emu_config_set_cpus(1 + (size % 3));
	while (in.size) {
		int cmd = commands[take(&in, 1) % (sizeof(commands) / sizeof(commands[0]))];

		memset(&attr, 0, sizeof(attr));
		if (cmd == BPF_MAP_CREATE)
			fill_create(&attr, &in, fds);
		else if (cmd >= BPF_MAP_LOOKUP_BATCH && cmd <= BPF_MAP_DELETE_BATCH)
			fill_batch(&attr, &in, fds);
		else if (cmd == BPF_OBJ_GET_INFO_BY_FD) {
			attr.info.bpf_fd = (uint32_t)fds[take(&in, 1) % MAX_FDS];
			attr.info.info_len = take(&in, 1) % sizeof(info);
			attr.info.info = (uint64_t)(uintptr_t)info;
		} else if (cmd == BPF_MAP_GET_NEXT_ID || cmd == BPF_MAP_GET_FD_BY_ID)
			attr.start_id = take(&in, 1);
		else
			fill_elem(&attr, &in, fds);
		if (take(&in, 1) % 32 == 0)
			flip_byte(&attr, cmd, &in);
		int ret = emu_bpf(cmd, &attr, sizeof(attr));
		if (cmd == BPF_MAP_CREATE || cmd == BPF_MAP_GET_FD_BY_ID || cmd == BPF_BTF_LOAD)
			remember_fd(fds, ret, &next);
	}
	for (int i = 0; i < MAX_FDS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	memset(&attr, 0, sizeof(attr));
	if (emu_bpf(BPF_MAP_GET_NEXT_ID, &attr, sizeof(attr)) != -1 || errno != ENOENT)
		abort(); /* a map outlived every fd of this run: reference leak */
	if (emu_bpf(BPF_BTF_GET_NEXT_ID, &attr, sizeof(attr)) != -1 || errno != ENOENT)
		abort(); /* a BTF object outlived every fd: reference leak */
	return 0;
}
