/* sema_int.h - what the bison grammar (grammar.y) hands to the semantic files
 * (sema_*.c): scopes, declaration specifiers and declarators as parsed, initializer
 * trees, and the typed node constructors that perform C's implicit conversions. */
#ifndef CC_SEMA_INT_H
#define CC_SEMA_INT_H

#include <string.h>

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

/* What a keyword means among declaration specifiers (cc_token.word, set by parse.c). */
enum cc_spec_word {
	WORD_NONE, WORD_TYPEDEF, WORD_STATIC, WORD_EXTERN, WORD_OTHER_STORAGE, WORD_CONST,
	WORD_VOLATILE, WORD_INLINE, WORD_IGNORED, WORD_VOID, WORD_BOOL, WORD_CHAR,
	WORD_SHORT, WORD_INT, WORD_LONG, WORD_INT128, WORD_SIGNED, WORD_UNSIGNED,
	WORD_FLOAT, WORD_DOUBLE,
};

/* Declaration specifiers, collected one specifier at a time (sema_spec.c). */
struct decl_spec {
	struct cc_type *type;     /* typedef name, record, enum, typeof: else NULL */
	int counter;              /* sum of the basic type keywords (K_* in sema_spec.c) */
	enum cc_storage storage;
	bool is_inline;
	bool is_const;
	bool is_volatile;
	bool is_auto_type;        /* GNU __auto_type: the type comes from the initializer */
	bool implicit_int;        /* no type specifier (`static x;`): int, and an error */
	struct cc_attrs attrs;
	struct cc_loc loc;
	struct cc_type *result;   /* the finished type (sema_spec_type), cached */
};

/* A declarator is the list of type derivations applied, in order, to the base type
 * of its specifiers: `*p[3]` is pointer then array, `(*p)[3]` array then pointer. */
enum derive_kind { DERIVE_POINTER, DERIVE_ARRAY, DERIVE_FUNCTION };

struct derivation {
	struct derivation *next;
	enum derive_kind kind;
	bool is_const, is_volatile;   /* pointer qualifiers */
	int64_t length;               /* array: -1 for [] */
	struct cc_param *params;      /* function */
	bool is_variadic, has_prototype;
	const struct cc_decl_tags *type_tags; /* pointer: btf_type_tags after its `*` */
};

struct declarator {
	struct cc_token *name;        /* NULL for an abstract declarator */
	struct derivation *first;
	struct cc_attrs attrs;        /* attributes written inside or after it */
	struct cc_loc loc;
};

struct member_list {
	struct cc_member *head, *tail;
};

/* Member declarations of one specifier list (grammar.y). */
struct member_declarations {
	struct decl_spec *spec;
	struct member_list members;
};

/* Parse-time objects are dead once their declaration is reduced; they are reused
 * (vmlinux.h declares some hundred thousand members). */
enum sema_free_list {
	FREE_SPEC, FREE_DECLARATOR, FREE_DERIVATION, FREE_MEMBERS, FREE_DECLARATION,
	FREE_LISTS
};
struct free_object {
	struct free_object *next;
};

/* Inline: the sizes are constants, so the clearing is a few stores. */
static inline void *sema_reuse(struct cc_unit *u, enum sema_free_list list, size_t size)
{
	struct free_object *o = u->parse_free[list];

	if (!o)
		return cc_alloc(u->arena, size);
	u->parse_free[list] = o->next;
	memset(o, 0, size);
	return o;
}
void sema_release(struct cc_unit *u, enum sema_free_list list, void *object);
void sema_release_declarator(struct cc_unit *u, struct declarator *d);
void sema_release_spec(struct cc_unit *u, struct decl_spec *s);
struct derivation *sema_derivation_new(struct cc_unit *u);

/* Parameter lists under construction. */
struct param_list {
	struct cc_param *head, *tail;
	bool is_variadic;
};

/* Initializers as written; sema_init.c lays them over the object's type. */
struct designator {
	struct designator *next;
	const char *member;           /* .member, else an index range */
	int64_t first, last;          /* [first] or [first ... last] */
	struct cc_loc loc;
};

struct init_item {
	struct init_item *next;
	struct designator *designators; /* NULL: the next element in order */
	struct cc_node *expr;         /* a value, or NULL for a braced list */
	struct init_item *list;       /* braced list */
	struct cc_loc loc;
};

/* Lists the grammar builds left to right. */
struct node_list {
	struct cc_node *head, *tail;
};


