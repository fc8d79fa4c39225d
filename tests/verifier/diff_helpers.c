/* diff_helpers.c - helper-prototype differential test: for every helper of our
 * prototype table and program type, small programs pass each argument slot in turn a
 * different register kind (bounds-checked packet, map value, stack with and without
 * data, ctx, NULL, scalar, map pointer) with valid other arguments; each is loaded into
 * the emulated kernel and the real one, and verdicts and the key error line compared.
 * What we accept also runs through checked execution where the type has a test_run.
 * A program we accept that the kernel rejects fails the test. Needs root (exit 77).
 * Usage: diff_helpers [-v] [-a] [-d TEXT] (-v prints every disagreement, -a tries the
 * argument kinds in every program type, -d prints both logs of the programs whose
 * description contains TEXT). */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ebpf/emu.h"
#include "helper_proto.h"
#include "vtest.h"

/* What an argument register holds; KIND_VALID is the prototype's valid value. */
enum kind { KIND_VALID, KIND_PACKET, KIND_MAP_VALUE, KIND_STACK, KIND_STACK_UNINIT,
	    KIND_CTX, KIND_NULL, KIND_SCALAR, KIND_MAP_PTR,
	    /* pointers near the end of their region, or not checked yet */
	    KIND_PACKET_NEAR_END, KIND_PACKET_UNCHECKED, KIND_PACKET_END, KIND_MAP_VALUE_NEAR_END,
	    KIND_MAP_VALUE_OR_NULL, KIND_STACK_NEAR_END, KIND_CTX_OFFSET,
	    /* scalars that are not constants */
	    KIND_SCALAR_UNKNOWN, KIND_SCALAR_RANGE,
	    /* variable offsets (0..7, 0..63) and the packet's metadata (not checked) */
	    KIND_PACKET_VAR, KIND_MAP_VALUE_VAR, KIND_STACK_VAR, KIND_PACKET_META,
	    /* just before the region, and the frame pointer itself */
	    KIND_PACKET_BEFORE, KIND_MAP_VALUE_BEFORE, KIND_FRAME_POINTER,
	    /* a value of the frozen read-only map (BPF_PSEUDO_MAP_VALUE) */
	    KIND_RODATA_VALUE,
	    /* the key a bpf_for_each_map_elem callback gets (the call moves into it) */
	    KIND_MAP_KEY, KIND_COUNT };
static const char *const kind_names[KIND_COUNT] = {
	"valid", "pkt", "map_value", "stack", "stack_uninit", "ctx", "null", "scalar", "map_ptr",
	"pkt+60", "pkt_unchecked", "pkt_end", "map_value+60", "map_value_or_null", "fp-4",
	"ctx+8", "scalar_unknown", "scalar_0_15", "pkt+var", "map_value+var", "fp-64+var",
	"pkt_meta", "pkt-4", "map_value-4", "fp", "rodata", "map_key",
};

/* Maps both kernels get, by placeholder index. */
enum { MAP_ARRAY, MAP_RINGBUF, MAP_PROG_ARRAY, MAP_PERF, MAP_QUEUE, MAP_DEVMAP, MAP_HASH,
       MAP_LOCK,   /* value { int cnt; struct bpf_spin_lock lock; } with BTF */
       MAP_RODATA, /* frozen, BPF_F_RDONLY_PROG, value "%d": a format string */
       MAP_TIMER,  /* value { int cnt; int pad; struct bpf_timer t; } with BTF */
       MAP_COUNT };
static const struct { uint32_t type, key, value, entries; } map_specs[MAP_COUNT] = {
	{ BPF_MAP_TYPE_ARRAY, 4, 64, 1 },      { BPF_MAP_TYPE_RINGBUF, 0, 0, 4096 },
	{ BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 1 },  { BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 4 },
	{ BPF_MAP_TYPE_QUEUE, 0, 64, 4 },      { BPF_MAP_TYPE_DEVMAP, 4, 4, 1 },
	{ BPF_MAP_TYPE_HASH, 4, 64, 4 },       { BPF_MAP_TYPE_ARRAY, 4, 8, 1 },
	{ BPF_MAP_TYPE_ARRAY, 4, 64, 1 },      { BPF_MAP_TYPE_ARRAY, 4, 24, 1 },
};

struct ptype {
	uint32_t type;
	const char *name;
	int16_t data, data_end; /* ctx offsets of the packet pointers, -1 without */
	int16_t data_meta;      /* ... of the metadata pointer, -1 without */
	bool runnable;          /* has a test_run to check what we accept */
	bool variants;          /* argument kinds too, not only which helpers it may call
				   (-a: for every type) */
};
static const struct ptype ptypes[] = {
#define XDP_FIELD(f) (int16_t)offsetof(struct xdp_md, f)
#define SKB_FIELD(f) (int16_t)offsetof(struct __sk_buff, f)
	{ BPF_PROG_TYPE_XDP, "xdp", XDP_FIELD(data), XDP_FIELD(data_end), XDP_FIELD(data_meta),
	  true, true },
	{ BPF_PROG_TYPE_SCHED_CLS, "sched_cls", SKB_FIELD(data), SKB_FIELD(data_end),
	  SKB_FIELD(data_meta), true, true },
	{ BPF_PROG_TYPE_CGROUP_SKB, "cgroup_skb", SKB_FIELD(data), SKB_FIELD(data_end), -1,
	  true, true },
	{ BPF_PROG_TYPE_SOCKET_FILTER, "socket_filter", -1, -1, -1, true, true },
	/* sk_skb is left out: the emulator refuses its ctx data/data_end loads */
	{ BPF_PROG_TYPE_SOCK_OPS, "sock_ops", -1, -1, -1, false, false },
	{ BPF_PROG_TYPE_FLOW_DISSECTOR, "flow_dissector", SKB_FIELD(data), SKB_FIELD(data_end), -1,
	  false, false },
	{ BPF_PROG_TYPE_KPROBE, "kprobe", -1, -1, -1, false, true },
	/* the other tracing types check arguments as kprobe does */
	{ BPF_PROG_TYPE_TRACEPOINT, "tracepoint", -1, -1, -1, false, false },
	{ BPF_PROG_TYPE_RAW_TRACEPOINT, "raw_tracepoint", -1, -1, -1, false, false },
	{ BPF_PROG_TYPE_PERF_EVENT, "perf_event", -1, -1, -1, false, false },
};
#define PTYPE_COUNT (sizeof(ptypes) / sizeof(ptypes[0]))

