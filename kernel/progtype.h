/* progtype.h - program types of the emulated kernel: name, context (ctx) layout as the
 * UAPI defines it, which ctx accesses each type allows, and how a checked ctx access is
 * rewritten for the runtime ctx the interpreter sees. Shared by the verifier (checks
 * and rewrites ctx loads/stores) and the execution side (builds the runtime ctx).
 *
 * Model: the runtime ctx of every type starts with the UAPI struct, byte for byte, so
 * scalar fields keep their UAPI offset (narrow loads need no rewrite on little-endian).
 * Fields the UAPI declares as 32-bit packet offsets (data, data_end, data_meta) are
 * 64-bit host pointers at runtime, stored after the UAPI struct: a 4-byte load of such
 * a field becomes an 8-byte load from `runtime_off`. __bpf_md_ptr fields (flow_keys,
 * sk) are already 8 bytes and hold the host pointer in place.
 */
#ifndef EBPF_KERNEL_PROGTYPE_H
#define EBPF_KERNEL_PROGTYPE_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stdint.h>

#include "ebpf/objfmt.h"

/* Program types newer than the build host's UAPI header (linux-libc-dev 6.1). */
#ifndef BPF_PROG_TYPE_NETFILTER
#define BPF_PROG_TYPE_NETFILTER 32
#endif

/* Access rights of a ctx field (bit set). */
enum {
	EMU_CTX_READ = 0x1,   /* loads allowed */
	EMU_CTX_WRITE = 0x2,  /* stores allowed (always of the full element size) */
	EMU_CTX_NARROW = 0x4, /* loads smaller than the element allowed (aligned to their
			       * size, anywhere inside the element) */
	EMU_CTX_WIDE = 0x8,   /* an 8-byte load/store may span two adjacent elements of an
			       * array of u32 (bpf_sock_addr user_ip6: "1,2,4,8-byte read") */
	EMU_CTX_NARROW_WRITE = 0x10, /* stores smaller than the element allowed too
				      * (__sk_buff cb[]) */
};

/* What a load of the field yields, i.e. the register type the verifier gives the
 * destination (kernel names in the comments). */
enum emu_ctx_kind {
	EMU_CTX_SCALAR = 0,    /* SCALAR_VALUE */
	EMU_CTX_PKT,           /* PTR_TO_PACKET: first byte of packet data */
	EMU_CTX_PKT_END,       /* PTR_TO_PACKET_END: one past the last byte */
	EMU_CTX_PKT_META,      /* PTR_TO_PACKET_META: start of the XDP/TC metadata area */
	EMU_CTX_FLOW_KEYS,     /* PTR_TO_FLOW_KEYS: struct bpf_flow_keys, read/write */
	EMU_CTX_SOCK_OR_NULL,  /* PTR_TO_SOCK_COMMON_OR_NULL (__sk_buff.sk) */
	EMU_CTX_SOCK,          /* PTR_TO_SOCKET (bpf_sock_addr.sk, never NULL) */
	EMU_CTX_TP_BUFFER,     /* PTR_TO_TP_BUFFER: raw_tracepoint_writable args[0];
				* bytes writable: attach's writable size */
	EMU_CTX_BTF_PTR,       /* PTR_TO_BTF_ID of kernel type `btf_type` (netfilter) */
};

/* One field (or array of equal elements) of a UAPI ctx struct. */
struct emu_ctx_field {
	const char *name;      /* UAPI member name ("data", "cb", "remote_ip6") */
	uint16_t off;          /* UAPI byte offset of element 0 */
	uint8_t size;          /* element size in bytes (1, 2, 4 or 8) */
	uint8_t count;         /* elements: 5 for cb[5], 1 for a plain field */
	uint8_t access;        /* EMU_CTX_READ | EMU_CTX_WRITE | EMU_CTX_NARROW | WIDE */
	uint8_t kind;          /* enum emu_ctx_kind */
	uint16_t runtime_off;  /* offset of element 0 in the runtime ctx */
	uint8_t runtime_size;  /* bytes per element at runtime (8 for pointer fields) */
	const char *btf_type;  /* EMU_CTX_BTF_PTR: kernel struct name ("sk_buff"), else NULL */
	uint64_t attach_mask;  /* bit (1 << enum bpf_attach_type) per attach type that may
				* access the field; 0 = every attach type */
};

