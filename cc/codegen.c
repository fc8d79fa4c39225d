/* codegen.c - per-function code generation driver: the instruction buffer (encoded
 * through objfmt_insn_encode), labels and jump fixups, relocation and line records,
 * the prologue that homes parameters, and the implicit return at the end. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen_int.h"

bool gen_fold_load(struct cc_unit *u, struct cc_node *n, int64_t *value);

static bool grow(void **items, size_t *capacity, size_t count, size_t size)
{
	if (count < *capacity)
		return true;
	size_t cap = *capacity ? *capacity * 2 : 64;
	void *p = realloc(*items, cap * size);

	if (!p)
		return false;
	*items = p;
	*capacity = cap;
	return true;
}

#define GROW(g, arr, count, cap) \
	(grow((void **)&(g)->arr, &(g)->cap, (g)->count, sizeof(*(g)->arr)) || \
	 ((g)->failed = true, false))

bool gen_fail(struct gen *g, struct cc_loc loc, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!g->failed || !strstr(msg, "out of registers"))
		cc_error(g->u, loc, "%s", msg);
	g->failed = true;
	return false;
}

size_t gen_emit(struct gen *g, enum objfmt_op op, int dst, int src, int32_t off, int64_t imm)
{
	struct objfmt_insn out[2];
	int slots;
	size_t at = g->count;

	if (!grow((void **)&g->insns, &g->capacity, g->count + 1, sizeof(*g->insns))) {
		g->failed = true;
		return at;
	}
	slots = objfmt_insn_encode(op, (uint8_t)dst, (uint8_t)src, (int16_t)off, imm, out);
	for (int i = 0; i < slots; i++)
		g->insns[g->count++] = out[i];
	return at;
}

size_t gen_emit_raw(struct gen *g, const struct objfmt_insn *insn)
{
	size_t at = g->count;

	if (!grow((void **)&g->insns, &g->capacity, g->count + 1, sizeof(*g->insns))) {
		g->failed = true;
		return at;
	}
	g->insns[g->count++] = *insn;
	return at;
}

int gen_new_label(struct gen *g)
{
	if (g->label_count == g->label_capacity) {
		int cap = g->label_capacity ? g->label_capacity * 2 : 64;
		int *p = realloc(g->labels, (size_t)cap * sizeof(*p));

		if (!p) {
			g->failed = true;
			return 0;
		}
		g->labels = p;
		g->label_capacity = cap;
	}
	g->labels[g->label_count] = -1;
	return g->label_count++;
}

void gen_place_label(struct gen *g, int label)
{
	g->labels[label] = (int)g->count;
}

/* A jump to `label` (patched once labels are placed). */
void gen_jump(struct gen *g, enum objfmt_op op, int dst, int src, int64_t imm, int label)
{
	size_t at = gen_emit(g, op, dst, src, 0, imm);

	if (!GROW(g, refs, ref_count, ref_capacity))
		return;
	g->refs[g->ref_count].insn = at;
	g->refs[g->ref_count++].label = label;
}

void gen_add_reloc(struct gen *g, size_t insn, enum gen_reloc_kind kind, struct cc_var *var,
		   int64_t addend)
{
	if (!GROW(g, relocs, reloc_count, reloc_capacity))
		return;
	g->relocs[g->reloc_count++] = (struct gen_reloc){ insn, kind, var, addend,
							  g->inlining != NULL };
}

void gen_add_core(struct gen *g, size_t insn, struct cc_type *type, const char *access,
		  enum objfmt_core_kind kind)
{
	if (!GROW(g, cores, core_count, core_capacity))
		return;
	g->cores[g->core_count++] = (struct gen_core){ insn, type, access, kind };
}

void gen_mark_slot_access(struct gen *g, size_t insn)
{
	if (!GROW(g, slot_accesses, slot_access_count, slot_access_capacity))
		return;
	g->slot_accesses[g->slot_access_count++] = insn;
}

void gen_note_call(struct gen *g, size_t insn, int args)
{
	if (!GROW(g, calls, call_count, call_capacity))
		return;
	g->calls[g->call_count++] = (struct gen_call_site){ insn, args };
}

