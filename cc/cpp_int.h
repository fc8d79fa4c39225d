/* cpp_int.h - ebpf-cc's integrated C preprocessor: tokens, macros, the include stack
 * and the output writer shared by cpp_lex.c, cpp_macro.c, cpp_expr.c, cpp_dir.c,
 * cpp_out.c and cpp.c. Output and expansion follow gcc -E so the text is the same. */
#ifndef CC_CPP_INT_H
#define CC_CPP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cpp.h"

enum cpp_kind {
	CPP_IDENT, CPP_NUMBER, CPP_CHAR, CPP_STRING, CPP_PUNCT, CPP_OTHER,
	CPP_HEADER,  /* <file> after #include */
	CPP_NEWLINE, /* end of a logical line (lexer only) */
	CPP_PADDING, /* spacing hint from macro expansion, as gcc's CPP_PADDING */
	CPP_EOF,     /* end of file, or of a macro argument being expanded */
};

enum cpp_flag {
	CPP_F_WHITE = 1,       /* whitespace before the token */
	CPP_F_BOL = 2,         /* first token of a line */
	CPP_F_NO_EXPAND = 4,   /* name of a macro that was disabled when seen ("painted") */
	CPP_F_PASTE_LEFT = 8,  /* followed by ## in a replacement list */
	CPP_F_STRINGIFY = 16,  /* parameter preceded by # */
	CPP_F_PARAM = 32,      /* a parameter in a replacement list (param = index) */
	CPP_F_VA_OPT = 64,     /* the __VA_OPT__ keyword in a replacement list */
	CPP_F_SPACED = 128,    /* after ## in a replacement list, white space before it */
};

struct cpp_ident;

/* One preprocessing token, 32 bytes: macro bodies and expansions hold many of them.
 * Text points into a file buffer or the arenas. */
struct cpp_token {
	const char *text;
	uint32_t length;
	uint8_t kind;           /* enum cpp_kind */
	uint8_t flags;          /* enum cpp_flag */
	uint16_t param;         /* parameter index (CPP_F_PARAM) */
	uint32_t line;          /* spelling position */
	uint16_t column;        /* (saturates at 65535) */
	uint16_t file;          /* index into cpp->files */
	union {
		struct cpp_ident *ident;        /* CPP_IDENT */
		const struct cpp_token *source; /* CPP_PADDING: token whose spacing decides */
	};
};

/* Built-in macros computed when expanded. */
enum cpp_builtin {
	CPP_B_NONE, CPP_B_FILE, CPP_B_LINE, CPP_B_COUNTER, CPP_B_DATE, CPP_B_TIME,
	CPP_B_BASE_FILE, CPP_B_INCLUDE_LEVEL, CPP_B_PRAGMA,
	CPP_B_HAS_INCLUDE, CPP_B_HAS_INCLUDE_NEXT, CPP_B_HAS_ATTRIBUTE, CPP_B_HAS_BUILTIN,
	CPP_B_HAS_FEATURE, CPP_B_HAS_EXTENSION, CPP_B_HAS_C_ATTRIBUTE,
};

struct cpp_macro {
	struct cpp_token *body;
	uint32_t count;         /* body tokens */
	uint16_t params;        /* parameters, the variadic one included */
	bool function_like;
	bool variadic;          /* last parameter is __VA_ARGS__ or NAME... */
	bool disabled;          /* being expanded (its context is on the stack) */
	enum cpp_builtin builtin;
	struct cpp_ident **param_names;
	uint32_t line, file;    /* definition site, for redefinition diagnostics */
	uint16_t column;
};

enum cpp_directive_kind {
	CPP_D_NONE, CPP_D_DEFINE, CPP_D_UNDEF, CPP_D_INCLUDE, CPP_D_INCLUDE_NEXT, CPP_D_IF,
	CPP_D_IFDEF, CPP_D_IFNDEF, CPP_D_ELIF, CPP_D_ELSE, CPP_D_ENDIF, CPP_D_LINE,
	CPP_D_ERROR, CPP_D_WARNING, CPP_D_PRAGMA, CPP_D_IDENT, CPP_D_ELIFDEF, CPP_D_ELIFNDEF,
	CPP_D_IMPORT,
};

