/* test_elf.c - Check tests of the ELF reader and writer (objfmt/elf_read.c, elf_write.c):
 * round trips of the checked-in clang objects, facts checked against llvm-readelf,
 * clang's layout rules, one exact message per broken field, and atomic file writes. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf_test_util.h"

#ifndef OBJFMT_TEST_DATA
#define OBJFMT_TEST_DATA "data"
#endif

static const char *const reference_objects[] = { "maps_xdp.o", "core_tc.o", "socket_min.o" };

static uint8_t *load_reference(const char *name, size_t *size)
{
	char path[512];
	uint8_t *image;

	snprintf(path, sizeof(path), "%s/%s", OBJFMT_TEST_DATA, name);
	image = test_load_file(path, size);
	ck_assert_msg(image != NULL, "cannot load %s", path);
	return image;
}

static struct objfmt_object *read_ok(const void *image, size_t size, const char *name)
{
	struct objfmt_diag diag = { { 0 }, { 0 } };
	struct objfmt_object *obj = objfmt_elf_read_mem(image, size, name, &diag);

	ck_assert_msg(obj != NULL, "%s: %s", diag.where, diag.message);
	return obj;
}

static void *write_ok(const struct objfmt_object *obj, size_t *size)
{
	struct objfmt_diag diag = { { 0 }, { 0 } };
	void *image = NULL;
	int err = objfmt_elf_write_mem(obj, &image, size, &diag);

	ck_assert_msg(err == 0, "write: %d %s: %s", err, diag.where, diag.message);
	return image;
}

/* read -> write -> read gives the same model, every section's bytes equal the original
 * file's, and writing again reproduces the written file byte for byte. */
START_TEST(test_reference_round_trip)
{
	const char *name = reference_objects[_i];
	char why[TEST_WHY_SIZE] = "";
	size_t size, written_size, again_size;
	uint8_t *image = load_reference(name, &size);
	struct objfmt_object *first = read_ok(image, size, name);
	void *written = write_ok(first, &written_size);
	struct objfmt_object *second = read_ok(written, written_size, "written.o");
	void *again = write_ok(second, &again_size);

	ck_assert_msg(object_matches_file(first, image, why), "%s: %s", name, why);
	ck_assert_msg(objects_equal(first, second, why), "%s: %s", name, why);
	ck_assert_msg(object_matches_file(second, image, why), "%s: %s", name, why);
	ck_assert_msg(layout_is_clangs(written, written_size, why), "%s: %s", name, why);
	ck_assert_uint_eq(again_size, written_size);
	ck_assert_mem_eq(again, written, written_size);
	ck_assert_ptr_nonnull(objfmt_object__btf(second));
	ck_assert_ptr_nonnull(objfmt_object__btf_ext(second));
	free(again);
	objfmt_object__free(second);
	free(written);
	objfmt_object__free(first);
	free(image);
}
END_TEST

/* Facts about maps_xdp.o as `llvm-readelf -S -s -r` (LLVM 14) prints them. */
START_TEST(test_reference_facts_match_llvm_readelf)
{
	size_t size;
	uint8_t *image = load_reference("maps_xdp.o", &size);
	struct objfmt_object *obj = read_ok(image, size, "maps_xdp.o");
	int xdp = objfmt_object__find_section(obj, "xdp");
	int bss = objfmt_object__find_section(obj, ".bss");
	const struct objfmt_symbol *prog, *map;
	const struct objfmt_reloc *rel;
	size_t xdp_relocs = 0, first_xdp = 0;

	ck_assert_int_eq(xdp, 1); /* [3] in the file, after [1] .strtab and [2] .text */
	ck_assert_uint_eq(objfmt_object__section(obj, xdp)->size, 0x188);
	ck_assert_uint_eq(objfmt_object__section(obj, xdp)->flags,
			  OBJFMT_SHF_ALLOC | OBJFMT_SHF_EXECINSTR);
	ck_assert_uint_eq(objfmt_object__section(obj, bss)->kind, OBJFMT_SEC_NOBITS);
	ck_assert_uint_eq(objfmt_object__section(obj, bss)->size, 8);
	ck_assert_uint_eq(objfmt_object__section(obj, bss)->align, 8);
	/* 24 symbols besides the null one; 31 sections in the file minus null, .strtab,
	 * .symtab, .llvm_addrsig (dropped) and 8 .rel sections = 19 */
	ck_assert_uint_eq(objfmt_object__symbol_count(obj), 24);
	ck_assert_uint_eq(objfmt_object__section_count(obj), 19);
	prog = objfmt_object__symbol(obj, objfmt_object__find_symbol(obj, "count_packets"));
	ck_assert_uint_eq(prog->index, 18); /* #19 in .symtab */
	ck_assert_uint_eq(prog->type, OBJFMT_SYM_FUNC);
	ck_assert_uint_eq(prog->bind, OBJFMT_BIND_GLOBAL);
	ck_assert_uint_eq(prog->size, 392);
	ck_assert_uint_eq(prog->section, (size_t)xdp);
	map = objfmt_object__symbol(obj, objfmt_object__find_symbol(obj, "packet_counts"));
	ck_assert_uint_eq(map->size, 32);
	ck_assert_uint_eq(map->type, OBJFMT_SYM_OBJECT);
	ck_assert_str_eq(objfmt_object__symbol(obj, 0)->name, "maps_xdp.bpf.c");
	ck_assert_uint_eq(objfmt_object__symbol(obj, 0)->type, OBJFMT_SYM_FILE);
	ck_assert_uint_eq(objfmt_object__symbol(obj, 0)->section, OBJFMT_SECTION_ABS);
	for (size_t i = 0; i < objfmt_object__reloc_count(obj); i++)
		if (objfmt_object__reloc(obj, i)->section == (size_t)xdp && !xdp_relocs++)
			first_xdp = i;
	ck_assert_uint_eq(xdp_relocs, 6);
	rel = objfmt_object__reloc(obj, first_xdp);
	ck_assert_uint_eq(rel->offset, 0x48);
	ck_assert_uint_eq(rel->type, OBJFMT_R_BPF_64_64);
	ck_assert_uint_eq(rel->symbol, map->index);
	rel = objfmt_object__reloc(obj, first_xdp + 5);
	ck_assert_uint_eq(rel->offset, 0x148);
	ck_assert_uint_eq(rel->type, OBJFMT_R_BPF_64_32);
	ck_assert_uint_eq(objfmt_object__symbol(obj, rel->symbol)->type, OBJFMT_SYM_SECTION);
	ck_assert_uint_eq(objfmt_object__symbol(obj, rel->symbol)->section,
			  (size_t)objfmt_object__find_section(obj, ".text"));
	objfmt_object__free(obj);
	free(image);
}
END_TEST

