/* Global data: .data, .bss, const volatile .rodata, static locals, strings for
 * bpf_printk, a global non-inlined subprogram.
 * RUN: --data-hex 000102030405060708090a0b0c0d0e0f
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 scale = 3;
const volatile char banner[8] = "cfg";
__u64 total = 100;
__u32 calls;
static __u32 hidden[4] = { 1, 2, 3, 4 };
int table[3][2] = { { 1, 2 }, { 3, 4 }, [2][1] = 6 };

__noinline int weigh(int x)
{
	static int seen;

	seen += x;
	return x * scale + seen;
}

SEC("xdp")
int use_globals(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;
	int w = weigh(len);

	calls++;
	total += w;
	hidden[calls & 3] += table[2][1] + table[1][0];
	bpf_printk("len=%u w=%d %s", len, w, banner);
	return hidden[1] > 100 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
