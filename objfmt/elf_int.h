/* elf_int.h - constants shared by the ELF reader and writer of libobjfmt (internal;
 * never installed, never included outside objfmt/). */
#ifndef OBJFMT_ELF_INT_H
#define OBJFMT_ELF_INT_H

/* clang's address-significance table; the reader skips it, the writer never emits it. */
#define OBJFMT_SHT_LLVM_ADDRSIG 0x6fff4c03u

/* Largest object file objfmt_elf_read_file() loads (bytes). */
#define OBJFMT_ELF_MAX_FILE (1ull << 30)

/* Alignment and entry sizes clang gives the tables it generates. */
#define OBJFMT_ELF_TABLE_ALIGN 8

#endif /* OBJFMT_ELF_INT_H */
