/* load_ksym.c - `extern ... __ksym` declarations, as libbpf handles them: kfuncs
 * (calls with src_reg 1 against an undefined symbol whose BTF is an extern FUNC in the
 * .ksyms DATASEC) and typed kernel variables (ld_imm64 of an extern VAR) are found at
 * open and resolved at load by name in the kernel's BTF (then in its modules' BTF, whose
 * fds go into PROG_LOAD's fd_array), their prototype or type checked with CO-RE
 * compatibility; a missing __weak kfunc call is poisoned. Typeless variables
 * (`extern const void x __ksym`) get their address from /proc/kallsyms, the host's
 * for the emulator too (as .kconfig values are).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static int add_ksym(struct ld_object *obj, const struct objfmt_symbol *sym, uint32_t id)
{
	const struct objfmt_btf *btf = objfmt_object__btf(obj->model);
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, id);
	struct ld_ksym ksym = { .is_func = t->kind == OBJFMT_BTF_FUNC, .local_type_id = t->type,
				.weak = sym->bind == OBJFMT_BIND_WEAK };

	if (ld_ksym_find(obj, sym->name) >= 0)
		return 0;
	ksym.typeless = !ksym.is_func && objfmt_btf__resolve(btf, t->type) == 0;
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
			err = add_ksym(obj, sym, id);
	}
	if (err)
		return ld_diag_set(diag, err, "%s: extern (ksym): %s", obj->name, strerror(-err));
	if (!obj->ksym_count)
		return 0;
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

/* The kernel's FUNC or VAR for `ksym` by its name without a ___flavor suffix, or 0;
 * in a module's BTF (vmlinux's types, then the module's) only the module's own. */
static uint32_t kernel_symbol(const struct objfmt_btf *kernel, const struct ld_ksym *ksym,
			      uint32_t first_id)
{
	char name[256];
	size_t length = core_essential_name_length(ksym->name);
	int id;

	if (length >= sizeof(name))
		return 0;
	memcpy(name, ksym->name, length);
	name[length] = '\0';
	id = objfmt_btf__find(kernel, ksym->is_func ? OBJFMT_BTF_FUNC : OBJFMT_BTF_VAR, name);
	return id > 0 && (uint32_t)id >= first_id ? (uint32_t)id : 0;
}

/* The backend's fd of kernel BTF object `name` (a module's), found as libbpf's
 * load_module_btfs does: every BTF id, its fd, its info's name; or -ENOENT. */
static int module_fd(const struct ld_object *obj, const char *name)
{
	char found[64];
	uint32_t id = 0;
	union bpf_attr attr;

	for (;;) {
		memset(&attr, 0, sizeof(attr));
		attr.start_id = id;
		if (obj->backend->bpf(BPF_BTF_GET_NEXT_ID, &attr, sizeof(attr)) < 0)
			return -ENOENT;
		id = attr.next_id;
		memset(&attr, 0, sizeof(attr));
		attr.btf_id = id;
		long fd = obj->backend->bpf(BPF_BTF_GET_FD_BY_ID, &attr, sizeof(attr));
		if (fd < 0)
			continue;
		struct bpf_btf_info info = { .name = (uint64_t)(uintptr_t)found,
					     .name_len = sizeof(found) };
		memset(&attr, 0, sizeof(attr));
		attr.info.bpf_fd = (uint32_t)fd;
		attr.info.info_len = sizeof(info);
		attr.info.info = (uint64_t)(uintptr_t)&info;
		found[0] = '\0';
		if (obj->backend->bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr)) == 0 &&
		    info.kernel_btf && strncmp(found, name, sizeof(found)) == 0)
			return (int)fd;
		close((int)fd);
	}
}

/* The module `name`'s entry (its fd, its fd_array slot), added on first use as
 * libbpf does: slot 0 stays unused, the offset field is an s16. */