/* ---- negative tests: break one field of maps_xdp.o, expect one exact message ---- */

/* maps_xdp.o facts used below (llvm-readelf -S -s): [3] xdp, [4] .relxdp, [24]
 * .debug_frame, [30] .symtab; symbol 19 count_packets, 20 packet_counts, 21
 * last_length. */
enum { XDP = 3, RELXDP = 4, DEBUG_FRAME = 24, SYMTAB = 30 };

struct breakage {
	const char *what;                       /* test label */
	size_t (*apply)(uint8_t *image, size_t size); /* breaks the image, returns new size */
	const char *where;                      /* expected diag.where */
	const char *message;                    /* expected diag.message ("" = any) */
};

static Elf64_Ehdr *ehdr_of(uint8_t *image)
{
	return (Elf64_Ehdr *)image;
}

static Elf64_Rel *rel_of(uint8_t *image, size_t index)
{
	return (Elf64_Rel *)(image + raw_shdr(image, RELXDP)->sh_offset) + index;
}

static size_t break_magic(uint8_t *image, size_t size)
{
	image[1] = 'X';
	return size;
}
static size_t break_header_length(uint8_t *image, size_t size)
{
	(void)image, (void)size;
	return 40;
}
static size_t break_class(uint8_t *image, size_t size)
{
	image[EI_CLASS] = ELFCLASS32;
	return size;
}
static size_t break_endianness(uint8_t *image, size_t size)
{
	image[EI_DATA] = ELFDATA2MSB;
	return size;
}
static size_t break_type(uint8_t *image, size_t size)
{
	ehdr_of(image)->e_type = ET_EXEC;
	return size;
}
static size_t break_machine(uint8_t *image, size_t size)
{
	ehdr_of(image)->e_machine = EM_X86_64;
	return size;
}
static size_t break_file_length(uint8_t *image, size_t size)
{
	(void)size;
	return ehdr_of(image)->e_shoff + 100; /* cut inside the section header table */
}
static size_t break_shstrndx(uint8_t *image, size_t size)
{
	ehdr_of(image)->e_shstrndx = 31;
	return size;
}
static size_t break_section_offset(uint8_t *image, size_t size)
{
	raw_shdr(image, XDP)->sh_offset = 0x100000;
	return size;
}
static size_t break_section_name(uint8_t *image, size_t size)
{
	raw_shdr(image, XDP)->sh_name = 0xffff;
	return size;
}
static size_t break_section_align(uint8_t *image, size_t size)
{
	raw_shdr(image, XDP)->sh_addralign = 3;
	return size;
}
static size_t break_section_name_bytes(uint8_t *image, size_t size)
{
	const Elf64_Shdr *names = raw_shdr(image, raw_ehdr(image)->e_shstrndx);

	/* found by the fuzzer: a newline in a name must not split the message */
	image[names->sh_offset + raw_shdr(image, XDP)->sh_name + 1] = '\n';
	raw_shdr(image, XDP)->sh_addralign = 3;
	return size;
}
static size_t break_section_align_size(uint8_t *image, size_t size)
{
	raw_shdr(image, XDP)->sh_addralign = 1u << 29; /* found by the fuzzer: 512 MB file */
	return size;
}
static size_t break_section_entsize(uint8_t *image, size_t size)
{
	raw_shdr(image, XDP)->sh_entsize = 48; /* found by the fuzzer: libelf refused it */
	return size;
}
static size_t break_section_flags(uint8_t *image, size_t size)
{
	raw_shdr(image, XDP)->sh_flags |= SHF_COMPRESSED; /* found by the fuzzer */
	return size;
}
static size_t break_section_type(uint8_t *image, size_t size)
{
	raw_shdr(image, DEBUG_FRAME)->sh_type = SHT_NOTE;
	return size;
}
static size_t break_symtab_size(uint8_t *image, size_t size)
{
	raw_shdr(image, SYMTAB)->sh_size -= 1;
	return size;
}
static size_t break_symbol_section(uint8_t *image, size_t size)
{
	raw_symbol(image, 19)->st_shndx = RELXDP;
	return size;
}
static size_t break_symbol_name(uint8_t *image, size_t size)
{
	raw_symbol(image, 19)->st_name = 0xfffff;
	return size;
}
static size_t break_symbol_binding(uint8_t *image, size_t size)
{
	raw_symbol(image, 19)->st_info = ELF64_ST_INFO(5, STT_FUNC);
	return size;
}
static size_t break_symbol_duplicate(uint8_t *image, size_t size)
{
	raw_symbol(image, 21)->st_name = raw_symbol(image, 20)->st_name;
	return size;
}
static size_t break_reloc_symbol(uint8_t *image, size_t size)
{
	rel_of(image, 1)->r_info = ELF64_R_INFO(99, ELF64_R_TYPE(rel_of(image, 1)->r_info));
	return size;
}
static size_t break_reloc_type(uint8_t *image, size_t size)
{
	rel_of(image, 2)->r_info = ELF64_R_INFO(ELF64_R_SYM(rel_of(image, 2)->r_info), 7);
	return size;
}
static size_t break_reloc_offset(uint8_t *image, size_t size)
{
	rel_of(image, 0)->r_offset = 0x180;
	return size;
}
static size_t break_reloc_target(uint8_t *image, size_t size)
{
	raw_shdr(image, RELXDP)->sh_info = SYMTAB;
	return size;
}
static size_t break_reloc_link(uint8_t *image, size_t size)
{
	raw_shdr(image, RELXDP)->sh_link = 1;
	return size;
}
static size_t break_reloc_kind(uint8_t *image, size_t size)
{
	raw_shdr(image, RELXDP)->sh_type = SHT_RELA;
	return size;
}
static size_t break_btf_magic(uint8_t *image, size_t size)
{
	image[raw_shdr(image, raw_find_section(image, ".BTF"))->sh_offset] ^= 0xff;
	return size;
}

