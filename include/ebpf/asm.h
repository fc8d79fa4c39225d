/* asm.h - public contract of libasm: assemble eBPF assembly text (LLVM dialect as
 * llvm-mc -triple bpf accepts it, or the mnemonic dialect of the conformance suite)
 * into a relocatable object model (struct objfmt_object), with diagnostics as structs.
 *
 * Conventions: functions return 0 or a negative errno. The library never prints and
 * never exits; problems with the input are recorded as struct asm_diagnostic entries
 * in a list the caller receives and frees. Objects are released with
 * objfmt_object__free, diagnostic lists with asm_diagnostics__free (both accept NULL).
 * The library keeps no global state: calls may run concurrently on different inputs.
 */
#ifndef EBPF_ASM_H
#define EBPF_ASM_H

#include <stddef.h>
#include <stdint.h>

#include <ebpf/objfmt.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Input dialect. AUTO looks at the first instruction: `%r` registers or a bare
 * mnemonic (`mov`, `ldxw`, ...) mean MNEMONIC, anything else LLVM. */
enum asm_dialect {
	ASM_DIALECT_AUTO = 0,
	ASM_DIALECT_LLVM = 1,     /* r0 = *(u32 *)(r1 + 4), if r1 > r2 goto +3, ... */
	ASM_DIALECT_MNEMONIC = 2, /* ldxw %r0, [%r1+4], jgt %r1, %r2, +3, ... */
};

enum asm_severity {
	ASM_SEVERITY_ERROR = 0,
	ASM_SEVERITY_WARNING = 1,
	ASM_SEVERITY_NOTE = 2,
};

/* One message about the input, pointing at a line and column (both 1-based). */
struct asm_diagnostic {
	const char *file;          /* file name as given by the caller (borrowed) */
	unsigned line;             /* 1-based line */
	unsigned column;           /* 1-based column of the offending token */
	enum asm_severity severity;
	char message[256];         /* "unknown instruction 'movv'; did you mean 'mov'?" */
	const char *source_line;   /* text of the line without its newline (owned by list) */
};

struct asm_diagnostics; /* opaque list of struct asm_diagnostic */

/* Options; `size` must be sizeof(struct asm_options) (or a prefix of it written by an
 * older caller); unknown non-zero tail bytes are rejected with -EINVAL. */
struct asm_options {
	size_t size;
	enum asm_dialect dialect; /* AUTO by default */
	unsigned max_errors;      /* stop after this many errors; 0 means 20 */
};

/* Assemble `size` bytes of `text`. `file_name` labels diagnostics ("prog.s").
 * On success returns 0 and *object receives the new object (caller frees).
 * On input errors returns -EINVAL and *object is set to NULL; either way, when
 * `diagnostics` is non-NULL, *diagnostics receives the list of messages (possibly
 * empty; caller frees). -ENOMEM on allocation failure. `opts` may be NULL. */
int asm_assemble_buffer(const char *text, size_t size, const char *file_name,
			const struct asm_options *opts, struct objfmt_object **object,
			struct asm_diagnostics **diagnostics);

/* Same, reading the file at `path` (its name labels diagnostics). Returns -errno of
 * the failed open/read (with a diagnostic at line 0) when the file cannot be read. */
int asm_assemble_file(const char *path, const struct asm_options *opts,
		      struct objfmt_object **object, struct asm_diagnostics **diagnostics);

/* Assemble a snippet of instructions (inline `asm volatile` text after operand
 * substitution) into a plain instruction array: *insns receives a malloc'ed array of
 * *count slots (an ld_imm64 takes two; caller frees; NULL and 0 for empty text).
 * Labels inside the snippet are resolved; anything that would need a relocation
 * (a symbol operand, a call to a function outside the snippet) or data directives
 * outside .text is rejected with a diagnostic. Diagnostics' lines count from
 * `first_line` so they can point into the C file. Returns 0, -EINVAL on input
 * errors, -ENOMEM. */
int asm_assemble_insns(const char *text, size_t size, const char *file_name,
		       unsigned first_line, const struct asm_options *opts,
		       struct objfmt_insn **insns, size_t *count,
		       struct asm_diagnostics **diagnostics);

/* Diagnostic list accessors: count, entry i (borrowed, NULL if out of range), and
 * how many entries are errors. */
size_t asm_diagnostics__count(const struct asm_diagnostics *list);
const struct asm_diagnostic *asm_diagnostics__get(const struct asm_diagnostics *list,
						   size_t i);
size_t asm_diagnostics__error_count(const struct asm_diagnostics *list);
void asm_diagnostics__free(struct asm_diagnostics *list);

/* Format one diagnostic the way compilers print it, into `buf` (always
 * NUL-terminated):
 *     prog.s:3:5: error: unknown instruction 'movv'; did you mean 'mov'?
 *         movv r0, 1
 *         ^
 * (the source line and caret only when a source line is known). Returns the length
 * the full text has (as snprintf does). */
int asm_diagnostic__format(const struct asm_diagnostic *diag, char *buf, size_t buflen);

#ifdef __cplusplus
}
#endif
#endif /* EBPF_ASM_H */
