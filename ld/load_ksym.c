/* load_ksym.c - `extern ... __ksym` declarations, as libbpf handles them: kfuncs
 * (calls with src_reg 1 against an undefined symbol whose BTF is an extern FUNC in the
 * .ksyms DATASEC) and typed kernel variables (ld_imm64 of an extern VAR) are found at
 * open and resolved at load by name in the kernel's BTF, their prototype or type
 * checked with CO-RE compatibility; a missing __weak kfunc call is poisoned.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"
#include "ld_int.h"

/* libbpf's poison for calls of unresolved weak kfuncs: an invalid helper id the
 * verifier reports only when the call is reachable ("invalid func unknown#2002000000"). */
#define KFUNC_POISON_BASE 2002000000

/* The extern FUNC or VAR `name` listed by the .ksyms DATASEC of `btf`, or 0. */
static uint32_t ksyms_member(const struct objfmt_btf *btf, const char *name)
{
	int section = btf ? objfmt_btf__find(btf, OBJFMT_BTF_DATASEC, ".ksyms") : -1;
	const struct objfmt_btf_type *sec = section > 0 ? objfmt_btf__type(btf, (uint32_t)section)
						       : NULL;

	for (uint32_t i = 0; sec && i < sec->vlen; i++) {
		const struct objfmt_btf_type *t = objfmt_btf__type(btf, sec->members[i].type);
		if (t && (t->kind == OBJFMT_BTF_FUNC || t->kind == OBJFMT_BTF_VAR) && t->name &&
		    strcmp(t->name, name) == 0)
			return sec->members[i].type;
	}
	return 0;
}

static int compare_ksyms(const void *a, const void *b)
{
	return strcmp(((const struct ld_ksym *)a)->name, ((const struct ld_ksym *)b)->name);
}

static int add_ksym(struct ld_object *obj, const struct objfmt_symbol *sym, uint32_t id,
		    struct ld_diag *diag)
{
	const struct objfmt_btf *btf = objfmt_object__btf(obj->model);
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, id);
	struct ld_ksym ksym = { .is_func = t->kind == OBJFMT_BTF_FUNC, .local_type_id = t->type,
				.weak = sym->bind == OBJFMT_BIND_WEAK };

	if (ld_ksym_find(obj, sym->name) >= 0)
		return 0;
	if (!ksym.is_func && objfmt_btf__resolve(btf, t->type) == 0)
		return ld_diag_set(diag, -ENOTSUP, "%s: extern (var ksym) '%s': typeless ksyms "
				   "(kallsyms addresses) are not supported", obj->name, sym->name);
	if (!(ksym.name = ld_strdup(sym->name)))
		return -ENOMEM;
	if (ld_append((void **)&obj->ksyms, &obj->ksym_count, sizeof(ksym), &ksym)) {
		free(ksym.name);
		return -ENOMEM;
	}
	return 0;
}

int ld_ksyms_collect(struct ld_object *obj, struct ld_diag *diag)
{
	const struct objfmt_btf *btf = objfmt_object__btf(obj->model);
	size_t count = objfmt_object__symbol_count(obj->model);
	int err = 0;

	for (size_t i = 0; i < count && !err; i++) {
		const struct objfmt_symbol *sym = objfmt_object__symbol(obj->model, i);
		uint32_t id;
		if (sym->section != OBJFMT_SECTION_UNDEF || !sym->name || !sym->name[0] ||
		    sym->bind == OBJFMT_BIND_LOCAL || ld_kconfig_find(obj, sym->name))
			continue;
		if ((id = ksyms_member(btf, sym->name)))
			err = add_ksym(obj, sym, id, diag);
	}
	if (err || !obj->ksym_count)
		return err;
	/* libbpf sorts its externs: .kconfig ones first, then ksyms by name */
	qsort(obj->ksyms, obj->ksym_count, sizeof(*obj->ksyms), compare_ksyms);
	for (size_t i = 0; i < obj->ksym_count; i++)
		obj->ksyms[i].extern_index = (uint32_t)(obj->kconfig_count + i);
	return 0;
}

