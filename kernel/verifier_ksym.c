/* verifier_ksym.c - ld_imm64 of a typed kernel symbol (BPF_PSEUDO_BTF_ID, libbpf's
 * `extern const struct rq runqueues __ksym`), as the kernel's check_pseudo_btf_id: the
 * VAR or FUNC named by its id in the kernel BTF, its address from kallsyms (the host's
 * /proc/kallsyms, as the loader uses for typeless __ksym), and the register it gives. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kbtf_int.h"
#include "verifier_int.h"

#define KALLSYMS_PATH "/proc/kallsyms"
#define PERCPU_SECTION ".data..percpu"

/* The address of vmlinux symbol `name` (module symbols do not count, as for the
 * kernel's kallsyms_lookup_name); false when it has none. */
static bool kallsyms_lookup(const char *name, uint64_t *address)
{
	FILE *file = fopen(KALLSYMS_PATH, "r");
	char line[512], symbol[256], kind;
	unsigned long long value;
	bool found = false;

	if (!file)
		return false;
	while (!found && fgets(line, sizeof(line), file)) {
		if (strchr(line, '[')) /* "... [module]" */
			continue;
		if (sscanf(line, "%llx %c %255s", &value, &kind, symbol) == 3 &&
		    !strcmp(symbol, name)) {
			*address = value;
			found = true;
		}
	}
	fclose(file);
	return found;
}

/* Whether VAR `id` is listed by the per-CPU data section of `btf`. */
static bool is_percpu(const struct objfmt_btf *btf, uint32_t id)
{
	int section = objfmt_btf__find(btf, OBJFMT_BTF_DATASEC, PERCPU_SECTION);
	const struct objfmt_btf_type *sec =
		section > 0 ? objfmt_btf__type(btf, (uint32_t)section) : NULL;

	for (uint32_t i = 0; sec && i < sec->vlen; i++)
		if (sec->members[i].type == id)
			return true;
	return false;
}

int verifier_ksym_resolve(struct verifier_env *env, uint32_t idx)
{
	struct objfmt_insn *insn = &env->insns[idx];
	const struct objfmt_btf *btf = emu_kbtf_get();
	uint64_t address;

	if (insn[1].imm) { /* a module's BTF fd: the emulated kernel has none */
		verbose(env, "invalid module BTF object FD specified.\n");
		return -EINVAL;
	}
	const struct objfmt_btf_type *t = btf && insn->imm > 0 ?
		objfmt_btf__type(btf, (uint32_t)insn->imm) : NULL;
	if (!t) {
		verbose(env, "ldimm64 insn specifies invalid btf_id %d.\n", insn->imm);
		return -ENOENT;
	}
	if (t->kind != OBJFMT_BTF_VAR && t->kind != OBJFMT_BTF_FUNC) {
		verbose(env, "pseudo btf_id %d in ldimm64 isn't KIND_VAR or KIND_FUNC\n",
			insn->imm);
		return -EINVAL;
	}
	if (!t->name || !kallsyms_lookup(t->name, &address)) {
		verbose(env, "ldimm64 failed to find the address for kernel symbol '%s'.\n",
			t->name ? t->name : "");
		return -ENOENT;
	}
	if (t->kind == OBJFMT_BTF_VAR && !is_percpu(btf, (uint32_t)insn->imm)) {
		uint32_t type = objfmt_btf__resolve(btf, t->type);
		const struct objfmt_btf_type *target = objfmt_btf__type(btf, type);
		bool composite = target && (target->kind == OBJFMT_BTF_STRUCT ||
					    target->kind == OBJFMT_BTF_UNION);
		if (!composite && objfmt_btf__size(btf, type) < 0) {
			verbose(env, "ldimm64 unable to resolve the size of type '%s': %d\n",
				target && target->name ? target->name : "", -EINVAL);
			return -EINVAL;
		}
	}
	env->aux[idx].ksym_id = (uint32_t)insn->imm;
	insn[0].imm = (int32_t)(uint32_t)address;
	insn[1].imm = (int32_t)(uint32_t)(address >> 32);
	return 0;
}

void verifier_ksym_mark(struct verifier_env *env, uint32_t idx, struct vreg *dst)
{
	const struct objfmt_btf *btf = emu_kbtf_get();
	uint32_t id = env->aux[idx].ksym_id;
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, id);

	vreg_mark_const(dst, 0);
	dst->type = VREG_MEM; /* a function: read-only memory of size 0 */
	dst->flags = VREG_RDONLY;
	if (t->kind != OBJFMT_BTF_VAR)
		return;
	uint32_t type = objfmt_btf__resolve(btf, t->type);
	const struct objfmt_btf_type *target = objfmt_btf__type(btf, type);
	bool composite = target && (target->kind == OBJFMT_BTF_STRUCT ||
				    target->kind == OBJFMT_BTF_UNION);
	if (is_percpu(btf, id) || composite) {
		dst->type = VREG_BTF_ID;
		dst->flags = is_percpu(btf, id) ? VREG_PERCPU : 0;
		dst->range = type;
	} else {
		dst->range = (uint32_t)objfmt_btf__size(btf, type);
	}
}
