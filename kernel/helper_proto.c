/* helper_proto.c - the helper prototype table (kernel bpf_func_proto values for the
 * helpers the emulator implements) and the program-type groups that may call each. */
#include <linux/bpf.h>
#include <stddef.h>

#include "helper_proto.h"

#define A(kind) HELPER_ARG_##kind
#define RDONLY_MEM (HELPER_ARG_MEM | HELPER_ARG_RDONLY)
#define UNINIT_MEM (HELPER_ARG_MEM | HELPER_ARG_WRITE)
#define NULLABLE_RDONLY_MEM (HELPER_ARG_MEM | HELPER_ARG_RDONLY | HELPER_ARG_MAYBE_NULL)
#define ALL HELPER_TYPES_ALL
#define TRACE HELPER_TYPES_TRACE
#define SKB HELPER_TYPES_SKB
#define TC HELPER_TYPES_TC
#define XDP HELPER_TYPES_XDP
#define CGSKB HELPER_TYPES_CGROUP_SKB
#define SOCK_LOOKUP (TC | XDP | CGSKB | HELPER_TYPES_SK_SKB | HELPER_TYPES_SOCK_ADDR)
#define M(t) (1u << BPF_MAP_TYPE_##t)

static const struct helper_proto protos[] = {
	{ .id = BPF_FUNC_map_lookup_elem, .gpl_only = false, .ret = HELPER_RET_MAP_VALUE_OR_NULL,
	  .args = { A(CONST_MAP_PTR), A(MAP_KEY) }, .types = ALL, .pkt_access = true },
	{ .id = BPF_FUNC_map_update_elem, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { A(CONST_MAP_PTR), A(MAP_KEY), A(MAP_VALUE), A(ANYTHING) }, .types = ALL,
	  .pkt_access = true },
	{ .id = BPF_FUNC_map_delete_elem, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { A(CONST_MAP_PTR), A(MAP_KEY) }, .types = ALL, .pkt_access = true },
	{ .id = BPF_FUNC_map_push_elem, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { A(CONST_MAP_PTR), A(MAP_VALUE), A(ANYTHING) }, .types = ALL, .pkt_access = true,
	  .map_types = M(QUEUE) | M(STACK) | M(BLOOM_FILTER) },
	{ .id = BPF_FUNC_map_pop_elem, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { A(CONST_MAP_PTR), A(MAP_VALUE) | HELPER_ARG_WRITE }, .types = ALL,
	  .map_types = M(QUEUE) | M(STACK) },
	{ .id = BPF_FUNC_map_peek_elem, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { A(CONST_MAP_PTR), A(MAP_VALUE) | HELPER_ARG_WRITE }, .types = ALL,
	  .map_types = M(QUEUE) | M(STACK) | M(BLOOM_FILTER) },
	{ .id = BPF_FUNC_ktime_get_ns, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { 0 }, .types = ALL },
	{ .id = BPF_FUNC_ktime_get_boot_ns, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { 0 }, .types = ALL },
	/* 6.18 refuses it to tracing programs (kprobe, tracepoint: "cannot use helper") */
	{ .id = BPF_FUNC_ktime_get_coarse_ns, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { 0 }, .types = HELPER_TYPES_NOT_TRACE },
	{ .id = BPF_FUNC_jiffies64, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { 0 }, .types = ALL },
	{ .id = BPF_FUNC_get_prandom_u32, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { 0 }, .types = ALL },
	{ .id = BPF_FUNC_get_smp_processor_id, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { 0 }, .types = ALL },
	{ .id = BPF_FUNC_get_numa_node_id, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { 0 }, .types = ALL },
	{ .id = BPF_FUNC_tail_call, .gpl_only = false, .ret = HELPER_RET_VOID,
	  .args = { A(CTX), A(CONST_MAP_PTR), A(ANYTHING) }, .types = ALL,
	  .map_types = M(PROG_ARRAY) },
	{ .id = BPF_FUNC_get_current_task, .gpl_only = true, .ret = HELPER_RET_INTEGER,
	  .args = { 0 }, .types = ALL },
	/* bpf_base_func_proto gives it to every type when the caller has CAP_PERFMON */
	{ .id = BPF_FUNC_get_current_task_btf, .gpl_only = true, .ret = HELPER_RET_BTF_ID_TASK,
	  .args = { 0 }, .types = ALL },
	{ .id = BPF_FUNC_trace_printk, .gpl_only = true, .ret = HELPER_RET_INTEGER,
	  .args = { RDONLY_MEM, A(CONST_SIZE) }, .types = ALL },
	{ .id = BPF_FUNC_trace_vprintk, .gpl_only = true, .ret = HELPER_RET_INTEGER,
	  .args = { RDONLY_MEM, A(CONST_SIZE), NULLABLE_RDONLY_MEM, A(CONST_SIZE_OR_ZERO) }, .types = ALL },
	{ .id = BPF_FUNC_snprintf, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { HELPER_ARG_MEM | HELPER_ARG_MAYBE_NULL | HELPER_ARG_WRITE, A(CONST_SIZE_OR_ZERO),
	    A(CONST_STR), NULLABLE_RDONLY_MEM, A(CONST_SIZE_OR_ZERO) }, .types = ALL },
	{ .id = BPF_FUNC_probe_read_kernel, .gpl_only = true, .ret = HELPER_RET_INTEGER,
	  .args = { UNINIT_MEM, A(CONST_SIZE_OR_ZERO), A(ANYTHING) }, .types = ALL },
	{ .id = BPF_FUNC_probe_read_user, .gpl_only = true, .ret = HELPER_RET_INTEGER,
	  .args = { UNINIT_MEM, A(CONST_SIZE_OR_ZERO), A(ANYTHING) }, .types = ALL },
	{ .id = BPF_FUNC_probe_read_kernel_str, .gpl_only = true, .ret = HELPER_RET_INTEGER,
	  .args = { UNINIT_MEM, A(CONST_SIZE_OR_ZERO), A(ANYTHING) }, .types = ALL },
	{ .id = BPF_FUNC_probe_read_user_str, .gpl_only = true, .ret = HELPER_RET_INTEGER,
	  .args = { UNINIT_MEM, A(CONST_SIZE_OR_ZERO), A(ANYTHING) }, .types = ALL },
	{ .id = BPF_FUNC_ringbuf_output, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { A(CONST_MAP_PTR), RDONLY_MEM, A(CONST_SIZE_OR_ZERO), A(ANYTHING) }, .types = ALL,
	  .map_types = M(RINGBUF) },
	{ .id = BPF_FUNC_ringbuf_reserve, .gpl_only = false, .ret = HELPER_RET_RINGBUF_MEM_OR_NULL,
	  .args = { A(CONST_MAP_PTR), A(CONST_ALLOC_SIZE), A(ANYTHING) }, .types = ALL,
	  .map_types = M(RINGBUF) },
	{ .id = BPF_FUNC_ringbuf_submit, .gpl_only = false, .ret = HELPER_RET_VOID,
	  .args = { A(RINGBUF_MEM), A(ANYTHING) }, .types = ALL,
	  .releases_ref = true },
	{ .id = BPF_FUNC_ringbuf_discard, .gpl_only = false, .ret = HELPER_RET_VOID,
	  .args = { A(RINGBUF_MEM), A(ANYTHING) }, .types = ALL,
	  .releases_ref = true },
	{ .id = BPF_FUNC_ringbuf_query, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { A(CONST_MAP_PTR), A(ANYTHING) }, .types = ALL,
	  .map_types = M(RINGBUF) },
	/* callers of a callback: the verifier explores the callback as a subprogram */
	{ .id = BPF_FUNC_loop, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { A(ANYTHING), A(FUNC), A(STACK) | HELPER_ARG_MAYBE_NULL, A(ANYTHING) },
	  .types = ALL },
	{ .id = BPF_FUNC_for_each_map_elem, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { A(CONST_MAP_PTR), A(FUNC), A(STACK) | HELPER_ARG_MAYBE_NULL, A(ANYTHING) },
	  .types = ALL },
	{ .id = BPF_FUNC_spin_lock, .gpl_only = false, .ret = HELPER_RET_VOID,
	  .args = { A(SPIN_LOCK) }, .types = ALL },
	{ .id = BPF_FUNC_spin_unlock, .gpl_only = false, .ret = HELPER_RET_VOID,
	  .args = { A(SPIN_LOCK) }, .types = ALL },
	{ .id = BPF_FUNC_strtol, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { RDONLY_MEM, A(CONST_SIZE), A(ANYTHING), A(FIXED_MEM) | HELPER_ARG_WRITE |
	    HELPER_ARG_ALIGNED }, .fixed_size = 8, .types = ALL },
	{ .id = BPF_FUNC_strtoul, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { RDONLY_MEM, A(CONST_SIZE), A(ANYTHING), A(FIXED_MEM) | HELPER_ARG_WRITE |
	    HELPER_ARG_ALIGNED }, .fixed_size = 8, .types = ALL },
	/* 6.18 gives these three to every type (XDP, tc, socket filter, cgroup skb too) */
	{ .id = BPF_FUNC_get_current_pid_tgid, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { 0 }, .types = ALL },
	{ .id = BPF_FUNC_get_current_uid_gid, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { 0 }, .types = ALL },
	{ .id = BPF_FUNC_get_current_comm, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { UNINIT_MEM, A(CONST_SIZE) }, .types = ALL },
	{ .id = BPF_FUNC_probe_read, .gpl_only = true, .ret = HELPER_RET_INTEGER,
	  .args = { UNINIT_MEM, A(CONST_SIZE_OR_ZERO), A(ANYTHING) }, .types = TRACE },
	{ .id = BPF_FUNC_probe_read_str, .gpl_only = true, .ret = HELPER_RET_INTEGER,
	  .args = { UNINIT_MEM, A(CONST_SIZE_OR_ZERO), A(ANYTHING) }, .types = TRACE },
	{ .id = BPF_FUNC_perf_event_output, .gpl_only = true, .ret = HELPER_RET_INTEGER,
	  .args = { A(CTX), A(CONST_MAP_PTR), A(ANYTHING), RDONLY_MEM, A(CONST_SIZE_OR_ZERO) }, .types = TRACE | SKB | XDP,
	  .map_types = M(PERF_EVENT_ARRAY) },
	{ .id = BPF_FUNC_skb_load_bytes, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { A(CTX), A(ANYTHING), UNINIT_MEM, A(CONST_SIZE) }, .types = SKB },
	{ .id = BPF_FUNC_skb_store_bytes, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { A(CTX), A(ANYTHING), RDONLY_MEM, A(CONST_SIZE), A(ANYTHING) }, .types = TC,
	  .changes_pkt_data = true },
	{ .id = BPF_FUNC_l3_csum_replace, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { A(CTX), A(ANYTHING), A(ANYTHING), A(ANYTHING), A(ANYTHING) }, .types = TC,
	  .changes_pkt_data = true },
	{ .id = BPF_FUNC_l4_csum_replace, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { A(CTX), A(ANYTHING), A(ANYTHING), A(ANYTHING), A(ANYTHING) }, .types = TC,
	  .changes_pkt_data = true },
	{ .id = BPF_FUNC_csum_diff, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { NULLABLE_RDONLY_MEM, A(CONST_SIZE_OR_ZERO), NULLABLE_RDONLY_MEM,
	    A(CONST_SIZE_OR_ZERO), A(ANYTHING) }, .types = TC | XDP, .pkt_access = true },
	{ .id = BPF_FUNC_redirect, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { A(ANYTHING), A(ANYTHING) }, .types = TC | XDP },
	{ .id = BPF_FUNC_redirect_map, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { A(CONST_MAP_PTR), A(ANYTHING), A(ANYTHING) }, .types = XDP,
	  .map_types = M(DEVMAP) | M(DEVMAP_HASH) | M(CPUMAP) | M(XSKMAP) },
	{ .id = BPF_FUNC_xdp_adjust_head, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { A(CTX), A(ANYTHING) }, .types = XDP,
	  .changes_pkt_data = true },
	{ .id = BPF_FUNC_xdp_adjust_meta, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { A(CTX), A(ANYTHING) }, .types = XDP,
	  .changes_pkt_data = true },
	{ .id = BPF_FUNC_xdp_adjust_tail, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { A(CTX), A(ANYTHING) }, .types = XDP,
	  .changes_pkt_data = true },
	/* ring buffer dynptrs: reserve acquires a reference, submit/discard drop it */
	{ .id = BPF_FUNC_ringbuf_reserve_dynptr, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { A(CONST_MAP_PTR), A(ANYTHING), A(ANYTHING), A(DYNPTR_UNINIT) }, .types = ALL,
	  .map_types = M(RINGBUF) },
	{ .id = BPF_FUNC_ringbuf_submit_dynptr, .gpl_only = false, .ret = HELPER_RET_VOID,
	  .args = { A(DYNPTR), A(ANYTHING) }, .types = ALL, .releases_ref = true },
	{ .id = BPF_FUNC_ringbuf_discard_dynptr, .gpl_only = false, .ret = HELPER_RET_VOID,
	  .args = { A(DYNPTR), A(ANYTHING) }, .types = ALL, .releases_ref = true },
	{ .id = BPF_FUNC_dynptr_read, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { UNINIT_MEM, A(CONST_SIZE_OR_ZERO), A(DYNPTR), A(ANYTHING), A(ANYTHING) },
	  .types = ALL },
	{ .id = BPF_FUNC_dynptr_write, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { A(DYNPTR), A(ANYTHING), RDONLY_MEM, A(CONST_SIZE_OR_ZERO), A(ANYTHING) },
	  .types = ALL },
	{ .id = BPF_FUNC_dynptr_data, .gpl_only = false, .ret = HELPER_RET_DYNPTR_MEM_OR_NULL,
	  .args = { A(DYNPTR), A(ANYTHING), A(CONST_ALLOC_SIZE) }, .types = ALL },
	/* timers: the callback runs as an async callback (map, key, value) */
	{ .id = BPF_FUNC_timer_init, .gpl_only = true, .ret = HELPER_RET_INTEGER,
	  .args = { A(TIMER), A(CONST_MAP_PTR), A(ANYTHING) }, .types = ALL },
	{ .id = BPF_FUNC_timer_set_callback, .gpl_only = true, .ret = HELPER_RET_INTEGER,
	  .args = { A(TIMER), A(FUNC) }, .types = ALL },
	{ .id = BPF_FUNC_timer_start, .gpl_only = true, .ret = HELPER_RET_INTEGER,
	  .args = { A(TIMER), A(ANYTHING), A(ANYTHING) }, .types = ALL },
	{ .id = BPF_FUNC_timer_cancel, .gpl_only = true, .ret = HELPER_RET_INTEGER,
	  .args = { A(TIMER) }, .types = ALL },
	/* sockets: lookups acquire a reference that bpf_sk_release drops */
	{ .id = BPF_FUNC_sk_lookup_tcp, .gpl_only = false, .ret = HELPER_RET_SOCKET_OR_NULL,
	  .args = { A(CTX), RDONLY_MEM, A(CONST_SIZE_OR_ZERO), A(ANYTHING), A(ANYTHING) },
	  .types = SOCK_LOOKUP, .acquires_ref = true, .pkt_access = true },
	{ .id = BPF_FUNC_sk_lookup_udp, .gpl_only = false, .ret = HELPER_RET_SOCKET_OR_NULL,
	  .args = { A(CTX), RDONLY_MEM, A(CONST_SIZE_OR_ZERO), A(ANYTHING), A(ANYTHING) },
	  .types = SOCK_LOOKUP, .acquires_ref = true, .pkt_access = true },
	{ .id = BPF_FUNC_skc_lookup_tcp, .gpl_only = false, .ret = HELPER_RET_SOCK_COMMON_OR_NULL,
	  .args = { A(CTX), RDONLY_MEM, A(CONST_SIZE_OR_ZERO), A(ANYTHING), A(ANYTHING) },
	  .types = SOCK_LOOKUP, .acquires_ref = true, .pkt_access = true },
	{ .id = BPF_FUNC_sk_release, .gpl_only = false, .ret = HELPER_RET_INTEGER,
	  .args = { A(SOCK_RELEASE) }, .types = SOCK_LOOKUP, .releases_ref = true },
	{ .id = BPF_FUNC_sk_fullsock, .gpl_only = false, .ret = HELPER_RET_SOCKET_OR_NULL,
	  .args = { A(SOCK_COMMON) }, .types = TC | CGSKB, .ptr_cast = true },
	{ .id = BPF_FUNC_tcp_sock, .gpl_only = false, .ret = HELPER_RET_TCP_SOCK_OR_NULL,
	  .args = { A(SOCK_COMMON) }, .types = TC | CGSKB | HELPER_TYPES_SOCK_OPS,
	  .ptr_cast = true },
};

