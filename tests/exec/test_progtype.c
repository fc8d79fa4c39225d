/* test_progtype.c - ctx access rules and rewrites of the program type table. */
#include <check.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#include "../../kernel/progtype.h"

static int access_of(uint32_t type, int32_t off, uint32_t size, bool write,
		     struct emu_ctx_access *out)
{
	const struct emu_progtype *pt = emu_progtype_get(type);

	ck_assert_ptr_nonnull(pt);
	return emu_progtype_ctx_access(pt, off, size, write, out);
}

START_TEST(xdp_data_is_packet_pointer_rewritten_to_dw)
{
	struct emu_ctx_access a;
	struct objfmt_insn insn = { .code = 0x61, .dst_reg = 2, .src_reg = 1, .off = 4 };

	ck_assert_int_eq(access_of(BPF_PROG_TYPE_XDP, 4, 4, false, &a), 0);
	ck_assert_int_eq(a.kind, EMU_CTX_PKT_END);
	emu_progtype_ctx_convert(&a, &insn);
	ck_assert_uint_eq(insn.code, 0x79);
	ck_assert_int_eq(insn.off, (int)offsetof(struct emu_ctx_xdp, data_end));
	ck_assert_uint_eq(insn.dst_reg, 2);
}
END_TEST

START_TEST(xdp_rejects_narrow_write_and_out_of_range)
{
	struct emu_ctx_access a;

	ck_assert_int_eq(access_of(BPF_PROG_TYPE_XDP, 12, 2, false, &a), -EACCES);
	ck_assert_int_eq(access_of(BPF_PROG_TYPE_XDP, 12, 4, true, &a), -EACCES);
	ck_assert_int_eq(access_of(BPF_PROG_TYPE_XDP, 24, 4, false, &a), -EACCES);
	ck_assert_int_eq(access_of(BPF_PROG_TYPE_XDP, 2, 4, false, &a), -EACCES);
	ck_assert_int_eq(access_of(BPF_PROG_TYPE_XDP, 12, 4, false, &a), 0);
	ck_assert_int_eq(a.kind, EMU_CTX_SCALAR);
	ck_assert_uint_eq(a.runtime_off, 12);
}
END_TEST

START_TEST(skb_narrow_load_keeps_offset)
{
	struct emu_ctx_access a;
	struct objfmt_insn insn = { .code = 0x71, .dst_reg = 0, .src_reg = 1, .off = 9 };

	ck_assert_int_eq(access_of(BPF_PROG_TYPE_SOCKET_FILTER, 9, 1, false, &a), 0);
	emu_progtype_ctx_convert(&a, &insn);
	ck_assert_uint_eq(insn.code, 0x71);
	ck_assert_int_eq(insn.off, 9);
}
END_TEST

START_TEST(socket_filter_denies_packet_pointers_and_mark_write)
{
	struct emu_ctx_access a;
	int data = offsetof(struct __sk_buff, data);
	int mark = offsetof(struct __sk_buff, mark);

	ck_assert_int_eq(access_of(BPF_PROG_TYPE_SOCKET_FILTER, data, 4, false, &a), -EACCES);
	ck_assert_int_eq(access_of(BPF_PROG_TYPE_SOCKET_FILTER, mark, 4, true, &a), -EACCES);
	ck_assert_int_eq(access_of(BPF_PROG_TYPE_SCHED_CLS, mark, 4, true, &a), 0);
	ck_assert_int_eq(access_of(BPF_PROG_TYPE_SCHED_CLS, mark, 2, true, &a), -EACCES);
	ck_assert_int_eq(access_of(BPF_PROG_TYPE_SCHED_CLS, data, 4, false, &a), 0);
	ck_assert_int_eq(a.kind, EMU_CTX_PKT);
	ck_assert_uint_eq(a.runtime_off, offsetof(struct emu_ctx_skb, data));
	ck_assert_uint_eq(a.runtime_size, 8);
}
END_TEST

