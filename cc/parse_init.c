/* parse_init.c - initializers: braces, designators (.field, [index], chains of both),
 * brace elision, string literals for char arrays. The result is an ND_INIT_LIST whose
 * `args` are leaves: one value per scalar (or whole-aggregate copy) with its byte
 * offset in the object, so globals become bytes and locals become stores. */
#include <config.h>

#include <string.h>

#include "parse_int.h"

struct init_state {
	struct cc_node head;   /* leaves, in order */
	struct cc_node *tail;
};

static void parse_into(struct cc_unit *u, struct init_state *st, struct cc_type *type,
		       uint64_t offset, int64_t *array_len);

static void add_leaf(struct cc_unit *u, struct init_state *st, struct cc_node *value,
		     struct cc_type *type, uint64_t offset, struct cc_member *member)
{
	struct cc_node *leaf = convert_for_assign(u, value, type);

	if (member && member->is_bitfield) {
		leaf = new_cast(u, leaf, type);
		leaf->init_bitfield = member;
	}
	leaf->designator_offset = offset;
	st->tail = st->tail->next = leaf;
}

static bool is_char_array(struct cc_type *t)
{
	return t->kind == TY_ARRAY && cc_type_size(cc_type_base(t)) == 1 &&
	       cc_type_is_integer(cc_type_base(t));
}

static void parse_string_into(struct cc_unit *u, struct init_state *st, struct cc_type *t,
			      uint64_t offset, int64_t *array_len)
{
	int64_t len = cc_type_root(t)->array_len;
	char buf[4096];
	size_t n = 0;
	struct cc_loc loc = tok(u)->loc;

	while (tok(u)->kind == TK_STRING) {
		struct cc_token *s = advance(u);

		for (size_t i = 0; i < s->string_len && n < sizeof(buf) - 1; i++)
			buf[n++] = s->string[i];
	}
	buf[n++] = '\0';
	if (len < 0)
		len = (int64_t)n;
	if (array_len)
		*array_len = len;
	for (size_t i = 0; i < n && (int64_t)i < len; i++)
		add_leaf(u, st, new_num(u, buf[i], &cc_type_char, loc), cc_type_base(t),
			 offset + i, NULL);
}

/* Walk `.a.b[3]` designators from (type, offset); returns the designated subobject. */
static struct cc_type *designation(struct cc_unit *u, struct cc_type *type, uint64_t *offset,
				   struct cc_member **member)
{
	for (;;) {
		if (accept(u, ".")) {
			struct cc_token *name = advance(u);
			uint64_t off = 0;
			struct cc_member *m = cc_type_find_member(type, name->text, &off);

			if (!m) {
				cc_error(u, name->loc, "field designator '%s' does not refer to any "
					 "field in type '%s'", name->text, cc_type_describe(u, type));
				return NULL;
			}
			*offset += off;
			*member = m;
			type = m->type;
		} else if (accept(u, "[")) {
			int64_t idx = parse_const_expr(u);

			expect(u, "]");
			if (type->kind != TY_ARRAY) {
				cc_error(u, tok(u)->loc, "array designator on non-array type");
				return NULL;
			}
			*offset += (uint64_t)idx * (uint64_t)cc_type_size(cc_type_base(type));
			*member = NULL;
			type = cc_type_base(type);
		} else {
			break;
		}
	}
	accept(u, "=");
	return type;
}

static void parse_array_braced(struct cc_unit *u, struct init_state *st, struct cc_type *t,
			       uint64_t offset, int64_t *array_len)
{
	struct cc_type *elem = cc_type_base(t);
	int64_t esize = cc_type_size(elem), idx = 0, max = 0;
	int64_t len = cc_type_root(t)->array_len;

	while (!is(u, "}") && tok(u)->kind != TK_EOF) {
		if (is(u, "[")) {
			advance(u);
			idx = parse_const_expr(u);
			expect(u, "]");
			if (is(u, ".") || is(u, "[")) {
				struct cc_member *m = NULL;
				uint64_t off = offset + (uint64_t)(idx * esize);
				struct cc_type *sub = designation(u, elem, &off, &m);

				if (sub)
					parse_into(u, st, sub, off, NULL);
				idx++;
				goto next;
			}
			accept(u, "=");
		}
		if (len >= 0 && idx >= len) {
			cc_error(u, tok(u)->loc, "excess elements in array initializer");
			parse_assign(u);
		} else {
			parse_into(u, st, elem, offset + (uint64_t)(idx * esize), NULL);
		}
		idx++;
next:
		if (idx > max)
			max = idx;
		if (!accept(u, ","))
			break;
	}
	if (array_len)
		*array_len = len >= 0 ? len : max;
}

