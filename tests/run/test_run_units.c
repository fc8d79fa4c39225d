/* test_run_units.c - Check tests of ebpf-run's pieces: hex input parsing, --maps-in
 * value specs, the unified diff of --expect, BTF pretty-printing and return-value
 * names; each asserts exact bytes or text. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "run_int.h"

START_TEST(hex_accepts_separators_and_prefix)
{
	uint8_t *bytes;
	size_t size;
	char err[200];

	ck_assert_int_eq(input_parse_hex("0x0a0B:ff-00 11", &bytes, &size, err, sizeof(err)), 0);
	ck_assert_uint_eq(size, 5);
	ck_assert_mem_eq(bytes, "\x0a\x0b\xff\x00\x11", 5);
	free(bytes);
}
END_TEST

START_TEST(hex_rejects_odd_digits_with_offset)
{
	uint8_t *bytes = NULL;
	size_t size;
	char err[200];

	ck_assert_int_eq(input_parse_hex("0a0", &bytes, &size, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "bad hex at offset 2: expected two hex digits, got '0'");
	ck_assert_int_eq(input_parse_hex("zz", &bytes, &size, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "bad hex at offset 0: expected two hex digits, got 'zz'");
}
END_TEST

START_TEST(maps_in_pieces_concatenate)
{
	uint8_t *bytes;
	size_t size;
	char err[200];

	ck_assert_int_eq(maps_in_parse_value("u32:24,ip:10.1.2.0,be16:80,u8:255,0a0b", NULL, &bytes,
					     &size, err, sizeof(err)), 0);
	ck_assert_uint_eq(size, 4 + 4 + 2 + 1 + 2);
	ck_assert_mem_eq(bytes, "\x18\0\0\0\x0a\x01\x02\x00\x00\x50\xff\x0a\x0b", 13);
	free(bytes);
	ck_assert_int_eq(maps_in_parse_value("s32:-2", NULL, &bytes, &size, err, sizeof(err)), 0);
	ck_assert_mem_eq(bytes, "\xfe\xff\xff\xff", 4);
	free(bytes);
}
END_TEST

START_TEST(maps_in_rejects_overflow_and_bad_address)
{
	uint8_t *bytes;
	size_t size;
	char err[200];

	ck_assert_int_eq(maps_in_parse_value("u8:256", NULL, &bytes, &size, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "'u8:256': not a number that fits 1 bytes");
	ck_assert_int_eq(maps_in_parse_value("ip:10.0.0", NULL, &bytes, &size, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "'ip:10.0.0': not an IPv4 address");
	ck_assert_int_eq(maps_in_parse_value("prog:missing", NULL, &bytes, &size, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "'prog:missing': no loaded program of that name");
}
END_TEST

static char *diff_text(const char *a, const char *b, int *different)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	*different = diff_unified(a, b, "golden", "actual", out);
	fclose(out);
	return text;
}

START_TEST(diff_equal_texts_print_nothing)
{
	int different;
	char *text = diff_text("a\nb\n", "a\nb\n", &different);

	ck_assert_int_eq(different, 0);
	ck_assert_str_eq(text, "");
	free(text);
}
END_TEST

START_TEST(diff_is_unified_with_context)
{
	int different;
	char *text = diff_text("1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n",
			       &different);

	ck_assert_int_eq(different, 1);
	ck_assert_str_eq(text, "--- golden\n+++ actual\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n"
			       " 6\n 7\n 8\n");
	free(text);
}
END_TEST

START_TEST(diff_separates_distant_hunks)
{
	int different;
	char *text = diff_text("a\n1\n2\n3\n4\n5\n6\n7\n8\nz\n", "A\n1\n2\n3\n4\n5\n6\n7\n8\nZ\n",
			       &different);

	ck_assert_str_eq(text, "--- golden\n+++ actual\n@@ -1,4 +1,4 @@\n-a\n+A\n 1\n 2\n 3\n"
			       "@@ -7,4 +7,4 @@\n 6\n 7\n 8\n-z\n+Z\n");
	free(text);
}
END_TEST

/* BTF of: typedef u32 __be32; struct flow { __be32 saddr; u32 packets; char tag[4];
 * enum color c; } with enum color { RED = 1, BLUE = 2 }. */
