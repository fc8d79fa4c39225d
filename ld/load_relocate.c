/* load_relocate.c - relocations: at open, every relocation of a code section becomes
 * an ld_reloc (map fd, map value, subprogram call or address, __ksym) or an error naming the
 * object, section and symbol; at load, a program is linked: its instructions copied,
 * the .text subprograms it reaches appended (each once), calls re-targeted, map fds
 * patched, and func_info/line_info records carried along, as libbpf does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ld_int.h"

#define CODE_CALL 0x85
#define CODE_LDDW 0x18

static const char *symbol_label(const struct objfmt_object *model,
				const struct objfmt_symbol *sym)
{
	if (sym->name && sym->name[0])
		return sym->name;
	if (sym->section < objfmt_object__section_count(model))
		return objfmt_object__section(model, sym->section)->name;
	return "?";
}

static bool is_map_section(const struct ld_object *obj, size_t section)
{
	const char *name = objfmt_object__section(obj->model, section)->name;
	return strcmp(name, ".maps") == 0 || strcmp(name, "maps") == 0;
}

/* Classify one relocation of an ld_imm64 instruction. */
static int reloc_ld_imm64(struct ld_object *obj, const struct ld_code *code,
			  const struct objfmt_symbol *sym, const struct objfmt_insn *insn,
			  struct ld_reloc *out, struct ld_diag *diag)
{
	const char *label = symbol_label(obj->model, sym);
	ptrdiff_t map;

	if (obj->text_code >= 0 && sym->section == obj->codes[obj->text_code].section) {
		int64_t byte = (int64_t)sym->value + insn->imm;
		if (byte < 0 || byte % LD_INSN_SIZE)
			goto misaligned;
		out->kind = LD_RELOC_SUBPROG_ADDR;
		out->target = (size_t)byte / LD_INSN_SIZE;
		return 0;
	}
	if (is_map_section(obj, sym->section)) {
		map = ld_maps_find_by_definition(obj, sym->section, sym->value);
		if (map < 0)
			return ld_diag_set(diag, -EINVAL,
					   "%s: section '%s': insn %zu: symbol '%s' is not a map "
					   "definition", obj->name, code->name, out->insn, label);
		out->kind = LD_RELOC_MAP_FD;
		out->map = (size_t)map;
		return 0;
	}
	map = ld_maps_find_data(obj, sym->section);
	if (map < 0)
		return ld_diag_set(diag, -EINVAL,
				   "%s: section '%s': insn %zu: relocation against '%s' in section "
				   "'%s', which holds no map, data or subprogram", obj->name,
				   code->name, out->insn, label,
				   objfmt_object__section(obj->model, sym->section)->name);
	out->kind = LD_RELOC_MAP_VALUE;
	out->map = (size_t)map;
	out->offset = (int64_t)sym->value + insn->imm;
	return 0;
misaligned:
	return ld_diag_set(diag, -EINVAL,
			   "%s: section '%s': insn %zu: address of '%s' is not an instruction "
			   "boundary", obj->name, code->name, out->insn, label);
}

/* A call of a kfunc or an ld_imm64 of a __ksym (typed variable, or a kfunc's address
 * as bpf_ksym_exists takes it), libbpf's RELO_EXTERN_CALL / RELO_EXTERN_LD64. */
static int reloc_ksym(struct ld_object *obj, struct ld_code *code,
		      const struct objfmt_insn *insn, size_t ksym, struct ld_reloc *out,
		      struct ld_diag *diag)
{
	out->ksym = ksym;
	if (insn->code == CODE_CALL && insn->src_reg == OBJFMT_CALL_LOCAL &&
	    obj->ksyms[ksym].is_func)
		out->kind = LD_RELOC_KFUNC;
	else if (insn->code == CODE_LDDW && out->insn + 1 < code->insn_count)
		out->kind = LD_RELOC_KSYM_VAR;
	else
		return ld_diag_set(diag, -EINVAL,
				   "%s: section '%s': insn %zu: extern (ksym) '%s' referenced from "
				   "an instruction that is neither a call nor an ld_imm64 (code 0x%02x)",
				   obj->name, code->name, out->insn, obj->ksyms[ksym].name,
				   insn->code);
	return ld_append((void **)&code->relocs, &code->reloc_count, sizeof(*out), out);
}

