/* codegen_asm.c - GNU inline asm statements: register operands ("r", "=r", "+r" and
 * matching "0") placed in registers the clobber list leaves alone, immediates ("i",
 * "n") as numbers, %0 / %[name] substituted into the template, the text assembled by
 * libasm and placed inline, and outputs stored back to their lvalues. */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ebpf/asm.h>

#include "codegen_int.h"

static const int reg_order[] = { 1, 2, 3, 4, 5, 0, 6, 7, 8, 9 };

/* Registers of one asm statement: those its operands hold, and register variables
 * lent to it (saved on the stack, restored after the outputs are stored). */
struct asm_regs {
	unsigned used;
	int lent[4], slot[4];
	int lent_count;
};

/* A register outside `avoid` for an operand, marked busy: a free temporary, else a
 * register variable's register saved for the statement; -1 if none. */
static int free_reg(struct gen *g, struct asm_regs *regs, unsigned avoid)
{
	avoid |= regs->used;
	for (size_t i = 0; i < sizeof(reg_order) / sizeof(reg_order[0]); i++) {
		int r = reg_order[i];

		if (!g->busy[r] && !g->var_reg[r] && !(avoid & (1u << r))) {
			g->busy[r] = true;
			return r;
		}
	}
	for (int r = 6; r <= 9 && regs->lent_count < 4; r++) {
		if (g->busy[r] || (avoid & (1u << r)))
			continue;
		regs->lent[regs->lent_count] = r;
		regs->slot[regs->lent_count] = gen_spill_slot(g, 8);
		gen_emit(g, OBJFMT_OP_STXDW, REG_FP, r, regs->slot[regs->lent_count++], 0);
		g->busy[r] = true;
		return r;
	}
	return -1;
}

static void return_lent(struct gen *g, struct asm_regs *regs)
{
	for (int i = regs->lent_count - 1; i >= 0; i--) {
		gen_emit(g, OBJFMT_OP_LDXDW, regs->lent[i], REG_FP, regs->slot[i], 0);
		g->busy[regs->lent[i]] = false;
		gen_free_spill(g, 8);
	}
	regs->lent_count = 0;
}

/* A register variable the operand can use in place, or -1. */
static int variable_reg(struct cc_node *e, unsigned avoid)
{
	if (e->kind == ND_VAR && e->var->is_local && e->var->reg >= 0 &&
	    !(avoid & (1u << e->var->reg)))
		return e->var->reg;
	return -1;
}

static bool is_immediate(const char *c)
{
	return strchr(c, 'i') || strchr(c, 'n');
}

/* Registers of the register variables the outputs store to: kept for them. */
static unsigned output_variables(struct cc_asm *a)
{
	unsigned mask = 0;

	for (struct cc_asm_operand *o = a->outputs; o; o = o->next) {
		int r = variable_reg(o->expr, a->clobbers);

		if (r >= 0)
			mask |= 1u << r;
	}
	return mask;
}

/* Inputs with a register or immediate constraint (matching ones come later). */
static bool place_inputs(struct gen *g, struct cc_asm *a, struct asm_regs *regs,
			 unsigned reserved, struct cc_loc loc)
{
	for (struct cc_asm_operand *o = a->inputs; o; o = o->next) {
		int64_t value;

		if (isdigit((unsigned char)o->constraint[0]))
			continue;
		if (is_immediate(o->constraint)) {
			if (!gen_inline_constant(g, o->expr, &value))
				return gen_fail(g, loc, "asm operand with constraint '%s' is not a "
						"constant", o->constraint);
			o->reg = -1;
			continue;
		}
		if (!strchr(o->constraint, 'r'))
			return gen_fail(g, loc, "asm constraint '%s' is not supported (only r, i, n "
					"and matching digits)", o->constraint);
		o->reg = variable_reg(o->expr, a->clobbers);
		if (o->reg < 0) {
			o->reg = free_reg(g, regs, a->clobbers | reserved);
			if (o->reg < 0)
				return gen_fail(g, loc, "no free register for an asm operand");
			gen_value_into(g, o->expr, o->reg, false);
			g->busy[o->reg] = true;
		}
		regs->used |= 1u << o->reg;
	}
	return true;
}

