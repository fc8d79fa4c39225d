/* unroll.c - full unrolling of counted `for` loops at the AST level, as clang's loop
 * unroller does for BPF: each copy of the body is the body with the induction variable
 * replaced by its constant value and constant operands folded, so `skb->cb[i]` becomes
 * a load at a constant offset and the verifier walks straight-line code. Always under
 * `#pragma unroll` / `clang loop unroll(full)` / `GCC unroll N`, by a size rule at -O1+. */
#include <config.h>

#include <string.h>

#include "codegen_int.h"

/* Iterations a loop may have to be unrolled at all; the unrolled size a pragma may ask
 * for (clang's PragmaUnrollThreshold is 16k); without a pragma, the unrolled size the
 * heuristic accepts (size: the estimate of scan_node, about one per operation): clang
 * -O2 for BPF unrolls up to 150 IR instructions, boosted when constants simplify the
 * copies, and the bounds here give its decisions on every loop of the test programs
 * and on probes around the limit (16 x 10 yes, 32 x 10 no, 8 x 33 yes, 12 x 33 no);
 * loops whose exit also depends on run-time values (`i < 4 && p[i]`) are unrolled when
 * smaller still, at most 8 copies (clang's upper-bound unrolling). */
enum {
	UNROLL_TRIPS_MAX = 256,
	UNROLL_PRAGMA_SIZE = 16384,
	UNROLL_AUTO_SIZE = 300,
	UNROLL_BOUND_SIZE = 100,
	UNROLL_BOUND_TRIPS = 8,
	UNROLL_INLINE_DEPTH = 4,
};

/* ---- #pragma lines ---- */

static const char *blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* `word` at *p as a whole word: *p moves past it and the blanks after it. */
static bool take_word(const char **p, const char *word)
{
	size_t n = strlen(word);
	char next;

	if (strncmp(*p, word, n))
		return false;
	next = (*p)[n]; /* only now: the text may end before n characters */
	if (next == '_' || (next >= '0' && next <= '9') ||
	    ((next | 0x20) >= 'a' && (next | 0x20) <= 'z'))
		return false;
	*p = blanks(*p + n);
	return true;
}

/* N or (N): the count; -1 when there is none. */
static long take_count(const char **p)
{
	const char *s = *p;
	bool paren = *s == '(';
	long n = 0;

	if (paren)
		s = blanks(s + 1);
	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++)
		n = n > 100000 ? n : n * 10 + (*s - '0');
	s = blanks(s);
	if (paren) {
		if (*s != ')')
			return -1;
		s = blanks(s + 1);
	}
	*p = s;
	return n;
}

static int count_hint(long n)
{
	if (n <= 1) /* unroll 1 (GCC: also 0) keeps the loop */
		return CC_UNROLL_DISABLE;
	return n >= CC_UNROLL_COUNT_MAX ? CC_UNROLL_COUNT(CC_UNROLL_COUNT_MAX) : CC_UNROLL_COUNT(n);
}

/* `clang loop` options: unroll(full|enable|disable), unroll_count(N), others ignored. */
static int clang_loop_hint(const char *p)
{
	int hint = -1;

	while (*p) {
		if (take_word(&p, "unroll") && *p == '(') {
			p = blanks(p + 1);
			if (take_word(&p, "full") || take_word(&p, "enable"))
				hint = CC_UNROLL_FULL;
			else if (take_word(&p, "disable"))
				hint = CC_UNROLL_DISABLE;
		} else if (take_word(&p, "unroll_count")) {
			long n = take_count(&p);

			if (n >= 0)
				hint = count_hint(n);
		} else {
			p++;
		}
	}
	return hint;
}

int cc_unroll_hint(const char *line)
{
	const char *p = blanks(line);

	if (*p == '#')
		p = blanks(p + 1);
	take_word(&p, "pragma");
	if (take_word(&p, "nounroll"))
		return CC_UNROLL_DISABLE;
	if (take_word(&p, "unroll")) {
		long n = take_count(&p);

		return n < 0 ? CC_UNROLL_FULL : count_hint(n);
	}
	if (take_word(&p, "GCC")) {
		long n;

		if (!take_word(&p, "unroll") || (n = take_count(&p)) < 0)
			return -1;
		return count_hint(n);
	}
	if (take_word(&p, "clang") && take_word(&p, "loop"))
		return clang_loop_hint(p);
	return -1;
}