static int module_entry(struct ld_object *obj, const char *name, struct ld_module_btf **out)
{
	struct ld_module_btf module = { .fd = -1 };
	int zero = 0;

	for (size_t i = 0; i < obj->module_btf_count; i++)
		if (strcmp(obj->module_btfs[i].name, name) == 0) {
			*out = &obj->module_btfs[i];
			return 0;
		}
	if (obj->fd_array_count >= INT16_MAX)
		return -E2BIG;
	if ((module.fd = module_fd(obj, name)) < 0)
		return module.fd;
	snprintf(module.name, sizeof(module.name), "%s", name);
	if ((!obj->fd_array_count &&
	     ld_append((void **)&obj->fd_array, &obj->fd_array_count, sizeof(int), &zero)) ||
	    ld_append((void **)&obj->fd_array, &obj->fd_array_count, sizeof(int), &module.fd))
		goto nomem;
	module.fd_index = (int16_t)(obj->fd_array_count - 1);
	if (ld_append((void **)&obj->module_btfs, &obj->module_btf_count, sizeof(module), &module))
		goto nomem;
	*out = &obj->module_btfs[obj->module_btf_count - 1];
	return 0;
nomem:
	close(module.fd);
	return -ENOMEM;
}

/* Where `ksym` is: vmlinux (*module NULL) or a module's BTF; its id, or 0. */
static uint32_t locate(const struct ld_ksym *ksym, const struct objfmt_btf *kernel,
		       struct core_modules *modules, const char *module_dir,
		       const struct core_module **module)
{
	uint32_t id = kernel_symbol(kernel, ksym, 1);

	*module = NULL;
	if (id || !module_dir)
		return id;
	if (!modules->loaded && core_modules_load(modules, module_dir, kernel))
		return 0;
	for (size_t i = 0; i < modules->count; i++)
		if ((id = kernel_symbol(modules->items[i].btf, ksym, modules->items[i].first_id))) {
			*module = &modules->items[i];
			return id;
		}
	return 0;
}

#define KALLSYMS_PATH "/proc/kallsyms"

/* One /proc/kallsyms line for the typeless ksyms (libbpf's kallsyms_cb): a local data
 * symbol may carry LLVM's ".llvm.<hash>" suffix; two addresses are ambiguous. */
static int kallsyms_line(struct ld_object *obj, const char *line, struct ld_diag *diag)
{
	unsigned long long address;
	char type, name[512];

	if (sscanf(line, "%llx %c %511s", &address, &type, name) != 3)
		return 0;
	char *suffix = type == 'd' ? strstr(name, ".llvm.") : NULL;
	if (suffix)
		*suffix = '\0';
	ptrdiff_t index = ld_ksym_find(obj, name);
	struct ld_ksym *ksym = index >= 0 ? &obj->ksyms[index] : NULL;
	if (!ksym || !ksym->typeless)
		return 0;
	if (ksym->resolved && ksym->address != address)
		return ld_diag_set(diag, -EINVAL, "%s: extern (ksym) '%s': resolution is "
				   "ambiguous: 0x%llx or 0x%llx", obj->name, name,
				   (unsigned long long)ksym->address, address);
	ksym->resolved = true;
	ksym->address = address;
	return 0;
}

static int resolve_typeless(struct ld_object *obj, struct ld_diag *diag)
{
	bool needed = false;
	char line[1024];
	FILE *in;
	int err = 0;

	for (size_t i = 0; i < obj->ksym_count; i++)
		needed |= obj->ksyms[i].typeless;
	if (!needed)
		return 0;
	if ((in = fopen(KALLSYMS_PATH, "r")))
		while (!err && fgets(line, sizeof(line), in))
			err = kallsyms_line(obj, line, diag);
	if (in)
		fclose(in);
	for (size_t i = 0; i < obj->ksym_count && !err; i++)
		if (obj->ksyms[i].typeless && !obj->ksyms[i].resolved && !obj->ksyms[i].weak)
			err = ld_diag_set(diag, -ESRCH, "%s: extern (var ksym) '%s': not found in "
					  KALLSYMS_PATH, obj->name, obj->ksyms[i].name);
	return err;
}

