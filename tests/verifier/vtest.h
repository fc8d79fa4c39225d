/* vtest.h - support for the verifier tests: assemble a program (LLVM dialect through
 * libasm), load it into the emulated kernel (emu_bpf) or the real one (bpf(2)), create
 * maps on either side, and look for a line in the log. */
#ifndef EBPF_TESTS_VERIFIER_VTEST_H
#define EBPF_TESTS_VERIFIER_VTEST_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ebpf/objfmt.h"

#define VT_MAX_INSNS 8192
/* Placeholder of map i in `r1 = VT_MAP_MAGIC|i ll`: rewritten to a BPF_PSEUDO_MAP_FD
 * load of the i-th fd given; VT_MAP_MAGIC|0x8000|n loads the literal fd n. */
#define VT_MAP_MAGIC 0x4d41500000000000ull
#define VT_LOG_SIZE (1u << 20)
/* `r2 = VT_FUNC_MAGIC|n ll`: rewritten to a BPF_PSEUDO_FUNC load of the subprogram
 * starting n insns after the ld_imm64's second slot (callback arguments). */
#define VT_FUNC_MAGIC 0x46554e0000000000ull

struct vt_prog {
	struct objfmt_insn insns[VT_MAX_INSNS];
	uint32_t cnt;
};

/* Where a program is loaded. */
enum vt_target { VT_EMU, VT_KERNEL };

struct vt_result {
	int fd;          /* >= 0 when accepted */
	int err;         /* 0, or the positive errno of the refusal */
	char *log;       /* log text (VT_LOG_SIZE buffer, owned by the caller's result) */
	uint32_t verified_insns;
};

/* Assemble `text` (LLVM dialect; "call pc+N" is a bpf-to-bpf call to the insn N after
 * the next); map placeholders are resolved with map_fds[i]. Aborts the test on
 * an assembler error (a broken test, not a verifier result). */
struct objfmt_btf;

void vt_assemble(const char *text, const int *map_fds, struct vt_prog *out);
/* Replace map placeholders in an already built program. */
void vt_patch_maps(struct vt_prog *prog, const int *map_fds);

/* Create a map; returns the fd or -errno. */
int vt_map_create(enum vt_target target, uint32_t type, uint32_t key_size,
		  uint32_t value_size, uint32_t max_entries, uint32_t flags);
/* Load `prog` as `prog_type`; log at `level` into res->log (allocated, freed by
 * vt_result_free). */
void vt_load(enum vt_target target, uint32_t prog_type, const struct vt_prog *prog,
	     const char *license, uint32_t level, struct vt_result *res);
void vt_load_ex(enum vt_target target, uint32_t prog_type, uint32_t attach_type,
		const struct vt_prog *prog, const char *license, uint32_t level,
		uint32_t log_size, struct vt_result *res);
/* ... with the hook of a tracing program: its id in the kernel's BTF. */
void vt_load_attach(enum vt_target target, uint32_t prog_type, uint32_t attach_type,
		    uint32_t attach_btf_id, const struct vt_prog *prog, const char *license,
		    uint32_t level, uint32_t log_size, struct vt_result *res);
/* Load with BTF func_info: subprogram i starts at starts[i] (starts[0] = 0, the global
 * program; the others static), each typed "int f(void)". */
void vt_load_funcs(enum vt_target target, uint32_t prog_type, const struct vt_prog *prog,
		   const uint32_t *starts, uint32_t count, uint32_t level, struct vt_result *res);
/* A map (key int, value "struct { int cnt; struct bpf_spin_lock lock; }") with BTF. */
int vt_lock_map_create(enum vt_target target, uint32_t type, uint32_t max_entries);
/* Encode `btf` (freed), BPF_BTF_LOAD it on `target`: the fd, or a negative value. */
int vt_btf_load(enum vt_target target, struct objfmt_btf *btf);
void vt_result_free(struct vt_result *res);
/* Run an accepted program once on `data`; fills retval and data_out. -errno on failure. */
int vt_test_run(enum vt_target target, int prog_fd, const void *data, uint32_t size,
		uint32_t *retval, void *data_out, uint32_t *size_out);
void vt_close(enum vt_target target, int fd);
/* Whether the real kernel's bpf() can load programs here (root). */
bool vt_kernel_available(void);

/* Whether some line of `log` contains `needle`. */
bool vt_log_has(const char *log, const char *needle);

#endif /* EBPF_TESTS_VERIFIER_VTEST_H */
