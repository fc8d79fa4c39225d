/* elf_write.c - object model -> ELF64 EM_BPF relocatable file, built in memory with
 * clang's section order: [1] .strtab (section and symbol names), the sections in model
 * order each followed by its .rel<name>, .BTF/.BTF.ext, and .symtab last; the file
 * offsets are the ones libelf chooses for that order. */
#include <errno.h>
#include <fcntl.h>
#include <elf.h>
#include <libgen.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ebpf/objfmt.h"
#include "elf_int.h"

/* One section of the output file, in index order. */
struct out_section {
	const char *name;     /* borrowed from the model or a static/owned string */
	uint32_t name_offset; /* in .strtab */
	uint32_t type;        /* SHT_* */
	uint64_t flags;       /* SHF_* */
	uint64_t align;       /* sh_addralign */
	uint64_t entsize;     /* sh_entsize */
	uint32_t link;        /* sh_link */
	uint32_t info;        /* sh_info */
	void *data;           /* bytes (borrowed or owned by the writer), NULL for NOBITS */
	uint64_t size;        /* bytes */
};

/* Everything the writer builds before laying the file out. */
struct elf_writer {
	const struct objfmt_object *obj;
	struct objfmt_diag *diag;
	struct out_section *sections; /* count entries, index 0 is the null section */
	size_t count;
	size_t *elf_section;          /* model section -> ELF index */
	size_t *elf_symbol;           /* model symbol -> ELF symbol index */
	size_t *model_symbol;         /* ELF symbol index -> model symbol (from 1) */
	Elf64_Sym *symbols;           /* .symtab contents */
	size_t symbol_count;          /* entries, null symbol included */
	size_t first_global;          /* sh_info of .symtab */
	Elf64_Rel **rels;             /* per model section, relocations in model order */
	size_t *rel_count;            /* per model section */
	char **rel_names;             /* per model section ".rel<name>", owned */
	char *strtab;                 /* .strtab contents */
	size_t strtab_size;
	size_t strtab_capacity;
	void *btf_bytes;              /* encoded .BTF when the model has no raw section */
	size_t btf_size;
	void *ext_bytes;              /* encoded .BTF.ext likewise */
	size_t ext_size;
};

static void writer_free(struct elf_writer *writer)
{
	size_t sections = objfmt_object__section_count(writer->obj);

	for (size_t i = 0; writer->rels && i < sections; i++) {
		free(writer->rels[i]);
		free(writer->rel_names[i]);
	}
	free(writer->rels);
	free(writer->rel_names);
	free(writer->rel_count);
	free(writer->sections);
	free(writer->elf_section);
	free(writer->elf_symbol);
	free(writer->model_symbol);
	free(writer->symbols);
	free(writer->strtab);
	free(writer->btf_bytes);
	free(writer->ext_bytes);
}

static int out_of_memory(struct elf_writer *writer)
{
	return objfmt_diag_set(writer->diag, -ENOMEM, "object", "out of memory");
}

/* Sections hold whole entries and only flags that mean something for BPF (libelf
 * refuses some others). */
static int check_sections(struct elf_writer *writer)
{
	for (size_t i = 0; i < objfmt_object__section_count(writer->obj); i++) {
		const struct objfmt_section *sec = objfmt_object__section(writer->obj, i);
		char where[sizeof(writer->diag->where)];
		char printable[64];

		bool whole = sec->entsize <= 1 || sec->size % sec->entsize == 0;

		if (whole && !(sec->flags & ~OBJFMT_ELF_SECTION_FLAGS))
			continue;
		snprintf(where, sizeof(where), "section '%s'",
			 objfmt_elf_printable(sec->name, printable, sizeof(printable)));
		if (whole)
			return objfmt_diag_set(writer->diag, -EINVAL, where,
					       "unsupported section flags %#llx",
					       (unsigned long long)(sec->flags &
								    ~OBJFMT_ELF_SECTION_FLAGS));
		return objfmt_diag_set(writer->diag, -EINVAL, where,
				       "size %llu is not a multiple of entsize %llu",
				       (unsigned long long)sec->size,
				       (unsigned long long)sec->entsize);
	}
	return 0;
}

