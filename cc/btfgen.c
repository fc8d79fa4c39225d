/* btfgen.c - BTF for what the object uses, through libobjfmt's BTF builder: the types
 * reached (typedefs and qualifiers kept, structs with bitfields, enums, prototypes),
 * a named struct or union behind a pointer inside a member only as a FWD unless it is
 * needed in full elsewhere (as clang does), FUNC per function, VAR + DATASEC per data
 * section (.maps with full key/value types), and .BTF.ext func_info plus line_info. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen_int.h"

/* A derived type (pointer, typedef, qualifier) whose pointee record is decided at the
 * end: the record's full id if it was emitted in full, a FWD otherwise. */
struct cc_btf_fixup {
	uint32_t id;            /* the derived type's BTF id */
	struct cc_type *record; /* the named struct or union it points at */
	struct cc_type *tags;   /* a pointer's btf_type_tags down to the record, or NULL */
};

/* One spelling of a pointer, qualifier, type tag or array type: the key under which
 * copies made by separate declarations are one BTF type, as clang's uniqued debug
 * types are. */
struct unique_key {
	int code;               /* STEP_* of a copy, or STEP_TYPE_TAG + 1 + TY_PTR/TY_ARRAY */
	struct cc_type *base;   /* the (unique) type it derives from */
	const char *tag;        /* STEP_TYPE_TAG: its string */
	int64_t length;         /* TY_ARRAY: its element count */
	struct cc_type *function; /* TY_FUNC: the prototype (its parameters compared) */
};

struct unique_entry {
	struct unique_key key;
	struct cc_type *type;   /* NULL: an empty slot */
};

/* The BTF VAR (FUNC for a function) of a global, made before the DATASEC listing it. */
struct var_id {
	struct cc_var *var;
	uint32_t id;
};

/* btfgen's working tables while cc_btf_finish runs. */
struct cc_btf_state {
	struct cc_btf_fixup *fixups;  /* open pointees, in the order they were left open */
	size_t fixup_count, fixup_capacity;
	struct unique_entry *unique;  /* open-addressed table of the unique types */
	struct var_id *var_ids;       /* the VAR or FUNC made for each global */
	size_t var_count, var_capacity;
	size_t unique_count, unique_capacity; /* capacity: a power of two */
};

static uint32_t visit(struct cc_unit *u, struct cc_type *t, bool member, bool pointer);

static struct cc_type *const basic_types[] = {
	&cc_type_void, &cc_type_bool, &cc_type_char, &cc_type_schar, &cc_type_uchar,
	&cc_type_short, &cc_type_ushort, &cc_type_int, &cc_type_uint, &cc_type_long,
	&cc_type_ulong, &cc_type_llong, &cc_type_ullong,
};
static const char *const basic_names[] = {
	"void", "_Bool", "char", "signed char", "unsigned char", "short", "unsigned short",
	"int", "unsigned int", "long", "unsigned long", "long long", "unsigned long long",
};

static int basic_index(struct cc_type *t)
{
	for (size_t i = 0; i < sizeof(basic_types) / sizeof(basic_types[0]); i++)
		if (basic_types[i] == t)
			return (int)i;
	return -1;
}

static uint32_t add_checked(struct cc_unit *u, int id)
{
	if (id < 0) {
		u->errors++;
		return 0;
	}
	return (uint32_t)id;
}

static uint32_t basic(struct cc_unit *u, struct cc_type *t)
{
	int i = basic_index(t);
	uint32_t enc = 0;

	if (i == 0)
		return 0;
	if (u->btf_basic[i])
		return u->btf_basic[i];
	if (t->kind == TY_BOOL)
		enc = OBJFMT_BTF_INT_BOOL;
	else if (!t->is_unsigned)
		enc = OBJFMT_BTF_INT_SIGNED;
	u->btf_basic[i] = add_checked(u, objfmt_btf__add_int(u->btf, basic_names[i],
							     (uint32_t)t->size, enc));
	return u->btf_basic[i];
}

static uint32_t array_index_type(struct cc_unit *u)
{
	if (!u->btf_array_index)
		u->btf_array_index = add_checked(u, objfmt_btf__add_int(u->btf,
									"__ARRAY_SIZE_TYPE__", 4, 0));
	return u->btf_array_index;
}

/* DECL_TAG records of a declaration (`component` -1) or of member / parameter number
 * `component` of `target`, placed after it as clang places them. */
static void decl_tags(struct cc_unit *u, const struct cc_decl_tags *tags, uint32_t target,
		      int32_t component)
{
	for (unsigned i = 0; tags && i < tags->count; i++) {
		struct objfmt_btf_type bt = { .kind = OBJFMT_BTF_DECL_TAG, .name = tags->value[i],
					      .type = target, .component_idx = component };

		add_checked(u, objfmt_btf__add(u->btf, &bt));
	}
}

