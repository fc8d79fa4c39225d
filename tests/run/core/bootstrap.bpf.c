// bootstrap.bpf.c - tracers in the style of libbpf-bootstrap, written for these tests:
// an exec/exit tracer (process lifetime with ring buffer events, parent and exit code
// through BPF_CORE_READ) and a kprobe/kretprobe latency histogram of do_nanosleep.
// Built by clang-19 -O2 -g -target bpf -D__TARGET_ARCH_x86 (regen.sh).
#include <linux/bpf.h>
#include "task.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#define MAX_SLOTS 20

struct event {
	int pid, ppid;
	unsigned int exit_code;
	unsigned int exit_event;
	unsigned long long duration_ns;
	char comm[16];
	char filename[32];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, int);
	__type(value, __u64);
} exec_start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} sleep_start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} hist SEC(".maps");

SEC("tp/sched/sched_process_exec")
int handle_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	int pid = bpf_get_current_pid_tgid() >> 32;
	__u64 ts = bpf_ktime_get_ns();
	struct event *e;

	bpf_map_update_elem(&exec_start, &pid, &ts, BPF_ANY);
	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = pid;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->exit_code = 0;
	e->exit_event = 0;
	e->duration_ns = 0;
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	unsigned int offset = BPF_CORE_READ(ctx, __data_loc_filename) & 0xffff;
	bpf_probe_read_kernel_str(&e->filename, sizeof(e->filename), (void *)ctx + offset);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tp/sched/sched_process_exit")
int handle_exit(struct trace_event_raw_sched_process_template *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid(), *start, duration = 0;
	int pid = id >> 32;
	struct event *e;

	if (pid != (__u32)id)
		return 0; /* a thread, not the process */
	start = bpf_map_lookup_elem(&exec_start, &pid);
	if (start)
		duration = bpf_ktime_get_ns() - *start;
	bpf_map_delete_elem(&exec_start, &pid);
	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = pid;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->exit_code = (BPF_CORE_READ(task, exit_code) >> 8) & 0xff;
	e->exit_event = 1;
	e->duration_ns = duration;
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	e->filename[0] = 0;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("kprobe/do_nanosleep")
int BPF_KPROBE(sleep_entry)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 ts = bpf_ktime_get_ns();

	bpf_map_update_elem(&sleep_start, &tid, &ts, BPF_ANY);
	return 0;
}

static __always_inline __u32 log2_slot(__u64 v)
{
	__u32 slot = 0;

	for (int i = 0; i < MAX_SLOTS - 1 && v > 1; i++) {
		v >>= 1;
		slot++;
	}
	return slot;
}

SEC("kretprobe/do_nanosleep")
int BPF_KRETPROBE(sleep_exit, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 *start = bpf_map_lookup_elem(&sleep_start, &tid), *count;
	__u32 slot;

	if (!start)
		return 0;
	slot = log2_slot((bpf_ktime_get_ns() - *start) / 1000); /* microseconds */
	count = bpf_map_lookup_elem(&hist, &slot);
	if (count)
		__sync_fetch_and_add(count, 1);
	bpf_map_delete_elem(&sleep_start, &tid);
	return ret != 0;
}

char LICENSE[] SEC("license") = "GPL";
