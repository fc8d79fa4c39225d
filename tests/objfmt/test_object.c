/* test_object.c - Check tests of the object model builder (sections, symbols,
 * relocations, BTF ownership) in objfmt/object.c. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ebpf/objfmt.h"

static const uint64_t CODE_FLAGS = OBJFMT_SHF_ALLOC | OBJFMT_SHF_EXECINSTR;

START_TEST(test_sections_get_consecutive_indices)
{
	struct objfmt_object *obj = objfmt_object__new();

	ck_assert_int_eq(objfmt_object__add_section(obj, ".text", OBJFMT_SEC_PROGBITS,
						    CODE_FLAGS, 8), 0);
	ck_assert_int_eq(objfmt_object__add_section(obj, "xdp", OBJFMT_SEC_PROGBITS,
						    CODE_FLAGS, 8), 1);
	ck_assert_int_eq(objfmt_object__add_section(obj, ".bss", OBJFMT_SEC_NOBITS,
						    OBJFMT_SHF_ALLOC | OBJFMT_SHF_WRITE, 4), 2);
	ck_assert_uint_eq(objfmt_object__section_count(obj), 3);
	ck_assert_str_eq(objfmt_object__section(obj, 1)->name, "xdp");
	ck_assert_uint_eq(objfmt_object__section(obj, 2)->index, 2);
	ck_assert_uint_eq(objfmt_object__section(obj, 2)->kind, OBJFMT_SEC_NOBITS);
	ck_assert_uint_eq(objfmt_object__section(obj, 0)->align, 8);
	ck_assert_ptr_null(objfmt_object__section(obj, 3));
	objfmt_object__free(obj);
}
END_TEST

START_TEST(test_section_lookup_by_name)
{
	struct objfmt_object *obj = objfmt_object__new();
	char name[32];
	int i;

	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "sec%d", i);
		ck_assert_int_eq(objfmt_object__add_section(obj, name, OBJFMT_SEC_PROGBITS,
							    0, 1), i);
	}
	ck_assert_int_eq(objfmt_object__find_section(obj, "sec0"), 0);
	ck_assert_int_eq(objfmt_object__find_section(obj, "sec77"), 77);
	ck_assert_int_eq(objfmt_object__find_section(obj, "sec100"), -ENOENT);
	ck_assert_int_eq(objfmt_object__find_section(obj, ""), -ENOENT);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(test_section_rejects_duplicates_and_bad_arguments)
{
	struct objfmt_object *obj = objfmt_object__new();

	ck_assert_int_eq(objfmt_object__add_section(obj, "xdp", OBJFMT_SEC_PROGBITS, 0, 8), 0);
	ck_assert_int_eq(objfmt_object__add_section(obj, "xdp", OBJFMT_SEC_PROGBITS, 0, 8),
			 -EEXIST);
	ck_assert_int_eq(objfmt_object__add_section(obj, "a", OBJFMT_SEC_PROGBITS, 0, 3),
			 -EINVAL);
	ck_assert_int_eq(objfmt_object__add_section(obj, "a", OBJFMT_SEC_PROGBITS, 0, 8192),
			 -EINVAL);
	ck_assert_int_eq(objfmt_object__add_section(obj, "a", OBJFMT_SEC_PROGBITS, 0, 4096), 1);
	ck_assert_int_eq(objfmt_object__add_section(obj, "", OBJFMT_SEC_PROGBITS, 0, 1),
			 -EINVAL);
	ck_assert_int_eq(objfmt_object__add_section(obj, NULL, OBJFMT_SEC_PROGBITS, 0, 1),
			 -EINVAL);
	ck_assert_int_eq(objfmt_object__add_section(obj, "b", (enum objfmt_section_kind)7,
						    0, 1), -EINVAL);
	/* names the ELF writer generates itself */
	ck_assert_int_eq(objfmt_object__add_section(obj, ".relxdp", OBJFMT_SEC_PROGBITS, 0, 8),
			 -EINVAL);
	ck_assert_int_eq(objfmt_object__add_section(obj, ".symtab", OBJFMT_SEC_PROGBITS, 0, 8),
			 -EINVAL);
	ck_assert_int_eq(objfmt_object__add_section(obj, ".strtab", OBJFMT_SEC_PROGBITS, 0, 1),
			 -EINVAL);
	ck_assert_uint_eq(objfmt_object__section_count(obj), 2);
	/* alignment 0 means "no constraint" in ELF and becomes 1 */
	ck_assert_int_eq(objfmt_object__add_section(obj, "c", OBJFMT_SEC_PROGBITS, 0, 0), 2);
	ck_assert_uint_eq(objfmt_object__section(obj, 2)->align, 1);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(test_append_returns_offsets_and_keeps_bytes)
{
	struct objfmt_object *obj = objfmt_object__new();
	const uint8_t insn[8] = { 0xb7, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00 };
	const uint8_t zeros[8] = { 0 };
	struct objfmt_section *sec;
	int i;

	objfmt_object__add_section(obj, "xdp", OBJFMT_SEC_PROGBITS, CODE_FLAGS, 8);
	for (i = 0; i < 1000; i++)
		ck_assert_int_eq(objfmt_object__append(obj, 0, insn, 8), i * 8);
	ck_assert_int_eq(objfmt_object__append(obj, 0, NULL, 8), 8000);
	sec = objfmt_object__section(obj, 0);
	ck_assert_uint_eq(sec->size, 8008);
	ck_assert_mem_eq(sec->data + 7992, insn, 8);
	ck_assert_mem_eq(sec->data + 8000, zeros, 8);
	ck_assert_int_eq(objfmt_object__append(obj, 0, insn, 0), 8008);
	ck_assert_int_eq(objfmt_object__append(obj, 1, insn, 8), -EINVAL);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(test_nobits_grows_without_bytes)
{
	struct objfmt_object *obj = objfmt_object__new();
	const uint8_t zeros[4] = { 0 };
	const uint8_t one[4] = { 1, 0, 0, 0 };

	objfmt_object__add_section(obj, ".bss", OBJFMT_SEC_NOBITS,
				   OBJFMT_SHF_ALLOC | OBJFMT_SHF_WRITE, 4);
	ck_assert_int_eq(objfmt_object__append(obj, 0, NULL, 12), 0);
	ck_assert_int_eq(objfmt_object__append(obj, 0, zeros, 4), 12);
	ck_assert_int_eq(objfmt_object__append(obj, 0, one, 4), -EINVAL);
	ck_assert_uint_eq(objfmt_object__section(obj, 0)->size, 16);
	ck_assert_ptr_null(objfmt_object__section(obj, 0)->data);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(test_align_pads_with_zeros_and_raises_alignment)
{
	struct objfmt_object *obj = objfmt_object__new();
	struct objfmt_section *sec;

	objfmt_object__add_section(obj, ".rodata", OBJFMT_SEC_PROGBITS, OBJFMT_SHF_ALLOC, 1);
	objfmt_object__append(obj, 0, "abc", 3);
	ck_assert_int_eq(objfmt_object__align(obj, 0, 8), 0);
	sec = objfmt_object__section(obj, 0);
	ck_assert_uint_eq(sec->size, 8);
	ck_assert_uint_eq(sec->align, 8);
	ck_assert_mem_eq(sec->data, "abc\0\0\0\0\0", 8);
	ck_assert_int_eq(objfmt_object__align(obj, 0, 4), 0);
	ck_assert_uint_eq(sec->size, 8);
	ck_assert_uint_eq(sec->align, 8);
	ck_assert_int_eq(objfmt_object__align(obj, 0, 6), -EINVAL);
	ck_assert_int_eq(objfmt_object__align(obj, 0, 0), -EINVAL);
	ck_assert_int_eq(objfmt_object__align(obj, 0, 8192), -EINVAL);
	objfmt_object__free(obj);
}
END_TEST

static struct objfmt_symbol make_symbol(const char *name, enum objfmt_sym_bind bind,
					enum objfmt_sym_type type, size_t section)
{
	struct objfmt_symbol sym = { .name = name, .bind = bind, .type = type,
				     .section = section };
	return sym;
}

START_TEST(test_symbols_are_copied_and_found)
{
	struct objfmt_object *obj = objfmt_object__new();
	char name[16] = "prog";
	struct objfmt_symbol sym = make_symbol(name, OBJFMT_BIND_GLOBAL, OBJFMT_SYM_FUNC, 0);
	struct objfmt_symbol *got;

	objfmt_object__add_section(obj, "xdp", OBJFMT_SEC_PROGBITS, CODE_FLAGS, 8);
	sym.size = 16;
	ck_assert_int_eq(objfmt_object__add_symbol(obj, &sym), 0);
	strcpy(name, "gone");
	sym = make_symbol("", OBJFMT_BIND_LOCAL, OBJFMT_SYM_SECTION, 0);
	ck_assert_int_eq(objfmt_object__add_symbol(obj, &sym), 1);
	got = objfmt_object__symbol(obj, 0);
	ck_assert_str_eq(got->name, "prog");
	ck_assert_uint_eq(got->size, 16);
	ck_assert_uint_eq(got->index, 0);
	ck_assert_uint_eq(objfmt_object__symbol(obj, 1)->index, 1);
	ck_assert_int_eq(objfmt_object__find_symbol(obj, "prog"), 0);
	ck_assert_int_eq(objfmt_object__find_symbol(obj, "gone"), -ENOENT);
	ck_assert_int_eq(objfmt_object__find_symbol(obj, ""), -ENOENT);
	ck_assert_uint_eq(objfmt_object__symbol_count(obj), 2);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(test_symbol_rules)
{
	struct objfmt_object *obj = objfmt_object__new();
	struct objfmt_symbol sym;

	objfmt_object__add_section(obj, "xdp", OBJFMT_SEC_PROGBITS, CODE_FLAGS, 8);
	sym = make_symbol("f", OBJFMT_BIND_GLOBAL, OBJFMT_SYM_FUNC, 0);
	ck_assert_int_eq(objfmt_object__add_symbol(obj, &sym), 0);
	/* a second global definition of the same name */
	ck_assert_int_eq(objfmt_object__add_symbol(obj, &sym), -EEXIST);
	sym.bind = OBJFMT_BIND_WEAK;
	ck_assert_int_eq(objfmt_object__add_symbol(obj, &sym), -EEXIST);
	/* a local of the same name may coexist (static function in another section) */
	sym.bind = OBJFMT_BIND_LOCAL;
	ck_assert_int_eq(objfmt_object__add_symbol(obj, &sym), 1);
	ck_assert_int_eq(objfmt_object__find_symbol(obj, "f"), 0);
	/* section out of range, undefined local, unnamed global */
	sym = make_symbol("g", OBJFMT_BIND_GLOBAL, OBJFMT_SYM_OBJECT, 1);
	ck_assert_int_eq(objfmt_object__add_symbol(obj, &sym), -EINVAL);
	sym = make_symbol("h", OBJFMT_BIND_LOCAL, OBJFMT_SYM_NOTYPE, OBJFMT_SECTION_UNDEF);
	ck_assert_int_eq(objfmt_object__add_symbol(obj, &sym), -EINVAL);
	sym = make_symbol("", OBJFMT_BIND_GLOBAL, OBJFMT_SYM_FUNC, 0);
	ck_assert_int_eq(objfmt_object__add_symbol(obj, &sym), -EINVAL);
	/* section symbols are local and defined; file symbols are local and absolute */
	sym = make_symbol("", OBJFMT_BIND_GLOBAL, OBJFMT_SYM_SECTION, 0);
	ck_assert_int_eq(objfmt_object__add_symbol(obj, &sym), -EINVAL);
	sym = make_symbol("a.c", OBJFMT_BIND_LOCAL, OBJFMT_SYM_FILE, 0);
	ck_assert_int_eq(objfmt_object__add_symbol(obj, &sym), -EINVAL);
	sym.section = OBJFMT_SECTION_ABS;
	ck_assert_int_eq(objfmt_object__add_symbol(obj, &sym), 2);
	/* an extern is global and undefined */
	sym = make_symbol("bpf_kfunc", OBJFMT_BIND_GLOBAL, OBJFMT_SYM_NOTYPE,
			  OBJFMT_SECTION_UNDEF);
	ck_assert_int_eq(objfmt_object__add_symbol(obj, &sym), 3);
	sym.vis = (enum objfmt_sym_visibility)5;
	sym.name = "other";
	ck_assert_int_eq(objfmt_object__add_symbol(obj, &sym), -EINVAL);
	ck_assert_int_eq(objfmt_object__add_symbol(obj, NULL), -EINVAL);
	ck_assert_uint_eq(objfmt_object__symbol_count(obj), 4);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(test_relocations_are_checked_and_kept)
{
	struct objfmt_object *obj = objfmt_object__new();
	struct objfmt_symbol sym = make_symbol("counts", OBJFMT_BIND_GLOBAL,
					       OBJFMT_SYM_OBJECT, 1);
	struct objfmt_reloc rel = { .section = 0, .offset = 8, .type = OBJFMT_R_BPF_64_64,
				    .symbol = 0 };
	const struct objfmt_reloc *got;

	objfmt_object__add_section(obj, "xdp", OBJFMT_SEC_PROGBITS, CODE_FLAGS, 8);
	objfmt_object__add_section(obj, ".maps", OBJFMT_SEC_PROGBITS,
				   OBJFMT_SHF_ALLOC | OBJFMT_SHF_WRITE, 8);
	objfmt_object__add_section(obj, ".bss", OBJFMT_SEC_NOBITS, OBJFMT_SHF_ALLOC, 8);
	objfmt_object__add_symbol(obj, &sym);
	ck_assert_int_eq(objfmt_object__add_reloc(obj, &rel), 0);
	got = objfmt_object__reloc(obj, 0);
	ck_assert_uint_eq(got->offset, 8);
	ck_assert_uint_eq(got->type, OBJFMT_R_BPF_64_64);
	ck_assert_ptr_null(objfmt_object__reloc(obj, 1));
	rel.symbol = 1;
	ck_assert_int_eq(objfmt_object__add_reloc(obj, &rel), -EINVAL);
	rel.symbol = 0;
	rel.section = 3;
	ck_assert_int_eq(objfmt_object__add_reloc(obj, &rel), -EINVAL);
	rel.section = 2; /* NOBITS holds no bytes to patch */
	ck_assert_int_eq(objfmt_object__add_reloc(obj, &rel), -EINVAL);
	rel.section = 0;
	rel.type = OBJFMT_R_BPF_NONE;
	ck_assert_int_eq(objfmt_object__add_reloc(obj, &rel), -EINVAL);
	rel.type = (enum objfmt_reloc_type)5;
	ck_assert_int_eq(objfmt_object__add_reloc(obj, &rel), -EINVAL);
	ck_assert_uint_eq(objfmt_object__reloc_count(obj), 1);
	objfmt_object__free(obj);
}
END_TEST

START_TEST(test_reloc_width_follows_the_abi)
{
	struct objfmt_section code = { .flags = CODE_FLAGS };
	struct objfmt_section data = { .flags = OBJFMT_SHF_ALLOC };

	ck_assert_uint_eq(objfmt_reloc_width(&code, OBJFMT_R_BPF_64_64), 16);
	ck_assert_uint_eq(objfmt_reloc_width(&code, OBJFMT_R_BPF_64_32), 8);
	ck_assert_uint_eq(objfmt_reloc_width(&data, OBJFMT_R_BPF_64_64), 8);
	ck_assert_uint_eq(objfmt_reloc_width(&data, OBJFMT_R_BPF_64_ABS64), 8);
	ck_assert_uint_eq(objfmt_reloc_width(&data, OBJFMT_R_BPF_64_ABS32), 4);
	ck_assert_uint_eq(objfmt_reloc_width(&data, OBJFMT_R_BPF_64_NODYLD32), 4);
	ck_assert_uint_eq(objfmt_reloc_width(&data, OBJFMT_R_BPF_NONE), 0);
	ck_assert(objfmt_reloc_type_known(10));
	ck_assert(!objfmt_reloc_type_known(0));
	ck_assert(!objfmt_reloc_type_known(11));
}
END_TEST

START_TEST(test_btf_is_owned_by_the_object)
{
	struct objfmt_object *obj = objfmt_object__new();
	struct objfmt_btf *first = objfmt_btf__new();
	struct objfmt_btf *second = objfmt_btf__new();
	struct objfmt_btf_ext *ext = objfmt_btf_ext__new();

	ck_assert_ptr_null(objfmt_object__btf(obj));
	objfmt_object__set_btf(obj, first);
	objfmt_object__set_btf(obj, first); /* same pointer: kept, not freed */
	ck_assert_ptr_eq(objfmt_object__btf(obj), first);
	objfmt_object__set_btf(obj, second); /* frees `first` (ASan would catch a leak) */
	ck_assert_ptr_eq(objfmt_object__btf(obj), second);
	objfmt_object__set_btf_ext(obj, ext);
	ck_assert_ptr_eq(objfmt_object__btf_ext(obj), ext);
	objfmt_object__free(obj);
	objfmt_object__free(NULL);
}
END_TEST

START_TEST(test_null_object_readers_are_safe)
{
	ck_assert_uint_eq(objfmt_object__section_count(NULL), 0);
	ck_assert_uint_eq(objfmt_object__symbol_count(NULL), 0);
	ck_assert_uint_eq(objfmt_object__reloc_count(NULL), 0);
	ck_assert_ptr_null(objfmt_object__section(NULL, 0));
	ck_assert_int_eq(objfmt_object__find_section(NULL, "x"), -ENOENT);
	ck_assert_int_eq(objfmt_object__append(NULL, 0, NULL, 1), -EINVAL);
}
END_TEST

static Suite *object_suite(void)
{
	Suite *suite = suite_create("object");
	TCase *tc = tcase_create("builder");

	tcase_add_test(tc, test_sections_get_consecutive_indices);
	tcase_add_test(tc, test_section_lookup_by_name);
	tcase_add_test(tc, test_section_rejects_duplicates_and_bad_arguments);
	tcase_add_test(tc, test_append_returns_offsets_and_keeps_bytes);
	tcase_add_test(tc, test_nobits_grows_without_bytes);
	tcase_add_test(tc, test_align_pads_with_zeros_and_raises_alignment);
	tcase_add_test(tc, test_symbols_are_copied_and_found);
	tcase_add_test(tc, test_symbol_rules);
	tcase_add_test(tc, test_relocations_are_checked_and_kept);
	tcase_add_test(tc, test_reloc_width_follows_the_abi);
	tcase_add_test(tc, test_btf_is_owned_by_the_object);
	tcase_add_test(tc, test_null_object_readers_are_safe);
	suite_add_tcase(suite, tc);
	return suite;
}

int main(void)
{
	SRunner *runner = srunner_create(object_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
