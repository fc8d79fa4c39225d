// core_vmlinux.bpf.c - a tracer on vmlinux.h (generated at test time from the running
// kernel): BPF_CORE_READ chains, bitfields, enum values and type ids as libbpf-style
// tools write them.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

struct task_struct___pre514 { long state; } __attribute__((preserve_access_index));

__u64 out[32];
char comm[16];

SEC("kprobe/do_nanosleep")
int BPF_KPROBE(sleep_probe, struct hrtimer_sleeper *t)
{
	struct task_struct *task = (void *)bpf_get_current_task();

	out[0] = BPF_CORE_READ(task, tgid);
	out[1] = BPF_CORE_READ(task, real_parent, tgid);
	out[2] = BPF_CORE_READ(task, cred, uid.val);
	out[3] = BPF_CORE_READ(task, nsproxy, pid_ns_for_children, level);
	out[4] = BPF_CORE_READ(task, mm, arg_start);
	out[5] = BPF_CORE_READ(t, timer.node.expires);
	out[6] = BPF_CORE_READ_BITFIELD_PROBED(task, in_execve);
	out[7] = bpf_core_field_exists(((struct task_struct___pre514 *)task)->state);
	out[8] = BPF_CORE_READ(task, __state);
	out[9] = bpf_core_enum_value(enum pid_type, PIDTYPE_TGID);
	out[10] = bpf_core_type_id_kernel(struct task_struct);
	out[11] = bpf_core_type_size(struct pt_regs);
	out[12] = PT_REGS_PARM2_CORE(ctx);
	BPF_CORE_READ_STR_INTO(&comm, task, group_leader, comm);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(switch_probe, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	out[13] = prev->pid;
	out[14] = next->tgid;
	out[15] = BPF_CORE_READ_BITFIELD(prev, sched_reset_on_fork);
	out[16] = prev->se.sum_exec_runtime;
	return 0;
}

SEC("raw_tp/sched_process_exec")
int exec_probe(struct bpf_raw_tracepoint_args *ctx)
{
	struct linux_binprm *bprm = (void *)ctx->args[2];
	struct sk_buff *skb = (void *)ctx->args[0];

	out[17] = BPF_CORE_READ(bprm, file, f_inode, i_ino);
	out[18] = (__u64)BPF_CORE_READ(skb, dev);
	out[19] = BPF_CORE_READ(skb, len);
	out[20] = BPF_CORE_READ_BITFIELD_PROBED(skb, pkt_type);
	out[21] = bpf_core_field_offset(skb->tstamp);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
