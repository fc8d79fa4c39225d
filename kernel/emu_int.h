/* emu_int.h - internal contract between the parts of the emulated kernel: the bpf()
 * dispatcher with maps and bpffs (emu_* and map_* files), the verifier (verifier*.c) and the
 * execution side (interp*.c, helpers*.c, progtype*.c, test_run.c). Never installed,
 * never included from outside kernel/.
 *
 * Ownership: objects are reference counted like kernel objects; *_get takes a
 * reference, *_put drops one and frees on the last. Functions returning long/int use
 * the kernel's convention: >= 0 success, negative errno failure.
 */
#ifndef EBPF_KERNEL_EMU_INT_H
#define EBPF_KERNEL_EMU_INT_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ebpf/objfmt.h"

struct emu_map;  /* defined by the map side (map types, storage, fds) */
struct emu_prog; /* defined below: shared by dispatcher, verifier and execution */

/* ------------------------------------------------------------------------------------
 * Maps, as the verifier and the helpers see them (implemented by the map side).
 * ---------------------------------------------------------------------------------- */

/* The attributes a map was created with. */
struct emu_map_desc {
	uint32_t type;           /* enum bpf_map_type */
	uint32_t key_size;       /* bytes */
	uint32_t value_size;     /* bytes (per CPU for per-CPU maps) */
	uint32_t max_entries;    /* capacity (ring buffer: byte size) */
	uint32_t map_flags;      /* BPF_F_* */
	uint32_t id;             /* global map id */
	uint32_t btf_key_type_id;   /* 0 if none */
	uint32_t btf_value_type_id; /* 0 if none */
	const struct emu_map *inner_map_meta; /* map-in-map template, else NULL */
	char name[BPF_OBJ_NAME_LEN];
	bool frozen;             /* MAP_FREEZE was called */
};

/* Map behind fd `fd` with a new reference, or NULL with errno EBADF/EINVAL. */
struct emu_map *emu_map_get_by_fd(int fd);
void emu_map_get(struct emu_map *map);
void emu_map_put(struct emu_map *map);
const struct emu_map_desc *emu_map_desc(const struct emu_map *map);
/* A map value leaves its map (hash delete, a replacing update, LRU eviction): the
 * bpf_timers inside [value, value + size) are cancelled and freed, as the kernel's
 * bpf_obj_free_fields does (helpers_misc.c). */
void emu_timers_forget_value(const void *value, size_t size);

/* Program-side map operations (what the helpers do; no syscall-side checks such as
 * freeze or BPF_F_RDONLY). Lookup returns a pointer into the map's storage (for per-CPU
 * maps the slot of the current emulated CPU; for map-in-map the inner struct emu_map *),
 * NULL when absent. */
void *emu_map_lookup_elem(struct emu_map *map, const void *key);
long emu_map_update_elem(struct emu_map *map, const void *key, const void *value,
			 uint64_t flags);
long emu_map_delete_elem(struct emu_map *map, const void *key);
long emu_map_push_elem(struct emu_map *map, const void *value, uint64_t flags);
long emu_map_pop_elem(struct emu_map *map, void *value);
long emu_map_peek_elem(struct emu_map *map, void *value);
/* Call cb(map, key, value, cb_ctx) for each element until it returns non-zero;
 * returns the number of elements visited. */
long emu_map_for_each(struct emu_map *map,
		      long (*cb)(struct emu_map *map, void *key, void *value, void *cb_ctx),
		      void *cb_ctx);
/* Direct access to an array map's value storage (BPF_PSEUDO_MAP_VALUE and global data):
 * address of byte `off` of element 0, or NULL if the map does not allow it. */
void *emu_map_direct_value(struct emu_map *map, uint32_t off);
/* PROG_ARRAY slot `index` (borrowed), NULL when empty or out of range. */
struct emu_prog *emu_prog_array_get(struct emu_map *map, uint32_t index);
/* RINGBUF: reserve a record of `size` bytes (NULL when full), commit it (discard or
 * not), copy-in output, and query (BPF_RB_AVAIL_DATA, BPF_RB_RING_SIZE, ...). */
void *emu_ringbuf_reserve(struct emu_map *map, uint64_t size, uint64_t flags);
void emu_ringbuf_commit(void *sample, bool discard, uint64_t flags);
long emu_ringbuf_output(struct emu_map *map, const void *data, uint64_t size,
			uint64_t flags);
uint64_t emu_ringbuf_query(struct emu_map *map, uint64_t flags);
/* PERF_EVENT_ARRAY: record `size` bytes for CPU index (flags & BPF_F_INDEX_MASK, or
 * the current CPU for BPF_F_CURRENT_CPU). */
long emu_perf_event_output(struct emu_map *map, uint64_t flags, const void *data,
			   uint64_t size);

/* ------------------------------------------------------------------------------------
 * Programs (struct owned by the dispatcher; fields filled as noted).
 * ---------------------------------------------------------------------------------- */