static int reloc_one(struct ld_object *obj, struct ld_code *code,
		     const struct objfmt_reloc *rel, struct ld_diag *diag)
{
	const struct objfmt_symbol *sym = objfmt_object__symbol(obj->model, rel->symbol);
	struct ld_reloc out = { .insn = (size_t)(rel->offset / LD_INSN_SIZE) };
	const struct objfmt_insn *insn;

	if (rel->offset % LD_INSN_SIZE || out.insn >= code->insn_count || !sym)
		return ld_diag_set(diag, -EINVAL,
				   "%s: section '%s': relocation at offset %llu is not on an "
				   "instruction", obj->name, code->name,
				   (unsigned long long)rel->offset);
	insn = &code->insns[out.insn];
	const struct ld_kconfig_extern *ext = sym->section == OBJFMT_SECTION_UNDEF ?
					      ld_kconfig_find(obj, sym->name) : NULL;
	if (ext && insn->code == CODE_LDDW && obj->kconfig_map >= 0) {
		out.kind = LD_RELOC_MAP_VALUE; /* an extern lives in the ".kconfig" map */
		out.map = (size_t)obj->kconfig_map;
		out.offset = (int64_t)ext->offset + insn->imm;
		return ld_append((void **)&code->relocs, &code->reloc_count, sizeof(out), &out);
	}
	ptrdiff_t ksym = sym->section == OBJFMT_SECTION_UNDEF ? ld_ksym_find(obj, sym->name) : -1;
	if (ksym >= 0)
		return reloc_ksym(obj, code, insn, (size_t)ksym, &out, diag);
	if (sym->section == OBJFMT_SECTION_UNDEF)
		return ld_diag_set(diag, -ENOENT,
				   "%s: section '%s': insn %zu: relocation against unknown symbol "
				   "'%s'", obj->name, code->name, out.insn, symbol_label(obj->model, sym));
	if (sym->section >= objfmt_object__section_count(obj->model))
		return ld_diag_set(diag, -EINVAL,
				   "%s: section '%s': insn %zu: relocation against '%s', which is "
				   "defined in no section", obj->name, code->name, out.insn,
				   symbol_label(obj->model, sym));
	if (insn->code == CODE_CALL && insn->src_reg == OBJFMT_CALL_LOCAL) {
		if (obj->text_code < 0 || sym->section != obj->codes[obj->text_code].section)
			return ld_diag_set(diag, -EINVAL,
					   "%s: section '%s': insn %zu: call to '%s' outside .text",
					   obj->name, code->name, out.insn,
					   symbol_label(obj->model, sym));
		out.kind = LD_RELOC_CALL;
		out.target = (size_t)((int64_t)sym->value / LD_INSN_SIZE + insn->imm + 1);
	} else if (insn->code == CODE_LDDW && out.insn + 1 < code->insn_count) {
		int err = reloc_ld_imm64(obj, code, sym, insn, &out, diag);
		if (err)
			return err;
	} else {
		const char *what = is_map_section(obj, sym->section) ? "map" : "symbol";
		return ld_diag_set(diag, -EINVAL,
				   "%s: section '%s': insn %zu: %s '%s' referenced from a "
				   "non-ld_imm64 instruction (code 0x%02x)", obj->name, code->name,
				   out.insn, what, symbol_label(obj->model, sym), insn->code);
	}
	return ld_append((void **)&code->relocs, &code->reloc_count, sizeof(out), &out);
}

static int compare_relocs(const void *a, const void *b)
{
	const struct ld_reloc *x = a, *y = b;
	return (x->insn > y->insn) - (x->insn < y->insn);
}

int ld_relocs_collect(struct ld_object *obj, struct ld_diag *diag)
{
	size_t count = objfmt_object__reloc_count(obj->model);

	for (size_t i = 0; i < count; i++) {
		const struct objfmt_reloc *rel = objfmt_object__reloc(obj->model, i);
		for (size_t c = 0; c < obj->code_count; c++) {
			if (obj->codes[c].section != rel->section)
				continue;
			int err = reloc_one(obj, &obj->codes[c], rel, diag);
			if (err)
				return err;
		}
	}
	for (size_t c = 0; c < obj->code_count; c++)
		if (obj->codes[c].reloc_count > 1)
			qsort(obj->codes[c].relocs, obj->codes[c].reloc_count,
			      sizeof(struct ld_reloc), compare_relocs);
	return 0;
}

/* ---- linking one program ------------------------------------------------------------ */

