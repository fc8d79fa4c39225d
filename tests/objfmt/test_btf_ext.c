/* test_btf_ext.c - Check suite for .BTF.ext: byte-identical round trips of clang's
 * func_info/line_info/CO-RE records, the record builder, one message per fault. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btf_test_util.h"
#include "ebpf/objfmt.h"

static struct objfmt_btf *load_btf(const char *name)
{
	size_t size;
	void *data = btf_test_read(name, &size);
	struct objfmt_btf *btf = objfmt_btf__decode(data, size, NULL);
	free(data);
	ck_assert_ptr_nonnull(btf);
	return btf;
}

static struct objfmt_btf_ext *load_ext(const char *name, const struct objfmt_btf *btf)
{
	size_t size;
	void *data = btf_test_read(name, &size);
	struct objfmt_diag diag = { 0 };
	struct objfmt_btf_ext *ext = objfmt_btf_ext__decode(data, size, btf, &diag);
	free(data);
	ck_assert_msg(ext != NULL, "%s: %s", diag.where, diag.message);
	return ext;
}

/* .BTF.ext and then .BTF re-encode to the bytes clang wrote. */
static void assert_round_trip(const char *stem)
{
	char btf_name[64], ext_name[64];
	snprintf(btf_name, sizeof(btf_name), "%s.btf", stem);
	snprintf(ext_name, sizeof(ext_name), "%s.btf.ext", stem);
	size_t btf_size, ext_size;
	void *btf_bytes = btf_test_read(btf_name, &btf_size);
	void *ext_bytes = btf_test_read(ext_name, &ext_size);
	struct objfmt_btf *btf = objfmt_btf__decode(btf_bytes, btf_size, NULL);
	struct objfmt_btf_ext *ext = objfmt_btf_ext__decode(ext_bytes, ext_size, btf, NULL);
	ck_assert_ptr_nonnull(ext);
	void *out;
	size_t out_size;
	ck_assert_int_eq(objfmt_btf_ext__encode(ext, btf, &out, &out_size), 0);
	ck_assert_uint_eq(out_size, ext_size);
	ck_assert_mem_eq(out, ext_bytes, ext_size);
	free(out);
	ck_assert_int_eq(objfmt_btf__encode(btf, &out, &out_size), 0);
	ck_assert_uint_eq(out_size, btf_size);
	ck_assert_mem_eq(out, btf_bytes, btf_size);
	free(out);
	objfmt_btf_ext__free(ext);
	objfmt_btf__free(btf);
	free(btf_bytes);
	free(ext_bytes);
}

START_TEST(round_trip_types_clang14)
{
	assert_round_trip("types-clang14");
}
END_TEST

START_TEST(round_trip_types_clang19)
{
	assert_round_trip("types-clang19");
}
END_TEST

START_TEST(round_trip_tags_clang14_with_core_relocations)
{
	assert_round_trip("tags-clang14");
}
END_TEST

START_TEST(round_trip_tags_clang19_with_core_relocations)
{
	assert_round_trip("tags-clang19");
}
END_TEST

START_TEST(decode_groups_records_per_section)
{
	struct objfmt_btf *btf = load_btf("tags-clang14.btf");
	struct objfmt_btf_ext *ext = load_ext("tags-clang14.btf.ext", btf);
	ck_assert_uint_eq(objfmt_btf_ext__section_count(ext), 2);
	ck_assert_str_eq(objfmt_btf_ext__section_name(ext, 0), ".text");
	ck_assert_str_eq(objfmt_btf_ext__section_name(ext, 1), "tc");
	ck_assert_ptr_null(objfmt_btf_ext__section_name(ext, 2));
	const struct objfmt_btf_ext_func *func = objfmt_btf_ext__func(ext, 1, 0);
	ck_assert_uint_eq(func->insn_off, 0);
	ck_assert_str_eq(objfmt_btf__type(btf, func->type_id)->name, "classify");
	ck_assert_uint_eq(objfmt_btf_ext__line_count(ext, 1), 16);
	const struct objfmt_btf_ext_line *line = objfmt_btf_ext__line(ext, 1, 15);
	ck_assert_uint_eq(line->insn_off, 184);
	ck_assert_uint_eq(line->line_num, 39);
	ck_assert_uint_eq(line->line_col, 2);
	ck_assert_str_eq(line->line, "\treturn tagged(p, 3) + sum(1) + linux_like_var + "
				     "bpf_nonexistent_kfunc(0);");
	const char *file = line->file;
	ck_assert_str_eq(file + strlen(file) - strlen("/tags.bpf.c"), "/tags.bpf.c");
	ck_assert_uint_eq(objfmt_btf_ext__core_count(ext, 0), 5);
	const struct objfmt_btf_ext_core *core = objfmt_btf_ext__core(ext, 0, 4);
	ck_assert_uint_eq(core->insn_off, 112);
	ck_assert_str_eq(core->access, "0:1:1"); /* packet.(anon union).ab */
	ck_assert_int_eq(core->kind, OBJFMT_CORE_FIELD_BYTE_SIZE);
	ck_assert_str_eq(objfmt_btf__type(btf, core->type_id)->name, "packet");
	ck_assert_ptr_null(objfmt_btf_ext__core(ext, 0, 5));
	objfmt_btf_ext__free(ext);
	objfmt_btf__free(btf);
}
END_TEST