/* Every relocation must patch bytes that exist in its section. */
static int check_relocations(struct elf_writer *writer)
{
	const struct objfmt_object *obj = writer->obj;

	for (size_t i = 0; i < objfmt_object__reloc_count(obj); i++) {
		const struct objfmt_reloc *rel = objfmt_object__reloc(obj, i);
		const struct objfmt_section *sec = objfmt_object__section(obj, rel->section);
		uint64_t width = objfmt_reloc_width(sec, rel->type);
		char where[sizeof(writer->diag->where)];
		char printable[64];

		if (rel->offset <= sec->size && width <= sec->size - rel->offset &&
		    rel->addend == 0)
			continue;
		snprintf(where, sizeof(where), "section '%s'",
			 objfmt_elf_printable(sec->name, printable, sizeof(printable)));
		if (rel->addend != 0)
			return objfmt_diag_set(writer->diag, -EINVAL, where,
					       "relocation #%zu has addend %lld; REL objects keep "
					       "addends in the patched bytes", i,
					       (long long)rel->addend);
		return objfmt_diag_set(writer->diag, -EINVAL, where,
				       "relocation #%zu: offset %#llx + %llu bytes is past the "
				       "end of the section (%llu bytes)", i,
				       (unsigned long long)rel->offset, (unsigned long long)width,
				       (unsigned long long)sec->size);
	}
	return 0;
}

/* Count relocations per patched section and allocate each .rel<name> table. */
static int group_relocations(struct elf_writer *writer)
{
	const struct objfmt_object *obj = writer->obj;
	size_t sections = objfmt_object__section_count(obj);

	writer->rels = calloc(sections + 1, sizeof(*writer->rels));
	writer->rel_names = calloc(sections + 1, sizeof(*writer->rel_names));
	writer->rel_count = calloc(sections + 1, sizeof(*writer->rel_count));
	if (!writer->rels || !writer->rel_names || !writer->rel_count)
		return out_of_memory(writer);
	for (size_t i = 0; i < objfmt_object__reloc_count(obj); i++)
		writer->rel_count[objfmt_object__reloc(obj, i)->section]++;
	for (size_t s = 0; s < sections; s++) {
		if (!writer->rel_count[s])
			continue;
		writer->rels[s] = calloc(writer->rel_count[s], sizeof(Elf64_Rel));
		if (asprintf(&writer->rel_names[s], ".rel%s",
			     objfmt_object__section(obj, s)->name) < 0)
			writer->rel_names[s] = NULL;
		if (!writer->rels[s] || !writer->rel_names[s])
			return out_of_memory(writer);
	}
	return 0;
}

/* Fill the .rel tables in model order once symbols have their ELF indices. */
static int fill_relocations(struct elf_writer *writer)
{
	const struct objfmt_object *obj = writer->obj;
	size_t *filled = calloc(objfmt_object__section_count(obj) + 1, sizeof(*filled));

	if (!filled)
		return out_of_memory(writer);
	for (size_t i = 0; i < objfmt_object__reloc_count(obj); i++) {
		const struct objfmt_reloc *rel = objfmt_object__reloc(obj, i);
		Elf64_Rel *out = &writer->rels[rel->section][filled[rel->section]++];

		out->r_offset = rel->offset;
		out->r_info = ELF64_R_INFO(writer->elf_symbol[rel->symbol], rel->type);
	}
	free(filled);
	return 0;
}

static Elf64_Sym make_elf_symbol(const struct elf_writer *writer,
				 const struct objfmt_symbol *sym)
{
	static const unsigned char binds[] = { STB_LOCAL, STB_GLOBAL, STB_WEAK };
	static const unsigned char types[] = { STT_NOTYPE, STT_OBJECT, STT_FUNC, STT_SECTION,
					       STT_FILE };
	Elf64_Sym out = { 0 };

	out.st_info = ELF64_ST_INFO(binds[sym->bind], types[sym->type]);
	out.st_other = sym->vis == OBJFMT_VIS_HIDDEN ? STV_HIDDEN : STV_DEFAULT;
	if (sym->section == OBJFMT_SECTION_UNDEF)
		out.st_shndx = SHN_UNDEF;
	else if (sym->section == OBJFMT_SECTION_ABS)
		out.st_shndx = SHN_ABS;
	else
		out.st_shndx = (Elf64_Section)writer->elf_section[sym->section];
	out.st_value = sym->value;
	out.st_size = sym->size;
	return out;
}