static const struct breakage breakages[] = {
	{ "magic", break_magic, "maps_xdp.o", "not an ELF file (bad magic)" },
	{ "header length", break_header_length, "maps_xdp.o",
	  "truncated ELF header (40 bytes, need 64)" },
	{ "class", break_class, "maps_xdp.o", "ELF class 1 is not ELFCLASS64" },
	{ "endianness", break_endianness, "maps_xdp.o",
	  "ELF data encoding 2 is not little-endian (ELFDATA2LSB)" },
	{ "e_type", break_type, "maps_xdp.o",
	  "e_type 2 is not a relocatable object (ET_REL)" },
	{ "e_machine", break_machine, "maps_xdp.o", "e_machine 62 is not EM_BPF (247)" },
	{ "file length", break_file_length, "maps_xdp.o",
	  "section header table (offset 0x1b60, 31 entries) extends past the end of the "
	  "file (7108 bytes)" },
	{ "e_shstrndx", break_shstrndx, "maps_xdp.o", "e_shstrndx 31 out of range (31 sections)" },
	{ "sh_offset", break_section_offset, "maps_xdp.o: section #3 'xdp'",
	  "data (offset 0x100000, size 0x188) extends past the end of the file (8992 bytes)" },
	{ "sh_name", break_section_name, "maps_xdp.o: section #3",
	  "name offset 65535 out of range of the section name table" },
	{ "sh_addralign", break_section_align, "maps_xdp.o: section #3 'xdp'",
	  "alignment 3 is not a power of two" },
	{ "huge sh_addralign", break_section_align_size, "maps_xdp.o: section #3 'xdp'",
	  "alignment 536870912 is larger than 4096" },
	{ "name bytes", break_section_name_bytes, "maps_xdp.o: section #3 'x\\x0ap'",
	  "alignment 3 is not a power of two" },
	{ "sh_entsize", break_section_entsize, "maps_xdp.o: section #3 'xdp'",
	  "size 392 is not a multiple of sh_entsize 48" },
	{ "sh_flags", break_section_flags, "maps_xdp.o: section #3 'xdp'",
	  "unsupported section flags 0x800" },
	{ "sh_type", break_section_type, "maps_xdp.o: section #24 '.debug_frame'",
	  "unsupported section type 0x7" },
	{ "symtab size", break_symtab_size, "maps_xdp.o: section #30 '.symtab'",
	  "size 599 is not a multiple of the symbol size 24" },
	{ "st_shndx", break_symbol_section, "maps_xdp.o: symbol #19 'count_packets'",
	  "section index 4 is not a code or data section" },
	{ "st_name", break_symbol_name, "maps_xdp.o: symbol #19",
	  "name offset 1048575 out of range of the string table" },
	{ "st_info", break_symbol_binding, "maps_xdp.o: symbol #19 'count_packets'",
	  "unsupported binding 5" },
	{ "duplicate global", break_symbol_duplicate, "maps_xdp.o: symbol #21 'packet_counts'",
	  "second definition of global symbol" },
	{ "r_info symbol", break_reloc_symbol, "maps_xdp.o: section #4 '.relxdp'",
	  "relocation #1: symbol index 99 out of range (1..24)" },
	{ "r_info type", break_reloc_type, "maps_xdp.o: section #4 '.relxdp'",
	  "relocation #2: unknown type 7" },
	{ "r_offset", break_reloc_offset, "maps_xdp.o: section #4 '.relxdp'",
	  "relocation #0: offset 0x180 + 16 bytes is past the end of 'xdp' (392 bytes)" },
	{ "rel sh_info", break_reloc_target, "maps_xdp.o: section #4 '.relxdp'",
	  "sh_info 30 is not a section with bytes to relocate" },
	{ "rel sh_link", break_reloc_link, "maps_xdp.o: section #4 '.relxdp'",
	  "sh_link 1 is not the symbol table" },
	{ "rela", break_reloc_kind, "maps_xdp.o: section #4 '.relxdp'",
	  "RELA relocations are not used by BPF (expected SHT_REL)" },
	{ "BTF magic", break_btf_magic, "maps_xdp.o: section '.BTF'", "" },
};

