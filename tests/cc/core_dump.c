/* core_dump.c - print an object's CO-RE relocation records in a compiler-neutral form,
 * so core.sh can compare ebpf-cc's with clang's: kind, access string, the BTF type the
 * record names (described by its content, not its id) and the instruction it sits on
 * (opcode and the field the loader patches, registers left out). The section is left
 * out: clang inlines static functions that ebpf-cc may keep as .text subprograms.
 * With --offsets each record starts with its section and instruction index, so the
 * records' positions can be compared too. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ebpf/objfmt.h"

/* FNV-1a over a string, to describe a type's members in one short word. */
static uint32_t hash_text(uint32_t h, const char *text)
{
	for (; *text; text++)
		h = (h ^ (unsigned char)*text) * 16777619u;
	return h;
}

/* kind:name/size, the target of a typedef/pointer/qualifier, and a hash of the
 * members (name, bit offset, bitfield size; enumerators: name and value). */
static void type_print(const struct objfmt_btf *btf, uint32_t id)
{
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, id);
	uint32_t h = 2166136261u;
	char item[64];

	if (!t) {
		printf("<no type %u>", id);
		return;
	}
	printf("%d:%s/%u", (int)t->kind, t->name, t->size);
	if (t->kind == OBJFMT_BTF_TYPEDEF || t->kind == OBJFMT_BTF_PTR ||
	    t->kind == OBJFMT_BTF_CONST || t->kind == OBJFMT_BTF_VOLATILE) {
		const struct objfmt_btf_type *to = objfmt_btf__type(btf, t->type);

		printf("->%d:%s", to ? (int)to->kind : 0, to ? to->name : "void");
	}
	for (uint32_t i = 0; i < t->vlen; i++) {
		const struct objfmt_btf_member *m = &t->members[i];

		if (t->kind == OBJFMT_BTF_ENUM || t->kind == OBJFMT_BTF_ENUM64)
			snprintf(item, sizeof(item), "=%lld;", (long long)m->value);
		else
			snprintf(item, sizeof(item), "@%u:%u;", m->bit_offset, m->bitfield);
		h = hash_text(hash_text(h, m->name), item);
	}
	if (t->vlen)
		printf(" members=%u#%08x", t->vlen, h);
}

/* Type-id relocations hold the local id, which differs between compilers' BTF. */
static void insn_print(const struct objfmt_section *sec, uint32_t off, uint32_t type_id)
{
	const struct objfmt_insn *insn;
	int cls;

	if (!sec || off + sizeof(*insn) > sec->size) {
		printf("<no insn at %u>", off);
		return;
	}
	insn = (const struct objfmt_insn *)(sec->data + off);
	cls = insn->code & 7;
	printf("code=0x%02x", insn->code);
	if (cls == 1 || cls == 2 || cls == 3) /* LDX, ST, STX: the offset is patched */
		printf(" off=%d", insn->off);
	else if (type_id && (uint32_t)insn->imm == type_id)
		printf(" imm=<the type's id>");
	else
		printf(" imm=%d", insn->imm);
	if (insn->code == 0x18 && off + 2 * sizeof(*insn) <= sec->size)
		printf(" imm_hi=%d", insn[1].imm);
}

int main(int argc, char **argv)
{
	struct objfmt_diag diag = { { 0 }, { 0 } };
	bool offsets = argc == 3 && !strcmp(argv[1], "--offsets");
	struct objfmt_object *obj;
	const struct objfmt_btf_ext *ext;
	const struct objfmt_btf *btf;

	if (argc != 2 && !offsets) {
		fprintf(stderr, "usage: core_dump [--offsets] FILE.o\n");
		return 2;
	}
	obj = objfmt_elf_read_file(argv[argc - 1], &diag);
	if (!obj) {
		fprintf(stderr, "core_dump: %s: %s\n", diag.where, diag.message);
		return 1;
	}
	ext = objfmt_object__btf_ext(obj);
	btf = objfmt_object__btf(obj);
	for (size_t i = 0; ext && i < objfmt_btf_ext__section_count(ext); i++) {
		const char *name = objfmt_btf_ext__section_name(ext, i);
		int index = objfmt_object__find_section(obj, name);
		const struct objfmt_section *sec =
			index >= 0 ? objfmt_object__section(obj, (size_t)index) : NULL;

		for (size_t j = 0; j < objfmt_btf_ext__core_count(ext, i); j++) {
			const struct objfmt_btf_ext_core *c = objfmt_btf_ext__core(ext, i, j);

			if (offsets)
				printf("%s+%u ", name, c->insn_off / 8);
			printf("kind=%d access=%s type=", (int)c->kind, c->access);
			type_print(btf, c->type_id);
			printf(" insn: ");
			insn_print(sec, c->insn_off,
				   c->kind == OBJFMT_CORE_TYPE_ID_LOCAL ||
				   c->kind == OBJFMT_CORE_TYPE_ID_TARGET ? c->type_id : 0);
			printf("\n");
		}
	}
	objfmt_object__free(obj);
	return 0;
}