void gen_note_asm(struct gen *g, size_t from, size_t to, unsigned operands)
{
	if (from == to || !GROW(g, asm_ranges, asm_range_count, asm_range_capacity))
		return;
	g->asm_ranges[g->asm_range_count++] = (struct gen_asm_range){ from, to, operands };
}

void gen_note_frame_object(struct gen *g, int off, int size)
{
	if (!GROW(g, objects, object_count, object_capacity))
		return;
	g->objects[g->object_count++] = (struct gen_frame_object){ off, size };
}

void gen_mark_line(struct gen *g, struct cc_loc loc)
{
	if (g->line_count && g->lines[g->line_count - 1].insn == g->count) {
		g->lines[g->line_count - 1].loc = loc;
		return;
	}
	if (!GROW(g, lines, line_count, line_capacity))
		return;
	g->lines[g->line_count].insn = g->count;
	g->lines[g->line_count++].loc = loc;
}

static void resolve_labels(struct gen *g)
{
	for (size_t i = 0; i < g->ref_count; i++) {
		int target = g->labels[g->refs[i].label];
		int64_t off = (int64_t)target - (int64_t)g->refs[i].insn - 1;

		if (target < 0) {
			gen_fail(g, g->fn->var->loc, "internal error: unplaced label");
			return;
		}
		if (off < INT16_MIN || off > INT16_MAX) {
			gen_fail(g, g->fn->var->loc, "function '%s' is too large: jump of %lld "
				 "instructions", g->fn->var->name, (long long)off);
			return;
		}
		g->insns[g->refs[i].insn].off = (int16_t)off;
	}
}

static bool is_jump(const struct objfmt_insn *insn)
{
	uint8_t cls = insn->code & 7, op = insn->code & 0xf0;

	return (cls == OBJFMT_CLASS_JMP || cls == OBJFMT_CLASS_JMP32) && op != 0x80 && op != 0x90;
}

static void compact(struct gen *g, const bool *keep, size_t *map);

/* Drop instructions no path reaches (the kernel rejects them): code after a return
 * inside a switch, loops left only by goto, ... Jumps, relocations and line records
 * are renumbered. */
static void remove_unreachable(struct gen *g)
{
	size_t n = g->count, *map;
	bool *live = calloc(n + 1, sizeof(*live));
	size_t *stack = calloc(n + 1, sizeof(*stack)), top = 0;

	map = calloc(n + 1, sizeof(*map));
	if (!live || !stack || !map || !n)
		goto out;
	stack[top++] = 0;
	while (top) {
		size_t i = stack[--top];

		while (i < n && !live[i]) {
			struct objfmt_insn *insn = &g->insns[i];
			size_t slots = (size_t)objfmt_insn_slots(insn);

			live[i] = true;
			if (slots == 2 && i + 1 < n)
				live[i + 1] = true;
			if (insn->code == 0x95)
				break;
			if (is_jump(insn)) {
				size_t target = (size_t)((int64_t)i + 1 + insn->off);

				if (target < n && !live[target])
					stack[top++] = target;
				if (insn->code == 0x05)
					break;
			}
			i += slots;
		}
	}
	compact(g, live, map);
out:
	free(live);
	free(stack);
	free(map);
}

/* Relocation and CO-RE records of kept instructions are renumbered by `map`; those of
 * dropped ones go (moved to the next kept instruction, a map's relocation would land
 * on an instruction other than its ld_imm64: `if (1) ... else lookup(&map, ...)`). */
static void compact_records(struct gen *g, const bool *keep, const size_t *map)
{
	size_t kept = 0;

	for (size_t i = 0; i < g->reloc_count; i++)
		if (keep[g->relocs[i].insn]) {
			g->relocs[kept] = g->relocs[i];
			g->relocs[kept++].insn = map[g->relocs[i].insn];
		}
	g->reloc_count = kept;
	kept = 0;
	for (size_t i = 0; i < g->core_count; i++)
		if (keep[g->cores[i].insn]) {
			g->cores[kept] = g->cores[i];
			g->cores[kept++].insn = map[g->cores[i].insn];
		}
	g->core_count = kept;
}

/* Line records renumbered by `map`: a dropped instruction's record moves to the next
 * instruction kept, where a later record (the kept instruction's own) replaces it --
 * the kernel refuses two line_info records at one instruction ("Invalid line_info"). */
