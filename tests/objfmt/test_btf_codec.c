/* test_btf_codec.c - Check suite for .BTF decode/encode and the type-graph builder:
 * byte identity on clang's BTF, exact bytes for built BTF, one message per fault. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btf_test_util.h"
#include "ebpf/objfmt.h"

static void assert_round_trip(const char *name)
{
	size_t size;
	void *data = btf_test_read(name, &size);
	struct objfmt_diag diag = { 0 };
	struct objfmt_btf *btf = objfmt_btf__decode(data, size, &diag);
	ck_assert_msg(btf != NULL, "%s: %s", diag.where, diag.message);
	void *out;
	size_t out_size;
	ck_assert_int_eq(objfmt_btf__encode(btf, &out, &out_size), 0);
	ck_assert_uint_eq(out_size, size);
	ck_assert_mem_eq(out, data, size);
	free(out);
	objfmt_btf__free(btf);
	free(data);
}

START_TEST(round_trip_clang14_is_byte_identical)
{
	assert_round_trip("types-clang14.btf");
}
END_TEST

START_TEST(round_trip_clang19_is_byte_identical)
{
	assert_round_trip("types-clang19.btf");
}
END_TEST

static struct objfmt_btf *decode_file(const char *name)
{
	size_t size;
	void *data = btf_test_read(name, &size);
	struct objfmt_btf *btf = objfmt_btf__decode(data, size, NULL);
	free(data);
	ck_assert_ptr_nonnull(btf);
	return btf;
}

static const struct objfmt_btf_type *find_type(const struct objfmt_btf *btf,
					       enum objfmt_btf_kind kind, const char *name)
{
	int id = objfmt_btf__find(btf, kind, name);
	ck_assert_msg(id > 0, "no %s", name);
	return objfmt_btf__type(btf, (uint32_t)id);
}

START_TEST(decode_unsigned_enum_zero_extends)
{
	struct objfmt_btf *btf = decode_file("types-clang14.btf");
	const struct objfmt_btf_type *color = find_type(btf, OBJFMT_BTF_ENUM, "color");
	ck_assert(!color->kind_flag);
	ck_assert_int_eq(color->members[2].value, 4294967293LL);
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(decode_struct_bitfields)
{
	struct objfmt_btf *btf = decode_file("types-clang14.btf");
	const struct objfmt_btf_type *t = find_type(btf, OBJFMT_BTF_STRUCT, "flags");
	ck_assert(t->kind_flag);
	ck_assert_uint_eq(t->size, 8);
	ck_assert_uint_eq(t->vlen, 5);
	ck_assert_str_eq(t->members[4].name, "wide");
	ck_assert_uint_eq(t->members[4].bit_offset, 24);
	ck_assert_uint_eq(t->members[4].bitfield, 40);
	ck_assert_str_eq(t->members[3].name, "byte");
	ck_assert_uint_eq(t->members[3].bitfield, 0);
	ck_assert_uint_eq(t->members[3].bit_offset, 16);
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(decode_enums_keep_signedness_and_width)
{
	struct objfmt_btf *btf = decode_file("types-clang19.btf");
	const struct objfmt_btf_type *color = find_type(btf, OBJFMT_BTF_ENUM, "color");
	ck_assert(color->kind_flag); /* clang 19 marks enums with negative values signed */
	ck_assert_int_eq(color->members[2].value, -3);
	const struct objfmt_btf_type *big = find_type(btf, OBJFMT_BTF_ENUM64, "big");
	ck_assert_uint_eq(big->size, 8);
	ck_assert_int_eq(big->members[1].value, 0x1234567890LL);
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(decode_func_var_datasec_decl_tag)
{
	struct objfmt_btf *btf = decode_file("types-clang14.btf");
	const struct objfmt_btf_type *helper = find_type(btf, OBJFMT_BTF_FUNC, "helper");
	ck_assert_uint_eq(helper->linkage, OBJFMT_BTF_FUNC_STATIC);
	ck_assert_uint_eq(helper->vlen, 0);
	const struct objfmt_btf_type *proto = objfmt_btf__type(btf, helper->type);
	ck_assert_int_eq(proto->kind, OBJFMT_BTF_FUNC_PROTO);
	ck_assert_str_eq(proto->members[1].name, "x");
	const struct objfmt_btf_type *tag = find_type(btf, OBJFMT_BTF_DECL_TAG, "helper_tag");
	ck_assert_int_eq(tag->component_idx, -1);
	ck_assert_int_eq(tag->type, objfmt_btf__find(btf, OBJFMT_BTF_FUNC, "helper"));
	const struct objfmt_btf_type *bss = find_type(btf, OBJFMT_BTF_DATASEC, ".bss");
	ck_assert_uint_eq(bss->vlen, 2);
	ck_assert_uint_eq(bss->members[1].offset, 120);
	ck_assert_uint_eq(bss->members[1].size, 4);
	const struct objfmt_btf_type *hits = objfmt_btf__type(btf, bss->members[1].type);
	ck_assert_str_eq(hits->name, "hits");
	ck_assert_uint_eq(hits->linkage, OBJFMT_BTF_VAR_STATIC);
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(resolve_and_size_follow_modifiers_and_arrays)
{
	struct objfmt_btf *btf = decode_file("types-clang14.btf");
	int node = objfmt_btf__find(btf, OBJFMT_BTF_STRUCT, "node");
	ck_assert_int_eq(objfmt_btf__size(btf, (uint32_t)node), 120);
	const struct objfmt_btf_type *inner = find_type(btf, OBJFMT_BTF_STRUCT, "inner");
	uint32_t b = inner->members[1].type; /* const volatile u64 */
	uint32_t resolved = objfmt_btf__resolve(btf, b);
	ck_assert_int_eq(objfmt_btf__type(btf, resolved)->kind, OBJFMT_BTF_INT);
	ck_assert_str_eq(objfmt_btf__type(btf, resolved)->name, "unsigned long long");
	const struct objfmt_btf_type *n = objfmt_btf__type(btf, (uint32_t)node);
	ck_assert_int_eq(objfmt_btf__size(btf, n->members[7].type), 24); /* u32[2][3] */
	ck_assert_int_eq(objfmt_btf__size(btf, n->members[0].type), 8);  /* pointer */
	ck_assert_int_eq(objfmt_btf__size(btf, 0), -EINVAL);              /* void */
	int proto = objfmt_btf__type(btf, (uint32_t)objfmt_btf__find(btf, OBJFMT_BTF_FUNC,
								     "prog"))->type;
	ck_assert_int_eq(objfmt_btf__size(btf, (uint32_t)proto), -EINVAL);
	ck_assert_int_eq(objfmt_btf__find(btf, OBJFMT_BTF_STRUCT, "missing"), -ENOENT);
	objfmt_btf__free(btf);
}
END_TEST

/* INT int; PTR -> 1; STRUCT s { p: 2 } as the kernel's layout spells them. */
static const uint8_t built_bytes[] = {
	0x9f, 0xeb, 0x01, 0x00, 0x18, 0x00, 0x00, 0x00, /* magic, version, flags, hdr_len */
	0x00, 0x00, 0x00, 0x00, 0x34, 0x00, 0x00, 0x00, /* type_off 0, type_len 52 */
	0x34, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, /* str_off 52, str_len 9 */
	0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, /* [1] 'int' INT */
	0x04, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x01, /* size 4, SIGNED, 32 bits */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, /* [2] PTR */
	0x01, 0x00, 0x00, 0x00,                         /* -> [1] */
	0x05, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x04, /* [3] 's' STRUCT vlen 1 */
	0x08, 0x00, 0x00, 0x00,                         /* size 8 */
	0x07, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, /* 'p' type [2] */
	0x00, 0x00, 0x00, 0x00,                         /* bit offset 0 */
	0x00, 'i', 'n', 't', 0x00, 's', 0x00, 'p', 0x00,
};

static struct objfmt_btf *build_small(void)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	ck_assert_int_eq(objfmt_btf__add_int(btf, "int", 4, OBJFMT_BTF_INT_SIGNED), 1);
	ck_assert_int_eq(objfmt_btf__add_ptr(btf, 1), 2);
	struct objfmt_btf_member p = { .name = "p", .type = 2 };
	struct objfmt_btf_type s = { .kind = OBJFMT_BTF_STRUCT, .name = "s", .size = 8,
				     .vlen = 1, .members = &p };
	ck_assert_int_eq(objfmt_btf__add(btf, &s), 3);
	return btf;
}