START_TEST(test_broken_field_gets_one_exact_message)
{
	const struct breakage *broken = &breakages[_i];
	struct objfmt_diag diag = { { 0 }, { 0 } };
	size_t size;
	uint8_t *image = load_reference("maps_xdp.o", &size);
	struct objfmt_object *obj;

	ck_assert_uint_eq(size, 8992); /* the offsets above belong to this build */
	size = broken->apply(image, size);
	errno = 0;
	obj = objfmt_elf_read_mem(image, size, "maps_xdp.o", &diag);
	ck_assert_msg(obj == NULL, "%s: accepted", broken->what);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_str_eq(diag.where, broken->where);
	if (*broken->message)
		ck_assert_str_eq(diag.message, broken->message);
	else
		ck_assert_msg(diag.message[0] != '\0', "%s: empty message", broken->what);
	ck_assert_ptr_null(strchr(diag.message, '\n'));
	free(image);
}
END_TEST

/* Every prefix of a real object is rejected cleanly (no crash, one message). */
START_TEST(test_every_truncation_is_rejected)
{
	size_t size;
	uint8_t *image = load_reference("socket_min.o", &size);

	for (size_t cut = 0; cut < size; cut++) {
		struct objfmt_diag diag = { { 0 }, { 0 } };
		uint8_t *prefix = malloc(cut + 1);
		struct objfmt_object *obj;

		memcpy(prefix, image, cut);
		obj = objfmt_elf_read_mem(prefix, cut, "cut.o", &diag);
		ck_assert_msg(obj == NULL, "prefix of %zu bytes accepted", cut);
		ck_assert_int_eq(errno, EINVAL);
		ck_assert(strncmp(diag.where, "cut.o", 5) == 0);
		ck_assert(diag.message[0] != '\0');
		free(prefix);
	}
	free(image);
}
END_TEST

START_TEST(test_read_file_names_the_path)
{
	struct objfmt_diag diag = { { 0 }, { 0 } };
	char path[512];
	struct objfmt_object *obj;

	ck_assert_ptr_null(objfmt_elf_read_file("/nonexistent/x.o", &diag));
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_str_eq(diag.where, "/nonexistent/x.o");
	ck_assert_str_eq(diag.message, "cannot open: No such file or directory");
	snprintf(path, sizeof(path), "%s/core_tc.o", OBJFMT_TEST_DATA);
	obj = objfmt_elf_read_file(path, &diag);
	ck_assert_ptr_nonnull(obj);
	ck_assert_int_ge(objfmt_object__find_section(obj, "classifier"), 0);
	objfmt_object__free(obj);
}
END_TEST

