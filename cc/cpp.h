/* cpp.h - the integrated C preprocessor's interface to the ebpf-cc driver: options in
 * command-line order, the preprocessed text (as gcc -E prints it) and the files read. */
#ifndef CC_CPP_H
#define CC_CPP_H

#include <stdbool.h>
#include <stddef.h>

enum cc_cpp_arg_kind {
	CC_CPP_DEFINE,      /* -D NAME[=VALUE] */
	CC_CPP_UNDEF,       /* -U NAME */
	CC_CPP_DIR,         /* -I DIR */
	CC_CPP_SYSTEM_DIR,  /* -isystem DIR */
	CC_CPP_QUOTE_DIR,   /* -iquote DIR */
	CC_CPP_AFTER_DIR,   /* -idirafter DIR */
	CC_CPP_INCLUDE,     /* -include FILE */
};

struct cc_cpp_arg {
	enum cc_cpp_arg_kind kind;
	const char *value;
};

struct cpp_token;

/* Receives the preprocessed tokens instead of the text (the compiler's input without
 * printing and lexing it again). Positions are those the printed text gives. */
struct cpp_sink {
	void *context;
	/* One token, at `line` and `column` (1-based) of the printed text's numbering. */
	void (*token)(void *context, const struct cpp_token *token, unsigned line,
		      unsigned column);
	/* A `# N "file" flags` line as printed (no newline). */
	void (*line_marker)(void *context, const char *text);
	/* A `#pragma ...` or `#ident ...` line as printed (no newline). */
	void (*directive)(void *context, const char *text);
	/* The end of the text, at `line` and `column`. */
	void (*end)(void *context, unsigned line, unsigned column);
};

struct cpp_options {
	const char *input;                 /* the main file; "-" reads standard input */
	const struct cc_cpp_arg *args;     /* in command-line order */
	int arg_count;
	const char *const *predefined;     /* "NAME=VALUE" list, NULL-terminated */
	bool no_standard_dirs;             /* -nostdinc */
	bool dump_macros;                  /* -dM: the definitions instead of the text */
	bool dump_defines;                 /* -dD: #define and #undef lines kept in the text */
	int builtin_count;                 /* the first N of `predefined` are the compiler's
					    * own (-dD shows them in "<built-in>") */
	/* Receives each formatted diagnostic ("FILE:LINE:COL: error: ...\n" + source). */
	void (*diagnostic)(void *context, const char *text);
	void *diagnostic_context;
	/* Non-NULL: the tokens go to the sink and result->text stays empty. */
	const struct cpp_sink *sink;
};

struct cpp_result {
	char *text;            /* preprocessed text, NUL-terminated; caller frees */
	size_t size;
	char **deps;           /* files read, main file first; caller frees (cpp_result_free) */
	bool *dep_system;      /* the file was found in a system directory */
	size_t dep_count;
	int errors;            /* errors reported (0: success) */
};

/* Preprocess opts->input. Returns 0 (check result->errors for user errors) or
 * -ENOMEM. result is filled in either case and must be released with cpp_result_free. */
int cpp_preprocess(const struct cpp_options *opts, struct cpp_result *result);
void cpp_result_free(struct cpp_result *result);
/* The hash of an identifier's spelling (cpp_ident.hash; the compiler's intern table
 * uses it too, so that a handed-over identifier is not hashed again). */
uint32_t cpp_hash_name(const char *name, size_t length);

#endif /* CC_CPP_H */
