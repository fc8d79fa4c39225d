/* ld_int.h - internals of the loader shared by load_*.c; never installed.
 * Open fills programs, maps and relocation records from the object model; load turns
 * them into bpf() commands. Ownership: struct ld_object owns every member below.
 */
#ifndef EBPF_LD_INT_H
#define EBPF_LD_INT_H

#include "ebpf/load.h"

#define LD_INSN_SIZE 8

/* What a relocated instruction must become. */
enum ld_reloc_kind {
	LD_RELOC_MAP_FD,       /* ld_imm64 src=PSEUDO_MAP_FD, imm = fd of map */
	LD_RELOC_MAP_VALUE,    /* ld_imm64 src=PSEUDO_MAP_VALUE, imm = fd, imm2 = offset */
	LD_RELOC_CALL,         /* bpf-to-bpf call into .text at `target` */
	LD_RELOC_SUBPROG_ADDR, /* ld_imm64 src=PSEUDO_FUNC of a .text function at `target` */
	LD_RELOC_KFUNC,        /* call of a __ksym function: src=PSEUDO_KFUNC_CALL, imm = id */
	LD_RELOC_KSYM_VAR,     /* ld_imm64 of a typed __ksym variable: src=PSEUDO_BTF_ID */
};

struct ld_reloc {
	size_t insn;             /* instruction index within its code section */
	enum ld_reloc_kind kind; /* what to patch */
	size_t map;              /* MAP_*: index into obj->maps */
	int64_t offset;          /* MAP_VALUE: byte offset into the value */
	size_t target;           /* CALL/SUBPROG_ADDR: insn index within .text */
	size_t ksym;             /* KFUNC/KSYM_VAR: index into obj->ksyms */
};

/* One `extern ... __ksym` (a kfunc or a typed kernel variable), as libbpf's EXT_KSYM. */
struct ld_ksym {
	char *name;                  /* "bpf_rcu_read_lock" */
	uint32_t local_type_id;      /* FUNC: its FUNC_PROTO; VAR: the variable's type */
	bool is_func;                /* a kfunc (BTF FUNC), else a variable (BTF VAR) */
	bool weak;                   /* __weak: may be missing from the kernel */
	bool resolved;               /* found in the target BTF or kallsyms (after load) */
	bool typeless;               /* `extern const void x __ksym`: an address only */
	uint64_t address;            /* typeless: its /proc/kallsyms address */
	uint32_t kernel_id;          /* FUNC/VAR id in the target BTF */
	uint32_t extern_index;       /* libbpf's index among all externs (poison value) */
	int16_t fd_index;            /* module kfunc: its module's slot in obj->fd_array */
	int btf_fd;                  /* module symbol: its module's BTF fd (borrowed), else 0 */
};

/* The BTF of a kernel module that a __ksym resolved into: its fd (owned, from the
 * backend) and its slot in the fd_array sent with PROG_LOAD. */
struct ld_module_btf {
	char name[64];
	int fd;
	int16_t fd_index;
};

/* func_info / line_info records of one code section, insn_off in instructions. */
struct ld_ext_info {
	struct bpf_func_info *funcs;
	size_t func_count;
	struct bpf_line_info *lines;
	size_t line_count;
};

/* One `extern ... __kconfig` variable, stored in the loader's ".kconfig" map. */
struct ld_kconfig_extern {
	char *name;                  /* "LINUX_KERNEL_VERSION", "CONFIG_HZ" */
	uint32_t type_id;            /* its BTF type */
	uint32_t size;               /* bytes */
	uint32_t offset;             /* in the map value */
};

/* One CO-RE relocation record of .BTF.ext (bpf_core_relo). */
struct ld_core_reloc {
	size_t insn;                 /* instruction index within its code section */
	uint32_t type_id;            /* local BTF root type */
	const char *access;          /* access string "0:1:2" (in the object's BTF strings) */
	uint32_t kind;               /* enum objfmt_core_kind */
};

