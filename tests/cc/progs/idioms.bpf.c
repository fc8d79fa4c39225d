/* Small idioms libbpf-style programs are made of, each result stored in an array
 * map: __builtin_memcmp against a string literal, packed structs read from the
 * packet at odd offsets, a pointer-walking loop (p < end), a conditional map-value
 * pointer, a stack array of structs filled in a loop and indexed by a masked value,
 * a volatile loop counter, unsigned division and modulo by constants, bpf_printk
 * with three arguments, and a dense switch whose cases call a helper.
 * RUN: --data-hex 6574683000112233445566778899aabbccddeeff0102030405060708
 * RUN: --data-hex 776c616e30ff0000000000000000000000000000000000000000000000
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define SLOTS 32

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} out SEC(".maps");

struct odd_hdr {
	__u8 tag;
	__u32 value;
	__u16 port;
} __attribute__((packed));

struct slot {
	__u16 id;
	__u8 used;
	__u32 weight;
};

static __u32 cursor;

static __always_inline void put(__u64 v)
{
	__u32 k = cursor++ % SLOTS;

	bpf_map_update_elem(&out, &k, &v, BPF_ANY);
}

static __noinline __u64 classify(__u8 c)
{
	switch (c) {
	case 0: return 100;
	case 1: return bpf_get_smp_processor_id() + 101;
	case 2: return 102;
	case 3: case 4: return 134;
	case 5: return 105;
	case 6: return 106;
	case 7: return 107;
	case 0x11: return 117;
	default: return c * 2;
	}
}

SEC("xdp")
int idioms(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct slot slots[4];
	struct odd_hdr *oh;
	__u64 *prev, sum = 0;
	__u8 *p;
	int i;

	if (data + 28 > end)
		return XDP_ABORTED;
	put(__builtin_memcmp(data, "eth0", 4) == 0);
	oh = data + 5;
	put(oh->tag);
	put(oh->value);
	put(oh->port);

	i = 0;
	for (p = data; p + 1 <= (__u8 *)end && i < 28; p++, i++)
		sum += *p;
	put(sum);

	for (int j = 0; j < 4; j++) {
		slots[j].id = j * 10;
		slots[j].used = j & 1;
		slots[j].weight = ((__u8 *)data)[j + 8] * 3;
	}
	i = ((__u8 *)data)[5] & 3;
	put(slots[i].id + slots[i].weight + slots[i].used);

	__u32 zero = 0;
	prev = sum > 1000 ? bpf_map_lookup_elem(&out, &zero) : 0;
	put(prev ? *prev + 1 : 7);

	put(sum / 7 + sum % 10 + (sum >> 3) % 16);
	bpf_printk("sum=%llu first=%u cursor=%u", sum, ((__u8 *)data)[0], cursor);
	put(classify(((__u8 *)data)[6]) + classify(((__u8 *)data)[7] & 7));
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
