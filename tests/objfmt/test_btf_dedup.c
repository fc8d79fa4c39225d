/* test_btf_dedup.c - Check suite for BTF dedup and append: merged copies collapse to
 * the original (dump text unchanged), FWDs resolve, cycles merge, VARs stay. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf_test_util.h"
#include "ebpf/objfmt.h"

static struct objfmt_btf *load(const char *name)
{
	size_t size;
	void *data = btf_test_read(name, &size);
	struct objfmt_btf *btf = objfmt_btf__decode(data, size, NULL);
	free(data);
	ck_assert_ptr_nonnull(btf);
	return btf;
}

static char *dump_text(const struct objfmt_btf *btf)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	ck_assert_int_eq(objfmt_btf__dump(btf, out), 0);
	fclose(out);
	return text;
}

static uint32_t count_kind(const struct objfmt_btf *btf, enum objfmt_btf_kind kind)
{
	uint32_t n = 0;
	for (uint32_t id = 1; id <= objfmt_btf__type_count(btf); id++)
		n += objfmt_btf__type(btf, id)->kind == kind;
	return n;
}

START_TEST(clang_btf_is_already_deduplicated)
{
	struct objfmt_btf *btf = load("types-clang14.btf");
	char *before = dump_text(btf);
	uint32_t *remap = NULL;
	ck_assert_int_eq(objfmt_btf__dedup(btf, &remap), 0);
	ck_assert_uint_eq(objfmt_btf__type_count(btf), 53);
	for (uint32_t id = 0; id <= 53; id++)
		ck_assert_uint_eq(remap[id], id);
	char *after = dump_text(btf);
	ck_assert_str_eq(after, before);
	free(before);
	free(after);
	free(remap);
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(appended_copy_collapses_except_vars_and_datasecs)
{
	struct objfmt_btf *btf = load("tags-clang14.btf");
	struct objfmt_btf *copy = load("tags-clang14.btf");
	uint32_t count = objfmt_btf__type_count(btf);
	uint32_t vars = count_kind(btf, OBJFMT_BTF_VAR), secs = count_kind(btf, OBJFMT_BTF_DATASEC);
	ck_assert_int_eq(objfmt_btf__append(btf, copy), count);
	ck_assert_uint_eq(objfmt_btf__type_count(btf), 2 * count);
	/* the copy's references were shifted */
	ck_assert_uint_eq(objfmt_btf__type(btf, count + 1)->type,
			  objfmt_btf__type(copy, 1)->type + count);
	uint32_t *remap = NULL;
	ck_assert_int_eq(objfmt_btf__dedup(btf, &remap), 0);
	ck_assert_uint_eq(objfmt_btf__type_count(btf), count + vars + secs);
	for (uint32_t id = 1; id <= count; id++) {
		enum objfmt_btf_kind kind = objfmt_btf__type(copy, id)->kind;
		if (kind == OBJFMT_BTF_VAR || kind == OBJFMT_BTF_DATASEC)
			continue;
		ck_assert_uint_eq(remap[id + count], remap[id]);
	}
	free(remap);
	objfmt_btf__free(copy);
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(appended_copy_of_types_dumps_like_the_original)
{
	/* types.bpf.c's VARs and DATASECs stay twice; the first copy must be untouched */
	struct objfmt_btf *btf = load("types-clang19.btf");
	struct objfmt_btf *copy = load("types-clang19.btf");
	char *original = dump_text(btf);
	ck_assert_int_ge(objfmt_btf__append(btf, copy), 0);
	ck_assert_int_eq(objfmt_btf__dedup(btf, NULL), 0);
	char *merged = dump_text(btf);
	ck_assert_uint_ge(strlen(merged), strlen(original));
	ck_assert_mem_eq(merged, original, strlen(original)); /* originals first, unchanged */
	free(original);
	free(merged);
	objfmt_btf__free(copy);
	objfmt_btf__free(btf);
}
END_TEST

/* [1] int, [2] FWD x, [3] PTR->2, [4] STRUCT x {int a}, [5] PTR->4 */
static struct objfmt_btf *fwd_and_struct(const char *struct_name)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	objfmt_btf__add_int(btf, "int", 4, OBJFMT_BTF_INT_SIGNED);
	struct objfmt_btf_type fwd = { .kind = OBJFMT_BTF_FWD, .name = "x" };
	objfmt_btf__add(btf, &fwd);
	objfmt_btf__add_ptr(btf, 2);
	struct objfmt_btf_member a = { .name = "a", .type = 1 };
	struct objfmt_btf_type s = { .kind = OBJFMT_BTF_STRUCT, .name = struct_name, .size = 4,
				     .vlen = 1, .members = &a };
	objfmt_btf__add(btf, &s);
	objfmt_btf__add_ptr(btf, 4);
	return btf;
}