/* A code section: a program section or .text (subprograms). */
struct ld_code {
	char *name;                  /* section name */
	size_t section;              /* objfmt section index */
	const struct objfmt_insn *insns; /* the model's bytes, or `patched` after CO-RE */
	size_t insn_count;
	struct objfmt_insn *patched; /* owned copy with CO-RE relocations applied, or NULL */
	struct ld_reloc *relocs;     /* sorted by insn */
	size_t reloc_count;
	struct ld_ext_info ext;      /* from .BTF.ext, may be empty */
	struct ld_core_reloc *cores; /* CO-RE relocations from .BTF.ext */
	size_t core_count;
};

struct ld_program {
	struct ld_object *obj;       /* owner */
	char *name;                  /* function symbol name */
	size_t code;                 /* index into obj->codes */
	size_t start;                /* first insn within the code section */
	size_t length;               /* insns */
	const struct ld_section_def *def; /* NULL: unknown section name */
	uint32_t type;               /* enum bpf_prog_type */
	uint32_t expected_attach_type;
	uint32_t prog_flags;         /* BPF_F_SLEEPABLE, BPF_F_XDP_HAS_FRAGS */
	uint32_t attach_btf_id;      /* tracing/LSM: kernel BTF id of the hook, 0 if none */
	bool autoload;
	struct objfmt_insn *insns;   /* linked program (after load), owned */
	size_t insn_count;
	struct ld_ext_info ext;      /* linked func/line info, owned */
	int fd;                      /* -1 until loaded */
	int load_error;              /* PROG_LOAD result, or the loader's own error */
	bool submitted;              /* PROG_LOAD was sent (false: the loader refused) */
	char *log;                   /* verifier log, owned, "" when none */
	uint32_t verified_insns;
};

/* A static initializer of a prog array or map-in-map slot (.rel.maps values[]). */
struct ld_map_init {
	uint32_t slot;               /* index in the outer map */
	char *target;                /* program or map name */
};

struct ld_map {
	struct ld_object *obj;       /* owner */
	char *name;                  /* "counts", ".rodata", "inner of 'outer'" */
	enum ld_map_origin origin;
	size_t section;              /* objfmt section index of the definition/data */
	uint64_t section_offset;     /* offset of the definition within .maps / maps */
	struct bpf_map_def_ext {
		uint32_t type, key_size, value_size, max_entries, map_flags, numa_node;
		uint64_t map_extra;
		uint32_t pinning;
	} def;
	uint32_t btf_key_type_id;
	uint32_t btf_value_type_id;
	struct ld_map *inner;        /* map-in-map template, owned */
	struct ld_map_init *inits;   /* static initializers, owned */
	size_t init_count;
	uint8_t *data;               /* global data image (value_size bytes), owned */
	int fd;                      /* -1 until created */
};

struct ld_object {
	char *name;                  /* label for errors */
	struct objfmt_object *model; /* owned */
	char license[128];
	uint32_t kern_version;
	struct ld_code *codes;       /* program sections and .text */
	size_t code_count;
	ptrdiff_t text_code;         /* index of .text in codes, or -1 */
	struct ld_kconfig_extern *kconfig; /* .kconfig externs, with their map offsets */
	size_t kconfig_count;
	ptrdiff_t kconfig_map;       /* index of the ".kconfig" map, or -1 */
	struct ld_ksym *ksyms;       /* .ksyms externs, sorted by name */
	size_t ksym_count;
	struct ld_module_btf *module_btfs; /* modules ksyms resolved into */
	size_t module_btf_count;
	int *fd_array;               /* PROG_LOAD fd_array: [0] unused, then module BTF fds */
	size_t fd_array_count;
	struct ld_program **programs;
	size_t program_count;
	struct ld_map **maps;
	size_t map_count;
	uint8_t *btf_raw;            /* .BTF bytes with DATASEC fixups, owned */
	size_t btf_raw_size;
	int btf_fd;                  /* -1 until loaded or when BTF_LOAD failed */
	const struct ld_backend *backend;
	bool loaded;
	char *pin_root;              /* LIBBPF_PIN_BY_NAME directory, NULL: /sys/fs/bpf */
	char *module_btf_dir;        /* module BTF directory, NULL: the backend's default */
};

