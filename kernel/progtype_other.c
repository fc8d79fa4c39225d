/* progtype_other.c - program types without a __sk_buff ctx: XDP, tracing types
 * (kprobe, tracepoint, perf_event, raw_tracepoint[_writable], lsm), cgroup sock addr,
 * netfilter and syscall, with the kernel's ctx access rules. */
#include <linux/bpf_perf_event.h>
#include <stddef.h>

#include "progtype_int.h"

#define COUNT(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

/* Sizes the kernel uses for contexts that are not UAPI structs (x86_64). */
#define EMU_PT_REGS_SIZE 168u        /* struct pt_regs: 21 registers */
#define EMU_PERF_MAX_TRACE_SIZE 8192u /* include/linux/trace_events.h */
#define EMU_RAW_TP_ARGS_SIZE 96u     /* sizeof(u64) * MAX_BPF_FUNC_ARGS (12) */

#define XDP struct xdp_md
#define XDP_RT(field) (offsetof(struct emu_ctx_xdp, field))

/* __is_valid_xdp_access: 4-byte aligned reads only, nothing writable; egress_ifindex
 * for devmap programs only. */
static const struct emu_ctx_field xdp_fields[] = {
	EMU_CTX_POINTER(XDP, data, EMU_CTX_PKT, XDP_RT(data)),
	EMU_CTX_POINTER(XDP, data_end, EMU_CTX_PKT_END, XDP_RT(data_end)),
	EMU_CTX_POINTER(XDP, data_meta, EMU_CTX_PKT_META, XDP_RT(data_meta)),
	EMU_CTX_FIELD(XDP, ingress_ifindex, 4, 1, EMU_R, EMU_CTX_SCALAR),
	EMU_CTX_FIELD(XDP, rx_queue_index, 4, 1, EMU_R, EMU_CTX_SCALAR),
	EMU_CTX_FIELD_ATTACH(XDP, egress_ifindex, 4, 1, EMU_R, EMU_CTX_SCALAR,
			     EMU_ATTACH_BIT(BPF_XDP_DEVMAP)),
};

const struct emu_progtype emu_progtype_xdp = {
	.type = BPF_PROG_TYPE_XDP, .name = "xdp",
	.ctx_size = sizeof(struct xdp_md), .runtime_ctx_size = sizeof(struct emu_ctx_xdp),
	.fields = xdp_fields, .field_count = COUNT(xdp_fields),
	.has_packet = true, .kernel_test_run = true,
};

/* kprobe_prog_is_valid_access: read-only pt_regs, any aligned size. */
const struct emu_progtype emu_progtype_kprobe = {
	.type = BPF_PROG_TYPE_KPROBE, .name = "kprobe",
	.ctx_size = EMU_PT_REGS_SIZE, .runtime_ctx_size = EMU_PT_REGS_SIZE,
	.raw_access = EMU_CTX_READ, .raw_min_size = 1,
};

/* tp_prog_is_valid_access: the record after the 8 common bytes, read-only. */
const struct emu_progtype emu_progtype_tracepoint = {
	.type = BPF_PROG_TYPE_TRACEPOINT, .name = "tracepoint",
	.ctx_size = EMU_PERF_MAX_TRACE_SIZE, .runtime_ctx_size = EMU_PERF_MAX_TRACE_SIZE,
	.raw_access = EMU_CTX_READ, .raw_min_size = 1, .raw_min_off = 8,
};

#define PE struct bpf_perf_event_data

/* pe_prog_is_valid_access: registers as whole u64, sample_period and addr narrow. */
static const struct emu_ctx_field perf_event_fields[] = {
	EMU_CTX_FIELD(PE, regs, 8, EMU_PT_REGS_SIZE / 8, EMU_R, EMU_CTX_SCALAR),
	EMU_CTX_FIELD(PE, sample_period, 8, 1, EMU_RN, EMU_CTX_SCALAR),
	EMU_CTX_FIELD(PE, addr, 8, 1, EMU_RN, EMU_CTX_SCALAR),
};

const struct emu_progtype emu_progtype_perf_event = {
	.type = BPF_PROG_TYPE_PERF_EVENT, .name = "perf_event",
	.ctx_size = sizeof(struct bpf_perf_event_data),
	.runtime_ctx_size = sizeof(struct bpf_perf_event_data),
	.fields = perf_event_fields, .field_count = COUNT(perf_event_fields),
};

/* raw_tp_prog_is_valid_access: u64 args[12], read-only, any aligned size. */
const struct emu_progtype emu_progtype_raw_tracepoint = {
	.type = BPF_PROG_TYPE_RAW_TRACEPOINT, .name = "raw_tracepoint",
	.ctx_size = EMU_RAW_TP_ARGS_SIZE, .runtime_ctx_size = EMU_RAW_TP_ARGS_SIZE,
	.raw_access = EMU_CTX_READ, .raw_min_size = 1, .kernel_test_run = true,
};

/* raw_tp_writable_prog_is_valid_access: args[0] is the writable tracepoint buffer. */
static const struct emu_ctx_field raw_tp_writable_fields[] = {
	{ "args", 0, 8, 1, EMU_CTX_READ, EMU_CTX_TP_BUFFER, 0, 8, NULL, 0 },
	{ "args", 8, 8, 11, EMU_RN, EMU_CTX_SCALAR, 8, 8, NULL, 0 },
};

const struct emu_progtype emu_progtype_raw_tracepoint_writable = {
	.type = BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, .name = "raw_tracepoint_writable",
	.ctx_size = EMU_RAW_TP_ARGS_SIZE, .runtime_ctx_size = EMU_RAW_TP_ARGS_SIZE,
	.fields = raw_tp_writable_fields, .field_count = COUNT(raw_tp_writable_fields),
};

