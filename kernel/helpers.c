/* helpers.c - the helper table by UAPI id, and the helpers for maps, time, random
 * numbers, the current task, tail calls and spin locks; the kfunc table by name. */
#include <errno.h>
#include <string.h>

#include "helpers.h"
#include "kbtf_int.h"

#define H(name) [BPF_FUNC_##name] = emu_helper_##name

static const emu_helper_fn helper_table[] = {
	H(map_lookup_elem), H(map_update_elem), H(map_delete_elem), H(map_push_elem),
	H(map_pop_elem), H(map_peek_elem), H(ktime_get_ns), H(ktime_get_boot_ns),
	H(ktime_get_coarse_ns), H(jiffies64), H(get_prandom_u32), H(get_smp_processor_id),
	H(get_numa_node_id), H(get_current_pid_tgid), H(get_current_uid_gid),
	H(get_current_comm), H(get_current_task), H(get_current_task_btf), H(tail_call),
	H(spin_lock), H(spin_unlock), H(trace_printk), H(trace_vprintk), H(snprintf), H(probe_read),
	H(probe_read_str), H(probe_read_kernel), H(probe_read_user),
	H(probe_read_kernel_str), H(probe_read_user_str), H(perf_event_output),
	H(ringbuf_output), H(ringbuf_reserve), H(ringbuf_submit), H(ringbuf_discard),
	H(ringbuf_query), H(xdp_adjust_head), H(xdp_adjust_tail), H(xdp_adjust_meta),
	H(skb_load_bytes), H(skb_store_bytes), H(l3_csum_replace), H(l4_csum_replace),
	H(csum_diff), H(redirect), H(redirect_map), H(loop), H(for_each_map_elem),
	H(strtol), H(strtoul), H(sk_lookup_tcp), H(sk_lookup_udp), H(skc_lookup_tcp),
	H(sk_release), H(sk_fullsock), H(tcp_sock), H(timer_init), H(timer_set_callback),
	H(timer_start), H(timer_cancel), H(ringbuf_reserve_dynptr), H(ringbuf_submit_dynptr),
	H(ringbuf_discard_dynptr), H(dynptr_read), H(dynptr_write), H(dynptr_data),
};

emu_helper_fn emu_helper_impl(int32_t id)
{
	if (id < 0 || (size_t)id >= sizeof(helper_table) / sizeof(helper_table[0]))
		return NULL;
	return helper_table[id];
}

/* callx with a helper id in the register (uBPF convention, conformance plugin). */
uint64_t emu_helper_call_by_id(int32_t id, const uint64_t *reg)
{
	emu_helper_fn fn = emu_helper_impl(id);
	struct emu_run *run = emu_run_current();

	if (!fn) {
		emu_run_fault(run, -EINVAL, "callx: %d is neither a function nor a helper", id);
		return 0;
	}
	return fn(reg[1], reg[2], reg[3], reg[4], reg[5]);
}

#define MAP(r) ((struct emu_map *)(uintptr_t)(r))
#define PTR(r) ((void *)(uintptr_t)(r))

EMU_HELPER(map_lookup_elem)
{
	return (uint64_t)(uintptr_t)emu_map_lookup_elem(MAP(r1), PTR(r2));
}

EMU_HELPER(map_update_elem)
{
	return (uint64_t)emu_map_update_elem(MAP(r1), PTR(r2), PTR(r3), r4);
}

EMU_HELPER(map_delete_elem)
{
	return (uint64_t)emu_map_delete_elem(MAP(r1), PTR(r2));
}

EMU_HELPER(map_push_elem)
{
	return (uint64_t)emu_map_push_elem(MAP(r1), PTR(r2), r3);
}

/* An empty queue or stack leaves a zeroed value behind (__queue_map_get). A bloom
 * filter's peek only tests membership: its value is an input and stays as it was. */
static uint64_t zero_value_on_enoent(struct emu_map *map, void *value, long ret)
{
	uint32_t type = emu_map_desc(map)->type;

	if (ret == -ENOENT && (type == BPF_MAP_TYPE_QUEUE || type == BPF_MAP_TYPE_STACK))
		memset(value, 0, emu_map_desc(map)->value_size);
	return (uint64_t)ret;
}

EMU_HELPER(map_pop_elem)
{
	return zero_value_on_enoent(MAP(r1), PTR(r2), emu_map_pop_elem(MAP(r1), PTR(r2)));
}

EMU_HELPER(map_peek_elem)
{
	return zero_value_on_enoent(MAP(r1), PTR(r2), emu_map_peek_elem(MAP(r1), PTR(r2)));
}

EMU_HELPER(ktime_get_ns)
{
	return emu_helpers_clock_read();
}

EMU_HELPER(ktime_get_boot_ns)
{
	return emu_helpers_clock_read() + emu_helpers_config()->boot_offset_ns;
}

#define EMU_HZ 250
#define EMU_NSEC_PER_JIFFY (1000000000ull / EMU_HZ)
#define EMU_INITIAL_JIFFIES ((uint64_t)(uint32_t)(-300 * EMU_HZ))

/* The coarse clock only moves at each tick. */
EMU_HELPER(ktime_get_coarse_ns)
{
	uint64_t now = emu_helpers_clock_read();

	return now - now % EMU_NSEC_PER_JIFFY;
}

