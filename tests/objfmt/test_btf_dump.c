/* test_btf_dump.c - Check suite for the BTF dump: text equal to what bpftool v7.1
 * printed for the same bytes (goldens in btf/ and below). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf_test_util.h"
#include "ebpf/objfmt.h"

static char *dump_text(const struct objfmt_btf *btf)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(objfmt_btf__dump(btf, out), 0);
	fclose(out);
	return text;
}

static void assert_dump_matches(const char *stem)
{
	char name[64];
	size_t size, golden_size;
	snprintf(name, sizeof(name), "%s.btf", stem);
	void *data = btf_test_read(name, &size);
	snprintf(name, sizeof(name), "%s.dump", stem);
	char *golden = btf_test_read(name, &golden_size);
	struct objfmt_btf *btf = objfmt_btf__decode(data, size, NULL);
	ck_assert_ptr_nonnull(btf);
	char *text = dump_text(btf);
	ck_assert_uint_eq(strlen(text), golden_size);
	ck_assert_mem_eq(text, golden, golden_size);
	free(text);
	free(golden);
	free(data);
	objfmt_btf__free(btf);
}

START_TEST(dump_types_clang14_equals_bpftool)
{
	assert_dump_matches("types-clang14");
}
END_TEST

START_TEST(dump_types_clang19_equals_bpftool)
{
	assert_dump_matches("types-clang19");
}
END_TEST

START_TEST(dump_tags_clang14_equals_bpftool)
{
	assert_dump_matches("tags-clang14");
}
END_TEST

START_TEST(dump_tags_clang19_equals_bpftool)
{
	assert_dump_matches("tags-clang19");
}
END_TEST

/* Every kind the builder makes; the expected text is what bpftool v7.1 printed for
 * objfmt_btf__encode() of this graph. */
START_TEST(dump_built_btf_equals_bpftool)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	objfmt_btf__add_int(btf, "_Bool", 1, OBJFMT_BTF_INT_BOOL);            /* 1 */
	struct objfmt_btf_type t = { .kind = OBJFMT_BTF_FWD, .name = "u", .kind_flag = true };
	objfmt_btf__add(btf, &t);                                             /* 2 */
	struct objfmt_btf_type restrict_type = { .kind = OBJFMT_BTF_RESTRICT, .type = 4 };
	objfmt_btf__add(btf, &restrict_type);                                 /* 3 */
	objfmt_btf__add_ptr(btf, 2);                                          /* 4 */
	struct objfmt_btf_member params[2] = { { .name = "a", .type = 1 }, { .name = "" } };
	struct objfmt_btf_type proto = { .kind = OBJFMT_BTF_FUNC_PROTO, .vlen = 2,
					 .members = params };
	objfmt_btf__add(btf, &proto);                                         /* 5 */
	struct objfmt_btf_type func = { .kind = OBJFMT_BTF_FUNC, .name = "f", .type = 5,
					.linkage = OBJFMT_BTF_FUNC_EXTERN };
	objfmt_btf__add(btf, &func);                                          /* 6 */
	struct objfmt_btf_member values[2] = { { .name = "NEG", .value = -1 },
					       { .name = "POS", .value = 7 } };
	struct objfmt_btf_type e = { .kind = OBJFMT_BTF_ENUM, .name = "e", .size = 4,
				     .kind_flag = true, .vlen = 2, .members = values };
	objfmt_btf__add(btf, &e);                                             /* 7 */
	struct objfmt_btf_type e64 = e;
	e64.kind = OBJFMT_BTF_ENUM64;
	e64.name = "e64";
	e64.size = 8;
	e64.kind_flag = false;
	objfmt_btf__add(btf, &e64);                                           /* 8 */
	objfmt_btf__add_var(btf, "v", 1, OBJFMT_BTF_VAR_STATIC);              /* 9 */
	struct objfmt_btf_member entry = { .type = 9, .offset = 0, .size = 1 };
	struct objfmt_btf_type sec = { .kind = OBJFMT_BTF_DATASEC, .name = ".bss", .size = 1,
				       .vlen = 1, .members = &entry };
	objfmt_btf__add(btf, &sec);                                           /* 10 */
	struct objfmt_btf_type tag = { .kind = OBJFMT_BTF_DECL_TAG, .name = "t", .type = 6,
				       .component_idx = 0 };
	objfmt_btf__add(btf, &tag);                                           /* 11 */
	char *text = dump_text(btf);
	ck_assert_str_eq(text,
		"[1] INT '_Bool' size=1 bits_offset=0 nr_bits=8 encoding=BOOL\n"
		"[2] FWD 'u' fwd_kind=union\n"
		"[3] RESTRICT '(anon)' type_id=4\n"
		"[4] PTR '(anon)' type_id=2\n"
		"[5] FUNC_PROTO '(anon)' ret_type_id=0 vlen=2\n"
		"\t'a' type_id=1\n"
		"\t'(anon)' type_id=0\n"
		"[6] FUNC 'f' type_id=5 linkage=extern\n"
		"[7] ENUM 'e' encoding=SIGNED size=4 vlen=2\n"
		"\t'NEG' val=-1\n"
		"\t'POS' val=7\n"
		"[8] ENUM64 'e64' encoding=UNSIGNED size=8 vlen=2\n"
		"\t'NEG' val=18446744073709551615ULL\n"
		"\t'POS' val=7ULL\n"
		"[9] VAR 'v' type_id=1, linkage=static\n"
		"[10] DATASEC '.bss' size=1 vlen=1\n"
		"\ttype_id=9 offset=0 size=1 (VAR 'v')\n"
		"[11] DECL_TAG 't' type_id=6 component_idx=0\n");
	free(text);
	objfmt_btf__free(btf);
}
END_TEST

/* A DATASEC entry naming void: bpftool (v7.1) still annotates it. */
START_TEST(dump_datasec_entry_of_void)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	struct objfmt_btf_member entry = { .type = 0, .offset = 8, .size = 4 };
	struct objfmt_btf_type sec = { .kind = OBJFMT_BTF_DATASEC, .name = ".data", .size = 12,
				       .vlen = 1, .members = &entry };
	objfmt_btf__add(btf, &sec);
	char *text = dump_text(btf);
	ck_assert_str_eq(text, "[1] DATASEC '.data' size=12 vlen=1\n"
			       "\ttype_id=0 offset=8 size=4 (UNKNOWN '(anon)')\n");
	free(text);
	objfmt_btf__free(btf);
}
END_TEST

Suite *btf_dump_suite(void)
{
	Suite *s = suite_create("btf_dump");
	TCase *tc = tcase_create("dump");
	tcase_add_test(tc, dump_types_clang14_equals_bpftool);
	tcase_add_test(tc, dump_types_clang19_equals_bpftool);
	tcase_add_test(tc, dump_tags_clang14_equals_bpftool);
	tcase_add_test(tc, dump_tags_clang19_equals_bpftool);
	tcase_add_test(tc, dump_built_btf_equals_bpftool);
	tcase_add_test(tc, dump_datasec_entry_of_void);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(btf_dump_suite());
	srunner_set_fork_status(runner, CK_NOFORK);
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
