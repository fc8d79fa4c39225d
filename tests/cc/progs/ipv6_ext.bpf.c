/* IPv6 extension-header walker in XDP, cilium/katran style: a running offset nh_off,
 * the bounds check `data + nh_off + sizeof(hdr) > data_end` followed by `hdr = data +
 * nh_off`, through hop-by-hop, routing, destination-options and fragment headers (a
 * bounded loop), to TCP/UDP/ICMPv6; counts per final protocol and drops packets with
 * a routing header of type 0 (deprecated, RFC 5095) or too many extension headers.
 * O0-REFUSED: ebpf-cc -O0 recomputes `data + nh_off` after the bounds check (kept in
 *   one register at -O2); clang -O0 calls helpers through a register (callx), which
 *   the kernel refuses too.
 * RUN: --data-hex 00112233445566778899aabb86dd6000000000180040fe800000000000000000000000000001fe8000000000000000000000000000023c00010400000000110001040000000004d2003500080000
 * RUN: --data-hex 00112233445566778899aabb86dd6000000000242b40fe800000000000000000000000000001fe8000000000000000000000000000022c0004000000000006000000000000010d05005000000001000000005002200000000000
 * RUN: --data-hex 00112233445566778899aabb86dd6000000000102b40fe800000000000000000000000000001fe800000000000000000000000000002110000000000000004d2003500080000
 * RUN: --data-hex 00112233445566778899aabb86dd6000000000083a40fe800000000000000000000000000001fe8000000000000000000000000000028000000000000000
 * RUN: --data-hex 00112233445566778899aabb86dd6000000000403c40fe800000000000000000000000000001fe8000000000000000000000000000023c000104000000003c000104000000003c000104000000003c000104000000003c000104000000003c00010400000000110001040000000004d2003500080000
 * RUN: --data-hex 00112233445566778899aabb86dd6000000000020040fe800000000000000000000000000001fe8000000000000000000000000000021100
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ipv6.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define MAX_EXT 6

struct ext_hdr {
	__u8 nexthdr;
	__u8 hdrlen;
	__u8 type; /* routing type for IPPROTO_ROUTING */
	__u8 rest;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} by_proto SEC(".maps");

SEC("xdp")
int ipv6_ext(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6h;
	__u32 nh_off = sizeof(*eth), proto;
	__u64 one = 1, *cnt;

	if (data + nh_off + sizeof(*ip6h) > data_end || eth->h_proto != bpf_htons(ETH_P_IPV6))
		return XDP_PASS;
	ip6h = data + nh_off;
	proto = ip6h->nexthdr;
	nh_off += sizeof(*ip6h);

	for (int i = 0; i < MAX_EXT; i++) {
		struct ext_hdr *eh;

		switch (proto) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_DSTOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_FRAGMENT:
			break;
		default:
			goto found;
		}
		nh_off &= 0xff;
		if (data + nh_off + sizeof(*eh) > data_end)
			return XDP_DROP;
		eh = data + nh_off;
		if (proto == IPPROTO_ROUTING && eh->type == 0)
			return XDP_DROP;
		nh_off += proto == IPPROTO_FRAGMENT ? 8 : (eh->hdrlen + 1) * 8;
		proto = eh->nexthdr;
	}
	return XDP_DROP; /* too many extension headers */
found:
	cnt = bpf_map_lookup_elem(&by_proto, &proto);
	if (cnt)
		*cnt += 1;
	else
		bpf_map_update_elem(&by_proto, &proto, &one, BPF_NOEXIST);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
