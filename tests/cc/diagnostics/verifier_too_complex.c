/* A loop the verifier walks iteration by iteration past its 1M-insn limit: the
 * kernel's E2BIG rejection (clang's object gets it too), reported at compile time with
 * the end of the log only. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int too_complex(struct xdp_md *ctx)
{
	__u64 sum = 0;
#pragma nounroll
	for (__u32 i = 0; i < 300000; i++)
		sum += i ^ (sum >> 3);
	return sum & 1;
}
char LICENSE[] SEC("license") = "GPL";
