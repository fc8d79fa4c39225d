/* test_cc_front.c - Check unit tests of libcc: front end (types, layout, constant
 * folding, diagnostics, unsupported constructs) and register allocation (instruction
 * sequences asserted exactly, so the code emitted is what is tested). */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ebpf/cc.h>

static struct objfmt_object *compile(const char *src, struct cc_diagnostics **diags)
{
	struct objfmt_object *obj = NULL;
	struct cc_options opts = { .size = sizeof(opts), .optimize = 2 };

	cc_compile_buffer(src, strlen(src), "t.c", &opts, &obj, diags);
	return obj;
}

/* Instructions of section `name`. */
static const struct objfmt_insn *code(struct objfmt_object *obj, const char *name, size_t *n)
{
	int i = objfmt_object__find_section(obj, name);

	ck_assert_int_ge(i, 0);
	*n = objfmt_object__section(obj, (size_t)i)->size / 8;
	return (const struct objfmt_insn *)objfmt_object__section(obj, (size_t)i)->data;
}

/* Disassembly of section `name`, one instruction per line. */
static char *listing(struct objfmt_object *obj, const char *name)
{
	size_t n;
	const struct objfmt_insn *insns = code(obj, name, &n);
	char *out = calloc(1, 8192), line[128];

	for (size_t i = 0; i < n; i += (size_t)objfmt_insn_slots(&insns[i])) {
		ck_assert_int_ge(objfmt_disasm_insn(&insns[i], n - i, OBJFMT_DIALECT_LLVM, line,
						    sizeof(line), NULL), 0);
		strcat(out, line);
		strcat(out, "\n");
	}
	return out;
}

static const char *first_error(struct cc_diagnostics *d)
{
	for (size_t i = 0; i < cc_diagnostics__count(d); i++)
		if (cc_diagnostics__get(d, i)->severity == CC_SEVERITY_ERROR)
			return cc_diagnostics__get(d, i)->message;
	return "";
}