/* Built records, encoded: header (32 bytes), then each subsection. */
START_TEST(builder_encodes_and_adds_strings)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	ck_assert_int_eq(objfmt_btf__add_string(btf, "prog"), 1);
	struct objfmt_btf_ext *ext = objfmt_btf_ext__new();
	struct objfmt_btf_ext_func func = { .insn_off = 0, .type_id = 3 };
	struct objfmt_btf_ext_line line = { .insn_off = 8, .file = "a.c", .line = "x = 1;",
					    .line_num = 7, .line_col = 5 };
	struct objfmt_btf_ext_core core = { .insn_off = 16, .type_id = 2, .access = "0:1",
					    .kind = OBJFMT_CORE_FIELD_EXISTS };
	ck_assert_int_eq(objfmt_btf_ext__add_func(ext, "xdp", &func), 0);
	ck_assert_int_eq(objfmt_btf_ext__add_line(ext, "xdp", &line), 0);
	ck_assert_int_eq(objfmt_btf_ext__add_core(ext, "xdp", &core), 0);
	void *out;
	size_t size;
	ck_assert_int_eq(objfmt_btf_ext__encode(ext, btf, &out, &size), 0);
	/* strings: "" prog, then first use: xdp (func_info), a.c, x = 1;, 0:1 */
	ck_assert_int_eq(objfmt_btf__string_offset(btf, "xdp"), 6);
	ck_assert_int_eq(objfmt_btf__string_offset(btf, "a.c"), 10);
	ck_assert_int_eq(objfmt_btf__string_offset(btf, "x = 1;"), 14);
	ck_assert_int_eq(objfmt_btf__string_offset(btf, "0:1"), 21);
	static const uint32_t expected[] = {
		0x0001eb9f, 32, 0, 20, 20, 28, 48, 28, /* header */
		8, 6, 1, 0, 3,                         /* func_info */
		16, 6, 1, 8, 10, 14, 7 << 10 | 5,      /* line_info */
		16, 6, 1, 16, 2, 21, 2,                /* core_relo */
	};
	ck_assert_uint_eq(size, sizeof(expected));
	ck_assert_mem_eq(out, expected, sizeof(expected)); /* host is little-endian */
	struct objfmt_btf_ext *copy = objfmt_btf_ext__decode(out, size, btf, NULL);
	ck_assert_ptr_nonnull(copy);
	ck_assert_str_eq(objfmt_btf_ext__line(copy, 0, 0)->line, "x = 1;");
	ck_assert_uint_eq(objfmt_btf_ext__line(copy, 0, 0)->line_num, 7);
	ck_assert_str_eq(objfmt_btf_ext__core(copy, 0, 0)->access, "0:1");
	free(out);
	objfmt_btf_ext__free(copy);
	objfmt_btf_ext__free(ext);
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(builder_keeps_per_kind_section_order)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	struct objfmt_btf_ext *ext = objfmt_btf_ext__new();
	struct objfmt_btf_ext_func func = { 0, 1 };
	struct objfmt_btf_ext_line line = { 0, "f.c", "l", 1, 1 };
	ck_assert_int_eq(objfmt_btf_ext__add_line(ext, "b", &line), 0);
	ck_assert_int_eq(objfmt_btf_ext__add_func(ext, "a", &func), 0);
	ck_assert_int_eq(objfmt_btf_ext__add_func(ext, "b", &func), 0);
	ck_assert_int_eq(objfmt_btf_ext__add_line(ext, "a", &line), 0);
	ck_assert_uint_eq(objfmt_btf_ext__section_count(ext), 2);
	void *out;
	size_t size;
	ck_assert_int_eq(objfmt_btf_ext__encode(ext, btf, &out, &size), 0);
	const uint32_t *words = out;
	int64_t a = objfmt_btf__string_offset(btf, "a"), b = objfmt_btf__string_offset(btf, "b");
	ck_assert_uint_eq(words[8 + 1], a); /* func_info: a first */
	ck_assert_uint_eq(words[8 + 1 + 4], b);
	uint32_t line_start = 8 + words[4] / 4;
	ck_assert_uint_eq(words[line_start + 1], b); /* line_info: b first */
	ck_assert_uint_eq(words[line_start + 1 + 6], a);
	free(out);
	objfmt_btf_ext__free(ext);
	objfmt_btf__free(btf);
}
END_TEST