/* ---- copies of the body with the induction variable replaced ---- */

struct unroll {
	struct gen *g;
	struct cc_var *var;         /* the induction variable */
	int64_t value;              /* its value in the copy being made */
	bool loaded_is_var;         /* ND_LOADED stands for it (the increment) */
	struct cc_node **cases;     /* ND_CASE originals and their copies, pairwise */
	size_t case_count, case_capacity;
	bool failed;
};

static int64_t wrap(int64_t v, struct cc_type *t)
{
	int64_t size = cc_type_size(t);
	bool uns = cc_type_is_unsigned(t);

	if (cc_type_kind(t) == TY_BOOL)
		return v != 0;
	if (size == 1)
		return uns ? (int64_t)(uint8_t)v : (int64_t)(int8_t)v;
	if (size == 2)
		return uns ? (int64_t)(uint16_t)v : (int64_t)(int16_t)v;
	if (size == 4)
		return uns ? (int64_t)(uint32_t)v : (int64_t)(int32_t)v;
	return v;
}

/* The constant `value` in place of `like`: its type and location, and its place in an
 * initializer list (designator offset, bitfield), as sema makes a folded node. */
static struct cc_node *number(struct unroll *un, struct cc_node *like, int64_t value)
{
	struct cc_node *n = cc_alloc(un->g->u->arena, sizeof(*n));

	if (!n) {
		un->failed = true;
		return like;
	}
	n->kind = ND_NUM;
	n->type = like->type;
	n->loc = like->loc;
	n->value = wrap(value, like->type);
	n->designator_offset = like->designator_offset;
	n->init_bitfield = like->init_bitfield;
	return n;
}

/* `branch` (a copy made for this node) standing in the place of `node`. */
static struct cc_node *in_place_of(struct cc_node *node, struct cc_node *branch)
{
	branch->designator_offset = node->designator_offset;
	branch->init_bitfield = node->init_bitfield;
	return branch;
}

static bool remember_case(struct unroll *un, struct cc_node *from, struct cc_node *to)
{
	if (un->case_count + 2 > un->case_capacity) {
		size_t cap = un->case_capacity ? un->case_capacity * 2 : 16;
		struct cc_node **p = cc_alloc(un->g->u->arena, cap * sizeof(*p));

		if (!p)
			return false;
		if (un->case_count)
			memcpy(p, un->cases, un->case_count * sizeof(*p));
		un->cases = p;
		un->case_capacity = cap;
	}
	un->cases[un->case_count++] = from;
	un->cases[un->case_count++] = to;
	return true;
}

static struct cc_node *copy_of_case(struct unroll *un, struct cc_node *from)
{
	for (size_t i = 0; i < un->case_count; i += 2)
		if (un->cases[i] == from)
			return un->cases[i + 1];
	return NULL;
}

static struct cc_node *copy_list(struct unroll *un, struct cc_node *n);

/* (p + a) + b with constant byte offsets a and b (through casts between pointer
 * types): p + (a + b), one add as clang's address arithmetic gives. */
static struct cc_node *pointer_sum(struct unroll *un, struct cc_node *c)
{
	struct cc_node *inner = c->lhs, *sum;

	while (inner->kind == ND_CAST && inner->type->kind == TY_PTR &&
	       inner->lhs->type->kind == TY_PTR)
		inner = inner->lhs;
	if ((inner->kind != ND_ADD && inner->kind != ND_SUB) || inner->type->kind != TY_PTR ||
	    inner->rhs->kind != ND_NUM || inner->lhs->type->kind != TY_PTR)
		return c;
	sum = number(un, c->rhs, (int64_t)((uint64_t)c->rhs->value +
					   (inner->kind == ND_ADD ? (uint64_t)inner->rhs->value
								  : 0 - (uint64_t)inner->rhs->value)));
	c->lhs = inner->lhs;
	c->rhs = sum;
	return c;
}

