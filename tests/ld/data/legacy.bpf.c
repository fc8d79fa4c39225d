// legacy.bpf.c - loader test input: maps in the legacy "maps" section
// (struct bpf_map_def), a kprobe section with a suffix, a version section.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct legacy_map_def {
	unsigned int type, key_size, value_size, max_entries, map_flags;
};

struct legacy_map_def SEC("maps") events_count = {
	.type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8, .max_entries = 16,
};
struct legacy_map_def SEC("maps") slots = {
	.type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 2,
};

SEC("kprobe/do_sys_openat2")
int probe(void *ctx)
{
	__u32 key = 1;
	__u32 *slot = bpf_map_lookup_elem(&slots, &key);

	bpf_map_lookup_elem(&events_count, &key);
	return slot ? 0 : 1;
}

char LICENSE[] SEC("license") = "GPL";
__u32 VERSION SEC("version") = 0x060100;