/* A 24-byte header (no CO-RE fields) stays 24 bytes. */
START_TEST(short_header_round_trips)
{
	static const uint32_t bytes[] = {
		0x0001eb9f, 24, 0, 20, 20, 0, /* header without core_relo fields */
		8, 1, 1, 0, 1,                /* func_info: section "a", one record */
	};
	struct objfmt_btf *btf = objfmt_btf__new();
	objfmt_btf__add_string(btf, "a");
	struct objfmt_btf_ext *ext = objfmt_btf_ext__decode(bytes, sizeof(bytes), btf, NULL);
	ck_assert_ptr_nonnull(ext);
	void *out;
	size_t size;
	ck_assert_int_eq(objfmt_btf_ext__encode(ext, btf, &out, &size), 0);
	ck_assert_uint_eq(size, sizeof(bytes));
	ck_assert_mem_eq(out, bytes, sizeof(bytes));
	free(out);
	objfmt_btf_ext__free(ext);
	objfmt_btf__free(btf);
}
END_TEST

static const uint32_t small_ext[] = {
	0x0001eb9f, 32, 0, 20, 20, 0, 20, 0, /* header: func_info only */
	8, 1, 1, 0, 1,                       /* section "a": one record */
};

static void assert_ext_fault(size_t word, uint32_t value, size_t size, const char *where,
			     const char *message)
{
	uint32_t data[sizeof(small_ext) / 4];
	memcpy(data, small_ext, sizeof(small_ext));
	if (word < sizeof(small_ext) / 4)
		data[word] = value;
	struct objfmt_btf *btf = objfmt_btf__new();
	ck_assert_int_eq(objfmt_btf__add_string(btf, "a"), 1);
	struct objfmt_diag diag = { 0 };
	errno = 0;
	ck_assert_ptr_null(objfmt_btf_ext__decode(data, size, btf, &diag));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_str_eq(diag.where, where);
	ck_assert_str_eq(diag.message, message);
	objfmt_btf__free(btf);
}

START_TEST(decode_accepts_the_small_fixture)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	objfmt_btf__add_string(btf, "a");
	struct objfmt_btf_ext *ext = objfmt_btf_ext__decode(small_ext, sizeof(small_ext), btf,
							     NULL);
	ck_assert_ptr_nonnull(ext);
	ck_assert_uint_eq(objfmt_btf_ext__func(ext, 0, 0)->type_id, 1);
	objfmt_btf_ext__free(ext);
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(decode_rejects_bad_header)
{
	assert_ext_fault(0, 0x0001ebff, sizeof(small_ext), "BTF.ext header",
			 "invalid magic 0xebff, expected 0xeb9f");
	assert_ext_fault(1, 16, sizeof(small_ext), "BTF.ext header",
			 "header length 16 invalid (need 24..52)");
	assert_ext_fault(99, 0, 6, "BTF.ext header", "truncated: 6 bytes, need at least 8");
}
END_TEST

START_TEST(decode_rejects_subsection_past_end)
{
	assert_ext_fault(3, 40, sizeof(small_ext), "BTF.ext header",
			 "func_info at offset 0 length 40 past the end (20 bytes of data)");
}
END_TEST

START_TEST(decode_rejects_wrong_record_size)
{
	assert_ext_fault(8, 12, sizeof(small_ext), "BTF.ext",
			 "func_info: record size 12, expected 8");
}
END_TEST

START_TEST(decode_rejects_empty_and_overlong_blocks)
{
	assert_ext_fault(10, 0, sizeof(small_ext), "BTF.ext",
			 "func_info: section 'a' has no records");
	assert_ext_fault(10, 0x20000000, sizeof(small_ext), "BTF.ext",
			 "func_info: section 'a' claims 536870912 records, only 8 bytes left");
}
END_TEST

START_TEST(decode_rejects_bad_string_offset)
{
	assert_ext_fault(9, 77, sizeof(small_ext), "BTF.ext",
			 "func_info: section name offset 77 out of range (string section is 3 "
			 "bytes)");
}
END_TEST

Suite *btf_ext_suite(void)
{
	Suite *s = suite_create("btf_ext");
	TCase *tc = tcase_create("ext");
	tcase_add_test(tc, round_trip_types_clang14);
	tcase_add_test(tc, round_trip_types_clang19);
	tcase_add_test(tc, round_trip_tags_clang14_with_core_relocations);
	tcase_add_test(tc, round_trip_tags_clang19_with_core_relocations);
	tcase_add_test(tc, decode_groups_records_per_section);
	tcase_add_test(tc, builder_encodes_and_adds_strings);
	tcase_add_test(tc, builder_keeps_per_kind_section_order);
	tcase_add_test(tc, decode_accepts_the_small_fixture);
	tcase_add_test(tc, short_header_round_trips);
	tcase_add_test(tc, decode_rejects_bad_header);
	tcase_add_test(tc, decode_rejects_subsection_past_end);
	tcase_add_test(tc, decode_rejects_wrong_record_size);
	tcase_add_test(tc, decode_rejects_empty_and_overlong_blocks);
	tcase_add_test(tc, decode_rejects_bad_string_offset);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(btf_ext_suite());
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
