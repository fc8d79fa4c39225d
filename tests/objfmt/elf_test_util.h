/* elf_test_util.h - independent checks for the ELF tests: a raw ELF64 parser that does
 * not go through objfmt, comparisons of two object models, of a model against the file
 * it came from, and of a written file against clang's layout rules. Each check returns
 * true, or false with the first difference in `why`. */
#ifndef TESTS_OBJFMT_ELF_TEST_UTIL_H
#define TESTS_OBJFMT_ELF_TEST_UTIL_H

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ebpf/objfmt.h"

#define TEST_WHY_SIZE 512

/* Whole file in a malloc'ed buffer, or NULL. */
uint8_t *test_load_file(const char *path, size_t *size);

/* Raw views of an ELF64 image (the image must be well formed). */
const Elf64_Ehdr *raw_ehdr(const uint8_t *image);
Elf64_Shdr *raw_shdr(const uint8_t *image, size_t index);
const char *raw_section_name(const uint8_t *image, size_t index);
/* ELF index of the first section called `name`, or 0. */
size_t raw_find_section(const uint8_t *image, const char *name);
/* Symbol `index` of .symtab and its name. */
Elf64_Sym *raw_symbol(const uint8_t *image, size_t index);
const char *raw_symbol_name(const uint8_t *image, size_t index);

/* Same sections (name, kind, flags, align, entsize, bytes), symbols and relocations. */
bool objects_equal(const struct objfmt_object *a, const struct objfmt_object *b,
		   char why[TEST_WHY_SIZE]);
/* The model holds exactly the original file's code/data sections with their bytes and
 * every relocation of its .rel sections (by offset, type and symbol name). */
bool object_matches_file(const struct objfmt_object *obj, const uint8_t *image,
			 char why[TEST_WHY_SIZE]);
/* clang's layout: EM_BPF ET_REL, .strtab at [1] = e_shstrndx, .rel<X> right after X
 * with sh_link = .symtab and SHF_INFO_LINK, .symtab last with locals first and
 * sh_info = first non-local. */
bool layout_is_clangs(const uint8_t *image, size_t size, char why[TEST_WHY_SIZE]);

#endif
