/* interp_checked.c - checked execution: the interpreter loop compiled a second time
 * with every memory access checked against the regions of the run (stack frames, ctx,
 * packet, map values, ringbuf records, global data), and that region table. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helper_proto.h"
#include "helpers.h"
#include "interp.h"
#include "progtype.h"

#define CHECK_NEAR 4096 /* an address this close to a region is named after it */

struct check_region {
	uint64_t base;
	uint64_t size;
	const char *name;
};

/* One active interpreter loop: its frames [stack, stack + (*depth + 1) * 512). */
struct check_loop {
	uint8_t *stack;
	uint32_t *depth;
};

struct emu_check {
	struct check_region *regions;
	uint32_t region_cnt, region_cap;
	struct check_loop loops[EMU_MAX_CALL_FRAMES + 1];
	uint32_t loop_cnt;
	int32_t helper_id;   /* helper being called (callbacks see its arguments) */
	uint64_t args[5];    /* its arguments */
	struct emu_check *outer;
};

static unsigned long check_violations;
static char check_last_report[sizeof(((struct emu_run *)0)->fault_msg)];

const char *emu_checked_last_report(void)
{
	return check_last_report;
}

unsigned long emu_checked_violations(void)
{
	return __atomic_load_n(&check_violations, __ATOMIC_RELAXED);
}

bool emu_interp_checked_enabled(void)
{
	static int from_env = -1;

	if (from_env < 0) {
		const char *value = getenv("EBPF_EMU_CHECKED");

		from_env = value && strcmp(value, "1") == 0;
	}
	return from_env || emu_helpers_config()->checked;
}

#if defined(__GNUC__) && !defined(EMU_INTERP_SWITCH)
#define INTERP_COMPUTED_GOTO 1
#endif
#define EMU_INTERP_CHECKED 1
#define INTERP_LOOP_NAME interp_exec_checked
#define INTERP_LOOP_LINKAGE static
#include "interp_loop.h"

const void *const *emu_interp_checked_labels(void)
{
	const void *const *labels = NULL;

	interp_exec_checked(NULL, NULL, INTERP_GET_LABELS, NULL, &labels);
	return labels;
}

/* Add (or widen) a region starting at `base`. */
static void check_add(struct emu_check *check, uint64_t base, uint64_t size,
		      const char *name)
{
	for (uint32_t i = 0; i < check->region_cnt; i++)
		if (check->regions[i].base == base) {
			if (size > check->regions[i].size)
				check->regions[i].size = size;
			check->regions[i].name = name;
			return;
		}
	if (check->region_cnt == check->region_cap) {
		uint32_t cap = check->region_cap ? check->region_cap * 2 : 16;
		struct check_region *r = realloc(check->regions, cap * sizeof(*r));

		if (!r)
			return; /* out of memory: the access will be reported */
		check->regions = r;
		check->region_cap = cap;
	}
	check->regions[check->region_cnt++] = (struct check_region){ base, size, name };
}

static void check_remove(struct emu_check *check, uint64_t base)
{
	for (uint32_t i = 0; i < check->region_cnt; i++)
		if (check->regions[i].base == base) {
			check->regions[i] = check->regions[--check->region_cnt];
			return;
		}
}

/* Whether a region (a ringbuf record) starts exactly at `base`; it may be empty. */
static bool check_is_base(const struct emu_check *check, uint64_t base)
{
	for (uint32_t i = 0; i < check->region_cnt; i++)
		if (check->regions[i].base == base)
			return true;
	return false;
}

/* Global data: the direct value of each array map the program references. */
void emu_check_add_prog(struct emu_run *run, const struct emu_prog *prog)
{
	for (uint32_t i = 0; i < prog->used_map_cnt; i++) {
		void *value = emu_map_direct_value(prog->used_maps[i], 0);

		if (value)
			check_add(run->check, (uint64_t)(uintptr_t)value,
				  emu_map_desc(prog->used_maps[i])->value_size, "map value");
	}
}