static void compact_lines(struct gen *g, const size_t *map)
{
	size_t kept = 0;

	for (size_t i = 0; i < g->line_count; i++) {
		struct gen_line line = g->lines[i];

		line.insn = map[line.insn];
		if (kept && g->lines[kept - 1].insn == line.insn)
			kept--;
		g->lines[kept++] = line;
	}
	g->line_count = kept;
}

/* Keep only the instructions marked in `keep` (map: n + 1 entries of scratch); jumps,
 * relocations, line and CO-RE records are renumbered (a dropped instruction's line
 * record moves to the next one kept). */
static void compact(struct gen *g, const bool *keep, size_t *map)
{
	size_t n = g->count, kept = 0;

	for (size_t i = 0; i < n; i++) {
		map[i] = kept;
		kept += keep[i];
	}
	map[n] = kept;
	if (kept == n)
		return;
	for (size_t i = 0; i < n; i++) {
		struct objfmt_insn insn = g->insns[i];

		if (!keep[i])
			continue;
		if (is_jump(&insn))
			insn.off = (int16_t)((int64_t)map[(size_t)((int64_t)i + 1 + insn.off)] -
					     (int64_t)map[i] - 1);
		g->insns[map[i]] = insn;
	}
	compact_records(g, keep, map);
	compact_lines(g, map);
	g->count = kept;
}

/* Whether `insn` leaves a 32-bit value zero-extended in its destination: ALU32 (but a
 * 64-bit byte swap), mov32, and loads of 1, 2 or 4 bytes. */
static bool zero_extends(const struct objfmt_insn *insn)
{
	uint8_t cls = insn->code & 7;

	if (cls == OBJFMT_CLASS_ALU)
		return (insn->code & 0xf0) != 0xd0 || insn->imm != 64;
	return insn->code == 0x61 || insn->code == 0x69 || insn->code == 0x71;
}

/* `wX = wX` right after an instruction that zero-extended rX already (the IR leaves
 * them where a narrow value was moved into a name of the same register) goes, unless
 * a jump lands on it. */
static void drop_redundant_extensions(struct gen *g)
{
	size_t n = g->count;
	bool *keep = malloc((n + 1) * sizeof(*keep)), *target = calloc(n + 1, sizeof(*target));
	size_t *map = malloc((n + 1) * sizeof(*map));

	if (!keep || !target || !map || !n)
		goto out;
	for (size_t i = 0; i < n; i += (size_t)objfmt_insn_slots(&g->insns[i])) {
		keep[i] = true;
		if (objfmt_insn_slots(&g->insns[i]) == 2 && i + 1 < n)
			keep[i + 1] = true;
		int64_t to = (int64_t)i + 1 + g->insns[i].off;

		if (is_jump(&g->insns[i]) && to >= 0 && to <= (int64_t)n)
			target[to] = true;
	}
	for (size_t i = 1, prev = 0; i < n; prev = i, i += (size_t)objfmt_insn_slots(&g->insns[i])) {
		const struct objfmt_insn *in = &g->insns[i], *before = &g->insns[prev];

		if (in->code == 0xbc && in->dst_reg == in->src_reg && !in->off && !target[i] &&
		    objfmt_insn_slots(before) == 1 && before->dst_reg == in->dst_reg &&
		    zero_extends(before))
			keep[i] = false;
	}
	compact(g, keep, map);
out:
	free(keep);
	free(target);
	free(map);
}

/* A narrow integer parameter held in a register: its caller may be the kernel (bpf_loop,
 * for_each_map_elem and timer callbacks) or a global function's, which leaves the upper
 * bits unspecified, so it is zero- or sign-extended on entry as clang does; the body
 * then relies on the invariant that a value narrower than 64 bits has them cleared. */
static void extend_parameter(struct gen *g, int reg, struct cc_type *type)
{
	int64_t size = cc_type_size(type);

	if (!cc_type_is_integer(type) || size >= 8)
		return;
	if (size == 4)
		gen_emit(g, OBJFMT_OP_MOV32_REG, reg, reg, 0, 0);
	else if (cc_type_is_unsigned(type) || type->kind == TY_BOOL)
		gen_emit(g, OBJFMT_OP_AND32_IMM, reg, 0, 0, size == 1 ? 0xff : 0xffff);
	else {
		gen_emit(g, OBJFMT_OP_LSH32_IMM, reg, 0, 0, 32 - 8 * (int)size);
		gen_emit(g, OBJFMT_OP_ARSH32_IMM, reg, 0, 0, 32 - 8 * (int)size);
	}
}