/* ---- writer tests on objects made with the builder (no clang needed) ---- */

static const uint8_t lddw_and_call[32] = {
	0x18, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* r1 = map ll */
	0x85, 0x10, 0, 0, 0xff, 0xff, 0xff, 0xff,             /* call -1 */
	0x95, 0, 0, 0, 0, 0, 0, 0,                            /* exit */
};

static int add(struct objfmt_object *obj, const char *name, enum objfmt_sym_bind bind,
	       enum objfmt_sym_type type, size_t section, uint64_t size)
{
	struct objfmt_symbol sym = { .name = name, .bind = bind, .type = type,
				     .section = section, .size = size };
	int index = objfmt_object__add_symbol(obj, &sym);

	ck_assert_int_ge(index, 0);
	return index;
}

/* Globals added before locals, to see the writer put locals first. */
static struct objfmt_object *build_sample(void)
{
	struct objfmt_object *obj = objfmt_object__new();
	const uint64_t code = OBJFMT_SHF_ALLOC | OBJFMT_SHF_EXECINSTR;
	const uint64_t data = OBJFMT_SHF_ALLOC | OBJFMT_SHF_WRITE;
	struct objfmt_reloc rel = { .section = 1 };
	int text, xdp, maps, bss, license, map, text_sym;

	text = objfmt_object__add_section(obj, ".text", OBJFMT_SEC_PROGBITS, code, 8);
	xdp = objfmt_object__add_section(obj, "xdp", OBJFMT_SEC_PROGBITS, code, 8);
	maps = objfmt_object__add_section(obj, ".maps", OBJFMT_SEC_PROGBITS, data, 8);
	bss = objfmt_object__add_section(obj, ".bss", OBJFMT_SEC_NOBITS, data, 8);
	license = objfmt_object__add_section(obj, "license", OBJFMT_SEC_PROGBITS, data, 1);
	objfmt_object__append(obj, text, lddw_and_call + 24, 8);
	objfmt_object__append(obj, xdp, lddw_and_call, sizeof(lddw_and_call));
	objfmt_object__append(obj, maps, NULL, 32);
	objfmt_object__append(obj, bss, NULL, 16);
	objfmt_object__append(obj, license, "GPL", 4);
	add(obj, "prog", OBJFMT_BIND_GLOBAL, OBJFMT_SYM_FUNC, xdp, 32);
	map = add(obj, "counts", OBJFMT_BIND_GLOBAL, OBJFMT_SYM_OBJECT, maps, 32);
	add(obj, "sub", OBJFMT_BIND_LOCAL, OBJFMT_SYM_FUNC, text, 8);
	text_sym = add(obj, "", OBJFMT_BIND_LOCAL, OBJFMT_SYM_SECTION, text, 0);
	add(obj, "bpf_kfunc", OBJFMT_BIND_GLOBAL, OBJFMT_SYM_NOTYPE, OBJFMT_SECTION_UNDEF, 0);
	add(obj, "sample.c", OBJFMT_BIND_LOCAL, OBJFMT_SYM_FILE, OBJFMT_SECTION_ABS, 0);
	rel.section = xdp;
	rel.type = OBJFMT_R_BPF_64_64;
	rel.symbol = map;
	ck_assert_int_eq(objfmt_object__add_reloc(obj, &rel), 0);
	rel.offset = 16;
	rel.type = OBJFMT_R_BPF_64_32;
	rel.symbol = text_sym;
	ck_assert_int_eq(objfmt_object__add_reloc(obj, &rel), 1);
	return obj;
}

