/* kbtf_int.h - the emulated kernel's BTF (kbtf*.c) and its user-populated kernel
 * objects (kobj*.c); shared by those files only. */
#ifndef EBPF_KERNEL_KBTF_INT_H
#define EBPF_KERNEL_KBTF_INT_H

#include <stddef.h>
#include <stdint.h>

#include "ebpf/objfmt.h"

/* kbtf_builtin.c: the built-in subset (task_struct, pt_regs, trace_event_raw_*, ...)
 * as a new BTF (caller frees), or NULL on allocation failure. */
struct objfmt_btf *emu_kbtf_builtin(void);

/* kbtf.c: the emulated kernel's BTF, decoded once (borrowed), or NULL. */
const struct objfmt_btf *emu_kbtf_get(void);
/* The same if something already asked for it, else NULL (nothing is read). */
const struct objfmt_btf *emu_kbtf_loaded(void);

#endif /* EBPF_KERNEL_KBTF_INT_H */
