/* section_table.c - libbpf's SEC() name table: which program type and expected attach
 * type a section name selects, plus short names of program and map types for reports.
 */
#include <string.h>

#include "ebpf/load.h"

/* Newer than the 6.1 UAPI header this machine may have; values from the kernel's enum. */
#define LD_PROG_TYPE_NETFILTER 32
#define LD_ATTACH_NETFILTER 45
#define LD_ATTACH_TCX_INGRESS 46
#define LD_ATTACH_TCX_EGRESS 47
#define LD_ATTACH_TRACE_UPROBE_MULTI 48
#define LD_ATTACH_CGROUP_UNIX_CONNECT 49
#define LD_ATTACH_CGROUP_UNIX_SENDMSG 50
#define LD_ATTACH_CGROUP_UNIX_RECVMSG 51
#define LD_ATTACH_CGROUP_UNIX_GETPEERNAME 52
#define LD_ATTACH_CGROUP_UNIX_GETSOCKNAME 53
#define LD_ATTACH_NETKIT_PRIMARY 54
#define LD_ATTACH_NETKIT_PEER 55

#define P(t) BPF_PROG_TYPE_##t
/* prefix, type, attach, "+" (suffix allowed), sleepable, xdp frags */
static const struct ld_section_def section_defs[] = {
	{"socket", P(SOCKET_FILTER), 0, false, false, false},
	{"sk_reuseport/migrate", P(SK_REUSEPORT), BPF_SK_REUSEPORT_SELECT_OR_MIGRATE, false, false, false},
	{"sk_reuseport", P(SK_REUSEPORT), BPF_SK_REUSEPORT_SELECT, false, false, false},
	{"kprobe", P(KPROBE), 0, true, false, false},
	{"uprobe", P(KPROBE), 0, true, false, false},
	{"uprobe.s", P(KPROBE), 0, true, true, false},
	{"kretprobe", P(KPROBE), 0, true, false, false},
	{"uretprobe", P(KPROBE), 0, true, false, false},
	{"uretprobe.s", P(KPROBE), 0, true, true, false},
	{"kprobe.multi", P(KPROBE), BPF_TRACE_KPROBE_MULTI, true, false, false},
	{"kretprobe.multi", P(KPROBE), BPF_TRACE_KPROBE_MULTI, true, false, false},
	{"uprobe.multi", P(KPROBE), LD_ATTACH_TRACE_UPROBE_MULTI, true, false, false},
	{"uretprobe.multi", P(KPROBE), LD_ATTACH_TRACE_UPROBE_MULTI, true, false, false},
	{"uprobe.multi.s", P(KPROBE), LD_ATTACH_TRACE_UPROBE_MULTI, true, true, false},
	{"uretprobe.multi.s", P(KPROBE), LD_ATTACH_TRACE_UPROBE_MULTI, true, true, false},
	{"ksyscall", P(KPROBE), 0, true, false, false},
	{"kretsyscall", P(KPROBE), 0, true, false, false},
	{"usdt", P(KPROBE), 0, true, false, false},
	{"usdt.s", P(KPROBE), 0, true, true, false},
	{"tc/ingress", P(SCHED_CLS), LD_ATTACH_TCX_INGRESS, false, false, false},
	{"tc/egress", P(SCHED_CLS), LD_ATTACH_TCX_EGRESS, false, false, false},
	{"tcx/ingress", P(SCHED_CLS), LD_ATTACH_TCX_INGRESS, false, false, false},
	{"tcx/egress", P(SCHED_CLS), LD_ATTACH_TCX_EGRESS, false, false, false},
	{"tc", P(SCHED_CLS), 0, false, false, false},
	{"classifier", P(SCHED_CLS), 0, false, false, false},
	{"action", P(SCHED_ACT), 0, false, false, false},
	{"netkit/primary", P(SCHED_CLS), LD_ATTACH_NETKIT_PRIMARY, false, false, false},
	{"netkit/peer", P(SCHED_CLS), LD_ATTACH_NETKIT_PEER, false, false, false},
	{"tracepoint", P(TRACEPOINT), 0, true, false, false},
	{"tp", P(TRACEPOINT), 0, true, false, false},
	{"raw_tracepoint", P(RAW_TRACEPOINT), 0, true, false, false},
	{"raw_tp", P(RAW_TRACEPOINT), 0, true, false, false},
	{"raw_tracepoint.w", P(RAW_TRACEPOINT_WRITABLE), 0, true, false, false},
	{"raw_tp.w", P(RAW_TRACEPOINT_WRITABLE), 0, true, false, false},
	{"tp_btf", P(TRACING), BPF_TRACE_RAW_TP, true, false, false},
	{"fentry", P(TRACING), BPF_TRACE_FENTRY, true, false, false},
	{"fmod_ret", P(TRACING), BPF_MODIFY_RETURN, true, false, false},
	{"fexit", P(TRACING), BPF_TRACE_FEXIT, true, false, false},
	{"fentry.s", P(TRACING), BPF_TRACE_FENTRY, true, true, false},
	{"fmod_ret.s", P(TRACING), BPF_MODIFY_RETURN, true, true, false},
	{"fexit.s", P(TRACING), BPF_TRACE_FEXIT, true, true, false},
	{"freplace", P(EXT), 0, true, false, false},
	{"lsm", P(LSM), BPF_LSM_MAC, true, false, false},
	{"lsm.s", P(LSM), BPF_LSM_MAC, true, true, false},
	{"lsm_cgroup", P(LSM), BPF_LSM_CGROUP, true, false, false},
	{"iter", P(TRACING), BPF_TRACE_ITER, true, false, false},
	{"iter.s", P(TRACING), BPF_TRACE_ITER, true, true, false},
	{"syscall", P(SYSCALL), 0, false, true, false},
	{"xdp.frags/devmap", P(XDP), BPF_XDP_DEVMAP, false, false, true},
	{"xdp/devmap", P(XDP), BPF_XDP_DEVMAP, false, false, false},
	{"xdp.frags/cpumap", P(XDP), BPF_XDP_CPUMAP, false, false, true},
	{"xdp/cpumap", P(XDP), BPF_XDP_CPUMAP, false, false, false},
	{"xdp.frags", P(XDP), BPF_XDP, false, false, true},
	{"xdp", P(XDP), BPF_XDP, false, false, false},
	{"perf_event", P(PERF_EVENT), 0, false, false, false},
	{"lwt_in", P(LWT_IN), 0, false, false, false},
	{"lwt_out", P(LWT_OUT), 0, false, false, false},
	{"lwt_xmit", P(LWT_XMIT), 0, false, false, false},
	{"lwt_seg6local", P(LWT_SEG6LOCAL), 0, false, false, false},
	{"sockops", P(SOCK_OPS), BPF_CGROUP_SOCK_OPS, false, false, false},
	{"sk_skb/stream_parser", P(SK_SKB), BPF_SK_SKB_STREAM_PARSER, false, false, false},
	{"sk_skb/stream_verdict", P(SK_SKB), BPF_SK_SKB_STREAM_VERDICT, false, false, false},
	{"sk_skb/verdict", P(SK_SKB), BPF_SK_SKB_VERDICT, false, false, false},
	{"sk_skb", P(SK_SKB), 0, false, false, false},
	{"sk_msg", P(SK_MSG), BPF_SK_MSG_VERDICT, false, false, false},
	{"lirc_mode2", P(LIRC_MODE2), BPF_LIRC_MODE2, false, false, false},
	{"flow_dissector", P(FLOW_DISSECTOR), BPF_FLOW_DISSECTOR, false, false, false},
	{"cgroup_skb/ingress", P(CGROUP_SKB), BPF_CGROUP_INET_INGRESS, false, false, false},
	{"cgroup_skb/egress", P(CGROUP_SKB), BPF_CGROUP_INET_EGRESS, false, false, false},
	{"cgroup/skb", P(CGROUP_SKB), 0, false, false, false},
	{"cgroup/sock_create", P(CGROUP_SOCK), BPF_CGROUP_INET_SOCK_CREATE, false, false, false},
	{"cgroup/sock_release", P(CGROUP_SOCK), BPF_CGROUP_INET_SOCK_RELEASE, false, false, false},
	{"cgroup/sock", P(CGROUP_SOCK), BPF_CGROUP_INET_SOCK_CREATE, false, false, false},
	{"cgroup/post_bind4", P(CGROUP_SOCK), BPF_CGROUP_INET4_POST_BIND, false, false, false},
	{"cgroup/post_bind6", P(CGROUP_SOCK), BPF_CGROUP_INET6_POST_BIND, false, false, false},
	{"cgroup/bind4", P(CGROUP_SOCK_ADDR), BPF_CGROUP_INET4_BIND, false, false, false},
	{"cgroup/bind6", P(CGROUP_SOCK_ADDR), BPF_CGROUP_INET6_BIND, false, false, false},
	{"cgroup/connect4", P(CGROUP_SOCK_ADDR), BPF_CGROUP_INET4_CONNECT, false, false, false},
	{"cgroup/connect6", P(CGROUP_SOCK_ADDR), BPF_CGROUP_INET6_CONNECT, false, false, false},
	{"cgroup/connect_unix", P(CGROUP_SOCK_ADDR), LD_ATTACH_CGROUP_UNIX_CONNECT, false, false, false},
	{"cgroup/sendmsg4", P(CGROUP_SOCK_ADDR), BPF_CGROUP_UDP4_SENDMSG, false, false, false},
	{"cgroup/sendmsg6", P(CGROUP_SOCK_ADDR), BPF_CGROUP_UDP6_SENDMSG, false, false, false},
	{"cgroup/sendmsg_unix", P(CGROUP_SOCK_ADDR), LD_ATTACH_CGROUP_UNIX_SENDMSG, false, false, false},
	{"cgroup/recvmsg4", P(CGROUP_SOCK_ADDR), BPF_CGROUP_UDP4_RECVMSG, false, false, false},
	{"cgroup/recvmsg6", P(CGROUP_SOCK_ADDR), BPF_CGROUP_UDP6_RECVMSG, false, false, false},
	{"cgroup/recvmsg_unix", P(CGROUP_SOCK_ADDR), LD_ATTACH_CGROUP_UNIX_RECVMSG, false, false, false},
	{"cgroup/getpeername4", P(CGROUP_SOCK_ADDR), BPF_CGROUP_INET4_GETPEERNAME, false, false, false},
	{"cgroup/getpeername6", P(CGROUP_SOCK_ADDR), BPF_CGROUP_INET6_GETPEERNAME, false, false, false},
	{"cgroup/getpeername_unix", P(CGROUP_SOCK_ADDR), LD_ATTACH_CGROUP_UNIX_GETPEERNAME, false, false, false},
	{"cgroup/getsockname4", P(CGROUP_SOCK_ADDR), BPF_CGROUP_INET4_GETSOCKNAME, false, false, false},
	{"cgroup/getsockname6", P(CGROUP_SOCK_ADDR), BPF_CGROUP_INET6_GETSOCKNAME, false, false, false},
	{"cgroup/getsockname_unix", P(CGROUP_SOCK_ADDR), LD_ATTACH_CGROUP_UNIX_GETSOCKNAME, false, false, false},
	{"cgroup/sysctl", P(CGROUP_SYSCTL), BPF_CGROUP_SYSCTL, false, false, false},
	{"cgroup/getsockopt", P(CGROUP_SOCKOPT), BPF_CGROUP_GETSOCKOPT, false, false, false},
	{"cgroup/setsockopt", P(CGROUP_SOCKOPT), BPF_CGROUP_SETSOCKOPT, false, false, false},
	{"cgroup/dev", P(CGROUP_DEVICE), BPF_CGROUP_DEVICE, false, false, false},
	{"struct_ops", P(STRUCT_OPS), 0, true, false, false},
	{"struct_ops.s", P(STRUCT_OPS), 0, true, true, false},
	{"sk_lookup", P(SK_LOOKUP), BPF_SK_LOOKUP, false, false, false},
	{"netfilter", LD_PROG_TYPE_NETFILTER, LD_ATTACH_NETFILTER, false, false, false},
};
#undef P