/* Append a NUL-terminated string to .strtab; returns its offset (0 for ""). */
static int64_t strtab_add(struct elf_writer *writer, const char *text)
{
	size_t length = strlen(text) + 1;
	size_t offset = writer->strtab_size;

	if (length == 1)
		return 0;
	if (offset + length > writer->strtab_capacity) {
		size_t capacity = writer->strtab_capacity ? writer->strtab_capacity : 256;
		char *bigger;

		while (capacity < offset + length)
			capacity *= 2;
		bigger = realloc(writer->strtab, capacity);
		if (!bigger)
			return -ENOMEM;
		writer->strtab = bigger;
		writer->strtab_capacity = capacity;
	}
	if (offset > UINT32_MAX - length)
		return -E2BIG;
	memcpy(writer->strtab + offset, text, length);
	writer->strtab_size += length;
	return (int64_t)offset;
}

/* Symbols: locals first (clang's order within each group is the model's), then the
 * rest; .symtab's sh_info is the index of the first non-local. */
static int build_symbols(struct elf_writer *writer)
{
	const struct objfmt_object *obj = writer->obj;
	size_t count = objfmt_object__symbol_count(obj);
	size_t next = 1;

	writer->symbols = calloc(count + 1, sizeof(*writer->symbols));
	writer->elf_symbol = calloc(count + 1, sizeof(*writer->elf_symbol));
	writer->model_symbol = calloc(count + 1, sizeof(*writer->model_symbol));
	if (!writer->symbols || !writer->elf_symbol || !writer->model_symbol)
		return out_of_memory(writer);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < count; i++) {
			const struct objfmt_symbol *sym = objfmt_object__symbol(obj, i);
			bool local = sym->bind == OBJFMT_BIND_LOCAL;

			if (local != (pass == 0))
				continue;
			writer->elf_symbol[i] = next;
			writer->model_symbol[next] = i;
			writer->symbols[next++] = make_elf_symbol(writer, sym);
		}
		if (pass == 0)
			writer->first_global = next;
	}
	writer->symbol_count = next;
	return 0;
}

static struct out_section *plan_add(struct elf_writer *writer)
{
	struct out_section *sec = &writer->sections[writer->count++];

	memset(sec, 0, sizeof(*sec));
	sec->align = 1;
	return sec;
}

static void plan_model_section(struct elf_writer *writer, size_t model)
{
	const struct objfmt_section *src = objfmt_object__section(writer->obj, model);
	struct out_section *sec;

	writer->elf_section[model] = writer->count;
	sec = plan_add(writer);
	sec->name = src->name;
	sec->type = src->kind == OBJFMT_SEC_NOBITS ? SHT_NOBITS : SHT_PROGBITS;
	sec->flags = src->flags;
	sec->align = src->align;
	sec->entsize = src->entsize;
	sec->data = src->data;
	sec->size = src->size;
	if (!writer->rel_count[model])
		return;
	sec = plan_add(writer);
	sec->name = writer->rel_names[model];
	sec->type = SHT_REL;
	sec->flags = SHF_INFO_LINK;
	sec->align = OBJFMT_ELF_TABLE_ALIGN;
	sec->entsize = sizeof(Elf64_Rel);
	sec->info = (uint32_t)writer->elf_section[model];
	sec->data = writer->rels[model];
	sec->size = writer->rel_count[model] * sizeof(Elf64_Rel);
}

/* Encode the object's BTF when the model carries no raw .BTF section. .BTF.ext goes
 * first because encoding it may add strings to the BTF. */
