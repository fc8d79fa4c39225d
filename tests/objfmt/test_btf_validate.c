/* test_btf_validate.c - Check suite for the BTF validator: clang's BTF after the
 * loader's fixups passes; each broken rule yields one exact message; as root, the
 * running kernel must give the same verdict for every case. */
#include <check.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

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

/* When the running kernel can be asked (root), it must give the same verdict for the
 * encoded bytes. Skipped for graphs whose encoding means something else (a bitfield
 * without kind_flag cannot be encoded) and where BPF_BTF_LOAD is not permitted. */
static void assert_kernel_agrees(const struct objfmt_btf *btf, bool accept)
{
	void *bytes;
	size_t size;
	if (objfmt_btf__encode(btf, &bytes, &size))
		return;
	struct objfmt_btf *seen = objfmt_btf__decode(bytes, size, NULL);
	bool same_meaning = seen && (objfmt_btf__validate(seen, NULL) == 0) == accept;
	objfmt_btf__free(seen);
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.btf = (uint64_t)(uintptr_t)bytes;
	attr.btf_size = (uint32_t)size;
	long fd = same_meaning ? syscall(__NR_bpf, BPF_BTF_LOAD, &attr, sizeof(attr)) : -1;
	int err = errno;
	free(bytes);
	if (fd >= 0)
		close((int)fd);
	if (!same_meaning || (fd < 0 && (err == EPERM || err == EACCES || err == ENOSYS)))
		return;
	ck_assert_msg((fd >= 0) == accept, "the kernel %s this BTF",
		      fd >= 0 ? "accepts" : "rejects");
}

static void assert_fault(const struct objfmt_btf *btf, const char *where,
			 const char *message)
{
	struct objfmt_diag diag = { 0 };
	ck_assert_int_eq(objfmt_btf__validate(btf, &diag), -EINVAL);
	ck_assert_str_eq(diag.where, where);
	ck_assert_str_eq(diag.message, message);
	assert_kernel_agrees(btf, false);
}

static void assert_valid(const struct objfmt_btf *btf)
{
	struct objfmt_diag diag = { 0 };
	int err = objfmt_btf__validate(btf, &diag);
	ck_assert_msg(err == 0, "%s: %s", diag.where, diag.message);
	assert_kernel_agrees(btf, true);
}

/* What libbpf does before BTF_LOAD: DATASEC sizes from their variables. */
static void fix_datasec_sizes(struct objfmt_btf *btf)
{
	for (uint32_t id = 1; id <= objfmt_btf__type_count(btf); id++) {
		struct objfmt_btf_type *t = objfmt_btf__type_mut(btf, id);
		if (t->kind != OBJFMT_BTF_DATASEC)
			continue;
		for (uint32_t i = 0; i < t->vlen; i++) {
			uint32_t end = t->members[i].offset + t->members[i].size;
			t->size = end > t->size ? end : t->size;
		}
	}
}

START_TEST(clang_btf_needs_datasec_sizes)
{
	struct objfmt_btf *btf = load("types-clang14.btf");
	assert_fault(btf, "BTF type [49] DATASEC '.bss'", "size == 0");
	fix_datasec_sizes(btf);
	assert_valid(btf);
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(clang19_btf_with_enum64_is_valid)
{
	struct objfmt_btf *btf = load("types-clang19.btf");
	fix_datasec_sizes(btf);
	assert_valid(btf);
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(extern_symbols_are_rejected_like_the_kernel_does)
{
	struct objfmt_btf *btf = load("tags-clang14.btf");
	assert_fault(btf, "BTF type [27] FUNC 'bpf_nonexistent_kfunc'", "invalid func linkage 2");
	objfmt_btf__type_mut(btf, 27)->linkage = OBJFMT_BTF_FUNC_GLOBAL;
	assert_fault(btf, "BTF type [29] VAR 'linux_like_var'", "linkage 2 not supported");
	objfmt_btf__free(btf);
}
END_TEST

static struct objfmt_btf *with_int(void)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	ck_assert_int_eq(objfmt_btf__add_int(btf, "int", 4, OBJFMT_BTF_INT_SIGNED), 1);
	return btf;
}

static int add_struct(struct objfmt_btf *btf, const char *name, uint32_t size,
		      struct objfmt_btf_member *members, uint32_t vlen, bool kind_flag)
{
	struct objfmt_btf_type t = { .kind = OBJFMT_BTF_STRUCT, .name = name, .size = size,
				     .vlen = vlen, .members = members, .kind_flag = kind_flag };
	return objfmt_btf__add(btf, &t);
}

/* Graphs that break one rule each: int [1], then the types below from id 2 on. */
static struct objfmt_btf_member member_x_of_type_7 = { .name = "x", .type = 7 };
static struct objfmt_btf_member member_x_at_bit_32 = { .name = "x", .type = 1, .bit_offset = 32 };
static struct objfmt_btf_member members_going_back[2] = {
	{ .name = "a", .type = 1, .bit_offset = 32 }, { .name = "b", .type = 1, .bit_offset = 0 }
};
static struct objfmt_btf_member bitfield_33_bits = { .name = "f", .type = 1, .bitfield = 33 };
static struct objfmt_btf_member bitfield_3_bits = { .name = "f", .type = 1, .bitfield = 3 };
static struct objfmt_btf_member member_u_at_bit_8 = { .name = "u", .type = 1, .bit_offset = 8 };
static struct objfmt_btf_member member_x = { .name = "x", .type = 1 };
static struct objfmt_btf_member enumerator_a = { .name = "A", .value = 1 };
static struct objfmt_btf_member unnamed_param = { .name = "", .type = 1 };
static struct objfmt_btf_member entry_int = { .type = 1, .offset = 0, .size = 4 };
static struct objfmt_btf_member entries_overlapping[2] = {
	{ .type = 2, .offset = 0, .size = 4 }, { .type = 3, .offset = 2, .size = 4 }
};
static struct objfmt_btf_member entry_past_end = { .type = 2, .offset = 4, .size = 4 };

#define BTF_STRUCT(n, sz, m, count, kflag) \
	{ .kind = OBJFMT_BTF_STRUCT, .name = n, .size = sz, .vlen = count, .members = m, \
	  .kind_flag = kflag }
#define BTF_VAR(n) { .kind = OBJFMT_BTF_VAR, .name = n, .type = 1, \
		     .linkage = OBJFMT_BTF_VAR_GLOBAL }

