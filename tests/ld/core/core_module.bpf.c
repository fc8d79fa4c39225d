/* core_module.bpf.c - CO-RE accesses to types of a kernel module (core_module.sh):
 * modfoo_state exists only in the module's split BTF, task_struct in vmlinux; with
 * -DSHARED, shared_thing, which vmlinux and the module both have (vmlinux wins). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_struct {
	int tgid;
	long state;
} __attribute__((preserve_access_index));

struct modfoo_state {
	int flags;
	long count;
	struct task_struct *owner;
} __attribute__((preserve_access_index));

struct shared_thing {
	int b;
} __attribute__((preserve_access_index));

SEC("kprobe/modfoo_tick")
int modfoo_probe(struct modfoo_state *state)
{
#ifdef SHARED
	struct shared_thing *thing = (void *)state;

	return thing->b + bpf_core_type_size(struct shared_thing);
#else
	long total = state->count + state->flags + state->owner->tgid;

	if (bpf_core_field_exists(state->count))
		total += bpf_core_type_size(struct modfoo_state);
	return total + bpf_core_type_id_kernel(struct modfoo_state) + state->owner->state;
#endif
}

char LICENSE[] SEC("license") = "GPL";
