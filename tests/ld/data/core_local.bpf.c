// core_local.bpf.c - loader test input: CO-RE relocations whose local types differ from
// the kernel's (only some members, other offsets, a "___local" flavor, a member and an
// enumerator the kernel lacks), in a raw tracepoint that can be test-run.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_struct___local {
	int tgid;
	char padding[3];
	int pid;
	unsigned int flags;
	char comm[16];
	long no_such_field;
} __attribute__((preserve_access_index));

enum pid_type___local {
	PIDTYPE_TGID___local = 7,
	PIDTYPE_NO_SUCH___local = 9,
};

__u32 seen_tgid, seen_pid, flags_size, comm_offset;
int comm_exists, missing_exists, missing_read, type_exists, tgid_value, no_such_value_exists;

SEC("raw_tp/sys_enter")
int core_probe(void *ctx)
{
	struct task_struct___local *task = (void *)bpf_get_current_task();

	seen_tgid = BPF_CORE_READ(task, tgid);
	seen_pid = BPF_CORE_READ(task, pid);
	flags_size = bpf_core_field_size(task->flags);
	comm_offset = bpf_core_field_offset(task->comm);
	comm_exists = bpf_core_field_exists(task->comm);
	missing_exists = bpf_core_field_exists(task->no_such_field);
	if (bpf_core_field_exists(task->no_such_field))
		missing_read = BPF_CORE_READ(task, no_such_field); /* poisoned, never reached */
	type_exists = bpf_core_type_exists(struct task_struct___local);
	tgid_value = bpf_core_enum_value(enum pid_type___local, PIDTYPE_TGID___local);
	no_such_value_exists = bpf_core_enum_value_exists(enum pid_type___local,
							  PIDTYPE_NO_SUCH___local);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