/* Every distinct identifier, interned once; the macro table hangs off it. */
struct cpp_ident {
	const char *name;        /* stored right after the struct, CPP_LEX_PADDING NULs after */
	uint32_t length;
	uint32_t hash;
	struct cpp_macro *macro;
	uint8_t directive;       /* enum cpp_directive_kind */
	bool va_args;            /* __VA_ARGS__ */
	bool va_opt;             /* __VA_OPT__ */
	bool defined_op;         /* defined */
	const void *client;      /* the compiler's spelling of it (handoff.c), once asked */
};

/* Readable bytes after the NUL that ends any text cpp_lex_raw lexes (files, -D lines,
 * cpp_lex_string copies): the lexer reads identifiers a whole word at a time. */
#define CPP_LEX_PADDING 8

/* A file's text once read (cached: headers are often included more than once). */
struct cpp_file {
	char *path;               /* as written in line markers */
	char *text;               /* NUL-terminated, line splices removed */
	size_t size;
	uint32_t *splices;        /* offsets where a backslash-newline was removed */
	uint32_t splice_count;
	struct cpp_ident *guard;  /* include guard macro, once known */
	bool once;                /* #pragma once */
	uint8_t system;           /* found in a system directory: 1, 2 = also implicitly extern C */
	unsigned long long device, inode;
	bool entered;             /* entered once: its system-ness is known */
	bool renamed;             /* a copy sharing another entry's text (#line, system-ness) */
};

/* One open file on the include stack. */
struct cpp_source {
	struct cpp_file *file;
	uint32_t file_index;     /* index in cpp->files */
	int dir_index;           /* search-path position it was found at (-1: beside the
				  * includer, -2: not by search) for #include_next */
	const char *pos;
	uint32_t line;           /* logical line of pos, splices counted */
	const char *line_start;
	uint32_t next_splice;
	/* splices passed, as text positions: where the next one is (0 after a memset: not
	 * known yet) and where the last one passed was (columns count from it) */
	uintptr_t splice_at;
	const char *splice_start;
	uint32_t cond_depth;     /* conditional stack height when the file was entered */
	uint32_t return_line;    /* includer's line after the #include */
	int32_t line_delta;      /* #line: added to every line number */
	bool at_bol;
	/* include-guard detection: state of the outermost #ifndef */
	uint8_t guard_state;     /* 0 nothing seen, 1 in guard, 2 guard closed, 3 not a guard */
	struct cpp_ident *guard_candidate;
};

struct cpp_cond {
	bool was_true;    /* some branch of this group was taken */
	bool skipping;    /* the current branch is skipped */
	bool seen_else;
	bool outer_skipping;
	uint32_t line, column;    /* the opening directive, for "unterminated #if" */
	const char *directive;
};

/* A macro expansion being read (gcc's context). */
struct cpp_context {
	const struct cpp_token *tokens;
	uint32_t count, pos;
	struct cpp_macro *macro;  /* re-enabled when the context is popped */
};

struct cpp_printer {
	char *data;
	size_t length, capacity;
	uint32_t line;            /* line the output is at in `file` */
	uint32_t file;
	bool printed;             /* something on the current output line */
	bool avoid_paste;
	bool prev_system;         /* the last token was spelled in a system header */
	bool have_source;         /* a padding named the token whose spacing decides */
	bool source_white;        /* ... and that token had white space before it */
	struct cpp_token prev;    /* last token printed (kind NEWLINE: none) */
	char prev_text[8];        /* the start of its spelling (prev.text points here) */
	/* With a sink (cpp_options.sink) nothing is written: where the text would be. */
	const struct cpp_sink *sink;
	uint32_t sink_line;       /* line number the printed text would be at */
	uint32_t sink_column;     /* characters on that line so far */
};

struct cpp_arena_block;

/* One `#pragma push_macro("NAME")`: the definition NAME had (NULL: none). */
struct cpp_pushed_macro {
	struct cpp_ident *name;
	struct cpp_macro *macro;
	struct cpp_pushed_macro *next;   /* pushed before it */
};

/* A slot of the identifier table (open addressing). */
struct cpp_slot {
	uint32_t hash;
	struct cpp_ident *ident;
};