static uint32_t record(struct cc_unit *u, struct cc_type *t)
{
	int32_t index = 0;
	struct objfmt_btf_type bt = { 0 };
	uint32_t id;

	bt.name = t->name ? t->name : "";
	if (!t->defined || t->size < 0) {
		bt.kind = OBJFMT_BTF_FWD;
		bt.kind_flag = t->kind == TY_UNION;
		return t->btf_id = add_checked(u, objfmt_btf__add(u->btf, &bt));
	}
	bt.kind = t->kind == TY_STRUCT ? OBJFMT_BTF_STRUCT : OBJFMT_BTF_UNION;
	bt.size = (uint32_t)t->size;
	for (struct cc_member *m = t->members; m; m = m->next)
		if (m->is_bitfield)
			bt.kind_flag = true;
	id = t->btf_id = add_checked(u, objfmt_btf__add(u->btf, &bt));
	decl_tags(u, t->decl_tags, id, -1);
	for (struct cc_member *m = t->members; m; m = m->next) {
		struct objfmt_btf_member bm = { 0 };

		if (m->is_bitfield && !m->name)
			continue; /* unnamed padding bitfield */
		bm.name = m->name ? m->name : "";
		bm.type = visit(u, m->type, true, false);
		bm.bit_offset = (uint32_t)(m->offset * 8 + m->bit_offset);
		bm.bitfield = m->is_bitfield ? m->bit_width : 0;
		if (objfmt_btf__add_member(u->btf, id, &bm) < 0)
			u->errors++;
		decl_tags(u, m->decl_tags, id, index++);
	}
	return id;
}

static uint32_t enumeration(struct cc_unit *u, struct cc_type *t)
{
	struct objfmt_btf_type bt = { 0 };
	uint32_t id;

	bt.name = t->name ? t->name : "";
	bt.kind = t->size == 8 ? OBJFMT_BTF_ENUM64 : OBJFMT_BTF_ENUM;
	bt.size = (uint32_t)t->size;
	bt.kind_flag = !t->is_unsigned; /* a negative enumerator: signed, as clang marks it */
	id = t->btf_id = add_checked(u, objfmt_btf__add(u->btf, &bt));
	for (struct cc_member *m = t->members; m; m = m->next) {
		struct objfmt_btf_member bm = { 0 };

		bm.name = m->name;
		bm.value = (int64_t)m->offset;
		if (objfmt_btf__add_member(u->btf, id, &bm) < 0)
			u->errors++;
	}
	return id;
}

/* A FUNC_PROTO for function type `t`, added before its return type as clang adds it;
 * parameter names only for a function defined here (clang's are from its arguments). */
static uint32_t function_prototype(struct cc_unit *u, struct cc_type *t, bool named)
{
	struct objfmt_btf_type bt = { .kind = OBJFMT_BTF_FUNC_PROTO, .name = "" };
	uint32_t id = add_checked(u, objfmt_btf__add(u->btf, &bt));
	uint32_t ret = cc_btf_type(u, t->base);

	if (!id)
		return 0;
	objfmt_btf__type_mut(u->btf, id)->type = ret;
	for (struct cc_param *p = t->params; p; p = p->next) {
		struct objfmt_btf_member bm = { .name = named && p->name ? p->name : "" };

		bm.type = cc_btf_type(u, p->type);
		if (objfmt_btf__add_member(u->btf, id, &bm) < 0)
			u->errors++;
	}
	if (t->is_variadic) {
		struct objfmt_btf_member bm = { .name = "" };

		if (objfmt_btf__add_member(u->btf, id, &bm) < 0)
			u->errors++;
	}
	return id;
}

/* The prototype a function pointer points at: one per type, unnamed parameters. */
static uint32_t prototype(struct cc_unit *u, struct cc_type *t)
{
	t->btf_id = function_prototype(u, t, false);
	return t->btf_id;
}

/* Pointers, typedefs and qualifiers: the types LLVM's emitter calls derived. */
static bool is_derived(struct cc_type *t)
{
	return t->step != STEP_NONE || t->kind == TY_PTR;
}

static struct cc_type *derived_base(struct cc_type *t)
{
	return t->step != STEP_NONE ? t->origin : t->base;
}

/* The types uniqued: pointers, arrays and the copies of qualifiers and type tags
 * (typedefs are declared once; records, enums and prototypes keep their identity). */
static bool is_uniqued(struct cc_type *t)
{
	if (t->step != STEP_NONE)
		return t->step != STEP_TYPEDEF;
	return t->kind == TY_PTR || t->kind == TY_ARRAY || t->kind == TY_FUNC;
}

static uint64_t key_hash(const struct unique_key *k)
{
	uint64_t hash = (uint64_t)(uintptr_t)k->base * 0x9e3779b97f4a7c15ull;

	hash ^= (uint64_t)k->code * 0xff51afd7ed558ccdull ^ (uint64_t)k->length;
	for (const char *c = k->tag; c && *c; c++)
		hash = (hash ^ (unsigned char)*c) * 1099511628211ull;
	return hash ^ hash >> 29;
}

static struct unique_key key_of(struct cc_type *t, struct cc_type *base)
{
	struct unique_key k = { .code = t->step, .base = base, .tag = t->type_tag };

	if (t->step == STEP_NONE) {
		k.code = STEP_TYPE_TAG + 1 + (int)t->kind;
		k.length = t->array_len;
	}
	if (t->step == STEP_NONE && t->kind == TY_FUNC) {
		k.function = t;
		k.length = t->is_variadic;
		for (struct cc_param *p = t->params; p; p = p->next)
			k.length = k.length * 31 + 1;
	}
	return k;
}

static struct cc_type *unique(struct cc_unit *u, struct cc_type *t);

/* Whether two prototypes take the same (unique) parameter types. */
static bool same_parameters(struct cc_unit *u, struct cc_type *a, struct cc_type *b)
{
	struct cc_param *p = a->params, *q = b->params;

	for (; p && q; p = p->next, q = q->next)
		if (unique(u, p->type) != unique(u, q->type))
			return false;
	return !p && !q && a->is_variadic == b->is_variadic;
}

