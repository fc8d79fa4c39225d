/* elf_int.h - constants shared by the ELF reader and writer of libobjfmt (internal;
 * never installed, never included outside objfmt/). */
#ifndef OBJFMT_ELF_INT_H
#define OBJFMT_ELF_INT_H

/* clang's address-significance table; the reader skips it, the writer never emits it. */
#define OBJFMT_SHT_LLVM_ADDRSIG 0x6fff4c03u

/* Section flags a code or data section may carry: write, alloc, execinstr, merge,
 * strings, info-link, link-order, exclude and GNU retain. Groups, TLS and compressed
 * sections have no meaning for BPF and libelf refuses some combinations of them. */
#define OBJFMT_ELF_SECTION_FLAGS 0x802000f7ull

/* Largest object file objfmt_elf_read_file() loads (bytes). */
#define OBJFMT_ELF_MAX_FILE (1ull << 30)

/* Alignment and entry sizes clang gives the tables it generates. */
#define OBJFMT_ELF_TABLE_ALIGN 8

#include <stddef.h>

/* Copy `name` into `out` for a one-line message: bytes outside printable ASCII become
 * \xNN, and a name longer than fits ends in "...". Section and symbol names come from
 * untrusted files and may hold anything. Returns out. */
const char *objfmt_elf_printable(const char *name, char *out, size_t size);

#endif /* OBJFMT_ELF_INT_H */