struct counts {
	unsigned programs, agree, key_agree, both_rejected, safety, precision, runs, violations;
};

static bool verbose_flag;
static const char *dump_match;
static bool kernel_present;
static bool all_variants;
/* First insn of the callback of the program build() made last, 0 without one: the
 * kernel wants BTF func_info for programs with callbacks. */
static uint32_t callback_start;
static int emu_maps[MAP_COUNT], kernel_maps[MAP_COUNT];
/* A prog array belongs to the program type that first uses it: one per type. */
static int emu_prog_arrays[PTYPE_COUNT], kernel_prog_arrays[PTYPE_COUNT];

static void emit(struct vt_prog *p, uint8_t code, uint8_t dst, uint8_t src, int16_t off,
		 int32_t imm)
{
	p->insns[p->cnt++] = (struct objfmt_insn){ .code = code, .dst_reg = dst, .src_reg = src,
						   .off = off, .imm = imm };
}

static void emit_mov(struct vt_prog *p, uint8_t dst, uint8_t src)
{
	emit(p, BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0);
}

static void emit_const(struct vt_prog *p, uint8_t dst, int32_t imm)
{
	emit(p, BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm);
}

static void emit_fp(struct vt_prog *p, uint8_t dst, int32_t off)
{
	emit_mov(p, dst, 10);
	emit(p, BPF_ALU64 | BPF_ADD | BPF_K, dst, 0, 0, off);
}

static void emit_map(struct vt_prog *p, uint8_t dst, int which)
{
	emit(p, BPF_LD | BPF_IMM | BPF_DW, dst, 0, 0, (int32_t)(VT_MAP_MAGIC | (uint64_t)which));
	emit(p, 0, 0, 0, 0, (int32_t)(VT_MAP_MAGIC >> 32));
}

static bool map_usable(int m)
{
	return emu_maps[m] >= 0 && (!kernel_present || kernel_maps[m] >= 0);
}

/* The map a CONST_MAP_PTR argument of `proto` gets, -1 if none we create. */
static int map_for(const struct helper_proto *proto)
{
	if (!proto->map_types)
		return MAP_ARRAY;
	for (int m = 0; m < MAP_COUNT; m++)
		if (proto->map_types & (1u << map_specs[m].type))
			return map_usable(m) ? m : -1;
	return -1;
}

/* Whether every argument of `proto` has a valid value we know how to build. */
static bool proto_supported(const struct helper_proto *proto)
{
	for (int i = 0; i < 5; i++) {
		switch (proto->args[i] & HELPER_ARG_KIND_MASK) {
		case HELPER_ARG_NONE: case HELPER_ARG_ANYTHING: case HELPER_ARG_MAP_KEY:
		case HELPER_ARG_MAP_VALUE: case HELPER_ARG_MEM: case HELPER_ARG_FIXED_MEM:
		case HELPER_ARG_CONST_SIZE: case HELPER_ARG_CONST_SIZE_OR_ZERO:
		case HELPER_ARG_CTX: case HELPER_ARG_CONST_ALLOC_SIZE: case HELPER_ARG_STACK:
		case HELPER_ARG_RINGBUF_MEM: case HELPER_ARG_DYNPTR: case HELPER_ARG_DYNPTR_UNINIT:
		case HELPER_ARG_SOCK_COMMON: case HELPER_ARG_SOCK_RELEASE: case HELPER_ARG_FUNC:
			break;
		case HELPER_ARG_SPIN_LOCK:
			if (map_usable(MAP_LOCK))
				break;
			return false;
		case HELPER_ARG_CONST_STR:
			if (map_usable(MAP_RODATA))
				break;
			return false;
		case HELPER_ARG_TIMER:
			if (map_usable(MAP_TIMER))
				break;
			return false;
		case HELPER_ARG_CONST_MAP_PTR:
			if (map_for(proto) < 0)
				return false;
			break;
		default:
			return false;
		}
	}
	return true;
}

static void emit_add(struct vt_prog *p, uint8_t dst, uint8_t src, int32_t delta)
{
	emit_mov(p, dst, src);
	emit(p, BPF_ALU64 | BPF_ADD | BPF_K, dst, 0, 0, delta);
}

/* r<regno> = what `kind` names; from the preamble: r6 ctx, r7 packet (64 bytes
 * checked), r8 map value, r9 packet end, fp-72 a hash lookup's map_value_or_null,
 * fp-80 a random u32. */
