/* Callbacks and function kinds: bpf_loop with a context struct (a checksum over the
 * payload's 16-bit words, stopping early by returning 1), bpf_for_each_map_elem over a
 * hash (sum and max, deleting odd keys while iterating) and over an array, a static
 * subprogram taking five arguments, and a global function the kernel verifies on its
 * own (scalar and nullable pointer-to-stack arguments, as BTF declares them).
 * O0-REFUSED: ebpf-cc -O0 neither extends the bpf_loop callback's __u32 index nor
 *   keeps `data + off` in one register (both done at -O2); clang -O0 calls helpers
 *   through a register (callx), which the kernel refuses too.
 * RUN: --data-hex 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
 * RUN: --data-hex ffff0000ffff0000ffff0000ffff0000
 * RUN: --data-hex 0102030405060708090a0b0c0d0e0f
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct bpf_map;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} weights SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} out SEC(".maps");

struct sum_ctx {
	struct xdp_md *xdp;
	__u32 sum;
	__u32 words;
};

struct walk_ctx {
	__u64 total;
	__u64 max;
	__u32 visited;
	__u32 deleted;
};

static long add_word(__u32 index, struct sum_ctx *c)
{
	void *data = (void *)(long)c->xdp->data, *end = (void *)(long)c->xdp->data_end;
	__u16 *w = data;

	if (index >= 64)
		return 1;
	w += index;
	if ((void *)(w + 1) > end)
		return 1; /* stop the loop */
	c->sum += *w;
	c->words++;
	return 0;
}

static long visit(struct bpf_map *map, __u32 *key, __u64 *value, struct walk_ctx *c)
{
	c->visited++;
	c->total += *value;
	if (*value > c->max)
		c->max = *value;
	if (*key & 1) {
		bpf_map_delete_elem(map, key);
		c->deleted++;
	}
	return 0;
}

static long count_nonzero(struct bpf_map *map, __u32 *key, __u64 *value, __u32 *n)
{
	if (*value)
		(*n)++;
	return *key >= 5; /* stop after slot 5 */
}

static __noinline __u64 mix(__u64 a, __u64 b, __u32 c, __u16 d, __u8 e)
{
	return (a << 7) ^ (b >> 3) ^ ((__u64)c * d) ^ (__u64)(__s8)e;
}

__noinline int fold16(__u32 sum, __u32 *carries)
{
	__u32 n = 0;

	while (sum >> 16 && n < 4) {
		sum = (sum & 0xffff) + (sum >> 16);
		n++;
	}
	if (carries)
		*carries = n;
	return sum;
}

static __always_inline void store(__u32 slot, __u64 v)
{
	bpf_map_update_elem(&out, &slot, &v, BPF_ANY);
}

SEC("xdp")
int callbacks(struct xdp_md *ctx)
{
	struct sum_ctx sc = { .xdp = ctx };
	struct walk_ctx wc = {};
	__u32 carries = 0, nonzero = 0;
	long iterations;

	iterations = bpf_loop(64, add_word, &sc, 0);
	store(0, iterations);
	store(1, sc.words);
	store(2, fold16(sc.sum, &carries));
	store(3, carries);

	for (__u32 k = 0; k < 6; k++) {
		__u64 w = (sc.sum >> k) & 0xff;
		__u32 key = k;

		bpf_map_update_elem(&weights, &key, &w, BPF_ANY);
	}
	store(4, bpf_for_each_map_elem(&weights, visit, &wc, 0) * 1000 + wc.deleted);
	store(5, wc.total * 1000 + wc.max);
	bpf_for_each_map_elem(&out, count_nonzero, &nonzero, 0);
	store(6, nonzero);
	store(7, mix(sc.sum, wc.total, sc.words, (__u16)iterations, (__u8)wc.max));
	return fold16(sc.sum, 0) & 1 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