/* libbpf's rule: "name" matches exactly; "name+" also matches "name/<extras>". */
static bool section_matches(const struct ld_section_def *def, const char *name)
{
	size_t len = strlen(def->prefix);

	if (strncmp(name, def->prefix, len) != 0)
		return false;
	if (name[len] == '\0')
		return true;
	return def->allows_suffix && name[len] == '/';
}

const struct ld_section_def *ld_section_find(const char *name)
{
	for (size_t i = 0; i < sizeof(section_defs) / sizeof(section_defs[0]); i++)
		if (section_matches(&section_defs[i], name))
			return &section_defs[i];
	return NULL;
}

static const char *const prog_type_names[] = {
	"unspec", "socket_filter", "kprobe", "sched_cls", "sched_act", "tracepoint",
	"xdp", "perf_event", "cgroup_skb", "cgroup_sock", "lwt_in", "lwt_out",
	"lwt_xmit", "sock_ops", "sk_skb", "cgroup_device", "sk_msg", "raw_tracepoint",
	"cgroup_sock_addr", "lwt_seg6local", "lirc_mode2", "sk_reuseport",
	"flow_dissector", "cgroup_sysctl", "raw_tracepoint_writable", "cgroup_sockopt",
	"tracing", "struct_ops", "ext", "lsm", "sk_lookup", "syscall", "netfilter",
};

const char *ld_prog_type_name(uint32_t prog_type)
{
	if (prog_type < sizeof(prog_type_names) / sizeof(prog_type_names[0]))
		return prog_type_names[prog_type];
	return "unknown";
}

static const char *const map_type_names[] = {
	"unspec", "hash", "array", "prog_array", "perf_event_array", "percpu_hash",
	"percpu_array", "stack_trace", "cgroup_array", "lru_hash", "lru_percpu_hash",
	"lpm_trie", "array_of_maps", "hash_of_maps", "devmap", "sockmap", "cpumap",
	"xskmap", "sockhash", "cgroup_storage", "reuseport_sockarray",
	"percpu_cgroup_storage", "queue", "stack", "sk_storage", "devmap_hash",
	"struct_ops", "ringbuf", "inode_storage", "task_storage", "bloom_filter",
	"user_ringbuf", "cgrp_storage", "arena",
};

const char *ld_map_type_name(uint32_t map_type)
{
	if (map_type < sizeof(map_type_names) / sizeof(map_type_names[0]))
		return map_type_names[map_type];
	return "unknown";
}
