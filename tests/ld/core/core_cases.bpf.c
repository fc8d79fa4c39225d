// core_cases.bpf.c - CO-RE relocation cases against the running kernel's BTF with
// local types of our own (no vmlinux.h): anonymous members on either side, flavors,
// bitfields, arrays, size changes, missing members, types and enumerators.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#define PAI __attribute__((preserve_access_index))

struct list_head___core { struct list_head___core *next, *prev; } PAI;

/* Flat locally; in the kernel `next`, `dev` and `len` sit inside anonymous unions. */
struct sk_buff___flat {
	unsigned int len;
	struct sk_buff___flat *next;
	void *dev;
	__u32 hash;
	__u8 pkt_type : 3;
	__u8 ignore_df : 1;
} PAI;

/* Anonymous members locally: the path "0:0:0:0" looks through them. */
struct sk_buff___nested {
	union {
		struct {
			struct sk_buff___nested *next;
			struct sk_buff___nested *prev;
		};
		int unused;
	};
	unsigned int data_len;
} PAI;

struct task_struct___core {
	int pid;
	int tgid;
	char comm[16];
	struct task_struct___core *real_parent;
	struct list_head___core children;
	unsigned int __state;
	long state;             /* gone since 5.14: exists == 0 */
	int no_such_member;
	unsigned int in_execve : 1;
	unsigned int sched_reset_on_fork : 1;
} PAI;

struct task_struct___narrow { short pid; char flags; } PAI;   /* signed, narrower */
struct task_struct___wide { unsigned long flags; } PAI;       /* unsigned, wider */

struct no_such_type___core { int x; } PAI;
struct pt_regs___core { unsigned long di, si; } PAI;
typedef struct pt_regs___core pt_regs_alias;

enum pid_type___core { PIDTYPE_MAX___core = 99, PIDTYPE_PGID___core = 1, PIDTYPE_NONE___core };
enum bpf_map_type___core { BPF_MAP_TYPE_RINGBUF___core = 1, BPF_MAP_TYPE_NOPE___core = 2 };

__u64 out[64];

SEC("raw_tp/sys_enter")
int task_chain(void *ctx)
{
	struct task_struct___core *task = (void *)bpf_get_current_task();

	out[0] = BPF_CORE_READ(task, pid);
	out[1] = BPF_CORE_READ(task, real_parent, tgid);
	out[2] = BPF_CORE_READ(task, real_parent, real_parent, pid);
	out[3] = bpf_core_field_offset(task->comm);
	out[4] = bpf_core_field_size(task->comm);
	out[5] = bpf_core_field_offset(task->comm[3]);
	out[6] = bpf_core_field_exists(task->state);
	out[7] = bpf_core_field_exists(task->__state);
	out[8] = bpf_core_field_offset(task->children.prev);
	if (bpf_core_field_exists(task->no_such_member))
		out[9] = BPF_CORE_READ(task, no_such_member);
	out[10] = BPF_CORE_READ_BITFIELD_PROBED(task, in_execve);
	out[11] = __builtin_preserve_field_info(task->pid, BPF_FIELD_SIGNED);
	out[12] = bpf_core_field_size(task->__state);
	return 0;
}

SEC("raw_tp/sys_enter")
int skb_paths(void *ctx)
{
	struct sk_buff___flat *flat = (void *)bpf_get_current_task();
	struct sk_buff___nested *nested = (void *)flat;

	out[13] = BPF_CORE_READ(flat, len);
	out[14] = (__u64)BPF_CORE_READ(flat, next, dev);
	out[15] = bpf_core_field_offset(flat->hash);
	out[16] = BPF_CORE_READ_BITFIELD_PROBED(flat, pkt_type);
	out[17] = bpf_core_field_offset(flat->ignore_df);
	out[18] = __builtin_preserve_field_info(flat->ignore_df, BPF_FIELD_LSHIFT_U64);
	out[19] = __builtin_preserve_field_info(flat->pkt_type, BPF_FIELD_RSHIFT_U64);
	out[20] = (__u64)BPF_CORE_READ(nested, next, prev);
	out[21] = bpf_core_field_offset(nested->data_len);
	return 0;
}

SEC("raw_tp/sys_enter")
int types_enums(void *ctx)
{
	out[22] = bpf_core_type_exists(struct task_struct___core);
	out[23] = bpf_core_type_exists(struct no_such_type___core);
	out[24] = bpf_core_type_size(struct pt_regs___core);
	out[25] = bpf_core_type_size(struct no_such_type___core);
	out[26] = bpf_core_type_id_local(struct pt_regs___core);
	out[27] = bpf_core_type_id_kernel(struct pt_regs___core);
	out[28] = bpf_core_type_id_kernel(struct no_such_type___core);
	out[29] = bpf_core_type_matches(struct pt_regs___core);
	out[30] = bpf_core_type_matches(struct list_head___core);
	out[31] = bpf_core_enum_value(enum pid_type___core, PIDTYPE_MAX___core);
	out[32] = bpf_core_enum_value(enum pid_type___core, PIDTYPE_PGID___core);
	out[33] = bpf_core_enum_value_exists(enum pid_type___core, PIDTYPE_NONE___core);
	out[34] = bpf_core_enum_value_exists(enum bpf_map_type___core, BPF_MAP_TYPE_NOPE___core);
	out[35] = bpf_core_enum_value(enum bpf_map_type___core, BPF_MAP_TYPE_RINGBUF___core);
	if (bpf_core_enum_value_exists(enum pid_type___core, PIDTYPE_NONE___core))
		out[36] = bpf_core_enum_value(enum pid_type___core, PIDTYPE_NONE___core);
	out[37] = bpf_core_type_size(pt_regs_alias);
	out[38] = bpf_core_type_exists(pt_regs_alias);
	return 0;
}

