/* sema_record.c - struct, union and enum specifiers: tags in scope, member lists with
 * bitfields and anonymous members, layout once the body is closed (packed, aligned,
 * preserve_access_index), and enumerators with their values and the enum's width. */
#include <config.h>

#include <string.h>

#include "sema_int.h"

static enum cc_type_kind record_kind(struct cc_token *keyword)
{
	return keyword->text[0] == 's' ? TY_STRUCT : TY_UNION;
}

static struct cc_type *new_tagged(struct cc_unit *u, enum cc_type_kind kind,
				  struct cc_token *tag, struct cc_loc loc)
{
	struct cc_type *t = cc_type_new(u, kind, -1, 1);

	t->name = tag ? tag->text : NULL;
	t->loc = loc;
	if (tag)
		scope_add(u, tag->text, SCOPE_TAG)->type = t;
	return t;
}

/* `struct tag` without a body; `struct tag;` alone declares it in this scope. */
struct cc_type *sema_record_reference(struct cc_unit *u, struct cc_token *keyword,
				      struct cc_token *tag, bool declaration_only)
{
	enum cc_type_kind kind = record_kind(keyword);
	struct scope_entry *e = declaration_only ? scope_find_local(u, tag->text, true)
						 : scope_find(u, tag->text, true);

	if (e && e->type->kind == kind)
		return e->type;
	if (e && !declaration_only)
		cc_error(u, tag->loc, "use of '%s' with tag type that does not match "
			 "previous declaration", tag->text);
	return new_tagged(u, kind, tag, keyword->loc);
}

/* At the '{' of a body: the type the members go to (attributes written before the
 * tag apply to it as those after the body do). */
struct cc_type *sema_record_begin(struct cc_unit *u, struct cc_token *keyword,
				  struct cc_token *tag, struct cc_token *brace,
				  struct cc_attrs *leading)
{
	enum cc_type_kind kind = record_kind(keyword);
	struct scope_entry *e = tag ? scope_find_local(u, tag->text, true) : NULL;
	struct cc_type *t = NULL;

	if (e && e->type->kind == kind)
		t = e->type;
	else if (e)
		cc_error(u, tag->loc, "use of '%s' with tag type that does not match "
			 "previous declaration", tag->text);
	if (!t)
		t = new_tagged(u, kind, tag, keyword->loc);
	if (t->being_defined) {
		/* `union v { union v { ... }; }`: the body goes to a fresh, unnamed type so
		 * that the outer one can never contain itself */
		cc_error(u, tag ? tag->loc : keyword->loc, "nested redefinition of '%s'", t->name);
		t = cc_type_new(u, kind, -1, 1);
		t->loc = keyword->loc;
	} else if (t->defined && t->members) {
		cc_error(u, tag ? tag->loc : keyword->loc, "redefinition of '%s %s'",
			 kind == TY_STRUCT ? "struct" : "union", t->name);
	}
	t->being_defined = true;
	t->preserve_access = brace->preserve_access ||
			     (leading && leading->preserve_access_index);
	t->is_packed = leading && leading->packed;
	t->pragma_pack = brace->pack;
	if (leading)
		t->decl_tags = leading->decl_tags;
	return t;
}

void sema_record_end(struct cc_unit *u, struct cc_type *t, struct member_list *members,
		     struct cc_attrs *attrs)
{
	t->being_defined = false;
	t->members = members ? members->head : NULL;
	for (struct cc_member *m = t->members; m; m = m->next)
		if (m->type->kind == TY_ARRAY && cc_type_root(m->type)->array_len < 0)
			t->is_flexible = true;
	t->is_packed |= attrs && attrs->packed; /* or packed before the tag */
	if (attrs) /* after the body, with those before the tag */
		t->decl_tags = sema_tags_join(u, t->decl_tags, attrs->decl_tags);
	t->preserve_access |= attrs && attrs->preserve_access_index;
	cc_type_layout(u, t, attrs ? attrs->aligned : 0);
}

static void append(struct member_list *list, struct cc_member *m)
{
	if (list->tail)
		list->tail->next = m;
	else
		list->head = m;
	list->tail = m;
}

static void bitfield(struct cc_unit *u, struct cc_member *m, struct cc_node *width_expr)
{
	int64_t width = sema_const_value(u, width_expr);
	int64_t bits = cc_type_size(m->type) * 8;

	m->is_bitfield = true;
	if (!cc_type_is_integer(m->type) || bits <= 0) {
		cc_error(u, m->loc, "bit-field '%s' has non-integral type '%s'",
			 m->name ? m->name : "", cc_type_describe(u, m->type));
		m->type = &cc_type_int;
		bits = 32;
	}
	if (width < 0 || width > bits || (width == 0 && m->name)) {
		cc_error(u, m->loc, "invalid width %lld of bit-field '%s'", (long long)width,
			 m->name ? m->name : "");
		width = 1;
	}
	m->bit_width = (unsigned)width;
}

