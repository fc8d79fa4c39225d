/* maps.bpf.c - typical clang output: maps, helper calls, a subprogram, globals,
 * a string in .rodata, atomics, loops and several program sections. */
#include "defs.h"

struct {
	__uint(type, MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, u32);
	__type(value, u64);
} counts SEC(".maps");

struct {
	__uint(type, MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

u64 total = 0;
u32 limit = 100;
const char greeting[] = "ifindex %d";

static noinline u32 mix(u32 x, u32 y)
{
	u32 h = x * 2654435761u;

	for (int i = 0; i < 8; i++)
		h = (h ^ y) >> 3 | h << 29;
	return h;
}

SEC("xdp")
int count_packets(struct xdp_md *ctx)
{
	u32 key = ctx->ingress_ifindex;
	u64 one = 1, *value;

	if (ctx->data + 14 > ctx->data_end)
		return 1;
	value = bpf_map_lookup_elem(&counts, &key);
	if (value)
		__sync_fetch_and_add(value, 1);
	else
		bpf_map_update_elem(&counts, &key, &one, 0);
	__sync_fetch_and_add(&total, 1);
	if (key > limit)
		bpf_trace_printk(greeting, sizeof(greeting), key);
	return mix(key, ctx->rx_queue_index) & 1 ? 2 : 1;
}

SEC("tracepoint/syscalls/sys_enter_write")
int trace_write(void *ctx)
{
	u64 stamp = bpf_ktime_get_ns();
	s64 delta = (s64)stamp - (s64)total;

	if (delta < 0)
		delta = -delta;
	switch (delta & 7) {
	case 0: stamp += 3; break;
	case 1: stamp ^= 0x1234567890ull; break;
	case 5: stamp >>= 7; break;
	default: stamp = mix((u32)stamp, 7);
	}
	bpf_ringbuf_output(&events, &stamp, sizeof(stamp), 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
