/* objdump_headers.c - `ebpf-objdump -h`: every ELF section header in llvm-objdump's
 * layout (index, name, size, VMA, TEXT/DATA/BSS/DEBUG), read through libelf. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "objdump_int.h"

static bool is_debug_section(const char *name)
{
	return strncmp(name, ".debug", 6) == 0 || strncmp(name, ".zdebug", 7) == 0 ||
	       strcmp(name, ".gdb_index") == 0;
}

/* "TEXT", "DATA", "BSS", "DEBUG", joined with ", " as llvm-objdump joins them. */
static void section_type(const GElf_Shdr *shdr, const char *name, char *buf, size_t len)
{
	bool exec = shdr->sh_flags & SHF_EXECINSTR, nobits = shdr->sh_type == SHT_NOBITS;
	size_t used = 0;

	buf[0] = '\0';
	if (exec)
		used += (size_t)snprintf(buf + used, len - used, "TEXT");
	if ((shdr->sh_flags & SHF_ALLOC) && !exec && !nobits)
		used += (size_t)snprintf(buf + used, len - used, "%sDATA", used ? ", " : "");
	if ((shdr->sh_flags & (SHF_ALLOC | SHF_WRITE)) && nobits)
		used += (size_t)snprintf(buf + used, len - used, "%sBSS", used ? ", " : "");
	if (is_debug_section(name))
		snprintf(buf + used, len - used, "%sDEBUG", used ? ", " : "");
}

static const char *section_name(Elf *elf, size_t names, const GElf_Shdr *shdr)
{
	const char *name = elf_strptr(elf, names, shdr->sh_name);

	return name ? name : "";
}

static void print_table(Elf *elf, size_t count, size_t names, FILE *out)
{
	GElf_Shdr shdr;
	char type[32];
	int width = 13;
	size_t i;

	for (i = 0; i < count; i++)
		if (gelf_getshdr(elf_getscn(elf, i), &shdr)) {
			int len = (int)strlen(section_name(elf, names, &shdr));

			width = len > width ? len : width;
		}
	fprintf(out, "\nSections:\nIdx %-*s Size     VMA              Type\n", width, "Name");
	for (i = 0; i < count; i++) {
		const char *name;

		if (!gelf_getshdr(elf_getscn(elf, i), &shdr))
			continue;
		name = section_name(elf, names, &shdr);
		section_type(&shdr, name, type, sizeof(type));
		fprintf(out, "%3zu %-*s %08" PRIx64 " %016" PRIx64 " %s\n", i, width, name,
			(uint64_t)shdr.sh_size, (uint64_t)shdr.sh_addr, type);
	}
}

int objdump_print_headers(const char *path, FILE *out, struct objfmt_diag *diag)
{
	size_t count, names;
	int fd = open(path, O_RDONLY), err = 0;
	Elf *elf;

	if (fd < 0)
		return objfmt_diag_set(diag, -errno, path, "cannot open: %s", strerror(errno));
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_getshdrnum(elf, &count) != 0 || elf_getshdrstrndx(elf, &names) != 0)
		err = objfmt_diag_set(diag, -EINVAL, path, "cannot read section headers: %s",
				      elf_errmsg(-1));
	else
		print_table(elf, count, names, out);
	elf_end(elf);
	close(fd);
	return err;
}