static bool same_key(struct cc_unit *u, const struct unique_key *a, const struct unique_key *b)
{
	return a->code == b->code && a->base == b->base && a->length == b->length &&
	       (a->tag == b->tag || (a->tag && b->tag && !strcmp(a->tag, b->tag))) &&
	       (a->function == b->function || (a->function && b->function &&
						same_parameters(u, a->function, b->function)));
}

/* Doubles the table; false when out of memory. */
static bool grow_unique(struct cc_btf_state *state)
{
	size_t capacity = state->unique_capacity ? 2 * state->unique_capacity : 1024;
	struct unique_entry *table = calloc(capacity, sizeof(*table));

	if (!table)
		return false;
	for (size_t i = 0; i < state->unique_capacity; i++) {
		struct unique_entry *e = &state->unique[i];
		size_t slot = (size_t)key_hash(&e->key) & (capacity - 1);

		if (!e->type)
			continue;
		while (table[slot].type)
			slot = (slot + 1) & (capacity - 1);
		table[slot] = *e;
	}
	free(state->unique);
	state->unique = table;
	state->unique_capacity = capacity;
	return true;
}

/* The one copy of `t` that carries its BTF id: the first one met with its key. Out of
 * memory, `t` itself (a duplicate type in the output, still a valid one). */
static struct cc_type *unique(struct cc_unit *u, struct cc_type *t)
{
	struct cc_btf_state *state = u->btf_state;
	struct cc_type *base = t->step != STEP_NONE ? t->origin : t->base;
	struct unique_key key;
	size_t slot;

	if (!is_uniqued(t) || !base)
		return t;
	if (t->step == STEP_VOLATILE && base->step == STEP_CONST) {
		/* clang's debug types put const outside volatile, whatever the spelling */
		struct cc_type *inner = cc_type_derive(u, base->origin, STEP_VOLATILE, NULL);
		struct cc_type *outer = inner ? cc_type_derive(u, inner, STEP_CONST, NULL) : NULL;

		if (outer)
			return unique(u, outer);
	}
	for (struct cc_param *p = t->step == STEP_NONE && t->kind == TY_FUNC ? t->params : NULL;
	     p; p = p->next)
		unique(u, p->type); /* now, so comparing parameters below adds nothing */
	key = key_of(t, unique(u, base));
	if (2 * (state->unique_count + 1) > state->unique_capacity && !grow_unique(state))
		return t;
	slot = (size_t)key_hash(&key) & (state->unique_capacity - 1);
	for (; state->unique[slot].type; slot = (slot + 1) & (state->unique_capacity - 1))
		if (same_key(u, &state->unique[slot].key, &key))
			return state->unique[slot].type;
	state->unique[slot] = (struct unique_entry){ key, t };
	state->unique_count++;
	return t;
}

/* A named, defined struct or union: behind a pointer in a member it may become a FWD. */
static bool is_fwd_candidate(struct cc_type *t)
{
	return t && t->step == STEP_NONE && (t->kind == TY_STRUCT || t->kind == TY_UNION) &&
	       t->name && t->name[0] && t->defined && t->size >= 0;
}

static bool is_emitted(struct cc_unit *u, struct cc_type *t)
{
	int i;

	if (t->btf_id)
		return true;
	i = basic_index(t);
	return i == 0 || (i > 0 && u->btf_basic[i]);
}

/* The BTF type of pointer, typedef or qualifier `t` pointing at `target` (a typedef's
 * DECL_TAGs after it); its id is cached in `t`. */
static uint32_t add_derived(struct cc_unit *u, struct cc_type *t, uint32_t target)
{
	struct objfmt_btf_type bt = { .name = "", .type = target };
	int id;

	if (t->step == STEP_TYPEDEF) {
		id = objfmt_btf__add_typedef(u->btf, t->name, target);
	} else if (t->step == STEP_NONE) {
		id = objfmt_btf__add_ptr(u->btf, target);
	} else {
		bt.kind = t->step == STEP_CONST ? OBJFMT_BTF_CONST : t->step == STEP_TYPE_TAG
			  ? OBJFMT_BTF_TYPE_TAG : OBJFMT_BTF_VOLATILE;
		bt.name = t->step == STEP_TYPE_TAG ? t->type_tag : "";
		id = objfmt_btf__add(u->btf, &bt);
	}
	t->btf_id = add_checked(u, id);
	if (t->step == STEP_TYPEDEF && t->btf_id)
		decl_tags(u, t->decl_tags, t->btf_id, -1);
	return t->btf_id;
}

/* What pointer `t` points at below its btf_type_tags (clang keeps them on the pointer). */
static struct cc_type *below_tags(struct cc_type *t)
{
	struct cc_type *b = t->base;

	while (b && b->step == STEP_TYPE_TAG)
		b = b->origin;
	return b;
}

/* The TYPE_TAGs from `tag` down to (not including) `stop`, made innermost first as
 * clang makes them, the innermost pointing at `target`; returns the outermost id and
 * sets `innermost`. */
static uint32_t add_tags(struct cc_unit *u, struct cc_type *tag, struct cc_type *stop,
			 uint32_t target, uint32_t *innermost)
{
	struct cc_type *chain[32];
	size_t count = 0;
	uint32_t id = target;

	for (; tag != stop && count < sizeof(chain) / sizeof(chain[0]); tag = tag->origin)
		chain[count++] = tag;
	*innermost = 0;
	while (count-- > 0) {
		struct objfmt_btf_type bt = { .kind = OBJFMT_BTF_TYPE_TAG,
					      .name = chain[count]->type_tag, .type = id };

		id = add_checked(u, objfmt_btf__add(u->btf, &bt));
		if (!*innermost)
			*innermost = id;
	}
	return id;
}