static int resolve_one(struct ld_object *obj, struct ld_ksym *ksym,
		       const struct objfmt_btf *kernel, struct core_modules *modules,
		       const char *module_dir, struct ld_diag *diag)
{
	const char *what = ksym->is_func ? "func ksym" : "var ksym";
	const struct core_module *module;
	uint32_t id = locate(ksym, kernel, modules, module_dir, &module);
	const struct objfmt_btf *target = module ? module->btf : kernel;
	struct ld_module_btf *entry = NULL;
	int compatible, err;

	if (!id) {
		if (ksym->weak)
			return 0;
		return ld_diag_set(diag, -ESRCH, "%s: extern (%s) '%s': not found in kernel "
				   "%sBTF", obj->name, what, ksym->name, module_dir ? "or module " : "");
	}
	/* variables compare their types without modifiers, as libbpf skips them */
	const struct objfmt_btf *local = objfmt_object__btf(obj->model);
	uint32_t local_type = ksym->local_type_id, kernel_type = objfmt_btf__type(target, id)->type;
	if (!ksym->is_func) {
		local_type = objfmt_btf__resolve(local, local_type);
		kernel_type = objfmt_btf__resolve(target, kernel_type);
	}
	compatible = core_types_compatible(local, local_type, target, kernel_type, 32);
	if (compatible <= 0) {
		if (ksym->weak && ksym->is_func)
			return 0;
		return ld_diag_set(diag, -EINVAL, "%s: extern (%s) '%s': %s [%u] incompatible "
				   "with %s [%u]", obj->name, what, ksym->name,
				   ksym->is_func ? "func_proto" : "type", local_type,
				   module ? module->name : "kernel", kernel_type);
	}
	if (module && (err = module_entry(obj, module->name, &entry)))
		return ld_diag_set(diag, err, "%s: extern (%s) '%s': BTF of module '%s': %s",
				   obj->name, what, ksym->name, module->name, strerror(-err));
	ksym->resolved = true;
	ksym->kernel_id = id;
	ksym->fd_index = entry ? entry->fd_index : 0;
	ksym->btf_fd = entry ? entry->fd : 0;
	return 0;
}

int ld_ksyms_resolve(struct ld_object *obj, const struct objfmt_btf *kernel,
		     const char *module_dir, struct ld_diag *diag)
{
	struct core_modules modules = { 0 };
	int err = 0;

	if (obj->ksym_count && !kernel)
		return ld_diag_set(diag, -ENOENT, "%s: extern (ksym) '%s': no kernel BTF to "
				   "resolve it in", obj->name, obj->ksyms[0].name);
	for (size_t i = 0; i < obj->ksym_count && !err; i++)
		if (!obj->ksyms[i].typeless)
			err = resolve_one(obj, &obj->ksyms[i], kernel, &modules, module_dir, diag);
	core_modules_release(&modules);
	return err ? err : resolve_typeless(obj, diag);
}

void ld_ksyms_free(struct ld_object *obj)
{
	for (size_t i = 0; i < obj->ksym_count; i++)
		free(obj->ksyms[i].name);
	for (size_t i = 0; i < obj->module_btf_count; i++)
		close(obj->module_btfs[i].fd);
	free(obj->ksyms);
	free(obj->module_btfs);
	free(obj->fd_array);
}

void ld_ksym_patch(const struct ld_object *obj, const struct ld_reloc *rel,
		   struct objfmt_insn *insn)
{
	const struct ld_ksym *ksym = &obj->ksyms[rel->ksym];

	if (rel->kind == LD_RELOC_KFUNC) {
		insn->dst_reg = 0;
		insn->off = ksym->resolved ? ksym->fd_index : 0; /* 0: vmlinux */
		insn->src_reg = ksym->resolved ? OBJFMT_CALL_KFUNC : OBJFMT_CALL_HELPER;
		insn->imm = ksym->resolved ? (int32_t)ksym->kernel_id
					   : KFUNC_POISON_BASE + (int32_t)ksym->extern_index;
		return;
	}
	if (ksym->typeless) { /* the address, in both halves; a missing weak one is 0 */
		insn[0].imm = (int32_t)(uint32_t)ksym->address;
		insn[1].imm = (int32_t)(uint32_t)(ksym->address >> 32);
		return;
	}
	/* a typed variable: its VAR id and its module's BTF fd (0: vmlinux); a missing
	 * weak one is 0 */
	insn[0].src_reg = ksym->resolved ? OBJFMT_PSEUDO_BTF_ID : OBJFMT_PSEUDO_NONE;
	insn[0].imm = ksym->resolved ? (int32_t)ksym->kernel_id : 0;
	insn[1].imm = ksym->resolved ? ksym->btf_fd : 0;
}