static void emit_kind(struct vt_prog *p, uint8_t regno, enum kind kind, int map,
		      const struct ptype *t)
{
	switch (kind) {
	case KIND_PACKET_NEAR_END: emit_add(p, regno, 7, 60); break;
	case KIND_PACKET_UNCHECKED:
		emit(p, BPF_LDX | BPF_MEM | BPF_W, regno, 6, t->data, 0);
		break;
	case KIND_PACKET_END: emit_mov(p, regno, 9); break;
	case KIND_MAP_VALUE_NEAR_END: emit_add(p, regno, 8, 60); break;
	case KIND_MAP_VALUE_OR_NULL:
		emit(p, BPF_LDX | BPF_MEM | BPF_DW, regno, 10, -72, 0);
		break;
	case KIND_STACK_NEAR_END: emit_fp(p, regno, -4); break;
	case KIND_CTX_OFFSET: emit_add(p, regno, 6, 8); break;
	case KIND_SCALAR_UNKNOWN:
		emit(p, BPF_LDX | BPF_MEM | BPF_DW, regno, 10, -80, 0);
		break;
	case KIND_SCALAR_RANGE:
		emit(p, BPF_LDX | BPF_MEM | BPF_DW, regno, 10, -80, 0);
		emit(p, BPF_ALU64 | BPF_AND | BPF_K, regno, 0, 0, 15);
		break;
	case KIND_PACKET_VAR: case KIND_MAP_VALUE_VAR: case KIND_STACK_VAR:
		emit(p, BPF_LDX | BPF_MEM | BPF_DW, regno, 10, -80, 0);
		emit(p, BPF_ALU64 | BPF_AND | BPF_K, regno, 0, 0, kind == KIND_MAP_VALUE_VAR ? 63 : 7);
		if (kind == KIND_STACK_VAR)
			emit(p, BPF_ALU64 | BPF_ADD | BPF_K, regno, 0, 0, -64);
		emit(p, BPF_ALU64 | BPF_ADD | BPF_X, regno,
		     kind == KIND_PACKET_VAR ? 7 : kind == KIND_MAP_VALUE_VAR ? 8 : 10, 0, 0);
		break;
	case KIND_PACKET_META:
		emit(p, BPF_LDX | BPF_MEM | BPF_W, regno, 6, t->data_meta, 0);
		break;
	case KIND_PACKET_BEFORE: emit_add(p, regno, 7, -4); break;
	case KIND_MAP_VALUE_BEFORE: emit_add(p, regno, 8, -4); break;
	case KIND_FRAME_POINTER: emit_mov(p, regno, 10); break;
	case KIND_RODATA_VALUE:
		emit(p, BPF_LD | BPF_IMM | BPF_DW, regno, BPF_PSEUDO_MAP_VALUE, 0, MAP_RODATA);
		emit(p, 0, 0, 0, 0, 0);
		break;
	case KIND_PACKET: emit_mov(p, regno, 7); break;
	case KIND_MAP_VALUE: emit_mov(p, regno, 8); break;
	case KIND_STACK: emit_fp(p, regno, -64); break;
	case KIND_STACK_UNINIT: emit_fp(p, regno, -128); break;
	case KIND_CTX: emit_mov(p, regno, 6); break;
	case KIND_NULL: emit_const(p, regno, 0); break;
	case KIND_SCALAR: emit_const(p, regno, 42); break;
	case KIND_MAP_PTR: emit_map(p, regno, map); break;
	case KIND_MAP_KEY: emit_mov(p, regno, 7); break; /* in the callback */
	case KIND_VALID: case KIND_COUNT: break;
	}
}

/* An object the helper's argument needs, set up before the call and released after
 * it unless the helper released it: a ringbuf record or a socket (spilled at fp-88)
 * or a ring buffer dynptr (fp-112..-97). */
enum held { HELD_NONE, HELD_RECORD, HELD_SOCKET, HELD_DYNPTR,
	    HELD_LOCK_VALUE, /* a lock map value (fp-88) for bpf_spin_lock */
	    HELD_LOCKED,     /* ... whose lock is taken, for bpf_spin_unlock */
	    HELD_TIMER };    /* a timer map value (fp-88), its map the map argument */

struct build_state {
	enum held held;
	int held_slot;       /* argument taking it */
	int dynptr_init_slot; /* DYNPTR_UNINIT argument (bpf_ringbuf_reserve_dynptr), or -1 */
	int64_t func_at;     /* ld_imm64 of a callback to point at the callback, or -1 */
};

static void emit_fill(struct vt_prog *p, uint8_t regno, int16_t off)
{
	emit(p, BPF_LDX | BPF_MEM | BPF_DW, regno, 10, off, 0);
}

static void emit_valid(struct vt_prog *p, uint8_t regno, uint32_t arg, int map,
		       struct build_state *b)
{
	switch (arg & HELPER_ARG_KIND_MASK) {
	case HELPER_ARG_RINGBUF_MEM: case HELPER_ARG_SOCK_COMMON: case HELPER_ARG_SOCK_RELEASE:
		if (b->held == HELD_NONE) /* sockets on a type without lookups */
			emit_const(p, regno, 0);
		else
			emit_fill(p, regno, -88);
		break;
	case HELPER_ARG_DYNPTR: case HELPER_ARG_DYNPTR_UNINIT: emit_fp(p, regno, -112); break;
	case HELPER_ARG_SPIN_LOCK: /* the lock is at offset 4 of the value */
		emit_fill(p, regno, -88);
		emit(p, BPF_ALU64 | BPF_ADD | BPF_K, regno, 0, 0, 4);
		break;
	case HELPER_ARG_TIMER: /* the timer is at offset 8 of the value */
		emit_fill(p, regno, -88);
		emit(p, BPF_ALU64 | BPF_ADD | BPF_K, regno, 0, 0, 8);
		break;
	case HELPER_ARG_CONST_STR: /* ld_imm64 of the format map's value, offset 0 */
		emit(p, BPF_LD | BPF_IMM | BPF_DW, regno, BPF_PSEUDO_MAP_VALUE, 0, MAP_RODATA);
		emit(p, 0, 0, 0, 0, 0);
		break;
	case HELPER_ARG_FUNC:
		b->func_at = p->cnt;
		emit(p, BPF_LD | BPF_IMM | BPF_DW, regno, 0, 0, 0);
		emit(p, 0, 0, 0, 0, (int32_t)(VT_FUNC_MAGIC >> 32));
		break;
	case HELPER_ARG_CONST_MAP_PTR: emit_map(p, regno, map); break;
	case HELPER_ARG_MAP_KEY: case HELPER_ARG_MAP_VALUE: case HELPER_ARG_MEM:
	case HELPER_ARG_FIXED_MEM: case HELPER_ARG_STACK:
		emit_fp(p, regno, -64);
		break;
	case HELPER_ARG_CONST_SIZE: case HELPER_ARG_CONST_SIZE_OR_ZERO:
	case HELPER_ARG_CONST_ALLOC_SIZE:
		emit_const(p, regno, 8);
		break;
	case HELPER_ARG_CTX: emit_mov(p, regno, 6); break;
	default: emit_const(p, regno, 0); break;
	}
}

/* Jumps to the common exit, patched once it is placed. */
struct exits { uint32_t at[8]; int count; };

static void emit_exit_jump(struct vt_prog *p, struct exits *x, uint8_t op, uint8_t dst,
			   uint8_t src, int32_t imm)
{
	x->at[x->count++] = p->cnt;
	emit(p, BPF_JMP | op | (src ? BPF_X : BPF_K), dst, src, 0, imm);
}

