/* verifier_attach.h - the attach-target rules of PROG_LOAD (verifier_attach.c), kept
 * apart from verifier_int.h so that they can be called from the verifier's steps. */
#ifndef EBPF_KERNEL_VERIFIER_ATTACH_H
#define EBPF_KERNEL_VERIFIER_ATTACH_H

#include "verifier_int.h"

/* Before any insn (kernel check_attach_btf_id): -EINVAL with the kernel's message for
 * a BTF-attached type without a hook, a non-sleepable syscall program, or a sleepable
 * program of a type that may not sleep. */
int verifier_check_attach(struct verifier_env *env);
/* A ctx read at `off` by a tracing or lsm program (kernel btf_ctx_access): -EACCES
 * with the kernel's message when the hook has no argument (or return value) there. */
int verifier_check_attach_ctx(struct verifier_env *env, int32_t off, int size);

/* An lsm program's return range (kernel bpf_lsm_get_retval_range, 6.18): false when
 * any value goes; *is32: only the low 32 bits are checked. */
bool verifier_lsm_return_range(const struct verifier_env *env, int32_t *lo, int32_t *hi,
			       bool *is32);

/* Whether argument `arg` (0: the first after __data) of a tp_btf hook may be NULL. */
bool verifier_tp_arg_may_be_null(const struct verifier_env *env, uint32_t arg);

/* Whether pointer argument `arg` of an iterator program may be NULL. */
bool verifier_iter_arg_may_be_null(const struct verifier_env *env, uint32_t arg);

#endif /* EBPF_KERNEL_VERIFIER_ATTACH_H */
