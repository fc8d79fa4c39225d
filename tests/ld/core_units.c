/* core_units.c - Check tests of the CO-RE resolver (ld/core_*.c) on BTF built in the
 * test: flavor names, access specs through anonymous members, candidate matching,
 * bitfield values, missing types and enumerators, and instruction patching with
 * poisoning. Expected values are worked out by hand from the layouts below (and agree
 * with what libbpf computes for the same layouts: core_diff.sh). */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "core_int.h"

static int add_struct(struct objfmt_btf *btf, enum objfmt_btf_kind kind, const char *name,
		      uint32_t size)
{
	struct objfmt_btf_type t = { .kind = kind, .name = name, .size = size, .kind_flag = true };
	return objfmt_btf__add(btf, &t);
}

static void member(struct objfmt_btf *btf, int owner, const char *name, int type,
		   uint32_t bit_offset, uint32_t bits)
{
	struct objfmt_btf_member m = { .name = name, .type = (uint32_t)type,
				       .bit_offset = bit_offset, .bitfield = bits };
	ck_assert_int_eq(objfmt_btf__add_member(btf, (uint32_t)owner, &m), 0);
}

/* Local: struct outer___local { int a; union { struct { int b; int c; }; long d; };
 *        unsigned int f:3, g:5; char e[4]; } -- a@0 union@8 f@128 g@131 e@136 (bits). */
struct layout { struct objfmt_btf *btf; int outer, ints, uint, lng, chr, arr, inner, uni; };

static struct layout local_btf(void)
{
	struct layout l = { .btf = objfmt_btf__new() };
	l.ints = objfmt_btf__add_int(l.btf, "int", 4, OBJFMT_BTF_INT_SIGNED);
	l.uint = objfmt_btf__add_int(l.btf, "unsigned int", 4, 0);
	l.lng = objfmt_btf__add_int(l.btf, "long", 8, OBJFMT_BTF_INT_SIGNED);
	l.chr = objfmt_btf__add_int(l.btf, "char", 1, OBJFMT_BTF_INT_SIGNED);
	l.arr = objfmt_btf__add_array(l.btf, (uint32_t)l.chr, (uint32_t)l.ints, 4);
	l.inner = add_struct(l.btf, OBJFMT_BTF_STRUCT, "", 8);
	member(l.btf, l.inner, "b", l.ints, 0, 0);
	member(l.btf, l.inner, "c", l.ints, 32, 0);
	l.uni = add_struct(l.btf, OBJFMT_BTF_UNION, "", 8);
	member(l.btf, l.uni, "", l.inner, 0, 0);
	member(l.btf, l.uni, "d", l.lng, 0, 0);
	l.outer = add_struct(l.btf, OBJFMT_BTF_STRUCT, "outer___local", 24);
	member(l.btf, l.outer, "a", l.ints, 0, 0);
	member(l.btf, l.outer, "", l.uni, 64, 0);
	member(l.btf, l.outer, "f", l.uint, 128, 3);
	member(l.btf, l.outer, "g", l.uint, 131, 5);
	member(l.btf, l.outer, "e", l.arr, 136, 0);
	return l;
}

/* Target: struct outer { long d; int c; char e[8]; unsigned short g:5 (at bit 100);
 * int b; } flat, c@64, e@96... g@100 overlaps nothing checked; b@160. */
static struct layout target_btf(void)
{
	struct layout t = { .btf = objfmt_btf__new() };
	t.ints = objfmt_btf__add_int(t.btf, "int", 4, OBJFMT_BTF_INT_SIGNED);
	t.lng = objfmt_btf__add_int(t.btf, "long", 8, OBJFMT_BTF_INT_SIGNED);
	t.chr = objfmt_btf__add_int(t.btf, "char", 1, OBJFMT_BTF_INT_SIGNED);
	t.uint = objfmt_btf__add_int(t.btf, "unsigned short", 2, 0);
	t.arr = objfmt_btf__add_array(t.btf, (uint32_t)t.chr, (uint32_t)t.ints, 8);
	t.outer = add_struct(t.btf, OBJFMT_BTF_STRUCT, "outer", 32);
	member(t.btf, t.outer, "d", t.lng, 0, 0);
	member(t.btf, t.outer, "c", t.ints, 64, 0);
	member(t.btf, t.outer, "e", t.arr, 96, 0);
	member(t.btf, t.outer, "g", t.uint, 180, 5);
	member(t.btf, t.outer, "b", t.ints, 224, 0);
	return t;
}

