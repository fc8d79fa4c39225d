/* sema_decl.c - declarators and declarations: derivation lists applied to the base
 * type, parameters, typedefs, globals, locals and static locals, function bodies
 * with their parameter scope, and _Static_assert. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "sema_int.h"

/* ---- reuse of parse-time objects ---- */

_Static_assert(FREE_LISTS == sizeof(((struct cc_unit *)0)->parse_free) / sizeof(void *),
	       "one free list per enum sema_free_list");

void sema_release(struct cc_unit *u, enum sema_free_list list, void *object)
{
	struct free_object *o = object;

	if (!o)
		return;
	o->next = u->parse_free[list];
	u->parse_free[list] = o;
}

void sema_release_declarator(struct cc_unit *u, struct declarator *d)
{
	struct derivation *next;

	if (!d)
		return;
	for (struct derivation *x = d->first; x; x = next) {
		next = x->next;
		sema_release(u, FREE_DERIVATION, x);
	}
	sema_release(u, FREE_DECLARATOR, d);
}

void sema_release_spec(struct cc_unit *u, struct decl_spec *s)
{
	sema_release(u, FREE_SPEC, s);
}

struct derivation *sema_derivation_new(struct cc_unit *u)
{
	return sema_reuse(u, FREE_DERIVATION, sizeof(struct derivation));
}

/* ---- declarators ---- */

struct declarator *sema_declarator_name(struct cc_unit *u, struct cc_token *name)
{
	struct declarator *d = sema_reuse(u, FREE_DECLARATOR, sizeof(*d));

	d->name = name;
	if (name)
		d->loc = name->loc;
	return d;
}

struct derivation *sema_pointer(struct cc_unit *u, struct derivation *quals)
{
	struct derivation *p = quals ? quals : sema_derivation_new(u);

	p->kind = DERIVE_POINTER;
	return p;
}

/* Attributes after a `*`: its btf_type_tags tag the pointer type (`int * __tag p`). */
void sema_pointer_attributes(struct cc_unit *u, struct derivation *d, const struct cc_attrs *a)
{
	d->type_tags = sema_tags_join(u, d->type_tags, a->type_tags);
}

void sema_pointer_qualifier(struct derivation *d, struct cc_token *qualifier)
{
	if (qualifier->word == WORD_CONST)
		d->is_const = true;
	else if (qualifier->word == WORD_VOLATILE)
		d->is_volatile = true;
}

/* The chain of derivations from `first` is applied before those already in d. */
struct declarator *sema_declarator_prepend(struct declarator *d, struct derivation *first)
{
	struct derivation *last = first;

	while (last->next)
		last = last->next;
	last->next = d->first;
	d->first = first;
	return d;
}

struct declarator *sema_declarator_array(struct cc_unit *u, struct declarator *d,
					 struct cc_node *length)
{
	struct derivation *a = sema_derivation_new(u);

	a->kind = DERIVE_ARRAY;
	a->length = length ? sema_const_value(u, length) : -1;
	return sema_declarator_prepend(d, a);
}

/* `(void)` declares no parameters; `()` declares a function without a prototype. */
struct declarator *sema_declarator_function(struct cc_unit *u, struct declarator *d,
					    struct param_list *params)
{
	struct derivation *f = sema_derivation_new(u);

	f->kind = DERIVE_FUNCTION;
	f->has_prototype = params != NULL;
	if (params) {
		struct cc_param *p = params->head;

		f->is_variadic = params->is_variadic;
		if (p && !p->next && !p->name && p->type->kind == TY_VOID && !f->is_variadic)
			p = NULL;
		f->params = p;
	}
	return sema_declarator_prepend(d, f);
}

struct cc_type *sema_declarator_type(struct cc_unit *u, struct cc_type *base,
				     struct declarator *d)
{
	struct cc_type *t = base;

