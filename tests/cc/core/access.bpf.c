// access.bpf.c - CO-RE field accesses: preserve_access_index records (attribute and
// the #pragma clang attribute of vmlinux.h), __builtin_preserve_access_index and
// BPF_CORE_READ chains, through anonymous members, arrays, typedefs and p[k].
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)
struct list_node { struct list_node *next, *prev; };
struct sk_buff {
	union {
		struct {
			struct sk_buff *next;
			struct sk_buff *prev;
		};
		struct list_node list;
	};
	unsigned int len;
	unsigned char cb[48];
};
#pragma clang attribute pop

struct plain { int a; int b; };          /* not preserve_access_index */
struct task {
	int pid;
	int tgid;
	struct plain in;
	struct task *real_parent;
	char comm[16];
	struct sk_buff *skb;
	long counters[4];
} __attribute__((preserve_access_index));
typedef struct task task_t;

__u64 out[16];

SEC("kprobe/do_nothing")
int chains(struct pt_regs *ctx)
{
	task_t *task = (void *)bpf_get_current_task();
	struct sk_buff *skb;

	out[0] = BPF_CORE_READ(task, pid);
	out[1] = BPF_CORE_READ(task, real_parent, tgid);
	out[2] = BPF_CORE_READ(task, real_parent, in.b);
	out[3] = BPF_CORE_READ(task, skb, len);
	out[4] = (__u64)BPF_CORE_READ(task, skb, prev);
	out[5] = (__u64)BPF_CORE_READ(task, skb, list.prev, next);
	out[6] = BPF_CORE_READ(task, counters[2]);
	skb = BPF_CORE_READ(task, skb);
	out[7] = BPF_CORE_READ(skb, cb[5]);
	bpf_probe_read_kernel(&out[8], 8,
			      __builtin_preserve_access_index(&((struct plain *)task)->b));
	bpf_probe_read_kernel(&out[9], 4, &task[1].tgid);
	return 0;
}

SEC("tp_btf/direct")
int direct(__u64 *ctx)
{
	struct task *task = (struct task *)ctx[0];

	out[10] = task->tgid;        /* the load carries the relocation */
	out[11] = task->in.b;        /* relocated offset of `in`, then plain +4 */
	out[12] = task->comm[3];
	task->pid = 7;               /* the store carries it */
	out[13] = (__u64)&task->comm[1];
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