/* Resolve one field relocation on outer: parse, match, calc. */
static int field(const char *access, uint32_t kind, struct core_result *res)
{
	struct layout l = local_btf(), t = target_btf();
	struct core_spec local, found;
	int matched;

	ck_assert_int_eq(core_spec_parse(l.btf, (uint32_t)l.outer, access, kind, &local), 0);
	matched = core_spec_match(&local, t.btf, (uint32_t)t.outer, &found);
	ck_assert_int_ge(matched, 0);
	ck_assert_int_eq(core_calc(&local, matched ? &found : NULL, res), 0);
	objfmt_btf__free(l.btf);
	objfmt_btf__free(t.btf);
	return matched;
}

START_TEST(flavor_names)
{
	ck_assert_uint_eq(core_essential_name_length("task_struct___old"), 11);
	ck_assert_uint_eq(core_essential_name_length("a___b___c"), 5);
	ck_assert_uint_eq(core_essential_name_length("__x___y"), 3);
	ck_assert_uint_eq(core_essential_name_length("foo____bar"), 10);
	ck_assert_uint_eq(core_essential_name_length("___"), 3);
	ck_assert_uint_eq(core_essential_name_length("plain"), 5);
}
END_TEST

START_TEST(anonymous_members_are_looked_through)
{
	struct layout l = local_btf();
	struct core_spec spec;
	struct core_result res;

	/* "0:1:0:1" is a -> union -> struct -> c: only c is a named accessor */
	ck_assert_int_eq(core_spec_parse(l.btf, (uint32_t)l.outer, "0:1:0:1",
					 OBJFMT_CORE_FIELD_BYTE_OFFSET, &spec), 0);
	ck_assert_uint_eq(spec.len, 2);
	ck_assert_str_eq(spec.spec[1].name, "c");
	ck_assert_uint_eq(spec.bit_offset, 96);
	objfmt_btf__free(l.btf);
	ck_assert_int_eq(field("0:1:0:1", OBJFMT_CORE_FIELD_BYTE_OFFSET, &res), 1);
	ck_assert_uint_eq(res.orig_value, 12);
	ck_assert_uint_eq(res.new_value, 8);
	ck_assert_int_eq(field("0:1:0:0", OBJFMT_CORE_FIELD_BYTE_OFFSET, &res), 1);
	ck_assert_uint_eq(res.new_value, 28);                   /* b */
	ck_assert_int_eq(field("0:4", OBJFMT_CORE_FIELD_BYTE_SIZE, &res), 1);
	ck_assert_uint_eq(res.orig_value, 4);
	ck_assert_uint_eq(res.new_value, 8);                    /* e grew */
	ck_assert_int_eq(field("0:4:3", OBJFMT_CORE_FIELD_BYTE_OFFSET, &res), 1);
	ck_assert_uint_eq(res.new_value, 15);                   /* e[3] */
}
END_TEST

START_TEST(missing_field_poisons_or_answers_zero)
{
	struct core_result res;

	ck_assert_int_eq(field("0:0", OBJFMT_CORE_FIELD_EXISTS, &res), 0); /* no 'a' */
	ck_assert(!res.poison);
	ck_assert_uint_eq(res.orig_value, 1);
	ck_assert_uint_eq(res.new_value, 0);
	ck_assert_int_eq(field("0:0", OBJFMT_CORE_FIELD_BYTE_OFFSET, &res), 0);
	ck_assert(res.poison);
}
END_TEST