/* Move incoming arguments r1-r5 to their homes (register variables or stack slots). */
static void prologue(struct gen *g)
{
	int arg = 1;

	for (struct cc_var *p = g->fn->params; p && arg <= 5 && p->is_param; p = p->next, arg++) {
		int64_t size = cc_type_size(p->type);

		if (!p->use_count && !p->address_taken)
			continue;
		if (!cc_type_is_scalar(p->type) && size != 1 && size != 2 && size != 4 &&
		    size != 8) { /* records of these sizes come in one register */
			gen_fail(g, p->loc, "passing '%s' by value is not supported; pass a pointer",
				 cc_type_describe(g->u, p->type));
			continue;
		}
		if (p->reg >= 0) {
			gen_emit(g, OBJFMT_OP_MOV64_REG, p->reg, arg, 0, 0);
			extend_parameter(g, p->reg, p->type);
		} else {
			static const enum objfmt_op stores[] = { OBJFMT_OP_STXB, OBJFMT_OP_STXH,
								 OBJFMT_OP_STXW, OBJFMT_OP_STXDW };
			int idx = size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;

			size_t at = gen_emit(g, stores[idx], REG_FP, arg, p->stack_offset, 0);

			if (gen_register_candidate(g, p))
				gen_mark_slot_access(g, at);
		}
	}
}

static bool ends_with_exit(struct gen *g)
{
	if (!g->count || g->insns[g->count - 1].code != 0x95)
		return false;
	for (int i = 0; i < g->label_count; i++)
		if (g->labels[i] == (int)g->count)
			return false;
	return true;
}

int cc_codegen_function(struct cc_unit *u, struct cc_function *fn)
{
	struct gen *g = calloc(1, sizeof(*g));

	if (!g)
		return -1;
	g->u = u;
	g->fn = fn;
	g->break_label = g->continue_label = -1;
	g->hint = -1;
	fn->code = g;
	u->folding = g;
	u->fold_load = gen_fold_load;
	if (fn->param_count > 5) /* an always_inline function may have more: it is expanded */
		gen_fail(g, fn->var->loc, "function '%s' has %d parameters; BPF passes at most 5 in "
			 "registers", fn->var->name, fn->param_count);
	gen_assign_variables(g);
	gen_mark_line(g, fn->var->loc);
	prologue(g);
	gen_statement(g, fn->body);
	if (!ends_with_exit(g)) { /* falling off the end returns 0 (r0 set: see gen_return) */
		gen_emit(g, OBJFMT_OP_MOV64_IMM, 0, 0, 0, 0);
		gen_emit(g, OBJFMT_OP_EXIT, 0, 0, 0, 0);
	}
	u->folding = NULL;
	u->fold_load = NULL;
	resolve_labels(g);
	if (!g->failed && u->opts->optimize > 0 && gen_ir_optimize(g)) {
		drop_redundant_extensions(g);
	} else if (!g->failed) {
		for (size_t i = 0; i < g->count && !g->failed; i++)
			if (g->insns[i].dst_reg >= REG_EXTRA || (g->insns[i].src_reg >= REG_EXTRA &&
			    g->insns[i].code != 0x18 && g->insns[i].code != 0x85))
				gen_fail(g, fn->var->loc, "expression too complex: out of registers");
		if (!g->failed)
			remove_unreachable(g);
	}
	if (!g->failed && g->max_depth > STACK_LIMIT)
		gen_fail(g, fn->var->loc, "function '%s' needs more than %d bytes of stack",
			 fn->var->name, STACK_LIMIT);
	fn->stack_depth = g->max_depth;
	return g->failed ? -1 : 0;
}

void cc_codegen_free(struct gen *g)
{
	if (!g)
		return;
	free(g->insns);
	free(g->labels);
	free(g->refs);
	free(g->relocs);
	free(g->lines);
	free(g->cores);
	free(g->gotos);
	free(g->slot_accesses);
	free(g->calls);
	free(g->asm_ranges);
	free(g->objects);
	free(g);
}