START_TEST(forward_declaration_resolves_to_struct)
{
	struct objfmt_btf *btf = fwd_and_struct("x");
	uint32_t *remap = NULL;
	ck_assert_int_eq(objfmt_btf__dedup(btf, &remap), 0);
	ck_assert_uint_eq(objfmt_btf__type_count(btf), 3);
	ck_assert_uint_eq(remap[3], 2); /* first PTR keeps its place, now [2] */
	ck_assert_uint_eq(remap[2], 3); /* FWD -> STRUCT x, now [3] */
	ck_assert_uint_eq(remap[4], 3);
	ck_assert_uint_eq(remap[5], 2); /* both pointers merged */
	ck_assert_int_eq(objfmt_btf__type(btf, 3)->kind, OBJFMT_BTF_STRUCT);
	ck_assert_uint_eq(objfmt_btf__type(btf, 2)->type, 3);
	free(remap);
	objfmt_btf__free(btf);
}
END_TEST

/* A copy of struct node whose `next` points at a FWD of node is still struct node:
 * resolving the FWD makes the two copies identical (the structs decide the FWD and
 * the FWD decides the structs). */
START_TEST(forward_inside_a_copy_merges_with_the_original)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	objfmt_btf__add_int(btf, "int", 4, OBJFMT_BTF_INT_SIGNED);           /* 1 */
	struct objfmt_btf_member m[2] = { { .name = "v", .type = 1 },
					  { .name = "next", .type = 3, .bit_offset = 64 } };
	struct objfmt_btf_type node = { .kind = OBJFMT_BTF_STRUCT, .name = "node", .size = 16,
					.vlen = 2, .members = m };
	objfmt_btf__add(btf, &node);                                         /* 2 */
	objfmt_btf__add_ptr(btf, 2);                                         /* 3 */
	m[1].type = 5;
	objfmt_btf__add(btf, &node);                                         /* 4 */
	objfmt_btf__add_ptr(btf, 6);                                         /* 5 */
	struct objfmt_btf_type fwd = { .kind = OBJFMT_BTF_FWD, .name = "node" };
	objfmt_btf__add(btf, &fwd);                                          /* 6 */
	uint32_t *remap = NULL;
	ck_assert_int_eq(objfmt_btf__dedup(btf, &remap), 0);
	ck_assert_uint_eq(objfmt_btf__type_count(btf), 3);
	ck_assert_uint_eq(remap[4], 2);
	ck_assert_uint_eq(remap[5], 3);
	ck_assert_uint_eq(remap[6], 2);
	free(remap);
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(forward_declaration_without_struct_stays)
{
	struct objfmt_btf *btf = fwd_and_struct("y");
	ck_assert_int_eq(objfmt_btf__dedup(btf, NULL), 0);
	ck_assert_uint_eq(objfmt_btf__type_count(btf), 5);
	ck_assert_int_eq(objfmt_btf__type(btf, 2)->kind, OBJFMT_BTF_FWD);
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(ambiguous_forward_declaration_stays)
{
	struct objfmt_btf *btf = fwd_and_struct("x");
	struct objfmt_btf_member b = { .name = "b", .type = 1 };
	struct objfmt_btf_type other = { .kind = OBJFMT_BTF_STRUCT, .name = "x", .size = 4,
					 .vlen = 1, .members = &b };
	objfmt_btf__add(btf, &other); /* a second, different struct x */
	ck_assert_int_eq(objfmt_btf__dedup(btf, NULL), 0);
	ck_assert_uint_eq(objfmt_btf__type_count(btf), 6);
	ck_assert_int_eq(objfmt_btf__type(btf, 2)->kind, OBJFMT_BTF_FWD);
	objfmt_btf__free(btf);
}
END_TEST

/* struct node { struct node *next; } twice, each copy pointing at itself. */
START_TEST(identical_cycles_merge)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	for (int copy = 0; copy < 2; copy++) {
		uint32_t base = objfmt_btf__type_count(btf);
		struct objfmt_btf_member next = { .name = "next", .type = base + 2 };
		struct objfmt_btf_type node = { .kind = OBJFMT_BTF_STRUCT, .name = "node",
						.size = 8, .vlen = 1, .members = &next };
		objfmt_btf__add(btf, &node);
		objfmt_btf__add_ptr(btf, base + 1);
	}
	uint32_t *remap = NULL;
	ck_assert_int_eq(objfmt_btf__dedup(btf, &remap), 0);
	ck_assert_uint_eq(objfmt_btf__type_count(btf), 2);
	ck_assert_uint_eq(remap[3], 1);
	ck_assert_uint_eq(remap[4], 2);
	ck_assert_uint_eq(objfmt_btf__type(btf, 1)->members[0].type, 2);
	ck_assert_uint_eq(objfmt_btf__type(btf, 2)->type, 1);
	free(remap);
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(different_members_keep_structs_apart)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	objfmt_btf__add_int(btf, "int", 4, OBJFMT_BTF_INT_SIGNED);
	objfmt_btf__add_int(btf, "unsigned int", 4, 0);
	struct objfmt_btf_member a = { .name = "a", .type = 1 };
	struct objfmt_btf_type s = { .kind = OBJFMT_BTF_STRUCT, .name = "s", .size = 4,
				     .vlen = 1, .members = &a };
	objfmt_btf__add(btf, &s);
	a.type = 2;
	objfmt_btf__add(btf, &s);
	ck_assert_int_eq(objfmt_btf__dedup(btf, NULL), 0);
	ck_assert_uint_eq(objfmt_btf__type_count(btf), 4);
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(identical_vars_are_not_merged)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	objfmt_btf__add_int(btf, "int", 4, OBJFMT_BTF_INT_SIGNED);
	objfmt_btf__add_var(btf, "v", 1, OBJFMT_BTF_VAR_STATIC);
	objfmt_btf__add_var(btf, "v", 1, OBJFMT_BTF_VAR_STATIC);
	objfmt_btf__add_int(btf, "int", 4, OBJFMT_BTF_INT_SIGNED);
	uint32_t *remap = NULL;
	ck_assert_int_eq(objfmt_btf__dedup(btf, &remap), 0);
	ck_assert_uint_eq(objfmt_btf__type_count(btf), 3);
	ck_assert_uint_eq(remap[4], 1);
	ck_assert_uint_eq(remap[3], 3);
	free(remap);
	objfmt_btf__free(btf);
}
END_TEST