START_TEST(test_writer_lays_out_as_clang)
{
	static const char *const names[] = { "", ".strtab", ".text", "xdp", ".relxdp",
					     ".maps", ".bss", "license", ".symtab" };
	struct objfmt_object *obj = build_sample();
	char why[TEST_WHY_SIZE] = "";
	size_t size;
	uint8_t *image = write_ok(obj, &size);
	const Elf64_Shdr *symtab, *rel;
	const Elf64_Rel *entries;

	ck_assert_msg(layout_is_clangs(image, size, why), "%s", why);
	ck_assert_uint_eq(raw_ehdr(image)->e_shnum, 9);
	for (size_t i = 0; i < 9; i++)
		ck_assert_str_eq(raw_section_name(image, i), names[i]);
	symtab = raw_shdr(image, 8);
	ck_assert_uint_eq(symtab->sh_info, 4); /* null + sub, section, file */
	ck_assert_str_eq(raw_symbol_name(image, 1), "sub");
	ck_assert_uint_eq(ELF64_ST_TYPE(raw_symbol(image, 2)->st_info), STT_SECTION);
	ck_assert_uint_eq(raw_symbol(image, 2)->st_shndx, 2);
	ck_assert_uint_eq(raw_symbol(image, 3)->st_shndx, SHN_ABS);
	ck_assert_str_eq(raw_symbol_name(image, 4), "prog");
	ck_assert_uint_eq(raw_symbol(image, 4)->st_shndx, 3);
	ck_assert_str_eq(raw_symbol_name(image, 6), "bpf_kfunc");
	ck_assert_uint_eq(raw_symbol(image, 6)->st_shndx, SHN_UNDEF);
	ck_assert_uint_eq(raw_shdr(image, 6)->sh_type, SHT_NOBITS);
	ck_assert_uint_eq(raw_shdr(image, 6)->sh_size, 16);
	rel = raw_shdr(image, 4);
	ck_assert_uint_eq(rel->sh_size, 2 * sizeof(Elf64_Rel));
	ck_assert_uint_eq(rel->sh_addralign, 8);
	entries = (const Elf64_Rel *)(image + rel->sh_offset);
	ck_assert_uint_eq(entries[0].r_info, ELF64_R_INFO(5, 1)); /* counts, R_BPF_64_64 */
	ck_assert_uint_eq(entries[1].r_offset, 16);
	ck_assert_uint_eq(entries[1].r_info, ELF64_R_INFO(2, 10)); /* .text, R_BPF_64_32 */
	ck_assert_mem_eq(image + raw_shdr(image, 3)->sh_offset, lddw_and_call, 32);
	free(image);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(test_builder_object_round_trips)
{
	struct objfmt_object *obj = build_sample();
	char why[TEST_WHY_SIZE] = "";
	size_t size, again_size;
	void *image = write_ok(obj, &size);
	struct objfmt_object *back = read_ok(image, size, "sample.o");
	void *again = write_ok(back, &again_size);
	const struct objfmt_reloc *rel = objfmt_object__reloc(back, 0);

	ck_assert_msg(object_matches_file(back, image, why), "%s", why);
	ck_assert_uint_eq(size, again_size);
	ck_assert_mem_eq(image, again, size);
	/* symbols come back locals first; relocations still name the same symbols */
	ck_assert_str_eq(objfmt_object__symbol(back, 0)->name, "sub");
	ck_assert_str_eq(objfmt_object__symbol(back, rel->symbol)->name, "counts");
	ck_assert_ptr_null(objfmt_object__btf(back));
	free(again);
	objfmt_object__free(back);
	free(image);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(test_writer_rejects_relocation_past_section)
{
	struct objfmt_object *obj = build_sample();
	struct objfmt_diag diag = { { 0 }, { 0 } };
	struct objfmt_reloc rel = { .section = 1, .offset = 24, .type = OBJFMT_R_BPF_64_64 };
	void *image = NULL;
	size_t size = 0;

	ck_assert_int_eq(objfmt_object__add_reloc(obj, &rel), 2);
	ck_assert_int_eq(objfmt_elf_write_mem(obj, &image, &size, &diag), -EINVAL);
	ck_assert_ptr_null(image);
	ck_assert_str_eq(diag.where, "section 'xdp'");
	ck_assert_str_eq(diag.message, "relocation #2: offset 0x18 + 16 bytes is past the end "
					"of the section (32 bytes)");
	objfmt_object__free(obj);
}
END_TEST

START_TEST(test_writer_rejects_partial_entries)
{
	struct objfmt_object *obj = build_sample();
	struct objfmt_diag diag = { { 0 }, { 0 } };
	void *image = NULL;
	size_t size = 0;

	objfmt_object__section(obj, 2)->entsize = 3;
	ck_assert_int_eq(objfmt_elf_write_mem(obj, &image, &size, &diag), -EINVAL);
	ck_assert_str_eq(diag.where, "section '.maps'");
	ck_assert_str_eq(diag.message, "size 32 is not a multiple of entsize 3");
	objfmt_object__section(obj, 2)->entsize = 0;
	objfmt_object__section(obj, 2)->flags |= 0x400; /* SHF_TLS */
	ck_assert_int_eq(objfmt_elf_write_mem(obj, &image, &size, &diag), -EINVAL);
	ck_assert_str_eq(diag.message, "unsupported section flags 0x400");
	objfmt_object__free(obj);
}
END_TEST

START_TEST(test_writer_encodes_btf_after_the_sections)
{
	struct objfmt_object *obj = build_sample();
	struct objfmt_btf *btf = objfmt_btf__new();
	void *encoded = NULL;
	size_t encoded_size, size;
	uint8_t *image;
	const Elf64_Shdr *shdr;

	ck_assert_int_eq(objfmt_btf__add_int(btf, "int", 4, OBJFMT_BTF_INT_SIGNED), 1);
	ck_assert_int_eq(objfmt_btf__encode(btf, &encoded, &encoded_size), 0);
	objfmt_object__set_btf(obj, btf);
	image = write_ok(obj, &size);
	ck_assert_uint_eq(raw_find_section(image, ".BTF"), 8); /* after license, before .symtab */
	shdr = raw_shdr(image, 8);
	ck_assert_uint_eq(shdr->sh_addralign, 4);
	ck_assert_uint_eq(shdr->sh_size, encoded_size);
	ck_assert_mem_eq(image + shdr->sh_offset, encoded, encoded_size);
	free(image);
	free(encoded);
	objfmt_object__free(obj);
}
END_TEST

static bool directory_has_temporaries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *entry;
	bool found = false;

	while (d && (entry = readdir(d)))
		if (entry->d_name[0] == '.' && strcmp(entry->d_name, ".") &&
		    strcmp(entry->d_name, ".."))
			found = true;
	if (d)
		closedir(d);
	return found;
}

START_TEST(test_write_file_is_atomic)
{
	char dir[] = "/tmp/objfmt-elf-XXXXXX";
	char path[64], missing[80];
	struct objfmt_object *obj = build_sample();
	struct objfmt_reloc bad = { .section = 1, .offset = 40, .type = OBJFMT_R_BPF_64_ABS64 };
	struct objfmt_diag diag = { { 0 }, { 0 } };
	struct stat st;
	mode_t mask;
	size_t size;
	uint8_t *image;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.o", dir);
	snprintf(missing, sizeof(missing), "%s/no/such/dir/out.o", dir);
	ck_assert_int_eq(objfmt_elf_write_file(obj, path, &diag), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	mask = umask(0);
	umask(mask);
	ck_assert_uint_eq((st.st_mode & 0777), (0666 & ~mask));
	ck_assert_int_eq(objfmt_elf_write_file(obj, missing, &diag), -ENOENT);
	ck_assert_str_eq(diag.where, missing);
	ck_assert_str_eq(diag.message, "cannot write: No such file or directory");
	/* a failing write leaves the previous file as it was and no temporary behind */
	image = test_load_file(path, &size);
	objfmt_object__add_reloc(obj, &bad);
	ck_assert_int_eq(objfmt_elf_write_file(obj, path, &diag), -EINVAL);
	ck_assert_str_eq(diag.where, strcat(strcpy(missing, path), ": section 'xdp'"));
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq((size_t)st.st_size, size);
	ck_assert(!directory_has_temporaries(dir));
	unlink(path);
	rmdir(dir);
	free(image);
	objfmt_object__free(obj);
}
END_TEST

/* Fill `path` with `size` bytes of 0x5a and return the file's inode number. */
static ino_t write_junk(const char *path, size_t size, mode_t mode)
{
	uint8_t *junk = malloc(size);
	FILE *f = fopen(path, "wb");
	struct stat st;

	ck_assert_ptr_nonnull(junk);
	ck_assert_ptr_nonnull(f);
	memset(junk, 0x5a, size);
	ck_assert_uint_eq(fwrite(junk, 1, size, f), size);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	free(junk);
	return st.st_ino;
}

/* `path` holds exactly `image`, with the mode a new file gets. */
static void assert_file_is(const char *path, const void *image, size_t size)
{
	size_t got_size = 0;
	uint8_t *got = test_load_file(path, &got_size);
	struct stat st;
	mode_t mask = umask(0);

	umask(mask);
	ck_assert_ptr_nonnull(got);
	ck_assert_uint_eq(got_size, size);
	ck_assert_mem_eq(got, image, size);
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 07777, 0666 & ~mask);
	free(got);
}

/* Overwriting an existing output ends as replacing it would: a longer old file is cut
 * to the image, a second hard link and a symbolic link's target keep their bytes, a
 * file with another mode gets a new inode with the default mode. */
START_TEST(test_write_file_overwrites_like_a_replacement)
{
	char dir[] = "/tmp/objfmt-elf-XXXXXX";
	char path[64], other[64];
	struct objfmt_object *obj = build_sample();
	struct objfmt_diag diag = { { 0 }, { 0 } };
	mode_t mask = umask(0);
	size_t size = 0, other_size = 0;
	uint8_t *image = write_ok(obj, &size), *kept;
	ino_t inode;
	struct stat st;

	umask(mask);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.o", dir);
	snprintf(other, sizeof(other), "%s/other.o", dir);
	/* a longer file of ours: overwritten in place and cut */
	inode = write_junk(path, size * 3, 0666 & ~mask);
	ck_assert_int_eq(objfmt_elf_write_file(obj, path, &diag), 0);
	assert_file_is(path, image, size);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_ino, inode);
	/* a second hard link keeps the old bytes */
	ck_assert_int_eq(link(path, other), 0);
	write_junk(path, 100, 0666 & ~mask);
	ck_assert_int_eq(objfmt_elf_write_file(obj, path, &diag), 0);
	assert_file_is(path, image, size);
	kept = test_load_file(other, &other_size);
	ck_assert_uint_eq(other_size, 100);
	ck_assert_uint_eq(kept[99], 0x5a);
	free(kept);
	/* a symbolic link is replaced, its target kept */
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(symlink("other.o", path), 0);
	ck_assert_int_eq(objfmt_elf_write_file(obj, path, &diag), 0);
	assert_file_is(path, image, size);
	kept = test_load_file(other, &other_size);
	ck_assert_uint_eq(other_size, 100);
	free(kept);
	/* another mode: a new file with the default mode */
	inode = write_junk(path, 10, 0600 == (0666 & ~mask) ? 0640 : 0600);
	ck_assert_int_eq(objfmt_elf_write_file(obj, path, &diag), 0);
	assert_file_is(path, image, size);
	ck_assert(!directory_has_temporaries(dir));
	unlink(other);
	unlink(path);
	rmdir(dir);
	free(image);
	objfmt_object__free(obj);
}
END_TEST