static const struct fault_case {
	uint32_t count;
	struct objfmt_btf_type types[3];
	const char *where, *message;
} fault_cases[] = {
	{ 1, { { .kind = OBJFMT_BTF_PTR, .name = "", .type = 99 } },
	  "BTF type [2] PTR '(anon)'", "type id 99 out of range (max 2)" },
	{ 1, { BTF_STRUCT("s", 4, &member_x_of_type_7, 1, false) },
	  "BTF type [2] STRUCT 's'", "member 'x': invalid type id 7 (max 2)" },
	{ 2, { { .kind = OBJFMT_BTF_TYPEDEF, .name = "a", .type = 3 },
	       { .kind = OBJFMT_BTF_TYPEDEF, .name = "b", .type = 2 } },
	  "BTF type [2] TYPEDEF 'a'", "loop detected ([2] TYPEDEF is reached again)" },
	{ 2, { { .kind = OBJFMT_BTF_PTR, .name = "", .type = 3 },
	       { .kind = OBJFMT_BTF_CONST, .type = 2 } },
	  "BTF type [2] PTR '(anon)'", "loop detected ([2] PTR is reached again)" },
	{ 1, { { .kind = OBJFMT_BTF_TYPEDEF, .name = "1bad", .type = 1 } },
	  "BTF type [2] TYPEDEF '1bad'", "invalid name: a typedef needs an identifier" },
	{ 1, { { .kind = OBJFMT_BTF_CONST, .name = "c", .type = 1 } },
	  "BTF type [2] CONST 'c'", "invalid name: CONST must be anonymous" },
	{ 1, { BTF_STRUCT("s", 6, &member_x_at_bit_32, 1, false) },
	  "BTF type [2] STRUCT 's'", "member 'x': member exceeds struct_size 6" },
	{ 1, { BTF_STRUCT("s", 8, members_going_back, 2, false) },
	  "BTF type [2] STRUCT 's'",
	  "member 'b': invalid member bits_offset 0 (before the previous member's 32)" },
	{ 1, { BTF_STRUCT("s", 8, &bitfield_33_bits, 1, true) },
	  "BTF type [2] STRUCT 's'", "member 'f': invalid member bitfield_size 33" },
	{ 1, { BTF_STRUCT("s", 4, &bitfield_3_bits, 1, false) },
	  "BTF type [2] STRUCT 's'", "member 'f': bitfield without kind_flag" },
	{ 1, { { .kind = OBJFMT_BTF_UNION, .name = "un", .size = 8, .vlen = 1,
		 .members = &member_u_at_bit_8 } },
	  "BTF type [2] UNION 'un'",
	  "member 'u': invalid member bits_offset 8 (union members start at 0)" },
	{ 1, { { .kind = OBJFMT_BTF_INT, .name = "i", .size = 2, .int_bits = 24 } },
	  "BTF type [2] INT 'i'", "nr_bits exceeds type_size (24 bits, size 2)" },
	{ 1, { { .kind = OBJFMT_BTF_ENUM, .name = "e", .size = 3, .vlen = 1,
		 .members = &enumerator_a } },
	  "BTF type [2] ENUM 'e'", "unexpected size 3 (expected 1, 2, 4 or 8)" },
	{ 1, { { .kind = OBJFMT_BTF_FUNC, .name = "f", .type = 1 } },
	  "BTF type [2] FUNC 'f'", "invalid type id 1: FUNC needs a FUNC_PROTO" },
	{ 2, { { .kind = OBJFMT_BTF_FUNC_PROTO, .type = 1, .vlen = 1, .members = &unnamed_param },
	       { .kind = OBJFMT_BTF_FUNC, .name = "f", .type = 2,
		 .linkage = OBJFMT_BTF_FUNC_GLOBAL } },
	  "BTF type [3] FUNC 'f'", "invalid arg#1: parameter has no name" },
	{ 1, { { .kind = OBJFMT_BTF_DATASEC, .name = ".data", .size = 4, .vlen = 1,
		 .members = &entry_int } },
	  "BTF type [2] DATASEC '.data'", "entry #0: not a VAR kind member (INT [1])" },
	{ 3, { BTF_VAR("a"), BTF_VAR("b"),
	       { .kind = OBJFMT_BTF_DATASEC, .name = ".data", .size = 8, .vlen = 2,
		 .members = entries_overlapping } },
	  "BTF type [4] DATASEC '.data'",
	  "entry #1: invalid offset 2 (overlaps or out of order; previous entry ends at 4)" },
	{ 2, { BTF_VAR("a"),
	       { .kind = OBJFMT_BTF_DATASEC, .name = ".data", .size = 6, .vlen = 1,
		 .members = &entry_past_end } },
	  "BTF type [3] DATASEC '.data'", "entry #0: invalid offset+size 4+4 (section size 6)" },
	{ 2, { BTF_STRUCT("s", 4, &member_x, 1, false),
	       { .kind = OBJFMT_BTF_DECL_TAG, .name = "t", .type = 2, .component_idx = 1 } },
	  "BTF type [3] DECL_TAG 't'", "invalid component_idx 1 (STRUCT [2] has 1)" },
	{ 2, { { .kind = OBJFMT_BTF_PTR, .name = "", .type = 1 },
	       { .kind = OBJFMT_BTF_ARRAY, .name = "", .array_elem = 1, .array_index = 2,
		 .array_nelems = 4 } },
	  "BTF type [3] ARRAY '(anon)'", "invalid index: type 2 is not a regular int" },
};

