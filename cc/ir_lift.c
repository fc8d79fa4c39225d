/* ir_lift.c - the code generator's buffer to IR and back, and the back-end pipeline:
 * lift (blocks at jump targets; relocations, CO-RE records, marked slot accesses,
 * asm ranges, call argument counts and stack objects attached), promote slots, then
 * stack objects whose address stays local, rename webs, fold constants, reuse
 * relocated values and addresses, propagate copies, reuse sums and 32-bit results,
 * drop masks that change nothing, remove dead code, clean jumps,
 * allocate registers, clean jumps again and share tails, lower (jump offsets,
 * relocation, CO-RE and line records renumbered). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "codegen_int.h"
#include "ir.h"

/* Register fields of a raw instruction: which of dst and src name registers. */
static void raw_fields(const struct objfmt_insn *raw, bool *dst, bool *src)
{
	uint8_t cls = raw->code & 7, op = raw->code & 0xf0;

	*dst = *src = false;
	switch (cls) {
	case 0x04: case 0x07:
		*dst = true;
		*src = (raw->code & 0x08) && op != 0x80 && op != 0xd0;
		break;
	case 0x01: case 0x03:
		*dst = *src = true;
		break;
	case 0x02:
		*dst = true;
		break;
	case 0x00:
		*dst = raw->code == 0x18;
		break;
	default:
		*dst = op != 0x00 && op != 0x80 && op != 0x90;
		*src = *dst && (raw->code & 0x08);
	}
}

static bool raw_is_jump(const struct objfmt_insn *raw)
{
	uint8_t cls = raw->code & 7, op = raw->code & 0xf0;

	return (cls == 0x05 || cls == 0x06) && op != 0x80 && op != 0x90;
}

static int call_args(struct gen *g, size_t at)
{
	for (size_t i = 0; i < g->call_count; i++)
		if (g->calls[i].insn == at)
			return g->calls[i].args;
	return 5; /* inline asm: assume every argument register */
}

static struct ir_insn lift_insn(struct gen *g, size_t i)
{
	const struct objfmt_insn *raw = &g->insns[i];
	struct ir_insn in = { .code = raw->code, .off = raw->off, .imm = raw->imm, .target = -1,
			      .orig = (int)i, .reloc = -1, .core = -1 };
	bool dst, src;

	raw_fields(raw, &dst, &src);
	in.dst = dst ? raw->dst_reg : IR_NONE;
	in.src = src ? raw->src_reg : IR_NONE;
	if (raw->code == 0x18) {
		in.imm = (int64_t)((uint64_t)(uint32_t)raw->imm | (uint64_t)raw[1].imm << 32);
		in.pseudo = raw->src_reg;
	}
	if (raw->code == 0x85) {
		in.pseudo = raw->src_reg;
		in.args = call_args(g, i);
	}
	ir_set_implicit(&in);
	return in;
}

/* Blocks start at 0, at jump targets and after jumps and exits. */
static bool find_leaders(struct gen *g, bool *leader)
{
	leader[0] = true;
	for (size_t i = 0; i < g->count; i += (size_t)objfmt_insn_slots(&g->insns[i])) {
		const struct objfmt_insn *raw = &g->insns[i];
		struct ir_insn in = lift_insn(g, i);
		struct ir_operands o;

		if (!ir_operands(&in, &o) || (raw->code == 0x18 && i + 1 >= g->count))
			return false;
		if (raw_is_jump(raw)) {
			int64_t t = (int64_t)i + 1 + raw->off;

			if (t < 0 || t >= (int64_t)g->count)
				return false;
			leader[t] = true;
		}
		if (raw_is_jump(raw) || raw->code == 0x95)
			leader[i + 1] = true;
	}
	return true;
}

/* A call of a static function reads only the argument registers of the parameters
 * its body uses (its prologue skips the others), so the caller need not compute the
 * rest: as clang, which inlines it, drops them (BPF_KPROBE's unused PT_REGS_PARMn).
 * Global functions are verified against their prototype: they keep every argument. */