/* load_diag.c */
int ld_diag_set(struct ld_diag *diag, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
char *ld_strdup(const char *text);
int ld_append(void **array, size_t *count, size_t elem_size, const void *elem);

/* load_maps.c */
int ld_maps_collect(struct ld_object *obj, struct ld_diag *diag);
/* Index of the map defined at (section, offset), or -1. */
ptrdiff_t ld_maps_find_by_definition(const struct ld_object *obj, size_t section,
				     uint64_t offset);
ptrdiff_t ld_maps_find_data(const struct ld_object *obj, size_t section);
/* Add the frozen ".kconfig" map holding `image` (taken over). */
int ld_maps_add_kconfig(struct ld_object *obj, uint8_t *image, uint32_t size, uint32_t datasec);
void ld_map_free(struct ld_map *map);
int ld_maps_create(struct ld_object *obj, struct ld_diag *diag);
int ld_maps_fill_slots(struct ld_object *obj, struct ld_diag *diag);

/* load_btf.c */
int ld_btf_prepare(struct ld_object *obj, struct ld_diag *diag);
int ld_btf_ext_collect(struct ld_object *obj, struct ld_diag *diag);
int ld_btf_load(struct ld_object *obj, struct ld_diag *diag);
/* An extern DATASEC (.kconfig) backed by a loader-made map: its size, the offset of
 * each variable, and the variables' linkage made "allocated", in the private .BTF. */
int ld_btf_fix_extern_datasec(struct ld_object *obj, uint32_t datasec_id, uint32_t size,
			      const uint32_t *offsets);
/* Find member `name` of struct type `id`; NULL when absent. */
const struct objfmt_btf_member *ld_btf_member(const struct objfmt_btf *btf, uint32_t id,
					      const char *name);

/* load_kconfig.c: the .kconfig externs and their map (values from uname and the
 * kernel config), and the lookup relocations use. */
int ld_kconfig_collect(struct ld_object *obj, struct ld_diag *diag);
const struct ld_kconfig_extern *ld_kconfig_find(const struct ld_object *obj, const char *name);

/* load_ksym.c: `__ksym` externs (kfuncs and typed kernel variables) found at open,
 * resolved by name in the kernel's BTF at load, as libbpf's bpf_object__resolve_ksyms. */
int ld_ksyms_collect(struct ld_object *obj, struct ld_diag *diag);
ptrdiff_t ld_ksym_find(const struct ld_object *obj, const char *name);
int ld_ksyms_resolve(struct ld_object *obj, const struct objfmt_btf *kernel,
		     const char *module_dir, struct ld_diag *diag);
void ld_ksyms_free(struct ld_object *obj);
/* Patch insn (and insn[1] of an ld_imm64) for relocation `rel` of kind KFUNC/KSYM_VAR. */
void ld_ksym_patch(const struct ld_object *obj, const struct ld_reloc *rel,
		   struct objfmt_insn *insn);
/* load_btf.c: the .ksyms DATASEC made loadable (libbpf's fixup of extern FUNCs/VARs). */
int ld_btf_fix_ksyms(struct ld_object *obj, struct ld_diag *diag);

/* load_attach.c: attach_btf_id of tracing and LSM programs from the kernel's BTF. */
bool ld_program_needs_kernel_btf(const struct ld_program *prog);
int ld_attach_resolve(struct ld_object *obj, const struct objfmt_btf *kernel,
		      struct ld_diag *diag);

/* load_relocate.c */
int ld_relocs_collect(struct ld_object *obj, struct ld_diag *diag);
int ld_program_link(struct ld_program *prog, struct ld_diag *diag);

/* load_progs.c */
int ld_programs_collect(struct ld_object *obj, struct ld_diag *diag);
int ld_programs_load(struct ld_object *obj, const struct ld_load_opts *opts,
		     struct ld_diag *diag);
void ld_program_free(struct ld_program *prog);

#endif /* EBPF_LD_INT_H */