ptrdiff_t ld_ksym_find(const struct ld_object *obj, const char *name)
{
	for (size_t i = 0; i < obj->ksym_count; i++)
		if (strcmp(obj->ksyms[i].name, name) == 0)
			return (ptrdiff_t)i;
	return -1;
}

/* The kernel's FUNC or VAR for `ksym` by its name without a ___flavor suffix, or 0. */
static uint32_t kernel_symbol(const struct objfmt_btf *kernel, const struct ld_ksym *ksym)
{
	char name[256];
	size_t length = core_essential_name_length(ksym->name);
	int id;

	if (length >= sizeof(name))
		return 0;
	memcpy(name, ksym->name, length);
	name[length] = '\0';
	id = objfmt_btf__find(kernel, ksym->is_func ? OBJFMT_BTF_FUNC : OBJFMT_BTF_VAR, name);
	return id > 0 ? (uint32_t)id : 0;
}

static int resolve_one(struct ld_object *obj, struct ld_ksym *ksym,
		       const struct objfmt_btf *kernel, struct ld_diag *diag)
{
	const char *what = ksym->is_func ? "func ksym" : "var ksym";
	uint32_t id = kernel_symbol(kernel, ksym);
	int compatible;

	if (!id) {
		if (ksym->weak)
			return 0;
		return ld_diag_set(diag, -ESRCH, "%s: extern (%s) '%s': not found in kernel "
				   "BTF", obj->name, what, ksym->name);
	}
	/* variables compare their types without modifiers, as libbpf skips them */
	const struct objfmt_btf *local = objfmt_object__btf(obj->model);
	uint32_t local_type = ksym->local_type_id, kernel_type = objfmt_btf__type(kernel, id)->type;
	if (!ksym->is_func) {
		local_type = objfmt_btf__resolve(local, local_type);
		kernel_type = objfmt_btf__resolve(kernel, kernel_type);
	}
	compatible = core_types_compatible(local, local_type, kernel, kernel_type, 32);
	if (compatible <= 0) {
		if (ksym->weak && ksym->is_func)
			return 0;
		return ld_diag_set(diag, -EINVAL, "%s: extern (%s) '%s': %s [%u] incompatible "
				   "with kernel [%u]", obj->name, what, ksym->name,
				   ksym->is_func ? "func_proto" : "type", local_type, kernel_type);
	}
	ksym->resolved = true;
	ksym->kernel_id = id;
	return 0;
}

int ld_ksyms_resolve(struct ld_object *obj, const struct objfmt_btf *kernel,
		     struct ld_diag *diag)
{
	int err = 0;

	if (obj->ksym_count && !kernel)
		return ld_diag_set(diag, -ENOENT, "%s: extern (ksym) '%s': no kernel BTF to "
				   "resolve it in", obj->name, obj->ksyms[0].name);
	for (size_t i = 0; i < obj->ksym_count && !err; i++)
		err = resolve_one(obj, &obj->ksyms[i], kernel, diag);
	return err;
}

void ld_ksym_patch(const struct ld_object *obj, const struct ld_reloc *rel,
		   struct objfmt_insn *insn)
{
	const struct ld_ksym *ksym = &obj->ksyms[rel->ksym];

	if (rel->kind == LD_RELOC_KFUNC) {
		insn->dst_reg = 0;
		insn->off = 0; /* vmlinux: no fd_array slot */
		insn->src_reg = ksym->resolved ? OBJFMT_CALL_KFUNC : OBJFMT_CALL_HELPER;
		insn->imm = ksym->resolved ? (int32_t)ksym->kernel_id
					   : KFUNC_POISON_BASE + (int32_t)ksym->extern_index;
		return;
	}
	/* a typed variable: its VAR id (object fd 0: vmlinux); a missing weak one is 0 */
	insn[0].src_reg = ksym->resolved ? OBJFMT_PSEUDO_BTF_ID : OBJFMT_PSEUDO_NONE;
	insn[0].imm = ksym->resolved ? (int32_t)ksym->kernel_id : 0;
	insn[1].imm = 0;
}