static void trim_call_arguments(struct ir_insn *call, const struct cc_var *callee)
{
	const struct cc_var *p;
	int arg = 0, used = 0;

	if (call->code != 0x85 || call->pseudo != 1 || !callee || !callee->is_function ||
	    !callee->is_static || !callee->function || callee->function->param_count > 5)
		return;
	for (p = callee->function->params; p && p->is_param && arg < 5; p = p->next)
		if (++arg, p->use_count || p->address_taken)
			used = arg;
	if (used < call->args) {
		call->args = used;
		ir_set_implicit(call);
	}
}

/* Relocation and CO-RE records, slot-access marks and asm ranges of each buffer
 * index, attached in one pass over each list. */
static void attach_records(struct gen *g, struct ir_insn **at)
{
	for (size_t r = 0; r < g->reloc_count; r++) {
		struct ir_insn *in = at[g->relocs[r].insn];

		if (!in)
			continue;
		in->reloc = (int)r;
		in->reloc_target = g->relocs[r].var;
		in->reloc_addend = g->relocs[r].addend * 2 + g->relocs[r].kind;
		trim_call_arguments(in, g->relocs[r].var);
	}
	for (size_t c = 0; c < g->core_count; c++)
		if (at[g->cores[c].insn]) {
			struct ir_insn *in = at[g->cores[c].insn];

			in->core = (int)c;
			in->core_type = g->cores[c].type;
			in->core_access = g->cores[c].access;
			in->core_kind = (int)g->cores[c].kind;
		}
	for (size_t s = 0; s < g->slot_access_count; s++)
		if (at[g->slot_accesses[s]])
			at[g->slot_accesses[s]]->promoted = true;
	for (size_t r = 0; r < g->asm_range_count; r++)
		for (size_t i = g->asm_ranges[r].from; i < g->asm_ranges[r].to && i < g->count; i++)
			if (at[i]) {
				at[i]->pinned = true;
				at[i]->operand_regs = (uint16_t)g->asm_ranges[r].operands;
			}
}

static struct ir_func *lift(struct gen *g)
{
	struct ir_func *f = calloc(1, sizeof(*f));
	bool *leader = calloc(g->count + 1, sizeof(bool));
	int *block_of = calloc(g->count + 1, sizeof(int)), b = -1;
	struct ir_insn **at = calloc(g->count + 1, sizeof(*at));

	if (!f || !leader || !block_of || !at || !g->count || !find_leaders(g, leader))
		goto fail;
	for (size_t i = 0; i < g->count; i += (size_t)objfmt_insn_slots(&g->insns[i]))
		f->block_count += leader[i];
	f->blocks = calloc((size_t)f->block_count, sizeof(*f->blocks));
	if (!f->blocks)
		goto fail;
	for (size_t i = 0; i < g->count; i += (size_t)objfmt_insn_slots(&g->insns[i])) {
		b += leader[i];
		block_of[i] = b;
	}
	for (size_t i = 0; i < g->count; i += (size_t)objfmt_insn_slots(&g->insns[i])) {
		struct ir_insn in = lift_insn(g, i);
		struct ir_block *blk = &f->blocks[block_of[i]];

		if (raw_is_jump(&g->insns[i]))
			in.target = block_of[(int64_t)i + 1 + g->insns[i].off];
		if (!ir_block_insert(blk, blk->count, &in))
			goto fail;
	}
	for (int k = 0; k < f->block_count; k++) /* blocks are complete: pointers hold */
		for (int i = 0; i < f->blocks[k].count; i++)
			at[f->blocks[k].insns[i].orig] = &f->blocks[k].insns[i];
	attach_records(g, at);
	for (int n = 0; n < IR_VREG; n++)
		if (ir_new_name(f, n < 10 ? n : -1) < 0)
			goto fail;
	f->params = g->fn->param_count;
	f->frame = g->max_depth;
	if (g->object_count) {
		f->objects = malloc(g->object_count * sizeof(*f->objects));
		if (!f->objects)
			goto fail;
		for (size_t k = 0; k < g->object_count; k++)
			f->objects[k] = (struct ir_frame_object){ g->objects[k].off, g->objects[k].size };
		f->object_count = (int)g->object_count;
	}
	f->stack_limit = STACK_LIMIT;
	free(leader);
	free(block_of);
	free(at);
	return f;
fail:
	free(leader);
	free(block_of);
	free(at);
	ir_func_free(f);
	return NULL;
}

