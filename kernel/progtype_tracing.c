/* progtype_tracing.c - BPF_PROG_TYPE_TRACING (fentry, fexit, fmod_ret, tp_btf) in the
 * emulator: the ctx is the hook's arguments as u64 slots (BPF_PROG's ctx[]), read at
 * a slot's start (any size) as btf_ctx_access allows. The arguments are plain values here: a task pointer
 * in a slot is read through bpf_probe_read_kernel (BPF_CORE_READ), not dereferenced
 * directly as the kernel's PTR_TO_BTF_ID would allow (doc/core.md). */
#include "progtype_int.h"

#define EMU_TRACING_ARGS_SIZE 96u /* sizeof(u64) * MAX_BPF_FUNC_ARGS (12) */

const struct emu_progtype emu_progtype_tracing = {
	.type = BPF_PROG_TYPE_TRACING, .name = "tracing",
	.ctx_size = EMU_TRACING_ARGS_SIZE, .runtime_ctx_size = EMU_TRACING_ARGS_SIZE,
	.raw_access = EMU_CTX_READ, .raw_min_size = 1, /* narrow reads of a slot's low bytes */
};
