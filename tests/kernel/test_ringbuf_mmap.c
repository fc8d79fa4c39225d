/* test_ringbuf_mmap.c - a RINGBUF map's fd mapped by user space as libbpf maps it
 * (consumer page read-write, producer page and data twice read-only), on the emulator
 * and on the real kernel: the same mmap/mprotect outcomes, and the same positions,
 * record headers and payloads read through the mappings after a socket filter wrote
 * records with bpf_ringbuf_output (one wrapping past the end of the data). Exits 77
 * (SKIP) without a usable bpf(2).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ebpf/emu.h"

#define PAGE 4096u
#define RING_SIZE 4096u /* data bytes: one page */

typedef int (*bpf_fn)(int cmd, union bpf_attr *attr, unsigned int size);

static int kernel_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	return (int)syscall(__NR_bpf, cmd, attr, size);
}

static const char *const side_names[2] = { "emulator", "kernel" };
static const bpf_fn backends[2] = { emu_bpf, kernel_bpf };
static int failures;

#define CHECK(cond, ...)                                                                   \
	do {                                                                               \
		if (!(cond)) {                                                             \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);               \
			fprintf(stderr, __VA_ARGS__);                                      \
			fputc('\n', stderr);                                               \
			failures++;                                                        \
		}                                                                          \
	} while (0)

static int ring_create(int side)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_RINGBUF;
	attr.max_entries = RING_SIZE;
	return backends[side](BPF_MAP_CREATE, &attr, sizeof(attr));
}

/* Socket filter: bpf_ringbuf_output(ring, stack, skb->len, 0) of a stack area filled
 * with skb->len, so that the record size and contents follow the packet length. */
static int writer_load(int side, int ring_fd)
{
	struct bpf_insn insns[64];
	int n = 0;
	static char log[1 << 16];

	insns[n++] = (struct bpf_insn){ BPF_LDX | BPF_W | BPF_MEM, 7, 1, 0, 0 }; /* r7 = len */
	for (int off = 8; off <= 256; off += 8)
		insns[n++] = (struct bpf_insn){ BPF_STX | BPF_DW | BPF_MEM, 10, 7, (int16_t)-off, 0 };
	insns[n++] = (struct bpf_insn){ BPF_JMP | BPF_JGT | BPF_K, 7, 0, 7, 256 };
	insns[n++] = (struct bpf_insn){ BPF_LD | BPF_DW | BPF_IMM, 1, BPF_PSEUDO_MAP_FD, 0, ring_fd };
	insns[n++] = (struct bpf_insn){ 0, 0, 0, 0, 0 };
	insns[n++] = (struct bpf_insn){ BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0 };
	insns[n++] = (struct bpf_insn){ BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, -256 };
	insns[n++] = (struct bpf_insn){ BPF_ALU64 | BPF_MOV | BPF_X, 3, 7, 0, 0 };
	insns[n++] = (struct bpf_insn){ BPF_ALU64 | BPF_MOV | BPF_K, 4, 0, 0, 0 };
	insns[n++] = (struct bpf_insn){ BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_ringbuf_output };
	insns[n++] = (struct bpf_insn){ BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0 };
	insns[n++] = (struct bpf_insn){ BPF_JMP | BPF_EXIT, 0, 0, 0, 0 };

	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = (uint32_t)n;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	attr.log_buf = (uint64_t)(uintptr_t)log;
	attr.log_size = sizeof(log);
	attr.log_level = 1;
	int fd = backends[side](BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd < 0)
		fprintf(stderr, "%s: writer load: %s\n%s\n", side_names[side], strerror(errno), log);
	return fd;
}

/* One record of `len` bytes through BPF_PROG_TEST_RUN with a packet of that length. */
static int write_record(int side, int prog_fd, uint32_t len)
{
	unsigned char packet[256] = { 0 };
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = (uint32_t)prog_fd;
	attr.test.data_in = (uint64_t)(uintptr_t)packet;
	attr.test.data_size_in = len;
	attr.test.repeat = 1;
	return backends[side](BPF_PROG_TEST_RUN, &attr, sizeof(attr));
}