START_TEST(bitfield_values)
{
	struct core_result res;

	/* target g: 5 bits at bit 180 of an unsigned short: the u16 at byte 22 holds bits
	 * 176..191, so offset 22, size 2, lshift 64 - (180 + 5 - 176) = 55, rshift 59 */
	field("0:3", OBJFMT_CORE_FIELD_BYTE_OFFSET, &res);
	ck_assert_uint_eq(res.orig_value, 16);
	ck_assert_uint_eq(res.new_value, 22);
	ck_assert(!res.validate);
	field("0:3", OBJFMT_CORE_FIELD_BYTE_SIZE, &res);
	ck_assert_uint_eq(res.orig_value, 4);
	ck_assert_uint_eq(res.new_value, 2);
	field("0:3", OBJFMT_CORE_FIELD_LSHIFT_U64, &res);
	ck_assert_uint_eq(res.orig_value, 64 - (131 + 5 - 128));
	ck_assert_uint_eq(res.new_value, 55);
	field("0:3", OBJFMT_CORE_FIELD_RSHIFT_U64, &res);
	ck_assert_uint_eq(res.new_value, 59);
	field("0:3", OBJFMT_CORE_FIELD_SIGNED, &res);
	ck_assert_uint_eq(res.new_value, 0);
	field("0:1:0:1", OBJFMT_CORE_FIELD_SIGNED, &res);
	ck_assert_uint_eq(res.new_value, 1);
}
END_TEST

START_TEST(types_and_enums)
{
	struct objfmt_btf *local = objfmt_btf__new(), *target = objfmt_btf__new();
	int li = objfmt_btf__add_int(local, "int", 4, OBJFMT_BTF_INT_SIGNED);
	int ti = objfmt_btf__add_int(target, "int", 4, 0); /* unsigned in the target */
	struct objfmt_btf_type le = { .kind = OBJFMT_BTF_ENUM, .name = "mode___x", .size = 4 };
	struct objfmt_btf_type te = { .kind = OBJFMT_BTF_ENUM, .name = "mode", .size = 4 };
	int lenum = objfmt_btf__add(local, &le), tenum = objfmt_btf__add(target, &te);
	struct objfmt_btf_member lv = { .name = "MODE_ON___x", .value = 5 };
	struct objfmt_btf_member tv = { .name = "MODE_ON", .value = -1 };
	struct core_spec spec, found;
	struct core_result res;

	objfmt_btf__add_member(local, (uint32_t)lenum, &lv);
	objfmt_btf__add_member(target, (uint32_t)tenum, &tv);
	ck_assert_int_eq(core_spec_parse(local, (uint32_t)li, "0", OBJFMT_CORE_TYPE_MATCHES, &spec), 0);
	ck_assert_int_eq(core_spec_match(&spec, target, (uint32_t)ti, &found), 0); /* sign differs */
	ck_assert_int_eq(core_spec_parse(local, (uint32_t)li, "0", OBJFMT_CORE_TYPE_EXISTS, &spec), 0);
	ck_assert_int_eq(core_spec_match(&spec, target, (uint32_t)ti, &found), 1);
	ck_assert_int_eq(core_spec_parse(local, (uint32_t)li, "0", OBJFMT_CORE_TYPE_SIZE, &spec), 0);
	ck_assert_int_eq(core_calc(&spec, NULL, &res), 0);
	ck_assert(!res.poison);                    /* a missing type is size 0, not poison */
	ck_assert_uint_eq(res.new_value, 0);
	ck_assert_int_eq(core_spec_parse(local, (uint32_t)li, "1", OBJFMT_CORE_TYPE_SIZE, &spec),
			 -EINVAL);
	ck_assert_int_eq(core_spec_parse(local, (uint32_t)lenum, "0", OBJFMT_CORE_ENUMVAL_VALUE,
					 &spec), 0);
	ck_assert_int_eq(core_spec_match(&spec, target, (uint32_t)tenum, &found), 1);
	ck_assert_int_eq(core_calc(&spec, &found, &res), 0);
	ck_assert_uint_eq(res.orig_value, 5);
	ck_assert_uint_eq(res.new_value, UINT64_MAX); /* an s32 -1 widens with its sign */
	ck_assert_int_eq(core_calc(&spec, NULL, &res), 0);
	ck_assert(res.poison);
	objfmt_btf__free(local);
	objfmt_btf__free(target);
}
END_TEST

