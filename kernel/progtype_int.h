/* progtype_int.h - the program type descriptors defined by progtype_skb.c and
 * progtype_other.c, collected by progtype.c. */
#ifndef EBPF_KERNEL_PROGTYPE_INT_H
#define EBPF_KERNEL_PROGTYPE_INT_H

#include "progtype.h"

extern const struct emu_progtype emu_progtype_socket_filter;
extern const struct emu_progtype emu_progtype_sched_cls;
extern const struct emu_progtype emu_progtype_sched_act;
extern const struct emu_progtype emu_progtype_cgroup_skb;
extern const struct emu_progtype emu_progtype_flow_dissector;
extern const struct emu_progtype emu_progtype_xdp;
extern const struct emu_progtype emu_progtype_kprobe;
extern const struct emu_progtype emu_progtype_tracepoint;
extern const struct emu_progtype emu_progtype_perf_event;
extern const struct emu_progtype emu_progtype_raw_tracepoint;
extern const struct emu_progtype emu_progtype_raw_tracepoint_writable;
extern const struct emu_progtype emu_progtype_cgroup_sock_addr;
extern const struct emu_progtype emu_progtype_lsm;
extern const struct emu_progtype emu_progtype_netfilter;
extern const struct emu_progtype emu_progtype_syscall;
extern const struct emu_progtype emu_progtype_tracing; /* progtype_tracing.c */

/* Table entry helpers: a field kept at its UAPI offset, and a 32-bit UAPI packet
 * offset field that is an 8-byte pointer at `rt` in the runtime ctx. */
#define EMU_CTX_FIELD(st, member, elem_size, cnt, acc, kd)                              \
	{ #member, (uint16_t)offsetof(st, member), elem_size, cnt, acc, kd,                 \
	  (uint16_t)offsetof(st, member), elem_size, NULL, 0 }
#define EMU_CTX_POINTER(st, member, kd, rt)                                             \
	{ #member, (uint16_t)offsetof(st, member), 4, 1, EMU_CTX_READ, kd, (uint16_t)(rt), 8, \
	  NULL, 0 }

/* A field only some attach types may access (bit per enum bpf_attach_type). */
#define EMU_CTX_FIELD_ATTACH(st, member, elem_size, cnt, acc, kd, mask)                 \
	{ #member, (uint16_t)offsetof(st, member), elem_size, cnt, acc, kd,                 \
	  (uint16_t)offsetof(st, member), elem_size, NULL, mask }
#define EMU_ATTACH_BIT(a) (1ull << (a))

#define EMU_R (EMU_CTX_READ)
#define EMU_RN (EMU_CTX_READ | EMU_CTX_NARROW)
#define EMU_RWN (EMU_CTX_READ | EMU_CTX_WRITE | EMU_CTX_NARROW)

#endif /* EBPF_KERNEL_PROGTYPE_INT_H */