/* ---- mmap and mprotect outcomes ---- */

struct map_case {
	const char *what;
	uint64_t offset, length;
	int prot, flags;
};

static const struct map_case map_cases[] = {
	{ "consumer page rw", 0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED },
	{ "consumer page ro", 0, PAGE, PROT_READ, MAP_SHARED },
	{ "both position pages rw", 0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED },
	{ "producer page rw", PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED },
	{ "data rw", 2 * PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED },
	{ "producer page and data twice ro", PAGE, PAGE + 2 * RING_SIZE, PROT_READ, MAP_SHARED },
	{ "everything ro", 0, 2 * PAGE + 2 * RING_SIZE, PROT_READ, MAP_SHARED },
	{ "one page too many from 0", 0, 3 * PAGE + 2 * RING_SIZE, PROT_READ, MAP_SHARED },
	{ "one page too many from producer", PAGE, 2 * PAGE + 2 * RING_SIZE, PROT_READ,
	  MAP_SHARED },
	{ "past the end", 2 * PAGE + 2 * RING_SIZE, PAGE, PROT_READ, MAP_SHARED },
	{ "partial last page", PAGE, PAGE + 2 * RING_SIZE - 100, PROT_READ, MAP_SHARED },
	{ "private consumer page", 0, PAGE, PROT_READ, MAP_PRIVATE },
	{ "private consumer page rw", 0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE },
};

/* errno of an mmap (0: mapped), and of mprotect(rw) on the mapping when it worked. */
static void map_outcome(int fd, const struct map_case *c, int *map_err, int *protect_err)
{
	void *p = mmap(NULL, c->length, c->prot, c->flags, fd, (off_t)c->offset);

	*map_err = p == MAP_FAILED ? errno : 0;
	*protect_err = -1;
	if (p == MAP_FAILED)
		return;
	*protect_err = mprotect(p, c->length, PROT_READ | PROT_WRITE) ? errno : 0;
	munmap(p, c->length);
}

static void compare_mappings(const int fds[2])
{
	for (size_t i = 0; i < sizeof(map_cases) / sizeof(map_cases[0]); i++) {
		int map_err[2], protect_err[2];
		for (int side = 0; side < 2; side++)
			map_outcome(fds[side], &map_cases[i], &map_err[side], &protect_err[side]);
		CHECK(map_err[0] == map_err[1] && protect_err[0] == protect_err[1],
		      "%s: emulator mmap %s / mprotect(rw) %s, kernel mmap %s / mprotect(rw) %s",
		      map_cases[i].what, strerror(map_err[0]),
		      protect_err[0] < 0 ? "-" : strerror(protect_err[0]), strerror(map_err[1]),
		      protect_err[1] < 0 ? "-" : strerror(protect_err[1]));
	}
}

/* ---- records read through the mappings ---- */

struct user_ring {
	volatile uint64_t *consumer_pos; /* read-write page */
	const volatile uint64_t *producer_pos;
	const unsigned char *data;       /* RING_SIZE bytes, then the same again */
};

static int user_ring_map(int fd, struct user_ring *r)
{
	void *consumer = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	void *producer = mmap(NULL, PAGE + 2 * RING_SIZE, PROT_READ, MAP_SHARED, fd, PAGE);

	if (consumer == MAP_FAILED || producer == MAP_FAILED)
		return -1;
	r->consumer_pos = consumer;
	r->producer_pos = producer;
	r->data = (const unsigned char *)producer + PAGE;
	return 0;
}

/* The bytes from the consumer to the producer position, as libbpf's ringbuf_process_ring
 * reads them: each record's header (length with its flag bits, pg_off) and payload. */
static size_t user_ring_read(const struct user_ring *r, unsigned char *out, size_t size)
{
	uint64_t position = *r->consumer_pos, end = *r->producer_pos;
	size_t used = 0;

	while (position < end && used + 8 <= size) {
		const unsigned char *header = r->data + (position & (RING_SIZE - 1));
		uint32_t len;
		memcpy(&len, header, sizeof(len));
		uint32_t payload = len & ~(3u << 30);
		size_t record = (payload + 8 + 7) / 8 * 8;
		if (used + 8 + payload > size)
			break;
		memcpy(out + used, header, 8 + payload); /* may run into the second copy */
		used += 8 + payload;
		position += record;
	}
	return used;
}

