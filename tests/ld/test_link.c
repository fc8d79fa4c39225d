/* test_link.c - Check tests of the static linker (libebpflink) on objects built in the
 * test with the objfmt builder: section placement, addend shifts of section-symbol
 * relocations, symbol resolution rules, BTF merging, and one exact message per kind of
 * bad input. */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "ebpf/link.h"

#define CODE (OBJFMT_SHF_ALLOC | OBJFMT_SHF_EXECINSTR)
#define DATA (OBJFMT_SHF_ALLOC | OBJFMT_SHF_WRITE)

static const struct objfmt_insn exit_insn = { .code = 0x95 };
static const struct objfmt_insn call_local = { .code = 0x85, .src_reg = 1, .imm = -1 };

static size_t section_add(struct objfmt_object *obj, const char *name, uint64_t flags,
			  uint64_t align, const void *data, uint64_t size)
{
	int index = objfmt_object__add_section(obj, name, OBJFMT_SEC_PROGBITS, flags, align);

	ck_assert_int_ge(index, 0);
	ck_assert_int_ge(objfmt_object__append(obj, (size_t)index, data, size), 0);
	return (size_t)index;
}

static size_t symbol_add(struct objfmt_object *obj, const char *name,
			 enum objfmt_sym_bind bind, enum objfmt_sym_type type, size_t section,
			 uint64_t value, uint64_t size)
{
	struct objfmt_symbol sym = { .name = name, .bind = bind, .type = type,
				     .section = section, .value = value, .size = size };
	int index = objfmt_object__add_symbol(obj, &sym);

	ck_assert_int_ge(index, 0);
	return (size_t)index;
}

static void reloc_add(struct objfmt_object *obj, size_t section, uint64_t offset,
		      enum objfmt_reloc_type type, size_t symbol)
{
	struct objfmt_reloc rel = { .section = section, .offset = offset, .type = type,
				    .symbol = symbol };

	ck_assert_int_ge(objfmt_object__add_reloc(obj, &rel), 0);
}

/* An object with one XDP program `name` (2 insns) and `data_size` bytes of .data at
 * alignment `align`, holding global variable `var` (when non-NULL). */
static struct objfmt_object *program_object(const char *name, uint64_t data_size,
					    uint64_t align, const char *var,
					    enum objfmt_sym_bind var_bind)
{
	struct objfmt_object *obj = objfmt_object__new();
	struct objfmt_insn code[2] = { { .code = 0xb7 }, exit_insn };
	uint8_t bytes[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	size_t xdp = section_add(obj, "xdp", CODE, 8, code, sizeof(code));

	symbol_add(obj, name, OBJFMT_BIND_GLOBAL, OBJFMT_SYM_FUNC, xdp, 0, sizeof(code));
	if (data_size) {
		size_t data = section_add(obj, ".data", DATA, align, bytes, data_size);

		if (var)
			symbol_add(obj, var, var_bind, OBJFMT_SYM_OBJECT, data, 0, data_size);
	}
	return obj;
}

static struct ld_linker *linker_with(struct objfmt_object *a, const char *a_name,
				     struct objfmt_object *b, const char *b_name)
{
	struct ld_linker *linker = ld_linker__new();
	struct ld_diag diag = { { 0 } };

	ck_assert_ptr_nonnull(linker);
	ck_assert_msg(ld_linker__add_object(linker, a, a_name, &diag) == 0, "%s", diag.message);
	ck_assert_msg(ld_linker__add_object(linker, b, b_name, &diag) == 0, "%s", diag.message);
	objfmt_object__free(a);
	objfmt_object__free(b);
	return linker;
}

static struct objfmt_object *link_two(struct objfmt_object *a, struct objfmt_object *b)
{
	struct ld_linker *linker = linker_with(a, "a.o", b, "b.o");
	struct ld_diag diag = { { 0 } };
	struct objfmt_object *out = ld_linker__finish(linker, &diag);