static int encode_btf(struct elf_writer *writer)
{
	const struct objfmt_object *obj = writer->obj;
	struct objfmt_btf *btf = objfmt_object__btf(obj);
	struct objfmt_btf_ext *ext = objfmt_object__btf_ext(obj);
	bool raw_btf = objfmt_object__find_section(obj, ".BTF") >= 0;
	bool raw_ext = objfmt_object__find_section(obj, ".BTF.ext") >= 0;
	int err;

	if (ext && !raw_ext && (raw_btf || !btf))
		return objfmt_diag_set(writer->diag, -EINVAL, "section '.BTF.ext'",
				       "BTF.ext records need the object's BTF to be encoded too "
				       "(the object has %s)",
				       raw_btf ? "a raw .BTF section" : "no BTF");
	if (ext && !raw_ext) {
		err = objfmt_btf_ext__encode(ext, btf, &writer->ext_bytes, &writer->ext_size);
		if (err)
			return objfmt_diag_set(writer->diag, err, "section '.BTF.ext'",
					       "cannot encode: %s", strerror(-err));
	}
	if (btf && !raw_btf) {
		err = objfmt_btf__encode(btf, &writer->btf_bytes, &writer->btf_size);
		if (err)
			return objfmt_diag_set(writer->diag, err, "section '.BTF'",
					       "cannot encode: %s", strerror(-err));
	}
	return 0;
}

static void plan_encoded(struct elf_writer *writer, const char *name, void *bytes,
			 size_t size)
{
	struct out_section *sec = plan_add(writer);

	sec->name = name;
	sec->type = SHT_PROGBITS;
	sec->align = 4;
	sec->data = bytes;
	sec->size = size;
}

/* Decide every section's index, then fill links that need the final indices. */
static int plan_sections(struct elf_writer *writer)
{
	size_t sections = objfmt_object__section_count(writer->obj);
	struct out_section *sec;

	/* null, .strtab, each section and its .rel, .BTF, .BTF.ext, .symtab */
	writer->sections = calloc(2 * sections + 5, sizeof(*writer->sections));
	writer->elf_section = calloc(sections + 1, sizeof(*writer->elf_section));
	if (!writer->sections || !writer->elf_section)
		return out_of_memory(writer);
	if (2 * sections + 5 >= SHN_LORESERVE)
		return objfmt_diag_set(writer->diag, -E2BIG, "object",
				       "too many sections (%zu)", sections);
	plan_add(writer);
	sec = plan_add(writer);
	sec->name = ".strtab";
	sec->type = SHT_STRTAB;
	for (size_t i = 0; i < sections; i++)
		plan_model_section(writer, i);
	if (writer->btf_bytes)
		plan_encoded(writer, ".BTF", writer->btf_bytes, writer->btf_size);
	if (writer->ext_bytes)
		plan_encoded(writer, ".BTF.ext", writer->ext_bytes, writer->ext_size);
	sec = plan_add(writer);
	sec->name = ".symtab";
	sec->type = SHT_SYMTAB;
	sec->link = 1;
	sec->align = OBJFMT_ELF_TABLE_ALIGN;
	sec->entsize = sizeof(Elf64_Sym);
	for (size_t i = 1; i < writer->count; i++)
		if (writer->sections[i].type == SHT_REL)
			writer->sections[i].link = (uint32_t)(writer->count - 1);
	return 0;
}

/* .strtab holds section names and symbol names (clang shares one table). */
static int build_strtab(struct elf_writer *writer)
{
	const struct objfmt_object *obj = writer->obj;
	struct out_section *symtab = &writer->sections[writer->count - 1];

	writer->strtab = calloc(1, 256); /* offset 0 holds "" */
	if (!writer->strtab)
		return out_of_memory(writer);
	writer->strtab_capacity = 256;
	writer->strtab_size = 1;
	for (size_t i = 1; i < writer->count; i++) {
		int64_t offset = strtab_add(writer, writer->sections[i].name);

		if (offset < 0)
			return out_of_memory(writer);
		writer->sections[i].name_offset = (uint32_t)offset;
	}
	/* symbol names in file order, so a re-read object writes the same table */
	for (size_t i = 1; i < writer->symbol_count; i++) {
		const struct objfmt_symbol *sym = objfmt_object__symbol(obj, writer->model_symbol[i]);
		int64_t offset = strtab_add(writer, sym->name);

		if (offset < 0)
			return out_of_memory(writer);
		writer->symbols[i].st_name = (uint32_t)offset;
	}
	writer->sections[1].data = writer->strtab;
	writer->sections[1].size = writer->strtab_size;
	symtab->data = writer->symbols;
	symtab->size = writer->symbol_count * sizeof(Elf64_Sym);
	symtab->info = (uint32_t)writer->first_global;
	return 0;
}

