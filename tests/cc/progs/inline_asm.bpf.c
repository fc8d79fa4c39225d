/* GNU inline asm as libbpf's headers and programs use it: barrier_var, barrier,
 * "r" inputs and "=r" / "+r" outputs by number and by [name], "i" immediates, the
 * matching "0" constraints, clobbered registers (r6-r9 too), and
 * bpf_tail_call_static (its slot an "i" operand of an always_inline function).
 * RUN: --prog entry --data-hex 0500000003000000ffffffff00000000
 * RUN: --data-hex 01000000f0ffffff0200000000000000
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} out SEC(".maps");

int tail(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__array(values, int (void *));
} jump_table SEC(".maps") = {
	.values = { [2] = (void *)&tail },
};

static void put(__u32 key, __u64 value)
{
	bpf_map_update_elem(&out, &key, &value, BPF_ANY);
}

SEC("xdp")
int tail(struct xdp_md *ctx)
{
	put(7, 77);
	return XDP_TX;
}

SEC("xdp")
int entry(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u32 *words = data;
	__u64 a, b, sum, shifted, low;

	if (data + 12 > end)
		return XDP_DROP;
	a = words[0];
	b = words[1];
	barrier_var(a);
	barrier();
	asm volatile("%0 = %1\n\t%0 += %2" : "=r"(sum) : "r"(a), "r"(b));
	put(0, sum);
	shifted = a;
	asm volatile("%[v] <<= %[by]\n\t%[v] |= %[bits]"
		     : [v] "+r"(shifted) : [by] "i"(4), [bits] "i"(0x3));
	put(1, shifted);
	asm volatile("%0 = %1\n\t%0 *= -1" : "=r"(low) : "r"(b));
	put(2, low);
	asm volatile("%0 *= 3" : "=r"(a) : "0"(a));
	put(3, a);
	asm volatile("r0 = %1\n\tr0 += 1\n\t%0 = r0" : "=r"(b) : "r"(b) : "r0");
	put(4, b);
	/* registers the compiler may keep variables in, clobbered: they survive */
	asm volatile("r6 = 0\n\tr7 = 0\n\tr8 = 0\n\tr9 = 0" ::: "r6", "r7", "r8", "r9");
	put(5, a + b + sum + shifted + low);
	if (words[2] == 0xffffffff)
		bpf_tail_call_static(ctx, &jump_table, 2);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
