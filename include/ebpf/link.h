/* link.h - public contract of the static linker (libebpflink, the ebpf-ld tool): merges
 * relocatable BPF objects (ours or clang's) into one, as libbpf's bpf_linker does for
 * `bpftool gen object`: sections concatenated, symbols resolved, relocations rewritten,
 * .maps definitions checked and merged, .BTF merged and deduplicated, .BTF.ext merged.
 *
 * Conventions: int-returning functions return 0 or a negative errno; pointer-returning
 * ones NULL with errno set. The library never prints: errors about the input fill a
 * struct ld_diag (from load.h) with one line naming the objects and symbols involved,
 * e.g. "symbol 'counter' is defined in both a.o and b.o". ld_linker__free accepts NULL.
 */
#ifndef EBPF_LINK_H
#define EBPF_LINK_H

#include "ebpf/load.h"
#include "ebpf/objfmt.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ld_linker; /* inputs added so far, the output object being built */

struct ld_linker *ld_linker__new(void);
void ld_linker__free(struct ld_linker *linker);

/* Add one input object. `obj` is borrowed (only read; it may be freed after the call);
 * `name` labels messages ("a.o"). On failure the linker is unusable except for free. */
int ld_linker__add_object(struct ld_linker *linker, const struct objfmt_object *obj,
			  const char *name, struct ld_diag *diag);
/* Read an ELF file with libobjfmt and add it; the path names it in messages. */
int ld_linker__add_file(struct ld_linker *linker, const char *path, struct ld_diag *diag);

/* Resolve what is left (unresolved externs are errors unless they are .kconfig/.ksyms
 * externs the loader resolves), rebuild DATASECs, deduplicate BTF and return the merged
 * object, which the caller owns (objfmt_object__free). NULL with errno and diag on
 * failure. Call once; afterwards only ld_linker__free is allowed. */
struct objfmt_object *ld_linker__finish(struct ld_linker *linker, struct ld_diag *diag);

/* Link `count` files into `out_path` (written atomically: no file is left at out_path
 * on failure, a stale one is removed). */
int ld_link_files(const char *out_path, const char *const *inputs, size_t count,
		  struct ld_diag *diag);

#ifdef __cplusplus
}
#endif
#endif /* EBPF_LINK_H */