/* A declaration's specifiers and the ND_DECL statements of its declarators. */
struct declaration {
	struct decl_spec *spec;
	struct node_list decls;
	struct cc_var *last;          /* declared by the latest declarator (NULL: typedef) */
};

/* An enum body being read: the type and the value of the next enumerator. */
struct enum_state {
	struct cc_type *type;
	int64_t next, min, max;
	bool packed;                  /* __attribute__((packed)): as small as its values */
};

/* A member designator of __builtin_offsetof: .name or [index]. */
struct offsetof_step {
	struct offsetof_step *next;
	struct cc_token *name;        /* NULL for an index */
	int64_t index;
};

/* scopes (sema_scope.c) */
void scope_push(struct cc_unit *u);
void scope_pop(struct cc_unit *u);
struct scope_entry *scope_add(struct cc_unit *u, const char *name, enum scope_kind kind);
struct scope_entry *scope_find(struct cc_unit *u, const char *name, bool tags);
struct scope_entry *scope_find_local(struct cc_unit *u, const char *name, bool tags);
struct cc_type *sema_add_typedef(struct cc_unit *u, const char *name, struct cc_type *type);

/* specifiers and attributes (sema_spec.c) */
struct decl_spec *sema_spec_new(struct cc_unit *u, struct cc_loc loc);
void sema_spec_keyword(struct cc_unit *u, struct decl_spec *s, struct cc_token *t);
void sema_spec_type(struct cc_unit *u, struct decl_spec *s, struct cc_type *type);
void sema_spec_attrs(struct cc_unit *u, struct decl_spec *s, const struct cc_attrs *attrs);
struct cc_type *sema_spec_finish(struct cc_unit *u, struct decl_spec *s);
struct cc_type *sema_type_tags(struct cc_unit *u, struct cc_type *type,
			       const struct cc_decl_tags *tags);
void sema_pointer_attributes(struct cc_unit *u, struct derivation *d, const struct cc_attrs *a);
void sema_report_implicit_int(struct cc_unit *u, const struct declarator *d,
			      struct cc_loc after);
static inline void sema_spec_implicit_int(struct cc_unit *u, const struct decl_spec *s,
					  const struct declarator *d, struct cc_loc after)
{
	if (s->implicit_int)
		sema_report_implicit_int(u, d, after);
}
void sema_attr_apply(struct cc_unit *u, struct cc_attrs *a, struct cc_token *name,
		     struct cc_token *section, struct cc_node *value);
void sema_attrs_merge(struct cc_unit *u, struct cc_attrs *into, const struct cc_attrs *from);
void sema_attr_apply_args(struct cc_unit *u, struct cc_attrs *a, struct cc_token *name,
			  struct cc_token *open);
const struct cc_decl_tags *sema_tags_join_new(struct cc_unit *u, const struct cc_decl_tags *a,
					      const struct cc_decl_tags *b);

/* The tags of `a`, then those of `b` that `a` lacks (a redeclaration repeats them):
 * one of them when the other adds nothing, else a new list. */
static inline const struct cc_decl_tags *sema_tags_join(struct cc_unit *u,
							const struct cc_decl_tags *a,
							const struct cc_decl_tags *b)
{
	if (!a || !b || a == b)
		return a ? a : b;
	return sema_tags_join_new(u, a, b);
}

/* The btf_decl_tags of a declarator and its specifiers; NULL if none. */
static inline const struct cc_decl_tags *sema_decl_tags(struct cc_unit *u,
							const struct cc_attrs *declarator,
							const struct cc_attrs *specifiers)
{
	return sema_tags_join(u, declarator ? declarator->decl_tags : NULL, specifiers->decl_tags);
}

/* declarators and declarations (sema_decl.c) */
struct declarator *sema_declarator_name(struct cc_unit *u, struct cc_token *name);
struct derivation *sema_pointer(struct cc_unit *u, struct derivation *quals);
void sema_pointer_qualifier(struct derivation *d, struct cc_token *qualifier);
struct declarator *sema_declarator_prepend(struct declarator *d, struct derivation *first);
struct declarator *sema_declarator_array(struct cc_unit *u, struct declarator *d,
					 struct cc_node *length);
struct declarator *sema_declarator_function(struct cc_unit *u, struct declarator *d,
					    struct param_list *params);
struct cc_type *sema_declarator_type(struct cc_unit *u, struct cc_type *base,
				     struct declarator *d);
struct param_list *sema_param_add(struct cc_unit *u, struct param_list *list,
				  struct decl_spec *spec, struct declarator *d);