START_TEST(skb_cb_allows_any_size_and_u64_pairs)
{
	struct emu_ctx_access a;
	int cb = offsetof(struct __sk_buff, cb);

	ck_assert_int_eq(access_of(BPF_PROG_TYPE_SOCKET_FILTER, cb + 3, 1, true, &a), 0);
	ck_assert_int_eq(access_of(BPF_PROG_TYPE_SOCKET_FILTER, cb + 8, 8, true, &a), 0);
	ck_assert_uint_eq(a.runtime_size, 8);
	/* cb[4] is the last element: an 8-byte access there leaves the array */
	ck_assert_int_eq(access_of(BPF_PROG_TYPE_SOCKET_FILTER, cb + 16, 8, false, &a),
			 -EACCES);
}
END_TEST

START_TEST(flow_dissector_only_packet_and_keys)
{
	struct emu_ctx_access a;

	ck_assert_int_eq(access_of(BPF_PROG_TYPE_FLOW_DISSECTOR, 0, 4, false, &a), -EACCES);
	ck_assert_int_eq(access_of(BPF_PROG_TYPE_FLOW_DISSECTOR,
				   offsetof(struct __sk_buff, flow_keys), 8, false, &a), 0);
	ck_assert_int_eq(a.kind, EMU_CTX_FLOW_KEYS);
	ck_assert_int_eq(access_of(BPF_PROG_TYPE_FLOW_DISSECTOR,
				   offsetof(struct __sk_buff, flow_keys), 4, false, &a), -EACCES);
}
END_TEST

START_TEST(raw_contexts_follow_window_and_rights)
{
	struct emu_ctx_access a;

	ck_assert_int_eq(access_of(BPF_PROG_TYPE_TRACEPOINT, 0, 8, false, &a), -EACCES);
	ck_assert_int_eq(access_of(BPF_PROG_TYPE_TRACEPOINT, 8, 8, false, &a), 0);
	ck_assert_int_eq(access_of(BPF_PROG_TYPE_KPROBE, 160, 8, false, &a), 0);
	ck_assert_int_eq(access_of(BPF_PROG_TYPE_KPROBE, 168, 8, false, &a), -EACCES);
	ck_assert_int_eq(access_of(BPF_PROG_TYPE_KPROBE, 0, 8, true, &a), -EACCES);
	ck_assert_int_eq(access_of(BPF_PROG_TYPE_RAW_TRACEPOINT, 88, 8, false, &a), 0);
	ck_assert_int_eq(access_of(BPF_PROG_TYPE_LSM, 8, 4, false, &a), -EACCES);
	ck_assert_int_eq(access_of(BPF_PROG_TYPE_SYSCALL, 100, 4, true, &a), 0);
}
END_TEST

START_TEST(unknown_type_is_null)
{
	ck_assert_ptr_null(emu_progtype_get(0));
	ck_assert_str_eq(emu_progtype_get(BPF_PROG_TYPE_SCHED_ACT)->name, "sched_act");
}
END_TEST

/* Every table is sane: fields inside the UAPI ctx without overlap, runtime slots
 * inside the runtime ctx, pointer fields read-only and whole-size. */