/* Constant operands fold as sema folds them when it builds a node: casts and operators
 * of constants, && and || decided by their left side, ?: by its condition. */
static struct cc_node *fold(struct unroll *un, struct cc_node *c)
{
	int64_t v;

	switch (c->kind) {
	case ND_CAST:
		if (c->lhs->kind == ND_NUM && cc_type_is_scalar(c->type))
			return number(un, c, c->lhs->value);
		return c;
	case ND_NEG: case ND_BITNOT: case ND_NOT:
		if (c->lhs->kind == ND_NUM && cc_const_eval(un->g->u, c, &v))
			return number(un, c, v);
		return c;
	case ND_LOGAND: case ND_LOGOR:
		if (c->lhs->kind == ND_NUM && c->rhs->kind == ND_NUM)
			return number(un, c, c->kind == ND_LOGAND ? c->lhs->value && c->rhs->value
								  : c->lhs->value || c->rhs->value);
		if (c->lhs->kind == ND_NUM && (c->kind == ND_LOGAND ? !c->lhs->value : c->lhs->value))
			return number(un, c, c->kind == ND_LOGOR);
		return c;
	case ND_COND:
		if (c->cond->kind == ND_NUM && c->lhs && c->type->kind != TY_VOID)
			return in_place_of(c, c->cond->value ? c->lhs : c->rhs);
		return c;
	case ND_ADD:
		if (c->type->kind == TY_PTR && c->rhs->kind == ND_NUM)
			return pointer_sum(un, c);
		/* fallthrough */
	default:
		if (c->kind >= ND_ADD && c->kind <= ND_GE && c->lhs->kind == ND_NUM &&
		    c->rhs->kind == ND_NUM && cc_type_is_integer(c->lhs->type) &&
		    cc_const_eval(un->g->u, c, &v))
			return number(un, c, v);
		return c;
	}
}

static struct cc_asm *copy_asm(struct unroll *un, struct cc_asm *a)
{
	struct cc_asm *c = cc_alloc(un->g->u->arena, sizeof(*c));
	struct cc_asm_operand **lists[2] = { &c->outputs, &c->inputs };
	struct cc_asm_operand *from[2] = { a->outputs, a->inputs };

	if (!c) {
		un->failed = true;
		return a;
	}
	*c = *a;
	for (int k = 0; k < 2; k++) {
		struct cc_asm_operand **tail = lists[k];

		for (struct cc_asm_operand *o = from[k]; o; o = o->next) {
			struct cc_asm_operand *op = cc_alloc(un->g->u->arena, sizeof(*op));

			if (!op) {
				un->failed = true;
				return a;
			}
			*op = *o;
			op->expr = copy_list(un, o->expr);
			*tail = op;
			tail = &op->next;
		}
		*tail = NULL;
	}
	return c;
}

/* One node (not its `next`) with every subtree copied. */
static struct cc_node *copy_node(struct unroll *un, struct cc_node *n)
{
	struct cc_node *c;

	if (n->kind == ND_VAR && n->var == un->var)
		return number(un, n, un->value);
	if (n->kind == ND_LOADED && un->loaded_is_var)
		return number(un, n, un->value);
	if (n->kind == ND_VAR && n->var->inline_const) /* a const parameter bound to a
							  constant (inline.c) */
		return number(un, n, n->var->inline_value);
	c = cc_alloc(un->g->u->arena, sizeof(*c));
	if (!c) {
		un->failed = true;
		return n;
	}
	*c = *n;
	c->lhs = copy_list(un, n->lhs);
	c->rhs = copy_list(un, n->rhs);
	c->cond = copy_list(un, n->cond);
	c->then = copy_list(un, n->then);
	c->els = copy_list(un, n->els);
	c->init = copy_list(un, n->init);
	c->inc = copy_list(un, n->inc);
	c->body = copy_list(un, n->body);
	c->args = copy_list(un, n->args);
	if (n->asm_stmt)
		c->asm_stmt = copy_asm(un, n->asm_stmt);
	if (n->kind == ND_CASE && !remember_case(un, n, c))
		un->failed = true;
	if (n->kind == ND_SWITCH) { /* its case list names the copies made in its body */
		struct cc_node **tail = &c->cases;

		for (struct cc_node *k = n->cases; k; k = k->case_next) {
			struct cc_node *copy = copy_of_case(un, k);

			if (!copy) {
				un->failed = true;
				return n;
			}
			*tail = copy;
			tail = &copy->case_next;
		}
		*tail = NULL;
	}
	return fold(un, c);
}

