/* progtype_skb.c - program types whose ctx is struct __sk_buff: socket filter,
 * sched_cls/sched_act, cgroup_skb and flow dissector, each with the kernel's access
 * rules (net/core/filter.c *_is_valid_access). */
#include <stddef.h>

#include "progtype_int.h"

#define SKB struct __sk_buff
#define SKB_RT(field) (offsetof(struct emu_ctx_skb, field))
#define CB_ACCESS (EMU_RWN | EMU_CTX_NARROW_WRITE | EMU_CTX_WIDE)

/* Fields every __sk_buff type reads with narrow loads allowed, none writable. */
#define SKB_COMMON_READ(mark_acc, prio_acc, tc_index_acc)                               \
	EMU_CTX_FIELD(SKB, len, 4, 1, EMU_RN, EMU_CTX_SCALAR),                              \
	EMU_CTX_FIELD(SKB, pkt_type, 4, 1, EMU_RN, EMU_CTX_SCALAR),                         \
	EMU_CTX_FIELD(SKB, mark, 4, 1, mark_acc, EMU_CTX_SCALAR),                           \
	EMU_CTX_FIELD(SKB, protocol, 4, 1, EMU_RN, EMU_CTX_SCALAR),                         \
	EMU_CTX_FIELD(SKB, vlan_present, 4, 1, EMU_RN, EMU_CTX_SCALAR),                     \
	EMU_CTX_FIELD(SKB, vlan_tci, 4, 1, EMU_RN, EMU_CTX_SCALAR),                         \
	EMU_CTX_FIELD(SKB, vlan_proto, 4, 1, EMU_RN, EMU_CTX_SCALAR),                       \
	EMU_CTX_FIELD(SKB, priority, 4, 1, prio_acc, EMU_CTX_SCALAR),                       \
	EMU_CTX_FIELD(SKB, ingress_ifindex, 4, 1, EMU_RN, EMU_CTX_SCALAR),                  \
	EMU_CTX_FIELD(SKB, ifindex, 4, 1, EMU_RN, EMU_CTX_SCALAR),                          \
	EMU_CTX_FIELD(SKB, tc_index, 4, 1, tc_index_acc, EMU_CTX_SCALAR),                   \
	EMU_CTX_FIELD(SKB, cb, 4, 5, CB_ACCESS, EMU_CTX_SCALAR),                            \
	EMU_CTX_FIELD(SKB, hash, 4, 1, EMU_RN, EMU_CTX_SCALAR),                             \
	EMU_CTX_FIELD(SKB, napi_id, 4, 1, EMU_RN, EMU_CTX_SCALAR),                          \
	EMU_CTX_FIELD(SKB, gso_segs, 4, 1, EMU_RN, EMU_CTX_SCALAR),                         \
	EMU_CTX_FIELD(SKB, sk, 8, 1, EMU_R, EMU_CTX_SOCK_OR_NULL),                          \
	EMU_CTX_FIELD(SKB, gso_size, 4, 1, EMU_RN, EMU_CTX_SCALAR)

/* Socket fields (family .. local_port), read through skb->sk; the addresses only
 * whole (checked against the kernel's verifier). */
#define SKB_SOCK_FIELDS                                                                 \
	EMU_CTX_FIELD(SKB, family, 4, 1, EMU_RN, EMU_CTX_SCALAR),                           \
	EMU_CTX_FIELD(SKB, remote_ip4, 4, 1, EMU_R, EMU_CTX_SCALAR),                        \
	EMU_CTX_FIELD(SKB, local_ip4, 4, 1, EMU_R, EMU_CTX_SCALAR),                         \
	EMU_CTX_FIELD(SKB, remote_ip6, 4, 4, EMU_R, EMU_CTX_SCALAR),                        \
	EMU_CTX_FIELD(SKB, local_ip6, 4, 4, EMU_R, EMU_CTX_SCALAR),                         \
	EMU_CTX_FIELD(SKB, remote_port, 4, 1, EMU_RN, EMU_CTX_SCALAR),                      \
	EMU_CTX_FIELD(SKB, local_port, 4, 1, EMU_RN, EMU_CTX_SCALAR)

/* sk_filter_is_valid_access: no packet pointers, no tc_classid/tstamp/wire_len,
 * no socket fields; only cb[] is writable. */
static const struct emu_ctx_field skb_filter_fields[] = {
	SKB_COMMON_READ(EMU_RN, EMU_RN, EMU_RN),
	EMU_CTX_FIELD(SKB, queue_mapping, 4, 1, EMU_RN, EMU_CTX_SCALAR),
};

/* tc_cls_act_is_valid_access: packet pointers incl. meta; mark, priority, tc_index,
 * cb, tc_classid, tstamp, queue_mapping writable; no socket fields. */