static void compare_records(struct user_ring rings[2], const char *when)
{
	static unsigned char seen[2][2 * RING_SIZE];
	size_t used[2];

	for (int side = 0; side < 2; side++)
		used[side] = user_ring_read(&rings[side], seen[side], sizeof(seen[side]));
	CHECK(*rings[0].consumer_pos == *rings[1].consumer_pos &&
	      *rings[0].producer_pos == *rings[1].producer_pos,
	      "%s: emulator positions %llu..%llu, kernel %llu..%llu", when,
	      (unsigned long long)*rings[0].consumer_pos,
	      (unsigned long long)*rings[0].producer_pos,
	      (unsigned long long)*rings[1].consumer_pos,
	      (unsigned long long)*rings[1].producer_pos);
	CHECK(used[0] == used[1] && used[0] > 0 && !memcmp(seen[0], seen[1], used[0]),
	      "%s: the records read through the mappings differ (%zu and %zu bytes)", when,
	      used[0], used[1]);
	for (size_t i = 0; i < used[0] && i < used[1]; i++)
		if (seen[0][i] != seen[1][i]) {
			fprintf(stderr, "  first difference at byte %zu: %02x vs %02x\n", i,
				seen[0][i], seen[1][i]);
			break;
		}
}

static void write_both(const int progs[2], uint32_t len)
{
	for (int side = 0; side < 2; side++)
		CHECK(write_record(side, progs[side], len) == 0, "%s: test run of %u bytes: %s",
		      side_names[side], len, strerror(errno));
}

int main(void)
{
	int rings[2], progs[2];
	struct user_ring mapped[2];

	rings[1] = ring_create(1);
	if (rings[1] < 0) {
		printf("SKIP: the kernel's bpf(BPF_MAP_CREATE, RINGBUF): %s\n", strerror(errno));
		return 77;
	}
	rings[0] = ring_create(0);
	CHECK(rings[0] >= 0, "emulator ringbuf: %s", strerror(errno));
	for (int side = 0; side < 2 && !failures; side++) {
		progs[side] = writer_load(side, rings[side]);
		if (side == 1 && progs[side] < 0) {
			printf("SKIP: the kernel loads no socket filter calling "
			       "bpf_ringbuf_output\n");
			return 77;
		}
		CHECK(progs[side] >= 0 && user_ring_map(rings[side], &mapped[side]) == 0,
		      "%s: writer or mapping failed", side_names[side]);
	}
	if (failures)
		return 1;
	compare_mappings(rings);
	/* a socket filter's skb->len is the packet less its 14-byte Ethernet header: 18
	 * records of 186 bytes (200 with header and padding), read, then consumed */
	for (int i = 0; i < 18; i++)
		write_both(progs, 200);
	compare_records(mapped, "18 records");
	for (int side = 0; side < 2; side++)
		*mapped[side].consumer_pos = *mapped[side].producer_pos;
	/* 3600 + 256 + 96 = 3952: the next record of 242 bytes wraps 106 bytes past 4096 */
	write_both(progs, 256);
	write_both(progs, 100);
	write_both(progs, 256);
	compare_records(mapped, "wrapping record");
	CHECK(*mapped[0].producer_pos == 3952 + 256, "producer position %llu, expected %u",
	      (unsigned long long)*mapped[0].producer_pos, 3952 + 256);
	/* one more record into the space the consumer page freed */
	for (int side = 0; side < 2; side++)
		CHECK(write_record(side, progs[side], 256) == 0, "%s: third batch",
		      side_names[side]);
	compare_records(mapped, "after a record into the freed space");
	printf("%d differences in %zu mappings and 3 record comparisons\n", failures,
	       sizeof(map_cases) / sizeof(map_cases[0]));
	return failures ? 1 : 0;
}
