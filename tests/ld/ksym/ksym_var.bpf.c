// ksym_var.bpf.c - a typed kernel variable (a per-CPU one) through a __ksym extern:
// its ld_imm64 becomes BPF_PSEUDO_BTF_ID with the VAR's id in the kernel's BTF.
#include "ksym.h"

struct rq { int cpu; };

extern const struct rq runqueues __ksym;

SEC("tc")
int typed_var(struct __sk_buff *skb)
{
	const struct rq *rq = bpf_per_cpu_ptr(&runqueues, 0);

	return rq ? rq->cpu : -1;
}

char LICENSE[] SEC("license") = "GPL";
