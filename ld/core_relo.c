/* core_relo.c - CO-RE relocations of a whole object against a target BTF: candidate
 * types by flavor-less name and compatible kind, every candidate's answer required
 * to agree (libbpf's bpf_core_resolve_relo, candidate lists narrowed per local type),
 * then the instruction rewritten or poisoned. Entry point for the loader.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"
#include "ld_int.h"

static const char *const kind_names[] = {
	"byte_off", "byte_sz", "field_exists", "signed", "lshift_u64", "rshift_u64",
	"local_type_id", "target_type_id", "type_exists", "type_size", "enumval_exists",
	"enumval_value", "type_matches",
};

/* One candidate: a type of vmlinux, or of a module (the module's BTF holds vmlinux's
 * types first). */
struct core_candidate {
	const struct objfmt_btf *btf;
	uint32_t id;
};

/* Candidate target types of one local type, narrowed as relocations succeed. */
struct core_candidates {
	uint32_t local_id;
	struct core_candidate *items;
	size_t count;
};

struct core_context {
	struct ld_object *obj;
	const struct objfmt_btf *local;
	const struct objfmt_btf *target;
	const char *module_dir;        /* searched when target has no candidate, or NULL */
	struct core_modules modules;   /* read on first need */
	struct core_candidates *cache; /* one per local type seen */
	size_t cache_count;
	struct ld_diag *diag;
};

static const char *kind_name(uint32_t kind)
{
	return kind < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[kind] : "unknown";
}

/* Types of `btf` from first_id on with the local type's kind and flavor-less name
 * (bpf_core_add_cands), appended to out. */
static int add_candidates(const struct objfmt_btf_type *lt, const struct objfmt_btf *btf,
			  uint32_t first_id, struct core_candidates *out)
{
	size_t length = core_essential_name_length(lt->name);
	uint32_t count = objfmt_btf__type_count(btf);

	/* cheapest tests first: vmlinux has over 100k types to look at */
	for (uint32_t id = first_id; id <= count; id++) {
		const struct objfmt_btf_type *t = objfmt_btf__type(btf, id);
		if (!t->name || t->name[0] != lt->name[0] || strncmp(lt->name, t->name, length) ||
		    !core_kinds_compatible(t, lt) ||
		    (t->name[length] && core_essential_name_length(t->name) != length))
			continue;
		struct core_candidate c = { btf, id };
		if (ld_append((void **)&out->items, &out->count, sizeof(c), &c))
			return -ENOMEM;
	}
	return 0;
}

/* vmlinux's candidates; only when it has none, every module's own types
 * (bpf_core_find_cands). */
static int find_candidates(struct core_context *cx, uint32_t local_id, struct core_candidates *out)
{
	const struct objfmt_btf_type *lt = objfmt_btf__type(cx->local, local_id);
	int err;

	out->local_id = local_id;
	out->items = NULL;
	out->count = 0;
	if ((err = add_candidates(lt, cx->target, 1, out)) || out->count || !cx->module_dir)
		return err;
	if (!cx->modules.loaded &&
	    (err = core_modules_load(&cx->modules, cx->module_dir, cx->target)))
		return err;
	for (size_t i = 0; i < cx->modules.count && !err; i++)
		err = add_candidates(lt, cx->modules.items[i].btf, cx->modules.items[i].first_id,
				     out);
	return err;
}

static struct core_candidates *candidates_of(struct core_context *cx, uint32_t local_id)
{
	struct core_candidates fresh;

	for (size_t i = 0; i < cx->cache_count; i++)
		if (cx->cache[i].local_id == local_id)
			return &cx->cache[i];
	if (find_candidates(cx, local_id, &fresh) ||
	    ld_append((void **)&cx->cache, &cx->cache_count, sizeof(fresh), &fresh)) {
		free(fresh.items);
		return NULL;
	}
	return &cx->cache[cx->cache_count - 1];
}

static int relo_error(struct core_context *cx, const struct ld_code *code, size_t index,
		      const struct ld_core_reloc *rel, int err, const char *what)
{
	return ld_diag_set(cx->diag, err, "%s: section '%s': CO-RE relocation #%zu (insn %zu, %s "
			   "of [%u] '%s'): %s", cx->obj->name, code->name, index, rel->insn,
			   kind_name(rel->kind), rel->type_id, rel->access, what);
}