static uint64_t check_ctx_size(const struct emu_run *run)
{
	const struct emu_progtype *pt;

	if (run->ctx_size)
		return run->ctx_size;
	pt = run->prog ? emu_progtype_get(run->prog->type) : NULL;
	return pt ? pt->runtime_ctx_size : 0;
}

/* The packet as [data_meta, data_end) read from the ctx now (helpers move it). */
static bool check_packet(const struct emu_run *run, uint64_t *lo, uint64_t *hi)
{
	const struct emu_progtype *pt = run->prog ? emu_progtype_get(run->prog->type) : NULL;
	uint64_t need = pt && pt->type == BPF_PROG_TYPE_XDP ? sizeof(struct emu_ctx_xdp)
							   : sizeof(struct emu_ctx_skb);

	/* netfilter's ctx is not an skb; its packet is ctx memory */
	if (!run->ctx || !pt || !pt->has_packet || pt->type == BPF_PROG_TYPE_NETFILTER ||
	    check_ctx_size(run) < need)
		return false;
	if (pt->type == BPF_PROG_TYPE_XDP) {
		const struct emu_ctx_xdp *xdp = run->ctx;

		*lo = xdp->data_meta, *hi = xdp->data_end;
	} else {
		const struct emu_ctx_skb *skb = run->ctx;

		*lo = skb->data_meta, *hi = skb->data_end;
	}
	return true;
}

static bool check_inside(uint64_t addr, uint64_t size, uint64_t base, uint64_t len)
{
	return addr >= base && size <= len && addr - base <= len - size;
}

/* Distance from [addr, addr + size) to [base, base + len): 0 when they overlap. */
static uint64_t check_distance(uint64_t addr, uint64_t size, uint64_t base, uint64_t len)
{
	if (addr + size <= base)
		return base - addr;
	if (addr >= base + len)
		return addr - (base + len) + 1;
	return 0;
}

/* Call visit(name, base, len) for every region of the run; stops at a true result. */
#define CHECK_EACH_REGION(run, visit)                                                   \
	do {                                                                          \
		struct emu_check *c_ = (run)->check;                                     \
		uint64_t lo_, hi_;                                                       \
		for (uint32_t l_ = 0; l_ < c_->loop_cnt && l_ <= EMU_MAX_CALL_FRAMES; l_++) { \
			const struct check_loop *loop_ = &c_->loops[l_];                   \
			uint64_t top_ = (uint64_t)(uintptr_t)loop_->stack;                 \
			visit("stack", top_ + (uint64_t)*loop_->depth * EMU_STACK_SIZE,     \
			      top_, (uint64_t)(*loop_->depth + 1) * EMU_STACK_SIZE);        \
		}                                                                        \
		if ((run)->ctx)                                                          \
			visit("ctx", (uint64_t)(uintptr_t)(run)->ctx,                      \
			      (uint64_t)(uintptr_t)(run)->ctx, check_ctx_size(run));        \
		if (check_packet((run), &lo_, &hi_))                                     \
			visit("packet", lo_, lo_, hi_ > lo_ ? hi_ - lo_ : 0);               \
		for (uint32_t m_ = 0; m_ < 3; m_++)                                     \
			if ((run)->ctx_mem[m_].size)                                     \
				visit("ctx memory", (run)->ctx_mem[m_].base,               \
				      (run)->ctx_mem[m_].base, (run)->ctx_mem[m_].size);    \
		for (uint32_t r_ = 0; r_ < c_->region_cnt; r_++)                        \
			visit(c_->regions[r_].name, c_->regions[r_].base,                 \
			      c_->regions[r_].base, c_->regions[r_].size);                  \
	} while (0)