static void put16(uint8_t *at, uint16_t value)
{
	at[0] = (uint8_t)value;
	at[1] = (uint8_t)(value >> 8);
}

static void put32(uint8_t *at, uint32_t value)
{
	put16(at, (uint16_t)value);
	put16(at + 2, (uint16_t)(value >> 16));
}

static void put64(uint8_t *at, uint64_t value)
{
	put32(at, (uint32_t)value);
	put32(at + 4, (uint32_t)(value >> 32));
}

/* File offset of every section and of the section header table, as libelf lays a
 * file out when it chooses the layout: the ELF header, then each section in index
 * order at the next multiple of its alignment (NOBITS takes no room), then the
 * section headers at the next multiple of 8. */
static int layout(struct elf_writer *writer, uint64_t *offsets, uint64_t *shdr_offset)
{
	uint64_t at = sizeof(Elf64_Ehdr);

	for (size_t i = 1; i < writer->count; i++) {
		const struct out_section *sec = &writer->sections[i];
		uint64_t align = sec->align ? sec->align : 1;

		if (align & (align - 1))
			return objfmt_diag_set(writer->diag, -EINVAL, "object",
					       "section '%s': alignment %llu is not a power of two",
					       sec->name, (unsigned long long)align);
		at = (at + align - 1) & ~(align - 1);
		offsets[i] = at;
		if (sec->type != SHT_NOBITS)
			at += sec->size;
	}
	*shdr_offset = (at + 7) & ~(uint64_t)7;
	return 0;
}

static void put_ehdr(uint8_t *out, const struct elf_writer *writer, uint64_t shdr_offset)
{
	static const uint8_t ident[EI_NIDENT] = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3,
						  ELFCLASS64, ELFDATA2LSB, EV_CURRENT,
						  ELFOSABI_NONE };

	memcpy(out, ident, sizeof(ident));
	put16(out + offsetof(Elf64_Ehdr, e_type), ET_REL);
	put16(out + offsetof(Elf64_Ehdr, e_machine), EM_BPF);
	put32(out + offsetof(Elf64_Ehdr, e_version), EV_CURRENT);
	put64(out + offsetof(Elf64_Ehdr, e_shoff), shdr_offset);
	put16(out + offsetof(Elf64_Ehdr, e_ehsize), sizeof(Elf64_Ehdr));
	put16(out + offsetof(Elf64_Ehdr, e_shentsize), sizeof(Elf64_Shdr));
	put16(out + offsetof(Elf64_Ehdr, e_shnum), (uint16_t)writer->count);
	put16(out + offsetof(Elf64_Ehdr, e_shstrndx), 1);
}

static void put_shdr(uint8_t *out, const struct out_section *sec, uint64_t offset)
{
	put32(out + offsetof(Elf64_Shdr, sh_name), sec->name_offset);
	put32(out + offsetof(Elf64_Shdr, sh_type), sec->type);
	put64(out + offsetof(Elf64_Shdr, sh_flags), sec->flags);
	put64(out + offsetof(Elf64_Shdr, sh_offset), offset);
	put64(out + offsetof(Elf64_Shdr, sh_size), sec->size);
	put32(out + offsetof(Elf64_Shdr, sh_link), sec->link);
	put32(out + offsetof(Elf64_Shdr, sh_info), sec->info);
	put64(out + offsetof(Elf64_Shdr, sh_addralign), sec->align);
	put64(out + offsetof(Elf64_Shdr, sh_entsize), sec->entsize);
}

/* Section contents; the writer's own tables are stored field by field in the file's
 * little-endian order, whatever the host's. */