/* A symbolic link to a device (as /dev/stdout is to whatever fd 1 is) is written
 * through, never replaced by a regular file. */
START_TEST(test_write_file_writes_through_a_link_to_a_device)
{
	char dir[] = "/tmp/objfmt-elf-XXXXXX";
	char path[64], target[32];
	struct objfmt_object *obj = build_sample();
	struct objfmt_diag diag = { { 0 }, { 0 } };
	struct stat st;
	ssize_t n;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.o", dir);
	ck_assert_int_eq(symlink("/dev/null", path), 0);
	ck_assert_int_eq(objfmt_elf_write_file(obj, path, &diag), 0);
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	n = readlink(path, target, sizeof(target) - 1);
	ck_assert_int_eq(n, 9);
	target[n] = '\0';
	ck_assert_str_eq(target, "/dev/null");
	ck_assert_int_eq(stat("/dev/null", &st), 0);
	ck_assert(S_ISCHR(st.st_mode));
	ck_assert(!directory_has_temporaries(dir));
	unlink(path);
	rmdir(dir);
	objfmt_object__free(obj);
}
END_TEST

/* An image from objfmt_elf_write_mem goes to the file as it is, with the same errors
 * as objfmt_elf_write_file. */
START_TEST(test_write_image_file_writes_the_image)
{
	char dir[] = "/tmp/objfmt-elf-XXXXXX";
	char path[64], missing[80];
	struct objfmt_object *obj = build_sample();
	struct objfmt_diag diag = { { 0 }, { 0 } };
	size_t size = 0;
	uint8_t *image = write_ok(obj, &size);

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.o", dir);
	snprintf(missing, sizeof(missing), "%s/no/such/dir/out.o", dir);
	ck_assert_int_eq(objfmt_elf_write_image_file(image, size, path, &diag), 0);
	assert_file_is(path, image, size);
	ck_assert_int_eq(objfmt_elf_write_image_file(image, size, missing, &diag), -ENOENT);
	ck_assert_str_eq(diag.where, missing);
	ck_assert_str_eq(diag.message, "cannot write: No such file or directory");
	ck_assert_int_eq(objfmt_elf_write_image_file(NULL, 4, path, &diag), -EINVAL);
	unlink(path);
	rmdir(dir);
	free(image);
	objfmt_object__free(obj);
}
END_TEST