struct cc_type *sema_type_name(struct cc_unit *u, struct decl_spec *spec,
			       struct declarator *abstract);
struct cc_var *sema_declare(struct cc_unit *u, struct declaration *decl, struct declarator *d);
void sema_initialize(struct cc_unit *u, struct declaration *decl, struct cc_var *var,
		     struct init_item *init);
struct cc_var *new_local(struct cc_unit *u, const char *name, struct cc_type *type,
			 struct cc_loc loc);
struct cc_var *new_global(struct cc_unit *u, const char *name, struct cc_type *type,
			  struct cc_loc loc);
void sema_function_begin(struct cc_unit *u, struct decl_spec *spec, struct declarator *d);
void sema_function_end(struct cc_unit *u, struct cc_node *body);
void sema_static_assert(struct cc_unit *u, struct cc_loc loc, struct cc_node *value,
			struct cc_token *message);

/* records and enums (sema_record.c) */
struct cc_type *sema_record_reference(struct cc_unit *u, struct cc_token *keyword,
				      struct cc_token *tag, bool declaration_only);
struct cc_type *sema_record_begin(struct cc_unit *u, struct cc_token *keyword,
				  struct cc_token *tag, struct cc_token *brace,
				  struct cc_attrs *leading);
void sema_record_end(struct cc_unit *u, struct cc_type *t, struct member_list *members,
		     struct cc_attrs *attrs);
void sema_member_add(struct cc_unit *u, struct member_list *list, struct decl_spec *spec,
		     struct declarator *d, struct cc_node *width, struct cc_loc loc);
void sema_member_anonymous(struct cc_unit *u, struct member_list *list,
			   struct decl_spec *spec, struct cc_loc loc);
struct cc_type *sema_enum_reference(struct cc_unit *u, struct cc_token *tag);
struct enum_state *sema_enum_begin(struct cc_unit *u, struct cc_token *tag,
				   struct cc_type *base);
void sema_enumerator(struct cc_unit *u, struct enum_state *e, struct cc_token *name,
		     struct cc_node *value);
struct cc_type *sema_enum_end(struct cc_unit *u, struct enum_state *e, struct cc_attrs *attrs);

/* initializers (sema_init.c): leaves of (offset, type, value) */
struct init_item *sema_init_item(struct cc_unit *u, struct cc_node *expr,
				 struct init_item *list, struct cc_loc loc);
struct designator *sema_designator(struct cc_unit *u, struct cc_token *member,
				   struct cc_node *first, struct cc_node *last, struct cc_loc loc);
struct cc_node *sema_initializer(struct cc_unit *u, struct cc_var *var,
				 struct init_item *init);

/* expressions (sema_expr.c) */
struct cc_node *new_node(struct cc_unit *u, enum cc_node_kind kind, struct cc_loc loc);
struct cc_node *new_num(struct cc_unit *u, int64_t value, struct cc_type *type,
			struct cc_loc loc);
struct cc_node *new_cast(struct cc_unit *u, struct cc_node *expr, struct cc_type *type);
struct cc_node *new_var_ref(struct cc_unit *u, struct cc_var *var, struct cc_loc loc);
void sema_note_data_ref(struct cc_unit *u, struct cc_var *var);
unsigned sema_data_ref_mark(struct cc_unit *u);
void sema_assign_order(struct cc_unit *u, const struct cc_node *lhs, unsigned mark);
struct cc_node *decay(struct cc_unit *u, struct cc_node *node);
struct cc_node *promote(struct cc_unit *u, struct cc_node *n);
struct cc_node *convert_for_assign(struct cc_unit *u, struct cc_node *value,
				   struct cc_type *type);
struct cc_node *sema_binary(struct cc_unit *u, enum cc_node_kind kind, struct cc_node *lhs,
			    struct cc_node *rhs, struct cc_loc loc);
struct cc_node *sema_assign(struct cc_unit *u, struct cc_token *op, struct cc_node *lhs,
			    struct cc_node *rhs, struct cc_loc loc);
struct cc_node *sema_conditional(struct cc_unit *u, struct cc_node *cond,
				 struct cc_node *lhs, struct cc_node *rhs, struct cc_loc loc);
struct cc_node *sema_comma(struct cc_unit *u, struct cc_node *lhs, struct cc_node *rhs,
			   struct cc_loc loc);
struct cc_node *sema_unary(struct cc_unit *u, int op, struct cc_node *e, struct cc_loc loc);
struct cc_node *sema_incdec(struct cc_unit *u, bool prefix, bool increment,
			    struct cc_node *e, struct cc_loc loc);