/* One program type. Exactly one of `fields` and `raw` describes the ctx. */
struct emu_progtype {
	uint32_t type;                      /* enum bpf_prog_type */
	const char *name;                   /* bpftool's name: "xdp", "sched_cls", ... */
	uint32_t ctx_size;                  /* UAPI ctx size: valid ctx offsets are below */
	uint32_t runtime_ctx_size;          /* bytes of the runtime ctx (>= ctx_size) */
	const struct emu_ctx_field *fields; /* field table, NULL for raw contexts */
	uint32_t field_count;               /* entries in fields */
	/* Raw contexts (fields == NULL: kprobe pt_regs, tracepoint record, raw_tracepoint
	 * u64 args, lsm args, syscall buffer): any access of 1, 2, 4 or 8 bytes aligned to
	 * its size, inside [raw_min_off, ctx_size), with these rights. ctx_size 0 means
	 * "whatever test_run's ctx_in provides" (syscall). */
	uint8_t raw_access;                 /* EMU_CTX_READ [| EMU_CTX_WRITE] */
	uint8_t raw_min_size;               /* smallest access allowed (8 for u64 args) */
	uint16_t raw_min_off;               /* first accessible byte (tracepoint: 8) */
	bool has_packet;                    /* test_run takes data_in as a packet */
	bool kernel_test_run;               /* the real kernel implements its test_run */
};

/* The result of checking one ctx access. */
struct emu_ctx_access {
	const struct emu_ctx_field *field; /* matched field, NULL for raw contexts */
	enum emu_ctx_kind kind;            /* type of the loaded value */
	uint32_t runtime_off;              /* where the rewritten insn accesses */
	uint32_t runtime_size;             /* bytes the rewritten insn accesses */
};

/* Program type `type` (static storage), NULL when the emulator does not support it. */
const struct emu_progtype *emu_progtype_get(uint32_t type);

/* Check an access of `size` bytes at UAPI ctx offset `off` (the ctx register itself
 * is unmodified, so `off` is the insn's offset); `write` for ST/STX. Returns 0 and
 * fills *out, or -EACCES when the type does not allow it (the kernel then says
 * "invalid bpf_context access off=%d size=%d"). `attach` is the program's
 * expected_attach_type: some fields exist only for some hooks (bpf_sock_addr's
 * addresses per address family, XDP's egress_ifindex for devmap programs). */
int emu_progtype_ctx_access_attach(const struct emu_progtype *pt, uint32_t attach,
				   int32_t off, uint32_t size, bool write,
				   struct emu_ctx_access *out);
/* The same without an attach type: attach-dependent fields are allowed for any. */
int emu_progtype_ctx_access(const struct emu_progtype *pt, int32_t off, uint32_t size,
			    bool write, struct emu_ctx_access *out);
#define EMU_ATTACH_ANY UINT32_MAX

/* Rewrite a checked LDX/ST/STX ctx access in place for the runtime ctx: offset moves
 * to access->runtime_off (+ the position inside the element for narrow loads) and the
 * size becomes access->runtime_size for pointer fields. Never fails. */
void emu_progtype_ctx_convert(const struct emu_ctx_access *access, struct objfmt_insn *insn);

/* Runtime ctx layouts for the types whose UAPI struct carries 32-bit packet offsets.
 * The interpreter reads the pointers; test_run and helpers keep them up to date. */
struct emu_ctx_skb {
	struct __sk_buff uapi; /* scalar fields, flow_keys/sk pointers in place */
	uint64_t data;         /* host pointer: first packet byte */
	uint64_t data_end;     /* host pointer: one past the last packet byte */
	uint64_t data_meta;    /* host pointer: start of metadata (== data when none) */
};

struct emu_ctx_xdp {
	struct xdp_md uapi;    /* ingress_ifindex, rx_queue_index, egress_ifindex */
	uint32_t pad;          /* keeps the pointers 8-byte aligned */
	uint64_t data;         /* host pointer: first packet byte */
	uint64_t data_end;     /* host pointer: one past the last packet byte */
	uint64_t data_meta;    /* host pointer: start of the metadata area */
};

#endif /* EBPF_KERNEL_PROGTYPE_H */