static void parse_record_braced(struct cc_unit *u, struct init_state *st, struct cc_type *t,
				uint64_t offset)
{
	struct cc_member *m = cc_type_root(t)->members;

	while (!is(u, "}") && tok(u)->kind != TK_EOF) {
		if (is(u, ".")) {
			struct cc_member *dm = NULL;
			uint64_t off = offset;
			struct cc_type *sub = designation(u, t, &off, &dm);

			if (sub && dm && dm->is_bitfield)
				add_leaf(u, st, parse_assign(u), sub, off, dm);
			else if (sub)
				parse_into(u, st, sub, off, NULL);
			/* continue after the designated top-level member */
			for (m = cc_type_root(t)->members; m && dm; m = m->next)
				if (m == dm) {
					m = m->next;
					break;
				}
		} else if (!m) {
			cc_error(u, tok(u)->loc, "excess elements in %s initializer",
				 t->kind == TY_UNION ? "union" : "struct");
			parse_assign(u);
		} else {
			while (m && m->is_bitfield && !m->name)
				m = m->next;
			if (m && m->is_bitfield) {
				add_leaf(u, st, parse_assign(u), m->type, offset + m->offset, m);
			} else if (m) {
				parse_into(u, st, m->type, offset + m->offset, NULL);
			}
			m = m && t->kind != TY_UNION ? m->next : NULL;
		}
		if (!accept(u, ","))
			break;
	}
}

static void parse_into(struct cc_unit *u, struct init_state *st, struct cc_type *type,
		       uint64_t offset, int64_t *array_len)
{
	if (type->kind == TY_ARRAY && is_char_array(type) && tok(u)->kind == TK_STRING) {
		parse_string_into(u, st, type, offset, array_len);
		return;
	}
	if (accept(u, "{")) {
		if (type->kind == TY_ARRAY && is_char_array(type) && tok(u)->kind == TK_STRING)
			parse_string_into(u, st, type, offset, array_len);
		else if (type->kind == TY_ARRAY)
			parse_array_braced(u, st, type, offset, array_len);
		else if (type->kind == TY_STRUCT || type->kind == TY_UNION)
			parse_record_braced(u, st, type, offset);
		else if (!is(u, "}"))
			add_leaf(u, st, parse_assign(u), type, offset, NULL);
		accept(u, ",");
		expect(u, "}");
		return;
	}
	struct cc_node *value = parse_assign(u);

	if (cc_type_is_aggregate(type) && !cc_type_is_aggregate(value->type)) {
		/* brace elision: initialise the first scalar inside */
		if (type->kind == TY_ARRAY) {
			add_leaf(u, st, value, cc_type_base(type), offset, NULL);
			if (array_len && cc_type_root(type)->array_len < 0)
				*array_len = 1;
		} else if (cc_type_root(type)->members) {
			add_leaf(u, st, value, cc_type_root(type)->members->type,
				 offset + cc_type_root(type)->members->offset, NULL);
		}
		return;
	}
	add_leaf(u, st, value, type, offset, NULL);
}

/* Parse the initializer after `=` for `var`, completing an incomplete array type. */
struct cc_node *parse_initializer(struct cc_unit *u, struct cc_var *var)
{
	struct init_state st = { 0 };
	struct cc_node *list = new_node(u, ND_INIT_LIST, tok(u)->loc);
	int64_t len = -1;

	st.tail = &st.head;
	parse_into(u, &st, var->type, 0, &len);
	if (var->type->kind == TY_ARRAY && cc_type_root(var->type)->array_len < 0) {
		struct cc_type *t = cc_type_array(u, cc_type_base(var->type), len < 0 ? 0 : len);

		var->type = t;
	}
	list->args = st.head.next;
	list->type = var->type;
	return list;
}
