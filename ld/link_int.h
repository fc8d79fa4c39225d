/* link_int.h - internals of the static linker shared by its files (never installed):
 * the per-input maps from input indices to output ones and the global symbol table.
 */
#ifndef EBPF_LINK_INT_H
#define EBPF_LINK_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ebpf/link.h"

/* Input section/symbol with no output counterpart; unlike OBJFMT_SECTION_UNDEF/ABS. */
#define LINK_NONE ((size_t)-3)

/* One input object while it is being added. */
struct link_input {
	char *name;                          /* label for messages (linker->input_names) */
	size_t ordinal;                      /* index in linker->input_names */
	const struct objfmt_object *obj;     /* borrowed for the duration of add_object */
	size_t *section_map;                 /* input section -> output section or NONE */
	uint64_t *section_shift;             /* where the input section starts in the output */
	size_t *symbol_map;                  /* input symbol -> output symbol or NONE */
	uint32_t *type_map;                  /* input BTF id -> output BTF id (pre-dedup) */
};

/* What the linker knows about one global (or weak) output symbol. Object names are
 * borrowed from linker->input_names. */
struct link_global {
	size_t symbol;          /* output symbol index */
	char *defined_in;       /* object whose definition won, NULL while extern only */
	char *referenced_in;    /* an object that left it undefined (for messages) */
	uint32_t btf_id;        /* output BTF FUNC/VAR id, 0 when no BTF seen yet */
	char *btf_input;        /* object that supplied btf_id */
	bool weak_definition;   /* the winning definition is weak */
};

/* One entry of a DATASEC being rebuilt for the output. */
struct link_datasec_entry {
	uint32_t var;       /* output VAR (or FUNC, in .ksyms) id (pre-dedup) */
	uint64_t offset;    /* byte offset in the output section */
	uint32_t size;      /* bytes */
	bool extern_only;   /* from an object without the section: an extern declaration */
};

struct link_datasec {
	char *name;                          /* section name ".data", ".maps", ".kconfig" */
	struct link_datasec_entry *entries;  /* in the order seen, sorted at finish */
	size_t count;
};

/* A relocation range to drop: the bytes of a weak .maps definition that lost. */
struct link_range {
	size_t section;   /* output section */
	uint64_t start;   /* first byte */
	uint64_t end;     /* one past the last byte */
};

struct ld_linker {
	struct objfmt_object *out;           /* the merged object being built */
	struct objfmt_btf *btf;              /* merged BTF (pre-dedup ids) */
	struct objfmt_btf_ext *ext;          /* merged .BTF.ext (pre-dedup ids) */
	size_t *section_symbol;              /* output section -> its STT_SECTION symbol */
	struct link_global *globals;         /* indexed by slot of the hash table below */
	size_t global_count;
	size_t *global_slots;                /* open addressing: index+1 into globals, 0 free */
	size_t global_capacity;              /* power of two */
	struct link_datasec *datasecs;       /* DATASECs to rebuild */
	size_t datasec_count;
	struct link_range *dropped;          /* reloc ranges of weak map definitions that lost */
	size_t dropped_count;
	struct objfmt_reloc *relocs;         /* output relocations, added to `out` at finish */
	char **reloc_inputs;                 /* object each relocation came from (borrowed
					        from input_names) */
	size_t reloc_count;
	char **input_names;                  /* every input's name, in order (owned) */
	size_t input_count;
	bool code_without_func_info;         /* some input's code has no func_info (then
					        no func_info/line_info is emitted at all) */
	char *license;                       /* license string of the first object with one */
	size_t license_by;                   /* index of that object in input_names */
	bool finished;                       /* finish was called */
	bool failed;                         /* an add failed: the state is inconsistent */
};

/* link.c */
int link_error(struct ld_diag *diag, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int link_grow(void **array, size_t count, size_t elem_size);
char *link_strdup(const char *text);

/* link_sections.c: sections, license, relocations of one input. */
int link_sections_add(struct ld_linker *linker, struct link_input *in, struct ld_diag *diag);
int link_relocs_add(struct ld_linker *linker, struct link_input *in, struct ld_diag *diag);
int link_section_symbol(struct ld_linker *linker, size_t out_section);
bool link_is_license(const struct objfmt_section *sec);

/* link_symbols.c: the global table and symbol resolution. */
struct link_global *link_global_find(struct ld_linker *linker, const char *name);
int link_symbols_add(struct ld_linker *linker, struct link_input *in, struct ld_diag *diag);
int link_symbols_check_resolved(struct ld_linker *linker, struct ld_diag *diag);
void link_globals_free(struct ld_linker *linker);

/* link_btf.c: BTF, DATASEC and .BTF.ext merging. */
int link_btf_add(struct ld_linker *linker, struct link_input *in, struct ld_diag *diag);
int link_btf_ext_add(struct ld_linker *linker, struct link_input *in, struct ld_diag *diag);
void link_datasecs_free(struct ld_linker *linker);
bool link_btf_extern_allowed(const struct ld_linker *linker, uint32_t btf_id);
bool link_btf_is_global(const struct objfmt_btf_type *t);

/* link_btf_finish.c: DATASECs rebuilt, dedup, .BTF.ext renumbered, attached to out. */
int link_btf_finish(struct ld_linker *linker, struct ld_diag *diag);

/* link_maps.c: structural BTF comparison and .maps definition compatibility. */
bool link_btf_types_equal(const struct objfmt_btf *btf, uint32_t a, uint32_t b);
const char *link_btf_describe(const struct objfmt_btf *btf, uint32_t id, char *buf,
			      size_t len);
int link_maps_compare(const struct objfmt_btf *btf, const char *map_name, uint32_t a,
		      const char *a_input, uint32_t b, const char *b_input,
		      struct ld_diag *diag);
int link_maps_check_initializers(struct ld_linker *linker, struct ld_diag *diag);

#endif /* EBPF_LINK_INT_H */
