/* net.c - round-trip sample: packet parsing, a hash map, helpers, atomics. */
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

struct xdp_md { u32 data, data_end, data_meta, ingress_ifindex, rx_queue_index, egress_ifindex; };

struct {
	int (*type)[1];
	int (*key_size)[4];
	int (*value_size)[8];
	int (*max_entries)[256];
} counts __attribute__((section(".maps"), used));

static void *(*map_lookup_elem)(void *map, const void *key) = (void *)1;
static long (*map_update_elem)(void *map, const void *key, const void *value, u64 flags) = (void *)2;
static u64 (*ktime_get_ns)(void) = (void *)5;

__attribute__((section("xdp"), used)) int count_packets(struct xdp_md *ctx)
{
	u8 *data = (u8 *)(long)ctx->data, *end = (u8 *)(long)ctx->data_end;
	u32 key;
	u64 *value, one = 1;

	if (data + 14 > end)
		return 1;
	key = (u32)((data[12] << 8) | data[13]);
	value = map_lookup_elem(&counts, &key);
	if (value) {
		__sync_fetch_and_add(value, 1);
		return 2;
	}
	if (ktime_get_ns() & 1)
		map_update_elem(&counts, &key, &one, 0);
	return key > 0x800 ? 2 : 1;
}

char _license[] __attribute__((section("license"), used)) = "GPL";