/* r6 = ctx; fp-64..-1 zeroed; fp-72 = a hash lookup's result (not NULL-checked);
 * fp-80 = a random u32; r8 = a non-NULL array value; r7 = data with 64 bytes checked
 * against data_end in r9 (types with packet pointers). */
static void emit_preamble(struct vt_prog *p, const struct ptype *t, struct exits *x)
{
	emit_mov(p, 6, 1);
	for (int off = -64; off < 0; off += 8)
		emit(p, BPF_ST | BPF_MEM | BPF_DW, 10, 0, (int16_t)off, 0);
	emit_map(p, 1, MAP_HASH);
	emit_fp(p, 2, -64);
	emit(p, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem);
	emit(p, BPF_STX | BPF_MEM | BPF_DW, 10, 0, -72, 0);
	emit(p, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_get_prandom_u32);
	emit(p, BPF_STX | BPF_MEM | BPF_DW, 10, 0, -80, 0);
	emit_map(p, 1, MAP_ARRAY);
	emit_fp(p, 2, -64);
	emit(p, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem);
	emit_exit_jump(p, x, BPF_JEQ, 0, 0, 0);
	emit_mov(p, 8, 0);
	if (t->data < 0)
		return;
	emit(p, BPF_LDX | BPF_MEM | BPF_W, 7, 6, t->data, 0);
	emit(p, BPF_LDX | BPF_MEM | BPF_W, 9, 6, t->data_end, 0);
	emit_mov(p, 0, 7);
	emit(p, BPF_ALU64 | BPF_ADD | BPF_K, 0, 0, 0, 64);
	emit_exit_jump(p, x, BPF_JGT, 0, 9, 0);
}

/* Results holding references are released, so only the arguments decide. */
static void emit_release(struct vt_prog *p, const struct helper_proto *proto, struct exits *x)
{
	int32_t release = proto->ret == HELPER_RET_RINGBUF_MEM_OR_NULL ? BPF_FUNC_ringbuf_discard :
			  proto->acquires_ref ? BPF_FUNC_sk_release : 0;
	if (!release)
		return;
	emit_exit_jump(p, x, BPF_JEQ, 0, 0, 0);
	emit_mov(p, 1, 0);
	emit_const(p, 2, 0);
	emit(p, BPF_JMP | BPF_CALL, 0, 0, 0, release);
}

static void held_of(const struct helper_proto *proto, const struct ptype *t,
		    struct build_state *b)
{
	static const struct helper_proto *lookup;
	if (!lookup)
		lookup = helper_proto_get(BPF_FUNC_sk_lookup_tcp);
	b->held = HELD_NONE;
	b->held_slot = b->dynptr_init_slot = -1;
	b->func_at = -1;
	for (int i = 0; i < 5; i++)
		switch (proto->args[i] & HELPER_ARG_KIND_MASK) {
		case HELPER_ARG_RINGBUF_MEM:
			b->held = HELD_RECORD, b->held_slot = i;
			break;
		case HELPER_ARG_DYNPTR:
			b->held = HELD_DYNPTR, b->held_slot = i;
			break;
		case HELPER_ARG_SOCK_COMMON: case HELPER_ARG_SOCK_RELEASE:
			if (helper_proto_allowed(lookup, t->type))
				b->held = HELD_SOCKET, b->held_slot = i;
			break;
		case HELPER_ARG_DYNPTR_UNINIT:
			b->dynptr_init_slot = i;
			break;
		case HELPER_ARG_SPIN_LOCK:
			b->held = proto->id == BPF_FUNC_spin_unlock ? HELD_LOCKED : HELD_LOCK_VALUE;
			b->held_slot = i;
			break;
		case HELPER_ARG_TIMER:
			b->held = HELD_TIMER, b->held_slot = i;
			break;
		}
}

static void emit_hold(struct vt_prog *p, const struct build_state *b, struct exits *x)
{
	switch (b->held) {
	case HELD_RECORD:
		emit_map(p, 1, MAP_RINGBUF);
		emit_const(p, 2, 8);
		emit_const(p, 3, 0);
		emit(p, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_ringbuf_reserve);
		break;
	case HELD_DYNPTR: /* held whether the reservation worked or not */
		emit_map(p, 1, MAP_RINGBUF);
		emit_const(p, 2, 8);
		emit_const(p, 3, 0);
		emit_fp(p, 4, -112);
		emit(p, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_ringbuf_reserve_dynptr);
		return;
	case HELD_SOCKET: /* a 12-byte IPv4 tuple of zeros */
		emit_mov(p, 1, 6);
		emit_fp(p, 2, -64);
		emit_const(p, 3, 12);
		emit_const(p, 4, 0);
		emit_const(p, 5, 0);
		emit(p, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_sk_lookup_tcp);
		break;
	case HELD_LOCK_VALUE: case HELD_LOCKED: case HELD_TIMER:
		emit_map(p, 1, b->held == HELD_TIMER ? MAP_TIMER : MAP_LOCK);
		emit_fp(p, 2, -64);
		emit(p, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem);
		break;
	case HELD_NONE:
		return;
	}
	emit_exit_jump(p, x, BPF_JEQ, 0, 0, 0);
	emit(p, BPF_STX | BPF_MEM | BPF_DW, 10, 0, -88, 0);
	if (b->held == HELD_LOCKED) {
		emit_add(p, 1, 0, 4);
		emit(p, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_spin_lock);
	}
}

/* Release what the preamble (or a dynptr reservation under test) holds, unless the
 * helper released it with its valid argument. */
static void emit_unhold(struct vt_prog *p, const struct helper_proto *proto,
			const struct build_state *b, int slot)
{
	bool released = proto->releases_ref && slot != b->held_slot;
	bool dynptr = b->held == HELD_DYNPTR ||
		      (b->dynptr_init_slot >= 0 && slot != b->dynptr_init_slot);
	if (b->held == HELD_LOCK_VALUE && slot != b->held_slot) { /* bpf_spin_lock took it */
		emit_fill(p, 1, -88);
		emit(p, BPF_ALU64 | BPF_ADD | BPF_K, 1, 0, 0, 4);
		emit(p, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_spin_unlock);
	} else if (b->held == HELD_LOCK_VALUE || b->held == HELD_LOCKED ||
		   b->held == HELD_TIMER) {
		return; /* nothing taken, or bpf_spin_unlock (under test) released it */
	} else if (dynptr && !released) {
		emit_fp(p, 1, -112);
		emit_const(p, 2, 0);
		emit(p, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_ringbuf_discard_dynptr);
	} else if (b->held != HELD_NONE && b->held != HELD_DYNPTR && !released) {
		emit_fill(p, 1, -88);
		emit_const(p, 2, 0);
		emit(p, BPF_JMP | BPF_CALL, 0, 0, 0, b->held == HELD_RECORD ?
		     BPF_FUNC_ringbuf_discard : BPF_FUNC_sk_release);
	}
}

