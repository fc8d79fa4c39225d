/* cc_int.h - internal contract between the passes of ebpf-cc: tokens (lexer.l), types
 * (types.c), the typed AST (grammar.y, sema_*.c), code generation (codegen*.c), BTF (btfgen.c)
 * and the object writer (emit.c). Never installed. */
#ifndef CC_INT_H
#define CC_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <ebpf/cc.h>
#include <ebpf/objfmt.h>

/* ---- arena: every pass allocates from the compilation's arena, freed at the end ---- */
struct cc_arena {
	char *cursor, *limit;       /* free part of the newest chunk */
	struct arena_chunk *chunks; /* newest first */
};
struct cc_arena *cc_arena_new(void);
void cc_arena_free(struct cc_arena *arena);
void *cc_alloc_chunk(struct cc_arena *arena, size_t size);

/* Zeroed; aborts never: NULL on OOM. The common case is a pointer bump and a clear
 * at the call site, where the size is mostly a constant (a few stores): the parser
 * allocates once or more per token. Chunks come from malloc, not fresh mappings:
 * reused heap memory costs no page faults. */
static inline void *cc_alloc(struct cc_arena *arena, size_t size)
{
	char *p = arena->cursor;

	size = (size + 15) & ~(size_t)15;
	if ((size_t)(arena->limit - p) < size || !p)
		return cc_alloc_chunk(arena, size);
	arena->cursor = p + size;
	return memset(p, 0, size);
}
char *cc_strdup(struct cc_arena *arena, const char *text, size_t len);

/* A position in the (pre-processed) source, after `# line` markers are applied. */
struct cc_loc {
	const char *file; /* interned in the arena */
	unsigned line;
	unsigned column;
};

/* ---- tokens ---- */
enum cc_token_kind {
	TK_EOF,
	TK_IDENT,
	TK_KEYWORD,
	TK_PUNCT,
	TK_INT,   /* integer or character constant; value in `value` */
	TK_STRING,
};

struct cc_token {               /* 48 bytes: a compile holds tens of thousands */
	const char *text;      /* spelling (identifiers, keywords, punctuators) */
	union {
		uint64_t value;    /* TK_INT */
		char *string;      /* TK_STRING: decoded bytes */
		struct cc_type *typedef_type; /* TK_IDENT read as a typedef name (parse.c) */
	};
	struct cc_loc loc;
	uint32_t string_len;   /* TK_STRING: length without the terminating NUL */
	uint8_t kind;          /* enum cc_token_kind */
	bool is_unsigned;      /* TK_INT: u suffix, or did not fit a signed type */
	int8_t long_rank;      /* TK_INT: 0 none, 1 l, 2 ll */
	bool is_char;          /* TK_INT: character constant */
	uint16_t pragma_unroll; /* the unroll pragma before this token (cc_unroll_hint) */
	bool preserve_access;  /* inside #pragma clang attribute push(preserve_access_index) */
	uint8_t word;          /* TK_KEYWORD: enum cc_spec_word, what it means in specifiers */
	uint8_t pack;          /* #pragma pack(N) in force at this token: N, 0 for none */
};

/* ---- the compilation: one translation unit ---- */
struct cc_type;
struct cc_var;
struct cc_node;
struct cc_function;

struct cc_unit {
	struct cc_arena *arena;
	const struct cc_options *opts;
	struct cc_diagnostics *diags;
	const char *main_file;      /* name of the primary source (for BTF/line info) */
	struct cc_token *tokens;    /* lexed tokens, ending with TK_EOF */
	size_t token_count;
	size_t pos;                 /* the grammar's token cursor (parse.c) */
	struct cc_scope *scope;     /* innermost scope */
	struct cc_var *globals;     /* all file-scope objects and functions, in order */
	struct cc_var *globals_tail;
	struct cc_function *current;/* function being parsed */
	struct cc_node *current_switch; /* innermost switch being parsed */
	unsigned anon_count;        /* names for string literals / compound literals */
	struct string_literal *string_literals; /* sema_primary.c: made so far, for reuse */
	int errors;
	int preserve_depth;         /* inside __builtin_preserve_access_index(...) */
	void *parse_free[5];        /* sema_decl.c: dead parse-time objects for reuse */
	struct cc_intern_table *interns; /* intern.c: identifier spellings, file names */
	/* codegen output, filled by emit.c */
	struct objfmt_object *object;
	struct objfmt_btf *btf;
	struct objfmt_btf_ext *btf_ext;
	uint32_t btf_basic[16];     /* BTF ids of the static basic types (btfgen.c) */
	uint32_t btf_array_index;   /* BTF id of __ARRAY_SIZE_TYPE__ */
	struct cc_btf_state *btf_state; /* btfgen.c: its working tables while it runs */
	struct cc_function *generated; /* first generated function (emit.c) */
	/* During code generation: the value of a load from constant data, if known. */
	bool (*fold_load)(struct cc_unit *u, struct cc_node *load, int64_t *value);
	struct gen *folding;        /* the generator fold_load works for */
};

