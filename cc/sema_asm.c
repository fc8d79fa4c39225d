/* sema_asm.c - GNU asm statements kept as ND_ASM nodes for codegen_asm.c: the template
 * and constraints as NUL-terminated strings, operands as expressions, clobbered
 * registers as a mask. */
#include <config.h>

#include <string.h>

#include "sema_int.h"

/* Adjacent string literals as one NUL-terminated string (templates, constraints). */
const char *sema_string_text(struct cc_unit *u, struct cc_token *first, size_t count)
{
	size_t len = 0, pos = 0;
	char *text;

	for (size_t i = 0; i < count; i++)
		len += first[i].string_len;
	text = cc_alloc(u->arena, len + 1);
	if (!text)
		return "";
	for (size_t i = 0; i < count; i++) {
		memcpy(text + pos, first[i].string, first[i].string_len);
		pos += first[i].string_len;
	}
	return text;
}

/* [name] "constraint" (expr) */
struct cc_asm_operand *sema_asm_operand(struct cc_unit *u, struct cc_token *name,
					const char *constraint, struct cc_node *expr,
					bool output)
{
	struct cc_asm_operand *op = cc_alloc(u->arena, sizeof(*op));

	op->name = name ? name->text : NULL;
	op->constraint = constraint;
	op->expr = output ? expr : decay(u, expr);
	if (!output && u->current && (strchr(constraint, 'i') || strchr(constraint, 'n')))
		u->current->needs_constants = true; /* may name a parameter */
	op->reg = -1;
	return op;
}

/* "r0", ..., "r9" in the clobber list, as a register mask ("memory", "cc" ignored). */
unsigned sema_asm_clobber(const char *c)
{
	if (c[0] == 'r' && c[1] >= '0' && c[1] <= '9' && !c[2])
		return 1u << (c[1] - '0');
	return 0;
}

struct cc_node *sema_asm(struct cc_unit *u, struct cc_token *keyword, const char *text,
			 struct cc_asm_operand *outputs, struct cc_asm_operand *inputs,
			 unsigned clobbers, bool is_goto)
{
	struct cc_node *n = new_node(u, ND_ASM, keyword->loc);
	struct cc_asm *a = cc_alloc(u->arena, sizeof(*a));

	if (is_goto)
		cc_error(u, keyword->loc, "asm goto is not supported");
	a->text = text;
	a->outputs = outputs;
	a->inputs = inputs;
	a->clobbers = clobbers;
	n->asm_stmt = a;
	return n;
}