static Suite *elf_suite(void)
{
	Suite *suite = suite_create("elf");
	TCase *reference = tcase_create("reference");
	TCase *negative = tcase_create("negative");
	TCase *writer = tcase_create("writer");
	size_t broken = sizeof(breakages) / sizeof(breakages[0]);

	tcase_add_loop_test(reference, test_reference_round_trip, 0, 3);
	tcase_add_test(reference, test_reference_facts_match_llvm_readelf);
	tcase_add_test(reference, test_read_file_names_the_path);
	tcase_add_loop_test(negative, test_broken_field_gets_one_exact_message, 0, (int)broken);
	tcase_add_test(negative, test_every_truncation_is_rejected);
	tcase_set_timeout(negative, 60);
	tcase_add_test(writer, test_writer_lays_out_as_clang);
	tcase_add_test(writer, test_builder_object_round_trips);
	tcase_add_test(writer, test_writer_rejects_relocation_past_section);
	tcase_add_test(writer, test_writer_rejects_partial_entries);
	tcase_add_test(writer, test_writer_encodes_btf_after_the_sections);
	tcase_add_test(writer, test_write_file_is_atomic);
	tcase_add_test(writer, test_write_file_overwrites_like_a_replacement);
	tcase_add_test(writer, test_write_image_file_writes_the_image);
	tcase_add_test(writer, test_write_file_writes_through_a_link_to_a_device);
	suite_add_tcase(suite, reference);
	suite_add_tcase(suite, negative);
	suite_add_tcase(suite, writer);
	return suite;
}

int main(void)
{
	SRunner *runner = srunner_create(elf_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
