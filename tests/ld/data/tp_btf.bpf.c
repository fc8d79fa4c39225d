// tp_btf.bpf.c - loader test input: a BTF-enabled tracepoint, whose attach_btf_id is
// the kernel's btf_trace_sched_switch, reading a task field through CO-RE.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

__u64 switches_from_tasks;

SEC("tp_btf/sched_switch")
int on_switch(unsigned long long *ctx)
{
	struct task_struct *prev = (struct task_struct *)ctx[1];

	switches_from_tasks += prev->pid > 0;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