static void encode(const struct ir_insn *in, struct objfmt_insn *out)
{
	memset(out, 0, sizeof(*out));
	out->code = in->code;
	out->dst_reg = (uint8_t)(in->dst >= 0 ? in->dst : 0);
	out->src_reg = (uint8_t)(in->src >= 0 ? in->src : 0);
	out->off = in->off;
	out->imm = (int32_t)in->imm;
	if (in->code == 0x85)
		out->src_reg = in->pseudo;
	if (in->code == 0x18) {
		out->src_reg = in->pseudo;
		memset(&out[1], 0, sizeof(out[1]));
		out[1].imm = (int32_t)((uint64_t)in->imm >> 32);
	}
}

/* Line records: each moves to the first instruction coming from at or after it; of
 * several landing on one instruction the last wins (line_info offsets must grow). */
static void renumber_lines(struct gen *g, const int *orig, size_t count)
{
	size_t kept = 0, pos = 0;

	for (size_t l = 0; l < g->line_count; l++) {
		while (pos < count && orig[pos] < (int)g->lines[l].insn)
			pos++;
		if (pos >= count)
			break;
		if (kept && g->lines[kept - 1].insn == pos)
			kept--;
		g->lines[kept] = g->lines[l];
		g->lines[kept++].insn = pos;
	}
	g->line_count = kept;
}

/* The code laid out: every block at its start, jump offsets from them; `orig` and
 * the record positions (-1: the instruction is gone) say where each came from. */
struct layout {
	struct objfmt_insn *out;
	size_t total;
	int *orig;               /* per slot: codegen buffer index */
	size_t *reloc_at, *core_at;
};

static bool place_blocks(struct ir_func *f, size_t *start, struct layout *l)
{
	size_t pos = 0;

	for (int b = 0; b < f->block_count; b++) {
		start[b] = l->total;
		for (int i = 0; i < f->blocks[b].count; i++)
			l->total += f->blocks[b].insns[i].code == 0x18 ? 2 : 1;
	}
	start[f->block_count] = l->total;
	l->out = calloc(l->total + 1, sizeof(*l->out));
	l->orig = calloc(l->total + 1, sizeof(int));
	if (!l->out || !l->orig)
		return false;
	for (int b = 0; b < f->block_count; b++)
		for (int i = 0; i < f->blocks[b].count; i++, pos++) {
			struct ir_insn *in = &f->blocks[b].insns[i];
			int64_t off = ir_is_jump(in) ? (int64_t)start[in->target] - (int64_t)pos - 1 : 0;

			if (off < INT16_MIN || off > INT16_MAX)
				return false;
			encode(in, &l->out[pos]);
			if (ir_is_jump(in))
				l->out[pos].off = (int16_t)off;
			if (in->reloc >= 0)
				l->reloc_at[in->reloc] = pos;
			if (in->core >= 0)
				l->core_at[in->core] = pos;
			l->orig[pos] = in->orig;
			if (in->code == 0x18)
				l->orig[++pos] = in->orig;
		}
	return true;
}

/* Relocation and CO-RE records move with their instructions; those of instructions
 * that are gone (unreachable code, a reused address) go too. */
static void renumber_records(struct gen *g, const struct layout *l)
{
	size_t kept = 0;

	for (size_t r = 0; r < g->reloc_count; r++)
		if (l->reloc_at[r] != (size_t)-1) {
			g->relocs[kept] = g->relocs[r];
			g->relocs[kept++].insn = l->reloc_at[r];
		}
	g->reloc_count = kept;
	kept = 0;
	for (size_t c = 0; c < g->core_count; c++)
		if (l->core_at[c] != (size_t)-1) {
			g->cores[kept] = g->cores[c];
			g->cores[kept++].insn = l->core_at[c];
		}
	g->core_count = kept;
	renumber_lines(g, l->orig, l->total);
}