/* A run of instructions copied from a code section into the program. */
struct segment {
	size_t code;      /* index into obj->codes */
	size_t src_start; /* first insn in that section */
	size_t length;
	size_t dst_start; /* first insn in the program */
};

struct linker {
	struct ld_object *obj;
	struct ld_program *prog;
	struct segment *segments;
	size_t segment_count;
};

static const struct ld_reloc *find_reloc(const struct ld_code *code, size_t insn)
{
	struct ld_reloc key = { .insn = insn };
	return code->reloc_count ? bsearch(&key, code->relocs, code->reloc_count,
					   sizeof(key), compare_relocs) : NULL;
}

/* Append records of `code` in [start, start+length) shifted to dst_start. */
static int copy_ext(struct ld_ext_info *dst, const struct ld_ext_info *src, size_t start,
		    size_t length, size_t dst_start)
{
	for (size_t i = 0; i < src->func_count; i++) {
		struct bpf_func_info rec = src->funcs[i];
		if (rec.insn_off < start || rec.insn_off >= start + length)
			continue;
		rec.insn_off = (uint32_t)(rec.insn_off - start + dst_start);
		if (ld_append((void **)&dst->funcs, &dst->func_count, sizeof(rec), &rec))
			return -ENOMEM;
	}
	for (size_t i = 0; i < src->line_count; i++) {
		struct bpf_line_info rec = src->lines[i];
		if (rec.insn_off < start || rec.insn_off >= start + length)
			continue;
		rec.insn_off = (uint32_t)(rec.insn_off - start + dst_start);
		if (ld_append((void **)&dst->lines, &dst->line_count, sizeof(rec), &rec))
			return -ENOMEM;
	}
	return 0;
}

static int append_segment(struct linker *lk, size_t code, size_t start, size_t length)
{
	struct ld_program *prog = lk->prog;
	struct segment seg = { code, start, length, prog->insn_count };
	struct objfmt_insn *grown = realloc(prog->insns,
					    (prog->insn_count + length) * sizeof(*grown));

	if (!grown)
		return -ENOMEM;
	memcpy(grown + prog->insn_count, lk->obj->codes[code].insns + start,
	       length * sizeof(*grown));
	prog->insns = grown;
	prog->insn_count += length;
	if (copy_ext(&prog->ext, &lk->obj->codes[code].ext, start, length, seg.dst_start))
		return -ENOMEM;
	return ld_append((void **)&lk->segments, &lk->segment_count, sizeof(seg), &seg);
}

/* Extent of the .text function starting at insn `target`, from its FUNC symbol. */
static int text_function(const struct ld_object *obj, size_t target, size_t *length)
{
	const struct ld_code *text = &obj->codes[obj->text_code];
	size_t count = objfmt_object__symbol_count(obj->model);
	size_t end = text->insn_count;
	bool found = false;

	for (size_t i = 0; i < count; i++) {
		const struct objfmt_symbol *sym = objfmt_object__symbol(obj->model, i);
		size_t start = (size_t)(sym->value / LD_INSN_SIZE);
		if (sym->section != text->section || sym->type != OBJFMT_SYM_FUNC)
			continue;
		if (start == target) {
			found = true;
			if (sym->size)
				end = start + (size_t)(sym->size / LD_INSN_SIZE);
		} else if (start > target && start < end && !found) {
			end = start;
		}
	}
	if (target >= text->insn_count || end > text->insn_count)
		return -EINVAL;
	*length = end - target;
	return 0;
}

/* Program index of .text insn `target`, appending its function on first use. */
static int subprog_position(struct linker *lk, size_t target, size_t *position,
			    struct ld_diag *diag)
{
	size_t text = (size_t)lk->obj->text_code, length;

	for (size_t i = 1; i < lk->segment_count; i++)
		if (lk->segments[i].code == text && lk->segments[i].src_start == target) {
			*position = lk->segments[i].dst_start;
			return 0;
		}
	if (text_function(lk->obj, target, &length))
		return ld_diag_set(diag, -EINVAL,
				   "%s: section '.text': program '%s' calls insn %zu, which "
				   "starts no function", lk->obj->name, lk->prog->name, target);
	*position = lk->prog->insn_count;
	return append_segment(lk, text, target, length);
}

static int map_fd_of(struct linker *lk, const struct ld_reloc *rel, struct ld_diag *diag)
{
	const struct ld_map *map = lk->obj->maps[rel->map];

	if (map->fd < 0)
		return ld_diag_set(diag, -EBADF, "%s: program '%s': map '%s' was not created",
				   lk->obj->name, lk->prog->name, map->name);
	return map->fd;
}

