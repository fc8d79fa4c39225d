/* test_asm_api.c - Check unit tests of libasm's public API (include/ebpf/asm.h): the
 * object it builds, diagnostics as structs and their formatting, options checking. */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <ebpf/asm.h>

static struct objfmt_section *section_named(struct objfmt_object *obj, const char *name)
{
	for (size_t i = 0; i < objfmt_object__section_count(obj); i++)
		if (!strcmp(objfmt_object__section(obj, i)->name, name))
			return objfmt_object__section(obj, i);
	return NULL;
}

static struct objfmt_object *assemble_ok(const char *text, enum asm_dialect dialect)
{
	struct asm_options opts = { .size = sizeof(opts), .dialect = dialect };
	struct objfmt_object *obj = NULL;
	struct asm_diagnostics *diags = NULL;
	int err = asm_assemble_buffer(text, strlen(text), "t.s", &opts, &obj, &diags);

	ck_assert_int_eq(err, 0);
	ck_assert_uint_eq(asm_diagnostics__count(diags), 0);
	asm_diagnostics__free(diags);
	return obj;
}

START_TEST(llvm_dialect_encodes_into_text)
{
	static const uint8_t expected[] = {
		0xb7, 0x01, 0x00, 0x00, 0x2a, 0x00, 0x00, 0x00, /* r1 = 42 */
		0x0c, 0x21, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* w1 += w2 */
		0x95, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* exit */
	};
	struct objfmt_object *obj = assemble_ok("r1 = 42\nw1 += w2\nexit\n", ASM_DIALECT_AUTO);
	struct objfmt_section *text = section_named(obj, ".text");

	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(text->size, sizeof(expected));
	ck_assert_mem_eq(text->data, expected, sizeof(expected));
	objfmt_object__free(obj);
}
END_TEST

START_TEST(mnemonic_dialect_is_detected_and_resolves_labels)
{
	static const uint8_t expected[] = {
		0x55, 0x01, 0x01, 0x00, 0x05, 0x00, 0x00, 0x00, /* jne %r1, 5, out (+1) */
		0xb7, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, /* mov %r0, 1 */
		0x95, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* out: exit */
	};
	struct objfmt_object *obj = assemble_ok("jne %r1, 5, out\nmov %r0, 1\nout:\nexit\n",
						ASM_DIALECT_AUTO);
	struct objfmt_section *text = section_named(obj, ".text");

	ck_assert_ptr_nonnull(text);
	ck_assert_mem_eq(text->data, expected, sizeof(expected));
	objfmt_object__free(obj);
}
END_TEST

START_TEST(dialect_detected_from_mnemonic_alone)
{
	/* no register, no '=': "ja" and "call local" are mnemonic-dialect words */
	static const uint8_t expected[] = {
		0x05, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, /* ja +1 */
		0x85, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* call local f (+0) */
		0x95, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* f: exit */
	};
	struct objfmt_object *obj = assemble_ok("ja f\ncall local f\nf:\nexit\n",
						ASM_DIALECT_AUTO);

	ck_assert_mem_eq(section_named(obj, ".text")->data, expected, sizeof(expected));
	objfmt_object__free(obj);
}
END_TEST

