/* Token-bucket policer kept entirely in global data: the configuration is a const
 * volatile struct in .rodata (per-class rate and burst), a static const DSCP-to-class
 * table indexed at run time stays in .rodata, bucket state lives in a .bss array of
 * structs, verdict counters in .data, and a custom ".data.limits" section holds a
 * tunable. The packet's timestamp comes from its first 8 bytes (a trailer a
 * measurement rig would add), so runs are deterministic. 64-bit arithmetic: refill =
 * elapsed * rate / 1e9 with a clamp, signed token debt.
 * RUN: --data-hex 00ca9a3b000000000000000008004500001a0000000000000000
 * RUN: --data-hex 00ca9a3b0000000000000000080045b8001a0000000000000000
 * RUN: --data-hex 00ca9a3b0000000000000000080045b8001a0000000000000000
 * RUN: --data-hex 00ca9a3b0000000000000000080045b8001a0000000000000000
 * RUN: --data-hex 00ca9a3b0000000000000000080045b8001a0000000000000000
 * RUN: --data-hex 009435770000000000000000080045b8001a0000000000000000
 * RUN: --data-hex 00943577000000000000000008004520001a0000000000000000
 * RUN: --data-hex 00943577000000000000000008004580001a0000000000000000
 * RUN: --data-hex 00943577000000000000000008004580001a0000000000000000
 * RUN: --data-hex 00943577000000000000000086dd4500001a0000000000000000
 * RUN: --data-hex 00ca9a3b000000000000000008004500
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define NSEC_PER_SEC 1000000000ULL
#define CLASSES 4

struct class_cfg {
	__u32 rate;  /* bytes per second */
	__u32 burst; /* bucket depth in bytes */
};

struct config {
	__u8 enabled;
	__u8 strict;
	struct class_cfg class[CLASSES];
};

const volatile struct config cfg = {
	.enabled = 1,
	.class = {
		[0] = { .rate = 100, .burst = 120 },
		[1] = { .rate = 1000000, .burst = 3000 },
		[3] = { .rate = 50, .burst = 60 },
	},
};

static const __u8 dscp_class[64] = {
	[0 ... 7] = 0, [8 ... 31] = 1, [32 ... 45] = 2, [46] = 3, [47 ... 63] = 2,
};

struct bucket {
	__u64 last_ns;
	__s64 tokens;
	__u32 passed;
	__u32 dropped;
};

struct bucket buckets[CLASSES];
__u64 verdicts[3] = { 0, 0, 0 };
__u32 debt_limit SEC(".data.limits") = 40;

enum { V_PASS, V_DROP, V_OTHER };

static __always_inline __s64 refill(struct bucket *b, __u64 now, const volatile struct class_cfg *c)
{
	__u64 elapsed = now > b->last_ns ? now - b->last_ns : 0;
	__s64 tokens = b->tokens;

	if (b->last_ns == 0)
		return c->burst;
	if (elapsed > 10 * NSEC_PER_SEC)
		elapsed = 10 * NSEC_PER_SEC;
	tokens += elapsed * c->rate / NSEC_PER_SEC;
	if (tokens > (__s64)c->burst)
		tokens = c->burst;
	return tokens;
}

SEC("xdp")
int police(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u8 *ip = (__u8 *)(eth + 1);
	__u64 now, len = end - data;
	struct bucket *b;
	__u32 cls;

	if ((void *)(ip + 2) > end) {
		verdicts[V_OTHER]++;
		return XDP_PASS;
	}
	if (eth->h_proto != bpf_htons(ETH_P_IP) || !cfg.enabled) {
		verdicts[V_OTHER]++;
		return XDP_PASS;
	}
	__builtin_memcpy(&now, eth, sizeof(now));
	/* masked rather than range-checked: clang hoists the scaled index above a check */
	cls = dscp_class[ip[1] >> 2] & (CLASSES - 1);
	b = &buckets[cls];
	b->tokens = refill(b, now, &cfg.class[cls]);
	b->last_ns = now;
	b->tokens -= len;
	if (b->tokens < -(__s64)debt_limit || (cfg.strict && b->tokens < 0)) {
		b->tokens += len;
		b->dropped++;
		verdicts[V_DROP]++;
		return XDP_DROP;
	}
	b->passed++;
	verdicts[V_PASS]++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