static struct objfmt_btf *flow_btf(uint32_t *flow_id)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	int u32 = objfmt_btf__add_int(btf, "unsigned int", 4, 0);
	int be32 = objfmt_btf__add_typedef(btf, "__be32", (uint32_t)u32);
	int chr = objfmt_btf__add_int(btf, "char", 1, OBJFMT_BTF_INT_SIGNED);
	int idx = objfmt_btf__add_int(btf, "__ARRAY_SIZE_TYPE__", 4, 0);
	int tag = objfmt_btf__add_array(btf, (uint32_t)chr, (uint32_t)idx, 4);
	struct objfmt_btf_type color = { .kind = OBJFMT_BTF_ENUM, .name = "color", .size = 4 };
	int color_id = objfmt_btf__add(btf, &color);
	struct objfmt_btf_member red = { .name = "RED", .value = 1 }, blue = { .name = "BLUE", .value = 2 };
	struct objfmt_btf_type flow = { .kind = OBJFMT_BTF_STRUCT, .name = "flow", .size = 16 };
	int id = objfmt_btf__add(btf, &flow);
	struct objfmt_btf_member members[] = {
		{ .name = "saddr", .type = (uint32_t)be32, .bit_offset = 0 },
		{ .name = "packets", .type = (uint32_t)u32, .bit_offset = 32 },
		{ .name = "tag", .type = (uint32_t)tag, .bit_offset = 64 },
		{ .name = "c", .type = (uint32_t)color_id, .bit_offset = 96 },
	};

	objfmt_btf__add_member(btf, (uint32_t)color_id, &red);
	objfmt_btf__add_member(btf, (uint32_t)color_id, &blue);
	for (size_t i = 0; i < 4; i++)
		objfmt_btf__add_member(btf, (uint32_t)id, &members[i]);
	*flow_id = (uint32_t)id;
	return btf;
}

START_TEST(btf_prints_structs_like_c_initializers)
{
	uint32_t id;
	struct objfmt_btf *btf = flow_btf(&id);
	const uint8_t value[16] = { 10, 0, 0, 1, 3, 0, 0, 0, 'a', 'b', 0, 0, 2, 0, 0, 0 };
	char *text = btf_print_value(btf, id, value, sizeof(value));

	ck_assert_str_eq(text, "{ .saddr = 10.0.0.1, .packets = 3, .tag = \"ab\", .c = BLUE }");
	free(text);
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(retval_names_follow_program_type)
{
	ck_assert_str_eq(report_retval_name(BPF_PROG_TYPE_XDP, 2), "XDP_PASS");
	ck_assert_str_eq(report_retval_name(BPF_PROG_TYPE_SCHED_CLS, 2), "TC_ACT_SHOT");
	ck_assert_str_eq(report_retval_name(BPF_PROG_TYPE_SCHED_CLS, (uint32_t)-1), "TC_ACT_UNSPEC");
	ck_assert_str_eq(report_retval_name(BPF_PROG_TYPE_CGROUP_SKB, 1), "allow");
	ck_assert_ptr_null(report_retval_name(BPF_PROG_TYPE_XDP, 9));
	ck_assert_ptr_null(report_retval_name(BPF_PROG_TYPE_KPROBE, 0));
}
END_TEST

START_TEST(report_text_layout)
{
	struct report r = { 0 };
	struct report_program prog = { .name = (char *)"p", .section = (char *)"xdp",
				       .type = BPF_PROG_TYPE_XDP, .error = 0, .processed = 12,
				       .log = (char *)"", .loaded = true, .refused = false };
	uint8_t out[2] = { 0xab, 0xcd };
	struct report_run run = { (char *)"p", (char *)"hex", 2, 0, 1, BPF_PROG_TYPE_XDP, out, 2, true };
	char *text;

	r.object = (char *)"o.o";
	r.backend = "emulator";
	r.programs = &prog;
	r.program_count = 1;
	r.runs = &run;
	r.run_count = 1;
	text = report_text(&r);
	ck_assert_str_eq(text, "ebpf-run report v1\nobject: o.o\nbackend: emulator\n"
			       "program p: section xdp, type xdp\n  verifier: accepted, 12 insns processed\n"
			       "run 1: program p, input hex (2 bytes)\n  retval: 1 XDP_DROP\n"
			       "  data_out: 2 bytes\n    0000: ab cd\n");
	free(text);
	r.no_insn_counts = true; /* --no-insn-counts: the backend stays, the count goes */
	text = report_text(&r);
	ck_assert_ptr_nonnull(strstr(text, "backend: emulator\n"));
	ck_assert_ptr_nonnull(strstr(text, "  verifier: accepted\n"));
	free(text);
	r.no_insn_counts = false;
	r.comparable = true; /* --compare: no backend, no counts */
	text = report_text(&r);
	ck_assert_ptr_null(strstr(text, "backend"));
	ck_assert_ptr_nonnull(strstr(text, "  verifier: accepted\n"));
	free(text);
}
END_TEST

static Suite *run_suite(void)
{
	Suite *suite = suite_create("run");
	TCase *input = tcase_create("input"), *diff = tcase_create("diff");
	TCase *report = tcase_create("report");

	tcase_add_test(input, hex_accepts_separators_and_prefix);
	tcase_add_test(input, hex_rejects_odd_digits_with_offset);
	tcase_add_test(input, maps_in_pieces_concatenate);
	tcase_add_test(input, maps_in_rejects_overflow_and_bad_address);
	tcase_add_test(diff, diff_equal_texts_print_nothing);
	tcase_add_test(diff, diff_is_unified_with_context);
	tcase_add_test(diff, diff_separates_distant_hunks);
	tcase_add_test(report, btf_prints_structs_like_c_initializers);
	tcase_add_test(report, retval_names_follow_program_type);
	tcase_add_test(report, report_text_layout);
	suite_add_tcase(suite, input);
	suite_add_tcase(suite, diff);
	suite_add_tcase(suite, report);
	return suite;
}

int main(void)
{
	SRunner *runner = srunner_create(run_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