START_TEST(folds_constant_expressions)
{
	struct objfmt_object *obj = compile(
		"enum { A = 3, B = A << 4 };\n"
		"int f(void) { return (B | 1) + sizeof(long) * 2 - (-7 / 2) + (7u >> 1); }\n",
		NULL);
	char *text;

	ck_assert_ptr_nonnull(obj);
	text = listing(obj, ".text");
	ck_assert_str_eq(text, "r0 = 71\nexit\n");
	free(text);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(lays_out_bitfields_like_clang)
{
	struct objfmt_object *obj = compile(
		"struct s { char a; int b : 3; int c : 5; long d; unsigned e : 4; };\n"
		"int f(struct s *p) { return p->c + sizeof(struct s); }\n", NULL);
	const struct objfmt_btf *btf;
	const struct objfmt_btf_type *t;
	int id;

	ck_assert_ptr_nonnull(obj);
	btf = objfmt_object__btf(obj);
	id = objfmt_btf__find(btf, OBJFMT_BTF_STRUCT, "s");
	ck_assert_int_gt(id, 0);
	t = objfmt_btf__type(btf, (uint32_t)id);
	ck_assert_uint_eq(t->size, 24);
	ck_assert_uint_eq(t->vlen, 5);
	ck_assert_uint_eq(t->members[1].bit_offset, 8);
	ck_assert_uint_eq(t->members[1].bitfield, 3);
	ck_assert_uint_eq(t->members[2].bit_offset, 11);
	ck_assert_uint_eq(t->members[3].bit_offset, 64);
	ck_assert_uint_eq(t->members[4].bit_offset, 128);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(reports_undeclared_identifier_with_location)
{
	struct cc_diagnostics *d = NULL;
	struct objfmt_object *obj = compile("int f(void)\n{\n\treturn x;\n}\n", &d);
	const struct cc_diagnostic *e;

	ck_assert_ptr_null(obj);
	ck_assert_uint_eq(cc_diagnostics__error_count(d), 1);
	e = cc_diagnostics__get(d, 0);
	ck_assert_str_eq(e->message, "use of undeclared identifier 'x'");
	ck_assert_str_eq(e->file, "t.c");
	ck_assert_uint_eq(e->line, 3);
	ck_assert_uint_eq(e->column, 9);
	cc_diagnostics__free(d);
}
END_TEST

START_TEST(follows_line_markers)
{
	struct cc_diagnostics *d = NULL;

	ck_assert_ptr_null(compile("# 40 \"prog.bpf.c\"\nint f(void) { return y; }\n", &d));
	ck_assert_str_eq(cc_diagnostics__get(d, 0)->file, "prog.bpf.c");
	ck_assert_uint_eq(cc_diagnostics__get(d, 0)->line, 40);
	cc_diagnostics__free(d);
}
END_TEST

START_TEST(rejects_floating_point_by_name)
{
	struct cc_diagnostics *d = NULL;

	ck_assert_ptr_null(compile("int f(void) { return 1.5; }\n", &d));
	ck_assert_str_eq(first_error(d), "floating-point constant '1.5' is not supported: "
			 "BPF has no floating point");
	cc_diagnostics__free(d);
}
END_TEST

START_TEST(assembles_inline_asm_operands)
{
	struct objfmt_object *obj = compile(
		"int f(int x) { long r; asm volatile(\"%0 = %1\\n\\t%0 += %[k]\" : \"=r\"(r) "
		": \"r\"(x), [k] \"i\"(5) : \"r0\"); return r; }\n", NULL);
	char *text;

	ck_assert_ptr_nonnull(obj);
	text = listing(obj, ".text");
	/* the operands are virtual registers to the allocator: x arrives in r1 and r
	 * may share it (zero-extended first: its caller sets only the low half); the
	 * asm's instructions are kept as written, a self-move too */
	ck_assert_str_eq(text, "w1 = w1\nr1 = r1\nr1 += 5\nw0 = w1\nexit\n");
	free(text);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(rejects_inline_asm_memory_constraint)
{
	struct cc_diagnostics *d = NULL;

	ck_assert_ptr_null(compile("int f(void) { int x; asm volatile(\"%0 = 1\" : \"=m\"(x)); "
				   "return x; }\n", &d));
	ck_assert_str_eq(first_error(d),
			 "asm constraint '=m' is not supported (only r, i, n and matching digits)");
	cc_diagnostics__free(d);
}
END_TEST

START_TEST(accepts_empty_asm_barrier)
{
	struct objfmt_object *obj = compile(
		"int f(int x) { asm volatile(\"\" ::: \"memory\"); return x; }\n", NULL);
	char *text;

	ck_assert_ptr_nonnull(obj);
	text = listing(obj, ".text");
	ck_assert_str_eq(text, "w0 = w1\nexit\n"); /* an int parameter is extended */
	free(text);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(helper_arguments_go_to_r1_r5)
{
	struct objfmt_object *obj = compile(
		"static long (*update)(void *map, const void *key, const void *value, "
		"unsigned long flags) = (void *)2;\n"
		"int m;\n"
		"int f(void) { int k = 1; long v = 2; return update(&m, &k, &v, 0); }\n", NULL);
	char *text;

	ck_assert_ptr_nonnull(obj);
	text = listing(obj, ".text");
	ck_assert_str_eq(text,
		"*(u32 *)(r10 - 8) = 1\n" /* scalars take whole 8-byte slots */
		"*(u64 *)(r10 - 16) = 2\n"
		"r1 = 0 ll\n"
		"r2 = r10\n"
		"r2 += -8\n"
		"r3 = r10\n"
		"r3 += -16\n"
		"r4 = 0\n"
		"call 2\n"
		"w0 = w0\n" /* long result returned as int: truncated */
		"exit\n");
	free(text);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(keeps_values_live_across_calls)
{
	struct objfmt_object *obj = compile(
		"static long (*h)(void) = (void *)5;\n"
		"long f(long a) { return a * 3 + h() + h(); }\n", NULL);
	char *text;

	ck_assert_ptr_nonnull(obj);
	text = listing(obj, ".text");
	/* a*3 lives across both calls: in callee-saved r6, computed in place */
	ck_assert_str_eq(text,
		"r6 = r1\n"
		"r6 *= 3\n"
		"call 5\n"
		"r6 += r0\n"
		"call 5\n"
		"r1 = r0\n"
		"r0 = r6\n"
		"r0 += r1\n"
		"exit\n");
	free(text);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(reuses_registers_after_live_ranges_end)
{
	/* seven locals, at most two live at a time: all in r6-r9, nothing on the stack */
	struct objfmt_object *obj = compile(
		"long f(long a) { long b = a * 2; long c = b + 1; long d = c * 3;\n"
		"  long e = d - 1; long h = e * 5; long k = h + 7; return k + a; }\n", NULL);
	char *text;

	ck_assert_ptr_nonnull(obj);
	text = listing(obj, ".text");
	ck_assert_ptr_null(strstr(text, "r10"));
	free(text);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(keeps_loop_carried_values_in_distinct_registers)
{
	/* s and i cross the back edge; t lives only inside the body and must not take
	 * either's register; with no call all stay in r0-r5 and n stays in r1 */
	struct objfmt_object *obj = compile(
		"long f(long n) { long s = 0; for (long i = 0; i < n; i++) { long t = i * i;\n"
		"  s += t; } return s; }\n", NULL);
	char *text;

	ck_assert_ptr_nonnull(obj);
	text = listing(obj, ".text");
	ck_assert_str_eq(text,
		"r0 = 0\n"                  /* s, where it is returned */
		"r2 = 0\n"                  /* i */
		"if r2 s>= r1 goto +5\n"
		"r3 = r2\n"                 /* t */
		"r3 *= r2\n"
		"r0 += r3\n"
		"r2 += 1\n"
		"if r2 s< r1 goto -5\n"    /* rotated loop: the test at the bottom */
		"exit\n");
	free(text);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(conditional_result_is_not_held_across_calls)
{
	/* the result register (r0, where the return wants it) must not be spilled around
	 * the call in the condition before anything was written to it */
	struct objfmt_object *obj = compile(
		"static long (*h)(void) = (void *)7;\n"
		"int f(void) { return h() ? 1 : 2; }\n", NULL);
	char *text;

	ck_assert_ptr_nonnull(obj);
	text = listing(obj, ".text");
	ck_assert_str_eq(text,
		"call 7\n"
		"if r0 == 0 goto +2\n" /* h returns long: a 64-bit test */
		"r0 = 1\n"
		"goto +1\n"
		"r0 = 2\n"
		"exit\n");
	free(text);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(signed_and_unsigned_compares_differ)
{
	struct objfmt_object *obj = compile(
		"int f(int a, unsigned b, long c) { return (a < 0) + (b > 5u) + (c >= 7); }\n",
		NULL);
	char *text;

	ck_assert_ptr_nonnull(obj);
	text = listing(obj, ".text");
	ck_assert_ptr_nonnull(strstr(text, "if w"));   /* 32-bit compares for int */
	ck_assert_ptr_nonnull(strstr(text, "s< 0"));   /* signed int */
	ck_assert_ptr_nonnull(strstr(text, "> 5 goto"));  /* unsigned */
	ck_assert_ptr_nonnull(strstr(text, "s>= 7 goto")); /* signed long, 64-bit */
	free(text);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(rejects_unknown_option_tail)
{
	struct {
		struct cc_options o;
		char extra[8];
	} big = { .o = { .size = sizeof(big) } };
	struct objfmt_object *obj = NULL;

	big.extra[3] = 1;
	ck_assert_int_eq(cc_compile_buffer("", 0, "t.c", &big.o, &obj, NULL), -22);
}
END_TEST

/* The relocation at byte `offset` of section `sec`, NULL if none. */
static const struct objfmt_reloc *reloc_at(struct objfmt_object *obj, const char *sec,
					   uint64_t offset)
{
	int index = objfmt_object__find_section(obj, sec);

	for (size_t i = 0; i < objfmt_object__reloc_count(obj); i++) {
		const struct objfmt_reloc *r = objfmt_object__reloc(obj, i);

		if ((int)r->section == index && r->offset == offset)
			return r;
	}
	return NULL;
}

START_TEST(externs_become_undefined_symbols)
{
	struct objfmt_object *obj = compile(
		"extern int CONFIG_HZ __attribute__((section(\".kconfig\")));\n"
		"extern int helper_add(int a);\n"
		"int f(void) { return helper_add(CONFIG_HZ); }\n", NULL);
	const struct objfmt_reloc *r;
	struct objfmt_symbol *s;

	ck_assert_ptr_nonnull(obj);
	r = reloc_at(obj, ".text", 0); /* r1 = CONFIG_HZ ll */
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->type, OBJFMT_R_BPF_64_64);
	s = objfmt_object__symbol(obj, r->symbol);
	ck_assert_str_eq(s->name, "CONFIG_HZ");
	ck_assert_uint_eq(s->section, OBJFMT_SECTION_UNDEF);
	r = reloc_at(obj, ".text", 24); /* call helper_add */
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->type, OBJFMT_R_BPF_64_32);
	ck_assert_str_eq(objfmt_object__symbol(obj, r->symbol)->name, "helper_add");
	ck_assert_int_gt(objfmt_btf__find(objfmt_object__btf(obj), OBJFMT_BTF_DATASEC,
					  ".kconfig"), 0);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(callback_address_relocates_to_its_code)
{
	struct objfmt_object *obj = compile(
		"static long (*loop)(unsigned n, void *fn, void *ctx, unsigned long f) = (void *)181;\n"
		"static int step(unsigned i, void *ctx) { return 0; }\n"
		"int f(void) { return loop(4, step, 0, 0); }\n", NULL);
	const struct objfmt_reloc *r;
	size_t n;
	const struct objfmt_insn *insns;

	ck_assert_ptr_nonnull(obj);
	insns = code(obj, ".text", &n);
	for (size_t i = 0; i < n; i++)
		if (insns[i].code == 0x18 && (r = reloc_at(obj, ".text", i * 8))) {
			struct objfmt_symbol *s = objfmt_object__symbol(obj, r->symbol);

			int step = objfmt_object__find_symbol(obj, "step");

			ck_assert_int_eq(s->type, OBJFMT_SYM_SECTION);
			ck_assert_int_ge(step, 0);
			/* section symbol + the function's byte offset, as clang relocates it */
			ck_assert_int_eq(insns[i].imm,
					 (int32_t)objfmt_object__symbol(obj, (size_t)step)->value);
			ck_assert_int_gt(insns[i].imm, 0);
			objfmt_object__free(obj);
			return;
		}
	ck_abort_msg("no ld_imm64 of the callback");
}
END_TEST

START_TEST(folds_loads_of_constant_data)
{
	/* const data with a known initializer folds (and unused statics vanish); const
	 * volatile configuration is always loaded, since the loader may change it */
	struct objfmt_object *obj = compile(
		"static const int table[4] = { 1, 2, [3] = 40 };\n"
		"const volatile int knob = 5;\n"
		"int f(void) { return table[3] + table[2] + (table[0] == 1) + knob; }\n", NULL);
	char *text;

	ck_assert_ptr_nonnull(obj);
	text = listing(obj, ".text");
	ck_assert_str_eq(text, "r1 = 0 ll\nr0 = *(u32 *)(r1 + 0)\nw0 += 41\nexit\n");
	ck_assert_int_lt(objfmt_object__find_symbol(obj, "table"), 0);
	free(text);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(types_large_enumerators_as_unsigned)
{
	/* like BPF_F_CURRENT_CPU = 0xffffffffULL: not an int, so not sign-extended */
	struct objfmt_object *obj = compile(
		"enum { SMALL = 1, CURRENT = 0xffffffffULL };\n"
		"unsigned long f(void) { return CURRENT; }\n"
		"long g(void) { return SMALL - 2; }\n", NULL);
	char *text;

	ck_assert_ptr_nonnull(obj);
	text = listing(obj, ".text");
	ck_assert_str_eq(text, "r0 = 4294967295 ll\nexit\nr0 = -1\nexit\n");
	free(text);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(expands_memcmp_of_constant_size)
{
	/* clang calls an external memcmp for this; we compare byte by byte and stop at the
	 * first difference, whose sign (as unsigned chars) is the result */
	struct objfmt_object *obj = compile(
		"int f(const char *a, const char *b) { return __builtin_memcmp(a, b, 2); }\n",
		NULL);
	char *text;

	ck_assert_ptr_nonnull(obj);
	text = listing(obj, ".text");
	ck_assert_str_eq(text,
		"r0 = *(u8 *)(r1 + 0)\n"
		"r3 = *(u8 *)(r2 + 0)\n"
		"w0 -= w3\n"
		"if w0 != 0 goto +3\n" /* to the exit */
		"r0 = *(u8 *)(r1 + 1)\n"
		"r1 = *(u8 *)(r2 + 1)\n"
		"w0 -= w1\n"
		"exit\n");
	free(text);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(records_func_and_line_info_with_debug_info)
{
	const char *src = "int f(int a)\n{\n\tint b = a + 1;\n\n\treturn b * 2;\n}\n";
	struct cc_options opts = { .size = sizeof(opts), .optimize = 2, .debug_info = true };
	struct objfmt_object *obj = NULL;
	const struct objfmt_btf_ext *ext;
	const struct objfmt_btf_ext_line *l;

	ck_assert_int_eq(cc_compile_buffer(src, strlen(src), "t.c", &opts, &obj, NULL), 0);
	ext = objfmt_object__btf_ext(obj);
	ck_assert_uint_eq(objfmt_btf_ext__section_count(ext), 1);
	ck_assert_str_eq(objfmt_btf_ext__section_name(ext, 0), ".text");
	ck_assert_uint_eq(objfmt_btf_ext__func_count(ext, 0), 1);
	ck_assert_uint_eq(objfmt_btf_ext__func(ext, 0, 0)->insn_off, 0);
	ck_assert_uint_eq(objfmt_btf_ext__line_count(ext, 0), 3);
	l = objfmt_btf_ext__line(ext, 0, 0); /* the function's first insn: its declaration */
	ck_assert_uint_eq(l->insn_off, 0);
	ck_assert_uint_eq(l->line_num, 1);
	ck_assert_str_eq(l->file, "t.c");
	l = objfmt_btf_ext__line(ext, 0, 1);
	ck_assert_uint_eq(l->line_num, 3);
	ck_assert_uint_eq(l->line_col, 6);
	l = objfmt_btf_ext__line(ext, 0, 2);
	ck_assert_uint_eq(l->line_num, 5);
	ck_assert_uint_eq(l->line_col, 2);
	ck_assert_uint_gt(l->insn_off, objfmt_btf_ext__line(ext, 0, 1)->insn_off);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(compare_and_swap_goes_through_r0)
{
	struct objfmt_object *obj = compile(
		"long f(long *p) { return __sync_val_compare_and_swap(p, 1, 2); }\n", NULL);
	char *text;

	ck_assert_ptr_nonnull(obj);
	text = listing(obj, ".text");
	ck_assert_str_eq(text,
		"r2 = 2\n"                         /* the new value */
		"r0 = 1\n"                         /* the expected value goes in r0 */
		"r0 = cmpxchg_64(r1 + 0, r0, r2)\n" /* the old value comes back in r0 */
		"exit\n");
	free(text);
	objfmt_object__free(obj);
}
END_TEST

/* A record reached from a member through a pointer is a FWD unless something needs it
 * in full (here a parameter does); ids as clang-19 gives them for this source. */
START_TEST(pointee_records_of_members_become_fwd)
{
	struct objfmt_object *obj = compile(
		"struct inner { int a; };\n"
		"struct other { int b; };\n"
		"struct outer { struct inner *p; const struct other *q; };\n"
		"int f(struct outer *o, struct other *x) { return o->p ? x->b : 0; }\n", NULL);
	const struct objfmt_btf *btf;
	const struct objfmt_btf_type *t;

	ck_assert_ptr_nonnull(obj);
	btf = objfmt_object__btf(obj);
	ck_assert_uint_eq(objfmt_btf__type_count(btf), 11); /* as many types as clang */
	ck_assert_int_eq(objfmt_btf__find(btf, OBJFMT_BTF_STRUCT, "outer"), 2);
	ck_assert_int_eq(objfmt_btf__find(btf, OBJFMT_BTF_STRUCT, "other"), 7);
	ck_assert_int_eq(objfmt_btf__find(btf, OBJFMT_BTF_STRUCT, "inner"), -ENOENT);
	ck_assert_int_eq(objfmt_btf__find(btf, OBJFMT_BTF_FWD, "inner"), 11);
	t = objfmt_btf__type(btf, 3); /* outer.p */
	ck_assert_int_eq(t->kind, OBJFMT_BTF_PTR);
	ck_assert_uint_eq(t->type, 11);
	t = objfmt_btf__type(btf, 5); /* outer.q: const, then the full 'other' */
	ck_assert_int_eq(t->kind, OBJFMT_BTF_CONST);
	ck_assert_uint_eq(t->type, 7);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(keeps_typedefs_and_qualifiers_in_btf)
{
	struct objfmt_object *obj = compile(
		"typedef unsigned int u32;\n"
		"const volatile u32 limit = 7;\n"
		"int f(void) { return limit; }\n", NULL);
	const struct objfmt_btf *btf;
	const struct objfmt_btf_type *t;
	int var;

	ck_assert_ptr_nonnull(obj);
	btf = objfmt_object__btf(obj);
	var = objfmt_btf__find(btf, OBJFMT_BTF_VAR, "limit");
	ck_assert_int_gt(var, 0);
	/* const outside volatile, as clang-19 writes it for either spelling */
	t = objfmt_btf__type(btf, objfmt_btf__type(btf, (uint32_t)var)->type);
	ck_assert_int_eq(t->kind, OBJFMT_BTF_CONST);
	t = objfmt_btf__type(btf, t->type);
	ck_assert_int_eq(t->kind, OBJFMT_BTF_VOLATILE);
	t = objfmt_btf__type(btf, t->type);
	ck_assert_int_eq(t->kind, OBJFMT_BTF_TYPEDEF);
	ck_assert_str_eq(t->name, "u32");
	t = objfmt_btf__type(btf, t->type);
	ck_assert_str_eq(t->name, "unsigned int");
	/* const volatile configuration lives in .rodata */
	ck_assert_int_ge(objfmt_object__find_section(obj, ".rodata"), 0);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(types_integer_constants_as_c_does)
{
	/* 0xffffffff is unsigned int, 4294967296 long, 'a' int, 1u << 31 unsigned */
	struct objfmt_object *obj = compile(
		"int f(void) { return sizeof(0xffffffff) * 1000 + sizeof(4294967296) * 100 +\n"
		"  sizeof('a') * 10 + (0xffffffff > 0) + ((1u << 31) > 0) * 2; }\n", NULL);
	char *text;

	ck_assert_ptr_nonnull(obj);
	text = listing(obj, ".text");
	ck_assert_str_eq(text, "r0 = 4843\nexit\n");
	free(text);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(writes_designated_initializers_to_data)
{
	struct objfmt_object *obj = compile(
		"struct s { char a; int b; short c[3]; };\n"
		"struct s g = { .c = { [2] = 0x0102 }, .a = 9, 5 };\n"
		"int f(void) { return g.b; }\n", NULL);
	int sec;
	const uint8_t *d;

	ck_assert_ptr_nonnull(obj);
	sec = objfmt_object__find_section(obj, ".data");
	ck_assert_int_ge(sec, 0);
	ck_assert_uint_eq(objfmt_object__section(obj, (size_t)sec)->size, 16);
	d = objfmt_object__section(obj, (size_t)sec)->data;
	ck_assert_uint_eq(d[0], 9);   /* .a */
	ck_assert_uint_eq(d[4], 5);   /* positional after .a: .b */
	ck_assert_uint_eq(d[12], 2);  /* .c[2] little endian */
	ck_assert_uint_eq(d[13], 1);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(scales_pointer_arithmetic)
{
	struct objfmt_object *obj = compile(
		"long f(long *p, long *q) { return *(p + 3) + (q - p); }\n", NULL);
	char *text;

	ck_assert_ptr_nonnull(obj);
	text = listing(obj, ".text");
	ck_assert_ptr_nonnull(strstr(text, "*(u64 *)(r1 + 24)")); /* 3 * sizeof(long) */
	ck_assert_ptr_nonnull(strstr(text, "/= 8"));              /* difference in elements */
	free(text);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(reports_struct_by_value_parameter)
{
	struct cc_diagnostics *d = NULL;

	/* one register carries 1, 2, 4 or 8 bytes (as clang passes them); not 12 */
	ck_assert_ptr_null(compile("struct s { int a, b, c; };\n"
				   "int f(struct s v) { return v.a; }\n", &d));
	ck_assert_str_eq(first_error(d),
			 "passing 'struct s' by value is not supported; pass a pointer");
	cc_diagnostics__free(d);
}
END_TEST

START_TEST(reports_stack_over_512_bytes)
{
	struct cc_diagnostics *d = NULL;

	ck_assert_ptr_null(compile("int f(void) { char buf[600] = {}; return buf[1]; }\n", &d));
	ck_assert_str_eq(first_error(d), "function 'f' needs 600 bytes of stack; BPF allows 512");
	cc_diagnostics__free(d);
}
END_TEST

START_TEST(names_static_locals_after_their_function)
{
	struct objfmt_object *obj = compile(
		"int f(int i) { static const char fmt[] = \"hi\"; return fmt[i & 1]; }\n", NULL);
	int sym;

	ck_assert_ptr_nonnull(obj);
	sym = objfmt_object__find_symbol(obj, "f.fmt");
	ck_assert_int_ge(sym, 0);
	ck_assert_int_eq(objfmt_object__symbol(obj, (size_t)sym)->bind, OBJFMT_BIND_LOCAL);
	ck_assert_uint_eq(objfmt_object__symbol(obj, (size_t)sym)->size, 3);
	objfmt_object__free(obj);
}
END_TEST

/* ---- grammar corners (the bison front end) ---- */

/* The 64-bit values .data holds, in order; NULL if there is no .data. */
static const int64_t *data_longs(struct objfmt_object *obj, size_t *count)
{
	int sec = objfmt_object__find_section(obj, ".data");

	if (sec < 0)
		return NULL;
	*count = objfmt_object__section(obj, (size_t)sec)->size / 8;
	return (const int64_t *)objfmt_object__section(obj, (size_t)sec)->data;
}

/* The 64-bit value of the object symbol `name` in .data. */
static int64_t data_symbol(struct objfmt_object *obj, const char *name)
{
	int sym = objfmt_object__find_symbol(obj, name);
	size_t n = 0;
	const int64_t *v = data_longs(obj, &n);

	ck_assert_int_ge(sym, 0);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_lt(objfmt_object__symbol(obj, (size_t)sym)->value / 8, n);
	return v[objfmt_object__symbol(obj, (size_t)sym)->value / 8];
}

START_TEST(typedef_names_are_shadowed_in_inner_scopes)
{
	struct cc_diagnostics *d = NULL;
	struct objfmt_object *obj = compile(
		"typedef int T;\n"
		"long f(void)\n"
		"{\n"
		"\tstatic long outer = sizeof(T);\n"     /* the type: 4 */
		"\tlong r;\n"
		"\t{\n"
		"\t\tchar T[3];\n"                       /* an object named T */
		"\t\tstatic long inner = sizeof(T);\n"   /* the object: 3 */
		"\t\tT[0] = 1;\n"
		"\t\tr = T[0] + inner;\n"
		"\t}\n"
		"\tstatic long after = sizeof(T) + 10;\n" /* the type again: 14 */
		"\t{ T T = 2; r += T; }\n"               /* type, then object */
		"\treturn outer + after + r;\n"
		"}\n", &d);

	ck_assert_ptr_nonnull(obj);
	ck_assert_uint_eq(cc_diagnostics__error_count(d), 0);
	ck_assert_int_eq(data_symbol(obj, "f.outer"), 4);
	ck_assert_int_eq(data_symbol(obj, "f.inner"), 3);
	ck_assert_int_eq(data_symbol(obj, "f.after"), 14);
	objfmt_object__free(obj);
	cc_diagnostics__free(d);
}
END_TEST

START_TEST(reads_nested_declarators_of_function_pointers)
{
	struct objfmt_object *obj = compile(
		"long (*(*fp)(int))[3];\n"              /* ptr to fn(int) returning ptr to long[3] */
		"long (*row(void))[3];\n"               /* fn returning ptr to long[3] */
		"int (*handlers[4])(void *, int);\n"    /* array of 4 function pointers */
		"long v[] = { sizeof(fp), sizeof(*fp(0)), sizeof(*row()), sizeof(handlers),\n"
		"\t__builtin_types_compatible_p(typeof(fp), long (*(*)(int))[3]),\n"
		"\t__builtin_types_compatible_p(typeof(handlers[0]), int (*)(void *, int)),\n"
		"\t__builtin_types_compatible_p(typeof(fp(0)), long (*)[4]) };\n", NULL);
	size_t n = 0;
	const int64_t *v;

	ck_assert_ptr_nonnull(obj);
	v = data_longs(obj, &n);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(n, 7);
	ck_assert_int_eq(v[0], 8);
	ck_assert_int_eq(v[1], 24);
	ck_assert_int_eq(v[2], 24);
	ck_assert_int_eq(v[3], 32);
	ck_assert_int_eq(v[4], 1);
	ck_assert_int_eq(v[5], 1);
	ck_assert_int_eq(v[6], 0); /* long[3] is not long[4] */
	objfmt_object__free(obj);
}
END_TEST

START_TEST(reads_abstract_declarators_in_casts_and_sizeof)
{
	struct objfmt_object *obj = compile(
		"long v[] = { sizeof(int (*)[4]), sizeof(int [2][3]), sizeof(*(int (*)[4])0),\n"
		"\tsizeof(int *(*)(void)), sizeof(char (*(*)[2])[5]), (long)(unsigned char)-1,\n"
		"\t(long)(short)0x12345, sizeof(int (*const)(int)) };\n", NULL);
	size_t n = 0;
	const int64_t *v;

	ck_assert_ptr_nonnull(obj);
	v = data_longs(obj, &n);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(n, 8);
	ck_assert_int_eq(v[0], 8);
	ck_assert_int_eq(v[1], 24);
	ck_assert_int_eq(v[2], 16);
	ck_assert_int_eq(v[3], 8);
	ck_assert_int_eq(v[4], 8);
	ck_assert_int_eq(v[5], 255);
	ck_assert_int_eq(v[6], 0x2345);
	ck_assert_int_eq(v[7], 8);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(applies_attributes_in_every_position)
{
	struct objfmt_object *obj = compile(
		"struct __attribute__((packed)) before { char c; int i; };\n"
		"struct after { char c; int i; } __attribute__((packed));\n"
		"typedef struct { char c; } __attribute__((aligned(8))) aligned_t;\n"
		"enum __attribute__((packed)) small { SMALL = 200 };\n"
		"enum wide : unsigned short { WIDE = 1 };\n"
		"int * __attribute__((unused)) pointer;\n"
		"static int placed __attribute__((section(\"sec2\"), used)) = 1;\n"
		"__attribute__((always_inline)) static int g(int a __attribute__((unused)))\n"
		"{ return placed; }\n"
		"int f(void) __attribute__((noinline));\n"
		"int f(void) { return g(0); }\n"
		"long v[] = { sizeof(struct before), sizeof(struct after), sizeof(aligned_t),\n"
		"\tsizeof(enum small), sizeof(enum wide), _Alignof(aligned_t) };\n", NULL);
	size_t n = 0;
	const int64_t *v;

	ck_assert_ptr_nonnull(obj);
	v = data_longs(obj, &n);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(n, 6);
	ck_assert_int_eq(v[0], 5);
	ck_assert_int_eq(v[1], 5);
	ck_assert_int_eq(v[2], 8);
	ck_assert_int_eq(v[3], 1);
	ck_assert_int_eq(v[4], 2);
	ck_assert_int_eq(v[5], 8);
	ck_assert_int_ge(objfmt_object__find_section(obj, "sec2"), 0);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(types_statement_expressions_by_their_last_statement)
{
	struct cc_diagnostics *d = NULL;
	struct objfmt_object *obj = compile(
		"int f(int x)\n"
		"{\n"
		"\tstatic long sizes[] = { sizeof(({ long a = 1; a; })),\n"
		"\t\tsizeof(({ char c = 1; c; })),\n"
		"\t\t__builtin_types_compatible_p(typeof(({ short s = 1; s; })), short),\n"
		"\t\t__builtin_types_compatible_p(typeof(({ x; })), int) };\n"
		"\treturn ({ int y = x * 2; y + 1; }) + sizes[0];\n"
		"}\n", &d);
	size_t n = 0;
	const int64_t *v;

	ck_assert_ptr_nonnull(obj);
	ck_assert_uint_eq(cc_diagnostics__error_count(d), 0);
	v = data_longs(obj, &n);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(v[0], 8);
	ck_assert_int_eq(v[1], 1);
	ck_assert_int_eq(v[2], 1);
	ck_assert_int_eq(v[3], 1);
	objfmt_object__free(obj);
	cc_diagnostics__free(d);
}
END_TEST

START_TEST(infers_auto_type_from_the_initializer)
{
	struct cc_diagnostics *d = NULL;
	struct objfmt_object *obj = compile(
		"int f(void)\n"
		"{\n"
		"\tint arr[4] = { 1 };\n"
		"\t__auto_type a = 1L;\n"
		"\t__auto_type b = (char)1;\n"
		"\t__auto_type p = &a;\n"
		"\t__auto_type q = arr;\n"             /* decays: int * */
		"\tconst __auto_type c = (unsigned short)3;\n"
		"\tstatic long v[] = { sizeof(a), sizeof(b), sizeof(*p), sizeof(q),\n"
		"\t\t__builtin_types_compatible_p(typeof(q), int *),\n"
		"\t\t__builtin_types_compatible_p(typeof(c), unsigned short) };\n"
		"\treturn a + b + *p + q[0] + c + v[0];\n"
		"}\n", &d);
	size_t n = 0;
	const int64_t *v;

	ck_assert_ptr_nonnull(obj);
	ck_assert_uint_eq(cc_diagnostics__error_count(d), 0);
	v = data_longs(obj, &n);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(n, 6);
	ck_assert_int_eq(v[0], 8);
	ck_assert_int_eq(v[1], 1);
	ck_assert_int_eq(v[2], 8);
	ck_assert_int_eq(v[3], 8);
	ck_assert_int_eq(v[4], 1);
	ck_assert_int_eq(v[5], 1);
	objfmt_object__free(obj);
	cc_diagnostics__free(d);
}
END_TEST

START_TEST(fills_designator_ranges)
{
	struct objfmt_object *obj = compile(
		"struct p { long x, y; };\n"
		"long a[6] = { [1 ... 3] = 7, 8, [0] = 1 };\n"
		"struct p b[3] = { [0 ... 1].y = 5, [2] = { 9 } };\n", NULL);
	size_t n = 0;
	const int64_t *v;
	static const int64_t expected[] = { 1, 7, 7, 7, 8, 0, 0, 5, 0, 5, 9, 0 };

	ck_assert_ptr_nonnull(obj);
	v = data_longs(obj, &n);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(n, 12);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(v[i], expected[i]);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(reports_a_missing_semicolon_in_clangs_words)
{
	struct cc_diagnostics *d = NULL;
	struct objfmt_object *obj = compile("int f(int a)\n{\n\tint b = a\n\treturn b;\n}\n", &d);

	ck_assert_ptr_null(obj);
	ck_assert_str_eq(first_error(d), "expected ';' at end of declaration");
	ck_assert_uint_eq(cc_diagnostics__get(d, 0)->line, 3);
	ck_assert_uint_eq(cc_diagnostics__get(d, 0)->column, 11);
	cc_diagnostics__free(d);
}
END_TEST

START_TEST(accepts_a_label_at_the_end_of_a_block)
{
	struct cc_diagnostics *d = NULL;
	struct objfmt_object *obj = compile(
		"int f(int x)\n"
		"{\n"
		"\tswitch (x) {\n"
		"\tcase 1:\n"
		"\t\tx = 3;\n"
		"\tdefault:\n"
		"\t}\n"
		"\tif (x > 2)\n"
		"\t\tgoto out;\n"
		"\tx++;\n"
		"out:\n"
		"}\n", &d);

	ck_assert_ptr_nonnull(obj);
	ck_assert_uint_eq(cc_diagnostics__error_count(d), 0);
	objfmt_object__free(obj);
	cc_diagnostics__free(d);
}
END_TEST

/* A source file with `text` in a fresh temporary directory; its path in `path`. */
static void write_source(char *path, size_t size, const char *name, const char *text)
{
	char dir[] = "/tmp/cc-front.XXXXXX";
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, size, "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void remove_source(const char *path)
{
	char dir[256];

	unlink(path);
	snprintf(dir, sizeof(dir), "%.*s", (int)(strrchr(path, '/') - path), path);
	rmdir(dir);
}

START_TEST(compiles_a_file_through_the_integrated_preprocessor)
{
	static const char *const args[] = { "-D", "GONE", "-D", "VALUE=7", "-U", "GONE" };
	static const char *const bad[] = { "-Q", "x" };
	struct cc_options opts = { .size = sizeof(opts), .optimize = 2 };
	struct objfmt_object *obj = NULL;
	struct cc_diagnostics *d = NULL;
	char path[256], *code_text;

	write_source(path, sizeof(path), "p.c", "#ifdef GONE\n#error gone\n#endif\n"
		     "int f(void) { return __bpf__ + VALUE; }\n");
	ck_assert_int_eq(cc_compile_file(path, args, 6, &opts, &obj, &d), 0);
	ck_assert_ptr_nonnull(obj);
	code_text = listing(obj, ".text");
	ck_assert_str_eq(code_text, "r0 = 8\nexit\n"); /* __bpf__ is 1 */
	free(code_text);
	objfmt_object__free(obj);
	cc_diagnostics__free(d);
	ck_assert_int_eq(cc_compile_file(path, bad, 2, &opts, &obj, &d), -EINVAL);
	ck_assert_ptr_null(obj);
	cc_diagnostics__free(d);
	remove_source(path);
}
END_TEST

START_TEST(reports_preprocessor_errors_as_diagnostics)
{
	struct cc_options opts = { .size = sizeof(opts), .optimize = 2 };
	struct objfmt_object *obj = NULL;
	struct cc_diagnostics *d = NULL;
	const struct cc_diagnostic *diag;
	char path[256];

	write_source(path, sizeof(path), "q.c", "int x;\n#include \"missing.h\"\n");
	ck_assert_int_eq(cc_compile_file(path, NULL, 0, &opts, &obj, &d), -EINVAL);
	ck_assert_ptr_null(obj);
	ck_assert_uint_eq(cc_diagnostics__error_count(d), 1);
	diag = cc_diagnostics__get(d, 0);
	ck_assert_str_eq(diag->message, "missing.h: No such file or directory");
	ck_assert_str_eq(diag->file, path);
	ck_assert_uint_eq(diag->line, 2);
	ck_assert_uint_eq(diag->column, 10);
	cc_diagnostics__free(d);
	remove_source(path);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("cc");
	TCase *front = tcase_create("front"), *regs = tcase_create("regalloc");

	tcase_add_test(front, folds_constant_expressions);
	tcase_add_test(front, lays_out_bitfields_like_clang);
	tcase_add_test(front, reports_undeclared_identifier_with_location);
	tcase_add_test(front, follows_line_markers);
	tcase_add_test(front, rejects_floating_point_by_name);
	tcase_add_test(front, assembles_inline_asm_operands);
	tcase_add_test(front, rejects_inline_asm_memory_constraint);
	tcase_add_test(front, accepts_empty_asm_barrier);
	tcase_add_test(front, rejects_unknown_option_tail);
	tcase_add_test(front, externs_become_undefined_symbols);
	tcase_add_test(front, keeps_typedefs_and_qualifiers_in_btf);
	tcase_add_test(front, pointee_records_of_members_become_fwd);
	tcase_add_test(front, folds_loads_of_constant_data);
	tcase_add_test(front, types_large_enumerators_as_unsigned);
	tcase_add_test(front, expands_memcmp_of_constant_size);
	tcase_add_test(front, records_func_and_line_info_with_debug_info);
	tcase_add_test(front, compare_and_swap_goes_through_r0);
	tcase_add_test(front, types_integer_constants_as_c_does);
	tcase_add_test(front, writes_designated_initializers_to_data);
	tcase_add_test(front, scales_pointer_arithmetic);
	tcase_add_test(front, reports_struct_by_value_parameter);
	tcase_add_test(front, reports_stack_over_512_bytes);
	tcase_add_test(front, names_static_locals_after_their_function);
	tcase_add_test(front, callback_address_relocates_to_its_code);
	tcase_add_test(front, typedef_names_are_shadowed_in_inner_scopes);
	tcase_add_test(front, reads_nested_declarators_of_function_pointers);
	tcase_add_test(front, reads_abstract_declarators_in_casts_and_sizeof);
	tcase_add_test(front, applies_attributes_in_every_position);
	tcase_add_test(front, types_statement_expressions_by_their_last_statement);
	tcase_add_test(front, infers_auto_type_from_the_initializer);
	tcase_add_test(front, fills_designator_ranges);
	tcase_add_test(front, reports_a_missing_semicolon_in_clangs_words);
	tcase_add_test(front, accepts_a_label_at_the_end_of_a_block);
	tcase_add_test(front, compiles_a_file_through_the_integrated_preprocessor);
	tcase_add_test(front, reports_preprocessor_errors_as_diagnostics);
	tcase_add_test(regs, helper_arguments_go_to_r1_r5);
	tcase_add_test(regs, keeps_values_live_across_calls);
	tcase_add_test(regs, signed_and_unsigned_compares_differ);
	tcase_add_test(regs, reuses_registers_after_live_ranges_end);
	tcase_add_test(regs, conditional_result_is_not_held_across_calls);
	tcase_add_test(regs, keeps_loop_carried_values_in_distinct_registers);
	suite_add_tcase(s, front);
	suite_add_tcase(s, regs);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
