// task_tracer.bpf.c - a kprobe, a tracepoint and a raw tracepoint in the
// libbpf-bootstrap style that read a task through BPF_CORE_READ chains (parent, cred,
// bitfield) and their argument from pt_regs, the tracepoint record or the raw args;
// events go to a ring buffer and trace_printk. Run by tests/run/core.sh in the
// emulator on a --task it populates. Built by clang-19 -O2 -g -target bpf
// -D__TARGET_ARCH_x86 (regen.sh).
#include <linux/bpf.h>
#include "task.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

struct event {
	int pid, tgid, ppid;
	unsigned int uid;
	unsigned long long arg;
	unsigned int in_execve;
	char comm[16];
	char parent_comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

static int emit(struct task_struct *task, unsigned long long arg)
{
	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e)
		return 1;
	e->pid = BPF_CORE_READ(task, pid);
	e->tgid = BPF_CORE_READ(task, tgid);
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->uid = BPF_CORE_READ(task, cred, uid.val);
	e->in_execve = BPF_CORE_READ_BITFIELD_PROBED(task, in_execve);
	e->arg = arg;
	BPF_CORE_READ_STR_INTO(&e->comm, task, comm);
	BPF_CORE_READ_STR_INTO(&e->parent_comm, task, real_parent, comm);
	bpf_printk("%s[%d] child of %s", e->comm, e->pid, e->parent_comm);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("kprobe/do_unlinkat")
int BPF_KPROBE(unlink_probe, int dfd, void *name)
{
	return emit((void *)bpf_get_current_task(), dfd);
}

SEC("tracepoint/syscalls/sys_enter_execve")
int execve_probe(struct trace_event_raw_sys_enter *ctx)
{
	return emit(bpf_get_current_task_btf(), BPF_CORE_READ(ctx, id));
}

/* sched_process_fork(parent, child): the child task comes in args[1]. */
SEC("raw_tp/sched_process_fork")
int fork_probe(struct bpf_raw_tracepoint_args *ctx)
{
	return emit((void *)ctx->args[1], ctx->args[0] != 0);
}

/* tp_btf and fentry: BPF_PROG's u64 argument slots; the pointers are read with
 * BPF_CORE_READ, which the emulator (no PTR_TO_BTF_ID) and the kernel both accept. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(fork_btf, struct task_struct *parent, struct task_struct *child)
{
	return emit(child, BPF_CORE_READ(parent, pid));
}

__u64 unlinks;
char last_name[32];

SEC("fentry/do_unlinkat")
int BPF_PROG(unlink_entry, int dfd, struct filename *name)
{
	const char *text = BPF_CORE_READ(name, name);

	__sync_fetch_and_add(&unlinks, 1);
	bpf_probe_read_kernel_str(last_name, sizeof(last_name), text);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