static void put_contents(uint8_t *out, const struct out_section *sec)
{
	if (sec->type == SHT_REL) {
		const Elf64_Rel *rel = sec->data;

		for (size_t i = 0; i < sec->size / sizeof(*rel); i++, out += sizeof(*rel)) {
			put64(out + offsetof(Elf64_Rel, r_offset), rel[i].r_offset);
			put64(out + offsetof(Elf64_Rel, r_info), rel[i].r_info);
		}
	} else if (sec->type == SHT_SYMTAB) {
		const Elf64_Sym *sym = sec->data;

		for (size_t i = 0; i < sec->size / sizeof(*sym); i++, out += sizeof(*sym)) {
			put32(out + offsetof(Elf64_Sym, st_name), sym[i].st_name);
			out[offsetof(Elf64_Sym, st_info)] = sym[i].st_info;
			out[offsetof(Elf64_Sym, st_other)] = sym[i].st_other;
			put16(out + offsetof(Elf64_Sym, st_shndx), sym[i].st_shndx);
			put64(out + offsetof(Elf64_Sym, st_value), sym[i].st_value);
			put64(out + offsetof(Elf64_Sym, st_size), sym[i].st_size);
		}
	} else if (sec->type != SHT_NOBITS && sec->size) {
		memcpy(out, sec->data, sec->size);
	}
}

/* The file image, built in memory in one buffer (gaps between sections are zero). */
static int build_image(struct elf_writer *writer, void **out, size_t *out_size)
{
	uint64_t *offsets = calloc(writer->count, sizeof(*offsets));
	uint64_t shdr_offset = 0;
	uint8_t *image = NULL;
	size_t size;
	int err;

	if (!offsets)
		return out_of_memory(writer);
	err = layout(writer, offsets, &shdr_offset);
	size = (size_t)shdr_offset + writer->count * sizeof(Elf64_Shdr);
	if (!err && !(image = calloc(1, size)))
		err = out_of_memory(writer);
	if (!err) {
		put_ehdr(image, writer, shdr_offset);
		for (size_t i = 1; i < writer->count; i++) {
			put_contents(image + offsets[i], &writer->sections[i]);
			put_shdr(image + shdr_offset + i * sizeof(Elf64_Shdr), &writer->sections[i],
				 offsets[i]);
		}
		*out = image;
		*out_size = size;
	}
	free(offsets);
	return err;
}

int objfmt_elf_write_mem(const struct objfmt_object *obj, void **out, size_t *out_size,
			 struct objfmt_diag *diag)
{
	struct elf_writer writer = { .obj = obj, .diag = diag };
	int err;

	if (!obj || !out || !out_size)
		return -EINVAL;
	err = check_sections(&writer);
	if (!err)
		err = check_relocations(&writer);
	if (!err)
		err = group_relocations(&writer);
	if (!err)
		err = encode_btf(&writer);
	if (!err)
		err = plan_sections(&writer);
	if (!err)
		err = build_symbols(&writer);
	if (!err)
		err = fill_relocations(&writer);
	if (!err)
		err = build_strtab(&writer);
	if (!err)
		err = build_image(&writer, out, out_size);
	writer_free(&writer);
	return err;
}

/* Write all of buf to fd. */
static int write_all(int fd, const uint8_t *buf, size_t size)
{
	while (size) {
		ssize_t done = write(fd, buf, size);

		if (done < 0)
			return -errno;
		buf += done;
		size -= (size_t)done;
	}
	return 0;
}

/* Write `buf` to a fresh temporary file beside `path`, then rename it over `path`. */
static int replace_file(const char *path, const void *buf, size_t size)
{
	char *copy = strdup(path);
	char *temp = NULL;
	mode_t mask;
	int fd, err;

	if (!copy || asprintf(&temp, "%s/.%s.XXXXXX", dirname(copy),
			      strrchr(path, '/') ? strrchr(path, '/') + 1 : path) < 0) {
		free(copy);
		return -ENOMEM;
	}
	free(copy);
	fd = mkstemp(temp);
	if (fd < 0) {
		err = -errno;
		free(temp);
		return err;
	}
	mask = umask(0);
	umask(mask);
	err = write_all(fd, buf, size);
	if (!err && fchmod(fd, 0666 & ~mask) != 0)
		err = -errno;
	if (close(fd) != 0 && !err)
		err = -errno;
	if (!err && rename(temp, path) != 0)
		err = -errno;
	if (err)
		unlink(temp);
	free(temp);
	return err;
}

