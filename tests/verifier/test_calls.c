/* test_calls.c - helper calls against the prototype table (argument kinds, sizes, map
 * arguments), helpers allowed per program type, GPL-only helpers, ringbuf reference
 * tracking, caller-saved registers, and return-value ranges per program type. */
#include "vcheck.h"
#include "ebpf/emu.h"

START_TEST(rejects_scalar_as_map_key)
{
	expect_err("r1 = " HASH_MAP "\nr2 = 0\ncall 1\nr0 = 0\nexit", EACCES,
		   "R2 type=scalar expected=fp, pkt, pkt_meta, map_key, map_value, mem, "
		   "ringbuf_mem, buf, trusted_ptr_");
}
END_TEST

START_TEST(rejects_ctx_as_map)
{
	expect_err("r2 = r10\nr2 += -4\ncall 1\nr0 = 0\nexit", EACCES,
		   "R1 type=ctx expected=map_ptr");
}
END_TEST

START_TEST(rejects_stack_pointer_as_ctx)
{
	expect_err("r1 = r10\nr2 = " PROG_ARRAY_MAP "\nr3 = 0\ncall 12\nr0 = 0\nexit", EACCES,
		   "R1 type=fp expected=ctx");
}
END_TEST

START_TEST(rejects_key_outside_stack)
{
	expect_err("r1 = " HASH_MAP "\nr2 = r10\nr2 += -2\ncall 1\nr0 = 0\nexit", EINVAL,
		   "invalid read from stack R2 off=-2 size=4");
}
END_TEST

START_TEST(rejects_zero_size_where_size_required)
{
	expect_err("r1 = r10\nr1 += -8\nr2 = 0\ncall 6\nr0 = 0\nexit", EACCES,
		   "R2 invalid zero-sized read");
}
END_TEST

START_TEST(accepts_trace_printk_of_stack_string)
{
	expect_ok("*(u64 *)(r10 - 8) = 0x6968\n"
		  "r1 = r10\n"
		  "r1 += -8\n"
		  "r2 = 3\n"
		  "call 6\n"
		  "r0 = 0\n"
		  "exit");
}
END_TEST

START_TEST(rejects_helper_not_allowed_for_type)
{
	expect_err("call 44\nr0 = 0\nexit", EINVAL,
		   "program of this type cannot use helper bpf_xdp_adjust_head#44");
}
END_TEST

START_TEST(rejects_unknown_helper)
{
	expect_err("call 9999\nr0 = 0\nexit", EINVAL, "invalid func unknown#9999");
}
END_TEST

START_TEST(clobbers_caller_saved_registers)
{
	expect_err("r1 = 1\ncall 5\nr0 = r1\nexit", EACCES, "R1 !read_ok");
}
END_TEST

START_TEST(rejects_wrong_map_type_for_helper)
{
	expect_err("r1 = " HASH_MAP "\nr2 = 8\nr3 = 0\ncall 131\nr0 = 0\nexit", EINVAL,
		   "cannot pass map_type 1 into func bpf_ringbuf_reserve#131");
}
END_TEST

#define RESERVE                                                                           \
	"r1 = " RINGBUF_MAP "\n"                                                           \
	"r2 = 8\n"                                                                         \
	"r3 = 0\n"                                                                         \
	"call 131\n"

START_TEST(rejects_unreleased_ringbuf_record)
{
	expect_err(RESERVE "r0 = 0\nexit", EINVAL, "Unreleased reference id=2 alloc_insn=4");
}
END_TEST

START_TEST(accepts_reserve_submit)
{
	expect_ok(RESERVE
		  "if r0 == 0 goto +4\n"
		  "*(u64 *)(r0 + 0) = 1\n"
		  "r1 = r0\n"
		  "r2 = 0\n"
		  "call 132\n"
		  "r0 = 0\n"
		  "exit");
}
END_TEST