START_TEST(builder_encodes_exact_bytes)
{
	struct objfmt_btf *btf = build_small();
	void *out;
	size_t size;
	ck_assert_int_eq(objfmt_btf__encode(btf, &out, &size), 0);
	ck_assert_uint_eq(size, sizeof(built_bytes));
	ck_assert_mem_eq(out, built_bytes, sizeof(built_bytes));
	free(out);
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(builder_output_decodes_to_same_graph)
{
	struct objfmt_btf *btf = objfmt_btf__decode(built_bytes, sizeof(built_bytes), NULL);
	ck_assert_ptr_nonnull(btf);
	ck_assert_uint_eq(objfmt_btf__type_count(btf), 3);
	const struct objfmt_btf_type *i = objfmt_btf__type(btf, 1);
	ck_assert_str_eq(i->name, "int");
	ck_assert_uint_eq(i->int_bits, 32);
	ck_assert_uint_eq(i->int_encoding, OBJFMT_BTF_INT_SIGNED);
	ck_assert_uint_eq(objfmt_btf__type(btf, 2)->type, 1);
	const struct objfmt_btf_type *s = objfmt_btf__type(btf, 3);
	ck_assert_str_eq(s->members[0].name, "p");
	ck_assert_uint_eq(s->members[0].type, 2);
	ck_assert_ptr_null(objfmt_btf__type(btf, 4));
	ck_assert_ptr_null(objfmt_btf__type(btf, 0));
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(builder_add_member_and_every_kind_round_trip)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	int u8 = objfmt_btf__add_int(btf, "u8", 1, 0);
	struct objfmt_btf_type e64 = { .kind = OBJFMT_BTF_ENUM64, .name = "e", .size = 8,
				       .kind_flag = true };
	int e = objfmt_btf__add(btf, &e64);
	struct objfmt_btf_member v = { .name = "NEG", .value = -5 };
	ck_assert_int_eq(objfmt_btf__add_member(btf, (uint32_t)e, &v), 0);
	int arr = objfmt_btf__add_array(btf, (uint32_t)u8, (uint32_t)u8, 6);
	int td = objfmt_btf__add_typedef(btf, "buf_t", (uint32_t)arr);
	int var = objfmt_btf__add_var(btf, "buf", (uint32_t)td, OBJFMT_BTF_VAR_GLOBAL);
	struct objfmt_btf_type sec = { .kind = OBJFMT_BTF_DATASEC, .name = ".data", .size = 6 };
	int ds = objfmt_btf__add(btf, &sec);
	struct objfmt_btf_member entry = { .type = (uint32_t)var, .offset = 0, .size = 6 };
	ck_assert_int_eq(objfmt_btf__add_member(btf, (uint32_t)ds, &entry), 0);
	struct objfmt_btf_type tag = { .kind = OBJFMT_BTF_TYPE_TAG, .name = "user",
				       .type = (uint32_t)u8 };
	ck_assert_int_eq(objfmt_btf__add(btf, &tag), 7);
	struct objfmt_btf_type flt = { .kind = OBJFMT_BTF_FLOAT, .name = "float", .size = 4 };
	ck_assert_int_eq(objfmt_btf__add(btf, &flt), 8);
	void *out, *again;
	size_t size, again_size;
	ck_assert_int_eq(objfmt_btf__encode(btf, &out, &size), 0);
	struct objfmt_btf *copy = objfmt_btf__decode(out, size, NULL);
	ck_assert_ptr_nonnull(copy);
	ck_assert_int_eq(objfmt_btf__type(copy, (uint32_t)e)->members[0].value, -5);
	ck_assert_uint_eq(objfmt_btf__type(copy, (uint32_t)arr)->array_nelems, 6);
	ck_assert_int_eq(objfmt_btf__size(copy, (uint32_t)var), 6);
	ck_assert_int_eq(objfmt_btf__encode(copy, &again, &again_size), 0);
	ck_assert_uint_eq(again_size, size);
	ck_assert_mem_eq(again, out, size);
	free(out);
	free(again);
	objfmt_btf__free(copy);
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(builder_rejects_bad_arguments)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	struct objfmt_btf_type bad = { .kind = 20, .name = "x" };
	ck_assert_int_eq(objfmt_btf__add(btf, &bad), -EINVAL);
	bad.kind = OBJFMT_BTF_UNKN;
	ck_assert_int_eq(objfmt_btf__add(btf, &bad), -EINVAL);
	struct objfmt_btf_type no_members = { .kind = OBJFMT_BTF_STRUCT, .vlen = 2 };
	ck_assert_int_eq(objfmt_btf__add(btf, &no_members), -EINVAL);
	struct objfmt_btf_member m = { .name = "m" };
	ck_assert_int_eq(objfmt_btf__add_member(btf, 1, &m), -EINVAL);
	ck_assert_uint_eq(objfmt_btf__type_count(btf), 0);
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(renamed_type_appends_its_name_on_encode)
{
	struct objfmt_btf *btf = objfmt_btf__decode(built_bytes, sizeof(built_bytes), NULL);
	objfmt_btf__type_mut(btf, 3)->name = "renamed";
	void *out;
	size_t size;
	ck_assert_int_eq(objfmt_btf__encode(btf, &out, &size), 0);
	ck_assert_uint_eq(size, sizeof(built_bytes) + 8);
	ck_assert_mem_eq((uint8_t *)out + sizeof(built_bytes), "renamed", 8);
	const uint8_t *p = out;
	ck_assert_uint_eq(p[52], 9); /* name_off of [3] now points at "renamed" */
	free(out);
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(string_table_accessors)
{
	struct objfmt_btf *btf = objfmt_btf__decode(built_bytes, sizeof(built_bytes), NULL);
	ck_assert_int_eq(objfmt_btf__string_offset(btf, "int"), 1);
	ck_assert_int_eq(objfmt_btf__string_offset(btf, "nt"), -ENOENT);
	ck_assert_int_eq(objfmt_btf__add_string(btf, "p"), 7);
	ck_assert_int_eq(objfmt_btf__add_string(btf, "file.c"), 9);
	ck_assert_str_eq(objfmt_btf__string(btf, 9), "file.c");
	ck_assert_str_eq(objfmt_btf__string(btf, 2), "nt");
	ck_assert_ptr_null(objfmt_btf__string(btf, 16));
	ck_assert_int_eq(errno, ENOENT);
	objfmt_btf__free(btf);
}
END_TEST

/* Names pointing into the middle of a string and a string stored twice: both kept. */
START_TEST(round_trip_keeps_suffix_and_duplicate_string_offsets)
{
	static const uint8_t bytes[] = {
		0x9f, 0xeb, 0x01, 0x00, 0x18, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, /* type_len 32 */
		0x20, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, /* str_off 32, str_len 9 */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, /* [1] INT name_off 2: "bc" */
		0x04, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00,
		0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, /* [2] INT name_off 5: "abc" */
		0x04, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00,
		0x00, 'a', 'b', 'c', 0x00, 'a', 'b', 'c', 0x00,
	};
	struct objfmt_btf *btf = objfmt_btf__decode(bytes, sizeof(bytes), NULL);
	ck_assert_ptr_nonnull(btf);
	ck_assert_str_eq(objfmt_btf__type(btf, 1)->name, "bc");
	ck_assert_str_eq(objfmt_btf__type(btf, 2)->name, "abc");
	void *out;
	size_t size;
	ck_assert_int_eq(objfmt_btf__encode(btf, &out, &size), 0);
	ck_assert_uint_eq(size, sizeof(bytes));
	ck_assert_mem_eq(out, bytes, sizeof(bytes));
	free(out);
	/* a built type named "abc" reuses the first copy */
	ck_assert_int_eq(objfmt_btf__add_int(btf, "abc", 1, 0), 3);
	ck_assert_int_eq(objfmt_btf__string_offset(btf, "abc"), 1);
	objfmt_btf__free(btf);
}
END_TEST

/* Decode `built_bytes` with one byte range replaced; expect exactly `message`. */
static void assert_decode_fault(size_t at, const void *patch, size_t len, size_t size,
				const char *where, const char *message)
{
	uint8_t data[sizeof(built_bytes) + 16];
	memcpy(data, built_bytes, sizeof(built_bytes));
	memcpy(data + at, patch, len);
	struct objfmt_diag diag = { 0 };
	errno = 0;
	ck_assert_ptr_null(objfmt_btf__decode(data, size, &diag));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_str_eq(diag.where, where);
	ck_assert_str_eq(diag.message, message);
}

#define U32(v) (const uint8_t[]){ (v) & 0xff, (v) >> 8 & 0xff, (v) >> 16 & 0xff, (v) >> 24 }
#define FULL sizeof(built_bytes)

/* Bits 8-15 of an INT's data word mean nothing, but the kernel accepts them: keep
 * them, unseen by the model, so the bytes come back unchanged. */
START_TEST(unused_int_bits_survive_a_round_trip)
{
	uint8_t data[sizeof(built_bytes)];
	memcpy(data, built_bytes, sizeof(built_bytes));
	data[37] = 0x75; /* INT data 0x01007520 */
	struct objfmt_btf *btf = objfmt_btf__decode(data, sizeof(data), NULL);
	ck_assert_ptr_nonnull(btf);
	ck_assert_uint_eq(objfmt_btf__type(btf, 1)->int_bits, 32);
	void *out;
	size_t size;
	ck_assert_int_eq(objfmt_btf__encode(btf, &out, &size), 0);
	ck_assert_uint_eq(size, sizeof(data));
	ck_assert_mem_eq(out, data, sizeof(data));
	free(out);
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(decode_rejects_short_header)
{
	assert_decode_fault(0, "", 0, 5, "BTF header", "truncated: 5 bytes, need at least 8");
}
END_TEST

START_TEST(decode_rejects_bad_magic)
{
	assert_decode_fault(0, "\xeb\x9f", 2, FULL, "BTF header",
			    "invalid magic 0x9feb, expected 0xeb9f");
}
END_TEST

START_TEST(decode_rejects_bad_version_and_flags)
{
	assert_decode_fault(2, "\x02", 1, FULL, "BTF header", "unsupported version 2, expected 1");
	assert_decode_fault(3, "\x01", 1, FULL, "BTF header",
			    "unsupported flags 0x01, expected 0");
}
END_TEST

START_TEST(decode_rejects_bad_header_length)
{
	assert_decode_fault(4, U32(16), 4, FULL, "BTF header",
			    "header length 16 invalid (need 24..85)");
}
END_TEST

START_TEST(decode_rejects_type_section_past_end)
{
	assert_decode_fault(12, U32(0x1000), 4, FULL, "BTF header",
			    "type section length 4096 past the end (61 bytes of data)");
}
END_TEST

START_TEST(decode_rejects_misplaced_string_section)
{
	assert_decode_fault(16, U32(48), 4, FULL, "BTF header",
			    "string section offset 48, expected 52 (right after types)");
	assert_decode_fault(20, U32(20), 4, FULL, "BTF header",
			    "string section length 20 does not end at the data end "
			    "(61 bytes of data)");
}
END_TEST

START_TEST(decode_rejects_unterminated_strings)
{
	assert_decode_fault(FULL - 1, "x", 1, FULL, "BTF strings",
			    "last string is not NUL-terminated");
	assert_decode_fault(76, "!", 1, FULL, "BTF strings",
			    "string section does not start with an empty string");
}
END_TEST

START_TEST(decode_rejects_name_offset_out_of_range)
{
	assert_decode_fault(24, U32(9), 4, FULL, "BTF type [1]",
			    "name offset 9 out of range (string section is 9 bytes)");
}
END_TEST

START_TEST(decode_rejects_unknown_kind_and_reserved_bits)
{
	assert_decode_fault(28, U32(0x14000000), 4, FULL, "BTF type [1]", "unknown kind 20");
	assert_decode_fault(28, U32(0x01010000), 4, FULL, "BTF type [1]",
			    "invalid info 0x01010000 (reserved bits set)");
	assert_decode_fault(28, U32(0x01000002), 4, FULL, "BTF type [1]",
			    "INT with vlen 2, expected 0");
	assert_decode_fault(36, U32(0x11000020), 4, FULL, "BTF type [1]",
			    "invalid int data 0x11000020 (reserved bits set)");
}
END_TEST

START_TEST(decode_rejects_truncated_member_list)
{
	/* STRUCT [3] claims 2 members but only one follows before the strings. */
	assert_decode_fault(52 + 4, U32(0x04000002), 4, FULL, "BTF type [3]",
			    "truncated member list: needs 24 bytes, 12 left in the type section");
}
END_TEST

Suite *btf_codec_suite(void)
{
	Suite *s = suite_create("btf_codec");
	TCase *tc = tcase_create("codec");
	tcase_add_test(tc, round_trip_clang14_is_byte_identical);
	tcase_add_test(tc, round_trip_clang19_is_byte_identical);
	tcase_add_test(tc, decode_struct_bitfields);
	tcase_add_test(tc, decode_unsigned_enum_zero_extends);
	tcase_add_test(tc, decode_enums_keep_signedness_and_width);
	tcase_add_test(tc, decode_func_var_datasec_decl_tag);
	tcase_add_test(tc, resolve_and_size_follow_modifiers_and_arrays);
	tcase_add_test(tc, builder_encodes_exact_bytes);
	tcase_add_test(tc, builder_output_decodes_to_same_graph);
	tcase_add_test(tc, builder_add_member_and_every_kind_round_trip);
	tcase_add_test(tc, builder_rejects_bad_arguments);
	tcase_add_test(tc, renamed_type_appends_its_name_on_encode);
	tcase_add_test(tc, string_table_accessors);
	tcase_add_test(tc, round_trip_keeps_suffix_and_duplicate_string_offsets);
	tcase_add_test(tc, unused_int_bits_survive_a_round_trip);
	tcase_add_test(tc, decode_rejects_short_header);
	tcase_add_test(tc, decode_rejects_bad_magic);
	tcase_add_test(tc, decode_rejects_bad_version_and_flags);
	tcase_add_test(tc, decode_rejects_bad_header_length);
	tcase_add_test(tc, decode_rejects_type_section_past_end);
	tcase_add_test(tc, decode_rejects_misplaced_string_section);
	tcase_add_test(tc, decode_rejects_unterminated_strings);
	tcase_add_test(tc, decode_rejects_name_offset_out_of_range);
	tcase_add_test(tc, decode_rejects_unknown_kind_and_reserved_bits);
	tcase_add_test(tc, decode_rejects_truncated_member_list);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(btf_codec_suite());
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