/* Dangling ids (past the last type) keep types apart and survive renumbering. */
START_TEST(dangling_references_survive)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	objfmt_btf__add_ptr(btf, 50);
	objfmt_btf__add_ptr(btf, 50);
	objfmt_btf__add_ptr(btf, 60);
	ck_assert_int_eq(objfmt_btf__dedup(btf, NULL), 0);
	ck_assert_uint_eq(objfmt_btf__type_count(btf), 2);
	ck_assert_uint_eq(objfmt_btf__type(btf, 1)->type, 50);
	ck_assert_uint_eq(objfmt_btf__type(btf, 2)->type, 60);
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(append_rejects_self)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	ck_assert_int_eq(objfmt_btf__append(btf, btf), -EINVAL);
	ck_assert_int_eq(objfmt_btf__dedup(NULL, NULL), -EINVAL);
	objfmt_btf__free(btf);
}
END_TEST

Suite *btf_dedup_suite(void)
{
	Suite *s = suite_create("btf_dedup");
	TCase *tc = tcase_create("dedup");
	tcase_add_test(tc, clang_btf_is_already_deduplicated);
	tcase_add_test(tc, appended_copy_collapses_except_vars_and_datasecs);
	tcase_add_test(tc, appended_copy_of_types_dumps_like_the_original);
	tcase_add_test(tc, forward_declaration_resolves_to_struct);
	tcase_add_test(tc, forward_inside_a_copy_merges_with_the_original);
	tcase_add_test(tc, forward_declaration_without_struct_stays);
	tcase_add_test(tc, ambiguous_forward_declaration_stays);
	tcase_add_test(tc, identical_cycles_merge);
	tcase_add_test(tc, different_members_keep_structs_apart);
	tcase_add_test(tc, identical_vars_are_not_merged);
	tcase_add_test(tc, dangling_references_survive);
	tcase_add_test(tc, append_rejects_self);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(btf_dedup_suite());
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
