/* load.h - public contract of libebpfload, the loader: turns a relocatable BPF object
 * (ours or clang's) into bpf() commands - BTF_LOAD, MAP_CREATE, MAP_UPDATE_ELEM,
 * MAP_FREEZE, PROG_LOAD - issued through a backend (the emulated kernel or the real
 * bpf() syscall), exactly as libbpf's bpf_object__open()/bpf_object__load() do.
 *
 * Conventions:
 *  - int-returning functions return 0 (or a count/fd) on success, a negative errno on
 *    failure; pointer-returning ones return NULL with errno set.
 *  - The library never prints. Errors about the input fill a struct ld_diag with one
 *    line naming the object first: "obj.o: section 'xdp': program 'f': ...".
 *  - ld_object__free releases everything, closes every fd the object owns, and
 *    accepts NULL. Program/map pointers are borrowed from their object.
 */
#ifndef EBPF_LOAD_H
#define EBPF_LOAD_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ebpf/objfmt.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One user-facing error message ("obj.o: section 'x': symbol 'y': what is wrong"). */
struct ld_diag {
	char message[512];
};

/* ------------------------------------------------------------------------------------
 * Backends: where bpf() commands go.
 * ---------------------------------------------------------------------------------- */

struct ld_backend {
	const char *name; /* "emulator" or "kernel": printed in reports */
	/* Run one bpf() command; returns its result (>= 0) or a negative errno. */
	long (*bpf)(int cmd, union bpf_attr *attr, unsigned int size);
};

/* The real kernel through syscall(__NR_bpf). */
extern const struct ld_backend ld_backend_kernel;
/* The emulated kernel (libebpfemu's emu_bpf); linking it needs libebpfemu. */
extern const struct ld_backend ld_backend_emulator;

/* Issue a raw command through `backend`, zeroing nothing: a convenience for tools. */
long ld_bpf(const struct ld_backend *backend, int cmd, union bpf_attr *attr,
	    unsigned int size);

/* ------------------------------------------------------------------------------------
 * Section-name table (libbpf's): program type and expected attach type by SEC() name.
 * ---------------------------------------------------------------------------------- */

struct ld_section_def {
	const char *prefix;            /* "xdp", "kprobe", "cgroup/connect4" */
	uint32_t prog_type;            /* enum bpf_prog_type */
	uint32_t expected_attach_type; /* enum bpf_attach_type, 0 when none */
	bool allows_suffix;            /* "kprobe" also matches "kprobe/<anything>" */
	bool sleepable;                /* ".s" variants: BPF_F_SLEEPABLE */
	bool xdp_frags;                /* "xdp.frags": BPF_F_XDP_HAS_FRAGS */
};

/* Definition for section `name` (static storage), NULL when libbpf has none. */
const struct ld_section_def *ld_section_find(const char *name);
/* Short name of a program type ("xdp", "socket_filter"), "unknown" otherwise. */
const char *ld_prog_type_name(uint32_t prog_type);
/* Short name of a map type ("hash", "lpm_trie"), "unknown" otherwise. */
const char *ld_map_type_name(uint32_t map_type);

/* ------------------------------------------------------------------------------------
 * Objects, programs, maps
 * ---------------------------------------------------------------------------------- */

struct ld_object;  /* one opened object: programs, maps, BTF, license */
struct ld_program; /* one program (a function symbol in a program section) */
struct ld_map;     /* one map: .maps / maps definition or global data section */

enum ld_map_origin {
	LD_MAP_BTF_DEFINED, /* struct { __uint(type, ...) ... } in .maps */
	LD_MAP_LEGACY,      /* struct bpf_map_def in "maps" */
	LD_MAP_DATA,        /* .data / .data.* : writable global data */
	LD_MAP_RODATA,      /* .rodata / .rodata.* : frozen after initialisation */
	LD_MAP_BSS,         /* .bss : zero-initialised global data */
	LD_MAP_INNER,       /* template of a map-in-map's inner map */
};

/* Open an object: parse sections, programs, maps, relocations and BTF; nothing is sent
 * to a backend yet. `name` labels errors ("prog.o"). ELF images are parsed by libobjfmt.
 * open_object takes ownership of `obj` (also on failure). */
struct ld_object *ld_object__open_file(const char *path, struct ld_diag *diag);
struct ld_object *ld_object__open_mem(const void *data, size_t size, const char *name,
				      struct ld_diag *diag);
struct ld_object *ld_object__open_object(struct objfmt_object *obj, const char *name,
					 struct ld_diag *diag);
void ld_object__free(struct ld_object *obj);

struct ld_load_opts {
	size_t size;         /* sizeof(struct ld_load_opts) */
	uint32_t log_level;  /* verifier log level (0: a log only on failure) */
	uint32_t log_size;   /* bytes of verifier log to keep per program (0: 1 MiB) */
	bool keep_going;     /* load every program even after one is rejected */
	/* The kernel's BTF (/sys/kernel/btf/vmlinux), borrowed for the call: CO-RE
	 * relocations are resolved against it and tracing/LSM programs get their
	 * attach_btf_id from it. NULL keeps the compiler's offsets and sends no
	 * attach_btf_id (the emulator). */
	const struct objfmt_btf *core_target;
};