	for (struct derivation *x = d ? d->first : NULL; x; x = x->next) {
		switch (x->kind) {
		case DERIVE_POINTER:
			t = cc_type_pointer(u, t);
			if (x->is_const)
				t = cc_type_derive(u, t, STEP_CONST, NULL);
			if (x->is_volatile)
				t = cc_type_derive(u, t, STEP_VOLATILE, NULL);
			if (x->type_tags)
				t = sema_type_tags(u, t, x->type_tags);
			break;
		case DERIVE_ARRAY:
			t = cc_type_array(u, t, x->length);
			break;
		case DERIVE_FUNCTION:
			t = cc_type_func(u, t);
			t->has_prototype = x->has_prototype;
			t->is_variadic = x->is_variadic;
			t->params = x->params;
			break;
		}
	}
	return t;
}

/* Parameters of array and function type are pointers. */
struct param_list *sema_param_add(struct cc_unit *u, struct param_list *list,
				  struct decl_spec *spec, struct declarator *d)
{
	struct cc_param *p = cc_alloc(u->arena, sizeof(*p));

	if (!list)
		list = cc_alloc(u->arena, sizeof(*list));
	p->type = sema_declarator_type(u, sema_spec_finish(u, spec), d);
	if (p->type->kind == TY_ARRAY)
		p->type = cc_type_pointer(u, cc_type_base(p->type));
	else if (p->type->kind == TY_FUNC)
		p->type = cc_type_pointer(u, p->type);
	p->name = d && d->name ? d->name->text : NULL;
	p->decl_tags = sema_decl_tags(u, d ? &d->attrs : NULL, &spec->attrs);
	if (list->tail)
		list->tail->next = p;
	else
		list->head = p;
	list->tail = p;
	return list;
}

struct cc_type *sema_type_name(struct cc_unit *u, struct decl_spec *spec,
			       struct declarator *abstract)
{
	if (spec->storage != SC_NONE)
		cc_error(u, spec->loc, "storage class not allowed in a type name");
	return sema_declarator_type(u, sema_spec_finish(u, spec), abstract);
}

/* ---- variables ---- */

struct cc_var *new_local(struct cc_unit *u, const char *name, struct cc_type *type,
			 struct cc_loc loc)
{
	struct cc_var *v = cc_alloc(u->arena, sizeof(*v));
	struct cc_function *fn = u->current;

	v->name = name;
	v->type = type;
	v->loc = loc;
	v->is_local = true;
	v->reg = -1;
	v->symbol = -1;
	v->helper_id = -1;
	if (name)
		scope_add(u, name, SCOPE_VAR)->var = v;
	if (fn) {
		if (fn->locals_tail)
			fn->locals_tail->next = v;
		else
			fn->locals = v;
		fn->locals_tail = v;
	}
	return v;
}

struct cc_var *new_global(struct cc_unit *u, const char *name, struct cc_type *type,
			  struct cc_loc loc)
{
	struct cc_var *v = cc_alloc(u->arena, sizeof(*v));

	v->name = name;
	v->asm_name = name;
	v->type = type;
	v->loc = loc;
	v->reg = -1;
	v->symbol = -1;
	v->helper_id = -1;
	if (u->globals_tail)
		u->globals_tail->next = v;
	else
		u->globals = v;
	u->globals_tail = v;
	return v;
}

static struct cc_var *declare_global(struct cc_unit *u, struct decl_spec *spec,
				     struct cc_type *type, struct cc_token *name,
				     struct cc_attrs *attrs)
{
	struct scope_entry *e = scope_find_local(u, name->text, false);
	struct cc_var *v;

