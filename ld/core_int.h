/* core_int.h - CO-RE relocation resolution shared by ld/core_*.c (libbpf's relo_core
 * model): an access spec in one BTF, candidate matching, the value of a relocation.
 */
#ifndef EBPF_LD_CORE_INT_H
#define EBPF_LD_CORE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "ebpf/objfmt.h"

#define CORE_SPEC_MAX 64          /* BPF_CORE_SPEC_MAX_LEN */
#define CORE_POISON_IMM 0xbad2310 /* "bad relo": invalid func unknown#195896080 */

/* One step of an access path: a named member (name set) or an array index. */
struct core_accessor {
	uint32_t type_id;  /* composite (member) or element type (array), modifiers skipped */
	uint32_t index;    /* member or element index */
	const char *name;  /* member / enumerator name, NULL for array accessors */
};

/* An access path resolved in one BTF (bpf_core_spec). */
struct core_spec {
	const struct objfmt_btf *btf;
	uint32_t root_id;                         /* the relocation's type, as recorded */
	uint32_t kind;                            /* enum objfmt_core_kind */
	struct core_accessor spec[CORE_SPEC_MAX]; /* named members and array indices */
	uint32_t len;
	uint32_t raw[CORE_SPEC_MAX];              /* every index, anonymous members too */
	uint32_t raw_len;
	uint64_t bit_offset;                      /* field: from the start of the root */
};

/* What an instruction becomes (bpf_core_relo_res). */
struct core_result {
	uint64_t orig_value, new_value;  /* local (compiler's) and target values */
	uint32_t orig_size, new_size;    /* field sizes for LDX/ST/STX adjustment */
	uint32_t orig_type, new_type;    /* field types (modifiers skipped) */
	bool poison;                     /* unsatisfiable: replace with a bad helper call */
	bool validate;                   /* the insn must hold orig_value today */
	bool fail_size_adjust;           /* sizes differ and a load would be wrong */
};

bool core_kind_is_field(uint32_t kind);
bool core_kind_is_type(uint32_t kind);
bool core_kind_is_enum(uint32_t kind);

struct ld_object;
struct ld_diag;

/* core_relo.c: apply every CO-RE relocation of `obj` against `target` (the kernel's
 * BTF or the emulated kernel's): 0, or a negative errno with diag set. Loading into
 * the real kernel, a local type with no candidate in `target` is also looked for in
 * the kernel modules' BTF of /sys/kernel/btf, as libbpf does. */
int ld_core_relocate(struct ld_object *obj, const struct objfmt_btf *target,
		     struct ld_diag *diag);
/* The same with the modules of `module_dir` (its vmlinux file must hold `target`'s
 * bytes), or none when module_dir is NULL. */
int ld_core_relocate_modules(struct ld_object *obj, const struct objfmt_btf *target,
			     const char *module_dir, struct ld_diag *diag);

/* core_module.c: kernel modules' split BTF, each joined to vmlinux's. */
struct core_module {
	char name[256];          /* file name: the module's */
	struct objfmt_btf *btf;  /* vmlinux's types, then the module's (owned) */
	uint32_t first_id;       /* the module's first type id */
};

struct core_modules {
	bool loaded;              /* the directory was read (even if it had none) */
	struct core_module *items;
	size_t count;
};

int core_modules_load(struct core_modules *modules, const char *dir,
		      const struct objfmt_btf *vmlinux);
void core_modules_release(struct core_modules *modules);

/* core_compat.c */
size_t core_essential_name_length(const char *name);
bool core_kinds_compatible(const struct objfmt_btf_type *a, const struct objfmt_btf_type *b);
int core_fields_compatible(const struct objfmt_btf *local, uint32_t local_id,
			   const struct objfmt_btf *target, uint32_t target_id);
int core_types_compatible(const struct objfmt_btf *local, uint32_t local_id,
			  const struct objfmt_btf *target, uint32_t target_id, int level);
int core_types_match(const struct objfmt_btf *local, uint32_t local_id,
		     const struct objfmt_btf *target, uint32_t target_id, bool behind_pointer,
		     int level);

/* core_spec.c: parse the local access string (0 or negative errno); match a
 * candidate target type (1 matched, 0 not, negative errno). */
int core_spec_parse(const struct objfmt_btf *btf, uint32_t type_id, const char *access,
		    uint32_t kind, struct core_spec *spec);
int core_spec_match(const struct core_spec *local, const struct objfmt_btf *target,
		    uint32_t target_id, struct core_spec *out);

/* core_calc.c: the relocation's local and target values; target NULL: no candidate. */
int core_calc(const struct core_spec *local, const struct core_spec *target,
	      struct core_result *res);
/* Rewrite insn[0] (and insn[1] for ld_imm64, `remaining` insns available). */
int core_patch(struct objfmt_insn *insn, size_t remaining, const struct core_result *res);

#endif /* EBPF_LD_CORE_INT_H */