/* diagnostics (diag.c) */
void cc_error(struct cc_unit *unit, struct cc_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void cc_warning(struct cc_unit *unit, struct cc_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Interned strings are unique per text and carry a flags byte just before them. */
const char *cc_intern(struct cc_unit *unit, const char *text);
/* The same for `len` bytes of text (NUL-terminated) whose cpp_hash_name is `hash`. */
const char *cc_intern_hashed(struct cc_unit *unit, const char *text, size_t len,
			     uint32_t hash);
/* CC_WORD_TYPEDEF: declared as a typedef somewhere (grammar.y asks the scopes only
 * then); CC_WORD_BUILTIN: a builtin the grammar has its own token for. */
enum { CC_WORD_KEYWORD = 1, CC_WORD_TYPEDEF = 4, CC_WORD_BUILTIN = 8 };
#define CC_WORD_FLAGS(interned) (((const unsigned char *)(interned))[-1])

/* Loop unrolling pragmas (unroll.c): `#pragma unroll`, `unroll N`, `nounroll`, `GCC
 * unroll N`, `clang loop unroll(full|enable|disable)` / `unroll_count(N)`. The hint a
 * pragma line (with or without its `#pragma`) gives the next loop, -1 when the line is
 * no unroll pragma; a count N >= 2 is CC_UNROLL_COUNT(N), 0 and 1 disable. */
enum { CC_UNROLL_NONE = 0, CC_UNROLL_FULL = 1, CC_UNROLL_DISABLE = 2, CC_UNROLL_COUNT_MAX = 65000 };
#define CC_UNROLL_COUNT(n) ((n) + 1)
#define CC_UNROLL_COUNT_OF(hint) ((hint) - 1)
int cc_unroll_hint(const char *line);

/* lexer.l: turn pre-processed text (with `# N "file"` markers) into tokens. */
int cc_lex(struct cc_unit *unit, const char *text, size_t size);
/* compile.c: cc_compile_buffer with the tokens made by `lex` (it fills unit->tokens,
 * ending with TK_EOF, and returns 0 or a negative errno that stops the compile). */
int cc_compile_with(int (*lex)(struct cc_unit *unit, void *context), void *context,
		    const char *file_name, const struct cc_options *opts,
		    struct objfmt_object **object, struct cc_diagnostics **diagnostics);

/* ---- types ---- */
enum cc_type_kind {
	TY_VOID,
	TY_BOOL,
	TY_CHAR,
	TY_SHORT,
	TY_INT,
	TY_LONG,
	TY_LLONG,
	TY_INT128,
	TY_FLOAT,
	TY_DOUBLE,
	TY_ENUM,
	TY_PTR,
	TY_ARRAY,
	TY_STRUCT,
	TY_UNION,
	TY_FUNC,
};

/* How a derived copy relates to its origin (for BTF: typedefs and qualifiers). */
enum cc_type_step {
	STEP_NONE,
	STEP_TYPEDEF,
	STEP_CONST,
	STEP_VOLATILE,
	STEP_TYPE_TAG,   /* btf_type_tag("..."): a BTF TYPE_TAG, nothing else in C */
};

struct cc_member {
	struct cc_member *next;
	const char *name;         /* NULL for an anonymous struct/union member */
	struct cc_type *type;
	uint64_t offset;          /* byte offset */
	unsigned bit_offset;      /* bitfields: bit offset inside the storage unit at offset */
	unsigned bit_width;       /* bitfields: width in bits */
	bool is_bitfield;
	bool is_packed;           /* __attribute__((packed)) on the member: alignment 1 */
	int aligned;              /* __attribute__((aligned(N))) on the member, else 0 */
	const struct cc_decl_tags *decl_tags; /* its btf_decl_tags, NULL when none */
	struct cc_loc loc;
};

struct cc_param {
	struct cc_param *next;
	const char *name;
	struct cc_type *type;
	const struct cc_decl_tags *decl_tags; /* its btf_decl_tags, NULL when none */
};

struct cc_type {
	enum cc_type_kind kind;
	bool is_unsigned;
	bool is_const;
	bool is_volatile;
	enum cc_type_step step;   /* STEP_NONE for a root type */
	struct cc_type *origin;   /* the type this copy derives from (step != NONE) */
	int typedef_align;        /* STEP_TYPEDEF with aligned(N): its alignment, else 0 */
	const char *name;         /* typedef name (STEP_TYPEDEF), or struct/union/enum tag */
	/* root-only fields (read them through cc_type_root) */
	int64_t size;             /* bytes; -1 while incomplete */
	int align;
	struct cc_type *base;     /* pointee, array element, function return */
	int64_t array_len;        /* -1 for [] */
	struct cc_member *members;
	bool is_packed;
	uint8_t pragma_pack;      /* struct/union: #pragma pack(N) at its body, else 0 */
	bool is_flexible;         /* struct ends in [] */
	bool defined;             /* struct/union/enum body seen */
	bool being_defined;       /* between the '{' and '}' of its body */
	bool preserve_access;     /* struct/union: preserve_access_index (CO-RE) */
	struct cc_param *params;
	bool is_variadic;
	bool has_prototype;
	uint32_t btf_id;          /* cached BTF id once emitted (0 = not yet) */
	struct cc_loc loc;
	const struct cc_decl_tags *decl_tags; /* a record's or typedef's btf_decl_tags */
	const char *type_tag;     /* STEP_TYPE_TAG: its string */
};

extern struct cc_type cc_type_void, cc_type_bool, cc_type_char, cc_type_schar,
	cc_type_uchar, cc_type_short, cc_type_ushort, cc_type_int, cc_type_uint,
	cc_type_long, cc_type_ulong, cc_type_llong, cc_type_ullong;

struct cc_type *cc_type_root(struct cc_type *t);
struct cc_type *cc_type_new(struct cc_unit *u, enum cc_type_kind kind, int64_t size, int align);
struct cc_type *cc_type_pointer(struct cc_unit *u, struct cc_type *base);
struct cc_type *cc_type_array(struct cc_unit *u, struct cc_type *base, int64_t len);
struct cc_type *cc_type_func(struct cc_unit *u, struct cc_type *ret);
struct cc_type *cc_type_derive(struct cc_unit *u, struct cc_type *t, enum cc_type_step step,
			       const char *name);
struct cc_type *cc_type_unqualified(struct cc_type *t);
int64_t cc_type_size(struct cc_type *t);
int cc_type_align(struct cc_type *t);
bool cc_type_is_integer(struct cc_type *t);
bool cc_type_is_scalar(struct cc_type *t); /* integer or pointer */
bool cc_type_is_pointer(struct cc_type *t); /* pointer (arrays/functions decay elsewhere) */
bool cc_type_is_unsigned(struct cc_type *t);
bool cc_type_is_aggregate(struct cc_type *t); /* struct, union, array */
enum cc_type_kind cc_type_kind(struct cc_type *t);
struct cc_type *cc_type_base(struct cc_type *t);
bool cc_type_compatible(struct cc_type *a, struct cc_type *b);
struct cc_member *cc_type_find_member(struct cc_type *t, const char *name, uint64_t *offset);
void cc_type_layout(struct cc_unit *u, struct cc_type *t, int pack_align);
const char *cc_type_describe(struct cc_unit *u, struct cc_type *t);

/* ---- variables and functions ---- */
enum cc_storage { SC_NONE, SC_STATIC, SC_EXTERN, SC_TYPEDEF };

/* btf_decl_tag("...") (or btf_type_tag) strings of a declaration, in source order,
 * each once: BTF DECL_TAG records (btfgen.c), e.g. libbpf's __arg_ctx is
 * btf_decl_tag("arg:ctx"). Lists live in the arena and are shared, never changed. */
enum { CC_MAX_DECL_TAGS = 8 };
struct cc_decl_tags {
	const char *value[CC_MAX_DECL_TAGS];
	unsigned count;
};

struct cc_attrs {
	const char *section;      /* section("...") */
	int aligned;              /* aligned(N) */
	bool packed;
	bool always_inline;
	bool noinline;
	bool weak;
	bool unused;
	bool preserve_access_index;
	bool used;
	bool hidden;              /* visibility("hidden") */
	const struct cc_decl_tags *decl_tags; /* NULL when none (lists are never changed) */
	const struct cc_decl_tags *type_tags; /* btf_type_tag("...") among the specifiers */
};

struct cc_var {
	struct cc_var *next;        /* globals list / function locals list */
	const char *name;
	struct cc_type *type;
	struct cc_loc loc;
	bool is_local;
	bool is_function;
	bool is_param;
	bool is_static;
	bool is_extern;
	bool is_definition;         /* globals: has an initializer or tentative definition */
	bool address_taken;         /* & applied, or aggregate (must live in memory) */
	bool referenced;            /* used by emitted code */
	bool placed;                /* given its section and offset (emit.c) */
	unsigned place_order;       /* 1, 2, ... in the order placed: clang's creation order */
	uint64_t object_size;       /* bytes in its section (a flexible array member's
				       initializer extends the type's size) */
	int use_count;
	struct cc_function *data_ref_of; /* the function whose data_refs list holds it last */
	struct cc_attrs attrs;
	struct cc_node *init;       /* initializer expression tree (ND_INIT_LIST or expr) */
	struct cc_function *function; /* is_function: its body, if defined */
	int64_t helper_id;          /* function pointer with (void *)N initializer, else -1 */
	const char *asm_name;       /* name used in the object (static locals get fn.name) */
	/* codegen */
	int reg;                    /* register r6-r9 holding a local, or -1 */
	int live_first, live_last;  /* statement positions where it is live (live.c) */
	int decl_pos;               /* statement position of its declaration */
	int stack_offset;           /* negative fp offset of a memory local */
	size_t section;             /* object section of a global */
	uint64_t offset;            /* offset in that section */
	int symbol;                 /* object symbol index, -1 none */
	uint32_t btf_var;           /* BTF VAR id */
	bool inline_const;          /* const parameter of an always_inline expansion whose
				       argument is the constant inline_value (inline.c) */
	int64_t inline_value;
};

/* ---- AST ---- */
enum cc_node_kind {
	/* expressions */
	ND_NUM, ND_VAR, ND_MEMBER, ND_DEREF, ND_ADDR, ND_CAST,
	ND_ADD, ND_SUB, ND_MUL, ND_DIV, ND_MOD, ND_BITAND, ND_BITOR, ND_BITXOR, ND_SHL, ND_SHR,
	ND_EQ, ND_NE, ND_LT, ND_LE, ND_GT, ND_GE,
	ND_LOGAND, ND_LOGOR, ND_NOT, ND_BITNOT, ND_NEG,
	ND_COND, ND_COMMA, ND_ASSIGN, ND_ASSIGN_OP, ND_PREINC, ND_POSTINC,
	ND_CALL, ND_STMT_EXPR, ND_INIT_LIST, ND_BUILTIN, ND_LOADED,
	/* statements */
	ND_BLOCK, ND_EXPR_STMT, ND_DECL, ND_IF, ND_FOR, ND_DO, ND_SWITCH, ND_CASE,
	ND_BREAK, ND_CONTINUE, ND_GOTO, ND_LABEL, ND_RETURN, ND_ASM, ND_NULL_STMT,
};

enum cc_builtin {
	BI_MEMCPY, BI_MEMSET, BI_MEMCMP, BI_MEMMOVE, BI_BSWAP16, BI_BSWAP32, BI_BSWAP64,
	BI_TRAP, BI_UNREACHABLE, BI_FETCH_ADD, BI_FETCH_OR, BI_FETCH_AND, BI_FETCH_XOR,
	BI_XCHG, BI_CMPXCHG,
	/* CO-RE (codegen_core.c): args is the unevaluated expression, value the kind */
	BI_FIELD_INFO, BI_TYPE_INFO, BI_ENUM_VALUE, BI_BTF_TYPE_ID,
	BI_CONSTANT_P,  /* __builtin_constant_p(param): known once inlined (inline.c) */
};

/* GNU inline asm: asm volatile("template" : outputs : inputs : clobbers). */
struct cc_asm_operand {
	struct cc_asm_operand *next;
	const char *name;           /* [name], or NULL */
	const char *constraint;     /* "=r", "+r", "r", "i", "n", "0".."9" */
	struct cc_node *expr;       /* lvalue for outputs */
	int reg;                    /* codegen scratch: its register, or -1 */
};

struct cc_asm {
	const char *text;           /* the template, NUL-terminated */
	struct cc_asm_operand *outputs, *inputs;
	unsigned clobbers;          /* bit per register r0-r9 named in the clobber list */
};

/* Why an access is CO-RE relocatable: its record is preserve_access_index (the record
 * names the struct), or it sits in __builtin_preserve_access_index (typedefs kept). */
enum { CC_CORE_RECORD = 1, CC_CORE_BUILTIN = 2 };

struct cc_node {
	enum cc_node_kind kind;
	struct cc_type *type;       /* expression type (after conversions) */
	struct cc_loc loc;
	struct cc_node *lhs, *rhs;  /* operands; ND_COND: cond ? lhs : rhs via `cond` */
	struct cc_node *cond, *then, *els, *init, *inc, *body; /* statements */
	struct cc_node *next;       /* statement lists, argument lists, init lists */
	/* ND_ASSIGN_OP, ND_PREINC, ND_POSTINC: lhs is the lvalue and rhs the new value,
	 * computed from ND_LOADED (the lvalue's current value, loaded once). */
	int64_t value;              /* ND_NUM; ND_MEMBER: byte offset; ND_CASE value */
	int64_t value_high;         /* ND_CASE range end (GNU case a ... b) */
	struct cc_var *var;         /* ND_VAR, ND_DECL */
	struct cc_member *member;   /* ND_MEMBER */
	struct cc_node *args;       /* ND_CALL arguments, ND_BUILTIN arguments */
	struct cc_node *cases;      /* ND_SWITCH: its ND_CASE nodes (via case_next) */
	struct cc_node *case_next;
	bool is_default;            /* ND_CASE */
	const char *label;          /* ND_GOTO/ND_LABEL */
	enum cc_builtin builtin;    /* ND_BUILTIN */
	uint64_t designator_offset; /* ND_INIT_LIST element: byte offset in the aggregate */
	struct cc_member *init_bitfield; /* ND_INIT_LIST element: the bitfield it sets */
	uint16_t unroll;            /* loops: the unroll pragma before them (cc_unroll_hint) */
	struct cc_asm *asm_stmt;    /* ND_ASM */
	uint8_t core;               /* ND_MEMBER, array ND_DEREF: a CO-RE relocatable access
				       (CC_CORE_RECORD or CC_CORE_BUILTIN), else 0 */
	int label_id;               /* codegen scratch */
	int break_label, continue_label;
};

struct cc_function {
	struct cc_var *var;
	struct cc_node *body;
	struct cc_var *locals;      /* params first, then every local declared */
	struct cc_var *locals_tail;
	struct cc_var *params;      /* first param in locals */
	int param_count;
	bool is_program;            /* has SEC() and is global */
	bool emitted;               /* reachable: code is generated for it */
	bool needs_constants;       /* __builtin_constant_p or an asm "i" operand of a
				       parameter: expanded at always_inline calls (inline.c) */
	struct gen *code;           /* codegen output (codegen_int.h) */
	size_t section;             /* object section of its code */
	uint64_t offset;            /* byte offset of its first insn there */
	int stack_depth;            /* bytes of stack used */
	struct cc_function *next_generated; /* functions in the order code was generated */
	/* File-scope data its body names, static locals at their declaration, in source
	 * order: the order clang creates them in when it emits the body (sema_expr.c). */
	struct cc_var **data_refs;
	size_t data_ref_count, data_ref_capacity;
	bool deferred;              /* emit.c: named by an emitted function (clang defers it) */
};

/* parser (grammar.y through parse.c; semantics in sema_*.c) and constant folding
 * (fold.c) */
int cc_parse(struct cc_unit *unit);
bool cc_const_eval(struct cc_unit *u, struct cc_node *node, int64_t *value);
/* Address constants: a pointer-valued expression (cc_const_address) or the address of
 * an lvalue (cc_const_lvalue) that is &global + offset. */
bool cc_const_lvalue(struct cc_unit *u, struct cc_node *node, struct cc_var **var,
		     int64_t *offset);
bool cc_const_address(struct cc_unit *u, struct cc_node *node, struct cc_var **var,
		      int64_t *offset);

/* code generation and object (codegen*.c, emit.c, btfgen.c) */
int cc_emit_object(struct cc_unit *unit);
struct gen;
int cc_codegen_function(struct cc_unit *unit, struct cc_function *fn);
void cc_codegen_free(struct gen *g);
uint32_t cc_btf_type(struct cc_unit *unit, struct cc_type *t);
uint32_t cc_btf_func(struct cc_unit *unit, struct cc_var *fn);
int cc_btf_finish(struct cc_unit *unit);

#endif /* CC_INT_H */
