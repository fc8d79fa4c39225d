/* emit.c - the object as clang lays it out: reachable functions generated and placed
 * in .text or their SEC() section, globals in .data/.bss/.rodata/.maps/license or
 * their section, symbols (section symbols for relocations against statics), R_BPF_64_64
 * for ld_imm64 of globals, R_BPF_64_32 for calls, R_BPF_64_ABS64 for pointers in data,
 * then BTF (btfgen.c). */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "codegen_int.h"

enum { MAX_SECTIONS = 256 };

struct emit_state {
	struct cc_unit *u;
	int section_symbol[MAX_SECTIONS];
	unsigned placed_count;  /* variables placed so far */
};

static int section_index(struct emit_state *st, const char *name, bool code, bool nobits,
			 uint64_t flags)
{
	struct objfmt_object *obj = st->u->object;
	int index = objfmt_object__find_section(obj, name);

	if (index >= 0)
		return index;
	index = objfmt_object__add_section(obj, name, nobits ? OBJFMT_SEC_NOBITS
							     : OBJFMT_SEC_PROGBITS,
					   flags | (code ? OBJFMT_SHF_EXECINSTR : 0), code ? 8 : 1);
	if (index >= MAX_SECTIONS)
		return -E2BIG;
	if (index >= 0)
		st->section_symbol[index] = -1;
	if (index >= 0 && !strcmp(name, ".rodata.str1.1")) { /* string literals */
		struct objfmt_section *sec = objfmt_object__section(obj, (size_t)index);

		sec->flags |= OBJFMT_SHF_MERGE | OBJFMT_SHF_STRINGS;
		sec->entsize = 1;
	}
	return index;
}

static int section_symbol(struct emit_state *st, size_t section)
{
	struct objfmt_symbol sym = { .name = "", .bind = OBJFMT_BIND_LOCAL,
				     .type = OBJFMT_SYM_SECTION, .section = section };

	if (st->section_symbol[section] < 0)
		st->section_symbol[section] = objfmt_object__add_symbol(st->u->object, &sym);
	return st->section_symbol[section];
}

static bool type_is_const(struct cc_type *t)
{
	while (t->kind == TY_ARRAY && !t->is_const)
		t = cc_type_base(t);
	return t->is_const;
}

static bool init_is_zero(struct cc_unit *u, struct cc_var *v)
{
	if (!v->init)
		return true;
	for (struct cc_node *l = v->init->args; l; l = l->next) {
		int64_t value;

		if (!cc_const_eval(u, l, &value) || value)
			return false;
	}
	return true;
}

static const char *data_section_name(struct cc_unit *u, struct cc_var *v)
{
	if (v->attrs.section)
		return v->attrs.section;
	if (type_is_const(v->type))
		return ".rodata";
	return init_is_zero(u, v) ? ".bss" : ".data";
}

/* Bytes of the initializer; pointers to globals become R_BPF_64_ABS64 relocations. */
static int write_initializer(struct emit_state *st, struct cc_var *v, uint8_t *bytes,
			     int64_t size)
{
	struct cc_unit *u = st->u;

	for (struct cc_node *l = v->init ? v->init->args : NULL; l; l = l->next) {
		int64_t lsize = cc_type_size(l->type), value;
		struct cc_var *target;
		uint64_t off = l->designator_offset;

		if (cc_const_eval(u, l, &value)) {
			if (l->init_bitfield) {
				struct cc_member *m = l->init_bitfield;
				uint64_t word = 0, mask = m->bit_width >= 64 ? ~0ull
							  : ((1ull << m->bit_width) - 1);

				memcpy(&word, bytes + off, (size_t)lsize);
				word &= ~(mask << m->bit_offset);
				word |= ((uint64_t)value & mask) << m->bit_offset;
				memcpy(bytes + off, &word, (size_t)lsize);
			} else if (off + (uint64_t)lsize <= (uint64_t)size) {
				memcpy(bytes + off, &value, (size_t)lsize);
			}
			continue;
		}
		if (lsize == 8 && cc_const_address(u, l, &target, &value)) {
			/* resolved once symbols exist: remember it on the leaf */
			memcpy(bytes + off, &value, 8);
			target->referenced = true;
			continue;
		}
		cc_error(u, l->loc, "initializer element is not a compile-time constant");
		return -EINVAL;
	}
	return 0;
}

