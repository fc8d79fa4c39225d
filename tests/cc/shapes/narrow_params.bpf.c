/* Narrow parameters of functions whose caller is the kernel (a bpf_loop callback) or
 * that the verifier checks on their own (global functions): the upper register bits
 * are unspecified there, so ebpf-cc extends them on entry, as clang does; without it
 * the bounds checks on the narrow values do not bound the 64-bit registers.
 * RUN: --data-hex 0102030405060708
 * SHAPE: w1 = w1
 * SHAPE: w1 &= 65535
 * SHAPE: w1 <<= 24
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 table[8];
__u64 small[16];

static long add_index(__u32 index, void *ctx)
{
	if (index >= 8)
		return 1;
	table[index] += index;
	return 0;
}

__attribute__((noinline)) int bump_port(__u16 port)
{
	if (port >= 16)
		return 0;
	small[port] += 1;
	return port;
}

__attribute__((noinline)) int bump_signed(__s8 delta)
{
	if (delta < 0 || delta >= 8)
		return -1;
	table[delta] += 100;
	return delta;
}

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	bpf_loop(8, add_index, 0, 0);
	return bump_port(ctx->ingress_ifindex + 3) + bump_signed(ctx->rx_queue_index + 5) +
	       XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
