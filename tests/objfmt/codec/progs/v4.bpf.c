/* v4.bpf.c - compiled with -mcpu=v4 (clang 19): signed division and modulo,
 * sign-extending loads and moves, byte swaps, 32-bit atomics and jmp32; with
 * -mcpu=v3 (clang 14) the alu32/jmp32 forms without the v4 instructions.
 * 32-bit atomics: builds with -mcpu=v3 or later only. */
#include "defs.h"

struct {
	__uint(type, MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, u32);
	__type(value, u32);
} slots SEC(".maps");

int signed_values[4] = { -7, 3, -100, 9 };

SEC("xdp")
int v4_ops(struct xdp_md *ctx)
{
	signed char *bytes = (signed char *)(long)ctx->data;
	short *halves = (short *)(long)ctx->data;
	int *words = (int *)(long)ctx->data;
	u32 key = 0, *slot;
	long acc;
	int a, b;

	if (ctx->data + 16 > ctx->data_end)
		return 0;
	acc = bytes[1] + halves[2] + (long)words[3];
	a = signed_values[ctx->rx_queue_index & 3];
	b = signed_values[(ctx->rx_queue_index + 1) & 3];
#if __clang_major__ >= 18 /* signed division needs ISA v4 */
	acc += a / b + a % b + acc / (long)b + acc % (long)a;
#else
	acc += (u32)a / (u32)b + (u32)a % (u32)b;
#endif
	acc += (signed char)acc + (short)(acc >> 8) + (int)(acc >> 16);
	acc ^= __builtin_bswap64(acc) ^ __builtin_bswap32((u32)acc) ^ __builtin_bswap16((u16)acc);
	slot = bpf_map_lookup_elem(&slots, &key);
	if (slot) {
		__sync_fetch_and_add(slot, 1);
		__sync_fetch_and_or(slot, 2);
		__sync_fetch_and_xor(slot, (u32)acc);
		acc += __sync_fetch_and_and(slot, 0xff);
		acc += __sync_val_compare_and_swap(slot, 3, 4);
		acc += __sync_lock_test_and_set(slot, 5);
	}
	return (u32)acc > 3 ? 2 : 1;
}

char LICENSE[] SEC("license") = "GPL";
