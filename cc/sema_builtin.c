/* sema_builtin.c - the GCC/clang builtins BPF programs and libbpf's headers use:
 * __builtin_expect/constant_p/offsetof/types_compatible_p/choose_expr fold here;
 * memcpy/memset/memcmp, byte swaps, traps and __sync atomics become ND_BUILTIN nodes
 * for code generation, as do the CO-RE builtins (field, type and enum information, BTF
 * type ids), whose expression is kept unevaluated. */
#include <config.h>

#include <string.h>

#include "sema_int.h"

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


/* __builtin_offsetof(type, a.b[2].c) */
struct cc_node *sema_builtin_offsetof(struct cc_unit *u, struct cc_type *t,
				      struct offsetof_step *steps, struct cc_loc loc)
{
	uint64_t offset = 0;

	for (struct offsetof_step *s = steps; s; s = s->next) {
		if (s->name) {
			uint64_t off = 0;
			struct cc_member *m = cc_type_find_member(t, s->name->text, &off);

			if (!m) {
				cc_error(u, s->name->loc, "no member named '%s' in '%s'",
					 s->name->text, cc_type_describe(u, t));
				break;
			}
			offset += off;
			t = m->type;
		} else {
			t = cc_type_base(t);
			offset += (uint64_t)s->index * (uint64_t)cc_type_size(t);
		}
	}
	return new_num(u, (int64_t)offset, &cc_type_ulong, loc);
}

struct cc_node *sema_builtin_types_compatible(struct cc_unit *u, struct cc_type *a,
					      struct cc_type *b, struct cc_loc loc)
{
	return new_num(u, cc_type_compatible(cc_type_unqualified(a), cc_type_unqualified(b)),
		       &cc_type_int, loc);
}

/* __builtin_preserve_*(expr, kind), __builtin_btf_type_id(expr, kind): the expression
 * (read with CO-RE member accesses) is a field access or only names a type. */
struct cc_node *sema_builtin_core(struct cc_unit *u, struct cc_token *name,
				  struct cc_node *expr, struct cc_node *kind, struct cc_loc loc)
{
	struct cc_node *n = new_node(u, ND_BUILTIN, loc);
	size_t i = 0;

	while (i + 1 < sizeof(core_builtins) / sizeof(core_builtins[0]) &&
	       strcmp(core_builtins[i].name, name->text))
		i++;
	n->builtin = core_builtins[i].which;
	n->type = core_builtins[i].type;
	n->args = expr;
	n->value = sema_const_value(u, kind);
	if (n->builtin == BI_ENUM_VALUE &&
	    (n->args->kind != ND_DEREF || cc_type_kind(n->args->type) != TY_ENUM))
		cc_error(u, loc, "__builtin_preserve_enum_value needs *(enum type *)value");
	return n;
}

static size_t count_args(struct cc_node *args)
{
	size_t n = 0;

	for (; args; args = args->next)
		n++;
	return n;
}

static struct cc_node *constant_p(struct cc_unit *u, struct cc_node *e, struct cc_loc loc)
{
	struct cc_node *inner = e;
	int64_t v;

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

static struct cc_node *memory_builtin(struct cc_unit *u, size_t i, struct cc_node *args,
				      struct cc_loc loc)
{
	struct cc_node *n = new_node(u, ND_BUILTIN, loc), head = { 0 }, *tail = &head, *next;

	n->builtin = memory_builtins[i].which;
	if (count_args(args) != (size_t)memory_builtins[i].argc)
		cc_error(u, loc, "builtin '%s' takes %d arguments", memory_builtins[i].name,
			 memory_builtins[i].argc);
	for (struct cc_node *a = args; a; a = next) {
		next = a->next;
		a = decay(u, a);
		a->next = NULL;
		tail = tail->next = a;
	}
	n->args = head.next;
	n->type = builtin_type(u, n->builtin, n);
	if (n->builtin >= BI_BSWAP16 && n->builtin <= BI_BSWAP64 && n->args) {
		n->args = new_cast(u, n->args, n->type);
		return fold_bswap(u, n);
	}
	return n;
}

/* A builtin called with expression arguments (__builtin_* and __sync_* names). */
struct cc_node *sema_builtin_call(struct cc_unit *u, struct cc_token *name,
				  struct cc_node *args, struct cc_loc loc)
{
	const char *w = name->text;
	size_t argc = count_args(args);

	if (!strcmp(w, "__builtin_expect") || !strcmp(w, "__builtin_expect_with_probability")) {
		if (argc == 0)
			return new_num(u, 0, &cc_type_int, loc);
		args->next = NULL;
		return args;
	}
	if (!strcmp(w, "__builtin_constant_p") && argc == 1)
		return constant_p(u, args, loc);
	if (!strcmp(w, "__builtin_choose_expr") && argc == 3) {
		struct cc_node *a = args->next, *b = a->next;

		a->next = NULL;
		return sema_const_value(u, args) ? a : b;
	}
	for (size_t i = 0; i < sizeof(memory_builtins) / sizeof(memory_builtins[0]); i++)
		if (!strcmp(memory_builtins[i].name, w))
			return memory_builtin(u, i, args, loc);
	cc_error(u, loc, "builtin '%s' is not supported", w);
	return new_num(u, 0, &cc_type_int, loc);
}
