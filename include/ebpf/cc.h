/* cc.h - public contract of libcc: compile pre-processed BPF C (the output of the
 * system C preprocessor with the BPF target's macros, `# line` markers kept) into a
 * relocatable object model (struct objfmt_object) with .BTF and .BTF.ext.
 *
 * Conventions: functions return 0 or a negative errno. The library never prints and
 * never exits; problems with the input are recorded as struct cc_diagnostic entries in
 * a list the caller receives and frees. No global state: calls may run concurrently.
 */
#ifndef EBPF_CC_H
#define EBPF_CC_H

#include <stdbool.h>
#include <stddef.h>

#include <ebpf/objfmt.h>

#ifdef __cplusplus
extern "C" {
#endif

enum cc_severity {
	CC_SEVERITY_ERROR = 0,
	CC_SEVERITY_WARNING = 1,
	CC_SEVERITY_NOTE = 2,
};

/* One message about the input, at a 1-based line and column of `file` (the name the
 * `# line` markers give, i.e. the original source or header). */
struct cc_diagnostic {
	const char *file;         /* owned by the list */
	unsigned line;
	unsigned column;
	enum cc_severity severity;
	char message[256];        /* "use of undeclared identifier 'x'" */
};

struct cc_diagnostics; /* opaque list of struct cc_diagnostic */

/* Options; `size` must be sizeof(struct cc_options) (or a prefix written by an older
 * caller); unknown non-zero tail bytes are rejected with -EINVAL. */
struct cc_options {
	size_t size;
	int optimize;        /* 0 (-O0) or >= 1 (-O1/-O2): register allocation, folding */
	bool debug_info;     /* -g: .BTF.ext line_info (func_info is always emitted) */
	bool warnings_are_errors; /* -Werror */
	unsigned max_errors; /* stop after this many errors; 0 means 20 */
	int implicit_int;    /* enum cc_implicit_int: how `static x;` is reported */
	/* -fdebug-prefix-map=OLD=NEW values: line_info file names starting with OLD start
	 * with NEW instead (the last matching one applies, as in clang) */
	const char *const *debug_prefix_maps;
	size_t debug_prefix_map_count;
};

/* Implicit int as clang-19 reports it: an error in C99 and later (the default), a
 * warning with -Wno-error=implicit-int, nothing with -Wno-implicit-int; in C89 it is
 * valid, a warning of the -Wall group. The declaration is an int in every case. */
enum cc_implicit_int {
	CC_IMPLICIT_INT_ERROR,
	CC_IMPLICIT_INT_WARNING,
	CC_IMPLICIT_INT_ALLOWED,
	CC_IMPLICIT_INT_C89,
};

/* Warnings carry the flag that enables them, as clang prints it ("unused variable 'x'
 * [-Wunused-variable]"); the ones in the -Wall group are always recorded, so that the
 * caller decides whether to show them. */

/* Compile `size` bytes of pre-processed C. `file_name` is the primary source's name
 * (used until the first `# line` marker). On success returns 0 and *object receives
 * the new object (caller frees with objfmt_object__free). On input errors returns
 * -EINVAL and *object is NULL. When `diagnostics` is non-NULL it receives the list of
 * messages (possibly empty; caller frees). -ENOMEM on allocation failure. */
int cc_compile_buffer(const char *text, size_t size, const char *file_name,
		      const struct cc_options *opts, struct objfmt_object **object,
		      struct cc_diagnostics **diagnostics);

/* Preprocess the source `file` with the integrated preprocessor as `ebpf-cc -c` does
 * (clang's predefined macros for -target bpf, __OPTIMIZE__ when opts->optimize, the
 * standard include directories), then compile it as cc_compile_buffer does, all
 * in-process. `cpp_args` holds `cpp_arg_count` strings: flag/value pairs in
 * command-line order, the flag one of "-I", "-D", "-U", "-isystem", "-iquote",
 * "-idirafter", "-include" (e.g. { "-I", "inc", "-D", "N=1" }); another flag is
 * -EINVAL. Preprocessor errors (a missing header, #error) are returned as diagnostics
 * like the compiler's, with -EINVAL. Otherwise returns as cc_compile_buffer. */
int cc_compile_file(const char *file, const char *const *cpp_args, size_t cpp_arg_count,
		    const struct cc_options *opts, struct objfmt_object **object,
		    struct cc_diagnostics **diagnostics);

size_t cc_diagnostics__count(const struct cc_diagnostics *list);
const struct cc_diagnostic *cc_diagnostics__get(const struct cc_diagnostics *list, size_t i);
size_t cc_diagnostics__error_count(const struct cc_diagnostics *list);
void cc_diagnostics__free(struct cc_diagnostics *list);

/* Format one diagnostic as compilers print it into `buf` (always NUL-terminated):
 *     prog.c:3:5: error: use of undeclared identifier 'x'
 *         return x;
 *                ^
 * The source line is read from `file` when it can be opened. Returns the length the
 * full text has (as snprintf does). */
int cc_diagnostic__format(const struct cc_diagnostic *diag, char *buf, size_t buflen);

#ifdef __cplusplus
}
#endif
#endif /* EBPF_CC_H */
