/* core.bpf.c - CO-RE relocations (field offset, existence, size) of a local struct
 * with preserve_access_index, for the .BTF.ext merge: linked after other objects, their
 * insn offsets must move with the xdp section. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct pair {
	int first;
	int second;
} __attribute__((preserve_access_index));
int touched;
SEC("xdp")
int core_reader(struct pair *pair)
{
	int has = __builtin_preserve_field_info(pair->second, 2);
	int size = __builtin_preserve_field_info(pair->second, 1);
	touched = pair->second + has + size;
	return 2;
}
char LICENSE[] SEC("license") = "GPL";
