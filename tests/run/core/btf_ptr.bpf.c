// btf_ptr.bpf.c - a task read by direct dereference of bpf_get_current_task_btf()'s
// pointer (PTR_TO_BTF_ID, run as fault-tolerant probe-mem loads), not through
// bpf_probe_read: the field itself, and a field of the task its pointer member leads
// to; and the task pointers a tp_btf program gets as arguments. Run by tests/run/btf_ptr.sh on a --task it populates. Built by clang-19 -O2 -g
// -target bpf -D__TARGET_ARCH_x86 (regen.sh).
#include <linux/bpf.h>
#include "task.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("kprobe/do_nanosleep")
int task_pid(void *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();

	return task->pid;
}

SEC("kprobe/do_nanosleep")
int parent_tgid(void *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();

	return task->real_parent->tgid;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(fork_pids, struct task_struct *parent, struct task_struct *child)
{
	return child->pid * 1000 + parent->tgid;
}

char LICENSE[] SEC("license") = "GPL";