static struct cc_asm_operand *matching_input(struct cc_asm *a, int index)
{
	for (struct cc_asm_operand *o = a->inputs; o; o = o->next)
		if (isdigit((unsigned char)o->constraint[0]) && atoi(o->constraint) == index)
			return o;
	return NULL;
}

/* Outputs get registers; "+r" and outputs with a matching input start with a value. */
static bool place_outputs(struct gen *g, struct cc_asm *a, struct asm_regs *regs,
			  struct cc_loc loc)
{
	int index = 0;

	for (struct cc_asm_operand *o = a->outputs; o; o = o->next, index++) {
		struct cc_asm_operand *in = matching_input(a, index);
		struct cc_node *init = strchr(o->constraint, '+') ? o->expr : in ? in->expr : NULL;

		if (o->constraint[0] != '=' && o->constraint[0] != '+')
			return gen_fail(g, loc, "asm output constraint '%s' must start with '=' or "
					"'+'", o->constraint);
		if (!strchr(o->constraint, 'r'))
			return gen_fail(g, loc, "asm constraint '%s' is not supported (only r, i, n "
					"and matching digits)", o->constraint);
		o->reg = variable_reg(o->expr, a->clobbers | regs->used);
		if (o->reg < 0) {
			o->reg = free_reg(g, regs, a->clobbers | output_variables(a));
			if (o->reg < 0)
				return gen_fail(g, loc, "no free register for an asm operand");
		}
		if (init && variable_reg(init, 0) != o->reg) {
			gen_value_into(g, init, o->reg, false);
			g->busy[o->reg] = true;
		}
		if (in)
			in->reg = o->reg;
		regs->used |= 1u << o->reg;
	}
	return true;
}

static struct cc_asm_operand *operand_at(struct cc_asm *a, int index)
{
	struct cc_asm_operand *o = a->outputs;

	for (; o && index > 0; o = o->next)
		index--;
	if (o)
		return o;
	for (o = a->inputs; o && index > 0; o = o->next)
		index--;
	return index == 0 ? o : NULL;
}

static struct cc_asm_operand *operand_named(struct cc_asm *a, const char *name, size_t len)
{
	for (struct cc_asm_operand *o = a->outputs; o; o = o->next)
		if (o->name && strlen(o->name) == len && !strncmp(o->name, name, len))
			return o;
	for (struct cc_asm_operand *o = a->inputs; o; o = o->next)
		if (o->name && strlen(o->name) == len && !strncmp(o->name, name, len))
			return o;
	return NULL;
}

/* The template with %N, %[name], %wN and %% replaced; NULL after a diagnostic. */
static char *substitute(struct gen *g, struct cc_asm *a, struct cc_loc loc)
{
	size_t cap = strlen(a->text) * 2 + 64, len = 0;
	char *out = malloc(cap);

	if (out)
		out[0] = '\0';
	for (const char *p = a->text; out && *p;) {
		struct cc_asm_operand *o = NULL;
		bool wide = true;
		char piece[32];

		if (*p != '%') {
			piece[0] = *p++;
			piece[1] = '\0';
		} else if (p[1] == '%') {
			strcpy(piece, "%");
			p += 2;
		} else {
			p++;
			if (*p == 'w' && (p[1] == '[' || isdigit((unsigned char)p[1]))) {
				wide = false;
				p++;
			}
			if (*p == '[') {
				const char *end = strchr(p, ']');

				o = end ? operand_named(a, p + 1, (size_t)(end - p - 1)) : NULL;
				p = end ? end + 1 : p + strlen(p);
			} else if (isdigit((unsigned char)*p)) {
				o = operand_at(a, (int)strtol(p, (char **)&p, 10));
			}
			if (!o) {
				free(out);
				gen_fail(g, loc, "invalid operand reference in asm template");
				return NULL;
			}
			if (o->reg >= 0) {
				snprintf(piece, sizeof(piece), "%c%d", wide ? 'r' : 'w', o->reg);
			} else {
				int64_t value = 0;

				gen_inline_constant(g, o->expr, &value);
				snprintf(piece, sizeof(piece), "%lld", (long long)value);
			}
		}
		if (len + strlen(piece) + 1 > cap) {
			char *bigger = realloc(out, cap *= 2);

			if (!bigger)
				free(out);
			out = bigger;
			if (!out)
				break;
		}
		memcpy(out + len, piece, strlen(piece) + 1);
		len += strlen(piece);
	}
	if (!out)
		gen_fail(g, loc, "out of memory");
	return out;
}