struct emu_prog {
	uint32_t type;                 /* enum bpf_prog_type */
	uint32_t expected_attach_type; /* enum bpf_attach_type */
	uint32_t id;                   /* global program id */
	char name[BPF_OBJ_NAME_LEN];   /* from the attr */
	bool gpl_compatible;           /* license string is GPL-compatible */
	struct objfmt_insn *insns;     /* program as loaded; rewritten by the verifier */
	uint32_t insn_cnt;             /* slots in insns */
	struct objfmt_insn *orig_insns;/* copy of what user space passed (for xlated dump) */
	uint32_t orig_insn_cnt;
	struct emu_map **used_maps;    /* maps referenced by ld_imm64 (references held) */
	uint32_t used_map_cnt;
	struct objfmt_btf *btf;        /* program BTF from prog_btf_fd, or NULL */
	void *line_info;               /* copy of attr line_info records, or NULL */
	uint32_t line_info_cnt;        /* records */
	uint32_t line_info_rec_size;   /* bytes per record */
	void *func_info;               /* copy of attr func_info records, or NULL */
	uint32_t func_info_cnt;
	uint32_t func_info_rec_size;
	uint32_t verified_insns;       /* processed-insn count reported by the verifier */
	void *verifier_aux;            /* verifier's per-insn data kept for execution */
	void *exec;                    /* execution side's prepared form */
	int refcnt;                    /* references: fds, prog arrays, pins */
	void *load_record;             /* dispatcher: the load attributes kept so a pin
					  can reload the program in another process */
	uint32_t attach_btf_id;        /* tracing: the hook's id in the kernel BTF, or 0 */
	uint32_t prog_flags;           /* BPF_F_* load flags (xdp frags, sleepable...) */
};

/* Whether `prog` may share PROG_ARRAY `map` with the programs already tied to it
 * (the kernel's bpf_prog_map_compatible); the first program fixes the owner. */
bool emu_prog_array_compatible(struct emu_map *map, const struct emu_prog *prog);

/* Program behind fd `fd` with a new reference, or NULL with errno. */
struct emu_prog *emu_prog_get_by_fd(int fd);
void emu_prog_get(struct emu_prog *prog);
void emu_prog_put(struct emu_prog *prog);

/* ------------------------------------------------------------------------------------
 * Hooks the dispatcher calls during BPF_PROG_LOAD / BPF_PROG_TEST_RUN.
 * ---------------------------------------------------------------------------------- */

/* The verification log requested by the caller. */
struct emu_log {
	char *buf;          /* user buffer, may be NULL when size is 0 */
	uint32_t size;      /* bytes available */
	uint32_t level;     /* log_level from the attr */
	uint32_t len_used;  /* bytes written so far (excluding NUL) */
	uint32_t true_size; /* bytes the whole log would need incl. NUL */
};

/* Verifier (verifier*.c): check `prog`, resolve ld_imm64 map fds into prog->used_maps
 * (taking references), write the log, rewrite insns for execution and set
 * prog->verified_insns. Returns 0 if accepted,
 * -EACCES/-EINVAL etc. as the kernel would, -ENOSPC when the log did not fit. */
int emu_verifier_run(struct emu_prog *prog, const union bpf_attr *attr, struct emu_log *log);

/* Execution side: build prog->exec from the verified insns; release it. */
int emu_exec_prepare(struct emu_prog *prog);
void emu_exec_release(struct emu_prog *prog);

/* BPF_PROG_TEST_RUN for `prog` with the caller's attr (data_in/out, ctx_in/out,
 * repeat, flags, cpu): fills retval, duration, data_size_out, ctx_size_out. */
int emu_exec_test_run(struct emu_prog *prog, union bpf_attr *attr);


/* ------------------------------------------------------------------------------------
 * Execution side (interp*.c, helpers*.c, progtype*.c, test_run.c).
 *
 * What emu_exec_prepare expects from the verifier's rewrite: ctx accesses converted
 * with emu_progtype_ctx_convert (progtype.h); ld_imm64 of a map either left as
 * BPF_PSEUDO_MAP_FD / BPF_PSEUDO_MAP_VALUE with a still-open fd, or (like the kernel)
 * turned into a plain ld_imm64 (src_reg 0) whose value is the struct emu_map pointer /
 * the host address from emu_map_direct_value(); BPF_PSEUDO_FUNC kept as is (imm =
 * insn offset of the subprogram); helper calls keep their UAPI id in imm.
 * ---------------------------------------------------------------------------------- */

/* A helper implementation: arguments r1..r5, returns r0. Pointer arguments are host
 * addresses; the running invocation is reachable through the execution side. */
typedef uint64_t (*emu_helper_fn)(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				  uint64_t r5);

/* Implementation of helper `id` (enum bpf_func_id), NULL when not implemented.
 * bpf_tail_call (12) has an entry for completeness; the interpreter runs tail calls
 * itself. */
emu_helper_fn emu_helper_impl(int32_t id);
/* Implementation of the kernel function whose FUNC has id `btf_id` in the emulated
 * kernel's BTF (kfunc calls), NULL if the emulator has none. */
emu_helper_fn emu_kfunc_impl(int32_t btf_id);

#endif /* EBPF_KERNEL_EMU_INT_H */