/* One member declarator: `d`, `d : width` or `: width` (d NULL). */
void sema_member_add(struct cc_unit *u, struct member_list *list, struct decl_spec *spec,
		     struct declarator *d, struct cc_node *width, struct cc_loc loc)
{
	struct cc_member *m = cc_alloc(u->arena, sizeof(*m));

	if (spec->storage != SC_NONE)
		cc_error(u, spec->loc, "storage class not allowed in a member declaration");
	m->loc = d ? d->loc : loc;
	sema_spec_implicit_int(u, spec, d, loc);
	if (d) { /* the member's own packed / aligned(N), in its specifiers or declarator */
		m->is_packed = d->attrs.packed || spec->attrs.packed;
		m->aligned = d->attrs.aligned > spec->attrs.aligned ? d->attrs.aligned
								      : spec->attrs.aligned;
		m->decl_tags = sema_decl_tags(u, &d->attrs, &spec->attrs);
	}
	m->type = sema_declarator_type(u, sema_spec_finish(u, spec), d);
	m->name = d && d->name ? d->name->text : NULL;
	if (width)
		bitfield(u, m, width);
	append(list, m);
}

/* An anonymous struct or union member (`struct { int a; };` inside a record). */
void sema_member_anonymous(struct cc_unit *u, struct member_list *list,
			   struct decl_spec *spec, struct cc_loc loc)
{
	struct cc_member *m = cc_alloc(u->arena, sizeof(*m));

	m->type = sema_spec_finish(u, spec);
	m->loc = loc;
	append(list, m);
}

/* ---- enums ---- */

static struct cc_type *new_enum(struct cc_unit *u, struct cc_token *tag)
{
	struct cc_type *t = cc_type_new(u, TY_ENUM, 4, 4);

	t->name = tag ? tag->text : NULL;
	t->is_unsigned = true;
	if (tag)
		scope_add(u, tag->text, SCOPE_TAG)->type = t;
	return t;
}

struct cc_type *sema_enum_reference(struct cc_unit *u, struct cc_token *tag)
{
	struct scope_entry *e = scope_find(u, tag->text, true);

	if (e && e->type->kind == TY_ENUM)
		return e->type;
	return new_enum(u, tag);
}

/* `enum tag : base {`: the body's state; a fixed underlying type sets the size. */
struct enum_state *sema_enum_begin(struct cc_unit *u, struct cc_token *tag,
				   struct cc_type *base)
{
	struct enum_state *e = cc_alloc(u->arena, sizeof(*e));

	e->type = tag ? sema_enum_reference(u, tag) : new_enum(u, NULL);
	if (base) {
		e->type->size = cc_type_size(base);
		e->type->align = cc_type_align(base);
	}
	return e;
}

/* An enumerator is in scope from its own declaration on (the next may use it). */
void sema_enumerator(struct cc_unit *u, struct enum_state *e, struct cc_token *name,
		     struct cc_node *value)
{
	struct cc_member *m = cc_alloc(u->arena, sizeof(*m));
	struct scope_entry *entry;

	if (value)
		e->next = sema_const_value(u, value);
	entry = scope_add(u, name->text, SCOPE_ENUM_CONST);
	entry->value = e->next;
	entry->type = e->type;
	m->name = name->text;
	m->offset = (uint64_t)e->next; /* the enumerator's value */
	m->next = e->type->members;
	e->type->members = m;
	if (e->next < e->min)
		e->min = e->next;
	if (e->next > e->max)
		e->max = e->next;
	e->next++;
}

/* The size of a packed enum: the smallest integer holding all its values. */
static int64_t packed_size(int64_t min, int64_t max)
{
	if (min >= 0)
		return max <= UINT8_MAX ? 1 : max <= UINT16_MAX ? 2 : max <= UINT32_MAX ? 4 : 8;
	if (min >= INT8_MIN && max <= INT8_MAX)
		return 1;
	if (min >= INT16_MIN && max <= INT16_MAX)
		return 2;
	return min >= INT32_MIN && max <= INT32_MAX ? 4 : 8;
}

struct cc_type *sema_enum_end(struct cc_unit *u, struct enum_state *e, struct cc_attrs *attrs)
{
	struct cc_type *t = e->type;
	struct cc_member *rev = NULL;

	(void)u;
	for (struct cc_member *m = t->members, *n; m; m = n) { /* into declaration order */
		n = m->next;
		m->next = rev;
		rev = m;
	}
	t->members = rev;
	t->is_unsigned = e->min >= 0;
	if (e->max > UINT32_MAX || e->min < INT32_MIN) {
		t->size = 8;
		t->align = 8;
	}
	if (e->packed || (attrs && attrs->packed)) {
		t->size = packed_size(e->min, e->max);
		t->align = (int)t->size;
	}
	t->defined = true;
	return t;
}
