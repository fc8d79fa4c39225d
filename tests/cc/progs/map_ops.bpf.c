/* Map operations in every map type a program can reach, with their return codes
 * recorded in an array of __s64 results: hash update flags (BPF_NOEXIST/BPF_EXIST,
 * -EEXIST, -ENOENT), deletes, array delete (-EINVAL), LPM trie updates and longest
 * prefix lookups from the program, queue/stack push until full (-E2BIG) and with
 * BPF_EXIST (oldest overwritten), pop/peek, a bloom filter, ringbuf_output and
 * ringbuf_query, inner maps of an array of maps and a hash of maps, and a tail call
 * through a prog array. Results go to consecutive slots (a .bss cursor), so the second
 * run's codes show the state the first left behind.
 * RUN: --prog map_ops --data-hex 0a01020300000000000000000000
 * RUN: --data-hex 0a01ff0700000000000000000000
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define R_MAX 64

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, R_MAX);
	__type(key, __u32);
	__type(value, __s64);
} results SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} small_hash SEC(".maps");

struct lpm_v4 {
	__u32 prefixlen;
	__u8 addr[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 8);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct lpm_v4);
	__type(value, __u32);
} routes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 2);
	__type(value, __u16);
} fifo SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 2);
	__type(value, __u64);
} lifo SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 16);
	__uint(map_extra, 3);
	__type(value, __u32);
} seen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner);
} outer_array SEC(".maps") = { .values = { &inner_a, &inner_b } };

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner);
} outer_hash SEC(".maps") = { .values = { [1] = &inner_b } };

SEC("xdp")
int tail_target(struct xdp_md *ctx)
{
	__u32 k = R_MAX - 1;
	__s64 *r = bpf_map_lookup_elem(&results, &k);

	if (r)
		*r += 1;
	return XDP_TX;
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, int (void *));
} progs SEC(".maps") = { .values = { (void *)&tail_target } };

static __u32 slot;

static __noinline void put(__s64 value)
{
	__u32 k = slot++;
	__s64 *r;

	if (k >= R_MAX - 1)
		return;
	r = bpf_map_lookup_elem(&results, &k);
	if (r)
		*r = value;
}

static __always_inline void bump_inner(void *outer, __u32 key, __u32 idx)
{
	void *inner = bpf_map_lookup_elem(outer, &key);
	__u64 *v;

	if (!inner) {
		put(-1000 - (__s64)key);
		return;
	}
	v = bpf_map_lookup_elem(inner, &idx);
	if (v)
		put(++*v);
}

SEC("xdp")
int map_ops(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u8 *pkt = data;
	__u32 k = 1, v = 10, zero = 0, *vp;
	struct lpm_v4 route = { .prefixlen = 8, .addr = { 10 } };
	__u16 q;
	__u64 s;

	if ((void *)(pkt + 4) > end)
		return XDP_ABORTED;
	put(bpf_map_update_elem(&small_hash, &k, &v, BPF_NOEXIST));
	put(bpf_map_update_elem(&small_hash, &k, &v, BPF_NOEXIST));
	k = 2;
	put(bpf_map_update_elem(&small_hash, &k, &v, BPF_EXIST));
	put(bpf_map_delete_elem(&small_hash, &k));
	put(bpf_map_delete_elem(&results, &zero));
	k = 1;
	vp = bpf_map_lookup_elem(&small_hash, &k);
	put(vp ? (*vp += pkt[3]) : -1);

	put(bpf_map_update_elem(&routes, &route, &v, BPF_ANY));
	route.prefixlen = 24;
	route.addr[1] = 1, route.addr[2] = 2;
	v = 24;
	put(bpf_map_update_elem(&routes, &route, &v, BPF_ANY));
	route.prefixlen = 32;
	__builtin_memcpy(route.addr, pkt, 4);
	vp = bpf_map_lookup_elem(&routes, &route);
	put(vp ? *vp : -1);

	q = pkt[3];
	put(bpf_map_push_elem(&fifo, &q, 0));
	q += 1;
	put(bpf_map_push_elem(&fifo, &q, 0));
	q += 1;
	put(bpf_map_push_elem(&fifo, &q, 0));
	put(bpf_map_push_elem(&fifo, &q, BPF_EXIST));
	put(bpf_map_pop_elem(&fifo, &q) ?: q);
	s = (__u64)pkt[2] << 40;
	put(bpf_map_push_elem(&lifo, &s, 0));
	put(bpf_map_peek_elem(&lifo, &s) ?: (__s64)(s >> 32));

	v = pkt[1];
	put(bpf_map_peek_elem(&seen, &v));
	put(bpf_map_push_elem(&seen, &v, 0));
	put(bpf_map_peek_elem(&seen, &v));

	__builtin_memcpy(&v, pkt, sizeof(v));
	put(bpf_ringbuf_output(&events, &v, sizeof(v), 0));
	put(bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA));

	bump_inner(&outer_array, 0, 1);
	bump_inner(&outer_hash, 1, 0);
	bump_inner(&outer_hash, 0, 0);
	bump_inner(&outer_array, 1, 0);

	bpf_tail_call(ctx, &progs, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
