/* task.h - the kernel types core tracers read, declared locally the CO-RE way: only
 * the members used, with preserve_access_index so the loader finds the real offsets in
 * the target kernel's BTF (the emulated kernel's or the running one's). */
#ifndef CORE_TASK_H
#define CORE_TASK_H
#define __VMLINUX_H__ /* bpf_tracing.h: kernel register names (di, si, ...) */

typedef struct { unsigned int val; } kuid_t;

struct cred {
	kuid_t uid;
	kuid_t euid;
} __attribute__((preserve_access_index));

struct mm_struct {
	unsigned long arg_start;
	unsigned long arg_end;
} __attribute__((preserve_access_index));

struct task_struct {
	int pid;
	int tgid;
	char comm[16];
	int exit_code;
	unsigned int in_execve : 1;
	struct task_struct *real_parent;
	const struct cred *cred;
	struct mm_struct *mm;
} __attribute__((preserve_access_index));

struct pt_regs {
	unsigned long di, si, dx, cx, r8, r9, ax, sp, ip, bp;
} __attribute__((preserve_access_index));

struct filename {
	const char *name;
} __attribute__((preserve_access_index));

struct trace_entry {
	unsigned short type;
	int pid;
} __attribute__((preserve_access_index));

struct trace_event_raw_sys_enter {
	struct trace_entry ent;
	long id;
	unsigned long args[6];
} __attribute__((preserve_access_index));

struct trace_event_raw_sched_process_exec {
	struct trace_entry ent;
	unsigned int __data_loc_filename;
	int pid;
	int old_pid;
} __attribute__((preserve_access_index));

struct trace_event_raw_sched_process_template {
	struct trace_entry ent;
	char comm[16];
	int pid;
	int prio;
} __attribute__((preserve_access_index));

#endif