/* A derived type whose pointee record is left open (type 0) and set at the end. */
static uint32_t add_fixup(struct cc_unit *u, struct cc_type *t)
{
	struct cc_btf_state *state = u->btf_state;

	if (state->fixup_count == state->fixup_capacity) {
		size_t capacity = state->fixup_capacity ? 2 * state->fixup_capacity : 64;
		struct cc_btf_fixup *grown = realloc(state->fixups, capacity * sizeof(*grown));

		if (!grown) {
			u->errors++;
			return 0;
		}
		state->fixups = grown;
		state->fixup_capacity = capacity;
	}
	add_derived(u, t, 0);
	if (t->step == STEP_NONE)
		state->fixups[state->fixup_count++] = (struct cc_btf_fixup){
			t->btf_id, below_tags(t), t->base != below_tags(t) ? t->base : NULL };
	else
		state->fixups[state->fixup_count++] = (struct cc_btf_fixup){
			t->btf_id, derived_base(t), NULL };
	return t->btf_id;
}

/* `t` was emitted before, maybe with its record left open behind a pointer; reached
 * now outside that context, the first type not yet emitted down its chain of derived
 * types is emitted (so a record reached directly comes in full). */
static void complete_chain(struct cc_unit *u, struct cc_type *t, bool member, bool pointer)
{
	while (is_derived(t)) {
		struct cc_type *base = t->step == STEP_NONE ? below_tags(t) : derived_base(t);

		if (!base)
			return;
		base = unique(u, base);
		if (is_emitted(u, base)) {
			t = base;
			continue;
		}
		if (member && t->step == STEP_NONE) {
			pointer = true;
			if (is_fwd_candidate(base))
				return;
		}
		visit(u, base, member, pointer);
		return;
	}
}

/* BTF id of `t`, adding it (and what it references) on first use. `member`: reached
 * from a struct or union member; `pointer`: and through a pointer there. */
static uint32_t visit(struct cc_unit *u, struct cc_type *t, bool member, bool pointer)
{
	struct cc_type *r;
	uint32_t target;

	if (basic_index(t) >= 0)
		return basic(u, t);
	t = unique(u, t);
	if (t->btf_id) {
		if (!member || !pointer)
			complete_chain(u, t, member, pointer);
		return t->btf_id;
	}
	if (member && is_derived(t)) {
		pointer = pointer || t->step == STEP_NONE;
		if (pointer && is_fwd_candidate(t->step == STEP_NONE ? below_tags(t)
						: derived_base(t)))
			return add_fixup(u, t);
	}
	if (t->step != STEP_NONE) {
		uint32_t id = add_derived(u, t, 0); /* before its base, as clang adds it */

		target = visit(u, t->origin, member, pointer);
		if (id)
			objfmt_btf__type_mut(u->btf, id)->type = target;
		return id;
	}
	r = t;
	switch (r->kind) {
	case TY_PTR: { /* its type tags first, then the pointer, then what they tag */
		struct cc_type *below = below_tags(r);
		uint32_t innermost = 0, outer = below == r->base ? 0
					 : add_tags(u, r->base, below, 0, &innermost);

		t->btf_id = add_checked(u, objfmt_btf__add_ptr(u->btf, outer));
		target = visit(u, below, member, pointer); /* may grow the type table */
		if (innermost || t->btf_id)
			objfmt_btf__type_mut(u->btf, innermost ? innermost : t->btf_id)->type = target;
		return t->btf_id;
	}
	case TY_ARRAY:
		target = visit(u, r->base, false, false);
		t->btf_id = add_checked(u, objfmt_btf__add_array(u->btf, target, 0,
			r->array_len < 0 ? 0 : (uint32_t)r->array_len));
		target = array_index_type(u); /* after the first array, as clang adds it */
		if (t->btf_id)
			objfmt_btf__type_mut(u->btf, t->btf_id)->array_index = target;
		return t->btf_id;
	case TY_STRUCT:
	case TY_UNION:
		return record(u, r);
	case TY_ENUM:
		return enumeration(u, r);
	case TY_FUNC:
		return prototype(u, r);
	case TY_FLOAT:
	case TY_DOUBLE: {
		struct objfmt_btf_type bt = { .kind = OBJFMT_BTF_FLOAT,
					      .name = r->kind == TY_FLOAT ? "float" : "double",
					      .size = (uint32_t)r->size };
		return t->btf_id = add_checked(u, objfmt_btf__add(u->btf, &bt));
	}
	case TY_INT128:
		return t->btf_id = add_checked(u, objfmt_btf__add_int(u->btf, r->is_unsigned
			? "unsigned __int128" : "__int128", 16, r->is_unsigned ? 0
			: OBJFMT_BTF_INT_SIGNED));
	default:
		return 0;
	}
}

uint32_t cc_btf_type(struct cc_unit *u, struct cc_type *t)
{
	return visit(u, t, false, false);
}

/* The open pointees: the record's id if it was emitted in full, else one FWD for it
 * (added after everything else, as clang adds them). */
