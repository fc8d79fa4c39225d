// arrays.bpf.c - CO-RE chains through arrays of preserve_access_index records:
// constant indices join the access string, a variable index ends the chain and the
// element's member access starts a new one rooted at the element type.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct inner { int x; int y; } __attribute__((preserve_access_index));
struct task {
	int pid;
	char comm[16];
	struct inner in;
	struct inner arr[4];
	struct inner *ptrs[2];
} __attribute__((preserve_access_index));

__u64 out[16];

SEC("tp_btf/x")
int arrays(__u64 *ctx)
{
	struct task *t = (void *)ctx[0];
	int i = ctx[1] & 3;

	out[1] = t->comm[i];
	out[2] = t->in.y;
	out[3] = t->arr[2].y;
	out[4] = t->arr[i].x;
	out[5] = (__u64)&t->arr[1];
	out[6] = t->ptrs[1]->y;
	t->arr[3].x = 5;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
