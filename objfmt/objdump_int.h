/* objdump_int.h - what the parts of ebpf-objdump share: per-section symbol views in
 * llvm-objdump's order, the listings (-d -r -h -t) and the CFG export. Tool-internal. */
#ifndef OBJFMT_OBJDUMP_INT_H
#define OBJFMT_OBJDUMP_INT_H

#include <stdbool.h>
#include <stdio.h>

#include "codec_int.h"

/* One symbol as llvm-objdump sees it when it disassembles a section. */
struct objdump_label {
	const char *name; /* symbol name, or the section name for the synthesized label */
	uint64_t address; /* byte offset in the section */
	int type;         /* enum objfmt_sym_type, the third sort key */
};

/* Labels of one section sorted by (address, name, type), as llvm-objdump 14 sorts
 * them; a synthesized label named after the section stands at 0 when no symbol does. */
struct objdump_labels {
	struct objdump_label *items; /* owned */
	size_t count;
};

int objdump_labels_build(const struct objfmt_object *obj, size_t section,
			 struct objdump_labels *labels);
void objdump_labels_free(struct objdump_labels *labels);
/* The label llvm-objdump names a branch target after: the last one at or below
 * `address`. NULL only when there are no labels. */
const struct objdump_label *objdump_labels_find(const struct objdump_labels *labels,
					       uint64_t address);

/* What to print and how. */
struct objdump_options {
	bool disassemble;              /* -d */
	bool relocations;              /* -r */
	bool headers;                  /* -h */
	bool symbols;                  /* -t */
	bool btf;                      /* --btf */
	bool cfg;                      /* --cfg=dot */
	enum objfmt_dialect dialect;   /* --dialect */
};

/* Each prints one view of `obj` (read from `path`) to `out`; 0 or a negative errno
 * (with `diag` filled when the object is at fault). */
int objdump_print_disassembly(const struct objfmt_object *obj, const char *path,
			      const struct objdump_options *options, FILE *out,
			      struct objfmt_diag *diag);
int objdump_print_mnemonic(const struct objfmt_object *obj, const char *path, FILE *out,
			   struct objfmt_diag *diag);
int objdump_print_relocations(const struct objfmt_object *obj, FILE *out);
/* -h lists every ELF section (the tables the object model leaves out included), so it
 * reads the section headers of the already validated file again. */
int objdump_print_headers(const char *path, FILE *out, struct objfmt_diag *diag);
void objdump_print_symbols(const struct objfmt_object *obj, FILE *out);
int objdump_print_cfg(const struct objfmt_object *obj, const char *path, FILE *out,
		      struct objfmt_diag *diag);

/* Shared helpers. */
bool objdump_is_code(const struct objfmt_section *sec);
const char *objdump_reloc_type_name(enum objfmt_reloc_type type);
/* Name a relocation refers to: the symbol's, or its section's for section symbols. */
const char *objdump_reloc_symbol_name(const struct objfmt_object *obj,
				      const struct objfmt_reloc *rel);

#endif /* OBJFMT_OBJDUMP_INT_H */