static void resolve_fixups(struct cc_unit *u)
{
	struct cc_btf_state *state = u->btf_state;

	for (size_t i = 0; i < state->fixup_count; i++) {
		struct cc_btf_fixup *f = &state->fixups[i];

		if (!f->record->btf_id) {
			struct objfmt_btf_type bt = { .kind = OBJFMT_BTF_FWD, .name = f->record->name,
						      .kind_flag = f->record->kind == TY_UNION };

			f->record->btf_id = add_checked(u, objfmt_btf__add(u->btf, &bt));
		}
		if (f->tags) {
			uint32_t innermost;

			objfmt_btf__type_mut(u->btf, f->id)->type = add_tags(u, f->tags, f->record,
									  f->record->btf_id, &innermost);
			continue;
		}
		objfmt_btf__type_mut(u->btf, f->id)->type = f->record->btf_id;
	}
}

/* FUNC of `fn` after its prototype: a function defined here visits its parameters'
 * types first and has a prototype of its own, as clang builds them. */
uint32_t cc_btf_func(struct cc_unit *u, struct cc_var *fn)
{
	struct objfmt_btf_type bt = { .kind = OBJFMT_BTF_FUNC, .name = fn->name };
	struct cc_type *type = cc_type_root(fn->type);
	bool defined = fn->function != NULL;
	int32_t index = 0;
	uint32_t id;

	for (struct cc_param *p = type->params; defined && p; p = p->next)
		cc_btf_type(u, p->type);
	bt.type = function_prototype(u, type, defined);
	bt.linkage = !defined ? OBJFMT_BTF_FUNC_EXTERN : fn->is_static
		     ? OBJFMT_BTF_FUNC_STATIC : OBJFMT_BTF_FUNC_GLOBAL;
	id = add_checked(u, objfmt_btf__add(u->btf, &bt));
	for (struct cc_param *p = type->params; id && p; p = p->next)
		decl_tags(u, p->decl_tags, id, index++);
	if (id)
		decl_tags(u, fn->attrs.decl_tags, id, -1);
	return id;
}

/* ---- source lines for line_info ---- */

/* `file` as line_info names it: -fdebug-prefix-map=OLD=NEW applied (the last match). */
static const char *debug_file_name(struct cc_unit *u, const char *file)
{
	char mapped[4096];

	for (size_t i = u->opts->debug_prefix_map_count; file && i-- > 0;) {
		const char *map = u->opts->debug_prefix_maps[i], *equals = strchr(map, '=');
		size_t old_length = equals ? (size_t)(equals - map) : 0;

		if (!equals || strncmp(file, map, old_length))
			continue;
		snprintf(mapped, sizeof(mapped), "%s%s", equals + 1, file + old_length);
		return cc_intern(u, mapped);
	}
	return file;
}

struct source_file {
	const char *name;
	char *text;
	char **lines;
	unsigned count;
};

struct source_cache {
	struct source_file files[16];
	unsigned used;
};

static struct source_file *load_source(struct source_cache *c, const char *name)
{
	struct source_file *f;
	FILE *fp;
	long size;

	for (unsigned i = 0; i < c->used; i++)
		if (c->files[i].name == name)
			return &c->files[i];
	if (c->used == sizeof(c->files) / sizeof(c->files[0]))
		return NULL;
	f = &c->files[c->used++];
	f->name = name;
	fp = fopen(name, "rb");
	if (!fp)
		return f;
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	f->text = malloc((size_t)size + 1);
	f->lines = malloc(((size_t)size + 2) * sizeof(char *));
	if (!f->text || !f->lines || fread(f->text, 1, (size_t)size, fp) != (size_t)size) {
		fclose(fp);
		return f;
	}
	fclose(fp);
	f->text[size] = '\0';
	f->lines[f->count++] = f->text;
	for (char *p = f->text; *p; p++)
		if (*p == '\n') {
			*p = '\0';
			f->lines[f->count++] = p + 1;
		}
	return f;
}

static void free_sources(struct source_cache *c)
{
	for (unsigned i = 0; i < c->used; i++) {
		free(c->files[i].text);
		free(c->files[i].lines);
	}
}

static const char *source_line(struct source_cache *c, struct cc_loc loc)
{
	struct source_file *f = load_source(c, loc.file);

	if (!f || !f->text || loc.line == 0 || loc.line > f->count)
		return "";
	return f->lines[loc.line - 1];
}

/* ---- functions and data sections ---- */

static int core_records(struct cc_unit *u, struct cc_function *fn);
static int global_var(struct cc_unit *u, struct cc_var *v);
static uint32_t var_id(struct cc_unit *u, struct cc_var *v);

static int function_records(struct cc_unit *u, struct cc_var *v, struct source_cache *c)
{
	struct cc_function *fn = v->function;
	const char *sec = objfmt_object__section(u->object, fn->section)->name;
	struct objfmt_btf_ext_func rec = { .insn_off = (uint32_t)fn->offset,
					   .type_id = var_id(u, v) };
	int err = objfmt_btf_ext__add_func(u->btf_ext, sec, &rec);

	if (!err)
		err = core_records(u, fn);
	if (err || !u->opts->debug_info)
		return err;
	for (size_t i = 0; i < fn->code->line_count; i++) {
		struct gen_line *l = &fn->code->lines[i];
		struct objfmt_btf_ext_line line = {
			.insn_off = (uint32_t)(fn->offset + l->insn * sizeof(struct objfmt_insn)),
			.file = debug_file_name(u, l->loc.file), .line = source_line(c, l->loc),
			.line_num = l->loc.line, .line_col = l->loc.column,
		};

		if (l->insn >= fn->code->count)
			continue;
		err = objfmt_btf_ext__add_line(u->btf_ext, sec, &line);
		if (err)
			return err;
	}
	return 0;
}

