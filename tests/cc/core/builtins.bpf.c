// builtins.bpf.c - the CO-RE builtins and libbpf's macros over them: field offset,
// size, existence, signedness and bitfield shifts (BPF_CORE_READ_BITFIELD and its
// _PROBED form), type existence, size and match, enumerator existence and value, and
// local and target BTF type ids.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task {
	int pid;
	unsigned int a : 3, b : 5;
	char comm[16];
	short s : 7;
	union {
		struct { long x; long y; };
		int z;
	};
} __attribute__((preserve_access_index));
typedef struct task task_t;
enum state { RUNNING = 1, SLEEPING = 5, DEAD = -1 };
typedef unsigned int myint;

__u64 out[40];

SEC("raw_tp/sys_enter")
int builtins(void *ctx)
{
	struct task *t = (void *)bpf_get_current_task();

	out[0] = bpf_core_field_exists(t->pid);
	out[1] = bpf_core_field_size(t->comm);
	out[2] = bpf_core_field_offset(t->comm[2]);
	out[3] = __builtin_preserve_field_info(t->b, BPF_FIELD_SIGNED);
	out[4] = __builtin_preserve_field_info(t->b, BPF_FIELD_LSHIFT_U64);
	out[5] = __builtin_preserve_field_info(t->b, BPF_FIELD_RSHIFT_U64);
	out[6] = __builtin_preserve_field_info(t->b, BPF_FIELD_BYTE_SIZE);
	out[7] = __builtin_preserve_field_info(t->b, BPF_FIELD_BYTE_OFFSET);
	out[8] = bpf_core_type_exists(struct task);
	out[9] = bpf_core_type_size(task_t);
	out[10] = bpf_core_type_matches(struct task);
	out[11] = bpf_core_enum_value_exists(enum state, SLEEPING);
	out[12] = bpf_core_enum_value(enum state, SLEEPING);
	out[13] = bpf_core_type_id_local(struct task);
	out[14] = bpf_core_type_id_kernel(myint);
	out[15] = BPF_CORE_READ_BITFIELD_PROBED(t, b);
	out[17] = bpf_core_field_exists(struct task, comm);
	out[18] = __builtin_preserve_field_info(t->s, BPF_FIELD_SIGNED);
	out[19] = __builtin_preserve_field_info(t->s, BPF_FIELD_LSHIFT_U64);
	out[20] = bpf_core_field_offset(t->y);
	out[21] = bpf_core_field_size(t->z);
	out[22] = __builtin_preserve_field_info(t->pid, BPF_FIELD_SIGNED);
	out[23] = __builtin_preserve_field_info(t->pid, BPF_FIELD_LSHIFT_U64);
	out[24] = bpf_core_enum_value(enum state, DEAD);
	out[25] = bpf_core_field_offset(task_t, a);
	return 0;
}

SEC("tp_btf/direct")
int direct_bitfield(__u64 *ctx)
{
	struct task *t = (struct task *)ctx[0];

	out[30] = BPF_CORE_READ_BITFIELD(t, b);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
