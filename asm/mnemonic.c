/* mnemonic.c - the mnemonic dialect of the conformance suite (`mov %r0, 1`,
 * `ldxw %r1, [%r2+4]`, `jne %r0, 15, label`, `lock fetch add [%r1+0], %r2`,
 * `call local f`): operand shapes select the form, the table row gives the encoding. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "asm_int.h"

enum { MAX_OPERANDS = 6 };

/* Operand shapes and the forms they may mean, tried in order. */
struct shape_forms {
	const char *shape;          /* r = register, i = expression, m = memory */
	enum objfmt_form forms[3];
	int count;
};

static const struct shape_forms shapes[] = {
	{ "", { OBJFMT_FORM_EXIT }, 1 },
	{ "r", { OBJFMT_FORM_UNARY, OBJFMT_FORM_CALLX }, 2 },
	{ "i", { OBJFMT_FORM_JA, OBJFMT_FORM_LD_ABS, OBJFMT_FORM_CALL }, 3 },
	{ "rr", { OBJFMT_FORM_ALU_REG }, 1 },
	{ "ri", { OBJFMT_FORM_ALU_IMM, OBJFMT_FORM_LD_IMM64, OBJFMT_FORM_LD_IND }, 3 },
	{ "rm", { OBJFMT_FORM_LDX }, 1 },
	{ "mr", { OBJFMT_FORM_STX, OBJFMT_FORM_ATOMIC }, 2 },
	{ "mi", { OBJFMT_FORM_ST }, 1 },
	{ "rri", { OBJFMT_FORM_JMP_REG }, 1 },
	{ "rii", { OBJFMT_FORM_JMP_IMM }, 1 },
};

static char shape_letter(const struct asm_operand *op)
{
	return op->kind == ASM_OPERAND_REG ? 'r' : op->kind == ASM_OPERAND_MEM ? 'm' : 'i';
}

/* Name of a symbol operand ("local", "fetch", a label), or NULL. */
static const char *word_of(const struct asm_operand *op)
{
	if (op->kind != ASM_OPERAND_EXPR || op->expr->kind != ASM_EXPR_SYMBOL)
		return NULL;
	return op->expr->name;
}

static void set_mem(struct asm_insn *insn, const struct asm_mem *mem, bool base_is_dst)
{
	if (base_is_dst)
		insn->dst = mem->base.number;
	else
		insn->src = mem->base.number;
	insn->off = mem->offset;
	insn->off_loc = mem->offset ? mem->offset->loc : mem->loc;
}

/* Fill the instruction fields of `form` from operands that already match its shape. */
static void fill(struct asm_insn *insn, enum objfmt_form form, struct asm_operand **ops)
{
	if (ops[0] && ops[0]->kind == ASM_OPERAND_REG)
		insn->dst_loc = ops[0]->loc;
	if (ops[0] && ops[1] && ops[1]->kind == ASM_OPERAND_REG)
		insn->src_loc = ops[1]->loc;
	switch (form) {
	case OBJFMT_FORM_UNARY:
	case OBJFMT_FORM_CALLX:
		insn->dst = ops[0]->reg.number;
		break;
	case OBJFMT_FORM_JA:
	case OBJFMT_FORM_CALL:
		insn->target = ops[0]->expr;
		insn->target_loc = ops[0]->loc;
		break;
	case OBJFMT_FORM_LD_ABS:
		insn->imm = ops[0]->expr;
		insn->imm_loc = ops[0]->loc;
		break;
	case OBJFMT_FORM_ALU_REG:
		insn->dst = ops[0]->reg.number;
		insn->src = ops[1]->reg.number;
		break;
	case OBJFMT_FORM_ALU_IMM:
	case OBJFMT_FORM_LD_IMM64:
		insn->dst = ops[0]->reg.number;
		insn->imm = ops[1]->expr;
		insn->imm_loc = ops[1]->loc;
		break;
	case OBJFMT_FORM_LD_IND:
		insn->src = ops[0]->reg.number;
		insn->imm = ops[1]->expr;
		insn->imm_loc = ops[1]->loc;
		break;
	case OBJFMT_FORM_LDX:
		insn->dst = ops[0]->reg.number;
		set_mem(insn, &ops[1]->mem, false);
		break;
	case OBJFMT_FORM_STX:
	case OBJFMT_FORM_ATOMIC:
		set_mem(insn, &ops[0]->mem, true);
		insn->src = ops[1]->reg.number;
		break;
	case OBJFMT_FORM_ST:
		set_mem(insn, &ops[0]->mem, true);
		insn->imm = ops[1]->expr;
		insn->imm_loc = ops[1]->loc;
		break;
	case OBJFMT_FORM_JMP_REG:
	case OBJFMT_FORM_JMP_IMM:
		insn->dst = ops[0]->reg.number;
		if (form == OBJFMT_FORM_JMP_REG) {
			insn->src = ops[1]->reg.number;
		} else {
			insn->imm = ops[1]->expr;
			insn->imm_loc = ops[1]->loc;
		}
		insn->target = ops[2]->expr;
		insn->target_loc = ops[2]->loc;
		break;
	case OBJFMT_FORM_EXIT:
		break;
	}
}

/* `lock [fetch] op[32] [%rD+off], %rS` -> mnemonic "fetch add32" etc. */
static int lock_mnemonic(struct asm_context *ctx, struct asm_operand **ops, int count,
			 struct asm_loc loc, const char **mnemonic)
{
	char buf[40] = "";
	int used = 0;