START_TEST(symbol_load_becomes_relocation)
{
	struct objfmt_object *obj = assemble_ok("r1 = my_map ll\nexit\n", ASM_DIALECT_LLVM);
	const struct objfmt_reloc *rel;

	ck_assert_uint_eq(objfmt_object__reloc_count(obj), 1);
	rel = objfmt_object__reloc(obj, 0);
	ck_assert_uint_eq(rel->offset, 0);
	ck_assert_int_eq(rel->type, OBJFMT_R_BPF_64_64);
	ck_assert_str_eq(objfmt_object__symbol(obj, rel->symbol)->name, "my_map");
	ck_assert_uint_eq(objfmt_object__symbol(obj, rel->symbol)->section, OBJFMT_SECTION_UNDEF);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(errors_are_structs_with_position)
{
	const char *text = "r0 = 1\n\tmovv r0, 1\n\tgoto nowhere\n";
	struct objfmt_object *obj = (void *)1;
	struct asm_diagnostics *diags = NULL;
	const struct asm_diagnostic *d;
	int err = asm_assemble_buffer(text, strlen(text), "bad.s", NULL, &obj, &diags);

	ck_assert_int_eq(err, -EINVAL);
	ck_assert_ptr_null(obj);
	ck_assert_uint_eq(asm_diagnostics__error_count(diags), 2);
	d = asm_diagnostics__get(diags, 0);
	ck_assert_str_eq(d->file, "bad.s");
	ck_assert_uint_eq(d->line, 2);
	ck_assert_uint_eq(d->column, 2);
	ck_assert_int_eq(d->severity, ASM_SEVERITY_ERROR);
	ck_assert_str_eq(d->source_line, "\tmovv r0, 1");
	d = asm_diagnostics__get(diags, 1);
	ck_assert_uint_eq(d->line, 3);
	ck_assert_uint_eq(d->column, 7);
	ck_assert_str_eq(d->message, "undefined label 'nowhere'");
	ck_assert_ptr_null(asm_diagnostics__get(diags, 2));
	asm_diagnostics__free(diags);
}
END_TEST

START_TEST(format_prints_line_and_caret)
{
	const char *text = "  mov %r0, 1\n  ldxw %r0, [%r1+99999]\n";
	struct objfmt_object *obj = NULL;
	struct asm_diagnostics *diags = NULL;
	char buf[512];

	ck_assert_int_eq(asm_assemble_buffer(text, strlen(text), "m.s", NULL, &obj, &diags),
			 -EINVAL);
	asm_diagnostic__format(asm_diagnostics__get(diags, 0), buf, sizeof(buf));
	ck_assert_str_eq(buf, "m.s:2:18: error: offset 99999 does not fit in 16 bits "
			      "(-32768 to 32767)\n  ldxw %r0, [%r1+99999]\n                 ^\n");
	asm_diagnostics__free(diags);
}
END_TEST

START_TEST(options_with_unknown_tail_are_rejected)
{
	struct {
		struct asm_options opts;
		int future;
	} big = { { .size = sizeof(big) }, 1 };
	struct objfmt_object *obj = NULL;

	ck_assert_int_eq(asm_assemble_buffer("exit\n", 5, "x.s", &big.opts, &obj, NULL), -EINVAL);
	big.future = 0;
	ck_assert_int_eq(asm_assemble_buffer("exit\n", 5, "x.s", &big.opts, &obj, NULL), 0);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(missing_file_reports_errno)
{
	struct objfmt_object *obj = NULL;
	struct asm_diagnostics *diags = NULL;

	ck_assert_int_eq(asm_assemble_file("/nonexistent/x.s", NULL, &obj, &diags), -ENOENT);
	ck_assert_uint_eq(asm_diagnostics__error_count(diags), 1);
	ck_assert_str_eq(asm_diagnostics__get(diags, 0)->message,
			 "cannot read: No such file or directory");
	asm_diagnostics__free(diags);
}
END_TEST

START_TEST(empty_input_gives_empty_object)
{
	struct objfmt_object *obj = assemble_ok("", ASM_DIALECT_AUTO);

	ck_assert_ptr_null(section_named(obj, ".text"));
	objfmt_object__free(obj);
}
END_TEST

START_TEST(snippet_becomes_instructions)
{
	/* bpf_tail_call_static's sequence after operand substitution, with a local label */
	const char *text = "r1 = r6\n\tr2 = r7\n\tr3 = 2\n\tcall 12\n"
			   "\tif r0 == 0 goto 1f\n\tr0 = 0x100000000 ll\n1:\n";
	struct objfmt_insn *insns = NULL;
	size_t count = 0;

	ck_assert_int_eq(asm_assemble_insns(text, strlen(text), "t.c", 40, NULL, &insns, &count,
					    NULL), 0);
	ck_assert_uint_eq(count, 7);
	ck_assert_uint_eq(insns[0].code, 0xbf);
	ck_assert_uint_eq(insns[0].dst_reg, 1);
	ck_assert_uint_eq(insns[0].src_reg, 6);
	ck_assert_uint_eq(insns[3].code, 0x85);
	ck_assert_int_eq(insns[3].imm, 12);
	ck_assert_uint_eq(insns[4].code, 0x15);
	ck_assert_int_eq(insns[4].off, 2);
	ck_assert_uint_eq(insns[5].code, 0x18);
	ck_assert_int_eq(insns[6].imm, 1);
	free(insns);
}
END_TEST

START_TEST(snippet_rejects_relocations_and_shifts_lines)
{
	const char *text = "r1 = 1\n\tr1 = my_map ll\n\tbogus\n";
	struct objfmt_insn *insns = NULL;
	struct asm_diagnostics *diags = NULL;
	size_t count = 0;

	ck_assert_int_eq(asm_assemble_insns(text, strlen(text), "t.c", 40, NULL, &insns, &count,
					    &diags), -EINVAL);
	ck_assert_ptr_null(insns);
	ck_assert_uint_eq(asm_diagnostics__get(diags, 0)->line, 42);
	asm_diagnostics__free(diags);
	text = "r1 = my_map ll\n";
	ck_assert_int_eq(asm_assemble_insns(text, strlen(text), "t.c", 1, NULL, &insns, &count,
					    &diags), -EINVAL);
	ck_assert_str_eq(asm_diagnostics__get(diags, 0)->message,
			 "inline assembly cannot refer to symbols outside it (needs a relocation)");
	asm_diagnostics__free(diags);
	ck_assert_int_eq(asm_assemble_insns("", 0, "t.c", 1, NULL, &insns, &count, NULL), 0);
	ck_assert_uint_eq(count, 0);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("asm");
	TCase *tc = tcase_create("api");
	SRunner *runner;
	int failed;

	tcase_add_test(tc, llvm_dialect_encodes_into_text);
	tcase_add_test(tc, mnemonic_dialect_is_detected_and_resolves_labels);
	tcase_add_test(tc, dialect_detected_from_mnemonic_alone);
	tcase_add_test(tc, symbol_load_becomes_relocation);
	tcase_add_test(tc, errors_are_structs_with_position);
	tcase_add_test(tc, format_prints_line_and_caret);
	tcase_add_test(tc, options_with_unknown_tail_are_rejected);
	tcase_add_test(tc, missing_file_reports_errno);
	tcase_add_test(tc, empty_input_gives_empty_object);
	tcase_add_test(tc, snippet_becomes_instructions);
	tcase_add_test(tc, snippet_rejects_relocations_and_shifts_lines);
	suite_add_tcase(suite, tc);
	runner = srunner_create(suite);
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
