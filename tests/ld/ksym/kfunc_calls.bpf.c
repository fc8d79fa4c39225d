// kfunc_calls.bpf.c - programs calling generic kfuncs through __ksym externs, all of
// them accepted by the kernel (libbpf loads the whole object to compare with).
#include "ksym.h"

struct task_struct { int pid; };

extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern struct task_struct *bpf_task_from_pid(int pid) __ksym;

SEC("tc")
int rcu_section(struct __sk_buff *skb)
{
	bpf_rcu_read_lock();
	bpf_rcu_read_unlock();
	return 0;
}

SEC("tc")
int task_refs(struct __sk_buff *skb)
{
	struct task_struct *t = bpf_task_from_pid(1), *again;

	if (!t)
		return 1;
	again = bpf_task_acquire(t);
	if (again)
		bpf_task_release(again);
	bpf_task_release(t);
	return 0;
}

SEC("xdp")
int xdp_task(struct xdp_md *ctx)
{
	struct task_struct *t;

	bpf_rcu_read_lock();
	t = bpf_task_from_pid(ctx->ingress_ifindex);
	bpf_rcu_read_unlock();
	if (!t)
		return XDP_PASS;
	bpf_task_release(t);
	return XDP_DROP;
}

/* a tp_btf hook's task argument is trusted: it may be acquired directly */
SEC("tp_btf/sched_switch")
int switch_refs(unsigned long long *ctx)
{
	struct task_struct *held = bpf_task_acquire((struct task_struct *)ctx[1]);
	int pid;

	if (!held)
		return 0;
	pid = held->pid;
	bpf_task_release(held);
	return pid & 0;
}

char LICENSE[] SEC("license") = "GPL";