struct cc_node *sema_cast(struct cc_unit *u, struct cc_type *type, struct cc_node *e,
			  struct cc_loc loc);
struct cc_node *sema_sizeof(struct cc_unit *u, struct cc_type *t, bool align,
			    struct cc_loc loc);
struct cc_node *sema_index(struct cc_unit *u, struct cc_node *base, struct cc_node *index,
			   struct cc_loc loc);
struct cc_node *sema_member(struct cc_unit *u, struct cc_node *base, struct cc_token *name,
			    bool arrow, struct cc_loc loc);
struct cc_node *sema_call(struct cc_unit *u, struct cc_node *callee, struct cc_node *args,
			  struct cc_loc loc);
struct cc_node *sema_identifier(struct cc_unit *u, struct cc_token *t, bool called);
struct cc_node *sema_number(struct cc_unit *u, struct cc_token *t);
struct cc_node *sema_string(struct cc_unit *u, struct cc_token *first, size_t count);
struct cc_node *sema_statement_expression(struct cc_unit *u, struct cc_node *block,
					  struct cc_loc loc);
struct cc_node *sema_compound_literal(struct cc_unit *u, struct cc_type *type,
				      struct init_item *init, struct cc_loc loc);
int64_t sema_const_value(struct cc_unit *u, struct cc_node *n);
struct cc_node *to_bool_cond(struct cc_unit *u, struct cc_node *n);

/* builtins (sema_builtin.c) */
struct cc_node *sema_builtin_call(struct cc_unit *u, struct cc_token *name,
				  struct cc_node *args, struct cc_loc loc);
struct cc_node *sema_builtin_offsetof(struct cc_unit *u, struct cc_type *t,
				      struct offsetof_step *steps, struct cc_loc loc);
struct cc_node *sema_builtin_types_compatible(struct cc_unit *u, struct cc_type *a,
					      struct cc_type *b, struct cc_loc loc);
struct cc_node *sema_builtin_core(struct cc_unit *u, struct cc_token *name,
				  struct cc_node *expr, struct cc_node *kind, struct cc_loc loc);

/* statements (sema_stmt.c) */
struct cc_node *sema_stmt(struct cc_unit *u, enum cc_node_kind kind, struct cc_loc loc);
struct cc_node *sema_expr_stmt(struct cc_unit *u, struct cc_node *e, struct cc_loc loc);
struct cc_node *sema_condition(struct cc_unit *u, struct cc_node *c);
struct cc_node *sema_block(struct cc_unit *u, struct node_list *items, struct cc_loc loc);
struct cc_node *sema_if(struct cc_unit *u, struct cc_node *cond, struct cc_node *then,
			struct cc_node *els, struct cc_loc loc);
struct cc_node *sema_loop(struct cc_unit *u, enum cc_node_kind kind, struct cc_token *keyword,
			  struct cc_node *init, struct cc_node *cond, struct cc_node *inc,
			  struct cc_node *body);
struct cc_node *sema_switch_begin(struct cc_unit *u, struct cc_node *cond, struct cc_loc loc);
struct cc_node *sema_switch_end(struct cc_unit *u, struct cc_node *sw, struct cc_node *body);
struct cc_node *sema_case(struct cc_unit *u, struct cc_node *low, struct cc_node *high,
			  struct cc_node *body, struct cc_loc loc);
struct cc_node *sema_label(struct cc_unit *u, struct cc_token *name, struct cc_node *body);
struct cc_node *sema_goto(struct cc_unit *u, struct cc_token *label, struct cc_loc loc);
struct cc_node *sema_return(struct cc_unit *u, struct cc_node *e, struct cc_loc loc);
struct cc_node *sema_declaration_stmt(struct cc_unit *u, struct declaration *d);
void node_list_append(struct node_list *list, struct cc_node *n);

/* asm statements (sema_asm.c) */
const char *sema_string_text(struct cc_unit *u, struct cc_token *first, size_t count);
struct cc_asm_operand *sema_asm_operand(struct cc_unit *u, struct cc_token *name,
					const char *constraint, struct cc_node *expr,
					bool output);
struct cc_node *sema_asm(struct cc_unit *u, struct cc_token *keyword, const char *text,
			 struct cc_asm_operand *outputs, struct cc_asm_operand *inputs,
			 unsigned clobbers, bool is_goto);
unsigned sema_asm_clobber(const char *name);

#endif /* CC_SEMA_INT_H */
