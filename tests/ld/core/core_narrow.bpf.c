// core_narrow.bpf.c - candidate narrowing: against core_target's BTF the first
// relocation (x) matches only foo___a, so libbpf keeps just that candidate for the
// later ones and y resolves to 4 instead of being ambiguous (foo___b has y at 0).
// A program that is not autoloaded is not relocated at all.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct foo { int x; int y; } __attribute__((preserve_access_index));

__u64 out[2];

SEC("raw_tp/sys_enter")
int narrow(void *ctx)
{
	struct foo *f = (void *)bpf_get_current_task();

	out[0] = bpf_core_field_offset(f->x);
	out[1] = bpf_core_field_offset(f->y);
	return 0;
}

/* Not autoloaded: libbpf leaves its relocations alone, so y alone (ambiguous between
 * the flavors) does not fail the object. */
struct foo___opt { int y; } __attribute__((preserve_access_index));

SEC("?raw_tp/sys_exit")
int ambiguous(void *ctx)
{
	struct foo___opt *f = (void *)bpf_get_current_task();

	out[1] = bpf_core_field_offset(f->y);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