/* A statement or argument list (linked by `next`), or one node with its successors. */
static struct cc_node *copy_list(struct unroll *un, struct cc_node *n)
{
	struct cc_node *head = NULL, **tail = &head;

	for (; n && !un->failed; n = n->next) {
		struct cc_node *c = copy_node(un, n);

		if (un->failed)
			break;
		*tail = c;
		tail = &c->next;
	}
	*tail = NULL;
	return head;
}

/* ---- which loops, and how many copies ---- */

/* What a walk over the body found. */
struct scan {
	struct cc_var *var;
	bool writes_var;       /* assigned, incremented, address taken, asm output */
	bool has_label;        /* goto labels cannot be duplicated */
	bool stray_case;       /* a case label of a switch around the loop */
	int switch_depth;
	int inline_depth;      /* inside an always_inline callee (size only) */
	long size;             /* estimated instructions of one copy */
};

static void scan_list(struct scan *s, struct cc_node *n);

static bool writes(struct scan *s, struct cc_node *lvalue)
{
	return lvalue && lvalue->kind == ND_VAR && lvalue->var == s->var;
}

static void scan_call(struct scan *s, struct cc_node *n)
{
	struct cc_var *target = n->lhs && n->lhs->kind == ND_VAR ? n->lhs->var : NULL;

	s->size += 2;
	if (target && target->is_function && target->function && target->attrs.always_inline &&
	    s->inline_depth < UNROLL_INLINE_DEPTH) {
		s->inline_depth++;
		scan_list(s, target->function->body);
		s->inline_depth--;
	}
}

/* Memory builtins expand to a load and a store per 8 bytes. */
static long builtin_size(struct cc_node *n)
{
	struct cc_node *last = n->args;

	if (n->builtin != BI_MEMCPY && n->builtin != BI_MEMMOVE && n->builtin != BI_MEMSET &&
	    n->builtin != BI_MEMCMP)
		return 1;
	while (last && last->next)
		last = last->next;
	return last && last->kind == ND_NUM && last->value > 0 ? 1 + last->value / 4 : 1;
}

static void scan_node(struct scan *s, struct cc_node *n)
{
	bool own = s->inline_depth == 0;

	switch (n->kind) {
	case ND_NUM: case ND_VAR: case ND_CAST: case ND_BLOCK: case ND_EXPR_STMT: case ND_DECL:
	case ND_NULL_STMT: case ND_INIT_LIST: case ND_LOADED:
		break; /* constants, registers and extensions cost nothing */
	case ND_ASSIGN: case ND_ASSIGN_OP: case ND_PREINC: case ND_POSTINC:
		s->writes_var |= own && writes(s, n->lhs);
		s->size++;
		break;
	case ND_ADDR:
		s->writes_var |= own && writes(s, n->lhs);
		s->size++;
		break;
	case ND_LABEL:
		s->has_label |= own;
		break;
	case ND_CASE:
		s->stray_case |= own && s->switch_depth == 0;
		break;
	case ND_CALL:
		scan_call(s, n);
		break;
	case ND_BUILTIN:
		s->size += builtin_size(n);
		break;
	case ND_ASM:
		for (struct cc_asm_operand *o = n->asm_stmt->outputs; o; o = o->next)
			s->writes_var |= own && writes(s, o->expr);
		s->size += 4;
		break;
	default:
		s->size++;
		break;
	}
	if (n->kind == ND_SWITCH)
		s->switch_depth++;
	scan_list(s, n->lhs);
	scan_list(s, n->rhs);
	scan_list(s, n->cond);
	scan_list(s, n->then);
	scan_list(s, n->els);
	scan_list(s, n->init);
	scan_list(s, n->inc);
	scan_list(s, n->body);
	scan_list(s, n->args);
	if (n->asm_stmt)
		for (struct cc_asm_operand *o = n->asm_stmt->inputs; o; o = o->next)
			scan_list(s, o->expr);
	if (n->kind == ND_SWITCH)
		s->switch_depth--;
}