static bool lower(struct gen *g, struct ir_func *f)
{
	size_t *start = calloc((size_t)f->block_count + 1, sizeof(size_t));
	struct layout l = { .reloc_at = malloc((g->reloc_count + 1) * sizeof(size_t)),
			    .core_at = malloc((g->core_count + 1) * sizeof(size_t)) };
	bool ok = start && l.reloc_at && l.core_at;

	if (ok) {
		memset(l.reloc_at, 0xff, (g->reloc_count + 1) * sizeof(size_t));
		memset(l.core_at, 0xff, (g->core_count + 1) * sizeof(size_t));
		ok = place_blocks(f, start, &l);
	}
	if (ok) {
		free(g->insns);
		g->insns = l.out;
		g->count = g->capacity = l.total;
		l.out = NULL;
		renumber_records(g, &l);
		g->max_depth = f->frame; /* promoted slots may have left it smaller */
	}
	free(start);
	free(l.reloc_at);
	free(l.core_at);
	free(l.out);
	free(l.orig);
	return ok;
}

static void remove_unreachable_blocks(struct ir_func *f)
{
	ir_mark_reachable(f);
	for (int b = 0; b < f->block_count; b++)
		if (!f->blocks[b].reachable)
			f->blocks[b].count = 0;
}

/* Loads and stores at r10 + offset. */
static int frame_accesses(const struct ir_func *f)
{
	int n = 0;

	for (int b = 0; b < f->block_count; b++)
		for (int i = 0; i < f->blocks[b].count; i++) {
			const struct ir_insn *in = &f->blocks[b].insns[i];
			uint8_t cls = in->code & 7;

			n += (cls == 0x01 && in->src == IR_FP) ||
			     ((cls == 0x02 || cls == 0x03) && in->dst == IR_FP);
		}
	return n;
}

/* The passes from the lifted buffer to allocated code; NULL when one fails. With
 * `frame`, stack objects whose address stays local are promoted too, and *crowded
 * says whether the stores and reloads put around helper calls are as many as the
 * accesses that promotion removed, or the allocator then added spill code at least
 * half as large. */
static struct ir_func *optimize(struct gen *g, bool frame, bool *crowded)
{
	struct ir_func *f = lift(g);
	int promoted = 0, accesses = 0, materialised = 0;
	bool ok;

	*crowded = false;
	if (!f)
		return NULL;
	remove_unreachable_blocks(f);
	ir_promote_slots(f);
	if (frame)
		promoted = ir_promote_frame(f, &materialised);
	ok = promoted >= 0 && ir_rename_webs(f);
	if (ok) {
		ir_fold_constants(f);
		ir_reuse_relocated(f);
		ir_reuse_addresses(f);
		ir_propagate_copies(f);
		ir_reuse_sums(f);
		ok = ir_reuse_updates(f);
	}
	if (ok) {
		ir_drop_masks(f);
		while (ir_remove_dead(f))
			;
		ir_clean_jumps(f);
		if (promoted > 0)
			accesses = frame_accesses(f);
		ok = ir_allocate(f);
		*crowded = ok && promoted > 0 && (materialised >= promoted ||
						  2 * (frame_accesses(f) - accesses) >= promoted);
	}
	if (ok) {
		ir_clean_jumps(f);
		if (ir_merge_tails(f))
			ir_clean_jumps(f);
		return f;
	}
	ir_func_free(f);
	return NULL;
}

/* Instruction slots of the code. */
static size_t code_size(const struct ir_func *f)
{
	size_t n = 0;

	for (int b = 0; b < f->block_count; b++)
		for (int i = 0; i < f->blocks[b].count; i++)
			n += f->blocks[b].insns[i].code == 0x18 ? 2 : 1;
	return n;
}

/* Whole pipeline; false leaves the buffer as it was (the caller keeps its own code).
 * Names for stack slots can crowd r6-r9 (values live across calls) until the spill
 * code outweighs the accesses saved (xdp_ipip: 14 bytes of a header kept across a
 * helper call), and the stores and reloads around helper calls can outweigh them: a
 * function where that may be so is also compiled without promoting its stack
 * objects, and the smaller code wins. */
bool gen_ir_optimize(struct gen *g)
{
	bool crowded, ok;
	struct ir_func *f = optimize(g, true, &crowded), *plain;

	if (crowded || !f) {
		plain = optimize(g, false, &crowded);
		if (plain && (!f || code_size(plain) < code_size(f))) {
			ir_func_free(f);
			f = plain;
		} else {
			ir_func_free(plain);
		}
	}
	if (!f)
		return false;
	ok = lower(g, f);
	ir_func_free(f);
	return ok;
}