START_TEST(field_tables_are_consistent)
{
	static const uint32_t types[] = {
		BPF_PROG_TYPE_SOCKET_FILTER, BPF_PROG_TYPE_SCHED_CLS, BPF_PROG_TYPE_SCHED_ACT,
		BPF_PROG_TYPE_CGROUP_SKB, BPF_PROG_TYPE_FLOW_DISSECTOR, BPF_PROG_TYPE_XDP,
		BPF_PROG_TYPE_KPROBE, BPF_PROG_TYPE_TRACEPOINT, BPF_PROG_TYPE_PERF_EVENT,
		BPF_PROG_TYPE_RAW_TRACEPOINT, BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE,
		BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_PROG_TYPE_LSM, BPF_PROG_TYPE_NETFILTER,
		BPF_PROG_TYPE_SYSCALL,
	};

	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
		const struct emu_progtype *pt = emu_progtype_get(types[t]);

		ck_assert_ptr_nonnull(pt);
		ck_assert_uint_eq(pt->type, types[t]);
		ck_assert_uint_ge(pt->runtime_ctx_size, pt->ctx_size);
		ck_assert_msg((pt->fields == NULL) == (pt->raw_access != 0), "%s: fields or raw",
			      pt->name);
		for (uint32_t i = 0; i < pt->field_count; i++) {
			const struct emu_ctx_field *f = &pt->fields[i];
			uint32_t size = (uint32_t)f->size * f->count;

			for (uint32_t j = 0; j < i; j++) {
				const struct emu_ctx_field *g = &pt->fields[j];

				uint32_t g_end = (uint32_t)g->off + (uint32_t)g->size * g->count;

				ck_assert_msg(f->off >= g_end || g->off >= f->off + size,
					      "%s.%s overlaps %s", pt->name, f->name, g->name);
			}
			ck_assert_msg(f->off + size <= pt->ctx_size, "%s.%s past ctx", pt->name,
				      f->name);
			ck_assert_msg((uint32_t)f->runtime_off + (uint32_t)f->runtime_size * f->count <=
				      pt->runtime_ctx_size, "%s.%s past runtime ctx", pt->name,
				      f->name);
			ck_assert_msg(f->off % f->size == 0, "%s.%s misaligned", pt->name, f->name);
			if (f->kind != EMU_CTX_SCALAR) {
				ck_assert_msg(!(f->access & (EMU_CTX_WRITE | EMU_CTX_NARROW)),
					      "%s.%s pointer writable or narrow", pt->name, f->name);
				ck_assert_uint_eq(f->runtime_size, 8);
			}
		}
	}
}
END_TEST

START_TEST(sock_addr_fields_follow_the_attach_type)
{
	const struct emu_progtype *pt = emu_progtype_get(BPF_PROG_TYPE_CGROUP_SOCK_ADDR);
	int ip4 = offsetof(struct bpf_sock_addr, user_ip4);
	int ip6 = offsetof(struct bpf_sock_addr, user_ip6);
	int src4 = offsetof(struct bpf_sock_addr, msg_src_ip4);
	struct emu_ctx_access a;

	ck_assert_int_eq(emu_progtype_ctx_access_attach(pt, BPF_CGROUP_INET4_CONNECT, ip4, 4,
							true, &a), 0);
	ck_assert_int_eq(emu_progtype_ctx_access_attach(pt, BPF_CGROUP_INET4_CONNECT, ip6, 4,
							false, &a), -EACCES);
	ck_assert_int_eq(emu_progtype_ctx_access_attach(pt, BPF_CGROUP_INET6_CONNECT, ip6 + 8,
							8, false, &a), 0);
	ck_assert_int_eq(emu_progtype_ctx_access_attach(pt, BPF_CGROUP_INET4_CONNECT, src4, 4,
							false, &a), -EACCES);
	ck_assert_int_eq(emu_progtype_ctx_access_attach(pt, BPF_CGROUP_UDP4_SENDMSG, src4, 4,
							true, &a), 0);
	/* without an attach type every hook's fields are allowed */
	ck_assert_int_eq(emu_progtype_ctx_access(pt, src4, 4, true, &a), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("progtype");
	TCase *tc = tcase_create("ctx");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, xdp_data_is_packet_pointer_rewritten_to_dw);
	tcase_add_test(tc, xdp_rejects_narrow_write_and_out_of_range);
	tcase_add_test(tc, skb_narrow_load_keeps_offset);
	tcase_add_test(tc, socket_filter_denies_packet_pointers_and_mark_write);
	tcase_add_test(tc, skb_cb_allows_any_size_and_u64_pairs);
	tcase_add_test(tc, flow_dissector_only_packet_and_keys);
	tcase_add_test(tc, raw_contexts_follow_window_and_rights);
	tcase_add_test(tc, unknown_type_is_null);
	tcase_add_test(tc, field_tables_are_consistent);
	tcase_add_test(tc, sock_addr_fields_follow_the_attach_type);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
