/* Katran-style backend selection in XDP: the 5-tuple of an IPv4 TCP/UDP packet is
 * hashed with Bob Jenkins' lookup3 (jhash: 32-bit rotates, mixing on __u32), the hash
 * picks a slot in a consistent-hashing ring (an array map filled by the program on
 * first use from a .rodata weight table), an LRU connection table keeps existing
 * flows on their backend, per-backend packet counters live in a per-CPU array, and
 * the chosen backend's MAC is written into the Ethernet header before XDP_TX.
 * RUN: --data-hex 00112233445566778899aabb080045000028000100004006b025c0a800010a00000104d2005000000001000000005002200000000000
 * RUN: --data-hex 00112233445566778899aabb080045000028000100004006b025c0a800010a00000104d3005000000001000000005002200000000000
 * RUN: --data-hex 00112233445566778899aabb080045000028000100004006b025c0a800010a00000104d4005000000001000000005002200000000000
 * RUN: --data-hex 00112233445566778899aabb080045000028000100004006b025c0a800010a00000104d2005000000001000000005010200000000000
 * RUN: --data-hex 00112233445566778899aabb08004500002000010000401100000a0a0a0a0a00000130390035000c000061626364
 * RUN: --data-hex 00112233445566778899aabb0800450000200001000040010000c0a800010a0000010800000000000000
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define RING_SIZE 16
#define BACKENDS 3
#define JHASH_INITVAL 0xdeadbeef

struct backend {
	__u8 mac[ETH_ALEN];
	__u8 weight;
};

const volatile struct backend backends[BACKENDS] = {
	{ .mac = { 0x02, 0, 0, 0, 0, 0x01 }, .weight = 8 },
	{ .mac = { 0x02, 0, 0, 0, 0, 0x02 }, .weight = 5 },
	{ .mac = { 0x02, 0, 0, 0, 0, 0x03 }, .weight = 3 },
};
const volatile __u32 hash_seed = 0x5eed;

struct flow {
	__be32 src, dst;
	__be16 sport, dport;
	__u32 proto;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, RING_SIZE + 1); /* slot RING_SIZE: "ring filled" flag */
	__type(key, __u32);
	__type(value, __u32);
} ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 128);
	__type(key, struct flow);
	__type(value, __u32);
} conns SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, BACKENDS);
	__type(key, __u32);
	__type(value, __u64);
} per_backend SEC(".maps");

static __always_inline __u32 rol32(__u32 word, unsigned int shift)
{
	return (word << shift) | (word >> ((-shift) & 31));
}

#define jhash_final(a, b, c)                 \
	{                                    \
		c ^= b; c -= rol32(b, 14);   \
		a ^= c; a -= rol32(c, 11);   \
		b ^= a; b -= rol32(a, 25);   \
		c ^= b; c -= rol32(b, 16);   \
		a ^= c; a -= rol32(c, 4);    \
		b ^= a; b -= rol32(a, 14);   \
		c ^= b; c -= rol32(b, 24);   \
	}

static __noinline __u32 jhash_3words(__u32 a, __u32 b, __u32 c, __u32 initval)
{
	a += JHASH_INITVAL + initval + (3 << 2);
	b += JHASH_INITVAL + initval + (3 << 2);
	c += JHASH_INITVAL + initval + (3 << 2);
	jhash_final(a, b, c);
	return c;
}

static __noinline int fill_ring(void)
{
	__u32 slot = 0, done_key = RING_SIZE, *done;

	done = bpf_map_lookup_elem(&ring, &done_key);
	if (!done || *done)
		return 0;
	for (__u32 b = 0; b < BACKENDS; b++) {
		for (__u32 w = 0; w < backends[b].weight && w < RING_SIZE; w++) {
			__u32 pos = slot++ & (RING_SIZE - 1);

			bpf_map_update_elem(&ring, &pos, &b, BPF_ANY);
		}
	}
	*done = 1;
	return 1;
}

SEC("xdp")
int lb_select(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	__be16 *l4 = (void *)(iph + 1);
	struct flow f = {};
	__u32 *be, backend, slot, chosen, key;
	__u64 *count;

	fill_ring();
	if ((void *)(l4 + 2) > end || eth->h_proto != bpf_htons(ETH_P_IP) || iph->ihl != 5)
		return XDP_PASS;
	if (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP)
		return XDP_PASS;
	f.src = iph->saddr;
	f.dst = iph->daddr;
	f.sport = l4[0];
	f.dport = l4[1];
	f.proto = iph->protocol;

	be = bpf_map_lookup_elem(&conns, &f);
	if (be) {
		backend = *be;
	} else {
		slot = jhash_3words(f.src, f.dst, (__u32)f.sport << 16 | f.dport,
				    hash_seed ^ f.proto) % RING_SIZE;
		be = bpf_map_lookup_elem(&ring, &slot);
		if (!be)
			return XDP_ABORTED;
		chosen = *be;
		bpf_map_update_elem(&conns, &f, &chosen, BPF_NOEXIST);
		backend = chosen;
	}
	/* backend's address is never taken: its bounds check stays on the register */
	if (backend >= BACKENDS)
		return XDP_ABORTED;
	key = backend;
	count = bpf_map_lookup_elem(&per_backend, &key);
	if (count)
		*count += 1;
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	for (int i = 0; i < ETH_ALEN; i++)
		eth->h_dest[i] = backends[backend].mac[i];
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