static void scan_list(struct scan *s, struct cc_node *n)
{
	for (; n && s->size < UNROLL_PRAGMA_SIZE; n = n->next)
		scan_node(s, n);
}

/* The induction variable and its start: `int i = K` (the loop's own declaration) or
 * `i = K` (a local declared before, whose value after the loop must be right). */
static struct cc_var *induction(struct unroll *un, struct cc_node *init, int64_t *start,
				bool *outer)
{
	struct cc_node *value;
	struct cc_var *v;

	*outer = false;
	if (!init)
		return NULL;
	if (init->kind == ND_BLOCK && init->body && !init->body->next &&
	    init->body->kind == ND_DECL) {
		v = init->body->var;
		value = init->body->init;
		if (value && value->kind == ND_INIT_LIST && value->args && !value->args->next)
			value = value->args; /* a scalar's initializer is a list of one */
	} else if (init->kind == ND_EXPR_STMT && init->lhs && init->lhs->kind == ND_ASSIGN &&
		   init->lhs->lhs->kind == ND_VAR) {
		v = init->lhs->lhs->var;
		value = init->lhs->rhs;
		*outer = true;
	} else {
		return NULL;
	}
	if (!v || !value || value->kind == ND_INIT_LIST || !v->is_local || v->is_static ||
	    v->address_taken || !cc_type_is_integer(v->type) || v->type->is_volatile ||
	    !cc_const_eval(un->g->u, value, start))
		return NULL;
	*start = wrap(*start, v->type);
	return v;
}

/* The variable's value after the increment (i++, i += 2, i = i * 2 ...). */
static bool step(struct unroll *un, struct cc_node *inc, int64_t *value)
{
	struct cc_node *next;

	if (!inc || (inc->kind != ND_ASSIGN && inc->kind != ND_ASSIGN_OP &&
		     inc->kind != ND_PREINC && inc->kind != ND_POSTINC) ||
	    !writes(&(struct scan){ .var = un->var }, inc->lhs))
		return false;
	un->value = *value;
	un->loaded_is_var = true;
	next = copy_list(un, inc->rhs);
	un->loaded_is_var = false;
	if (un->failed || !next || next->kind != ND_NUM)
		return false;
	*value = wrap(next->value, un->var->type);
	return true;
}

/* One iteration: the variable's value and the test before it, NULL when it holds
 * surely. */
struct trip {
	int64_t value;
	struct cc_node *test;
};

struct plan {
	struct trip *trips;
	int count;
	int64_t final;             /* the value once the test fails */
	bool bounded_only;         /* some test depends on run-time values */
};

/* At most `limit` iterations, else false. */
static bool simulate(struct unroll *un, struct cc_node *n, int64_t start, int limit,
		     struct plan *p)
{
	int64_t value = start;

	p->trips = cc_alloc(un->g->u->arena, ((size_t)limit + 1) * sizeof(*p->trips));
	if (!p->trips || !n->cond)
		return false;
	for (p->count = 0; p->count <= limit; p->count++) {
		struct cc_node *test;

		un->value = value;
		test = copy_list(un, n->cond);
		if (un->failed || !test)
			return false;
		if (test->kind == ND_NUM && !test->value) {
			p->final = value;
			return true;
		}
		if (p->count == limit)
			break;
		p->trips[p->count].value = value;
		p->trips[p->count].test = test->kind == ND_NUM ? NULL : test;
		p->bounded_only |= test->kind != ND_NUM;
		if (!step(un, n->inc, &value))
			return false;
	}
	return false;
}

/* How many copies of a body of `size` the loop's hint (or the size rule) allows;
 * 0 for none. */
