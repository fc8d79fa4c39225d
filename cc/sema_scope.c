/* sema_scope.c - block scopes: names of objects, functions, typedefs, enumerators and
 * tags, looked up by interned pointer; the grammar's lexer feedback asks here whether
 * an identifier names a type. */
#include <config.h>

#include "sema_int.h"

static size_t hash_name(const char *name, size_t buckets)
{
	return ((uintptr_t)name >> 4) % buckets;
}

void scope_push(struct cc_unit *u)
{
	struct cc_scope *s = cc_alloc(u->arena, sizeof(*s));

	s->parent = u->scope;
	s->bucket_count = u->scope ? 31 : 8191;
	s->buckets = cc_alloc(u->arena, s->bucket_count * sizeof(*s->buckets));
	u->scope = s;
}

void scope_pop(struct cc_unit *u)
{
	if (u->scope->parent)
		u->scope = u->scope->parent;
}

struct scope_entry *scope_add(struct cc_unit *u, const char *name, enum scope_kind kind)
{
	struct cc_scope *s = u->scope;
	struct scope_entry *e = cc_alloc(u->arena, sizeof(*e));
	size_t h = hash_name(name, s->bucket_count);

	e->name = name;
	e->kind = kind;
	e->next = s->buckets[h];
	s->buckets[h] = e;
	return e;
}

static struct scope_entry *find_in(struct cc_scope *s, const char *name, bool tags)
{
	for (struct scope_entry *e = s->buckets[hash_name(name, s->bucket_count)]; e; e = e->next)
		if (e->name == name && (e->kind == SCOPE_TAG) == tags)
			return e;
	return NULL;
}

struct scope_entry *scope_find(struct cc_unit *u, const char *name, bool tags)
{
	for (struct cc_scope *s = u->scope; s; s = s->parent) {
		struct scope_entry *e = find_in(s, name, tags);

		if (e)
			return e;
	}
	return NULL;
}

struct scope_entry *scope_find_local(struct cc_unit *u, const char *name, bool tags)
{
	return find_in(u->scope, name, tags);
}

/* CC_WORD_TYPEDEF lets parse.c skip the scope walk for names never declared as a
 * typedef. */
struct cc_type *sema_add_typedef(struct cc_unit *u, const char *name, struct cc_type *type)
{
	struct cc_type *t = cc_type_derive(u, type, STEP_TYPEDEF, name);

	scope_add(u, name, SCOPE_TYPEDEF)->type = t;
	((unsigned char *)name)[-1] |= CC_WORD_TYPEDEF;
	return t;
}
