// kfunc_cases.bpf.c - __ksym externs the kernel refuses or that are missing: a __weak
// kfunc no kernel has, behind an existence check and reached; a reference leak; an
// unbalanced RCU section; a missing __weak variable; kfuncs in a socket filter.
#include "ksym.h"

struct task_struct { int pid; };

extern void bpf_rcu_read_lock(void) __ksym;
extern struct task_struct *bpf_task_from_pid(int pid) __ksym;
extern void bpf_kfunc_not_in_any_kernel(void) __ksym __weak;
extern const int bpf_var_not_in_any_kernel __ksym __weak;

SEC("tc")
int weak_guarded(struct __sk_buff *skb)
{
	if (&bpf_kfunc_not_in_any_kernel)
		bpf_kfunc_not_in_any_kernel();
	return 1;
}

SEC("tc")
int weak_reached(struct __sk_buff *skb)
{
	if (skb->len == 7)
		bpf_kfunc_not_in_any_kernel();
	return 2;
}

SEC("tc")
int leak(struct __sk_buff *skb)
{
	struct task_struct *t = bpf_task_from_pid(1);

	return t ? 1 : 0;
}

SEC("tc")
int rcu_unbalanced(struct __sk_buff *skb)
{
	bpf_rcu_read_lock();
	return 0;
}

SEC("tc")
int weak_var(struct __sk_buff *skb)
{
	return &bpf_var_not_in_any_kernel ? 1 : 0;
}

SEC("socket")
int socket_kfunc(struct __sk_buff *skb)
{
	struct task_struct *t = bpf_task_from_pid(1);

	return t ? 1 : 0;
}

char LICENSE[] SEC("license") = "GPL";
