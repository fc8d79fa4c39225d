/* parse_int.h - shared state of the recursive-descent parser files (parse_decl.c,
 * parse_init.c, parse_expr.c, parse_stmt.c): token cursor helpers, scopes, and the
 * typed node constructors that perform C's implicit conversions. */
#ifndef CC_PARSE_INT_H
#define CC_PARSE_INT_H

#include "cc_int.h"

/* One name in a scope: an object/function, a typedef, or an enumerator. */
enum scope_kind { SCOPE_VAR, SCOPE_TYPEDEF, SCOPE_ENUM_CONST, SCOPE_TAG };

struct scope_entry {
	struct scope_entry *next; /* bucket chain */
	const char *name;         /* interned */
	enum scope_kind kind;
	struct cc_var *var;
	struct cc_type *type;     /* typedef target, tag type, or enumerator type */
	int64_t value;            /* enumerator value */
};

struct cc_scope {
	struct cc_scope *parent;
	size_t bucket_count;
	struct scope_entry **buckets;
};

/* Declaration specifiers as parsed (the base type plus storage and attributes). */
struct decl_spec {
	struct cc_type *type;
	enum cc_storage storage;
	bool is_inline;
	struct cc_attrs attrs;
};

/* cursor */
struct cc_token *tok(struct cc_unit *u);
struct cc_token *tok_at(struct cc_unit *u, size_t ahead);
struct cc_token *advance(struct cc_unit *u);
bool is(struct cc_unit *u, const char *text);
bool accept(struct cc_unit *u, const char *text);
bool expect(struct cc_unit *u, const char *text);
bool is_typename(struct cc_unit *u, struct cc_token *t);

/* scopes */
void scope_push(struct cc_unit *u);
void scope_pop(struct cc_unit *u);
struct scope_entry *scope_add(struct cc_unit *u, const char *name, enum scope_kind kind);
struct scope_entry *scope_find(struct cc_unit *u, const char *name, bool tags);
struct scope_entry *scope_find_local(struct cc_unit *u, const char *name, bool tags);

/* declarations (parse_decl.c) */
bool parse_decl_spec(struct cc_unit *u, struct decl_spec *spec, bool allow_storage);
struct cc_type *parse_declarator(struct cc_unit *u, struct cc_type *base,
				 struct cc_token **name, struct cc_attrs *attrs);
struct cc_type *parse_type_name(struct cc_unit *u);
void parse_attributes(struct cc_unit *u, struct cc_attrs *attrs);
bool parse_static_assert(struct cc_unit *u);
struct cc_var *new_local(struct cc_unit *u, const char *name, struct cc_type *type,
			 struct cc_loc loc);
struct cc_var *new_global(struct cc_unit *u, const char *name, struct cc_type *type,
			  struct cc_loc loc);
struct cc_node *parse_local_declaration(struct cc_unit *u);

/* initializers (parse_init.c): leaves of (offset, type, value) */
struct cc_node *parse_initializer(struct cc_unit *u, struct cc_var *var);

/* expressions (parse_expr.c) */
struct cc_node *parse_expr(struct cc_unit *u);
struct cc_node *parse_assign(struct cc_unit *u);
struct cc_node *parse_conditional(struct cc_unit *u);
int64_t parse_const_expr(struct cc_unit *u);
struct cc_node *new_node(struct cc_unit *u, enum cc_node_kind kind, struct cc_loc loc);
struct cc_node *new_num(struct cc_unit *u, int64_t value, struct cc_type *type,
			struct cc_loc loc);
struct cc_node *new_cast(struct cc_unit *u, struct cc_node *expr, struct cc_type *type);
struct cc_node *new_var_ref(struct cc_unit *u, struct cc_var *var, struct cc_loc loc);
struct cc_node *decay(struct cc_unit *u, struct cc_node *node);
struct cc_node *convert_for_assign(struct cc_unit *u, struct cc_node *value,
				   struct cc_type *type);
struct cc_node *string_literal_var(struct cc_unit *u);

/* statements (parse_stmt.c) */
struct cc_node *parse_compound(struct cc_unit *u);
struct cc_node *parse_statement(struct cc_unit *u);

#endif /* CC_PARSE_INT_H */
