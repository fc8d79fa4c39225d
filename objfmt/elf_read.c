/* elf_read.c - ELF64 EM_BPF relocatable objects -> object model, through libelf.
 * Every header field, offset and index is checked before it is used; bad input gets
 * one message in objfmt_diag naming the file and what is wrong, and -EINVAL. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ebpf/objfmt.h"
#include "elf_int.h"

#define NOT_IN_MODEL ((size_t)-1)

/* State of one read: the image, libelf's view of it and the object being built. */
struct elf_reader {
	const char *name;          /* label for messages ("prog.o") */
	struct objfmt_diag *diag;  /* where messages go (may be NULL) */
	uint8_t *image;            /* private copy of the file */
	size_t size;               /* bytes in image */
	Elf *elf;                  /* libelf handle over image */
	size_t section_count;      /* ELF sections, the null section included */
	size_t names_section;      /* e_shstrndx */
	size_t *model_index;       /* ELF section index -> model index or NOT_IN_MODEL */
	size_t symtab;             /* ELF index of .symtab, 0 when there is none */
	size_t symbol_count;       /* ELF symbols, the null symbol included */
	struct objfmt_object *obj; /* result under construction */
};

/* Fill the diagnostic: where = "<file>" or "<file>: <context>". Returns -EINVAL. */
static int reader_fail(struct elf_reader *reader, const char *context, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int reader_fail(struct elf_reader *reader, const char *context, const char *fmt, ...)
{
	char where[sizeof(reader->diag->where)];
	char message[sizeof(reader->diag->message)];
	va_list args;

	if (context)
		snprintf(where, sizeof(where), "%s: %s", reader->name, context);
	else
		snprintf(where, sizeof(where), "%s", reader->name);
	va_start(args, fmt);
	vsnprintf(message, sizeof(message), fmt, args);
	va_end(args);
	return objfmt_diag_set(reader->diag, -EINVAL, where, "%s", message);
}

const char *objfmt_elf_printable(const char *name, char *out, size_t size)
{
	size_t used = 0;

	/* each step adds at most 4 bytes and leaves room for "..." and the NUL */
	for (; *name && used + 8 <= size; name++) {
		unsigned char c = (unsigned char)*name;

		if (c >= 0x20 && c < 0x7f)
			out[used++] = (char)c;
		else
			used += (size_t)snprintf(out + used, size - used, "\\x%02x", c);
	}
	if (*name) {
		memcpy(out + used, "...", 3);
		used += 3;
	}
	out[used] = '\0';
	return out;
}

/* "section #4 '.relxdp'" into buf, for message contexts. */
static const char *section_context(struct elf_reader *reader, size_t index, char *buf,
				   size_t buflen)
{
	GElf_Shdr shdr;
	const char *name = NULL;
	char printable[64];

	if (gelf_getshdr(elf_getscn(reader->elf, index), &shdr))
		name = elf_strptr(reader->elf, reader->names_section, shdr.sh_name);
	snprintf(buf, buflen, "section #%zu '%s'", index,
		 objfmt_elf_printable(name ? name : "?", printable, sizeof(printable)));
	return buf;
}

static int check_identity(struct elf_reader *reader)
{
	const uint8_t *ident = reader->image;

	if (reader->size < SELFMAG || memcmp(ident, ELFMAG, SELFMAG) != 0)
		return reader_fail(reader, NULL, "not an ELF file (bad magic)");
	if (reader->size < sizeof(Elf64_Ehdr))
		return reader_fail(reader, NULL, "truncated ELF header (%zu bytes, need %zu)",
				   reader->size, sizeof(Elf64_Ehdr));
	if (ident[EI_CLASS] != ELFCLASS64)
		return reader_fail(reader, NULL, "ELF class %u is not ELFCLASS64",
				   ident[EI_CLASS]);
	if (ident[EI_DATA] != ELFDATA2LSB)
		return reader_fail(reader, NULL,
				   "ELF data encoding %u is not little-endian (ELFDATA2LSB)",
				   ident[EI_DATA]);
	if (ident[EI_VERSION] != EV_CURRENT)
		return reader_fail(reader, NULL, "ELF version %u is not EV_CURRENT",
				   ident[EI_VERSION]);
	return 0;
}

/* The file header, read from the raw bytes before libelf sees them. */
static int check_header(struct elf_reader *reader)
{
	Elf64_Ehdr ehdr;
	int err = check_identity(reader);

	if (err)
		return err;
	memcpy(&ehdr, reader->image, sizeof(ehdr));
	if (ehdr.e_type != ET_REL)
		return reader_fail(reader, NULL, "e_type %u is not a relocatable object (ET_REL)",
				   ehdr.e_type);
	if (ehdr.e_machine != EM_BPF)
		return reader_fail(reader, NULL, "e_machine %u is not EM_BPF (%u)",
				   ehdr.e_machine, EM_BPF);
	if (ehdr.e_shnum == 0)
		return reader_fail(reader, NULL, "no section headers (e_shnum 0)");
	if (ehdr.e_shentsize != sizeof(Elf64_Shdr))
		return reader_fail(reader, NULL, "e_shentsize %u is not %zu", ehdr.e_shentsize,
				   sizeof(Elf64_Shdr));
	if (ehdr.e_shoff > reader->size ||
	    (reader->size - ehdr.e_shoff) / sizeof(Elf64_Shdr) < ehdr.e_shnum)
		return reader_fail(reader, NULL,
				   "section header table (offset %#llx, %u entries) extends past "
				   "the end of the file (%zu bytes)",
				   (unsigned long long)ehdr.e_shoff, ehdr.e_shnum, reader->size);
	if (ehdr.e_shstrndx == SHN_UNDEF || ehdr.e_shstrndx >= ehdr.e_shnum)
		return reader_fail(reader, NULL, "e_shstrndx %u out of range (%u sections)",
				   ehdr.e_shstrndx, ehdr.e_shnum);
	reader->section_count = ehdr.e_shnum;
	reader->names_section = ehdr.e_shstrndx;
	return 0;
}

static int open_libelf(struct elf_reader *reader)
{
	size_t count;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return reader_fail(reader, NULL, "libelf: %s", elf_errmsg(-1));
	reader->elf = elf_memory((char *)reader->image, reader->size);
	if (!reader->elf || elf_kind(reader->elf) != ELF_K_ELF)
		return reader_fail(reader, NULL, "libelf: %s", elf_errmsg(-1));
	if (elf_getshdrnum(reader->elf, &count) != 0 || count != reader->section_count)
		return reader_fail(reader, NULL, "libelf: cannot count sections: %s",
				   elf_errmsg(-1));
	reader->model_index = malloc(count * sizeof(*reader->model_index));
	if (!reader->model_index)
		return objfmt_diag_set(reader->diag, -ENOMEM, reader->name, "out of memory");
	for (size_t i = 0; i < count; i++)
		reader->model_index[i] = NOT_IN_MODEL;
	return 0;
}

/* The section name table itself must be a string table inside the file. */
static int check_names_section(struct elf_reader *reader)
{
	GElf_Shdr shdr;

	if (!gelf_getshdr(elf_getscn(reader->elf, reader->names_section), &shdr))
		return reader_fail(reader, NULL, "libelf: %s", elf_errmsg(-1));
	if (shdr.sh_type != SHT_STRTAB)
		return reader_fail(reader, NULL,
				   "section name table #%zu has type %u, not SHT_STRTAB",
				   reader->names_section, shdr.sh_type);
	if (shdr.sh_offset > reader->size || shdr.sh_size > reader->size - shdr.sh_offset)
		return reader_fail(reader, NULL,
				   "section name table #%zu (offset %#llx, size %#llx) extends "
				   "past the end of the file (%zu bytes)",
				   reader->names_section, (unsigned long long)shdr.sh_offset,
				   (unsigned long long)shdr.sh_size, reader->size);
	return 0;
}

/* Checks every section shares: a name inside the name table, file bytes inside the
 * file, a power-of-two alignment, and the entry size of tables. */
static int check_section(struct elf_reader *reader, size_t index, const GElf_Shdr *shdr,
			 const char **name)
{
	char context[96];

	*name = elf_strptr(reader->elf, reader->names_section, shdr->sh_name);
	if (!*name) {
		snprintf(context, sizeof(context), "section #%zu", index);
		return reader_fail(reader, context,
				   "name offset %u out of range of the section name table",
				   shdr->sh_name);
	}
	section_context(reader, index, context, sizeof(context));
	if (shdr->sh_type != SHT_NOBITS &&
	    (shdr->sh_offset > reader->size || shdr->sh_size > reader->size - shdr->sh_offset))
		return reader_fail(reader, context,
				   "data (offset %#llx, size %#llx) extends past the end of the "
				   "file (%zu bytes)",
				   (unsigned long long)shdr->sh_offset,
				   (unsigned long long)shdr->sh_size, reader->size);
	if (shdr->sh_addralign & (shdr->sh_addralign - 1))
		return reader_fail(reader, context, "alignment %llu is not a power of two",
				   (unsigned long long)shdr->sh_addralign);
	if ((shdr->sh_type == SHT_PROGBITS || shdr->sh_type == SHT_NOBITS) &&
	    (shdr->sh_flags & ~OBJFMT_ELF_SECTION_FLAGS))
		return reader_fail(reader, context, "unsupported section flags %#llx",
				   (unsigned long long)(shdr->sh_flags & ~OBJFMT_ELF_SECTION_FLAGS));
	if ((shdr->sh_type == SHT_PROGBITS || shdr->sh_type == SHT_NOBITS) &&
	    shdr->sh_addralign > OBJFMT_SECTION_MAX_ALIGN)
		return reader_fail(reader, context, "alignment %llu is larger than %u",
				   (unsigned long long)shdr->sh_addralign,
				   OBJFMT_SECTION_MAX_ALIGN);
	if (shdr->sh_type == SHT_SYMTAB && shdr->sh_size % sizeof(Elf64_Sym))
		return reader_fail(reader, context,
				   "size %llu is not a multiple of the symbol size %zu",
				   (unsigned long long)shdr->sh_size, sizeof(Elf64_Sym));
	if (shdr->sh_type == SHT_REL && shdr->sh_size % sizeof(Elf64_Rel))
		return reader_fail(reader, context,
				   "size %llu is not a multiple of the relocation size %zu",
				   (unsigned long long)shdr->sh_size, sizeof(Elf64_Rel));
	if (shdr->sh_entsize > 1 && shdr->sh_size % shdr->sh_entsize)
		return reader_fail(reader, context, "size %llu is not a multiple of sh_entsize %llu",
				   (unsigned long long)shdr->sh_size,
				   (unsigned long long)shdr->sh_entsize);
	return 0;
}

/* The bytes of a section inside the image (already range-checked). */
static const uint8_t *section_bytes(struct elf_reader *reader, const GElf_Shdr *shdr)
{
	return reader->image + shdr->sh_offset;
}

static int add_model_section(struct elf_reader *reader, size_t index, const GElf_Shdr *shdr,
			     const char *name)
{
	enum objfmt_section_kind kind =
		shdr->sh_type == SHT_NOBITS ? OBJFMT_SEC_NOBITS : OBJFMT_SEC_PROGBITS;
	char context[96];
	int64_t placed;
	int model;

	section_context(reader, index, context, sizeof(context));
	model = objfmt_object__add_section(reader->obj, name, kind, shdr->sh_flags,
					   shdr->sh_addralign);
	if (model == -EEXIST)
		return reader_fail(reader, context, "duplicate section name");
	if (model == -EINVAL)
		return reader_fail(reader, context,
				   "name is empty or reserved for relocation/symbol tables");
	if (model < 0)
		return objfmt_diag_set(reader->diag, model, reader->name, "out of memory");
	objfmt_object__section(reader->obj, model)->entsize = shdr->sh_entsize;
	placed = objfmt_object__append(reader->obj, model,
				       kind == OBJFMT_SEC_NOBITS ? NULL
								 : section_bytes(reader, shdr),
				       shdr->sh_size);
	if (placed == -EOVERFLOW)
		return reader_fail(reader, context, "size %#llx is too large",
				   (unsigned long long)shdr->sh_size);
	if (placed < 0)
		return objfmt_diag_set(reader->diag, (int)placed, reader->name, "out of memory");
	reader->model_index[index] = (size_t)model;
	return 0;
}

/* First pass: every section is checked; code and data sections enter the model in file
 * order; the symbol table is located. Relocation sections are handled later. */
static int read_sections(struct elf_reader *reader)
{
	char context[96];
	int err = check_names_section(reader);

	for (size_t i = 1; !err && i < reader->section_count; i++) {
		GElf_Shdr shdr;
		const char *name;

		if (!gelf_getshdr(elf_getscn(reader->elf, i), &shdr))
			return reader_fail(reader, NULL, "libelf: %s", elf_errmsg(-1));
		err = check_section(reader, i, &shdr, &name);
		if (err)
			return err;
		section_context(reader, i, context, sizeof(context));
		switch (shdr.sh_type) {
		case SHT_PROGBITS:
		case SHT_NOBITS:
			err = add_model_section(reader, i, &shdr, name);
			break;
		case SHT_SYMTAB:
			if (reader->symtab)
				return reader_fail(reader, context, "second symbol table");
			reader->symtab = i;
			reader->symbol_count = shdr.sh_size / sizeof(Elf64_Sym);
			break;
		case SHT_NULL:
		case SHT_STRTAB:
		case SHT_REL:
		case OBJFMT_SHT_LLVM_ADDRSIG: /* linker hint for clang's ICF; not kept */
			break;
		case SHT_RELA:
			return reader_fail(reader, context,
					   "RELA relocations are not used by BPF (expected SHT_REL)");
		default:
			return reader_fail(reader, context, "unsupported section type %#x",
					   shdr.sh_type);
		}
	}
	return err;
}

/* Map one ELF symbol's bind/type/visibility/section onto the model's values. */
static int convert_symbol(struct elf_reader *reader, const GElf_Sym *elf_sym,
			  const char *context, struct objfmt_symbol *sym)
{
	unsigned bind = GELF_ST_BIND(elf_sym->st_info);
	unsigned type = GELF_ST_TYPE(elf_sym->st_info);
	unsigned vis = GELF_ST_VISIBILITY(elf_sym->st_other);
	unsigned shndx = elf_sym->st_shndx;

	if (bind != STB_LOCAL && bind != STB_GLOBAL && bind != STB_WEAK)
		return reader_fail(reader, context, "unsupported binding %u", bind);
	if (type > STT_FILE)
		return reader_fail(reader, context, "unsupported type %u", type);
	if (vis != STV_DEFAULT && vis != STV_HIDDEN)
		return reader_fail(reader, context, "unsupported visibility %u", vis);
	sym->bind = bind == STB_LOCAL ? OBJFMT_BIND_LOCAL
		    : bind == STB_GLOBAL ? OBJFMT_BIND_GLOBAL : OBJFMT_BIND_WEAK;
	sym->type = (enum objfmt_sym_type[]){ OBJFMT_SYM_NOTYPE, OBJFMT_SYM_OBJECT,
					      OBJFMT_SYM_FUNC, OBJFMT_SYM_SECTION,
					      OBJFMT_SYM_FILE }[type];
	sym->vis = vis == STV_HIDDEN ? OBJFMT_VIS_HIDDEN : OBJFMT_VIS_DEFAULT;
	sym->value = elf_sym->st_value;
	sym->size = elf_sym->st_size;
	if (shndx == SHN_UNDEF)
		sym->section = OBJFMT_SECTION_UNDEF;
	else if (shndx == SHN_ABS)
		sym->section = OBJFMT_SECTION_ABS;
	else if (shndx < reader->section_count && reader->model_index[shndx] != NOT_IN_MODEL)
		sym->section = reader->model_index[shndx];
	else
		return reader_fail(reader, context,
				   "section index %u is not a code or data section", shndx);
	return 0;
}

/* Why the model refused a converted symbol, in words. */
static int explain_symbol(struct elf_reader *reader, const char *context,
			  const struct objfmt_symbol *sym, int err)
{
	if (err == -EEXIST)
		return reader_fail(reader, context, "second definition of global symbol");
	if (err != -EINVAL)
		return objfmt_diag_set(reader->diag, err, reader->name, "out of memory");
	if (sym->type == OBJFMT_SYM_SECTION)
		return reader_fail(reader, context,
				   "section symbol must be local and in a code or data section");
	if (sym->type == OBJFMT_SYM_FILE)
		return reader_fail(reader, context, "file symbol must be local and absolute");
	if (sym->section == OBJFMT_SECTION_UNDEF)
		return reader_fail(reader, context, "local symbol is undefined");
	return reader_fail(reader, context, "global symbol has no name");
}

static int read_symbols(struct elf_reader *reader)
{
	Elf_Scn *scn;
	Elf_Data *data;
	GElf_Shdr shdr, strtab;
	char context[160];
	char printable[64];

	if (!reader->symtab)
		return 0;
	scn = elf_getscn(reader->elf, reader->symtab);
	if (!gelf_getshdr(scn, &shdr))
		return reader_fail(reader, NULL, "libelf: %s", elf_errmsg(-1));
	section_context(reader, reader->symtab, context, sizeof(context));
	if (shdr.sh_link == 0 || shdr.sh_link >= reader->section_count ||
	    !gelf_getshdr(elf_getscn(reader->elf, shdr.sh_link), &strtab) ||
	    strtab.sh_type != SHT_STRTAB)
		return reader_fail(reader, context, "sh_link %u is not a string table",
				   shdr.sh_link);
	data = elf_getdata(scn, NULL);
	if (!data && reader->symbol_count)
		return reader_fail(reader, context, "libelf: %s", elf_errmsg(-1));
	for (size_t i = 1; i < reader->symbol_count; i++) {
		struct objfmt_symbol sym = { 0 };
		GElf_Sym elf_sym;
		const char *name;
		int err;

		if (!gelf_getsym(data, (int)i, &elf_sym))
			return reader_fail(reader, context, "libelf: %s", elf_errmsg(-1));
		name = elf_strptr(reader->elf, shdr.sh_link, elf_sym.st_name);
		if (!name) {
			snprintf(context, sizeof(context), "symbol #%zu", i);
			return reader_fail(reader, context,
					   "name offset %u out of range of the string table",
					   elf_sym.st_name);
		}
		snprintf(context, sizeof(context), "symbol #%zu '%s'", i,
			 objfmt_elf_printable(name, printable, sizeof(printable)));
		err = convert_symbol(reader, &elf_sym, context, &sym);
		if (err)
			return err;
		sym.name = sym.type == OBJFMT_SYM_SECTION ? "" : name;
		err = objfmt_object__add_symbol(reader->obj, &sym);
		if (err < 0)
			return explain_symbol(reader, context, &sym, err);
	}
	return 0;
}

static int read_reloc(struct elf_reader *reader, const char *context, size_t number,
		      const GElf_Rel *elf_rel, size_t target)
{
	const struct objfmt_section *sec = objfmt_object__section(reader->obj, target);
	struct objfmt_reloc rel = { .section = target, .offset = elf_rel->r_offset };
	size_t symbol = GELF_R_SYM(elf_rel->r_info);
	uint32_t type = GELF_R_TYPE(elf_rel->r_info);
	char printable[64];
	uint64_t width;
	int err;

	if (symbol == 0 || symbol >= reader->symbol_count)
		return reader_fail(reader, context,
				   "relocation #%zu: symbol index %zu out of range (1..%zu)",
				   number, symbol, reader->symbol_count - 1);
	if (!objfmt_reloc_type_known(type))
		return reader_fail(reader, context, "relocation #%zu: unknown type %u", number,
				   type);
	width = objfmt_reloc_width(sec, type);
	if (rel.offset > sec->size || width > sec->size - rel.offset)
		return reader_fail(reader, context,
				   "relocation #%zu: offset %#llx + %llu bytes is past the end "
				   "of '%s' (%llu bytes)",
				   number, (unsigned long long)rel.offset,
				   (unsigned long long)width,
				   objfmt_elf_printable(sec->name, printable, sizeof(printable)),
				   (unsigned long long)sec->size);
	rel.type = type;
	rel.symbol = symbol - 1;
	err = objfmt_object__add_reloc(reader->obj, &rel);
	if (err < 0)
		return objfmt_diag_set(reader->diag, err, reader->name, "out of memory");
	return 0;
}

static int read_reloc_section(struct elf_reader *reader, size_t index, const GElf_Shdr *shdr)
{
	char context[96];
	Elf_Data *data;
	size_t target = NOT_IN_MODEL;
	size_t count = shdr->sh_size / sizeof(Elf64_Rel);

	section_context(reader, index, context, sizeof(context));
	if (!reader->symtab || shdr->sh_link != reader->symtab)
		return reader_fail(reader, context, "sh_link %u is not the symbol table",
				   shdr->sh_link);
	if (shdr->sh_info < reader->section_count)
		target = reader->model_index[shdr->sh_info];
	if (target == NOT_IN_MODEL ||
	    objfmt_object__section(reader->obj, target)->kind != OBJFMT_SEC_PROGBITS)
		return reader_fail(reader, context,
				   "sh_info %u is not a section with bytes to relocate",
				   shdr->sh_info);
	data = elf_getdata(elf_getscn(reader->elf, index), NULL);
	if (!data && count)
		return reader_fail(reader, context, "libelf: %s", elf_errmsg(-1));
	for (size_t i = 0; i < count; i++) {
		GElf_Rel rel;
		int err;

		if (!gelf_getrel(data, (int)i, &rel))
			return reader_fail(reader, context, "libelf: %s", elf_errmsg(-1));
		err = read_reloc(reader, context, i, &rel, target);
		if (err)
			return err;
	}
	return 0;
}

static int read_relocations(struct elf_reader *reader)
{
	for (size_t i = 1; i < reader->section_count; i++) {
		GElf_Shdr shdr;
		int err;

		if (!gelf_getshdr(elf_getscn(reader->elf, i), &shdr))
			return reader_fail(reader, NULL, "libelf: %s", elf_errmsg(-1));
		if (shdr.sh_type != SHT_REL)
			continue;
		err = read_reloc_section(reader, i, &shdr);
		if (err)
			return err;
	}
	return 0;
}

/* Pass a BTF decoder's message on, prefixed with the file and section. */
static int btf_failure(struct elf_reader *reader, const char *section,
		       const struct objfmt_diag *inner, int err)
{
	char context[64];

	if (err == -ENOMEM)
		return objfmt_diag_set(reader->diag, err, reader->name, "out of memory");
	char where[sizeof(inner->where) * 4];
	char message[sizeof(inner->message) * 4];

	snprintf(context, sizeof(context), "section '%s'", section);
	/* the decoders may quote names from the file: keep the message on one line */
	objfmt_elf_printable(inner->where, where, sizeof(where));
	objfmt_elf_printable(inner->message[0] ? inner->message : "invalid data", message,
			     sizeof(message));
	if (where[0])
		return reader_fail(reader, context, "%s: %s", where, message);
	return reader_fail(reader, context, "%s", message);
}

/* The model section called `name`, NULL if absent; -EINVAL when it holds no bytes. */
static int find_btf_section(struct elf_reader *reader, const char *name,
			    const struct objfmt_section **sec)
{
	int index = objfmt_object__find_section(reader->obj, name);
	char context[64];

	*sec = index < 0 ? NULL : objfmt_object__section(reader->obj, index);
	if (!*sec || (*sec)->kind == OBJFMT_SEC_PROGBITS)
		return 0;
	snprintf(context, sizeof(context), "section '%s'", name);
	return reader_fail(reader, context, "has type SHT_NOBITS, expected SHT_PROGBITS");
}

/* Decode .BTF, then .BTF.ext against it; the raw sections stay in the model. */
static int read_btf(struct elf_reader *reader)
{
	struct objfmt_diag inner = { { 0 }, { 0 } };
	const struct objfmt_section *sec;
	struct objfmt_btf *btf;
	struct objfmt_btf_ext *ext;
	int err = find_btf_section(reader, ".BTF", &sec);

	if (err || !sec)
		return err;
	btf = objfmt_btf__decode(sec->data, sec->size, &inner);
	if (!btf)
		return btf_failure(reader, ".BTF", &inner, errno ? -errno : -EINVAL);
	objfmt_object__set_btf(reader->obj, btf);
	err = find_btf_section(reader, ".BTF.ext", &sec);
	if (err || !sec)
		return err;
	memset(&inner, 0, sizeof(inner));
	ext = objfmt_btf_ext__decode(sec->data, sec->size, btf, &inner);
	if (!ext)
		return btf_failure(reader, ".BTF.ext", &inner, errno ? -errno : -EINVAL);
	objfmt_object__set_btf_ext(reader->obj, ext);
	return 0;
}

static int read_all(struct elf_reader *reader)
{
	int err;

	err = check_header(reader);
	if (!err)
		err = open_libelf(reader);
	if (!err && !(reader->obj = objfmt_object__new()))
		err = objfmt_diag_set(reader->diag, -ENOMEM, reader->name, "out of memory");
	if (!err)
		err = read_sections(reader);
	if (!err)
		err = read_symbols(reader);
	if (!err)
		err = read_relocations(reader);
	if (!err)
		err = read_btf(reader);
	return err;
}

struct objfmt_object *objfmt_elf_read_mem(const void *data, size_t size, const char *name,
					  struct objfmt_diag *diag)
{
	struct elf_reader reader = { .name = name ? name : "<memory>", .diag = diag,
				     .size = size };
	struct objfmt_object *result = NULL;
	int err;

	reader.image = malloc(size ? size : 1);
	if (!reader.image) {
		errno = ENOMEM;
		objfmt_diag_set(diag, -ENOMEM, reader.name, "out of memory");
		return NULL;
	}
	if (size)
		memcpy(reader.image, data, size);
	err = read_all(&reader);
	if (!err) {
		result = reader.obj;
		reader.obj = NULL;
	}
	objfmt_object__free(reader.obj);
	if (reader.elf)
		elf_end(reader.elf);
	free(reader.model_index);
	free(reader.image);
	if (err)
		errno = -err;
	return result;
}

/* Whole file into memory; the size is capped so a device or a huge file cannot hang
 * or exhaust the reader. */
static int slurp_file(const char *path, uint8_t **out, size_t *out_size,
		      struct objfmt_diag *diag)
{
	struct stat st;
	uint8_t *buf = NULL;
	size_t done = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int err = 0;

	if (fd < 0)
		return objfmt_diag_set(diag, -errno, path, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		err = objfmt_diag_set(diag, -EINVAL, path, "not a regular file");
	else if ((uint64_t)st.st_size > OBJFMT_ELF_MAX_FILE)
		err = objfmt_diag_set(diag, -EFBIG, path, "file too large (%lld bytes)",
				      (long long)st.st_size);
	else if (!(buf = malloc(st.st_size ? (size_t)st.st_size : 1)))
		err = objfmt_diag_set(diag, -ENOMEM, path, "out of memory");
	while (!err && done < (size_t)st.st_size) {
		ssize_t got = read(fd, buf + done, (size_t)st.st_size - done);

		if (got <= 0)
			err = objfmt_diag_set(diag, got ? -errno : -EIO, path, "read failed: %s",
					      got ? strerror(errno) : "file shrank");
		else
			done += (size_t)got;
	}
	close(fd);
	if (err) {
		free(buf);
		return err;
	}
	*out = buf;
	*out_size = done;
	return 0;
}

struct objfmt_object *objfmt_elf_read_file(const char *path, struct objfmt_diag *diag)
{
	struct objfmt_object *obj;
	uint8_t *image = NULL;
	size_t size = 0;
	int err = slurp_file(path, &image, &size, diag);

	if (err) {
		errno = -err;
		return NULL;
	}
	obj = objfmt_elf_read_mem(image, size, path, diag);
	err = errno;
	free(image);
	errno = err;
	return obj;
}
