/* helper_proto.h - the helper PROTOTYPE table the verifier checks calls against: per
 * UAPI helper id its argument kinds, return kind, GPL restriction, side effects and the
 * program types that may call it (the kernel's bpf_func_proto + *_func_proto()). */
#ifndef EBPF_KERNEL_HELPER_PROTO_H
#define EBPF_KERNEL_HELPER_PROTO_H

#include <stdbool.h>
#include <stdint.h>

/* Argument kinds (kernel enum bpf_arg_type), flags below may be or'ed in. */
enum helper_arg {
	HELPER_ARG_NONE = 0,          /* ARG_DONTCARE: unused */
	HELPER_ARG_ANYTHING,          /* any initialised value */
	HELPER_ARG_CONST_MAP_PTR,     /* map pointer from ld_imm64 */
	HELPER_ARG_MAP_KEY,           /* key_size readable bytes */
	HELPER_ARG_MAP_VALUE,         /* value_size bytes (read, or written with WRITE) */
	HELPER_ARG_MEM,               /* memory whose size is the next argument */
	HELPER_ARG_FIXED_MEM,         /* memory of `fixed_size` bytes */
	HELPER_ARG_CONST_SIZE,        /* size of the previous memory arg, > 0 */
	HELPER_ARG_CONST_SIZE_OR_ZERO,/* size of the previous memory arg, >= 0 */
	HELPER_ARG_CTX,               /* the program's context, unmodified */
	HELPER_ARG_RINGBUF_MEM,       /* a ringbuf record (released by the call) */
	HELPER_ARG_CONST_ALLOC_SIZE,  /* known constant size of a new allocation */
	HELPER_ARG_CONST_STR,         /* NUL-terminated string in a read-only map value */
	HELPER_ARG_FUNC,              /* callback subprogram (ld_imm64 BPF_PSEUDO_FUNC) */
	HELPER_ARG_STACK,             /* pointer into the stack (ARG_PTR_TO_STACK) */
	HELPER_ARG_SPIN_LOCK,         /* the struct bpf_spin_lock in a map value */
	HELPER_ARG_SOCK_COMMON,       /* a socket pointer of any kind (ARG_PTR_TO_SOCK_COMMON) */
	HELPER_ARG_SOCK_RELEASE,      /* an acquired socket, released by the call
					 (ARG_PTR_TO_BTF_ID_SOCK_COMMON | OBJ_RELEASE) */
	HELPER_ARG_TIMER,             /* the struct bpf_timer in a map value */
	HELPER_ARG_DYNPTR_UNINIT,     /* stack for a new ring buffer dynptr (holds a reference) */
	HELPER_ARG_DYNPTR,            /* an initialised ring buffer dynptr on the stack */
	HELPER_ARG_KIND_MASK = 0xff,
};
#define HELPER_ARG_MAYBE_NULL 0x100 /* NULL (known 0) accepted */
#define HELPER_ARG_RDONLY 0x200     /* memory is only read */
#define HELPER_ARG_WRITE 0x400      /* memory is written (may be uninitialised) */
#define HELPER_ARG_ALIGNED 0x800    /* aligned to its size (MEM_ALIGNED, strict) */

enum helper_ret {
	HELPER_RET_INTEGER,           /* r0 unknown scalar */
	HELPER_RET_VOID,              /* r0 not readable afterwards */
	HELPER_RET_MAP_VALUE_OR_NULL, /* map value of the map argument, or NULL */
	HELPER_RET_RINGBUF_MEM_OR_NULL, /* new ringbuf record of the alloc size, or NULL */
	HELPER_RET_BTF_ID_TASK,       /* trusted pointer to the current task_struct */
	HELPER_RET_SOCKET_OR_NULL,    /* struct bpf_sock or NULL */
	HELPER_RET_SOCK_COMMON_OR_NULL, /* struct bpf_sock (common fields) or NULL */
	HELPER_RET_TCP_SOCK_OR_NULL,  /* struct bpf_tcp_sock or NULL */
	HELPER_RET_DYNPTR_MEM_OR_NULL, /* memory of the const size argument inside a dynptr */
};

/* Groups of program types, as the kernel's per-type func_proto switches allow. */
#define HELPER_TYPES_ALL 0x1u     /* bpf_base_func_proto: every type (root) */
#define HELPER_TYPES_TRACE 0x2u   /* kprobe, tracepoint, perf_event, raw_tracepoint */
#define HELPER_TYPES_SKB 0x4u     /* socket filter, tc, cgroup skb: skb readers */
#define HELPER_TYPES_TC 0x8u      /* sched_cls, sched_act: packet writers */
#define HELPER_TYPES_XDP 0x10u    /* xdp */
#define HELPER_TYPES_CGROUP_SKB 0x20u /* cgroup skb */
#define HELPER_TYPES_SK_SKB 0x40u /* sk_skb */
#define HELPER_TYPES_SOCK_ADDR 0x80u /* cgroup sock addr */
#define HELPER_TYPES_SOCK_OPS 0x100u /* sock ops */
#define HELPER_TYPES_NOT_TRACE 0x200u /* every type outside HELPER_TYPES_TRACE */

struct helper_proto {
	int32_t id;               /* enum bpf_func_id */
	bool gpl_only;            /* refused for non-GPL programs */
	enum helper_ret ret;
	uint32_t args[5];         /* enum helper_arg | flags */
	uint32_t fixed_size;      /* bytes of a HELPER_ARG_FIXED_MEM argument */
	uint32_t types;           /* HELPER_TYPES_* allowed to call it */
	bool changes_pkt_data;    /* invalidates packet pointers */
	bool pkt_access;          /* may take packet pointers as memory arguments */
	bool releases_ref;        /* frees its HELPER_ARG_RINGBUF_MEM argument */
	bool acquires_ref;        /* its non-NULL result must be released (socket lookups) */
	bool ptr_cast;            /* its result carries the argument's reference */
	uint32_t map_types;       /* bitmask of 1u << map type the map arg must be (0 any) */
};

/* Prototype of helper `id` (static storage), NULL if the emulator has none. */
const struct helper_proto *helper_proto_get(int32_t id);
/* Whether program type `prog_type` may call `proto`. */
bool helper_proto_allowed(const struct helper_proto *proto, uint32_t prog_type);

#endif /* EBPF_KERNEL_HELPER_PROTO_H */
