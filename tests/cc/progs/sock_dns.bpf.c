/* Socket filter that watches DNS queries: the IPv4 header length comes from ihl, the
 * UDP header and DNS header are read with bpf_skb_load_bytes at variable offsets, the
 * query name is copied to the stack and its labels walked in a bounded loop (label
 * count, name length, an FNV-1a hash of the lowercased name). Queries are counted per
 * name hash and per query type; names on the block list (.rodata) and malformed names
 * are dropped (return 0), other DNS packets are truncated to the DNS header plus 32
 * bytes, non-DNS traffic is kept whole (skb->len).
 * RUN: --data-hex 00112233445566778899aabb08004500004a000100004011f94ec0a80001c0a8000204d200350036742f1234010000010000000000000378797a03636f6d0000010001000000000000000000000000000000000000000000
 * RUN: --data-hex 00112233445566778899aabb08004500004a000100004011f94ec0a80001c0a8000204d200350036d9fe123501000001000000000000074558414d504c45036f726700001c00010000000000000000000000000000000000
 * RUN: --data-hex 00112233445566778899aabb08004500004a000100004011f94ec0a80001c0a8000204d200350036b4ad1236010000010000000000000358595a03434f4d0000010001000000000000000000000000000000000000000000
 * RUN: --data-hex 00112233445566778899aabb08004500004a000100004011f94ec0a80001c0a8000204d200350036372c1237010000010000000000004078797a03636f6d0000010001000000000000000000000000000000000000000000
 * RUN: --data-hex 00112233445566778899aabb08004500004a000100004011f94ec0a80001c0a8000204d2003500364f6412380100000100000000000001610162016301640000100001000000000000000000000000000000000000000000
 * RUN: --data-hex 00112233445566778899aabb0800460000200001000040110000c0a80001c0a800020000000004d20050000cb49961626364
 * RUN: --data-hex 00112233445566778899aabb86dd6000000000003b400000000000000000000000000000000000000000000000000000000000000000
 */
#include <stddef.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define NAME_MAX_BYTES 32
#define FNV_OFFSET 2166136261u
#define FNV_PRIME 16777619u

struct dnshdr {
	__be16 id;
	__be16 flags;
	__be16 qdcount;
	__be16 ancount;
	__be16 nscount;
	__be16 arcount;
};

struct name_info {
	__u32 hash;
	__u16 length;
	__u8 labels;
	__u8 bad;
};

const volatile __u32 blocked_hash = 0x337f014d; /* "example.org" */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} by_name SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
} by_qtype SEC(".maps");

static __always_inline __u8 lower(__u8 c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Walks the length-prefixed labels of a wire-format name held in name[]. */
static __noinline int walk_name(__u8 *name, struct name_info *info)
{
	__u32 hash = FNV_OFFSET, pos = 0, left = 0;

	for (int i = 0; i < NAME_MAX_BYTES; i++) {
		__u8 c = name[pos & (NAME_MAX_BYTES - 1)];

		if (left == 0) {
			if (c == 0)
				break;
			if (c > 63)
				return -1;
			left = c;
			info->labels++;
			hash = (hash ^ '.') * FNV_PRIME;
		} else {
			hash = (hash ^ lower(c)) * FNV_PRIME;
			left--;
		}
		pos++;
	}
	if (left)
		return -1;
	info->hash = hash;
	info->length = pos + 1;
	return 0;
}

SEC("socket")
int dns_watch(struct __sk_buff *skb)
{
	__u8 name[NAME_MAX_BYTES] = {};
	struct name_info info = {};
	struct dnshdr dns;
	__u8 ver_ihl, proto;
	__be16 dport, qtype;
	__u32 off, qtype_key;
	__u64 one = 1, *count;
	__u32 *typed;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return skb->len;
	if (bpf_skb_load_bytes(skb, 0, &ver_ihl, 1) ||
	    bpf_skb_load_bytes(skb, offsetof(struct iphdr, protocol), &proto, 1))
		return 0;
	if (proto != IPPROTO_UDP)
		return skb->len;
	off = (ver_ihl & 0x0f) << 2;
	if (bpf_skb_load_bytes(skb, off + offsetof(struct udphdr, dest), &dport, 2))
		return 0;
	if (dport != bpf_htons(53))
		return skb->len;
	off += sizeof(struct udphdr);
	if (bpf_skb_load_bytes(skb, off, &dns, sizeof(dns)) || dns.qdcount != bpf_htons(1))
		return 0;
	off += sizeof(dns);
	if (bpf_skb_load_bytes(skb, off, name, sizeof(name)) || walk_name(name, &info))
		return 0;
	if (info.hash == blocked_hash)
		return 0;
	if (bpf_skb_load_bytes(skb, off + info.length, &qtype, 2))
		return 0;

	count = bpf_map_lookup_elem(&by_name, &info.hash);
	if (count)
		__sync_fetch_and_add(count, 1);
	else
		bpf_map_update_elem(&by_name, &info.hash, &one, BPF_NOEXIST);
	qtype_key = bpf_ntohs(qtype) & 63;
	typed = bpf_map_lookup_elem(&by_qtype, &qtype_key);
	if (typed)
		*typed += info.labels;
	return off + NAME_MAX_BYTES;
}

char LICENSE[] SEC("license") = "GPL";