/* CO-RE relocation records of a function's code (kept with or without -g). */
static int core_records(struct cc_unit *u, struct cc_function *fn)
{
	const char *sec = objfmt_object__section(u->object, fn->section)->name;
	int err = 0;

	for (size_t i = 0; !err && i < fn->code->core_count; i++) {
		struct gen_core *c = &fn->code->cores[i];
		struct objfmt_btf_ext_core rec = {
			.insn_off = (uint32_t)(fn->offset + c->insn * sizeof(struct objfmt_insn)),
			.type_id = cc_btf_type(u, c->type), .access = c->access, .kind = c->kind,
		};

		err = objfmt_btf_ext__add_core(u->btf_ext, sec, &rec);
		if (c->kind == OBJFMT_CORE_TYPE_ID_LOCAL || c->kind == OBJFMT_CORE_TYPE_ID_TARGET) {
			struct objfmt_section *s = objfmt_object__section(u->object, fn->section);
			struct objfmt_insn *insn = (struct objfmt_insn *)(s->data + rec.insn_off);

			insn->imm = (int32_t)rec.type_id; /* the local id, as clang leaves it */
		}
	}
	return err;
}

static int add_datasec(struct cc_unit *u, const char *name, uint32_t size,
		       struct cc_var **vars, size_t count);

/* Referenced but defined elsewhere (the symbol is undefined). */
static bool is_external(struct cc_var *v)
{
	if (v->is_function)
		return v->referenced && !v->function && v->symbol >= 0;
	return v->referenced && !v->placed && v->symbol >= 0;
}

/* Whether `v` is listed in the DATASEC of section `index` named `name`: its objects,
 * and externs declared in it (at offset 0, as clang lists them for the linker). */
static bool in_datasec(struct cc_var *v, size_t index, const char *name)
{
	if (v->is_function)
		return false;
	if (v->placed)
		return v->symbol >= 0 && v->section == index;
	return is_external(v) && v->attrs.section && !strcmp(v->attrs.section, name);
}

