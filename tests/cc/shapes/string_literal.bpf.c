/* Anonymous string literals go to .rodata.str1.1 (mergeable strings, entry size 1) and
 * named constant data to .rodata, as clang places them: libbpf makes a map of each,
 * so the reports (map lists) of the two objects agree. A static local (bpf_printk's
 * format) is created at its declaration, before the globals its arguments name.
 * RUN: --data-hex 0102030405060708
 * SHAPE: .section	.rodata.str1.1,"aMS",@progbits,1
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __u32 calls;

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	const char *s = "hello";
	__u32 i = ctx->ingress_ifindex & 3;

	calls++;
	bpf_printk("char %d calls %u", s[i], calls);
	return s[i] & 3;
}

char LICENSE[] SEC("license") = "GPL";