static int apply_reloc(struct linker *lk, size_t at, const struct ld_reloc *rel,
		       struct ld_diag *diag)
{
	struct objfmt_insn *insn = &lk->prog->insns[at];
	size_t position;
	int fd, err;

	switch (rel->kind) {
	case LD_RELOC_MAP_FD:
	case LD_RELOC_MAP_VALUE:
		if ((fd = map_fd_of(lk, rel, diag)) < 0)
			return fd;
		insn[0].src_reg = rel->kind == LD_RELOC_MAP_FD ? OBJFMT_PSEUDO_MAP_FD
							      : OBJFMT_PSEUDO_MAP_VALUE;
		insn[0].imm = fd;
		insn[1].imm = rel->kind == LD_RELOC_MAP_VALUE ? (int32_t)rel->offset : 0;
		return 0;
	case LD_RELOC_CALL:
	case LD_RELOC_SUBPROG_ADDR:
		if ((err = subprog_position(lk, rel->target, &position, diag)))
			return err;
		insn = &lk->prog->insns[at]; /* the array may have moved */
		if (rel->kind == LD_RELOC_SUBPROG_ADDR)
			insn->src_reg = OBJFMT_PSEUDO_FUNC;
		insn->imm = (int32_t)((int64_t)position - (int64_t)at - 1);
		return 0;
	case LD_RELOC_KFUNC:
	case LD_RELOC_KSYM_VAR:
		ld_ksym_patch(lk->obj, rel, insn);
		return 0;
	}
	return -EINVAL;
}

/* A call without relocation stays inside its own section: relative target. */
static int apply_local_call(struct linker *lk, const struct segment *seg, size_t src,
			    size_t at, struct ld_diag *diag)
{
	int64_t target = (int64_t)src + lk->prog->insns[at].imm + 1;
	size_t position;
	int err;

	if (target >= (int64_t)seg->src_start && target < (int64_t)(seg->src_start + seg->length))
		return 0;
	if (seg->code != (size_t)lk->obj->text_code || target < 0)
		return ld_diag_set(diag, -EINVAL,
				   "%s: section '%s': insn %zu: call target outside the program",
				   lk->obj->name, lk->obj->codes[seg->code].name, src);
	if ((err = subprog_position(lk, (size_t)target, &position, diag)))
		return err;
	lk->prog->insns[at].imm = (int32_t)((int64_t)position - (int64_t)at - 1);
	return 0;
}

static int link_segment(struct linker *lk, size_t index, struct ld_diag *diag)
{
	struct segment seg = lk->segments[index];
	const struct ld_code *code = &lk->obj->codes[seg.code];

	for (size_t i = 0; i < seg.length; i++) {
		size_t at = seg.dst_start + i, src = seg.src_start + i;
		const struct ld_reloc *rel = find_reloc(code, src);
		const struct objfmt_insn *insn = &lk->prog->insns[at];
		int err = 0;
		if (rel && rel->kind != LD_RELOC_CALL && rel->kind != LD_RELOC_KFUNC &&
		    i + 1 >= seg.length)
			return ld_diag_set(diag, -EINVAL,
					   "%s: section '%s': insn %zu: ld_imm64 crosses the end of "
					   "its function", lk->obj->name, code->name, src);
		if (rel)
			err = apply_reloc(lk, at, rel, diag);
		else if (insn->code == CODE_CALL && insn->src_reg == OBJFMT_CALL_LOCAL)
			err = apply_local_call(lk, &seg, src, at, diag);
		if (err)
			return err;
		if (lk->prog->insns[at].code == CODE_LDDW)
			i++;
	}
	return 0;
}

int ld_program_link(struct ld_program *prog, struct ld_diag *diag)
{
	struct linker lk = { prog->obj, prog, NULL, 0 };
	int err;

	free(prog->insns);
	free(prog->ext.funcs);
	free(prog->ext.lines);
	memset(&prog->ext, 0, sizeof(prog->ext));
	prog->insns = NULL;
	prog->insn_count = 0;
	err = append_segment(&lk, prog->code, prog->start, prog->length);
	for (size_t i = 0; !err && i < lk.segment_count; i++)
		err = link_segment(&lk, i, diag);
	free(lk.segments);
	return err;
}
