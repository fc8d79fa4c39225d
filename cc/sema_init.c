/* sema_init.c - initializers laid over the object's type: braces, designators (.field,
 * [index], [first ... last], chains of both), brace elision, string literals for char
 * arrays. The result is an ND_INIT_LIST whose `args` are leaves: one value per scalar
 * (or whole-aggregate copy) with its byte offset in the object, so globals become
 * bytes and locals become stores. */
#include <config.h>

#include <string.h>

#include "sema_int.h"

struct init_state {
	struct cc_node head;   /* leaves, in order */
	struct cc_node *tail;
};

static void init_into(struct cc_unit *u, struct init_state *st, struct cc_type *type,
		      uint64_t offset, struct init_item *item, int64_t *array_len);

struct init_item *sema_init_item(struct cc_unit *u, struct cc_node *expr,
				 struct init_item *list, struct cc_loc loc)
{
	struct init_item *i = cc_alloc(u->arena, sizeof(*i));

	i->expr = expr;
	i->list = list;
	i->loc = loc;
	return i;
}

struct designator *sema_designator(struct cc_unit *u, struct cc_token *member,
				   struct cc_node *first, struct cc_node *last, struct cc_loc loc)
{
	struct designator *d = cc_alloc(u->arena, sizeof(*d));

	d->loc = loc;
	if (member) {
		d->member = member->text;
		return d;
	}
	d->first = sema_const_value(u, first);
	d->last = last ? sema_const_value(u, last) : d->first;
	if (d->last < d->first) {
		cc_error(u, loc, "array designator range [%lld, %lld] is empty",
			 (long long)d->first, (long long)d->last);
		d->last = d->first;
	}
	return d;
}

static void add_leaf(struct cc_unit *u, struct init_state *st, struct cc_node *value,
		     struct cc_type *type, uint64_t offset, struct cc_member *member)
{
	struct cc_node *leaf;

	if (value->next || value == st->tail) { /* repeated by a range designator */
		struct cc_node *copy = new_node(u, value->kind, value->loc);

		*copy = *value;
		copy->next = NULL;
		value = copy;
	}
	leaf = convert_for_assign(u, value, type);
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

/* A string literal's anonymous array (sema_string). */
static bool is_string(struct cc_node *n)
{
	return n && n->kind == ND_VAR && n->var->name && !strncmp(n->var->name, ".str.", 5) &&
	       n->var->init;
}

/* A string literal used to initialize an array is not an object of its own (unless
 * the same string is also used elsewhere: sema_string shares one array). */
static void forget_string(struct cc_unit *u, struct cc_var *var)
{
	struct cc_var *prev = NULL;

	if (--var->use_count > 0)
		return;

	for (struct cc_var *v = u->globals; v; prev = v, v = v->next) {
		if (v != var)
			continue;
		if (prev)
			prev->next = v->next;
		else
			u->globals = v->next;
		if (u->globals_tail == v) {
			u->globals_tail = prev;
			u->anon_count--; /* its name was the last one handed out */
		}
		return;
	}
}

static void string_into(struct cc_unit *u, struct init_state *st, struct cc_type *t,
			uint64_t offset, struct cc_node *string, int64_t *array_len)
{
	int64_t len = cc_type_root(t)->array_len;
	int64_t n = cc_type_size(string->var->type); /* with the terminating NUL */
	struct cc_node *byte = string->var->init->args;

	forget_string(u, string->var);
	if (len < 0)
		len = n;
	if (array_len)
		*array_len = len;
	for (int64_t i = 0; i < n && i < len && byte; i++, byte = byte->next)
		add_leaf(u, st, new_num(u, byte->value, &cc_type_char, string->loc),
			 cc_type_base(t), offset + (uint64_t)i, NULL);
}

static struct cc_node *item_value(struct cc_unit *u, struct init_item *item);

/* The subobject a designator list names, initialized from item; a range designator
 * [first ... last] initializes each element it covers. */
static void designated_into(struct cc_unit *u, struct init_state *st, struct cc_type *type,
			    uint64_t offset, struct designator *d, struct init_item *item,
			    struct cc_member *member)
{
	struct cc_type *elem;
	int64_t esize, len;