/* Direct loads through a BTF pointer: LDX offsets and sizes are rewritten. */
SEC("tp_btf/sched_process_exec")
int direct_loads(__u64 *ctx)
{
	struct task_struct___core *task = (void *)ctx[0];
	struct task_struct___wide *wide = (void *)task;
	struct task_struct___narrow *narrow = (void *)task;

	out[39] = task->pid;
	out[40] = task->real_parent->tgid;
	out[41] = wide->flags;                 /* 8 -> 4 bytes unsigned: narrowed */
	if (bpf_core_field_exists(narrow->flags))
		out[42] = narrow->flags;           /* signed and sizes differ: poisoned */
	out[43] = BPF_CORE_READ_BITFIELD(task, sched_reset_on_fork);
	out[44] = task->comm[1];
	return 0;
}

/* Arrays of structs, a flexible array, and relocations inside a subprogram. */
struct rlimit___core { unsigned long rlim_cur, rlim_max; } PAI;
struct signal_struct___core { struct rlimit___core rlim[16]; } PAI;
struct cgroup___core { int level; struct cgroup___core *ancestors[]; } PAI;
struct task_struct___sig { struct signal_struct___core *signal; } PAI;

static __attribute__((noinline)) __u64 limit_of(struct signal_struct___core *sig, int which)
{
	if (which == 7)
		return BPF_CORE_READ(sig, rlim[7].rlim_max);
	return BPF_CORE_READ(sig, rlim[3].rlim_cur);
}

SEC("raw_tp/sys_enter")
int arrays(void *ctx)
{
	struct task_struct___sig *task = (void *)bpf_get_current_task();
	struct cgroup___core *cg = (void *)task;
	struct signal_struct___core *sig = BPF_CORE_READ(task, signal);

	out[45] = limit_of(sig, 3) + limit_of(sig, 7);
	out[46] = bpf_core_field_offset(cg->ancestors[2]);
	out[47] = bpf_core_field_offset(sig->rlim[15]);
	out[48] = bpf_core_field_size(sig->rlim[1].rlim_max);
	out[49] = BPF_CORE_READ(cg, level);
	return 0;
}

/* bpf_core_type_matches on layouts that do or do not match, and 64-bit enumerators. */
typedef struct { unsigned int val; } kuid_t___m;
struct cred___m { kuid_t___m uid; } PAI;
struct mm_struct___fwd;
struct task_struct___m_ok { struct mm_struct___fwd *mm; int pid; } PAI;
struct task_struct___m_size { long pid; } PAI;
enum pid_type___m_ok { PIDTYPE_PID___m, PIDTYPE_TGID___m };
enum pid_type___m_bad { PIDTYPE_NOPE___m };
typedef void (*btf_trace_sched_switch___m_ok)(void *, _Bool, struct task_struct___core *,
					     struct task_struct___core *, unsigned int);
typedef void (*btf_trace_sched_switch___m_bad)(void *, _Bool);
enum perf_callchain_context___core : unsigned long long {
	PERF_CONTEXT_KERNEL___core = 1,
	PERF_CONTEXT_MAX___core = 2,
};

SEC("raw_tp/sys_enter")
int matches(void *ctx)
{
	out[50] = bpf_core_type_matches(struct cred___m);
	out[51] = bpf_core_type_matches(struct task_struct___m_ok);
	out[52] = bpf_core_type_matches(struct task_struct___m_size);
	out[53] = bpf_core_type_matches(enum pid_type___m_ok);
	out[54] = bpf_core_type_matches(enum pid_type___m_bad);
	out[55] = bpf_core_type_matches(btf_trace_sched_switch___m_ok);
	out[56] = bpf_core_type_matches(btf_trace_sched_switch___m_bad);
	out[57] = bpf_core_type_exists(btf_trace_sched_switch___m_bad);
	out[58] = bpf_core_enum_value(enum perf_callchain_context___core, PERF_CONTEXT_KERNEL___core);
	out[59] = bpf_core_enum_value(enum perf_callchain_context___core, PERF_CONTEXT_MAX___core);
	out[60] = bpf_core_type_size(enum perf_callchain_context___core);
	out[61] = bpf_core_type_id_kernel(btf_trace_sched_switch___m_ok);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
