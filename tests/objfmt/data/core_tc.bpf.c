/* core_tc.bpf.c - reference object: tc classifiers reading the context through CO-RE
 * relocations (preserve_access_index, field-exists), a format string in .rodata, two
 * global subprograms and a tail call through a prog array. */
#include "bpf_defs.h"

struct __sk_buff {
	__u32 len;
	__u32 pkt_type;
	__u32 mark;
	__u32 queue_mapping;
	__u32 protocol;
} __attribute__((preserve_access_index));

struct {
	__uint(type, MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} jump_table SEC(".maps");

__noinline int mark_of(struct __sk_buff *skb)
{
	return skb->mark & 0xff;
}

__noinline int queue_of(struct __sk_buff *skb)
{
	if (__builtin_preserve_field_info(skb->queue_mapping, 2 /* FIELD_EXISTS */))
		return skb->queue_mapping;
	return -1;
}

SEC("tc")
int classify_skb(struct __sk_buff *skb)
{
	static const char fmt[] = "len=%u mark=%d\n";
	int mark = mark_of(skb);

	bpf_trace_printk(fmt, sizeof(fmt), skb->len, mark);
	if (skb->protocol == 0x0008)
		bpf_tail_call(skb, &jump_table, 0);
	return mark > 3 ? 2 : 0;
}

SEC("classifier")
int tail_target(struct __sk_buff *skb)
{
	return queue_of(skb) > 0 ? 0 : 2;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