	if (e && e->kind == SCOPE_VAR) {
		v = e->var;
		if (type->kind == TY_ARRAY && cc_type_size(type) >= 0)
			v->type = type;
		if (type->kind == TY_FUNC && cc_type_root(type)->has_prototype)
			v->type = type; /* and its parameters' decl tags, as clang takes them */
	} else {
		if (e)
			cc_error(u, name->loc, "redefinition of '%s' as a different kind of symbol",
				 name->text);
		v = new_global(u, name->text, type, name->loc);
		scope_add(u, name->text, SCOPE_VAR)->var = v;
	}
	v->is_function = type->kind == TY_FUNC;
	v->is_static = v->is_static || spec->storage == SC_STATIC;
	if (spec->storage != SC_EXTERN && !v->is_function)
		v->is_definition = true;
	v->is_extern = spec->storage == SC_EXTERN && !v->is_definition;
	if (attrs->section)
		v->attrs.section = attrs->section;
	if (spec->attrs.section)
		v->attrs.section = spec->attrs.section;
	v->attrs.always_inline |= attrs->always_inline || spec->attrs.always_inline;
	v->attrs.noinline |= attrs->noinline || spec->attrs.noinline;
	v->attrs.weak |= attrs->weak || spec->attrs.weak;
	v->attrs.used |= attrs->used || spec->attrs.used;
	if (attrs->aligned || spec->attrs.aligned)
		v->attrs.aligned = attrs->aligned ? attrs->aligned : spec->attrs.aligned;
	v->attrs.hidden |= attrs->hidden || spec->attrs.hidden;
	v->attrs.decl_tags = sema_tags_join(u, v->attrs.decl_tags, sema_decl_tags(u, attrs,
											  &spec->attrs));
	return v;
}

/* A static local lives in .data/.bss/.rodata under the name "function.name". */
static struct cc_var *static_local(struct cc_unit *u, struct decl_spec *spec,
				   struct cc_type *type, struct cc_token *name,
				   struct cc_attrs *attrs)
{
	char full[256];
	struct cc_var *v;

	snprintf(full, sizeof(full), "%s.%s", u->current->var->name, name->text);
	v = new_global(u, name->text, type, name->loc);
	v->asm_name = cc_intern(u, full);
	v->is_static = true;
	v->is_definition = true;
	v->attrs = *attrs;
	if (spec->attrs.section)
		v->attrs.section = spec->attrs.section;
	v->attrs.decl_tags = sema_tags_join(u, v->attrs.decl_tags, spec->attrs.decl_tags);
	scope_add(u, name->text, SCOPE_VAR)->var = v;
	if (spec->storage == SC_EXTERN || type->kind == TY_FUNC) {
		v->is_extern = true;
		v->is_definition = false;
		v->is_function = type->kind == TY_FUNC;
		v->asm_name = v->name;
	} else {
		sema_note_data_ref(u, v); /* clang creates it at its declaration */
	}
	return v;
}

static struct cc_var *declare_local(struct cc_unit *u, struct declaration *decl,
				    struct cc_type *t, struct cc_token *name)
{
	struct cc_var *v = new_local(u, name->text, t, name->loc);
	struct cc_node *d = new_node(u, ND_DECL, name->loc);

	d->var = v;
	node_list_append(&decl->decls, d);
	return v;
}

/* One declarator of a declaration: in scope from here on, so that its initializer
 * and the next declarators see it. Returns NULL for a typedef. */
struct cc_var *sema_declare(struct cc_unit *u, struct declaration *decl, struct declarator *d)
{
	struct decl_spec *spec = decl->spec;
	struct cc_type *t = sema_declarator_type(u, sema_spec_finish(u, spec), d);

	sema_spec_implicit_int(u, spec, d, d->loc);
	if (!d->name) {
		cc_error(u, d->loc, "expected identifier in declaration");
		return NULL;
	}
	if (spec->storage == SC_TYPEDEF) {
		struct cc_type *named = sema_add_typedef(u, d->name->text, t);

		if (named) {
			named->decl_tags = sema_decl_tags(u, &d->attrs, &spec->attrs);
			named->typedef_align = d->attrs.aligned ? d->attrs.aligned
							       : spec->attrs.aligned;
		}
		return NULL;
	}
	if (!u->current)
		return declare_global(u, spec, t, d->name, &d->attrs);
	if (spec->storage == SC_STATIC || spec->storage == SC_EXTERN || t->kind == TY_FUNC)
		return static_local(u, spec, t, d->name, &d->attrs);
	struct cc_var *v = declare_local(u, decl, t, d->name);
	v->attrs.unused = d->attrs.unused || spec->attrs.unused; /* no -Wunused-variable */
	return v;
}