static int by_offset(const void *a, const void *b)
{
	const struct cc_var *x = *(struct cc_var *const *)a, *y = *(struct cc_var *const *)b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* DATASEC of one data section: its named variables, sorted by offset as the kernel
 * requires. */
static int datasec(struct cc_unit *u, size_t section)
{
	struct objfmt_section *sec = objfmt_object__section(u->object, section);
	struct cc_var **vars;
	size_t count = 0;
	int err;

	for (struct cc_var *v = u->globals; v; v = v->next)
		count += in_datasec(v, section, sec->name);
	if (!count)
		return 0;
	vars = calloc(count, sizeof(*vars));
	if (!vars)
		return -ENOMEM;
	count = 0;
	for (struct cc_var *v = u->globals; v; v = v->next)
		if (in_datasec(v, section, sec->name))
			vars[count++] = v;
	qsort(vars, count, sizeof(*vars), by_offset);
	err = add_datasec(u, sec->name, 0, vars, count); /* sized by the loader, as clang leaves it */
	free(vars);
	return err;
}

/* A BTF-defined map: its members' types first, from outside any member, so that the
 * key and value (pointers to them) come in full, as libbpf needs them. */
static void map_definition(struct cc_unit *u, struct cc_type *t)
{
	while (t->step == STEP_TYPEDEF || t->step == STEP_CONST || t->step == STEP_VOLATILE)
		t = t->origin;
	if (t->step != STEP_NONE || t->kind != TY_STRUCT || !t->defined)
		return;
	for (struct cc_member *m = t->members; m; m = m->next)
		cc_btf_type(u, m->type);
}

static bool in_maps_section(struct cc_unit *u, struct cc_var *v)
{
	return v->placed && !strncmp(objfmt_object__section(u->object, v->section)->name,
				     ".maps", 5);
}

static uint32_t var_id(struct cc_unit *u, struct cc_var *v)
{
	struct cc_btf_state *state = u->btf_state;

	for (size_t i = state->var_count; i-- > 0;)
		if (state->var_ids[i].var == v)
			return state->var_ids[i].id;
	return 0;
}

/* The VAR of global `v` (FUNC of an extern function), made once. */
static int global_var(struct cc_unit *u, struct cc_var *v)
{
	struct cc_btf_state *state = u->btf_state;
	int var;

	if (var_id(u, v))
		return 0;
	if (state->var_count == state->var_capacity) {
		size_t capacity = state->var_capacity ? 2 * state->var_capacity : 32;
		struct var_id *grown = realloc(state->var_ids, capacity * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		state->var_ids = grown;
		state->var_capacity = capacity;
	}
	if (v->is_function) {
		var = (int)cc_btf_func(u, v);
	} else {
		if (in_maps_section(u, v))
			map_definition(u, v->type);
		var = objfmt_btf__add_var(u->btf, v->asm_name, cc_btf_type(u, v->type), !v->placed
					  ? OBJFMT_BTF_VAR_EXTERN : v->is_static
					  ? OBJFMT_BTF_VAR_STATIC : OBJFMT_BTF_VAR_GLOBAL);
		if (var > 0)
			decl_tags(u, v->attrs.decl_tags, (uint32_t)var, -1);
	}
	if (var <= 0)
		return var < 0 ? var : -EINVAL;
	state->var_ids[state->var_count++] = (struct var_id){ v, (uint32_t)var };
	return 0;
}

static int datasec_var(struct cc_unit *u, struct cc_var *v, struct objfmt_btf_member *m)
{
	bool fn = v->is_function;
	int err = global_var(u, v);

	memset(m, 0, sizeof(*m));
	m->name = "";
	m->offset = v->placed ? (uint32_t)v->offset : 0;
	m->size = v->placed ? (uint32_t)v->object_size : fn ? 0 : (uint32_t)cc_type_size(v->type);
	m->type = var_id(u, v);
	return err;
}

/* A global listed in a DATASEC: one placed in a data section, or an extern variable
 * declared in a section. */
static bool has_var(struct cc_var *v)
{
	if (v->is_function)
		return false;
	return v->placed ? v->symbol >= 0 : is_external(v) && v->attrs.section;
}

/* The VARs of the map definitions (`maps`) or of the other globals, in the order they
 * were declared, as clang makes the former before the functions and the latter after. */
static int by_place_order(const void *a, const void *b)
{
	const struct cc_var *x = *(struct cc_var *const *)a, *y = *(struct cc_var *const *)b;

	return x->place_order < y->place_order ? -1 : x->place_order > y->place_order;
}

static int all_vars(struct cc_unit *u, bool maps)
{
	struct cc_var **vars;
	size_t count = 0, placed = 0;
	int err = 0;

	for (struct cc_var *v = u->globals; v; v = v->next)
		count++;
	vars = calloc(count ? count : 1, sizeof(*vars));
	if (!vars)
		return -ENOMEM;
	count = 0;
	for (struct cc_var *v = u->globals; v; v = v->next)
		if (has_var(v) && in_maps_section(u, v) == maps && v->placed)
			vars[placed++] = v;
	qsort(vars, placed, sizeof(*vars), by_place_order); /* as clang created them */
	count = placed;
	for (struct cc_var *v = u->globals; v; v = v->next)
		if (has_var(v) && in_maps_section(u, v) == maps && !v->placed)
			vars[count++] = v; /* externs */
	for (size_t i = 0; !err && i < count; i++)
		err = global_var(u, vars[i]);
	free(vars);
	return err;
}

/* The FUNCs of the extern functions called (clang makes them as it meets the calls). */
static int extern_functions(struct cc_unit *u)
{
	int err = 0;

	for (struct cc_var *v = u->globals; !err && v; v = v->next)
		if (is_external(v) && v->is_function)
			err = global_var(u, v);
	return err;
}

/* The DATASEC after the VARs it lists, as clang orders them. */
static int add_datasec(struct cc_unit *u, const char *name, uint32_t size,
		       struct cc_var **vars, size_t count)
{
	struct objfmt_btf_type bt = { .kind = OBJFMT_BTF_DATASEC, .name = name, .size = size };
	struct objfmt_btf_member *members = calloc(count ? count : 1, sizeof(*members));
	int id, err = 0;

	if (!members)
		return -ENOMEM;
	for (size_t i = 0; !err && i < count; i++)
		err = datasec_var(u, vars[i], &members[i]);
	id = err ? err : objfmt_btf__add(u->btf, &bt);
	for (size_t i = 0; id > 0 && i < count; i++)
		if (objfmt_btf__add_member(u->btf, (uint32_t)id, &members[i]) < 0)
			id = -ENOMEM;
	free(members);
	return id < 0 ? id : 0;
}

/* Externs in sections the object does not have (.kconfig, .ksyms): one DATASEC per
 * section name, entries at offset 0 for libbpf to resolve; extern functions without
 * a section still get their FUNC. */
static bool external_in(struct cc_var *v, const char *section)
{
	return is_external(v) && v->attrs.section && !strcmp(v->attrs.section, section);
}

/* The DATASEC of externs declared in `section`, a section the object does not have. */
static int external_datasec(struct cc_unit *u, const char *section)
{
	struct cc_var **vars;
	size_t count = 0;
	int err;

	for (struct cc_var *w = u->globals; w; w = w->next)
		count += external_in(w, section);
	vars = calloc(count ? count : 1, sizeof(*vars));
	if (!vars)
		return -ENOMEM;
	count = 0;
	for (struct cc_var *w = u->globals; w; w = w->next)
		if (external_in(w, section))
			vars[count++] = w;
	err = add_datasec(u, section, 0, vars, count);
	free(vars);
	return err;
}

/* A DATASEC to write: an object section, or (section < 0) one of externs only. */
struct datasec_ref {
	const char *name;
	long section;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct datasec_ref *)a)->name, ((const struct datasec_ref *)b)->name);
}

/* The sections externs name that the object does not have, once each, appended. */
static size_t external_sections(struct cc_unit *u, struct datasec_ref *refs, size_t count)
{
	for (struct cc_var *v = u->globals; v; v = v->next) {
		bool first = true;

		if (!is_external(v) || !v->attrs.section ||
		    objfmt_object__find_section(u->object, v->attrs.section) >= 0)
			continue;
		for (size_t i = 0; i < count && first; i++)
			first = strcmp(refs[i].name, v->attrs.section) != 0;
		if (first)
			refs[count++] = (struct datasec_ref){ v->attrs.section, -1 };
	}
	return count;
}

/* Every DATASEC, sorted by section name as clang writes them (.bss, .data, .kconfig,
 * .ksyms, .maps, .rodata, license); then the FUNC of extern functions. */