struct cpp {
	const struct cpp_options *opts;
	struct cpp_slot *idents;    /* identifier table, power-of-two size */
	uint32_t ident_mask, ident_count;
	struct cpp_arena_block *arena;   /* files, identifiers, macros: the whole run */
	struct cpp_arena_block *scratch; /* expansions: reset between top-level tokens */
	struct cpp_file **files;    /* every file seen, index = token.file */
	uint32_t file_count, file_capacity;
	struct cpp_source *stack;   /* include stack */
	uint32_t depth, stack_capacity;
	struct cpp_cond *conds;
	uint32_t cond_depth, cond_capacity;
	struct cpp_context *contexts;
	uint32_t context_depth, context_capacity;
	struct cpp_token lookahead[8]; /* tokens backed up to the file lexer */
	uint32_t lookahead_count;
	/* state */
	int prevent_expansion;
	int parsing_args;         /* 1 looking for '(', 2 collecting arguments */
	int arg_expansion;        /* depth of argument pre-expansion */
	bool last_from_context;   /* cpp_get's token came from a macro expansion */
	uint32_t last_lexed_file; /* file of the last token lexed from a file */
	bool directive_ended;     /* the directive's newline was read */
	bool out_of_memory;
	bool fatal;               /* a fatal error (missing #include): stop */
	const struct cpp_file *chain_printed_for; /* last "In file included from" */
	bool marker_emitted;      /* a line change of this token printed a marker */
	uint32_t include_line;    /* line of the #include being entered */
	bool line_directive;      /* a #line changed numbering: print a marker */
	bool in_directive;
	bool skipping;
	uint32_t expansion_line, expansion_column; /* outermost macro name being expanded */
	uint32_t expansion_file;
	unsigned counter;
	int errors;
	/* search path: quote dirs, then bracket dirs (-I, -isystem, system, -idirafter) */
	const char **dirs;
	uint8_t *dir_system;
	uint32_t dir_count, quote_count, dir_capacity, dir_system_capacity;
	struct cpp_probe *probes;  /* stat() results of the include search, by path */
	uint32_t probe_mask, probe_count;
	uint32_t bol_column;      /* column of the current line's first token */
	char date[32], time[32];
	struct cpp_printer out;
	struct cpp_token padding_avoid; /* gcc's pfile->avoid_paste */
	struct cpp_token eof;
	struct cpp_pushed_macro *pushed_macros; /* #pragma push_macro stack, newest first */
	uint32_t directive_line;  /* line of the directive being run (-dD prints there) */
	uint32_t text_defines;    /* -D/-U/predefined texts run so far (cpp_define_text) */
	/* dependencies */
	const char **deps;
	uint32_t dep_count, dep_capacity;
};

/* `#` or its digraph `%:` (gcc's CPP_HASH): a digraph keeps its spelling in the
 * output, in strings made by `#` and in pasted spellings, as gcc keeps it. */
static inline bool cpp_is_hash(const struct cpp_token *t)
{
	return t->kind == CPP_PUNCT &&
	       ((t->length == 1 && t->text[0] == '#') ||
		(t->length == 2 && t->text[0] == '%' && t->text[1] == ':'));
}

/* `##` or its digraph `%:%:` (gcc's CPP_PASTE). */
static inline bool cpp_is_paste(const struct cpp_token *t)
{
	return t->kind == CPP_PUNCT &&
	       ((t->length == 2 && t->text[0] == '#' && t->text[1] == '#') ||
		(t->length == 4 && !memcmp(t->text, "%:%:", 4)));
}