/* GNU __auto_type: the variable takes the type of its initializer's value. */
static void infer_auto_type(struct cc_unit *u, struct cc_var *var, struct init_item *init)
{
	if (!init || !init->expr) {
		cc_error(u, var->loc, "declaration of variable '%s' with deduced type "
			 "'__auto_type' requires an initializer", var->name);
		return;
	}
	init->expr = decay(u, init->expr);
	var->type = cc_type_unqualified(init->expr->type);
	if (var->is_local && cc_type_is_aggregate(var->type))
		var->address_taken = true;
}

void sema_initialize(struct cc_unit *u, struct declaration *decl, struct cc_var *var,
		     struct init_item *init)
{
	struct cc_node *d = var && var->is_local ? decl->decls.tail : NULL;

	if (!var)
		return;
	if (decl->spec->is_auto_type)
		infer_auto_type(u, var, init);
	if (init) {
		struct cc_node *list = sema_initializer(u, var, init);

		if (d)
			d->init = list;
		else
			var->init = list;
		if (!var->is_local) {
			var->is_definition = true;
			var->is_extern = false;
		}
	}
	if (d) {
		if (cc_type_size(var->type) < 0)
			cc_error(u, var->loc, "variable has incomplete type '%s'",
				 cc_type_describe(u, var->type));
		if (cc_type_is_aggregate(var->type))
			var->address_taken = true;
	}
}

/* ---- functions ---- */

/* Parameters are in scope in the body, which opens its own block scope inside. */
void sema_function_begin(struct cc_unit *u, struct decl_spec *spec, struct declarator *d)
{
	struct declaration decl = { .spec = spec };
	struct cc_var *var = d->name ? sema_declare(u, &decl, d) : NULL;
	struct cc_function *fn = cc_alloc(u->arena, sizeof(*fn));
	struct cc_var *param_tail = NULL;

	if (!var || !var->is_function) {
		cc_error(u, d->loc, "expected ';' after top level declarator");
		var = new_global(u, cc_intern(u, ".invalid"), cc_type_func(u, &cc_type_int), d->loc);
	}
	if (var->function)
		cc_error(u, var->loc, "redefinition of '%s'", var->name);
	fn->var = var;
	var->function = fn;
	var->is_definition = true;
	u->current = fn;
	scope_push(u);
	for (struct cc_param *p = cc_type_root(var->type)->params; p; p = p->next) {
		struct cc_var *pv = new_local(u, p->name, p->type, var->loc);

		pv->is_param = true;
		if (!param_tail)
			fn->params = pv;
		param_tail = pv;
		fn->param_count++;
	}
}

void sema_function_end(struct cc_unit *u, struct cc_node *body)
{
	struct cc_function *fn = u->current;

	if (!fn)
		return;
	fn->body = body;
	scope_pop(u);
	u->current = NULL;
	for (struct cc_var *v = fn->locals; v; v = v->next) /* -Wall group: see cc.h */
		if (v->name && !v->is_param && !v->use_count && !v->address_taken &&
		    !v->attrs.unused)
			cc_warning(u, v->loc, "unused variable '%s' [-Wunused-variable]", v->name);
}

void sema_static_assert(struct cc_unit *u, struct cc_loc loc, struct cc_node *value,
			struct cc_token *message)
{
	if (sema_const_value(u, value))
		return;
	if (message)
		cc_error(u, loc, "static assertion failed: %s", message->string);
	else
		cc_error(u, loc, "static assertion failed");
}
