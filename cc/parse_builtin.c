/* parse_builtin.c - the GCC/clang builtins BPF programs and libbpf's headers use:
 * __builtin_expect/constant_p/offsetof/types_compatible_p/choose_expr fold here;
 * memcpy/memset/memcmp, byte swaps, traps and __sync atomics become ND_BUILTIN nodes
 * for code generation, as do the CO-RE builtins (field, type and enum information, BTF
 * type ids), whose expression is kept unevaluated. */
#include <config.h>

#include <string.h>

#include "parse_int.h"

static struct cc_node *builtin_node(struct cc_unit *u, enum cc_builtin which,
				    struct cc_type *type, struct cc_loc loc, int argc)
{
	struct cc_node *n = new_node(u, ND_BUILTIN, loc), head = { 0 }, *tail = &head;

	n->builtin = which;
	n->type = type;
	for (int i = 0; i < argc; i++) {
		if (i && !expect(u, ","))
			break;
		tail = tail->next = decay(u, parse_assign(u));
	}
	expect(u, ")");
	n->args = head.next;
	return n;
}

static struct cc_node *offsetof_builtin(struct cc_unit *u, struct cc_loc loc)
{
	struct cc_type *t = parse_type_name(u);
	uint64_t offset = 0;

	expect(u, ",");
	for (bool first = true;; first = false) {
		if (first || accept(u, ".")) {
			struct cc_token *name = advance(u);
			uint64_t off = 0;
			struct cc_member *m = cc_type_find_member(t, name->text, &off);

			if (!m) {
				cc_error(u, name->loc, "no member named '%s' in '%s'", name->text,
					 cc_type_describe(u, t));
				break;
			}
			offset += off;
			t = m->type;
		} else if (accept(u, "[")) {
			int64_t idx = parse_const_expr(u);

			expect(u, "]");
			t = cc_type_base(t);
			offset += (uint64_t)idx * (uint64_t)cc_type_size(t);
		} else {
			break;
		}
	}
	expect(u, ")");
	return new_num(u, (int64_t)offset, &cc_type_ulong, loc);
}

static const struct {
	const char *name;
	enum cc_builtin which;
	int argc;
} memory_builtins[] = {
	{ "__builtin_memcpy", BI_MEMCPY, 3 }, { "__builtin_memmove", BI_MEMMOVE, 3 },
	{ "__builtin_memset", BI_MEMSET, 3 }, { "__builtin_memcmp", BI_MEMCMP, 3 },
	{ "__builtin_bswap16", BI_BSWAP16, 1 }, { "__builtin_bswap32", BI_BSWAP32, 1 },
	{ "__builtin_bswap64", BI_BSWAP64, 1 }, { "__builtin_trap", BI_TRAP, 0 },
	{ "__builtin_unreachable", BI_UNREACHABLE, 0 },
	{ "__sync_fetch_and_add", BI_FETCH_ADD, 2 }, { "__sync_fetch_and_or", BI_FETCH_OR, 2 },
	{ "__sync_fetch_and_and", BI_FETCH_AND, 2 }, { "__sync_fetch_and_xor", BI_FETCH_XOR, 2 },
	{ "__sync_lock_test_and_set", BI_XCHG, 2 },
	{ "__sync_val_compare_and_swap", BI_CMPXCHG, 3 },
};

static struct cc_type *builtin_type(struct cc_unit *u, enum cc_builtin which,
				    struct cc_node *n)
{
	switch (which) {
	case BI_MEMCPY: case BI_MEMMOVE: case BI_MEMSET:
		return cc_type_pointer(u, &cc_type_void);
	case BI_MEMCMP: return &cc_type_int;
	case BI_BSWAP16: return &cc_type_ushort;
	case BI_BSWAP32: return &cc_type_uint;
	case BI_BSWAP64: return &cc_type_ulong;
	case BI_TRAP: case BI_UNREACHABLE: return &cc_type_void;
	default: /* atomics: the pointee type */
		return n->args && n->args->type->kind == TY_PTR ? cc_type_base(n->args->type)
								 : &cc_type_long;
	}
}

static struct cc_node *fold_bswap(struct cc_unit *u, struct cc_node *n)
{
	struct cc_node *a = n->args;
	uint64_t v, r = 0;
	int bytes = n->builtin == BI_BSWAP16 ? 2 : n->builtin == BI_BSWAP32 ? 4 : 8;

	if (!a || a->kind != ND_NUM)
		return n;
	v = (uint64_t)a->value;
	for (int i = 0; i < bytes; i++)
		r |= ((v >> (8 * i)) & 0xff) << (8 * (bytes - 1 - i));
	return new_num(u, (int64_t)r, n->type, n->loc);
}