/* Whether the call can move into a callback: no ctx, nothing held, no callback. */
static bool callback_friendly(const struct helper_proto *proto)
{
	for (int i = 0; i < 5; i++)
		switch (proto->args[i] & HELPER_ARG_KIND_MASK) {
		case HELPER_ARG_CTX: case HELPER_ARG_RINGBUF_MEM: case HELPER_ARG_DYNPTR:
		case HELPER_ARG_DYNPTR_UNINIT: case HELPER_ARG_SOCK_COMMON:
		case HELPER_ARG_SOCK_RELEASE: case HELPER_ARG_FUNC:
			return false;
		}
	return true;
}

/* bpf_for_each_map_elem over the array, the call under test in the callback with
 * the key (r7 there; r8 the value) in slot `slot`. */
static void build_in_callback(struct vt_prog *p, const struct helper_proto *proto, int slot)
{
	struct exits x = { .count = 0 };
	struct build_state b = { .held = HELD_NONE, .held_slot = -1, .dynptr_init_slot = -1 };
	int map = map_for(proto);
	p->cnt = 0;
	emit_map(p, 1, MAP_ARRAY);
	emit_valid(p, 2, HELPER_ARG_FUNC, map, &b);
	emit_const(p, 3, 0);
	emit_const(p, 4, 0);
	emit(p, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_for_each_map_elem);
	emit_const(p, 0, 0);
	emit(p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	p->insns[b.func_at].imm = (int32_t)(VT_FUNC_MAGIC | (p->cnt - b.func_at - 2));
	callback_start = p->cnt;
	emit_mov(p, 7, 2);
	emit_mov(p, 8, 3);
	for (int off = -64; off < 0; off += 8)
		emit(p, BPF_ST | BPF_MEM | BPF_DW, 10, 0, (int16_t)off, 0);
	for (int i = 0; i < 5 && proto->args[i]; i++) {
		if (i == slot)
			emit_mov(p, (uint8_t)(i + 1), 7);
		else
			emit_valid(p, (uint8_t)(i + 1), proto->args[i], map, &b);
	}
	emit(p, BPF_JMP | BPF_CALL, 0, 0, 0, proto->id);
	emit_release(p, proto, &x);
	for (int i = 0; i < x.count; i++)
		p->insns[x.at[i]].off = (int16_t)(p->cnt - x.at[i] - 1);
	emit_const(p, 0, 0);
	emit(p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

/* The program: preamble, arguments (slot `slot` of kind `kind`), call, release, exit. */
static void build(struct vt_prog *p, const struct helper_proto *proto, const struct ptype *t,
		  int slot, enum kind kind)
{
	struct exits x = { .count = 0 };
	struct build_state b;
	int map = map_for(proto);
	callback_start = 0;
	if (kind == KIND_MAP_KEY) {
		build_in_callback(p, proto, slot);
		return;
	}
	p->cnt = 0;
	held_of(proto, t, &b);
	if (b.held == HELD_TIMER) /* bpf_timer_init: the timer's own map */
		map = MAP_TIMER;
	emit_preamble(p, t, &x);
	emit_hold(p, &b, &x);
	for (int i = 0; i < 5 && proto->args[i]; i++) {
		if (i == slot)
			emit_kind(p, (uint8_t)(i + 1), kind, MAP_ARRAY, t);
		else
			emit_valid(p, (uint8_t)(i + 1), proto->args[i], map, &b);
	}
	emit(p, BPF_JMP | BPF_CALL, 0, 0, 0, proto->id);
	emit_release(p, proto, &x);
	emit_unhold(p, proto, &b, slot);
	if (t->data >= 0) /* still a packet pointer unless the helper changed the packet */
		emit(p, BPF_LDX | BPF_MEM | BPF_B, 0, 7, 0, 0);
	for (int i = 0; i < x.count; i++)
		p->insns[x.at[i]].off = (int16_t)(p->cnt - x.at[i] - 1);
	emit_const(p, 0, 0);
	emit(p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	if (b.func_at >= 0) { /* the callback: return 0 */
		p->insns[b.func_at].imm = (int32_t)(VT_FUNC_MAGIC | (p->cnt - b.func_at - 2));
		callback_start = p->cnt;
		emit_const(p, 0, 0);
		emit(p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	}
}

/* The key line of a refusal: the last line before the statistics. */
static void key_line(const char *log, char *out, size_t size)
{
	const char *line = log, *best = "";
	size_t best_len = 0;
	out[0] = 0;
	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (len && strncmp(line, "processed ", 10) && strncmp(line, "verification time", 17)) {
			best = line;
			best_len = len;
		}
		line = end ? end + 1 : NULL;
	}
	snprintf(out, size, "%.*s", (int)best_len, best);
}

/* Run what we accepted once in checked execution; a violation is a verifier bug. */
static void run_checked(int fd, const struct ptype *t, struct counts *c, const char *desc)
{
	unsigned char data[128] = { 0 }, out[256];
	uint32_t retval, out_size = sizeof(out);
	unsigned long before = emu_checked_violations();
	if (!t->runnable)
		return;
	data[12] = 0x08; /* IPv4 ethertype */
	if (vt_test_run(VT_EMU, fd, data, sizeof(data), &retval, out, &out_size) == 0)
		c->runs++;
	if (emu_checked_violations() != before) {
		c->violations++;
		printf("VIOLATION %s: %s\n", desc, emu_checked_last_report());
	}
}

/* One program loaded on one side: verdict, errno, key line. */
struct verdict {
	bool ok;
	int err;
	char key[256];
	char *log;
};

static void load_side(enum vt_target target, const struct vt_prog *proto_prog,
		      const struct ptype *t, struct verdict *v, int *fd)
{
	static struct vt_prog prog;
	struct vt_result res;

	prog = *proto_prog;
	vt_patch_maps(&prog, target == VT_EMU ? emu_maps : kernel_maps);
	for (uint32_t i = 0; i < prog.cnt; i++)
		if (prog.insns[i].code == (BPF_LD | BPF_IMM | BPF_DW) &&
		    prog.insns[i].src_reg == BPF_PSEUDO_MAP_VALUE)
			prog.insns[i].imm = (target == VT_EMU ? emu_maps : kernel_maps)[MAP_RODATA];
	if (callback_start) {
		const uint32_t starts[2] = { 0, callback_start };
		vt_load_funcs(target, t->type, &prog, starts, 2, 1, &res);
	} else {
		vt_load_ex(target, t->type, 0, &prog, "GPL", 1, VT_LOG_SIZE, &res);
	}
	v->ok = res.fd >= 0;
	v->err = res.err;
	key_line(res.log, v->key, sizeof(v->key));
	v->log = res.log; /* freed by the caller */
	*fd = res.fd;
}

static void count_verdicts(const struct verdict *emu, const struct verdict *kernel,
			   const char *desc, struct counts *c)
{
	if (emu->ok == kernel->ok) {
		c->agree++;
		if (emu->ok)
			return;
		c->both_rejected++;
		bool same = !strcmp(emu->key, kernel->key) && emu->err == kernel->err;
		c->key_agree += same;
		if (!same && verbose_flag)
			printf("key %s: emu '%s' (%d) kernel '%s' (%d)\n", desc, emu->key,
			       emu->err, kernel->key, kernel->err);
	} else if (emu->ok) {
		c->safety++;
		printf("SAFETY %s: we accept, kernel: %s\n", desc, kernel->key);
	} else {
		c->precision++;
		if (verbose_flag)
			printf("precision %s: we reject: %s\n", desc, emu->key);
	}
}

/* Load on our side (and the kernel's when there is one), compare, run what we accept
 * in checked execution. `out` (if non-NULL) receives both verdicts, logs freed. */
static void compare(const struct vt_prog *proto_prog, const struct ptype *t, const char *desc,
		    struct counts *c, struct verdict out[2])
{
	struct verdict emu, kernel = { .log = NULL };
	int emu_fd, kernel_fd = -1;

	load_side(VT_EMU, proto_prog, t, &emu, &emu_fd);
	c->programs++;
	if (kernel_present) {
		load_side(VT_KERNEL, proto_prog, t, &kernel, &kernel_fd);
		count_verdicts(&emu, &kernel, desc, c);
	}
	if (dump_match && strstr(desc, dump_match))
		printf("== %s\n-- emu (%d):\n%s-- kernel (%d):\n%s", desc, emu.err, emu.log,
		       kernel.err, kernel.log ? kernel.log : "");
	if (emu.ok)
		run_checked(emu_fd, t, c, desc);
	vt_close(VT_EMU, emu_fd);
	vt_close(VT_KERNEL, kernel_fd);
	free(emu.log);
	free(kernel.log);
	emu.log = kernel.log = NULL;
	if (out) {
		out[0] = emu;
		out[1] = kernel;
	}
}

static bool kind_exists(enum kind kind, const struct ptype *t)
{
	bool packet = kind == KIND_PACKET || kind == KIND_PACKET_NEAR_END ||
		      kind == KIND_PACKET_UNCHECKED || kind == KIND_PACKET_END ||
		      kind == KIND_PACKET_VAR || kind == KIND_PACKET_BEFORE;
	if (kind == KIND_PACKET_META)
		return t->data_meta >= 0;
	return !packet || t->data >= 0;
}

/* Every (helper, type): one all-valid program; where the type may call it, one per
 * argument slot and register kind. */
static void run_helper(const struct helper_proto *proto, struct counts *c)
{
	static struct vt_prog prog;
	const char *name = objfmt_helper_name(proto->id);
	char desc[160];

	for (size_t ti = 0; ti < PTYPE_COUNT; ti++) {
		const struct ptype *t = &ptypes[ti];
		emu_maps[MAP_PROG_ARRAY] = emu_prog_arrays[ti];
		kernel_maps[MAP_PROG_ARRAY] = kernel_prog_arrays[ti];
		build(&prog, proto, t, -1, KIND_VALID);
		snprintf(desc, sizeof(desc), "%s %s all valid", name, t->name);
		compare(&prog, t, desc, c, NULL);
		if ((!t->variants && !all_variants) || !helper_proto_allowed(proto, t->type))
			continue;
		for (int slot = 0; slot < 5 && proto->args[slot]; slot++)
			for (int k = KIND_VALID + 1; k < KIND_COUNT; k++) {
				if (!kind_exists((enum kind)k, t) ||
				    (k == KIND_MAP_KEY && !callback_friendly(proto)))
					continue;
				build(&prog, proto, t, slot, (enum kind)k);
				snprintf(desc, sizeof(desc), "%s %s arg%d=%s", name, t->name, slot + 1,
					 kind_names[k]);
				compare(&prog, t, desc, c, NULL);
			}
	}
}

static int call_bpf(enum vt_target target, int cmd, union bpf_attr *attr)
{
	long r = target == VT_EMU ? emu_bpf(cmd, attr, sizeof(*attr)) :
				    syscall(__NR_bpf, cmd, attr, sizeof(*attr));
	return r < 0 ? -errno : (int)r;
}

/* The format string map: "%d" stored, then frozen. */
static int create_rodata(enum vt_target target)
{
	static const char text[64] = "%d";
	uint32_t key = 0;
	union bpf_attr attr;
	int fd = vt_map_create(target, BPF_MAP_TYPE_ARRAY, 4, 64, 1, BPF_F_RDONLY_PROG);
	if (fd < 0)
		return fd;
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)fd;
	attr.key = (uint64_t)(uintptr_t)&key;
	attr.value = (uint64_t)(uintptr_t)text;
	if (call_bpf(target, BPF_MAP_UPDATE_ELEM, &attr) < 0)
		return -1;
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)fd;
	return call_bpf(target, BPF_MAP_FREEZE, &attr) < 0 ? -1 : fd;
}

/* The timer map: BTF "struct elem { int cnt; int pad; struct bpf_timer t; }" (the
 * timer at offset 8, struct bpf_timer being two u64), key int. */
static int create_timer_map(enum vt_target target)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	int int_id = objfmt_btf__add_int(btf, "int", 4, OBJFMT_BTF_INT_SIGNED);
	int u64_id = objfmt_btf__add_int(btf, "unsigned long long", 8, 0);
	int opaque = objfmt_btf__add_array(btf, (uint32_t)u64_id, (uint32_t)int_id, 2);
	struct objfmt_btf_member timer_members[1] = {
		{ .name = "__opaque", .type = (uint32_t)opaque } };
	struct objfmt_btf_type timer = { .kind = OBJFMT_BTF_STRUCT, .name = "bpf_timer",
					 .size = 16, .vlen = 1, .members = timer_members };
	int timer_id = objfmt_btf__add(btf, &timer);
	struct objfmt_btf_member elem_members[3] = {
		{ .name = "cnt", .type = (uint32_t)int_id },
		{ .name = "pad", .type = (uint32_t)int_id, .bit_offset = 32 },
		{ .name = "t", .type = (uint32_t)timer_id, .bit_offset = 64 },
	};
	struct objfmt_btf_type elem = { .kind = OBJFMT_BTF_STRUCT, .name = "elem", .size = 24,
					.vlen = 3, .members = elem_members };
	int elem_id = objfmt_btf__add(btf, &elem);
	union bpf_attr attr;
	int btf_fd = vt_btf_load(target, btf);
	if (btf_fd < 0)
		return btf_fd;
	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 24;
	attr.max_entries = 1;
	attr.btf_fd = (uint32_t)btf_fd;
	attr.btf_key_type_id = (uint32_t)int_id;
	attr.btf_value_type_id = (uint32_t)elem_id;
	int fd = call_bpf(target, BPF_MAP_CREATE, &attr);
	close(btf_fd);
	return fd;
}

static int create_map(enum vt_target target, int m)
{
	if (m == MAP_TIMER)
		return create_timer_map(target);
	if (m == MAP_LOCK)
		return vt_lock_map_create(target, BPF_MAP_TYPE_ARRAY, 1);
	if (m == MAP_RODATA)
		return create_rodata(target);
	return vt_map_create(target, map_specs[m].type, map_specs[m].key, map_specs[m].value,
			     map_specs[m].entries, 0);
}

static void create_maps(void)
{
	for (int m = 0; m < MAP_COUNT; m++) {
		emu_maps[m] = create_map(VT_EMU, m);
		kernel_maps[m] = kernel_present ? create_map(VT_KERNEL, m) : -1;
	}
	for (size_t ti = 0; ti < PTYPE_COUNT; ti++) {
		emu_prog_arrays[ti] = create_map(VT_EMU, MAP_PROG_ARRAY);
		kernel_prog_arrays[ti] = kernel_present ? create_map(VT_KERNEL, MAP_PROG_ARRAY) : -1;
	}
	if (emu_maps[MAP_ARRAY] < 0 || (kernel_present && kernel_maps[MAP_ARRAY] < 0)) {
		fprintf(stderr, "diff_helpers: cannot create the array map\n");
		exit(1);
	}
}

/* Verdicts this test found disagreeing once, checked against the 6.18 kernel: they
 * hold on our side with or without a kernel (key NULL: accepted). */
struct expectation {
	int32_t id;
	uint32_t type;
	int slot; /* -1: every argument valid */
	enum kind kind;
	const char *key;
};
#define PKT_REFUSED "helper access to the packet is not allowed"
static const struct expectation expectations[] = {
	{ BPF_FUNC_ringbuf_output, BPF_PROG_TYPE_XDP, 1, KIND_PACKET, PKT_REFUSED },
	{ BPF_FUNC_ringbuf_output, BPF_PROG_TYPE_SCHED_CLS, 1, KIND_PACKET, PKT_REFUSED },
	{ BPF_FUNC_trace_printk, BPF_PROG_TYPE_CGROUP_SKB, 0, KIND_PACKET, PKT_REFUSED },
	{ BPF_FUNC_skb_load_bytes, BPF_PROG_TYPE_SCHED_CLS, 2, KIND_PACKET, PKT_REFUSED },
	{ BPF_FUNC_skb_store_bytes, BPF_PROG_TYPE_SCHED_CLS, 0, KIND_PACKET, PKT_REFUSED },
	{ BPF_FUNC_probe_read_kernel, BPF_PROG_TYPE_XDP, 0, KIND_PACKET, PKT_REFUSED },
	{ BPF_FUNC_map_pop_elem, BPF_PROG_TYPE_XDP, 1, KIND_PACKET, PKT_REFUSED },
	{ BPF_FUNC_map_lookup_elem, BPF_PROG_TYPE_XDP, 1, KIND_PACKET, NULL },
	{ BPF_FUNC_map_update_elem, BPF_PROG_TYPE_SCHED_CLS, 2, KIND_PACKET, NULL },
	{ BPF_FUNC_map_push_elem, BPF_PROG_TYPE_CGROUP_SKB, 1, KIND_PACKET, NULL },
	{ BPF_FUNC_csum_diff, BPF_PROG_TYPE_XDP, 0, KIND_PACKET, NULL },
	{ BPF_FUNC_csum_diff, BPF_PROG_TYPE_XDP, 0, KIND_MAP_VALUE_OR_NULL, NULL },
	{ BPF_FUNC_trace_printk, BPF_PROG_TYPE_XDP, 0, KIND_MAP_VALUE_OR_NULL,
	  "R1 type=map_value_or_null expected=fp, pkt, pkt_meta, map_key, map_value, mem, "
	  "ringbuf_mem, buf, trusted_ptr_" },
	{ BPF_FUNC_sk_lookup_tcp, BPF_PROG_TYPE_XDP, 1, KIND_PACKET, NULL },
	{ BPF_FUNC_sk_lookup_udp, BPF_PROG_TYPE_SCHED_CLS, 2, KIND_NULL, NULL },
	{ BPF_FUNC_get_current_pid_tgid, BPF_PROG_TYPE_XDP, -1, KIND_VALID, NULL },
	{ BPF_FUNC_get_current_comm, BPF_PROG_TYPE_SOCKET_FILTER, -1, KIND_VALID, NULL },
	{ BPF_FUNC_ktime_get_coarse_ns, BPF_PROG_TYPE_KPROBE, -1, KIND_VALID,
	  "program of this type cannot use helper bpf_ktime_get_coarse_ns#160" },
	{ BPF_FUNC_tail_call, BPF_PROG_TYPE_XDP, 1, KIND_MAP_PTR,
	  "expected prog array map for tail call" },
	{ BPF_FUNC_loop, BPF_PROG_TYPE_XDP, 0, KIND_CTX, "verifier bug: backtracking misuse" },
	{ BPF_FUNC_snprintf, BPF_PROG_TYPE_SCHED_CLS, 4, KIND_NULL, "Invalid format string" },
	{ BPF_FUNC_snprintf, BPF_PROG_TYPE_XDP, 0, KIND_MAP_VALUE_OR_NULL, NULL },
	{ BPF_FUNC_spin_lock, BPF_PROG_TYPE_SCHED_CLS, -1, KIND_VALID, NULL },
	{ BPF_FUNC_strtol, BPF_PROG_TYPE_XDP, 3, KIND_STACK_VAR,
	  "misaligned stack access off (0xffffffffffffffc0; 0x7)+0+0 size 8" },
	{ BPF_FUNC_dynptr_read, BPF_PROG_TYPE_XDP, 2, KIND_STACK_NEAR_END,
	  "Expected an initialized dynptr as arg #2" },
	{ BPF_FUNC_ringbuf_reserve_dynptr, BPF_PROG_TYPE_KPROBE, 3, KIND_STACK_VAR,
	  "Dynptr has to be an uninitialized dynptr" },
	{ BPF_FUNC_skb_store_bytes, BPF_PROG_TYPE_SCHED_CLS, -1, KIND_VALID,
	  "R7 invalid mem access 'scalar'" },
	{ BPF_FUNC_map_update_elem, BPF_PROG_TYPE_XDP, 1, KIND_MAP_KEY, NULL },
};

static const struct ptype *ptype_of(uint32_t type)
{
	for (size_t ti = 0; ti < PTYPE_COUNT; ti++)
		if (ptypes[ti].type == type)
			return &ptypes[ti];
	return NULL;
}

/* Accepted (key NULL), or refused with a key line starting with `key` (the kernel
 * ends some messages without a newline, so the statistics follow on the same line). */
static bool verdict_is(const struct verdict *v, const char *key)
{
	return key ? !v->ok && !strncmp(v->key, key, strlen(key)) : v->ok;
}

/* 0 when every expectation holds on our side (and on the kernel's, when present). */
static int check_expectations(struct counts *c)
{
	static struct vt_prog prog;
	int failed = 0;

	for (size_t i = 0; i < sizeof(expectations) / sizeof(expectations[0]); i++) {
		const struct expectation *e = &expectations[i];
		const struct ptype *t = ptype_of(e->type);
		struct verdict v[2];
		char desc[160];
		snprintf(desc, sizeof(desc), "expected: %s %s arg%d=%s", objfmt_helper_name(e->id),
			 t->name, e->slot + 1, kind_names[e->kind]);
		emu_maps[MAP_PROG_ARRAY] = emu_prog_arrays[t - ptypes];
		kernel_maps[MAP_PROG_ARRAY] = kernel_prog_arrays[t - ptypes];
		build(&prog, helper_proto_get(e->id), t, e->slot, e->kind);
		compare(&prog, t, desc, c, v);
		for (int side = 0; side < (kernel_present ? 2 : 1); side++)
			if (!verdict_is(&v[side], e->key)) {
				printf("FAIL %s: %s %s '%s', want %s '%s'\n", desc,
				       side ? "the kernel does" : "we do", v[side].ok ? "accept" : "reject",
				       v[side].key, e->key ? "reject" : "accept", e->key ? e->key : "");
				failed++;
			}
	}
	return failed;
}

static void print_report(const struct counts *c, unsigned helpers, unsigned skipped)
{
	printf("diff_helpers: %u helpers (%u skipped: timer arguments, or a map type "
	       "we cannot create), %u programs\n", helpers, skipped, c->programs);
	if (kernel_present) {
		printf("verdicts agree: %u/%u (%.1f%%); safety bugs %u, precision gaps %u\n",
		       c->agree, c->programs, c->programs ? 100.0 * c->agree / c->programs : 0.0,
		       c->safety, c->precision);
		printf("both accepted: %u; both rejected: %u, same key line and errno: %u\n",
		       c->agree - c->both_rejected, c->both_rejected, c->key_agree);
	}
	printf("checked execution: %u runs, %u violations\n", c->runs, c->violations);
}

int main(int argc, char **argv)
{
	struct emu_run_config config;
	struct counts c = { 0 };
	unsigned helpers = 0, skipped = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-v"))
			verbose_flag = true;
		else if (!strcmp(argv[i], "-a"))
			all_variants = true;
		else if (!strcmp(argv[i], "-d") && i + 1 < argc)
			dump_match = argv[++i];
	}
	kernel_present = vt_kernel_available();
	emu_run_config_get(&config);
	config.checked = 1;
	emu_run_config_set(&config);
	create_maps();
	for (int32_t id = 1; id < 256; id++) {
		const struct helper_proto *proto = helper_proto_get(id);
		if (!proto || !proto_supported(proto)) {
			if (proto && verbose_flag)
				printf("skipped: %s\n", objfmt_helper_name(id));
			skipped += proto != NULL;
			continue;
		}
		helpers++;
		run_helper(proto, &c);
	}
	int failed = check_expectations(&c);
	print_report(&c, helpers, skipped);
	if (c.safety || c.violations || failed)
		return 1;
	if (!kernel_present) {
		printf("SKIP: no bpf() permission for the real kernel (our side checked)\n");
		return 77;
	}
	return 0;
}