START_TEST(rejects_record_write_past_its_size)
{
	expect_err(RESERVE
		   "if r0 == 0 goto +4\n"
		   "*(u64 *)(r0 + 8) = 1\n"
		   "r1 = r0\n"
		   "r2 = 0\n"
		   "call 132\n"
		   "r0 = 0\n"
		   "exit", EACCES, "invalid access to memory, mem_size=8 off=8 size=8");
}
END_TEST

START_TEST(rejects_use_after_submit)
{
	expect_err(RESERVE
		   "if r0 == 0 goto +5\n"
		   "r6 = r0\n"
		   "r1 = r0\n"
		   "r2 = 0\n"
		   "call 132\n"
		   "*(u64 *)(r6 + 0) = 1\n"
		   "r0 = 0\n"
		   "exit", EACCES, "R6 invalid mem access 'scalar'");
}
END_TEST

START_TEST(rejects_submit_without_null_check)
{
	expect_err(RESERVE "r1 = r0\nr2 = 0\ncall 132\nr0 = 0\nexit", EACCES,
		   "R1 type=ringbuf_mem_or_null expected=ringbuf_mem");
}
END_TEST

START_TEST(rejects_gpl_helper_from_non_gpl)
{
	static struct vt_prog prog;
	struct vt_result res;
	vt_assemble("call 35\nr0 = 0\nexit", fixture_maps(VT_EMU), &prog);
	vt_load(VT_EMU, BPF_PROG_TYPE_SOCKET_FILTER, &prog, "Dual BSD", 1, &res);
	ck_assert_int_eq(res.err, EINVAL);
	ck_assert(vt_log_has(res.log,
			     "cannot call GPL-restricted function from non-GPL compatible program"));
	vt_result_free(&res);
}
END_TEST

START_TEST(checks_return_range_of_cgroup_skb)
{
	expect_type(BPF_PROG_TYPE_CGROUP_SKB, "r0 = 5\nexit", EINVAL,
		    "At program exit the register R0 has smin=5 smax=5 should have been in [0, 1]");
	expect_type(BPF_PROG_TYPE_CGROUP_SKB, "r0 = 1\nexit", 0, NULL);
}
END_TEST

/* BTF for "int main(ctx); int sub(struct __sk_buff *ctx, int x)" with sub global. */
static int load_global_btf(uint32_t *main_id, uint32_t *sub_id)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	int int_id = objfmt_btf__add_int(btf, "int", 4, OBJFMT_BTF_INT_SIGNED);
	/* a struct, not a forward declaration: the kernel sizes a FWD pointee as memory */
	struct objfmt_btf_type skb_struct = { .kind = OBJFMT_BTF_STRUCT, .name = "__sk_buff" };
	int skb = objfmt_btf__add(btf, &skb_struct);
	int ptr = objfmt_btf__add_ptr(btf, (uint32_t)skb);
	struct objfmt_btf_member params[2] = { { .name = "ctx", .type = (uint32_t)ptr },
					       { .name = "x", .type = (uint32_t)int_id } };
	struct objfmt_btf_type proto = { .kind = OBJFMT_BTF_FUNC_PROTO, .name = "",
					 .type = (uint32_t)int_id, .vlen = 2, .members = params };
	int proto_id = objfmt_btf__add(btf, &proto);
	struct objfmt_btf_type fmain = { .kind = OBJFMT_BTF_FUNC, .name = "prog",
					 .type = (uint32_t)proto_id,
					 .linkage = OBJFMT_BTF_FUNC_GLOBAL };
	struct objfmt_btf_type fsub = fmain;
	fsub.name = "sub";
	*main_id = (uint32_t)objfmt_btf__add(btf, &fmain);
	*sub_id = (uint32_t)objfmt_btf__add(btf, &fsub);
	int fd = vt_btf_load(VT_EMU, btf);
	ck_assert_int_ge(fd, 0);
	return fd;
}

