/* elf_test_util.c - independent ELF checks shared by test_elf and elf_roundtrip: a raw
 * ELF64 parser over <elf.h> structs and comparisons of models, files and layouts. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_test_util.h"

uint8_t *test_load_file(const char *path, size_t *size)
{
	FILE *file = fopen(path, "rb");
	uint8_t *buf = NULL;
	long length;

	if (!file)
		return NULL;
	if (fseek(file, 0, SEEK_END) == 0 && (length = ftell(file)) >= 0 &&
	    fseek(file, 0, SEEK_SET) == 0 && (buf = malloc((size_t)length + 1)) &&
	    fread(buf, 1, (size_t)length, file) == (size_t)length) {
		*size = (size_t)length;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(file);
	return buf;
}

const Elf64_Ehdr *raw_ehdr(const uint8_t *image)
{
	return (const Elf64_Ehdr *)image;
}

Elf64_Shdr *raw_shdr(const uint8_t *image, size_t index)
{
	return (Elf64_Shdr *)(image + raw_ehdr(image)->e_shoff) + index;
}

const char *raw_section_name(const uint8_t *image, size_t index)
{
	const Elf64_Shdr *names = raw_shdr(image, raw_ehdr(image)->e_shstrndx);

	return (const char *)image + names->sh_offset + raw_shdr(image, index)->sh_name;
}

size_t raw_find_section(const uint8_t *image, const char *name)
{
	for (size_t i = 1; i < raw_ehdr(image)->e_shnum; i++)
		if (strcmp(raw_section_name(image, i), name) == 0)
			return i;
	return 0;
}

static const Elf64_Shdr *raw_symtab(const uint8_t *image)
{
	for (size_t i = 1; i < raw_ehdr(image)->e_shnum; i++)
		if (raw_shdr(image, i)->sh_type == SHT_SYMTAB)
			return raw_shdr(image, i);
	return NULL;
}

Elf64_Sym *raw_symbol(const uint8_t *image, size_t index)
{
	return (Elf64_Sym *)(image + raw_symtab(image)->sh_offset) + index;
}

const char *raw_symbol_name(const uint8_t *image, size_t index)
{
	const Elf64_Shdr *strtab = raw_shdr(image, raw_symtab(image)->sh_link);

	return (const char *)image + strtab->sh_offset + raw_symbol(image, index)->st_name;
}

static bool differ(char why[TEST_WHY_SIZE], const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static bool differ(char why[TEST_WHY_SIZE], const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf(why, TEST_WHY_SIZE, fmt, args);
	va_end(args);
	return false;
}

static bool sections_equal(const struct objfmt_section *a, const struct objfmt_section *b,
			   char why[TEST_WHY_SIZE])
{
	if (strcmp(a->name, b->name) || a->kind != b->kind || a->flags != b->flags ||
	    a->align != b->align || a->entsize != b->entsize || a->size != b->size)
		return differ(why, "section %zu '%s' header differs from '%s'", a->index,
			      a->name, b->name);
	if (a->kind == OBJFMT_SEC_PROGBITS && a->size && memcmp(a->data, b->data, a->size))
		return differ(why, "section '%s' bytes differ", a->name);
	return true;
}

static bool symbols_equal(const struct objfmt_symbol *a, const struct objfmt_symbol *b,
			  char why[TEST_WHY_SIZE])
{
	if (strcmp(a->name, b->name) || a->bind != b->bind || a->type != b->type ||
	    a->vis != b->vis || a->section != b->section || a->value != b->value ||
	    a->size != b->size)
		return differ(why, "symbol %zu '%s' differs", a->index, a->name);
	return true;
}

/* Field by field: struct objfmt_reloc has padding, which memcmp would compare. */
static bool relocs_equal(const struct objfmt_reloc *a, const struct objfmt_reloc *b)
{
	return a->section == b->section && a->offset == b->offset && a->type == b->type &&
	       a->symbol == b->symbol && a->addend == b->addend;
}

bool objects_equal(const struct objfmt_object *a, const struct objfmt_object *b,
		   char why[TEST_WHY_SIZE])
{
	size_t count = objfmt_object__section_count(a);

	if (count != objfmt_object__section_count(b))
		return differ(why, "%zu sections vs %zu", count, objfmt_object__section_count(b));
	for (size_t i = 0; i < count; i++)
		if (!sections_equal(objfmt_object__section(a, i), objfmt_object__section(b, i),
				    why))
			return false;
	count = objfmt_object__symbol_count(a);
	if (count != objfmt_object__symbol_count(b))
		return differ(why, "%zu symbols vs %zu", count, objfmt_object__symbol_count(b));
	for (size_t i = 0; i < count; i++)
		if (!symbols_equal(objfmt_object__symbol(a, i), objfmt_object__symbol(b, i), why))
			return false;
	count = objfmt_object__reloc_count(a);
	if (count != objfmt_object__reloc_count(b))
		return differ(why, "%zu relocations vs %zu", count,
			      objfmt_object__reloc_count(b));
	for (size_t i = 0; i < count; i++)
		if (!relocs_equal(objfmt_object__reloc(a, i), objfmt_object__reloc(b, i)))
			return differ(why, "relocation %zu differs", i);
	return true;
}

/* The name a relocation's symbol is known by: its own, or its section's. */
static const char *model_symbol_label(const struct objfmt_object *obj, size_t index)
{
	const struct objfmt_symbol *sym = objfmt_object__symbol(obj, index);

	if (sym->type == OBJFMT_SYM_SECTION)
		return objfmt_object__section(obj, sym->section)->name;
	return sym->name;
}