static int data_relocations(struct emit_state *st, struct cc_var *v)
{
	struct cc_unit *u = st->u;

	for (struct cc_node *l = v->init ? v->init->args : NULL; l; l = l->next) {
		struct cc_var *target;
		int64_t value;

		if (cc_const_eval(u, l, &value) || !cc_const_address(u, l, &target, &value))
			continue;
		struct objfmt_reloc rel = { .section = v->section,
					    .offset = v->offset + l->designator_offset,
					    .type = OBJFMT_R_BPF_64_ABS64,
					    .symbol = (size_t)target->symbol };
		if (target->symbol < 0)
			return cc_error(u, l->loc, "address of '%s' has no symbol", target->name),
			       -EINVAL;
		if (objfmt_object__add_reloc(u->object, &rel) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* The type's size, or more when a flexible array member is initialized. */
static int64_t initialized_size(struct cc_var *v)
{
	int64_t size = cc_type_size(v->type);

	for (struct cc_node *l = v->init ? v->init->args : NULL; size >= 0 && l; l = l->next) {
		int64_t end = (int64_t)l->designator_offset + cc_type_size(l->type);

		if (end > size)
			size = end;
	}
	return size;
}

static int place_variable(struct emit_state *st, struct cc_var *v)
{
	struct cc_unit *u = st->u;
	const char *name = data_section_name(u, v);
	bool nobits = !strcmp(name, ".bss") || !strncmp(name, ".bss.", 5);
	bool readonly = !strncmp(name, ".rodata", 7);
	int64_t size = initialized_size(v);
	int align = v->attrs.aligned > cc_type_align(v->type) ? v->attrs.aligned
							      : cc_type_align(v->type);
	int sec = section_index(st, name, false, nobits, OBJFMT_SHF_ALLOC |
				(readonly ? 0 : OBJFMT_SHF_WRITE));
	uint8_t stack_bytes[256], *bytes = stack_bytes;
	int64_t at;

	if (sec < 0)
		return sec;
	if (size < 0) {
		cc_error(u, v->loc, "variable '%s' has incomplete type", v->name);
		return -EINVAL;
	}
	if (size > (1 << 26)) { /* far above what a BPF map value may hold */
		cc_error(u, v->loc, "variable '%s' is too large (%lld bytes)", v->name,
			 (long long)size);
		return -EINVAL;
	}
	objfmt_object__align(u->object, (size_t)sec, (uint64_t)(align < 1 ? 1 : align));
	if (!nobits) {
		if (size > (int64_t)sizeof(stack_bytes))
			bytes = cc_alloc(u->arena, (size_t)size);
		memset(bytes, 0, (size_t)(size < 256 ? 256 : size));
		if (write_initializer(st, v, bytes, size))
			return -EINVAL;
	}
	at = objfmt_object__append(u->object, (size_t)sec, nobits ? NULL : bytes, (uint64_t)size);
	if (at < 0)
		return (int)at;
	v->section = (size_t)sec;
	v->offset = (uint64_t)at;
	v->object_size = (uint64_t)size;
	return 0;
}

static bool wanted_function(struct cc_var *v)
{
	return v->is_function && v->function && !v->function->emitted &&
	       (!v->is_static || v->referenced || v->attrs.section || v->attrs.used);
}

/* Generate every reachable function: non-static ones, SEC() programs, and the static
 * functions they call (found as calls are generated). */
static int generate_functions(struct cc_unit *u)
{
	struct cc_function **tail = &u->generated;
	bool again = true;

	while (again) {
		again = false;
		for (struct cc_var *v = u->globals; v; v = v->next) {
			if (!wanted_function(v))
				continue;
			v->function->emitted = true;
			v->function->is_program = v->attrs.section && !v->is_static;
			*tail = v->function;
			tail = &v->function->next_generated;
			if (cc_codegen_function(u, v->function))
				return -EINVAL;
			again = true;
		}
	}
	return 0;
}

static int place_function(struct emit_state *st, struct cc_var *v)
{
	struct cc_function *fn = v->function;
	const char *name = v->attrs.section ? v->attrs.section : ".text";
	int sec = section_index(st, name, true, false, OBJFMT_SHF_ALLOC);
	int64_t at;

	if (sec < 0)
		return sec;
	at = objfmt_object__append(st->u->object, (size_t)sec, NULL,
				   fn->code->count * sizeof(struct objfmt_insn));
	if (at < 0)
		return (int)at;
	fn->section = (size_t)sec;
	fn->offset = (uint64_t)at;
	return 0;
}

/* Patch immediates, copy the code into its section and add its relocations. */
static int finish_function(struct emit_state *st, struct cc_var *v)
{
	struct cc_unit *u = st->u;
	struct cc_function *fn = v->function;
	struct gen *g = fn->code;
	struct objfmt_section *sec = objfmt_object__section(u->object, fn->section);

	for (size_t i = 0; i < g->reloc_count; i++) {
		struct gen_reloc *r = &g->relocs[i];
		struct objfmt_insn *insn = &g->insns[r->insn];
		struct objfmt_reloc rel = { .section = fn->section,
					    .offset = fn->offset + r->insn * sizeof(*insn) };
		struct cc_var *t = r->var;

		if (r->kind == GEN_RELOC_CALL) {
			rel.type = OBJFMT_R_BPF_64_32;
			if (!t->function) { /* extern: another object or a kfunc */
				rel.symbol = (size_t)t->symbol;
				insn->imm = -1;
			} else if (t->is_static && t->function->section == fn->section) {
				/* same section: resolved here, as clang does */
				insn->imm = (int32_t)(((int64_t)t->function->offset -
						       (int64_t)rel.offset) / 8 - 1);
				continue;
			} else if (t->is_static) {
				rel.symbol = (size_t)section_symbol(st, t->function->section);
				insn->imm = (int32_t)(t->function->offset / 8) - 1;
			} else {
				rel.symbol = (size_t)t->symbol;
				insn->imm = -1;
			}
		} else if (t->is_function) { /* a callback's address */
			rel.type = OBJFMT_R_BPF_64_64;
			if (!t->function || !t->is_static) {
				rel.symbol = (size_t)t->symbol;
			} else {
				rel.symbol = (size_t)section_symbol(st, t->function->section);
				insn->imm = (int32_t)t->function->offset;
			}
		} else {
			rel.type = OBJFMT_R_BPF_64_64;
			if (!t->placed) { /* extern */
				rel.symbol = (size_t)t->symbol;
			} else if (t->symbol < 0 || t->is_static) {
				rel.symbol = (size_t)section_symbol(st, t->section);
				insn->imm = (int32_t)(t->offset + (uint64_t)r->addend);
			} else {
				rel.symbol = (size_t)t->symbol;
			}
		}
		if (objfmt_object__add_reloc(u->object, &rel) < 0)
			return -ENOMEM;
	}
	memcpy(sec->data + fn->offset, g->insns, g->count * sizeof(struct objfmt_insn));
	return 0;
}

/* Sections that relocations reach through their section symbol: those of static
 * functions called and of static data referenced. */
static void mark_section_symbols(struct emit_state *st, bool *needed)
{
	for (struct cc_function *fn = st->u->generated; fn; fn = fn->next_generated)
		for (size_t i = 0; i < fn->code->reloc_count; i++) {
			struct gen_reloc *r = &fn->code->relocs[i];

			if (r->var->is_function && r->var->is_static && r->var->function &&
			    (r->kind != GEN_RELOC_CALL ||
			     r->var->function->section != fn->section))
				needed[r->var->function->section] = true;
			else if (r->kind == GEN_RELOC_DATA && r->var->placed &&
				 (r->var->is_static || r->var->asm_name[0] == '.'))
				needed[r->var->section] = true;
		}
}

static int by_position(const void *a, const void *b)
{
	const struct cc_var *x = *(struct cc_var *const *)a, *y = *(struct cc_var *const *)b;
	size_t xs = x->is_function ? x->function->section : x->section;
	size_t ys = y->is_function ? y->function->section : y->section;
	uint64_t xo = x->is_function ? x->function->offset : x->offset;
	uint64_t yo = y->is_function ? y->function->offset : y->offset;

	if (xs != ys)
		return xs < ys ? -1 : 1;
	return xo < yo ? -1 : xo > yo;
}

static int add_symbol(struct cc_unit *u, struct cc_var *v)
{
	bool fn = v->is_function;
	struct objfmt_symbol sym = {
		.name = fn ? v->name : v->asm_name,
		.bind = v->is_static ? OBJFMT_BIND_LOCAL : v->attrs.weak ? OBJFMT_BIND_WEAK
			: OBJFMT_BIND_GLOBAL,
		.type = fn ? OBJFMT_SYM_FUNC : OBJFMT_SYM_OBJECT,
		.vis = v->attrs.hidden ? OBJFMT_VIS_HIDDEN : OBJFMT_VIS_DEFAULT,
		.section = fn ? v->function->section : v->section,
		.value = fn ? v->function->offset : v->offset,
		.size = fn ? v->function->code->count * sizeof(struct objfmt_insn) : v->object_size,
	};

	v->symbol = objfmt_object__add_symbol(u->object, &sym);
	return v->symbol < 0 ? v->symbol : 0;
}

/* Referenced but defined elsewhere: an extern object, a function without a body. */
static bool is_external(struct cc_var *v)
{
	if (!v->referenced || v->placed)
		return false;
	return v->is_function ? !v->function : v->is_extern || !v->is_definition;
}

static int add_external(struct cc_unit *u, struct cc_var *v)
{
	struct objfmt_symbol sym = { .name = v->name, .bind = v->attrs.weak ? OBJFMT_BIND_WEAK
								      : OBJFMT_BIND_GLOBAL,
				     .type = OBJFMT_SYM_NOTYPE, .section = OBJFMT_SECTION_UNDEF };

	if (v->is_static) {
		cc_error(u, v->loc, "static %s '%s' is used but never defined",
			 v->is_function ? "function" : "variable", v->name);
		return -EINVAL;
	}
	v->symbol = objfmt_object__add_symbol(u->object, &sym);
	return v->symbol < 0 ? v->symbol : 0;
}

/* Symbols as an assembler defines them from our -S output: section symbols first,
 * then functions and objects by section and offset. */
static int add_symbols(struct emit_state *st)
{
	struct cc_unit *u = st->u;
	bool needed[MAX_SECTIONS] = { false };
	struct cc_var **vars;
	size_t count = 0;
	int err = 0;

	mark_section_symbols(st, needed);
	for (size_t s = 0; s < objfmt_object__section_count(u->object) && s < MAX_SECTIONS; s++)
		if (needed[s] && section_symbol(st, s) < 0)
			return -ENOMEM;
	for (struct cc_var *v = u->globals; v; v = v->next)
		count++;
	vars = calloc(count + 1, sizeof(*vars));
	if (!vars)
		return -ENOMEM;
	count = 0;
	for (struct cc_var *v = u->globals; v; v = v->next)
		if ((v->is_function && v->function && v->function->emitted) ||
		    (!v->is_function && v->placed && v->asm_name[0] != '.'))
			vars[count++] = v;
	qsort(vars, count, sizeof(*vars), by_position);
	for (size_t i = 0; !err && i < count; i++)
		err = add_symbol(u, vars[i]);
	free(vars);
	for (struct cc_var *v = u->globals; !err && v; v = v->next)
		if (is_external(v))
			err = add_external(u, v);
	return err;
}

static bool wanted_variable(struct cc_var *v)
{
	return !v->is_function && v->is_definition && !v->is_extern &&
	       (!v->is_static || v->referenced) && v->type->kind != TY_FUNC;
}

/* Static data referenced only from other data (e.g. prog arrays) is found here. */
static void mark_data_references(struct cc_unit *u)
{
	for (struct cc_var *v = u->globals; v; v = v->next) {
		if (!wanted_variable(v) || !v->init)
			continue;
		for (struct cc_node *l = v->init->args; l; l = l->next) {
			struct cc_var *t;
			int64_t off;

			if (cc_const_address(u, l, &t, &off))
				t->referenced = true;
		}
	}
}

static int place_once(struct emit_state *st, struct cc_var *v)
{
	if (v->placed || !wanted_variable(v))
		return 0;
	v->placed = true;
	v->place_order = ++st->placed_count;
	return place_variable(st, v);
}

/* Globals a variable's initializer refers to (prog arrays, maps of maps). */
static int place_initializer_targets(struct emit_state *st, struct cc_var *v)
{
	int err = 0;

	for (struct cc_node *l = v->init ? v->init->args : NULL; !err && l; l = l->next) {
		struct cc_var *t;
		int64_t off;

		if (cc_const_address(st->u, l, &t, &off) && !t->is_function)
			err = place_once(st, t);
	}
	return err;
}

/* The source line of the statement instruction `insn` belongs to (0 if unknown). */
static unsigned statement_line(struct gen *code, size_t insn)
{
	unsigned line = 0;

	for (size_t i = 0; i < code->line_count && code->lines[i].insn <= insn; i++)
		line = code->lines[i].loc.line;
	return line;
}

static bool is_static_local(struct cc_var *v)
{
	return v->is_static && v->asm_name && v->asm_name != v->name;
}

/* The data reference `i` of fn's code, if `inlined` allows it. */
static struct cc_var *data_reference(struct cc_function *fn, size_t i, bool inlined)
{
	struct gen_reloc *r = &fn->code->relocs[i];

	if (r->kind != GEN_RELOC_DATA || r->var->is_function || (!inlined && r->inlined))
		return NULL;
	return r->var;
}

/* The data fn's body names, in source order (sema_note_data_ref), that some code uses. */
static int place_data_refs(struct emit_state *st, struct cc_function *fn)
{
	int err = 0;

	for (size_t i = 0; !err && i < fn->data_ref_count; i++)
		if (!fn->data_refs[i]->is_function && fn->data_refs[i]->referenced)
			err = place_once(st, fn->data_refs[i]);
	return err;
}

/* The static functions fn names that nothing named before, appended to list from n:
 * clang defers their bodies to after the file, in that order. Returns the new count. */
static size_t defer_callees(struct cc_function *fn, struct cc_function **list, size_t n)
{
	for (size_t i = 0; i < fn->data_ref_count; i++) {
		struct cc_var *g = fn->data_refs[i];

		if (g->is_function && g->function && !g->function->deferred) {
			g->function->deferred = true;
			list[n++] = g->function;
		}
	}
	return n;
}

/* A deferred static function's data, then (depth first, as clang's EmitDeferred) that
 * of the static functions it is the first to name. */
static int place_deferred(struct emit_state *st, struct cc_function *fn)
{
	struct cc_function **callees = calloc(fn->data_ref_count + 1, sizeof(*callees));
	size_t n;
	int err;

	if (!callees)
		return -ENOMEM;
	err = place_data_refs(st, fn);
	n = defer_callees(fn, callees, 0);
	for (size_t i = 0; !err && i < n; i++)
		err = place_deferred(st, callees[i]);
	free(callees);
	return err;
}

/* The globals fn's code names, in that order, but a static local first among those of
 * its statement (clang creates it at its declaration: bpf_printk's fmt before the
 * arguments); `inlined`: also those of always_inline expansions (clang names them
 * when it emits the static callee, after the tentative definitions). */
static int place_code_references(struct emit_state *st, struct cc_function *fn, bool inlined)
{
	int err = 0;

	err = place_data_refs(st, fn); /* first what the body names, in source order */
	for (size_t i = 0; !err && i < fn->code->reloc_count; i++) {
		struct cc_var *v = data_reference(fn, i, inlined);
		unsigned line;

		if (!v || v->placed)
			continue;
		line = statement_line(fn->code, fn->code->relocs[i].insn);
		for (size_t j = i + 1; !err && line && j < fn->code->reloc_count; j++) {
			struct cc_var *w = data_reference(fn, j, inlined);

			if (w && is_static_local(w) &&
			    statement_line(fn->code, fn->code->relocs[j].insn) == line)
				err = place_once(st, w);
		}
		if (!err)
			err = place_once(st, v);
	}
	return err;
}

/* Whether function `fn` is defined (its body starts) before `at` in the same file. */
static bool defined_before(struct cc_function *fn, struct cc_loc at)
{
	struct cc_loc body = fn->body ? fn->body->loc : fn->var->loc;

	return body.file != at.file || body.line < at.line;
}

/* The code references of the pending functions (in file order) that are defined
 * before `at` (all of them for NULL): clang emits a function at its definition, not
 * at a prototype naming it first. */
static int place_pending(struct emit_state *st, struct cc_function **pending, size_t count,
			 const struct cc_loc *at)
{
	int err = 0;

	for (size_t i = 0; !err && i < count; i++) {
		if (!pending[i] || (at && !defined_before(pending[i], *at)))
			continue;
		err = place_code_references(st, pending[i], false);
		pending[i] = NULL;
	}
	return err;
}

/* Data in the order clang creates it, so that sections lay out as in its objects:
 * walking the file, an initialized global after the globals its initializer names,
 * and the globals a function's code names, at its definition, in the order the code
 * names them; then tentative definitions nobody named; then what static functions
 * (whose bodies clang emits last) name. */
static int place_variables(struct emit_state *st)
{
	struct cc_unit *u = st->u;
	struct cc_function **pending;
	size_t count = 0;
	int err = 0;

	for (struct cc_var *v = u->globals; v; v = v->next)
		count++;
	pending = calloc(count + 1, sizeof(*pending));
	if (!pending)
		return -ENOMEM;
	count = 0;
	for (struct cc_var *v = u->globals; !err && v; v = v->next) {
		if (!v->is_function && !v->is_static && v->init) {
			err = place_pending(st, pending, count, &v->loc);
			if (!err)
				err = place_initializer_targets(st, v);
			if (!err)
				err = place_once(st, v);
		} else if (v->is_function && v->function && v->function->emitted &&
			   !v->is_static) {
			pending[count++] = v->function;
		}
	}
	if (!err)
		err = place_pending(st, pending, count, NULL);
	for (struct cc_var *v = u->globals; !err && v; v = v->next)
		if (!v->is_static)
			err = place_once(st, v);
	count = 0; /* static functions in the order clang emits them, after the file */
	for (struct cc_var *v = u->globals; v; v = v->next)
		if (v->is_function && v->function && v->function->emitted && !v->is_static)
			count = defer_callees(v->function, pending, count);
	for (size_t i = 0; !err && i < count; i++)
		err = place_deferred(st, pending[i]);
	free(pending);
	for (struct cc_function *fn = u->generated; !err && fn; fn = fn->next_generated)
		err = place_code_references(st, fn, true);
	for (struct cc_var *v = u->globals; !err && v; v = v->next)
		err = place_once(st, v);
	return err;
}

int cc_emit_object(struct cc_unit *u)
{
	struct emit_state st = { .u = u };
	int err;

	u->object = objfmt_object__new();
	if (!u->object)
		return -ENOMEM;
	err = generate_functions(u);
	/* .text comes first when used, as in clang's objects */
	for (struct cc_function *fn = u->generated; !err && fn; fn = fn->next_generated)
		if (!fn->var->attrs.section) {
			err = section_index(&st, ".text", true, false, OBJFMT_SHF_ALLOC);
			err = err < 0 ? err : 0;
			break;
		}
	for (struct cc_function *fn = u->generated; !err && fn; fn = fn->next_generated)
		err = place_function(&st, fn->var);
	mark_data_references(u);
	if (!err)
		err = place_variables(&st);
	if (!err)
		err = add_symbols(&st);
	for (struct cc_var *v = u->globals; !err && v; v = v->next)
		if (wanted_variable(v) && v->symbol >= 0)
			err = data_relocations(&st, v);
	/* in placement order, so each section's relocations are sorted by offset */
	for (struct cc_function *fn = u->generated; !err && fn; fn = fn->next_generated)
		err = finish_function(&st, fn->var);
	if (!err && !u->errors)
		err = cc_btf_finish(u);
	for (struct cc_var *v = u->globals; v; v = v->next)
		if (v->is_function && v->function) {
			cc_codegen_free(v->function->code);
			v->function->code = NULL;
		}
	return err ? err : u->errors ? -EINVAL : 0;
}