static void check_report(struct emu_run *run, uint64_t addr, uint64_t size, bool write,
			 uint32_t insn)
{
	const char *best = NULL;
	uint64_t best_distance = CHECK_NEAR, best_origin = 0;
	char where[64];

#define CHECK_NEAREST(name, origin, base, len)                                         \
	do {                                                                          \
		uint64_t d_ = check_distance(addr, size, (base), (len));                 \
		if (d_ < best_distance)                                                  \
			best = (name), best_distance = d_, best_origin = (origin);        \
	} while (0)
	CHECK_EACH_REGION(run, CHECK_NEAREST);
#undef CHECK_NEAREST
	if (best)
		snprintf(where, sizeof(where), "%s%+" PRId64, best,
			 (int64_t)(addr - best_origin));
	else
		snprintf(where, sizeof(where), "unknown address");
	__atomic_add_fetch(&check_violations, 1, __ATOMIC_RELAXED);
	emu_run_fault(run, -EFAULT,
		      "checked execution: insn %u: %s of %" PRIu64 " bytes at %s out of bounds",
		      insn, write ? "store" : "load", size, where);
	snprintf(check_last_report, sizeof(check_last_report), "%s", run->fault_msg);
}

int emu_check_access(struct emu_run *run, uint64_t addr, uint64_t size, bool write,
		     uint32_t insn)
{
	bool inside = false;

#define CHECK_INSIDE(name, origin, base, len)                                          \
	do {                                                                          \
		(void)(name), (void)(origin);                                            \
		if (check_inside(addr, size, (base), (len)))                             \
			inside = true;                                                   \
	} while (0)
	CHECK_EACH_REGION(run, CHECK_INSIDE);
#undef CHECK_INSIDE
	if (inside)
		return 0;
	check_report(run, addr, size, write, insn);
	return -EFAULT;
}

void emu_check_enter(struct emu_run *run, uint8_t *stack, uint32_t *depth)
{
	struct emu_check *check = run->check;

	if (check->loop_cnt < EMU_MAX_CALL_FRAMES + 1)
		check->loops[check->loop_cnt] = (struct check_loop){ stack, depth };
	check->loop_cnt++;
}

void emu_check_leave(struct emu_run *run)
{
	run->check->loop_cnt--;
}

/* The map of the helper's CONST_MAP_PTR argument, or NULL. */
static const struct emu_map *check_map_arg(const struct helper_proto *proto,
					   const uint64_t *args)
{
	for (int i = 0; i < 5; i++)
		if ((proto->args[i] & HELPER_ARG_KIND_MASK) == HELPER_ARG_CONST_MAP_PTR)
			return (const struct emu_map *)(uintptr_t)args[i];
	return NULL;
}

/* Bytes the memory argument `i` covers (0: nothing to check). */
static uint64_t check_arg_size(const struct helper_proto *proto, const uint64_t *args,
			       int i)
{
	const struct emu_map *map = check_map_arg(proto, args);

	switch (proto->args[i] & HELPER_ARG_KIND_MASK) {
	case HELPER_ARG_MAP_KEY:
		return map ? emu_map_desc(map)->key_size : 0;
	case HELPER_ARG_MAP_VALUE:
		return map ? emu_map_desc(map)->value_size : 0;
	case HELPER_ARG_MEM:
		return i < 4 ? args[i + 1] : 0;
	case HELPER_ARG_FIXED_MEM:
		return proto->fixed_size;
	case HELPER_ARG_RINGBUF_MEM:
		return 1;
	default:
		return 0;
	}
}