static const char *raw_symbol_label(const uint8_t *image, size_t index)
{
	const Elf64_Sym *sym = raw_symbol(image, index);

	if (ELF64_ST_TYPE(sym->st_info) == STT_SECTION)
		return raw_section_name(image, sym->st_shndx);
	return raw_symbol_name(image, index);
}

/* Relocations of the original .rel section `rel_index` appear, in order, among the
 * model's relocations of its target (found by name). */
static bool relocations_match(const struct objfmt_object *obj, const uint8_t *image,
			      size_t rel_index, char why[TEST_WHY_SIZE])
{
	const Elf64_Shdr *shdr = raw_shdr(image, rel_index);
	const Elf64_Rel *rels = (const Elf64_Rel *)(image + shdr->sh_offset);
	size_t count = shdr->sh_size / sizeof(Elf64_Rel);
	int target = objfmt_object__find_section(obj, raw_section_name(image, shdr->sh_info));
	size_t next = 0;

	for (size_t i = 0; i < count; i++) {
		const struct objfmt_reloc *rel = NULL;

		while (next < objfmt_object__reloc_count(obj) &&
		       (rel = objfmt_object__reloc(obj, next++))->section != (size_t)target)
			rel = NULL;
		if (!rel)
			return differ(why, "'%s': relocation %zu missing",
				      raw_section_name(image, rel_index), i);
		if (rel->offset != rels[i].r_offset || rel->type != ELF64_R_TYPE(rels[i].r_info) ||
		    strcmp(model_symbol_label(obj, rel->symbol),
			   raw_symbol_label(image, ELF64_R_SYM(rels[i].r_info))))
			return differ(why, "'%s': relocation %zu differs",
				      raw_section_name(image, rel_index), i);
	}
	return true;
}

bool object_matches_file(const struct objfmt_object *obj, const uint8_t *image,
			 char why[TEST_WHY_SIZE])
{
	size_t kept = 0;

	for (size_t i = 1; i < raw_ehdr(image)->e_shnum; i++) {
		const Elf64_Shdr *shdr = raw_shdr(image, i);
		const char *name = raw_section_name(image, i);
		const struct objfmt_section *sec;
		int index;

		if (shdr->sh_type == SHT_REL && !relocations_match(obj, image, i, why))
			return false;
		if (shdr->sh_type != SHT_PROGBITS && shdr->sh_type != SHT_NOBITS)
			continue;
		kept++;
		index = objfmt_object__find_section(obj, name);
		if (index < 0)
			return differ(why, "section '%s' missing from the model", name);
		sec = objfmt_object__section(obj, index);
		if (sec->size != shdr->sh_size || sec->flags != shdr->sh_flags ||
		    (sec->kind == OBJFMT_SEC_NOBITS) != (shdr->sh_type == SHT_NOBITS))
			return differ(why, "section '%s' header differs from the file", name);
		if (shdr->sh_type == SHT_PROGBITS && shdr->sh_size &&
		    memcmp(sec->data, image + shdr->sh_offset, shdr->sh_size))
			return differ(why, "section '%s' bytes differ from the file", name);
	}
	if (kept != objfmt_object__section_count(obj))
		return differ(why, "file has %zu code/data sections, model %zu", kept,
			      objfmt_object__section_count(obj));
	return true;
}

static bool symbols_are_ordered(const uint8_t *image, size_t symtab_index,
				char why[TEST_WHY_SIZE])
{
	const Elf64_Shdr *symtab = raw_shdr(image, symtab_index);
	size_t count = symtab->sh_size / sizeof(Elf64_Sym);

	if (symtab->sh_link != 1 || symtab->sh_entsize != sizeof(Elf64_Sym) ||
	    symtab->sh_info > count)
		return differ(why, ".symtab link/entsize/info wrong");
	for (size_t i = 1; i < count; i++) {
		bool local = ELF64_ST_BIND(raw_symbol(image, i)->st_info) == STB_LOCAL;

		if (local != (i < symtab->sh_info))
			return differ(why, "symbol %zu '%s' is on the wrong side of sh_info %u", i,
				      raw_symbol_name(image, i), symtab->sh_info);
	}
	return true;
}

bool layout_is_clangs(const uint8_t *image, size_t size, char why[TEST_WHY_SIZE])
{
	const Elf64_Ehdr *ehdr = raw_ehdr(image);
	size_t last;

	if (size < sizeof(*ehdr) || ehdr->e_machine != EM_BPF || ehdr->e_type != ET_REL ||
	    ehdr->e_ident[EI_CLASS] != ELFCLASS64 || ehdr->e_ident[EI_DATA] != ELFDATA2LSB)
		return differ(why, "not an ELF64 LE EM_BPF relocatable");
	last = ehdr->e_shnum - 1;
	if (ehdr->e_shstrndx != 1 || raw_shdr(image, 1)->sh_type != SHT_STRTAB ||
	    strcmp(raw_section_name(image, 1), ".strtab"))
		return differ(why, "section 1 is not the shared .strtab");
	if (raw_shdr(image, last)->sh_type != SHT_SYMTAB)
		return differ(why, "last section is not .symtab");
	for (size_t i = 2; i < last; i++) {
		const Elf64_Shdr *shdr = raw_shdr(image, i);
		char expected[256];

		if (shdr->sh_type != SHT_REL)
			continue;
		snprintf(expected, sizeof(expected), ".rel%s", raw_section_name(image, i - 1));
		if (shdr->sh_info != i - 1 || shdr->sh_link != last ||
		    strcmp(raw_section_name(image, i), expected) ||
		    !(shdr->sh_flags & SHF_INFO_LINK) || shdr->sh_entsize != sizeof(Elf64_Rel))
			return differ(why, "'%s' is not laid out as clang does",
				      raw_section_name(image, i));
	}
	return symbols_are_ordered(image, last, why);
}