const struct helper_proto *helper_proto_get(int32_t id)
{
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (protos[i].id == id)
			return &protos[i];
	return NULL;
}

static uint32_t type_groups(uint32_t prog_type)
{
	switch (prog_type) {
	case BPF_PROG_TYPE_KPROBE:
	case BPF_PROG_TYPE_TRACEPOINT:
	case BPF_PROG_TYPE_PERF_EVENT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE:
	case BPF_PROG_TYPE_TRACING:
		return ALL | TRACE;
	case BPF_PROG_TYPE_SOCKET_FILTER:
		return ALL | SKB;
	case BPF_PROG_TYPE_CGROUP_SKB:
		return ALL | SKB | CGSKB;
	case BPF_PROG_TYPE_SK_SKB:
		return ALL | HELPER_TYPES_SK_SKB;
	case BPF_PROG_TYPE_CGROUP_SOCK_ADDR:
		return ALL | HELPER_TYPES_SOCK_ADDR;
	case BPF_PROG_TYPE_SOCK_OPS:
		return ALL | HELPER_TYPES_SOCK_OPS;
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
		return ALL | SKB | TC;
	case BPF_PROG_TYPE_XDP:
		return ALL | XDP;
	default:
		return ALL;
	}
}

bool helper_proto_allowed(const struct helper_proto *proto, uint32_t prog_type)
{
	uint32_t groups = type_groups(prog_type);
	if (!(groups & TRACE))
		groups |= HELPER_TYPES_NOT_TRACE;
	return (proto->types & groups) != 0;
}
