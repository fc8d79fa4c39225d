/* driver_int.h - internals of the ebpf-cc driver (driver.c, predefs.c, asmout.c). */
#ifndef CC_DRIVER_INT_H
#define CC_DRIVER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <ebpf/cc.h>
#include <ebpf/objfmt.h>

/* clang's predefined macros for -target bpf as "NAME=VALUE", NULL-terminated. */
extern const char *const cc_driver_predefined[];
/* The standard macros gcc -E keeps after -undef, for the integrated preprocessor. */
extern const char *const cc_driver_predefined_standard[];

/* Print `obj` as assembly that ebpf-as turns back into the same object. */
int cc_driver_write_assembly(const struct objfmt_object *obj, FILE *out);

/* Load `obj` into the emulated kernel; report verifier rejections as compile errors
 * at their C lines. Returns 1 when a program was rejected, else 0. */
int cc_driver_verify(const struct objfmt_object *obj, const char *input);
/* The same; with `image`, *image receives the verified ELF image of `obj` when every
 * program verified (NULL otherwise; the caller frees it), so that an object written
 * unchanged is not serialised twice. */
int cc_driver_verify_image(const struct objfmt_object *obj, const char *input,
			   void **image, size_t *size);
/* Remove line_info records (compiled for verification) when -g was not given. */
int cc_driver_strip_lines(struct objfmt_object *obj);

struct cpp_options;
struct cpp_result;
struct cc_options;
struct cc_diagnostics;

/* handoff.c: preprocess with the integrated preprocessor and compile its tokens as
 * they come (no text in between), as cc_compile_buffer compiles the printed text.
 * `result` receives the preprocessor's result (errors, files read; no text): when it
 * has errors nothing is compiled. Returns cc_compile_buffer's values. */
int cc_driver_compile_cpp(const struct cpp_options *cpp_options, struct cpp_result *result,
			  const char *file_name, const struct cc_options *opts,
			  struct objfmt_object **object, struct cc_diagnostics **diagnostics);

/* driver_warn.c: warning options. Warnings carry their flag ("[-Wunused-variable]");
 * `flag` below is its name without -W ("unused-variable"), NULL for none. */
struct driver_warning_setting {
	const char *name;          /* flag or group ("all", "unused", "everything") */
	bool negated;              /* -Wno-... */
	bool error;                /* -Werror=... / -Wno-error=... */
};
struct driver_warnings {
	bool none;                 /* -w */
	bool errors;               /* -Werror */
	bool c89;                  /* -std=c89/gnu89: implicit int is valid */
	struct driver_warning_setting settings[128]; /* in command-line order */
	size_t count;
};
/* Take `arg` (-W... or -w). 0, or -1 with a message for an unsupported one (-Wl,...). */
int driver_warnings_parse(struct driver_warnings *w, const char *arg);
bool driver_warning_shown(const struct driver_warnings *w, const char *flag);
bool driver_warning_error(const struct driver_warnings *w, const char *flag);
/* enum cc_implicit_int for the options and language mode given. */
int driver_implicit_int(const struct driver_warnings *w);

/* driver_flags.c: -std=, -m*, -f*, -g*, -Xclang. The checks return 0 when ebpf-cc does
 * what clang does with the option, -1 after printing "unsupported option". */
struct driver_language {
	const char *name;          /* "gnu11" */
	const char *version;       /* __STDC_VERSION__, NULL in C89 */
	bool strict;               /* __STRICT_ANSI__ (c99, not gnu99) */
	bool c89;                  /* C89: implicit int valid, __GNUC_GNU_INLINE__ */
};
int driver_parse_std(const char *arg, struct driver_language *lang);
int driver_check_machine(const char *arg);
int driver_check_feature(const char *arg, struct cc_options *opts);
int driver_check_xclang(const char *value);
/* 1: -g form that enables debug information, 0: disables it, -1: modifier only,
 * -2: unsupported (message printed). */
int driver_debug_level(const char *arg);

#endif /* CC_DRIVER_INT_H */