	while (used < count && word_of(ops[used]) && used < 2) {
		size_t len = strlen(buf);

		snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? " " : "", word_of(ops[used]));
		used++;
	}
	if (used == 0) {
		asm_error(ctx, loc, "expected an atomic operation after 'lock'");
		return -1;
	}
	*mnemonic = asm_strndup(ctx, buf, strlen(buf));
	return used;
}

/* `call local f`, `call runtime N`, `call helper N`, `call %rN`, `call N`, `call name`. */
static void call_statement(struct asm_context *ctx, struct asm_insn *insn,
			   struct asm_operand **ops, int count)
{
	const char *word = count == 2 ? word_of(ops[0]) : NULL;

	insn->form = OBJFMT_FORM_CALL;
	if (count == 1 && ops[0]->kind == ASM_OPERAND_REG) {
		insn->mnemonic = "callx";
		insn->form = OBJFMT_FORM_CALLX;
		insn->dst = ops[0]->reg.number;
	} else if (count == 1 && ops[0]->kind == ASM_OPERAND_EXPR) {
		fill(insn, OBJFMT_FORM_CALL, ops);
	} else if (word && ops[1]->kind == ASM_OPERAND_EXPR &&
		   (!strcmp(word, "local") || !strcmp(word, "helper") || !strcmp(word, "runtime"))) {
		fill(insn, OBJFMT_FORM_CALL, ops + 1);
		insn->call_kind = word[0] == 'l' ? OBJFMT_CALL_LOCAL : word[0] == 'h' ?
			OBJFMT_CALL_HELPER : OBJFMT_CALL_KFUNC;
	} else {
		asm_error(ctx, count ? ops[0]->loc : insn->loc,
			  "invalid operands for 'call': expected N, local LABEL, runtime N or %%rN");
		return;
	}
	asm_emit_insn(ctx, insn);
}

/* swap16/32/64 are the conformance suite's names for bswap16/32/64. */
static const char *alias(const char *mnemonic)
{
	if (!strcmp(mnemonic, "swap16"))
		return "bswap16";
	if (!strcmp(mnemonic, "swap32"))
		return "bswap32";
	if (!strcmp(mnemonic, "swap64"))
		return "bswap64";
	return mnemonic;
}

/* "add64" -> "add": the 64 suffix names the default width. */
static const char *strip64(struct asm_context *ctx, const char *mnemonic)
{
	size_t len = strlen(mnemonic);

	if (len > 2 && !strcmp(mnemonic + len - 2, "64") && mnemonic[0] != 'b' &&
	    strncmp(mnemonic, "movsx", 5) && strncmp(mnemonic, "le", 2) && strncmp(mnemonic, "be", 2))
		return asm_strndup(ctx, mnemonic, len - 2);
	return mnemonic;
}

static void generic_statement(struct asm_context *ctx, struct asm_insn *insn,
			      struct asm_operand **ops, int count)
{
	char shape[MAX_OPERANDS + 1];

	for (int i = 0; i < count; i++)
		shape[i] = shape_letter(ops[i]);
	shape[count] = '\0';
	for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
		if (strcmp(shapes[s].shape, shape))
			continue;
		for (int f = 0; f < shapes[s].count; f++) {
			if (!asm_op_find(ctx, insn->mnemonic, shapes[s].forms[f]))
				continue;
			insn->form = shapes[s].forms[f];
			fill(insn, insn->form, ops);
			asm_emit_insn(ctx, insn);
			return;
		}
	}
	if (!asm_mnemonic_known(ctx, insn->mnemonic)) {
		asm_unknown_instruction(ctx, insn->mnemonic, insn->mnemonic_loc);
		return;
	}
	asm_error(ctx, count ? ops[0]->loc : insn->loc, "invalid operands for '%s'",
		  insn->mnemonic);
}

void asm_mnemonic_statement(struct asm_context *ctx, const char *mnemonic,
			    struct asm_loc loc, struct asm_operand *operands)
{
	struct asm_operand *ops[MAX_OPERANDS + 2] = { NULL }; /* NULL after the last */
	struct asm_insn insn;
	int count = 0;

	for (struct asm_operand *op = operands; op; op = op->next) {
		if (count == MAX_OPERANDS) {
			asm_error(ctx, op->loc, "too many operands for '%s'", mnemonic);
			return;
		}
		ops[count++] = op;
	}
	for (int i = 0; i < count / 2; i++) {
		struct asm_operand *tmp = ops[i];
		ops[i] = ops[count - 1 - i];
		ops[count - 1 - i] = tmp;
	}
	if (mnemonic[0] == '.') {
		asm_unknown_instruction(ctx, mnemonic, loc);
		return;
	}
	asm_insn_init(&insn, strip64(ctx, alias(mnemonic)), OBJFMT_FORM_EXIT, loc);
	if (!strcmp(mnemonic, "call")) {
		call_statement(ctx, &insn, ops, count);
	} else if (!strcmp(mnemonic, "lock")) {
		int used = lock_mnemonic(ctx, ops, count, loc, &insn.mnemonic);

		if (used > 0)
			generic_statement(ctx, &insn, ops + used, count - used);
	} else {
		generic_statement(ctx, &insn, ops, count);
	}
}