/* Assemble `text` and append its instructions; errors point at the asm statement.
 * `operands`: the registers operands were placed in. */
static void assemble(struct gen *g, const char *text, struct cc_loc loc, unsigned operands)
{
	struct asm_options opts = { .size = sizeof(opts) };
	struct asm_diagnostics *diags = NULL;
	struct objfmt_insn *insns = NULL;
	size_t count = 0;
	int err = asm_assemble_insns(text, strlen(text), loc.file, loc.line, &opts, &insns,
				     &count, &diags);

	if (err) {
		const struct asm_diagnostic *d = asm_diagnostics__get(diags, 0);

		gen_fail(g, loc, "in inline asm: %s", d ? d->message : "cannot assemble");
	}
	size_t from = g->count;

	for (size_t i = 0; !err && i < count; i++)
		gen_emit_raw(g, &insns[i]);
	gen_note_asm(g, from, g->count, operands);
	free(insns);
	asm_diagnostics__free(diags);
}

static void release_operands(struct gen *g, struct cc_asm_operand *o)
{
	for (; o; o = o->next)
		if (o->reg >= 0 && !g->var_reg[o->reg])
			g->busy[o->reg] = false;
}

static unsigned operand_registers(struct cc_asm *a)
{
	unsigned mask = 0;

	for (struct cc_asm_operand *o = a->inputs; o; o = o->next)
		if (o->reg >= 0)
			mask |= 1u << o->reg;
	for (struct cc_asm_operand *o = a->outputs; o; o = o->next)
		if (o->reg >= 0)
			mask |= 1u << o->reg;
	return mask;
}

void gen_asm_statement(struct gen *g, struct cc_node *n)
{
	struct cc_asm *a = n->asm_stmt;
	struct spill_set saved = { .count = 0 };
	struct asm_regs regs = { .used = 0 };
	char *text;

	if (!a)
		return;
	if (a->clobbers & 0x3f)
		gen_spill_caller_saved(g, &saved);
	if (place_inputs(g, a, &regs, output_variables(a), n->loc) &&
	    place_outputs(g, a, &regs, n->loc) && (text = substitute(g, a, n->loc)) != NULL) {
		struct asm_regs kept = { .used = 0 };

		for (int r = 6; r <= 9; r++) /* clobbered register variables survive it */
			if ((a->clobbers & (1u << r)) && g->var_reg[r] && kept.lent_count < 4) {
				kept.lent[kept.lent_count] = r;
				kept.slot[kept.lent_count] = gen_spill_slot(g, 8);
				gen_emit(g, OBJFMT_OP_STXDW, REG_FP, r, kept.slot[kept.lent_count++], 0);
			}
		if (text[strspn(text, " \t\n")])
			assemble(g, text, n->loc, operand_registers(a));
		free(text);
		return_lent(g, &kept);
		for (struct cc_asm_operand *o = a->outputs; o && !g->failed; o = o->next) {
			struct place p = gen_place(g, o->expr);

			gen_store(g, p, o->expr->type, (struct val){ o->reg, false });
			gen_release_place(g, p);
		}
	}
	release_operands(g, a->outputs);
	release_operands(g, a->inputs);
	return_lent(g, &regs);
	gen_restore(g, &saved);
}
