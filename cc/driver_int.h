/* driver_int.h - internals of the ebpf-cc driver (driver.c, predefs.c, asmout.c). */
#ifndef CC_DRIVER_INT_H
#define CC_DRIVER_INT_H

#include <stddef.h>
#include <stdio.h>

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

#endif /* CC_DRIVER_INT_H */