EMU_HELPER(jiffies64)
{
	return EMU_INITIAL_JIFFIES + emu_helpers_clock_read() / EMU_NSEC_PER_JIFFY;
}

EMU_HELPER(get_prandom_u32)
{
	return emu_helpers_prandom();
}

EMU_HELPER(get_smp_processor_id)
{
	return emu_config_current_cpu();
}

EMU_HELPER(get_numa_node_id)
{
	return emu_helpers_config()->numa_node;
}

EMU_HELPER(get_current_pid_tgid)
{
	const struct emu_run_config *c = emu_helpers_config();

	return (uint64_t)c->tgid << 32 | c->pid;
}

EMU_HELPER(get_current_uid_gid)
{
	const struct emu_run_config *c = emu_helpers_config();

	return (uint64_t)c->gid << 32 | c->uid;
}

/* strscpy_pad: copy, NUL-terminate within size, zero the rest. */
EMU_HELPER(get_current_comm)
{
	const char *comm = emu_helpers_config()->comm;
	char *buf = PTR(r1);
	uint32_t size = (uint32_t)r2;
	size_t len = strnlen(comm, sizeof(emu_helpers_config()->comm));

	if (!size)
		return (uint64_t)-EINVAL;
	memset(buf, 0, size);
	memcpy(buf, comm, len < size ? len : size - 1);
	return 0;
}

EMU_HELPER(get_current_task)
{
	return emu_helpers_config()->task;
}

EMU_HELPER(get_current_task_btf)
{
	return emu_helpers_config()->task;
}

/* Never called: the interpreter runs tail calls through emu_interp_tail_call; a
 * tail call reached any other way (callx) fails as on a missing slot. */
EMU_HELPER(tail_call)
{
	return (uint64_t)-ENOENT;
}

/* Jump to prog array slot `index`: the kernel's order of checks (index, then the
 * 33-call budget, which is spent even when the slot is empty, then the slot). */
int emu_interp_tail_call(struct emu_run *run, uint64_t map, uint64_t index,
			 const struct emu_exec_prog **xp)
{
	const struct emu_map_desc *desc = emu_map_desc(MAP(map));
	struct emu_prog *prog;

	if ((uint32_t)index >= desc->max_entries)
		return -E2BIG;
	if (run->tail_call_cnt >= EMU_MAX_TAIL_CALL_CNT)
		return -EBUSY;
	run->tail_call_cnt++;
	prog = emu_prog_array_get(MAP(map), (uint32_t)index);
	if (!prog || !prog->exec)
		return -ENOENT;
	run->prog = prog;
	*xp = prog->exec;
	return 0;
}

/* One emulated CPU runs one program at a time: the lock cannot be contended. */
EMU_HELPER(spin_lock)
{
	__atomic_store_n((uint32_t *)PTR(r1), 1, __ATOMIC_SEQ_CST);
	return 0;
}

EMU_HELPER(spin_unlock)
{
	__atomic_store_n((uint32_t *)PTR(r1), 0, __ATOMIC_SEQ_CST);
	return 0;
}

/* ---- kernel functions (kfuncs) the verifier knows (verifier_kfunc.c) ---- */

/* One emulated CPU runs one program at a time: an RCU section has nothing to hold. */
static uint64_t kfunc_rcu_read_lock(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				    uint64_t r5)
{
	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
	return 0;
}

/* Kernel objects are not reference counted here: acquiring returns the object. */
static uint64_t kfunc_acquire(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5)
{
	(void)r2, (void)r3, (void)r4, (void)r5;
	return r1;
}

static uint64_t kfunc_release(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5)
{
	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
	return 0;
}

/* bpf_task_from_pid: the emulator knows one task, the current one. */
static uint64_t kfunc_task_from_pid(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				    uint64_t r5)
{
	const struct emu_run_config *config = emu_helpers_config();
	(void)r2, (void)r3, (void)r4, (void)r5;
	return (int32_t)r1 == (int32_t)config->pid ? config->task : 0;
}

emu_helper_fn emu_kfunc_impl(int32_t btf_id)
{
	static const struct { const char *name; emu_helper_fn fn; } impls[] = {
		{ "bpf_rcu_read_lock", kfunc_rcu_read_lock },
		{ "bpf_rcu_read_unlock", kfunc_rcu_read_lock },
		{ "bpf_task_acquire", kfunc_acquire },
		{ "bpf_task_release", kfunc_release },
		{ "bpf_task_from_pid", kfunc_task_from_pid },
		{ "bpf_cgroup_acquire", kfunc_acquire },
		{ "bpf_cgroup_release", kfunc_release },
	};
	const struct objfmt_btf *btf = emu_kbtf_get();
	const struct objfmt_btf_type *t = btf && btf_id > 0 ?
					  objfmt_btf__type(btf, (uint32_t)btf_id) : NULL;

	if (!t || t->kind != OBJFMT_BTF_FUNC || !t->name)
		return NULL;
	for (size_t i = 0; i < sizeof(impls) / sizeof(impls[0]); i++)
		if (!strcmp(t->name, impls[i].name))
			return impls[i].fn;
	return NULL;
}