static int all_datasecs(struct cc_unit *u)
{
	size_t sections = objfmt_object__section_count(u->object), count = 0, globals = 0;
	struct datasec_ref *refs;
	int err = 0;

	for (struct cc_var *v = u->globals; v; v = v->next)
		globals++;
	refs = calloc(sections + globals + 1, sizeof(*refs));
	if (!refs)
		return -ENOMEM;
	for (size_t s = 0; s < sections; s++) {
		struct objfmt_section *sec = objfmt_object__section(u->object, s);

		if (!(sec->flags & OBJFMT_SHF_EXECINSTR))
			refs[count++] = (struct datasec_ref){ sec->name, (long)s };
	}
	count = external_sections(u, refs, count);
	qsort(refs, count, sizeof(*refs), by_name);
	for (size_t i = 0; !err && i < count; i++)
		err = refs[i].section >= 0 ? datasec(u, (size_t)refs[i].section)
					   : external_datasec(u, refs[i].name);
	free(refs);
	return err;
}

/* func_info, line_info and CO-RE records must be sorted by instruction offset within
 * each section (libbpf and the kernel require it), so functions are visited in the
 * order they were laid out, not the order they were declared. */
static int by_placement(const void *a, const void *b)
{
	const struct cc_function *x = (*(struct cc_var *const *)a)->function;
	const struct cc_function *y = (*(struct cc_var *const *)b)->function;

	if (x->section != y->section)
		return x->section < y->section ? -1 : 1;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static bool is_generated(struct cc_var *v)
{
	return v && v->is_function && v->function && v->function->emitted;
}

/* Appends `v` to the module order unless it is there; true if it was appended. */
static bool order_add(struct cc_var **order, size_t *count, struct cc_var *v)
{
	for (size_t i = 0; i < *count; i++)
		if (order[i] == v)
			return false;
	order[(*count)++] = v;
	return true;
}

/* The functions `fn` names join the order; the static ones it names first are emitted
 * (so name theirs) right after it, depth first, as clang's deferred emission. */
static void order_named(struct cc_function *fn, struct cc_var **order, size_t *count,
			bool deferred)
{
	size_t first = *count;

	for (size_t i = 0; i < fn->data_ref_count; i++)
		if (is_generated(fn->data_refs[i]))
			order_add(order, count, fn->data_refs[i]);
	for (size_t i = first, end = *count; deferred && i < end; i++)
		if (order[i]->is_static)
			order_named(order[i]->function, order, count, true);
}

/* Functions in the order clang's module lists them: one is listed when first named or
 * defined; non-static bodies come in file order, static ones deferred to the end in the
 * order they were first named. Returns the count. */
static size_t module_order(struct cc_unit *u, struct cc_var **order)
{
	size_t count = 0, statics;

	for (struct cc_var *v = u->globals; v; v = v->next)
		if (is_generated(v) && !v->is_static) {
			order_add(order, &count, v);
			order_named(v->function, order, &count, false);
		}
	statics = count;
	for (size_t i = 0; i < statics; i++)
		if (order[i]->is_static)
			order_named(order[i]->function, order, &count, true);
	for (struct cc_var *v = u->globals; v; v = v->next)
		if (is_generated(v))
			order_add(order, &count, v); /* static, named by nothing: used/SEC */
	return count;
}

/* The FUNCs in module order, each followed by the types its CO-RE records name, as
 * clang meets them. */
static int function_types(struct cc_unit *u, struct cc_var **order, size_t count)
{
	int err = 0;

	count = module_order(u, order);
	for (size_t i = 0; !err && i < count; i++) {
		struct gen *code = order[i]->function->code;

		err = global_var(u, order[i]);
		for (size_t j = 0; !err && j < code->core_count; j++)
			cc_btf_type(u, code->cores[j].type);
	}
	return err;
}

static int all_function_records(struct cc_unit *u, struct source_cache *cache)
{
	struct cc_var **fns;
	size_t count = 0;
	int err = 0;

	for (struct cc_var *v = u->globals; v; v = v->next)
		count += v->is_function && v->function && v->function->emitted;
	fns = calloc(count ? count : 1, sizeof(*fns));
	if (!fns)
		return -ENOMEM;
	err = function_types(u, fns, count);
	count = 0;
	for (struct cc_var *v = u->globals; v; v = v->next)
		if (v->is_function && v->function && v->function->emitted)
			fns[count++] = v;
	qsort(fns, count, sizeof(*fns), by_placement);
	for (size_t i = 0; !err && i < count; i++)
		err = function_records(u, fns[i], cache);
	free(fns);
	return err;
}

int cc_btf_finish(struct cc_unit *u)
{
	struct source_cache *cache = calloc(1, sizeof(*cache));
	struct cc_btf_state *state = calloc(1, sizeof(*state));
	int err = 0;

	u->btf = objfmt_btf__new();
	u->btf_ext = objfmt_btf_ext__new();
	if (!u->btf || !u->btf_ext || !cache || !state) {
		free(cache);
		free(state);
		return -ENOMEM;
	}
	u->btf_state = state;
	err = all_vars(u, true);
	if (!err)
		err = all_function_records(u, cache);
	if (!err)
		err = extern_functions(u);
	if (!err)
		err = all_vars(u, false);
	if (!err)
		err = all_datasecs(u);
	resolve_fixups(u);
	free(state->fixups);
	free(state->unique);
	free(state->var_ids);
	free(state);
	u->btf_state = NULL;
	free_sources(cache);
	free(cache);
	objfmt_object__set_btf(u->object, u->btf);
	objfmt_object__set_btf_ext(u->object, u->btf_ext);
	u->btf = NULL;
	u->btf_ext = NULL;
	return err;
}