/* cpp.c */
void *cpp_alloc(struct cpp *cpp, size_t size);
/* Memory for one top-level expansion or directive: reused once it is printed. */
void *cpp_scratch(struct cpp *cpp, size_t size);
void *cpp_scratch_grow(struct cpp *cpp, void *old, size_t old_size, size_t new_size);
char *cpp_strndup(struct cpp *cpp, const char *text, size_t length);
struct cpp_ident *cpp_intern(struct cpp *cpp, const char *name, size_t length);
/* Add a name known not to be in the table; h is its hash as cpp_intern computes it. */
struct cpp_ident *cpp_intern_new(struct cpp *cpp, const char *name, size_t length, uint32_t h);
void cpp_error(struct cpp *cpp, uint32_t file, uint32_t line, uint32_t column,
	       const char *severity, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void cpp_error_at(struct cpp *cpp, const struct cpp_token *token, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool cpp_grow(void **array, uint32_t *capacity, uint32_t need, size_t element);

/* cpp_lex.c */
void cpp_lex_init(void);
int cpp_lex_raw(struct cpp *cpp, struct cpp_source *src, struct cpp_token *token);
void cpp_skip_line(struct cpp_source *src);
bool cpp_skip_group_line(struct cpp *cpp, struct cpp_source *src);
int cpp_lex_string(struct cpp *cpp, const char *text, size_t length, uint32_t file,
		   uint32_t line, uint32_t column, struct cpp_token **tokens, uint32_t *count);
int cpp_lex_header_name(struct cpp_source *src, struct cpp_token *token);

/* cpp_macro.c */
int cpp_get(struct cpp *cpp, struct cpp_token *token);
int cpp_lex_token(struct cpp *cpp, struct cpp_token *token);
void cpp_backup(struct cpp *cpp, const struct cpp_token *token);
void cpp_drop_contexts(struct cpp *cpp);
void cpp_push_tokens(struct cpp *cpp, const struct cpp_token *tokens, uint32_t count,
		     struct cpp_macro *macro);
int cpp_builtin(struct cpp *cpp, struct cpp_macro *macro, const struct cpp_token *name);
void cpp_define_builtins(struct cpp *cpp);

/* cpp_expr.c */
int cpp_eval_if(struct cpp *cpp, const struct cpp_token *directive, bool *value);

/* cpp_define.c */
int cpp_define(struct cpp *cpp);
int cpp_undef(struct cpp *cpp);
int cpp_define_text(struct cpp *cpp, const char *text, bool undefine);
void cpp_dump_macros(struct cpp *cpp);
void cpp_dump_defines_head(struct cpp *cpp);
void cpp_restore_macro(struct cpp *cpp, struct cpp_ident *id, struct cpp_macro *macro,
		       uint32_t line);

/* cpp_file.c */
uint32_t cpp_add_file(struct cpp *cpp, struct cpp_file *file);
struct cpp_file *cpp_open_file(struct cpp *cpp, const char *path, uint32_t *index);
bool cpp_file_exists(const char *path);
void cpp_add_dep(struct cpp *cpp, const char *path);
void cpp_build_search_path(struct cpp *cpp);
uint32_t cpp_add_file_name(struct cpp *cpp, struct cpp_file *file, const char *name);
int cpp_find_include(struct cpp *cpp, const char *name, bool angled, bool next,
		     char **path, int *system, int *dir_index);
int cpp_enter_file(struct cpp *cpp, const char *path, int system, int dir_index,
		   uint32_t return_line);

/* cpp_dir.c */
int cpp_directive(struct cpp *cpp, const struct cpp_token *hash);
int cpp_directive_token(struct cpp *cpp, struct cpp_token *token);
int cpp_run_pragma(struct cpp *cpp, uint32_t line, struct cpp_token *tokens, uint32_t count,
		   const char *directive);
void cpp_read_line(struct cpp *cpp, struct cpp_token **tokens, uint32_t *count,
		   bool expand);

/* cpp_out.c */
void cpp_out_token(struct cpp *cpp, const struct cpp_token *token, uint32_t file,
		   uint32_t line, uint32_t column);
void cpp_out_line_change(struct cpp *cpp, const struct cpp_token *token);
void cpp_out_file_change(struct cpp *cpp, uint32_t file, uint32_t line, int flag);
void cpp_out_directive(struct cpp *cpp, uint32_t line, const char *directive,
		       const struct cpp_token *tokens, uint32_t count);
void cpp_out_text(struct cpp *cpp, const char *text, size_t length);
void cpp_out_define(struct cpp *cpp, uint32_t file, uint32_t line, const char *text,
		    size_t length);
bool cpp_avoid_paste(const struct cpp_token *a, const struct cpp_token *b);

#endif /* CC_CPP_INT_H */
