/* socket_min.bpf.c - reference object: the smallest useful program, a socket filter with
 * no maps or globals (only .BTF/.BTF.ext and debug sections besides the code). */
#include "bpf_defs.h"

struct __sk_buff {
	__u32 len;
};

SEC("socket")
int accept_short(struct __sk_buff *skb)
{
	return skb->len < 128 ? skb->len : 0;
}

char LICENSE[] SEC("license") = "GPL";