	if (!d) {
		if (member && member->is_bitfield)
			add_leaf(u, st, item_value(u, item), type, offset, member);
		else
			init_into(u, st, type, offset, item, NULL);
		return;
	}
	if (d->member) {
		uint64_t off = 0;
		struct cc_member *m = cc_type_find_member(type, d->member, &off);

		if (!m) {
			cc_error(u, d->loc, "field designator '%s' does not refer to any field in "
				 "type '%s'", d->member, cc_type_describe(u, type));
			return;
		}
		designated_into(u, st, m->type, offset + off, d->next, item, m);
		return;
	}
	if (type->kind != TY_ARRAY) {
		cc_error(u, d->loc, "array designator on non-array type '%s'",
			 cc_type_describe(u, type));
		return;
	}
	elem = cc_type_base(type);
	esize = cc_type_size(elem);
	len = cc_type_root(type)->array_len;
	for (int64_t idx = d->first; idx <= d->last; idx++) {
		if (len >= 0 && idx >= len) {
			cc_error(u, d->loc, "array designator index (%lld) exceeds array bounds "
				 "(%lld)", (long long)idx, (long long)len);
			return;
		}
		designated_into(u, st, elem, offset + (uint64_t)(idx * esize), d->next, item, NULL);
	}
}

static void array_braced(struct cc_unit *u, struct init_state *st, struct cc_type *t,
			 uint64_t offset, struct init_item *list, int64_t *array_len)
{
	struct cc_type *elem = cc_type_base(t);
	int64_t esize = cc_type_size(elem), idx = 0, max = 0;
	int64_t len = cc_type_root(t)->array_len;

	for (struct init_item *item = list; item; item = item->next) {
		if (item->designators && item->designators->member) {
			cc_error(u, item->designators->loc, "field designator '%s' on array type "
				 "'%s'", item->designators->member, cc_type_describe(u, t));
			continue;
		}
		if (item->designators) {
			designated_into(u, st, t, offset, item->designators, item, NULL);
			idx = item->designators->last + 1;
		} else if (len >= 0 && idx >= len) {
			cc_error(u, item->loc, "excess elements in array initializer");
			idx++;
		} else {
			init_into(u, st, elem, offset + (uint64_t)(idx * esize), item, NULL);
			idx++;
		}
		if (idx > max)
			max = idx;
	}
	if (array_len)
		*array_len = len >= 0 ? len : max;
}

/* The value of an item written where a scalar is expected: `{ v }` is v. */
static struct cc_node *item_value(struct cc_unit *u, struct init_item *item)
{
	while (!item->expr && item->list)
		item = item->list;
	return item->expr ? item->expr : new_num(u, 0, &cc_type_int, item->loc);
}

/* The member after top-level member dm, or NULL (dm deeper or the last). */
static struct cc_member *member_after(struct cc_type *t, struct cc_member *dm)
{
	for (struct cc_member *m = cc_type_root(t)->members; m && dm; m = m->next)
		if (m == dm)
			return m->next;
	return NULL;
}

static void record_braced(struct cc_unit *u, struct init_state *st, struct cc_type *t,
			  uint64_t offset, struct init_item *list)
{
	struct cc_member *m = cc_type_root(t)->members;

	for (struct init_item *item = list; item; item = item->next) {
		if (item->designators) {
			struct cc_member *dm = NULL;
			uint64_t off = 0;

			designated_into(u, st, t, offset, item->designators, item, NULL);
			if (item->designators->member) /* continue after the designated member */
				dm = cc_type_find_member(t, item->designators->member, &off);
			m = member_after(t, dm);
			continue;
		}
		if (!m) {
			cc_error(u, item->loc, "excess elements in %s initializer",
				 t->kind == TY_UNION ? "union" : "struct");
			continue;
		}
		while (m && m->is_bitfield && !m->name)
			m = m->next;
		if (m && m->is_bitfield)
			add_leaf(u, st, item_value(u, item), m->type, offset + m->offset, m);
		else if (m)
			init_into(u, st, m->type, offset + m->offset, item, NULL);
		m = m && t->kind != TY_UNION ? m->next : NULL;
	}
}

static void braced_into(struct cc_unit *u, struct init_state *st, struct cc_type *type,
			uint64_t offset, struct init_item *list, int64_t *array_len)
{
	if (type->kind == TY_ARRAY && is_char_array(type) && list && !list->designators &&
	    is_string(list->expr))
		string_into(u, st, type, offset, list->expr, array_len);
	else if (type->kind == TY_ARRAY)
		array_braced(u, st, type, offset, list, array_len);
	else if (type->kind == TY_STRUCT || type->kind == TY_UNION)
		record_braced(u, st, type, offset, list);
	else if (list)
		add_leaf(u, st, item_value(u, list), type, offset, NULL);
}

static void init_into(struct cc_unit *u, struct init_state *st, struct cc_type *type,
		      uint64_t offset, struct init_item *item, int64_t *array_len)
{
	struct cc_node *value = item->expr;

	if (!value) {
		braced_into(u, st, type, offset, item->list, array_len);
		return;
	}
	if (type->kind == TY_ARRAY && is_char_array(type) && is_string(value)) {
		string_into(u, st, type, offset, value, array_len);
		return;
	}
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

/* The initializer of `var`, completing an incomplete array type. */
struct cc_node *sema_initializer(struct cc_unit *u, struct cc_var *var,
				 struct init_item *init)
{
	struct init_state st = { 0 };
	struct cc_node *list = new_node(u, ND_INIT_LIST, init->loc);
	int64_t len = -1;

	st.tail = &st.head;
	init_into(u, &st, var->type, 0, init, &len);
	if (var->type->kind == TY_ARRAY && cc_type_root(var->type)->array_len < 0)
		var->type = cc_type_array(u, cc_type_base(var->type), len < 0 ? 0 : len);
	list->args = st.head.next;
	list->type = var->type;
	return list;
}