/* The mode a new file gets (what replace_file gives it). */
static mode_t new_file_mode(void)
{
	mode_t mask = umask(0);

	umask(mask);
	return 0666 & ~mask;
}

/* Whether overwriting the file open as `fd` ends as replace_file would: a regular file
 * of ours with one name and the mode a new file gets (a symbolic link, a second hard
 * link, another owner or mode keep the rename). */
static bool same_as_replacement(int fd, struct stat *st)
{
	return fstat(fd, st) == 0 && S_ISREG(st->st_mode) && st->st_nlink == 1 &&
	       st->st_uid == geteuid() && st->st_gid == getegid() &&
	       (st->st_mode & 07777) == new_file_mode();
}

/* Whether `path` is a symbolic link to write through rather than replace: one into
 * /proc (/dev/stdout, whatever fd 1 is) or one naming a device or FIFO. Replacing
 * such a link would put a regular file in place of /dev/stdout. */
static bool write_through_link(const char *path)
{
	char target[16];
	struct stat st;
	ssize_t n = readlink(path, target, sizeof(target));

	if (n < 0)
		return false;
	if (n >= 6 && !memcmp(target, "/proc/", 6))
		return true;
	return stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

/* Write `buf` to `path`: a missing file is created, an existing one that
 * same_as_replacement() accepts is overwritten in place (and cut to `size`): the
 * kernel then neither creates, renames nor frees an inode and its blocks, which
 * cost more than the rest of writing a small object. Anything else goes through
 * replace_file(). On a failed write `path` is removed. Returns 0 or -errno. */
static int write_file(const char *path, const void *buf, size_t size)
{
	int fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	int open_error = fd < 0 ? errno : 0;
	struct stat st = { 0 };
	int err;

	if (open_error == ELOOP && write_through_link(path)) {
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		err = write_all(fd, buf, size);
		if (close(fd) != 0 && !err)
			err = -errno;
		return err;
	}
	if (open_error == ENOENT) {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0 && fchmod(fd, new_file_mode()) != 0) {
			close(fd);
			unlink(path);
			fd = -1;
		}
	} else if (fd >= 0 && fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* a device or FIFO (-o /dev/null, /dev/stdout): written, never replaced */
		err = write_all(fd, buf, size);
		if (close(fd) != 0 && !err)
			err = -errno;
		return err;
	} else if (fd >= 0 && !same_as_replacement(fd, &st)) {
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		return replace_file(path, buf, size);
	err = write_all(fd, buf, size);
	if (!err && (uint64_t)st.st_size > size && ftruncate(fd, (off_t)size) != 0)
		err = -errno;
	if (close(fd) != 0 && !err)
		err = -errno;
	if (err)
		unlink(path);
	return err;
}

/* "section '.maps'" -> "out.o: section '.maps'" (truncated to fit). */
static void prefix_where(struct objfmt_diag *diag, const char *path)
{
	char combined[sizeof(diag->where) + 512];
	size_t length;

	snprintf(combined, sizeof(combined), "%.500s: %s", path, diag->where);
	length = strnlen(combined, sizeof(diag->where) - 1);
	memcpy(diag->where, combined, length);
	diag->where[length] = '\0';
}

int objfmt_elf_write_file(const struct objfmt_object *obj, const char *path,
			  struct objfmt_diag *diag)
{
	void *image = NULL;
	size_t size = 0;
	int err;

	if (!path)
		return -EINVAL;
	err = objfmt_elf_write_mem(obj, &image, &size, diag);
	if (err) {
		if (diag)
			prefix_where(diag, path);
		return err;
	}
	err = objfmt_elf_write_image_file(image, size, path, diag);
	free(image);
	return err;
}

int objfmt_elf_write_image_file(const void *image, size_t size, const char *path,
				struct objfmt_diag *diag)
{
	int err;

	if (!path || (!image && size))
		return -EINVAL;
	err = write_file(path, image, size);
	if (err)
		return objfmt_diag_set(diag, err, path, "cannot write: %s", strerror(-err));
	return 0;
}