/* Load: BTF_LOAD, MAP_CREATE (inner templates first), initial data, MAP_FREEZE of
 * .rodata, PROG_LOAD of every program with autoload set, then prog-array and map-in-map
 * slots from static initializers. Returns 0, or the first error (-EACCES when the
 * verifier rejected a program: see ld_program__log). `opts` may be NULL. */
int ld_object__load(struct ld_object *obj, const struct ld_backend *backend,
		    const struct ld_load_opts *opts, struct ld_diag *diag);

const char *ld_object__name(const struct ld_object *obj);
/* Directory of LIBBPF_PIN_BY_NAME maps (libbpf's pin_root_path); NULL restores the
 * default /sys/fs/bpf. Copied; -EBUSY after load. */
int ld_object__set_pin_root(struct ld_object *obj, const char *directory);
/* Directory of kernel module BTF files (split BTF on ld_load_opts.core_target),
 * searched for CO-RE candidates and __ksym externs that vmlinux lacks; the modules'
 * BTF fds come from the backend (BTF_GET_NEXT_ID, BTF_GET_FD_BY_ID,
 * OBJ_GET_INFO_BY_FD by name). NULL restores the default: /sys/kernel/btf with
 * ld_backend_kernel, none otherwise. Copied; -EBUSY after load. */
int ld_object__set_module_btf_dir(struct ld_object *obj, const char *directory);
const char *ld_object__license(const struct ld_object *obj);
uint32_t ld_object__kern_version(const struct ld_object *obj);
/* The object's BTF (borrowed), NULL when it has none; its kernel fd after load, or -1. */
const struct objfmt_btf *ld_object__btf(const struct ld_object *obj);
int ld_object__btf_fd(const struct ld_object *obj);
const struct ld_backend *ld_object__backend(const struct ld_object *obj);
/* Number of CO-RE relocations in .BTF.ext. */
size_t ld_object__core_reloc_count(const struct ld_object *obj);
/* Whether loading into a real kernel needs its BTF as ld_load_opts.core_target: CO-RE
 * relocations, tracing/LSM programs whose attach_btf_id names a kernel function, or
 * `__ksym` externs (kfuncs, kernel variables) to resolve. */
bool ld_object__needs_kernel_btf(const struct ld_object *obj);

size_t ld_object__program_count(const struct ld_object *obj);
struct ld_program *ld_object__program(const struct ld_object *obj, size_t i);
struct ld_program *ld_object__find_program(const struct ld_object *obj, const char *name);
size_t ld_object__map_count(const struct ld_object *obj);
struct ld_map *ld_object__map(const struct ld_object *obj, size_t i);
struct ld_map *ld_object__find_map(const struct ld_object *obj, const char *name);

const char *ld_program__name(const struct ld_program *prog);
const char *ld_program__section_name(const struct ld_program *prog);
uint32_t ld_program__type(const struct ld_program *prog);
uint32_t ld_program__expected_attach_type(const struct ld_program *prog);
int ld_program__set_type(struct ld_program *prog, uint32_t prog_type);
int ld_program__set_expected_attach_type(struct ld_program *prog, uint32_t type);
bool ld_program__autoload(const struct ld_program *prog);
int ld_program__set_autoload(struct ld_program *prog, bool autoload);
/* Instructions as sent to PROG_LOAD (after load), or as found in the section (before). */
const struct objfmt_insn *ld_program__insns(const struct ld_program *prog);
size_t ld_program__insn_count(const struct ld_program *prog);
/* After load: fd (or -1), the PROG_LOAD result (0 or negative errno), verifier log
 * (NUL-terminated, "" when none) and processed-insn count (0 when unknown). */
int ld_program__fd(const struct ld_program *prog);
int ld_program__load_error(const struct ld_program *prog);
/* Whether PROG_LOAD reached the backend (false when the loader refused the program,
 * e.g. an unknown section name or a bad relocation, or it was not loaded at all). */
bool ld_program__submitted(const struct ld_program *prog);
const char *ld_program__log(const struct ld_program *prog);
uint32_t ld_program__verified_insns(const struct ld_program *prog);

const char *ld_map__name(const struct ld_map *map);
enum ld_map_origin ld_map__origin(const struct ld_map *map);
int ld_map__fd(const struct ld_map *map);
uint32_t ld_map__type(const struct ld_map *map);
uint32_t ld_map__key_size(const struct ld_map *map);
uint32_t ld_map__value_size(const struct ld_map *map);
uint32_t ld_map__max_entries(const struct ld_map *map);
uint32_t ld_map__flags(const struct ld_map *map);
uint32_t ld_map__btf_key_type_id(const struct ld_map *map);
uint32_t ld_map__btf_value_type_id(const struct ld_map *map);
/* Inner-map template of a map-in-map, NULL otherwise. */
const struct ld_map *ld_map__inner(const struct ld_map *map);
/* Setters: only before load (-EBUSY after). */
int ld_map__set_max_entries(struct ld_map *map, uint32_t max_entries);
int ld_map__set_type(struct ld_map *map, uint32_t type);
int ld_map__set_key_size(struct ld_map *map, uint32_t size);
int ld_map__set_value_size(struct ld_map *map, uint32_t size);
int ld_map__set_flags(struct ld_map *map, uint32_t flags);
/* Global-data maps: the initial image (borrowed; writable before load). */
void *ld_map__initial_value(struct ld_map *map, size_t *size);

#ifdef __cplusplus
}
#endif
#endif /* EBPF_LOAD_H */
