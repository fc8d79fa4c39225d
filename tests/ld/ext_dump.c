/* ext_dump.c - print the .BTF.ext records of an object with their type ids replaced
 * by names, one per line ("func SEC OFF NAME", "line SEC OFF LINE:COL FILE", "core SEC
 * OFF KIND:NAME ACCESS RELO"), so link.sh can compare ebpf-ld's with libbpf's linker's
 * whatever ids each chose. */
#include <stdio.h>

#include "ebpf/objfmt.h"

static const char *type_name(const struct objfmt_btf *btf, uint32_t id)
{
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, id);

	return t && t->name && *t->name ? t->name : "(anon)";
}

static void section_print(const struct objfmt_btf_ext *ext, const struct objfmt_btf *btf,
			  size_t i)
{
	const char *name = objfmt_btf_ext__section_name(ext, i);
	size_t j;

	for (j = 0; j < objfmt_btf_ext__func_count(ext, i); j++) {
		const struct objfmt_btf_ext_func *f = objfmt_btf_ext__func(ext, i, j);

		printf("func %s %u %s\n", name, f->insn_off, type_name(btf, f->type_id));
	}
	for (j = 0; j < objfmt_btf_ext__line_count(ext, i); j++) {
		const struct objfmt_btf_ext_line *l = objfmt_btf_ext__line(ext, i, j);

		printf("line %s %u %u:%u %s | %s\n", name, l->insn_off, l->line_num, l->line_col,
		       l->file, l->line);
	}
	for (j = 0; j < objfmt_btf_ext__core_count(ext, i); j++) {
		const struct objfmt_btf_ext_core *c = objfmt_btf_ext__core(ext, i, j);
		const struct objfmt_btf_type *t = objfmt_btf__type(btf, c->type_id);

		printf("core %s %u %d:%s %s %d\n", name, c->insn_off, t ? (int)t->kind : 0,
		       type_name(btf, c->type_id), c->access, (int)c->kind);
	}
}

int main(int argc, char **argv)
{
	struct objfmt_diag diag = { { 0 }, { 0 } };
	struct objfmt_object *obj;
	const struct objfmt_btf_ext *ext;
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: ext_dump FILE.o\n");
		return 2;
	}
	obj = objfmt_elf_read_file(argv[1], &diag);
	if (!obj) {
		fprintf(stderr, "ext_dump: %s: %s\n", diag.where, diag.message);
		return 1;
	}
	ext = objfmt_object__btf_ext(obj);
	for (i = 0; ext && i < objfmt_btf_ext__section_count(ext); i++)
		section_print(ext, objfmt_object__btf(obj), i);
	objfmt_object__free(obj);
	return 0;
}