/* Every matching candidate must give the same answer; the list keeps the matches. */
static int resolve_candidates(struct core_context *cx, const struct core_spec *local,
			      struct core_candidates *cands, struct core_result *res,
			      const char **why)
{
	struct core_spec found, first;
	struct core_result candidate;
	size_t kept = 0;

	for (size_t i = 0; i < cands->count; i++) {
		int err = core_spec_match(local, cands->items[i].btf, cands->items[i].id, &found);
		if (err < 0)
			return *why = "error matching a candidate", err;
		if (!err)
			continue;
		if ((err = core_calc(local, &found, &candidate)))
			return *why = "cannot compute the value", err;
		if (!kept) {
			*res = candidate;
			first = found;
		} else if (found.bit_offset != first.bit_offset)
			return *why = "field offset ambiguity", -EINVAL;
		else if (candidate.poison != res->poison || candidate.new_value != res->new_value)
			return *why = "relocation decision ambiguity", -EINVAL;
		cands->items[kept++] = cands->items[i];
	}
	if (kept) {
		cands->count = kept;
		return 0;
	}
	int err = core_calc(local, NULL, res); /* no match: defaults or poison */
	return err ? (*why = "cannot compute the value", err) : 0;
}

static int apply_one(struct core_context *cx, struct ld_code *code, size_t index)
{
	const struct ld_core_reloc *rel = &code->cores[index];
	const struct objfmt_btf_type *lt = objfmt_btf__type(cx->local, rel->type_id);
	struct core_spec local;
	struct core_result res;
	const char *why = "";
	int err;

	if (rel->insn >= code->insn_count || !lt)
		return relo_error(cx, code, index, rel, -EINVAL, "out of range");
	if ((err = core_spec_parse(cx->local, rel->type_id, rel->access, rel->kind, &local)))
		return relo_error(cx, code, index, rel, err, "bad access string");
	if (rel->kind == OBJFMT_CORE_TYPE_ID_LOCAL) {
		memset(&res, 0, sizeof(res));
		res.orig_value = res.new_value = rel->type_id;
	} else {
		if (!lt->name || !*lt->name)
			return relo_error(cx, code, index, rel, -EOPNOTSUPP, "anonymous types "
					  "have no candidates");
		struct core_candidates *cands = candidates_of(cx, rel->type_id);
		if (!cands)
			return -ENOMEM;
		if ((err = resolve_candidates(cx, &local, cands, &res, &why)))
			return relo_error(cx, code, index, rel, err, why);
	}
	if ((err = core_patch(&code->patched[rel->insn], code->insn_count - rel->insn, &res)))
		return relo_error(cx, code, index, rel, err, "instruction cannot take the value");
	return 0;
}

/* libbpf leaves the relocations of programs that will not be loaded alone: false when
 * every program holding instruction `insn` of code section `c` has autoload off
 * (.text subprograms, held by none, are always relocated). */
static bool insn_is_loaded(const struct ld_object *obj, size_t c, size_t insn)
{
	bool held = false;

	for (size_t i = 0; i < obj->program_count; i++) {
		const struct ld_program *prog = obj->programs[i];
		if (prog->code != c || insn < prog->start || insn >= prog->start + prog->length)
			continue;
		if (prog->autoload)
			return true;
		held = true;
	}
	return !held;
}

static int apply_code(struct core_context *cx, struct ld_code *code)
{
	if (!code->patched) {
		code->patched = malloc(code->insn_count * sizeof(*code->patched));
		if (!code->patched)
			return -ENOMEM;
		memcpy(code->patched, code->insns, code->insn_count * sizeof(*code->patched));
	}
	for (size_t i = 0; i < code->core_count; i++) {
		if (!insn_is_loaded(cx->obj, (size_t)(code - cx->obj->codes), code->cores[i].insn))
			continue;
		int err = apply_one(cx, code, i);
		if (err)
			return err;
	}
	code->insns = code->patched;
	return 0;
}

int ld_core_relocate_modules(struct ld_object *obj, const struct objfmt_btf *target,
			     const char *module_dir, struct ld_diag *diag)
{
	struct core_context cx = { .obj = obj, .local = objfmt_object__btf(obj->model),
				   .target = target, .module_dir = module_dir, .diag = diag };
	int err = 0;

	for (size_t c = 0; c < obj->code_count && !err; c++) {
		if (!obj->codes[c].core_count)
			continue;
		if (!cx.local)
			err = ld_diag_set(diag, -EINVAL, "%s: section '%s': CO-RE relocations "
					  "without BTF", obj->name, obj->codes[c].name);
		else
			err = apply_code(&cx, &obj->codes[c]);
	}
	for (size_t i = 0; i < cx.cache_count; i++)
		free(cx.cache[i].items);
	free(cx.cache);
	core_modules_release(&cx.modules);
	return err;
}

int ld_core_relocate(struct ld_object *obj, const struct objfmt_btf *target,
		     struct ld_diag *diag)
{
	bool kernel = obj->backend == &ld_backend_kernel;

	return ld_core_relocate_modules(obj, target, kernel ? "/sys/kernel/btf" : NULL, diag);
}
