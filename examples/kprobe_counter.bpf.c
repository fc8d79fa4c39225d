// kprobe_counter.bpf.c - a kprobe counting calls per first argument: the probe reads
// the argument registers from the pt_regs context (PT_REGS_PARM1/PARM3 of x86-64) and
// counts each (directory fd, flags) pair; run it with a pt_regs context (--ctx-hex).
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct call_key {
	__s32 dfd;
	__u32 flags;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 128);
	__type(key, struct call_key);
	__type(value, __u64);
} calls SEC(".maps");

__u64 total_calls;

SEC("kprobe/do_sys_openat2")
int count_openat(struct pt_regs *ctx)
{
	struct call_key key = {
		.dfd = (__s32)PT_REGS_PARM1(ctx),
		.flags = (__u32)PT_REGS_PARM3(ctx),
	};
	__u64 one = 1, *count = bpf_map_lookup_elem(&calls, &key);

	if (count)
		__sync_fetch_and_add(count, 1);
	else
		bpf_map_update_elem(&calls, &key, &one, BPF_NOEXIST);
	total_calls++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