int emu_check_helper_args(struct emu_run *run, int32_t id, const uint64_t *reg,
			  uint32_t insn)
{
	const struct helper_proto *proto = helper_proto_get(id);
	struct emu_check *check = run->check;

	check->helper_id = id;
	memcpy(check->args, &reg[1], sizeof(check->args));
	if (!proto)
		return 0;
	for (int i = 0; i < 5; i++) {
		uint64_t size = check_arg_size(proto, check->args, i);
		bool write = proto->args[i] & HELPER_ARG_WRITE;

		if (!size || (!check->args[i] && (proto->args[i] & HELPER_ARG_MAYBE_NULL)))
			continue;
		/* a kernel object the verifier let a helper read: emu_helpers_input copies it
		 * from the emulated kernel memory without faulting */
		if (!write && check->args[i] >= 0xffff800000000000ull)
			continue;
		/* a record is released whole: it must be one, even a 0-byte reservation */
		if ((proto->args[i] & HELPER_ARG_KIND_MASK) == HELPER_ARG_RINGBUF_MEM &&
		    check_is_base(check, check->args[i])) {
			if (proto->releases_ref)
				check_remove(check, check->args[i]);
			continue;
		}
		if (emu_check_access(run, check->args[i], size, write, insn))
			return -EFAULT;
	}
	if (id == BPF_FUNC_ringbuf_submit_dynptr || id == BPF_FUNC_ringbuf_discard_dynptr)
		check_remove(check, *(const uint64_t *)(uintptr_t)check->args[0]);
	return 0;
}

void emu_check_helper_result(struct emu_run *run, int32_t id, uint64_t r0)
{
	const struct helper_proto *proto = helper_proto_get(id);
	struct emu_check *check = run->check;
	const struct emu_map *map;
	uint32_t type;

	if (id == BPF_FUNC_ringbuf_reserve_dynptr && !r0) { /* the record is in the dynptr */
		const uint64_t *dynptr = (const uint64_t *)(uintptr_t)check->args[3];
		check_add(check, dynptr[0], (uint32_t)dynptr[1] & 0xffffff, "ringbuf record");
		return;
	}
	if (!proto || !r0)
		return;
	if (proto->ret == HELPER_RET_MAP_VALUE_OR_NULL) {
		map = check_map_arg(proto, check->args);
		type = map ? emu_map_desc(map)->type : 0;
		if (map && type != BPF_MAP_TYPE_ARRAY_OF_MAPS && type != BPF_MAP_TYPE_HASH_OF_MAPS)
			check_add(check, r0, emu_map_desc(map)->value_size, "map value");
	} else if (proto->ret == HELPER_RET_RINGBUF_MEM_OR_NULL) {
		for (int i = 0; i < 5; i++)
			if ((proto->args[i] & HELPER_ARG_KIND_MASK) == HELPER_ARG_CONST_ALLOC_SIZE)
				check_add(check, r0, check->args[i], "ringbuf record");
	}
}

uint64_t emu_interp_run_checked(struct emu_run *run, struct emu_prog *prog,
				const uint64_t args[5])
{
	struct emu_check check = { .outer = run->check };
	const struct emu_exec_prog *xp = prog->exec;
	uint64_t r0;

	run->check = &check;
	emu_check_add_prog(run, prog);
	r0 = interp_exec_checked(run, xp, xp->checked_insns, args, NULL);
	run->check = check.outer;
	free(check.regions);
	return r0;
}

/* Callbacks of bpf_for_each_map_elem get the element's key and value. The callback's
 * own helper calls change helper_id: the calling helper is restored after each call so
 * that the next element's key and value are added too. */
uint64_t emu_interp_call_checked(struct emu_run *run, const struct emu_xinsn *target,
				 const uint64_t args[5])
{
	struct emu_check *check = run->check;
	const struct emu_map *map = (const struct emu_map *)(uintptr_t)args[0];
	int32_t helper_id = check->helper_id;

	if (helper_id == BPF_FUNC_for_each_map_elem && map && args[1] && args[2]) {
		check_add(check, args[1], emu_map_desc(map)->key_size, "map key");
		check_add(check, args[2], emu_map_desc(map)->value_size, "map value");
	}
	uint64_t r0 = interp_exec_checked(run, run->prog->exec, target, args, NULL);
	check->helper_id = helper_id;
	return r0;
}