	ck_assert_msg(out != NULL, "%s", diag.message);
	ld_linker__free(linker);
	return out;
}

/* Link two objects expecting the add of the second (or finish) to fail with `message`. */
static void link_fails(struct objfmt_object *a, struct objfmt_object *b, const char *message)
{
	struct ld_linker *linker = ld_linker__new();
	struct ld_diag diag = { { 0 } };
	int err = ld_linker__add_object(linker, a, "a.o", &diag);

	err = err ?: ld_linker__add_object(linker, b, "b.o", &diag);
	if (!err) {
		struct objfmt_object *out = ld_linker__finish(linker, &diag);

		ck_assert_ptr_null(out);
		err = -errno;
	}
	ck_assert_int_eq(err, -EINVAL);
	ck_assert_str_eq(diag.message, message);
	ld_linker__free(linker);
	objfmt_object__free(a);
	objfmt_object__free(b);
}

static const struct objfmt_symbol *symbol_named(const struct objfmt_object *obj,
						const char *name)
{
	int index = objfmt_object__find_symbol(obj, name);

	ck_assert_msg(index >= 0, "no symbol %s", name);
	return objfmt_object__symbol(obj, (size_t)index);
}

static const struct objfmt_section *section_named(const struct objfmt_object *obj,
						  const char *name)
{
	int index = objfmt_object__find_section(obj, name);

	ck_assert_msg(index >= 0, "no section %s", name);
	return objfmt_object__section(obj, (size_t)index);
}

START_TEST(test_sections_concatenated_at_alignment)
{
	struct objfmt_object *out = link_two(program_object("p1", 4, 4, "v1", OBJFMT_BIND_GLOBAL),
					     program_object("p2", 8, 8, "v2", OBJFMT_BIND_GLOBAL));
	const struct objfmt_section *data = section_named(out, ".data");
	static const uint8_t expected[16] = { 1, 2, 3, 4, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8 };

	ck_assert_uint_eq(section_named(out, "xdp")->size, 32);
	ck_assert_uint_eq(data->size, 16);
	ck_assert_uint_eq(data->align, 8);
	ck_assert_mem_eq(data->data, expected, 16);
	ck_assert_uint_eq(symbol_named(out, "p2")->value, 16);
	ck_assert_uint_eq(symbol_named(out, "v2")->value, 8);
	objfmt_object__free(out);
}
END_TEST

/* b.o loads .data+4 through its section symbol and calls a static function through
 * .text's: both addends live in the instruction and must grow by the shift. */
START_TEST(test_section_symbol_addends_shifted)
{
	struct objfmt_object *a = program_object("p1", 12, 4, "v1", OBJFMT_BIND_GLOBAL);
	struct objfmt_object *b = program_object("p2", 0, 1, NULL, OBJFMT_BIND_GLOBAL);
	struct objfmt_insn code[4] = { { .code = 0x18, .dst_reg = 1, .imm = 4 }, { 0 },
				       call_local, exit_insn };
	struct objfmt_insn helper[2] = { { .code = 0xb7 }, exit_insn };
	uint8_t bytes[8] = { 0 };
	struct objfmt_object *out;
	const struct objfmt_insn *insns;
	size_t xdp2, text_a, text_b, data, data_sym, text_sym;
	int index;

	text_a = section_add(a, ".text", CODE, 8, helper, sizeof(helper));
	symbol_add(a, "h_a", OBJFMT_BIND_LOCAL, OBJFMT_SYM_FUNC, text_a, 0, sizeof(helper));
	xdp2 = section_add(b, "xdp2", CODE, 8, code, sizeof(code));
	symbol_add(b, "q", OBJFMT_BIND_GLOBAL, OBJFMT_SYM_FUNC, xdp2, 0, sizeof(code));
	data = section_add(b, ".data", DATA, 4, bytes, 8);
	text_b = section_add(b, ".text", CODE, 8, helper, sizeof(helper));
	data_sym = symbol_add(b, "", OBJFMT_BIND_LOCAL, OBJFMT_SYM_SECTION, data, 0, 0);
	text_sym = symbol_add(b, "", OBJFMT_BIND_LOCAL, OBJFMT_SYM_SECTION, text_b, 0, 0);
	reloc_add(b, xdp2, 0, OBJFMT_R_BPF_64_64, data_sym);
	reloc_add(b, xdp2, 16, OBJFMT_R_BPF_64_32, text_sym);
	out = link_two(a, b);
	index = objfmt_object__find_section(out, "xdp2");
	ck_assert_int_ge(index, 0);
	insns = (const struct objfmt_insn *)objfmt_object__section(out, (size_t)index)->data;
	ck_assert_int_eq(insns[0].imm, 12 + 4); /* a.o's 12 bytes of .data come first */
	ck_assert_int_eq(insns[2].imm, -1 + 2); /* a.o's .text is 2 insns long */
	objfmt_object__free(out);
}
END_TEST

START_TEST(test_strong_definition_beats_weak)
{
	struct objfmt_object *out = link_two(program_object("p1", 4, 4, "v", OBJFMT_BIND_WEAK),
					     program_object("p2", 4, 4, "v", OBJFMT_BIND_GLOBAL));
	const struct objfmt_symbol *v = symbol_named(out, "v");

	ck_assert_int_eq(v->bind, OBJFMT_BIND_GLOBAL);
	ck_assert_uint_eq(v->value, 4);
	objfmt_object__free(out);
}
END_TEST

START_TEST(test_first_weak_definition_stays)
{
	struct objfmt_object *out = link_two(program_object("p1", 4, 4, "v", OBJFMT_BIND_WEAK),
					     program_object("p2", 4, 4, "v", OBJFMT_BIND_WEAK));
	const struct objfmt_symbol *v = symbol_named(out, "v");

	ck_assert_int_eq(v->bind, OBJFMT_BIND_WEAK);
	ck_assert_uint_eq(v->value, 0);
	objfmt_object__free(out);
}
END_TEST

START_TEST(test_two_strong_definitions_refused)
{
	link_fails(program_object("p1", 4, 4, "v", OBJFMT_BIND_GLOBAL),
		   program_object("p2", 4, 4, "v", OBJFMT_BIND_GLOBAL),
		   "symbol 'v' is defined in both a.o and b.o");
}
END_TEST

START_TEST(test_extern_binds_to_definition_and_hidden_spreads)
{
	struct objfmt_object *a = program_object("p1", 0, 1, NULL, OBJFMT_BIND_GLOBAL);
	struct objfmt_object *b = program_object("p2", 0, 1, NULL, OBJFMT_BIND_GLOBAL);
	struct objfmt_insn helper[2] = { { .code = 0xb7 }, exit_insn };
	struct objfmt_insn caller[2] = { call_local, exit_insn };
	struct objfmt_symbol hidden_extern = { .name = "f", .bind = OBJFMT_BIND_GLOBAL,
					       .vis = OBJFMT_VIS_HIDDEN,
					       .section = OBJFMT_SECTION_UNDEF };
	size_t calls = section_add(a, "tc", CODE, 8, caller, sizeof(caller));
	size_t text = section_add(b, ".text", CODE, 8, helper, sizeof(helper));
	int f = objfmt_object__add_symbol(a, &hidden_extern);
	struct objfmt_object *out;
	const struct objfmt_symbol *sym;

	ck_assert_int_ge(f, 0);
	symbol_add(a, "c", OBJFMT_BIND_GLOBAL, OBJFMT_SYM_FUNC, calls, 0, sizeof(caller));
	reloc_add(a, calls, 0, OBJFMT_R_BPF_64_32, (size_t)f);
	symbol_add(b, "f", OBJFMT_BIND_GLOBAL, OBJFMT_SYM_FUNC, text, 0, sizeof(helper));
	out = link_two(a, b);
	sym = symbol_named(out, "f");
	ck_assert_uint_eq(sym->section, (size_t)objfmt_object__find_section(out, ".text"));
	ck_assert_int_eq(sym->type, OBJFMT_SYM_FUNC);
	ck_assert_int_eq(sym->vis, OBJFMT_VIS_HIDDEN);
	ck_assert_uint_eq(objfmt_object__reloc_count(out), 1);
	ck_assert_uint_eq(objfmt_object__reloc(out, 0)->symbol,
			  (size_t)objfmt_object__find_symbol(out, "f"));
	objfmt_object__free(out);
}
END_TEST

START_TEST(test_unresolved_extern_refused)
{
	struct objfmt_object *a = program_object("p1", 0, 1, NULL, OBJFMT_BIND_GLOBAL);
	struct objfmt_object *b = program_object("p2", 0, 1, NULL, OBJFMT_BIND_GLOBAL);

	symbol_add(b, "nowhere", OBJFMT_BIND_GLOBAL, OBJFMT_SYM_NOTYPE, OBJFMT_SECTION_UNDEF,
		   0, 0);
	link_fails(a, b, "unresolved symbol 'nowhere' (referenced by b.o): no object "
		   "defines it");
}
END_TEST

START_TEST(test_function_and_object_of_one_name_refused)
{
	struct objfmt_object *a = program_object("p1", 4, 4, "x", OBJFMT_BIND_WEAK);

	link_fails(a, program_object("x", 0, 1, NULL, OBJFMT_BIND_GLOBAL),
		   "symbol 'x' is an object in a.o but a function in b.o");
}
END_TEST

START_TEST(test_code_and_data_of_one_name_refused)
{
	struct objfmt_object *a = program_object("p1", 4, 4, "v1", OBJFMT_BIND_GLOBAL);
	struct objfmt_object *b = program_object("p2", 0, 1, NULL, OBJFMT_BIND_GLOBAL);
	uint8_t bytes[4] = { 0 };

	section_add(b, ".data", CODE, 8, bytes, 0);
	symbol_add(b, "mislabelled", OBJFMT_BIND_GLOBAL, OBJFMT_SYM_FUNC, 1, 0, 0);
	link_fails(a, b, "b.o: section '.data': is code here but data in the objects before");
}
END_TEST

START_TEST(test_license_kept_once_and_checked)
{
	struct objfmt_object *a = program_object("p1", 0, 1, NULL, OBJFMT_BIND_GLOBAL);
	struct objfmt_object *b = program_object("p2", 0, 1, NULL, OBJFMT_BIND_GLOBAL);
	struct objfmt_object *out;

	section_add(a, "license", DATA, 1, "GPL", 4);
	section_add(b, "license", DATA, 1, "GPL", 4);
	out = link_two(a, b);
	ck_assert_uint_eq(section_named(out, "license")->size, 4);
	objfmt_object__free(out);

	a = program_object("p1", 0, 1, NULL, OBJFMT_BIND_GLOBAL);
	b = program_object("p2", 0, 1, NULL, OBJFMT_BIND_GLOBAL);
	section_add(a, "license", DATA, 1, "GPL", 4);
	section_add(b, "license", DATA, 1, "MIT", 4);
	link_fails(a, b, "license mismatch: a.o has 'GPL' but b.o has 'MIT'");
}
END_TEST

/* BTF: a FUNC extern in a.o and defined in b.o ends up once, global, with the
 * definition's prototype; the identical `int` collapses; a FWD meets its struct. */
START_TEST(test_btf_merged_and_deduplicated)
{
	struct objfmt_object *a = program_object("p1", 0, 1, NULL, OBJFMT_BIND_GLOBAL);
	struct objfmt_object *b = program_object("p2", 0, 1, NULL, OBJFMT_BIND_GLOBAL);
	struct objfmt_btf *btf_a = objfmt_btf__new(), *btf_b = objfmt_btf__new();
	struct objfmt_btf_type proto = { .kind = OBJFMT_BTF_FUNC_PROTO, .name = "" };
	struct objfmt_btf_type func = { .kind = OBJFMT_BTF_FUNC, .name = "p1",
					.linkage = OBJFMT_BTF_FUNC_GLOBAL };
	struct objfmt_btf_type fwd = { .kind = OBJFMT_BTF_FWD, .name = "s" };
	struct objfmt_btf_type st = { .kind = OBJFMT_BTF_STRUCT, .name = "s", .size = 4 };
	struct objfmt_btf_member member = { .name = "m", .type = 1 };
	struct objfmt_object *out;
	const struct objfmt_btf *btf;
	int id;

	objfmt_btf__add_int(btf_a, "int", 4, OBJFMT_BTF_INT_SIGNED);
	proto.type = 1;
	objfmt_btf__add(btf_a, &proto);                /* [2] int (void) */
	func.type = 2;
	objfmt_btf__add(btf_a, &func);                 /* [3] p1, defined here */
	objfmt_btf__add(btf_a, &fwd);                  /* [4] struct s; */
	objfmt_btf__add_ptr(btf_a, 4);                 /* [5] struct s * */
	objfmt_object__set_btf(a, btf_a);
	objfmt_btf__add_int(btf_b, "int", 4, OBJFMT_BTF_INT_SIGNED);
	objfmt_btf__add(btf_b, &proto);
	func.linkage = OBJFMT_BTF_FUNC_EXTERN;
	objfmt_btf__add(btf_b, &func);                 /* [3] p1, extern here */
	id = objfmt_btf__add(btf_b, &st);              /* [4] struct s { int m; } */
	objfmt_btf__add_member(btf_b, (uint32_t)id, &member);
	objfmt_btf__add_ptr(btf_b, 4);                 /* [5] struct s * */
	objfmt_object__set_btf(b, btf_b);
	out = link_two(a, b);
	btf = objfmt_object__btf(out);
	ck_assert_ptr_nonnull(btf);
	ck_assert_uint_eq(objfmt_btf__type_count(btf), 5);
	id = objfmt_btf__find(btf, OBJFMT_BTF_FUNC, "p1");
	ck_assert_int_gt(id, 0);
	ck_assert_uint_eq(objfmt_btf__type(btf, (uint32_t)id)->linkage, OBJFMT_BTF_FUNC_GLOBAL);
	ck_assert_int_eq(objfmt_btf__find(btf, OBJFMT_BTF_FWD, "s"), -ENOENT);
	ck_assert_int_gt(objfmt_btf__find(btf, OBJFMT_BTF_STRUCT, "s"), 0);
	objfmt_object__free(out);
}
END_TEST

START_TEST(test_btf_type_mismatch_refused)
{
	struct objfmt_object *a = program_object("p1", 4, 4, "v", OBJFMT_BIND_GLOBAL);
	struct objfmt_object *b = program_object("p2", 0, 1, NULL, OBJFMT_BIND_GLOBAL);
	struct objfmt_btf *btf_a = objfmt_btf__new(), *btf_b = objfmt_btf__new();

	objfmt_btf__add_int(btf_a, "int", 4, OBJFMT_BTF_INT_SIGNED);
	objfmt_btf__add_var(btf_a, "v", 1, OBJFMT_BTF_VAR_GLOBAL);
	objfmt_object__set_btf(a, btf_a);
	symbol_add(b, "v", OBJFMT_BIND_GLOBAL, OBJFMT_SYM_NOTYPE, OBJFMT_SECTION_UNDEF, 0, 0);
	objfmt_btf__add_int(btf_b, "unsigned int", 4, 0);
	objfmt_btf__add_var(btf_b, "v", 1, OBJFMT_BTF_VAR_EXTERN);
	objfmt_object__set_btf(b, btf_b);
	link_fails(a, b, "symbol 'v': BTF type differs: int 'int' of 4 bytes in a.o, "
		   "int 'unsigned int' of 4 bytes in b.o");
}
END_TEST

START_TEST(test_finish_twice_refused)
{
	struct ld_linker *linker = linker_with(program_object("p1", 0, 1, NULL, OBJFMT_BIND_GLOBAL),
					       "a.o", program_object("p2", 0, 1, NULL,
								    OBJFMT_BIND_GLOBAL), "b.o");
	struct ld_diag diag = { { 0 } };
	struct objfmt_object *out = ld_linker__finish(linker, &diag);

	ck_assert_ptr_nonnull(out);
	ck_assert_ptr_null(ld_linker__finish(linker, &diag));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_str_eq(diag.message, "the linker was already finished or stopped by an error");
	objfmt_object__free(out);
	ld_linker__free(linker);
	ld_linker__free(NULL);
}
END_TEST

static Suite *link_suite(void)
{
	Suite *suite = suite_create("link");
	TCase *layout = tcase_create("layout");
	TCase *symbols = tcase_create("symbols");
	TCase *btf = tcase_create("btf");

	tcase_add_test(layout, test_sections_concatenated_at_alignment);
	tcase_add_test(layout, test_section_symbol_addends_shifted);
	tcase_add_test(layout, test_code_and_data_of_one_name_refused);
	tcase_add_test(layout, test_license_kept_once_and_checked);
	tcase_add_test(symbols, test_strong_definition_beats_weak);
	tcase_add_test(symbols, test_first_weak_definition_stays);
	tcase_add_test(symbols, test_two_strong_definitions_refused);
	tcase_add_test(symbols, test_extern_binds_to_definition_and_hidden_spreads);
	tcase_add_test(symbols, test_unresolved_extern_refused);
	tcase_add_test(symbols, test_function_and_object_of_one_name_refused);
	tcase_add_test(symbols, test_finish_twice_refused);
	tcase_add_test(btf, test_btf_merged_and_deduplicated);
	tcase_add_test(btf, test_btf_type_mismatch_refused);
	suite_add_tcase(suite, layout);
	suite_add_tcase(suite, symbols);
	suite_add_tcase(suite, btf);
	return suite;
}

int main(void)
{
	SRunner *runner = srunner_create(link_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
