/* dead_code.bpf.c - code that constant conditions make unreachable holds a map's
 * address (ld_imm64 with a relocation) or a BPF-to-BPF call (a relocation against
 * .text): removing the dead instructions at -O0 must remove their relocations too,
 * not move them onto the next instruction kept (the loader then refuses the object:
 * "map 'out' referenced from a non-ld_imm64 instruction"). Found by
 * random_programs.sh (seeds 68, 96, 112, 129 at -O0).
 * RUN: --data-hex 0102030405060708090a0b0c0d0e0f10 --dump-maps
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} out SEC(".maps");

static __noinline __u64 twice(__u64 a)
{
	return a * 2 + 1;
}

SEC("xdp") int dead_code(struct xdp_md *ctx)
{
	__u8 *d = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u64 t = 5, u = 7;
	__u32 key = 2;

	if ((void *)(d + 16) > end)
		return XDP_DROP;
	if (1)
		t = d[3];
	else
		bpf_map_update_elem(&out, &key, &t, BPF_ANY);
	if (0)
		u = twice(d[4]);
	else
		u += d[5];
	switch (2) {
	case 1:
		t += twice(u);
		break;
	case 2:
		key = 1;
		break;
	default:
		bpf_map_delete_elem(&out, &key);
	}
	t = twice(t) + u;
	bpf_map_update_elem(&out, &key, &t, BPF_ANY);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