static const struct emu_ctx_field skb_tc_fields[] = {
	SKB_COMMON_READ(EMU_RWN, EMU_RWN, EMU_RWN),
	EMU_CTX_FIELD(SKB, queue_mapping, 4, 1, EMU_RWN, EMU_CTX_SCALAR),
	EMU_CTX_FIELD(SKB, tc_classid, 4, 1, EMU_RWN, EMU_CTX_SCALAR),
	EMU_CTX_POINTER(SKB, data, EMU_CTX_PKT, SKB_RT(data)),
	EMU_CTX_POINTER(SKB, data_end, EMU_CTX_PKT_END, SKB_RT(data_end)),
	EMU_CTX_POINTER(SKB, data_meta, EMU_CTX_PKT_META, SKB_RT(data_meta)),
	EMU_CTX_FIELD(SKB, tstamp, 8, 1, EMU_CTX_READ | EMU_CTX_WRITE, EMU_CTX_SCALAR),
	EMU_CTX_FIELD(SKB, wire_len, 4, 1, EMU_RN, EMU_CTX_SCALAR),
	EMU_CTX_FIELD(SKB, tstamp_type, 1, 1, EMU_R, EMU_CTX_SCALAR),
	EMU_CTX_FIELD(SKB, hwtstamp, 8, 1, EMU_R, EMU_CTX_SCALAR),
};

/* cg_skb_is_valid_access: data/data_end (no meta), socket fields; mark, priority,
 * cb and tstamp writable; no tc_classid, wire_len. */
static const struct emu_ctx_field skb_cgroup_fields[] = {
	SKB_COMMON_READ(EMU_RWN, EMU_RWN, EMU_RN),
	SKB_SOCK_FIELDS,
	EMU_CTX_FIELD(SKB, queue_mapping, 4, 1, EMU_RN, EMU_CTX_SCALAR),
	EMU_CTX_POINTER(SKB, data, EMU_CTX_PKT, SKB_RT(data)),
	EMU_CTX_POINTER(SKB, data_end, EMU_CTX_PKT_END, SKB_RT(data_end)),
	EMU_CTX_FIELD(SKB, tstamp, 8, 1, EMU_CTX_READ | EMU_CTX_WRITE, EMU_CTX_SCALAR),
	EMU_CTX_FIELD(SKB, hwtstamp, 8, 1, EMU_R, EMU_CTX_SCALAR),
};

/* flow_dissector_is_valid_access: only data, data_end and flow_keys, read-only. */
static const struct emu_ctx_field skb_flow_fields[] = {
	EMU_CTX_POINTER(SKB, data, EMU_CTX_PKT, SKB_RT(data)),
	EMU_CTX_POINTER(SKB, data_end, EMU_CTX_PKT_END, SKB_RT(data_end)),
	EMU_CTX_FIELD(SKB, flow_keys, 8, 1, EMU_R, EMU_CTX_FLOW_KEYS),
};

#define COUNT(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

const struct emu_progtype emu_progtype_socket_filter = {
	.type = BPF_PROG_TYPE_SOCKET_FILTER, .name = "socket_filter",
	.ctx_size = sizeof(struct __sk_buff), .runtime_ctx_size = sizeof(struct emu_ctx_skb),
	.fields = skb_filter_fields, .field_count = COUNT(skb_filter_fields),
	.has_packet = true, .kernel_test_run = true,
};

const struct emu_progtype emu_progtype_sched_cls = {
	.type = BPF_PROG_TYPE_SCHED_CLS, .name = "sched_cls",
	.ctx_size = sizeof(struct __sk_buff), .runtime_ctx_size = sizeof(struct emu_ctx_skb),
	.fields = skb_tc_fields, .field_count = COUNT(skb_tc_fields),
	.has_packet = true, .kernel_test_run = true,
};

const struct emu_progtype emu_progtype_sched_act = {
	.type = BPF_PROG_TYPE_SCHED_ACT, .name = "sched_act",
	.ctx_size = sizeof(struct __sk_buff), .runtime_ctx_size = sizeof(struct emu_ctx_skb),
	.fields = skb_tc_fields, .field_count = COUNT(skb_tc_fields),
	.has_packet = true, .kernel_test_run = true,
};

const struct emu_progtype emu_progtype_cgroup_skb = {
	.type = BPF_PROG_TYPE_CGROUP_SKB, .name = "cgroup_skb",
	.ctx_size = sizeof(struct __sk_buff), .runtime_ctx_size = sizeof(struct emu_ctx_skb),
	.fields = skb_cgroup_fields, .field_count = COUNT(skb_cgroup_fields),
	.has_packet = true, .kernel_test_run = true,
};

const struct emu_progtype emu_progtype_flow_dissector = {
	.type = BPF_PROG_TYPE_FLOW_DISSECTOR, .name = "flow_dissector",
	.ctx_size = sizeof(struct __sk_buff), .runtime_ctx_size = sizeof(struct emu_ctx_skb),
	.fields = skb_flow_fields, .field_count = COUNT(skb_flow_fields),
	.has_packet = true, .kernel_test_run = true,
};
