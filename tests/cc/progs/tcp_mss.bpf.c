/* XDP MSS clamping with a TCP option walker written the way kernel code is: a bounded
 * loop over the options with a switch on the kind (EOL, NOP, MSS, window scale,
 * SACK-permitted, timestamps, default), goto to shared exits, and an incremental
 * checksum update (RFC 1624) when the MSS option of a SYN is lowered. Option kinds
 * seen are OR-ed into a per-port bitmask in a hash map; malformed options drop.
 * RUN: --data-hex 00112233445566778899aabb080045000034000100004006b019c0a800010a00000104d200500000000100000000800220007f430000020405b40103030801010402
 * RUN: --data-hex 00112233445566778899aabb080045000034000100004006b019c0a800010a00000104d2005000000001000000008002200086ea0000020402180402010100000000
 * RUN: --data-hex 00112233445566778899aabb08004500003c000100004006b011c0a800010a00000104d200510000000100000000a012200057f20000020405dc0402080a00000001000000000103030e
 * RUN: --data-hex 00112233445566778899aabb080045000030000100004006b01dc0a800010a00000104d200500000000100000000700220009e0800000204ff0001000000
 * RUN: --data-hex 00112233445566778899aabb080045000028000100004006b025c0a800010a00000104d20050000000010000000050102000c0070000
 * RUN: --data-hex 00112233445566778899aabb080045000034000100004006b019c0a800010a00000104d200520000000100000000801020009ffb00001e04abcd0204232801000000
 * RUN: --data-hex 00112233445566778899aabb08004500002c000100004006b021c0a800010a00000104d20053000000010000000060022000ad0f000002ff0000
 * RUN: --data-hex 00112233445566778899aabb080045000030000100004006b01dc0a800010a00000104d200530000000100000000700220009d0800000302000000000000
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define MAX_OPT_WORDS 10 /* 40 bytes of options */
#define MAX_OPTS 12
#define MSS_CAP 1400

/* option kinds and lengths (RFC 9293, 7323, 2018); not in the UAPI headers */
enum {
	TCPOPT_EOL = 0,
	TCPOPT_NOP = 1,
	TCPOPT_MSS = 2,
	TCPOPT_WINDOW = 3,
	TCPOPT_SACK_PERM = 4,
	TCPOPT_TIMESTAMP = 8,
};
enum { TCPOLEN_SACK_PERM = 2, TCPOLEN_WINDOW = 3, TCPOLEN_MSS = 4, TCPOLEN_TIMESTAMP = 10 };

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u16);
	__type(value, __u32);
} opt_kinds SEC(".maps");

static __always_inline __u16 csum_fold32(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

/* RFC 1624, eqn. 3: HC' = ~(~HC + ~m + m') */
static __always_inline __u16 csum_replace2(__u16 check, __u16 old, __u16 new)
{
	__u32 sum = (__u16)~check + (__u16)~old + (__u32)new;

	return ~csum_fold32(sum);
}

SEC("xdp")
int mss_clamp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph;
	struct tcphdr *th;
	__u8 *opt;
	__u32 off = 0, opt_len;
	__u32 seen = 0, *kinds;
	__u16 port;
	int action = XDP_PASS;

	iph = (void *)(eth + 1);
	if ((void *)(iph + 1) > end)
		goto pass;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || iph->protocol != IPPROTO_TCP || iph->ihl != 5)
		goto pass;
	th = (void *)(iph + 1);
	if ((void *)(th + 1) > end)
		goto drop;
	opt_len = th->doff * 4 - sizeof(*th);
	if (opt_len > 4 * MAX_OPT_WORDS)
		goto drop;

	/* The offset is kept masked so that every iteration's state looks alike to the
	 * verifier (a pointer advanced by variable amounts explodes its state count). */
	for (int i = 0; i < MAX_OPTS; i++) {
		__u8 kind, len;

		off &= 63;
		if (off >= opt_len)
			break;
		opt = (__u8 *)(th + 1) + off;
		if ((void *)(opt + 1) > end)
			goto drop;
		kind = opt[0];
		if (kind < 32)
			seen |= 1u << kind;
		switch (kind) {
		case TCPOPT_EOL:
			goto done;
		case TCPOPT_NOP:
			off++;
			continue;
		default:
			break;
		}
		if ((void *)(opt + 2) > end)
			goto drop;
		len = opt[1];
		if (len < 2 || off + len > opt_len)
			goto drop;
		switch (kind) {
		case TCPOPT_MSS: {
			__be16 *mssp = (__be16 *)(opt + 2);
			__u16 mss;

			if (len != TCPOLEN_MSS || (void *)(mssp + 1) > end)
				goto drop;
			mss = bpf_ntohs(*mssp);
			if (th->syn && mss > MSS_CAP) {
				__be16 capped = bpf_htons(MSS_CAP);

				th->check = csum_replace2(th->check, *mssp, capped);
				*mssp = capped;
				action = XDP_TX;
			}
			break;
		}
		case TCPOPT_WINDOW:
			if (len != TCPOLEN_WINDOW)
				goto drop;
			break;
		case TCPOPT_SACK_PERM:
		case TCPOPT_TIMESTAMP:
			if (len != (kind == TCPOPT_TIMESTAMP ? TCPOLEN_TIMESTAMP : TCPOLEN_SACK_PERM))
				goto drop;
			break;
		default:
			seen |= 1u << 31; /* unknown option */
			break;
		}
		off += len;
	}
done:
	port = bpf_ntohs(th->dest);
	kinds = bpf_map_lookup_elem(&opt_kinds, &port);
	if (kinds)
		*kinds |= seen;
	else
		bpf_map_update_elem(&opt_kinds, &port, &seen, BPF_ANY);
	return action;
drop:
	return XDP_DROP;
pass:
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