static const struct {
	const char *name;
	enum cc_builtin which;
	struct cc_type *type;
} core_builtins[] = {
	{ "__builtin_preserve_field_info", BI_FIELD_INFO, &cc_type_uint },
	{ "__builtin_preserve_type_info", BI_TYPE_INFO, &cc_type_ulong },
	{ "__builtin_preserve_enum_value", BI_ENUM_VALUE, &cc_type_long },
	{ "__builtin_btf_type_id", BI_BTF_TYPE_ID, &cc_type_ullong },
};

/* __builtin_preserve_*(expr, kind), __builtin_btf_type_id(expr, kind): the expression
 * is a CO-RE access (field info) or only names a type (the others). */
static struct cc_node *core_builtin(struct cc_unit *u, size_t which, struct cc_loc loc)
{
	struct cc_node *n = new_node(u, ND_BUILTIN, loc);

	n->builtin = core_builtins[which].which;
	n->type = core_builtins[which].type;
	u->preserve_depth++;
	n->args = parse_assign(u);
	u->preserve_depth--;
	expect(u, ",");
	n->value = parse_const_expr(u);
	expect(u, ")");
	if (n->builtin == BI_ENUM_VALUE &&
	    (n->args->kind != ND_DEREF || cc_type_kind(n->args->type) != TY_ENUM))
		cc_error(u, loc, "__builtin_preserve_enum_value needs *(enum type *)value");
	return n;
}

struct cc_node *parse_builtin(struct cc_unit *u, struct cc_token *name);
struct cc_node *parse_builtin(struct cc_unit *u, struct cc_token *name)
{
	const char *w = name->text;
	struct cc_loc loc = name->loc;

	if (!expect(u, "("))
		return new_num(u, 0, &cc_type_int, loc);
	if (!strcmp(w, "__builtin_expect") || !strcmp(w, "__builtin_expect_with_probability")) {
		struct cc_node *e = parse_assign(u);

		while (accept(u, ","))
			parse_assign(u);
		expect(u, ")");
		return e;
	}
	if (!strcmp(w, "__builtin_constant_p")) {
		struct cc_node *e = parse_assign(u), *inner = e;
		int64_t v;

		expect(u, ")");
		while (inner->kind == ND_CAST)
			inner = inner->lhs;
		if (!cc_const_eval(u, e, &v) && inner->kind == ND_VAR && inner->var->is_param &&
		    inner->var->type->is_const) { /* decided per always_inline expansion */
			struct cc_node *n = new_node(u, ND_BUILTIN, loc);

			n->builtin = BI_CONSTANT_P;
			n->args = inner;
			if (u->current)
				u->current->needs_constants = true;
			n->type = &cc_type_int;
			return n;
		}
		return new_num(u, cc_const_eval(u, e, &v), &cc_type_int, loc);
	}
	if (!strcmp(w, "__builtin_offsetof"))
		return offsetof_builtin(u, loc);
	if (!strcmp(w, "__builtin_types_compatible_p")) {
		struct cc_type *a = parse_type_name(u), *b;

		expect(u, ",");
		b = parse_type_name(u);
		expect(u, ")");
		return new_num(u, cc_type_compatible(cc_type_unqualified(a), cc_type_unqualified(b)),
			       &cc_type_int, loc);
	}
	if (!strcmp(w, "__builtin_choose_expr")) {
		int64_t c = parse_const_expr(u);
		struct cc_node *a, *b;

		expect(u, ",");
		a = parse_assign(u);
		expect(u, ",");
		b = parse_assign(u);
		expect(u, ")");
		return c ? a : b;
	}
	if (!strcmp(w, "__builtin_preserve_access_index")) {
		/* member and array accesses inside are CO-RE relocatable (ND_MEMBER core) */
		struct cc_node *e;

		u->preserve_depth++;
		e = parse_assign(u);
		u->preserve_depth--;
		expect(u, ")");
		return e;
	}
	for (size_t i = 0; i < sizeof(core_builtins) / sizeof(core_builtins[0]); i++)
		if (!strcmp(core_builtins[i].name, w))
			return core_builtin(u, i, loc);
	for (size_t i = 0; i < sizeof(memory_builtins) / sizeof(memory_builtins[0]); i++) {
		if (strcmp(memory_builtins[i].name, w))
			continue;
		struct cc_node *n = builtin_node(u, memory_builtins[i].which, NULL, loc,
						 memory_builtins[i].argc);

		n->type = builtin_type(u, n->builtin, n);
		if (n->builtin >= BI_BSWAP16 && n->builtin <= BI_BSWAP64) {
			n->args = new_cast(u, n->args, n->type);
			return fold_bswap(u, n);
		}
		return n;
	}
	cc_error(u, loc, "builtin '%s' is not supported", w);
	for (int depth = 1; tok(u)->kind != TK_EOF; advance(u)) { /* skip its arguments */
		if (is(u, "("))
			depth++;
		else if (is(u, ")") && --depth == 0)
			break;
	}
	expect(u, ")");
	return new_num(u, 0, &cc_type_int, loc);
}