static int copies_allowed(struct gen *g, struct cc_node *n, long size)
{
	int hint = n->unroll;
	long budget = UNROLL_PRAGMA_SIZE, limit = UNROLL_TRIPS_MAX;

	if (hint == CC_UNROLL_DISABLE)
		return 0;
	if (hint >= CC_UNROLL_COUNT(2)) /* unroll N: all of it when N covers the trips */
		limit = CC_UNROLL_COUNT_OF(hint);
	else if (hint == CC_UNROLL_NONE && g->u->opts->optimize <= 0)
		return 0;
	else if (hint == CC_UNROLL_NONE)
		budget = UNROLL_AUTO_SIZE;
	if (limit > budget / size)
		limit = budget / size;
	return limit > UNROLL_TRIPS_MAX ? UNROLL_TRIPS_MAX : (int)limit;
}

/* ---- code ---- */

/* `var = value;` for a variable that outlives the loop. */
static void set_var(struct unroll *un, struct cc_node *like, int64_t value)
{
	struct cc_node *ref = cc_alloc(un->g->u->arena, sizeof(*ref));
	struct cc_node *assign = cc_alloc(un->g->u->arena, sizeof(*assign));

	if (!ref || !assign) {
		un->failed = true;
		return;
	}
	ref->kind = ND_VAR;
	ref->var = un->var;
	ref->type = un->var->type;
	ref->loc = like->loc;
	assign->kind = ND_ASSIGN;
	assign->type = un->var->type;
	assign->loc = like->loc;
	assign->lhs = ref;
	assign->rhs = number(un, ref, value);
	gen_discard(un->g, assign);
}

static void emit(struct unroll *un, struct cc_node *n, const struct plan *p, bool outer)
{
	struct gen *g = un->g;
	int saved_break = g->break_label, saved_continue = g->continue_label;
	int done = gen_new_label(g), depth = g->spill_depth, high = depth;

	g->break_label = done;
	for (int k = 0; k < p->count && !g->failed && !un->failed; k++) {
		int next = gen_new_label(g);
		struct cc_node *body;

		if (outer) /* right at every exit: break, goto, return, a failed test */
			set_var(un, n->init, p->trips[k].value);
		if (p->trips[k].test)
			gen_branch(g, p->trips[k].test, done, false);
		un->value = p->trips[k].value;
		un->case_count = 0;
		body = copy_list(un, n->body);
		if (un->failed)
			break;
		g->continue_label = next;
		/* what a copy's expansions keep on the stack is dead after it: the next copy
		 * reuses it (the same code, so each slot keeps its access size), code after
		 * the loop does not */
		if (g->spill_depth > depth)
			gen_free_spill(g, g->spill_depth - depth);
		gen_statement(g, body);
		gen_place_label(g, next);
		if (g->spill_depth > high)
			high = g->spill_depth;
	}
	g->spill_depth = high; /* max_depth counted it already */
	if (outer)
		set_var(un, n->init, p->final);
	gen_place_label(g, done);
	g->break_label = saved_break;
	g->continue_label = saved_continue;
	if (un->failed)
		gen_fail(g, n->loc, "out of memory unrolling a loop");
}

bool gen_unroll_loop(struct gen *g, struct cc_node *n)
{
	struct unroll un = { .g = g };
	struct scan s = { 0 };
	struct plan p = { 0 };
	int64_t start;
	int limit;
	bool outer;

	if (n->kind != ND_FOR || n->unroll == CC_UNROLL_DISABLE ||
	    (g->u->opts->optimize <= 0 && !n->unroll))
		return false;
	un.var = induction(&un, n->init, &start, &outer);
	if (!un.var)
		return false;
	s.var = un.var;
	scan_list(&s, n->body);
	scan_list(&s, n->cond);
	if (s.writes_var || s.has_label || s.stray_case || s.size >= UNROLL_PRAGMA_SIZE)
		return false;
	limit = copies_allowed(g, n, s.size + 1);
	if (limit <= 0 || !simulate(&un, n, start, limit, &p))
		return false;
	/* an exit that also depends on run-time values: few copies (clang's upper bound) */
	if (p.bounded_only && n->unroll == CC_UNROLL_NONE &&
	    (p.count > UNROLL_BOUND_TRIPS || p.count * (s.size + 1) > UNROLL_BOUND_SIZE))
		return false;
	emit(&un, n, &p, outer);
	return true;
}