#define SA struct bpf_sock_addr
#define SA_IP_ACCESS (EMU_RWN | EMU_CTX_WIDE)
#define SA_INET4                                                                        \
	(EMU_ATTACH_BIT(BPF_CGROUP_INET4_BIND) | EMU_ATTACH_BIT(BPF_CGROUP_INET4_CONNECT) |   \
	 EMU_ATTACH_BIT(BPF_CGROUP_UDP4_SENDMSG) | EMU_ATTACH_BIT(BPF_CGROUP_UDP4_RECVMSG) |  \
	 EMU_ATTACH_BIT(BPF_CGROUP_INET4_GETPEERNAME) |                                     \
	 EMU_ATTACH_BIT(BPF_CGROUP_INET4_GETSOCKNAME))
#define SA_INET6                                                                        \
	(EMU_ATTACH_BIT(BPF_CGROUP_INET6_BIND) | EMU_ATTACH_BIT(BPF_CGROUP_INET6_CONNECT) |   \
	 EMU_ATTACH_BIT(BPF_CGROUP_UDP6_SENDMSG) | EMU_ATTACH_BIT(BPF_CGROUP_UDP6_RECVMSG) |  \
	 EMU_ATTACH_BIT(BPF_CGROUP_INET6_GETPEERNAME) |                                     \
	 EMU_ATTACH_BIT(BPF_CGROUP_INET6_GETSOCKNAME))

/* sock_addr_is_valid_access: addresses and port read narrow and written whole, ip6
 * arrays also as u64 pairs; each address only for the hooks of its family, the
 * message source only for sendmsg. */
static const struct emu_ctx_field sock_addr_fields[] = {
	EMU_CTX_FIELD(SA, user_family, 4, 1, EMU_R, EMU_CTX_SCALAR),
	EMU_CTX_FIELD_ATTACH(SA, user_ip4, 4, 1, EMU_RWN, EMU_CTX_SCALAR, SA_INET4),
	EMU_CTX_FIELD_ATTACH(SA, user_ip6, 4, 4, SA_IP_ACCESS, EMU_CTX_SCALAR, SA_INET6),
	EMU_CTX_FIELD(SA, user_port, 4, 1, EMU_RWN, EMU_CTX_SCALAR),
	EMU_CTX_FIELD(SA, family, 4, 1, EMU_R, EMU_CTX_SCALAR),
	EMU_CTX_FIELD(SA, type, 4, 1, EMU_R, EMU_CTX_SCALAR),
	EMU_CTX_FIELD(SA, protocol, 4, 1, EMU_R, EMU_CTX_SCALAR),
	EMU_CTX_FIELD_ATTACH(SA, msg_src_ip4, 4, 1, EMU_RWN, EMU_CTX_SCALAR,
			     EMU_ATTACH_BIT(BPF_CGROUP_UDP4_SENDMSG)),
	EMU_CTX_FIELD_ATTACH(SA, msg_src_ip6, 4, 4, SA_IP_ACCESS, EMU_CTX_SCALAR,
			     EMU_ATTACH_BIT(BPF_CGROUP_UDP6_SENDMSG)),
	EMU_CTX_FIELD(SA, sk, 8, 1, EMU_R, EMU_CTX_SOCK),
};

const struct emu_progtype emu_progtype_cgroup_sock_addr = {
	.type = BPF_PROG_TYPE_CGROUP_SOCK_ADDR, .name = "cgroup_sock_addr",
	.ctx_size = sizeof(struct bpf_sock_addr), .runtime_ctx_size = sizeof(struct bpf_sock_addr),
	.fields = sock_addr_fields, .field_count = COUNT(sock_addr_fields),
};

/* btf_ctx_access: the hook's arguments as u64 slots, read whole. */
const struct emu_progtype emu_progtype_lsm = {
	.type = BPF_PROG_TYPE_LSM, .name = "lsm",
	.ctx_size = EMU_RAW_TP_ARGS_SIZE, .runtime_ctx_size = EMU_RAW_TP_ARGS_SIZE,
	.raw_access = EMU_CTX_READ, .raw_min_size = 8,
};

/* nf_is_valid_access: struct bpf_nf_ctx { state; skb; } pointers to kernel types. */
static const struct emu_ctx_field netfilter_fields[] = {
	{ "state", 0, 8, 1, EMU_CTX_READ, EMU_CTX_BTF_PTR, 0, 8, "nf_hook_state", 0 },
	{ "skb", 8, 8, 1, EMU_CTX_READ, EMU_CTX_BTF_PTR, 8, 8, "sk_buff", 0 },
};

const struct emu_progtype emu_progtype_netfilter = {
	.type = BPF_PROG_TYPE_NETFILTER, .name = "netfilter",
	.ctx_size = 16, .runtime_ctx_size = 16,
	.fields = netfilter_fields, .field_count = COUNT(netfilter_fields),
	.has_packet = true, .kernel_test_run = true,
};

/* syscall_prog_is_valid_access: the caller's ctx_in buffer, read/write below U16_MAX. */
const struct emu_progtype emu_progtype_syscall = {
	.type = BPF_PROG_TYPE_SYSCALL, .name = "syscall",
	.ctx_size = 65535, .runtime_ctx_size = 65535,
	.raw_access = EMU_CTX_READ | EMU_CTX_WRITE, .raw_min_size = 1,
	.kernel_test_run = true,
};
