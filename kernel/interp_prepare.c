/* interp_prepare.c - turn a verified program into the interpreter's dispatch form:
 * identify each insn through the opcode table, resolve ld_imm64 values (maps, map
 * values, subprogram addresses) and helper calls, and check that no jump or call can
 * leave the program (a trailing sentinel catches falling off the end). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "interp.h"

static _Thread_local emu_helper_fn helper_overrides[256];

void emu_helper_override(int32_t id, emu_helper_fn fn)
{
	if (id >= 0 && id < 256)
		helper_overrides[id] = fn;
}

static emu_helper_fn prepare_helper_fn(int32_t id)
{
	if (id >= 0 && id < 256 && helper_overrides[id])
		return helper_overrides[id];
	return emu_helper_impl(id);
}

/* Index of helper `id` in xp->helpers, adding it; negative errno when unknown. */
static int prepare_helper_slot(struct emu_exec_prog *xp, int32_t id)
{
	emu_helper_fn fn = prepare_helper_fn(id);

	if (!fn)
		return -EINVAL;
	for (uint32_t i = 0; i < xp->helper_cnt; i++)
		if (xp->helper_ids[i] == id)
			return (int)i;
	emu_helper_fn *fns = realloc(xp->helpers, (xp->helper_cnt + 1) * sizeof(*fns));
	if (!fns)
		return -ENOMEM;
	xp->helpers = fns;
	int32_t *ids = realloc(xp->helper_ids, (xp->helper_cnt + 1) * sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	xp->helper_ids = ids;
	fns[xp->helper_cnt] = fn;
	ids[xp->helper_cnt] = id;
	return (int)xp->helper_cnt++;
}

/* The 64-bit value an ld_imm64 at `i` loads. */
static int prepare_ld_imm64(const struct emu_exec_prog *xp, const struct objfmt_insn *insn,
			    uint32_t i, uint64_t *value, struct objfmt_diag *diag)
{
	struct emu_map *map;
	int64_t target;

	switch (insn->src_reg) {
	case OBJFMT_PSEUDO_NONE:
		*value = (uint32_t)insn[0].imm | (uint64_t)(uint32_t)insn[1].imm << 32;
		return 0;
	case OBJFMT_PSEUDO_FUNC:
		target = (int64_t)i + insn->imm + 1;
		if (target < 0 || target >= xp->insn_cnt)
			return objfmt_diag_set(diag, -EINVAL, "", "insn %u: function out of range",
					       i);
		*value = (uint64_t)(uintptr_t)&xp->insns[target];
		return 0;
	case OBJFMT_PSEUDO_MAP_FD:
	case OBJFMT_PSEUDO_MAP_VALUE:
		map = emu_map_get_by_fd(insn->imm);
		if (!map)
			return objfmt_diag_set(diag, -EBADF, "", "insn %u: fd %d is not a map", i,
					       insn->imm);
		/* prog->used_maps keeps the map alive; this reference was only for lookup */
		emu_map_put(map);
		if (insn->src_reg == OBJFMT_PSEUDO_MAP_FD) {
			*value = (uint64_t)(uintptr_t)map;
			return 0;
		}
		*value = (uint64_t)(uintptr_t)emu_map_direct_value(map, (uint32_t)insn[1].imm);
		return *value ? 0 : objfmt_diag_set(diag, -EINVAL, "", "insn %u: no direct value", i);
	default:
		return objfmt_diag_set(diag, -EINVAL, "", "insn %u: ld_imm64 src_reg %u not resolved",
				       i, insn->src_reg);
	}
}

/* A kernel function called like a helper: its slot, under a negative id (no helper
 * prototype applies to it). */
static int prepare_kfunc_slot(struct emu_exec_prog *xp, int32_t btf_id)
{
	int32_t id = -btf_id;

	for (uint32_t i = 0; i < xp->helper_cnt; i++)
		if (xp->helper_ids[i] == id)
			return (int)i;
	emu_helper_fn *fns = realloc(xp->helpers, (xp->helper_cnt + 1) * sizeof(*fns));
	if (!fns)
		return -ENOMEM;
	xp->helpers = fns;
	int32_t *ids = realloc(xp->helper_ids, (xp->helper_cnt + 1) * sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	xp->helper_ids = ids;
	fns[xp->helper_cnt] = emu_kfunc_impl(btf_id);
	ids[xp->helper_cnt] = id;
	return (int)xp->helper_cnt++;
}

/* Choose the call form of a CALL insn. */
static int prepare_call(struct emu_exec_prog *xp, const struct objfmt_insn *insn, uint32_t i,
			struct emu_xinsn *out, struct objfmt_diag *diag)
{
	int64_t target;
	int slot;

	switch (insn->src_reg) {
	case OBJFMT_CALL_HELPER:
		if (insn->imm == BPF_FUNC_tail_call) {
			out->h.op = INTERP_OP_TAIL_CALL;
			return 0;
		}
		slot = prepare_helper_slot(xp, insn->imm);
		if (slot < 0)
			return objfmt_diag_set(diag, slot, "", "insn %u: unknown helper %d", i,
					       insn->imm);
		out->h.op = INTERP_OP_CALL_HELPER;
		out->imm = slot;
		return 0;
	case OBJFMT_CALL_LOCAL:
		target = (int64_t)i + insn->imm + 1;
		if (target < 0 || target >= xp->insn_cnt)
			return objfmt_diag_set(diag, -EINVAL, "", "insn %u: call out of range", i);
		out->h.op = INTERP_OP_CALL_LOCAL;
		return 0;
	default:
		if (insn->src_reg == BPF_PSEUDO_KFUNC_CALL && emu_kfunc_impl(insn->imm)) {
			slot = prepare_kfunc_slot(xp, insn->imm);
			if (slot < 0)
				return objfmt_diag_set(diag, slot, "", "insn %u: out of memory", i);
			out->h.op = INTERP_OP_CALL_HELPER;
			out->imm = slot;
			return 0;
		}
		out->h.op = INTERP_OP_CALL_KFUNC;
		return 0;
	}
}

#define NO_TARGET INT64_MIN

/* Where control can go from slot i (jump, local call, function address), or
 * NO_TARGET; `op` is the slot's operation as prepared. */
static int64_t prepare_target(uintptr_t op, const struct objfmt_insn *insn, uint32_t i)
{
	if (op == INTERP_OP_CALL_LOCAL)
		return (int64_t)i + insn->imm + 1;
	if (op >= OBJFMT_OP__COUNT || op == OBJFMT_OP_INVALID)
		return NO_TARGET;
	switch (objfmt_opinfo((enum objfmt_op)op)->form) {
	case OBJFMT_FORM_JA:
		return (int64_t)i + (op == OBJFMT_OP_JA32 ? insn->imm : insn->off) + 1;
	case OBJFMT_FORM_JMP_IMM:
	case OBJFMT_FORM_JMP_REG:
		return (int64_t)i + insn->off + 1;
	case OBJFMT_FORM_LD_IMM64:
		return insn->src_reg == OBJFMT_PSEUDO_FUNC ? (int64_t)i + insn->imm + 1 : NO_TARGET;
	default:
		return NO_TARGET;
	}
}

/* Control must land on an instruction: inside the program (the sentinel slot counts
 * as outside) and not on the value slot of an ld_imm64. */
static int prepare_check_targets(const struct emu_exec_prog *xp,
				 const struct objfmt_insn *insns, struct objfmt_diag *diag)
{
	bool *value_slot = calloc(xp->insn_cnt + 1, sizeof(*value_slot));
	int err = 0;

	if (!value_slot)
		return -ENOMEM;
	for (uint32_t i = 0; i < xp->insn_cnt; i++)
		if (xp->insns[i].h.op == OBJFMT_OP_LDDW)
			value_slot[++i] = true;
	for (uint32_t i = 0; i < xp->insn_cnt && !err; i++) {
		int64_t target;

		if (value_slot[i])
			continue;
		target = prepare_target(xp->insns[i].h.op, &insns[i], i);
		if (target == NO_TARGET)
			continue;
		if (target < 0 || target >= xp->insn_cnt || value_slot[target])
			err = objfmt_diag_set(diag, -EINVAL, "",
					      "jump out of range from insn %u to %lld", i,
					      (long long)target);
	}
	free(value_slot);
	return err;
}

/* A load the verifier marked BPF_PROBE_MEM(SX): the form is the size in bytes (and
 * INTERP_PROBE_SIGNED); -1 for any other insn. */
static int32_t prepare_probe_form(const struct objfmt_insn *insn)
{
	static const uint8_t sizes[4] = { 4, 2, 1, 8 }; /* BPF_W, BPF_H, BPF_B, BPF_DW */
	uint8_t mode = insn->code & 0xe0;

	if ((insn->code & 0x07) != BPF_LDX ||
	    (mode != EMU_BPF_PROBE_MEM && mode != EMU_BPF_PROBE_MEMSX))
		return -1;
	return sizes[(insn->code >> 3) & 3] |
	       (mode == EMU_BPF_PROBE_MEMSX ? INTERP_PROBE_SIGNED : 0);
}

static int prepare_insns(struct emu_exec_prog *xp, const struct objfmt_insn *insns,
			 struct objfmt_diag *diag)
{
	for (uint32_t i = 0; i < xp->insn_cnt; i++) {
		const struct objfmt_insn *insn = &insns[i];
		struct emu_xinsn *out = &xp->insns[i];
		int32_t probe = prepare_probe_form(insn);

		if (probe >= 0) {
			*out = (struct emu_xinsn){ .h.op = INTERP_OP_PROBE_LDX, .dst = insn->dst_reg,
						   .src = insn->src_reg, .off = insn->off,
						   .imm = probe };
			continue;
		}
		enum objfmt_op op = objfmt_insn_decode(insn, xp->insn_cnt - i, i, diag);
		int err = 0;

		if (op == OBJFMT_OP_INVALID)
			return -EINVAL;
		*out = (struct emu_xinsn){ .h.op = op, .dst = insn->dst_reg,
					   .src = insn->src_reg, .off = insn->off,
					   .imm = insn->imm };
		if (op == OBJFMT_OP_LDDW) {
			err = prepare_ld_imm64(xp, insn, i, &xp->insns[i + 1].h.imm64, diag);
			i++;
		} else if (op == OBJFMT_OP_CALL) {
			err = prepare_call(xp, insn, i, out, diag);
		}
		if (err)
			return err;
	}
	return prepare_check_targets(xp, insns, diag);
}

/* Replace operation numbers by handler addresses (computed-goto build). */
static void prepare_labels(struct emu_exec_prog *xp)
{
	const void *const *labels = emu_interp_labels();
	const void *const *checked_labels = emu_interp_checked_labels();

	memcpy(xp->checked_insns, xp->insns, (xp->insn_cnt + 1) * sizeof(*xp->insns));
	for (uint32_t i = 0; i <= xp->insn_cnt; i++) {
		uintptr_t op = xp->insns[i].h.op;

		if (labels)
			xp->insns[i].h.label = labels[op];
		if (checked_labels)
			xp->checked_insns[i].h.label = checked_labels[op];
		if (op == OBJFMT_OP_LDDW)
			i++; /* the value slot is data, not code */
	}
}

static void prepare_free(struct emu_exec_prog *xp)
{
	if (!xp)
		return;
	free(xp->insns);
	free(xp->checked_insns);
	free(xp->helpers);
	free(xp->helper_ids);
	free(xp);
}

int emu_interp_prepare(struct emu_prog *prog, struct objfmt_diag *diag)
{
	struct emu_exec_prog *xp = calloc(1, sizeof(*xp));
	int err;

	if (!xp)
		return -ENOMEM;
	xp->prog = prog;
	xp->insn_cnt = prog->insn_cnt;
	/* one extra slot: an INVALID sentinel that faults if execution falls off the end */
	xp->insns = calloc(prog->insn_cnt + 1, sizeof(*xp->insns));
	xp->checked_insns = calloc(prog->insn_cnt + 1, sizeof(*xp->insns));
	if (!xp->insns || !xp->checked_insns) {
		prepare_free(xp);
		return -ENOMEM;
	}
	err = prog->insn_cnt ? prepare_insns(xp, prog->insns, diag)
			     : objfmt_diag_set(diag, -EINVAL, "", "empty program");
	if (err) {
		prepare_free(xp);
		return err;
	}
	xp->insns[xp->insn_cnt].h.op = OBJFMT_OP_INVALID;
	prepare_labels(xp);
	prog->exec = xp;
	return 0;
}

void emu_interp_release(struct emu_prog *prog)
{
	prepare_free(prog->exec);
	prog->exec = NULL;
}

int emu_exec_prepare(struct emu_prog *prog)
{
	return emu_interp_prepare(prog, NULL);
}

void emu_exec_release(struct emu_prog *prog)
{
	/* a later program at the same address must not fire this one's callbacks */
	emu_timers_forget_prog(prog);
	emu_interp_release(prog);
}