START_TEST(each_broken_rule_has_its_message)
{
	const struct fault_case *c = &fault_cases[_i];
	struct objfmt_btf *btf = with_int();
	for (uint32_t i = 0; i < c->count; i++)
		ck_assert_int_eq(objfmt_btf__add(btf, &c->types[i]), (int)i + 2);
	assert_fault(btf, c->where, c->message);
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(struct_containing_itself_is_a_loop)
{
	struct objfmt_btf *btf = with_int();
	struct objfmt_btf_member m[2] = { { .name = "n", .type = 1 },
					  { .name = "self", .type = 3, .bit_offset = 32 } };
	add_struct(btf, "s", 8, m, 2, false);
	objfmt_btf__add_array(btf, 2, 1, 1);
	m[1].type = 2;
	objfmt_btf__type_mut(btf, 2)->members[1].type = 3; /* s.self: s[1] */
	assert_fault(btf, "BTF type [2] STRUCT 's'", "loop detected ([2] STRUCT is reached again)");
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(pointer_to_own_struct_is_fine)
{
	struct objfmt_btf *btf = with_int();
	struct objfmt_btf_member m[2] = { { .name = "v", .type = 1 },
					  { .name = "next", .type = 4, .bit_offset = 64 } };
	add_struct(btf, "node", 16, m, 2, false);
	struct objfmt_btf_type c = { .kind = OBJFMT_BTF_CONST, .type = 2 };
	objfmt_btf__add(btf, &c);
	objfmt_btf__add_ptr(btf, 3); /* next: const struct node * */
	assert_valid(btf);
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(int_kind_flag_is_invalid)
{
	struct objfmt_btf *btf = with_int();
	objfmt_btf__type_mut(btf, 1)->kind_flag = true;
	assert_fault(btf, "BTF type [1] INT 'int'", "invalid btf_info kind_flag");
	objfmt_btf__free(btf);
}
END_TEST

/* The kernel walks at most 32 types deep while resolving one. */
START_TEST(chain_deeper_than_32_is_rejected)
{
	struct objfmt_btf *btf = with_int();
	for (uint32_t i = 0; i < 32; i++) {
		struct objfmt_btf_type c = { .kind = OBJFMT_BTF_CONST, .type = i + 3 };
		objfmt_btf__add(btf, &c);
	}
	objfmt_btf__type_mut(btf, 33)->type = 1; /* [2] -> [3] -> ... -> [33] -> int */
	assert_valid(btf); /* 32 CONSTs: the walk from [2] holds exactly 32 */
	struct objfmt_btf_type c = { .kind = OBJFMT_BTF_CONST, .type = 2 };
	objfmt_btf__add(btf, &c); /* [34] -> [2]: resolved already, so still fine */
	assert_valid(btf);
	objfmt_btf__free(btf);

	btf = with_int();
	for (uint32_t i = 0; i < 33; i++) {
		struct objfmt_btf_type v = { .kind = OBJFMT_BTF_VOLATILE, .type = i + 3 };
		objfmt_btf__add(btf, &v);
	}
	objfmt_btf__type_mut(btf, 34)->type = 1;
	assert_fault(btf, "BTF type [2] VOLATILE '(anon)'", "exceeded max resolving depth 32");
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(type_tag_after_modifier_is_rejected)
{
	struct objfmt_btf *btf = with_int();
	struct objfmt_btf_type tag = { .kind = OBJFMT_BTF_TYPE_TAG, .name = "user", .type = 1 };
	objfmt_btf__add(btf, &tag);                         /* [2] tag -> int */
	struct objfmt_btf_type c = { .kind = OBJFMT_BTF_CONST, .type = 2 };
	objfmt_btf__add(btf, &c);                           /* [3] const -> tag */
	assert_fault(btf, "BTF type [3] CONST '(anon)'",
		     "type tags don't precede modifiers ([2] TYPE_TAG follows a modifier)");
	objfmt_btf__type_mut(btf, 3)->type = 1;             /* const -> int */
	objfmt_btf__type_mut(btf, 2)->type = 3;             /* tag -> const: fine */
	assert_valid(btf);
	objfmt_btf__free(btf);
}
END_TEST

/* The kernel resolves a FUNC to void, but only once the FUNC itself was resolved:
 * in id order, or on the way from a modifier (not from a pointer). */
START_TEST(modifier_may_name_an_earlier_func)
{
	struct objfmt_btf *btf = with_int();
	struct objfmt_btf_type proto = { .kind = OBJFMT_BTF_FUNC_PROTO, .type = 1 };
	objfmt_btf__add(btf, &proto);                       /* [2] */
	struct objfmt_btf_type f = { .kind = OBJFMT_BTF_FUNC, .name = "f", .type = 2 };
	objfmt_btf__add(btf, &f);                           /* [3] */
	objfmt_btf__add_ptr(btf, 3);                        /* [4] ptr -> earlier func */
	assert_valid(btf);
	objfmt_btf__free(btf);

	btf = with_int();
	objfmt_btf__add_ptr(btf, 4);                        /* [2] ptr -> later func */
	objfmt_btf__add(btf, &proto);                       /* [3] */
	f.type = 3;
	objfmt_btf__add(btf, &f);                           /* [4] */
	assert_fault(btf, "BTF type [2] PTR '(anon)'",
		     "invalid type id 4: FUNC not resolved before it");
	objfmt_btf__type_mut(btf, 2)->kind = OBJFMT_BTF_CONST; /* const walks into it */
	assert_valid(btf);
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(empty_datasec_is_accepted)
{
	struct objfmt_btf *btf = with_int();
	struct objfmt_btf_type sec = { .kind = OBJFMT_BTF_DATASEC, .name = ".bss", .size = 4 };
	objfmt_btf__add(btf, &sec);
	assert_valid(btf);
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(empty_btf_has_no_type)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	assert_fault(btf, "BTF", "no type found");
	objfmt_btf__free(btf);
}
END_TEST

Suite *btf_validate_suite(void)
{
	Suite *s = suite_create("btf_validate");
	TCase *tc = tcase_create("validate");
	tcase_add_test(tc, clang_btf_needs_datasec_sizes);
	tcase_add_test(tc, clang19_btf_with_enum64_is_valid);
	tcase_add_test(tc, extern_symbols_are_rejected_like_the_kernel_does);
	tcase_add_loop_test(tc, each_broken_rule_has_its_message, 0,
			    sizeof(fault_cases) / sizeof(fault_cases[0]));
	tcase_add_test(tc, struct_containing_itself_is_a_loop);
	tcase_add_test(tc, pointer_to_own_struct_is_fine);
	tcase_add_test(tc, int_kind_flag_is_invalid);
	tcase_add_test(tc, chain_deeper_than_32_is_rejected);
	tcase_add_test(tc, type_tag_after_modifier_is_rejected);
	tcase_add_test(tc, modifier_may_name_an_earlier_func);
	tcase_add_test(tc, empty_datasec_is_accepted);
	tcase_add_test(tc, empty_btf_has_no_type);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(btf_validate_suite());
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