/* An anonymous local struct matches an anonymous target struct, never a named one. */
START_TEST(anonymous_names_in_matches)
{
	struct objfmt_btf *local = objfmt_btf__new(), *target = objfmt_btf__new();
	int li = objfmt_btf__add_int(local, "int", 4, OBJFMT_BTF_INT_SIGNED);
	int ti = objfmt_btf__add_int(target, "int", 4, OBJFMT_BTF_INT_SIGNED);
	int ls = add_struct(local, OBJFMT_BTF_STRUCT, "", 4);
	int named = add_struct(target, OBJFMT_BTF_STRUCT, "kuid", 4);
	int anon = add_struct(target, OBJFMT_BTF_STRUCT, "", 4);

	member(local, ls, "val", li, 0, 0);
	member(target, named, "val", ti, 0, 0);
	member(target, anon, "val", ti, 0, 0);
	ck_assert_int_eq(core_types_match(local, (uint32_t)ls, target, (uint32_t)anon, false, 32), 1);
	ck_assert_int_eq(core_types_match(local, (uint32_t)ls, target, (uint32_t)named, false, 32), 0);
	ck_assert_int_eq(core_types_match(target, (uint32_t)named, target, (uint32_t)named, false, 32), 1);
	objfmt_btf__free(local);
	objfmt_btf__free(target);
}
END_TEST

START_TEST(patching)
{
	struct objfmt_insn ld[2] = { { .code = 0x18, .dst_reg = 1, .imm = 7 }, { 0 } };
	struct objfmt_insn ldx = { .code = 0x79, .dst_reg = 1, .src_reg = 2, .off = 16 };
	struct objfmt_insn mov = { .code = 0xb7, .dst_reg = 1, .imm = 3 };
	struct core_result res = { .orig_value = 16, .new_value = 24, .orig_size = 8,
				   .new_size = 4, .validate = true };

	ck_assert_int_eq(core_patch(&ldx, 1, &res), 0);
	ck_assert_int_eq(ldx.off, 24);
	ck_assert_uint_eq(ldx.code, 0x61);                 /* ldxdw became ldxw */
	res.fail_size_adjust = true;
	ck_assert_int_eq(core_patch(&ldx, 1, &res), -EINVAL); /* off 24 != orig 16 */
	ldx.off = 16;
	ck_assert_int_eq(core_patch(&ldx, 1, &res), 0);
	ck_assert_uint_eq(ldx.code, 0x85);
	ck_assert_int_eq(ldx.imm, CORE_POISON_IMM);
	ck_assert_int_eq(core_patch(&mov, 1, &res), -EINVAL); /* imm 3 != orig 16 */
	res.validate = false;
	ck_assert_int_eq(core_patch(&mov, 1, &res), 0);
	ck_assert_int_eq(mov.imm, 24);
	res = (struct core_result){ .orig_value = 7, .new_value = 0x100000002ull, .validate = true };
	ck_assert_int_eq(core_patch(ld, 2, &res), 0);
	ck_assert_int_eq(ld[0].imm, 2);
	ck_assert_int_eq(ld[1].imm, 1);
	res.poison = true;
	ck_assert_int_eq(core_patch(ld, 2, &res), 0);
	ck_assert_uint_eq(ld[0].code, 0x85);
	ck_assert_uint_eq(ld[1].code, 0x85);               /* both halves, as libbpf */
	ck_assert_int_eq(ld[1].imm, CORE_POISON_IMM);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("resolve");
	SRunner *runner;
	int failed;

	tcase_add_test(tc, flavor_names);
	tcase_add_test(tc, anonymous_members_are_looked_through);
	tcase_add_test(tc, missing_field_poisons_or_answers_zero);
	tcase_add_test(tc, bitfield_values);
	tcase_add_test(tc, types_and_enums);
	tcase_add_test(tc, anonymous_names_in_matches);
	tcase_add_test(tc, patching);
	suite_add_tcase(s, tc);
	runner = srunner_create(s);
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