/* Load `text` whose subprogram at insn `sub_insn` is global; returns errno, log in buf. */
static int load_with_global(const char *text, uint32_t sub_insn, char *log, uint32_t log_size)
{
	static struct vt_prog prog;
	uint32_t main_id, sub_id;
	int btf_fd = load_global_btf(&main_id, &sub_id);
	struct bpf_func_info funcs[2] = { { 0, main_id }, { sub_insn, sub_id } };
	vt_assemble(text, fixture_maps(VT_EMU), &prog);
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SCHED_CLS;
	attr.insn_cnt = prog.cnt;
	attr.insns = (uint64_t)(uintptr_t)prog.insns;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	attr.log_level = 1;
	attr.log_buf = (uint64_t)(uintptr_t)log;
	attr.log_size = log_size;
	attr.prog_btf_fd = (uint32_t)btf_fd;
	attr.func_info = (uint64_t)(uintptr_t)funcs;
	attr.func_info_rec_size = sizeof(funcs[0]);
	attr.func_info_cnt = 2;
	int fd = emu_bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
	int err = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	close(btf_fd);
	return err;
}

START_TEST(global_subprogram_sees_only_its_signature)
{
	static char log[65536];
	/* the caller passes 3, but a global function's int argument is any int */
	const char *text = "r2 = 3\n"
			   "call pc+2\n"
			   "r0 = 0\n"
			   "exit\n"
			   "r3 = r10\n"
			   "r3 += -8\n"
			   "r3 += r2\n"
			   "r0 = *(u8 *)(r3 + 0)\n"
			   "exit";
	int gerr = load_with_global(text, 4, log, sizeof(log));
	ck_assert_msg(gerr == EINVAL, "errno %d: %s", gerr, log);
	ck_assert_msg(vt_log_has(log, "4: R1=ctx() R2=scalar() R10=fp0\n"), "%s", log);
	ck_assert_msg(vt_log_has(log, "math between fp pointer and register with unbounded min "
				      "value is not allowed"), "%s", log);
	/* the ctx argument is a ctx inside the function */
	ck_assert_int_eq(load_with_global("r2 = 3\ncall pc+2\nr0 = 0\nexit\n"
					  "r0 = *(u32 *)(r1 + 0)\nexit", 4, log, sizeof(log)), 0);
}
END_TEST

START_TEST(global_subprogram_arguments_are_checked)
{
	static char log[65536];
	ck_assert_int_eq(load_with_global("r1 = r10\nr2 = 3\ncall pc+2\nr0 = 0\nexit\n"
					  "r0 = 0\nexit", 5, log, sizeof(log)), EINVAL);
	ck_assert_msg(vt_log_has(log, "arg#0 expects pointer to ctx\n"
				      "Caller passes invalid args into func#1 ('sub')"), "%s", log);
	ck_assert_int_eq(load_with_global("r2 = r10\ncall pc+2\nr0 = 0\nexit\n"
					  "r0 = 0\nexit", 4, log, sizeof(log)), EINVAL);
	ck_assert_msg(vt_log_has(log, "R2 is not a scalar"), "%s", log);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		rejects_scalar_as_map_key, rejects_ctx_as_map, rejects_stack_pointer_as_ctx,
		rejects_key_outside_stack, rejects_zero_size_where_size_required,
		accepts_trace_printk_of_stack_string, rejects_helper_not_allowed_for_type,
		rejects_unknown_helper, clobbers_caller_saved_registers,
		rejects_wrong_map_type_for_helper, rejects_unreleased_ringbuf_record,
		accepts_reserve_submit, rejects_record_write_past_its_size,
		rejects_use_after_submit, rejects_submit_without_null_check,
		rejects_gpl_helper_from_non_gpl, checks_return_range_of_cgroup_skb,
		global_subprogram_sees_only_its_signature, global_subprogram_arguments_are_checked,
		NULL,
	};
	return run_suite("verifier calls", tests);
}
