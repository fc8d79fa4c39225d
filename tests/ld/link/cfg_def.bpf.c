/* cfg_def.bpf.c - defines the variable cfg of type struct cfg { int; int; }. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct cfg {
	int limit;
	int mode;
};
struct cfg cfg = { 10, 1 };
char LICENSE[] SEC("license") = "GPL";
