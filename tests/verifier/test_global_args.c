/* test_global_args.c - global functions typed by their BTF prototype: pointer
 * parameters (memory of the pointee's size, maybe NULL unless __arg_nonnull), the ctx
 * (by struct name or __arg_ctx), __arg_trusted kernel objects, checked at each call and
 * verified once on their own. Every verdict and key line is also required of the real
 * kernel when the test runs as root. */
#include "vcheck.h"

#include <sys/syscall.h>

#include "ebpf/emu.h"
#include "kbtf_int.h"

/* The prototype of the global function "sub": return type and parameters by name
 * ("int", "pair" = struct { int a, b; } *, "skb" = struct __sk_buff *, "xdp" =
 * struct xdp_md *, "void" = void *, "cgroup" = struct cgroup *), and per parameter
 * its "arg:" decl tags (comma separated) or NULL. */
struct sub_sig {
	const char *ret;
	const char *params[5];
	const char *tags[5];
};

static int bpf_call(enum vt_target target, int cmd, union bpf_attr *attr)
{
	if (target == VT_EMU) {
		int r = emu_bpf(cmd, attr, sizeof(*attr));
		return r < 0 ? -errno : r;
	}
	long r = syscall(__NR_bpf, cmd, attr, sizeof(*attr));
	return r < 0 ? -errno : (int)r;
}

/* Named types the signatures use: their pointer type ids. */
struct sig_types {
	int int_id, pair_ptr, skb_ptr, xdp_ptr, void_ptr, cgroup_ptr;
};

static int add_struct(struct objfmt_btf *btf, const char *name, uint32_t size,
		      struct objfmt_btf_member *members, uint32_t vlen)
{
	struct objfmt_btf_type t = { .kind = OBJFMT_BTF_STRUCT, .name = name, .size = size,
				     .vlen = vlen, .members = members };
	return objfmt_btf__add(btf, &t);
}

static void add_types(struct objfmt_btf *btf, struct sig_types *ty)
{
	ty->int_id = objfmt_btf__add_int(btf, "int", 4, OBJFMT_BTF_INT_SIGNED);
	struct objfmt_btf_member pair_m[2] = {
		{ .name = "a", .type = (uint32_t)ty->int_id },
		{ .name = "b", .type = (uint32_t)ty->int_id, .bit_offset = 32 },
	};
	ty->pair_ptr = objfmt_btf__add_ptr(btf, (uint32_t)add_struct(btf, "pair", 8, pair_m, 2));
	ty->skb_ptr = objfmt_btf__add_ptr(btf, (uint32_t)add_struct(btf, "__sk_buff", 0, NULL, 0));
	ty->xdp_ptr = objfmt_btf__add_ptr(btf, (uint32_t)add_struct(btf, "xdp_md", 0, NULL, 0));
	ty->cgroup_ptr = objfmt_btf__add_ptr(btf, (uint32_t)add_struct(btf, "cgroup", 0, NULL, 0));
	ty->void_ptr = objfmt_btf__add_ptr(btf, 0);
}

static uint32_t type_of(struct objfmt_btf *btf, const struct sig_types *ty, const char *name)
{
	if (!strncmp(name, "bytes", 5)) { /* "bytesN": pointer to char[N] */
		int chr = objfmt_btf__add_int(btf, "char", 1, OBJFMT_BTF_INT_SIGNED);
		int arr = objfmt_btf__add_array(btf, (uint32_t)chr, (uint32_t)ty->int_id,
						(uint32_t)atoi(name + 5));
		return (uint32_t)objfmt_btf__add_ptr(btf, (uint32_t)arr);
	}
	if (!strcmp(name, "int"))
		return (uint32_t)ty->int_id;
	if (!strcmp(name, "pair"))
		return (uint32_t)ty->pair_ptr;
	if (!strcmp(name, "skb"))
		return (uint32_t)ty->skb_ptr;
	if (!strcmp(name, "xdp"))
		return (uint32_t)ty->xdp_ptr;
	if (!strcmp(name, "cgroup"))
		return (uint32_t)ty->cgroup_ptr;
	if (!strcmp(name, "void"))
		return (uint32_t)ty->void_ptr;
	ck_abort_msg("unknown type %s", name);
	return 0;
}

static void add_tags(struct objfmt_btf *btf, uint32_t func, uint32_t arg, const char *tags)
{
	char copy[128];
	snprintf(copy, sizeof(copy), "%s", tags);
	for (char *save, *tag = strtok_r(copy, ",", &save); tag; tag = strtok_r(NULL, ",", &save)) {
		struct objfmt_btf_type t = { .kind = OBJFMT_BTF_DECL_TAG, .name = tag, .type = func,
					     .component_idx = (int32_t)arg };
		ck_assert_int_gt(objfmt_btf__add(btf, &t), 0);
	}
}

/* BTF of "int prog(struct __sk_buff *)" and "sub" as `sig` says, both global; returns
 * the BTF fd on `target`. */
static int sig_btf(enum vt_target target, const struct sub_sig *sig, uint32_t *main_id,
		   uint32_t *sub_id)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	struct sig_types ty;
	add_types(btf, &ty);
	struct objfmt_btf_member main_p[1] = { { .name = "ctx", .type = (uint32_t)ty.skb_ptr } };
	struct objfmt_btf_type main_proto = { .kind = OBJFMT_BTF_FUNC_PROTO, .name = "",
					      .type = (uint32_t)ty.int_id, .vlen = 1,
					      .members = main_p };
	struct objfmt_btf_member sub_p[5];
	uint32_t n = 0;
	for (; n < 5 && sig->params[n]; n++)
		sub_p[n] = (struct objfmt_btf_member){ .name = "p",
							.type = type_of(btf, &ty, sig->params[n]) };
	struct objfmt_btf_type sub_proto = { .kind = OBJFMT_BTF_FUNC_PROTO, .name = "",
					     .type = strcmp(sig->ret, "void") ? (uint32_t)ty.int_id : 0,
					     .vlen = n, .members = sub_p };
	struct objfmt_btf_type fmain = { .kind = OBJFMT_BTF_FUNC, .name = "prog",
					 .type = (uint32_t)objfmt_btf__add(btf, &main_proto),
					 .linkage = OBJFMT_BTF_FUNC_GLOBAL };
	struct objfmt_btf_type fsub = { .kind = OBJFMT_BTF_FUNC, .name = "sub",
					.type = (uint32_t)objfmt_btf__add(btf, &sub_proto),
					.linkage = OBJFMT_BTF_FUNC_GLOBAL };
	*main_id = (uint32_t)objfmt_btf__add(btf, &fmain);
	*sub_id = (uint32_t)objfmt_btf__add(btf, &fsub);
	for (uint32_t i = 0; i < n; i++)
		if (sig->tags[i])
			add_tags(btf, *sub_id, i, sig->tags[i]);
	int fd = vt_btf_load(target, btf);
	ck_assert_msg(fd >= 0, "BTF_LOAD: %d", fd);
	return fd;
}

/* Load `text` (a tc program) whose subprogram at `sub_insn` is the global "sub". */
static void load_sig(enum vt_target target, const char *text, uint32_t sub_insn,
		     const struct sub_sig *sig, struct vt_result *res)
{
	static struct vt_prog prog;
	uint32_t main_id, sub_id;
	int btf_fd = sig_btf(target, sig, &main_id, &sub_id);
	struct bpf_func_info funcs[2] = { { 0, main_id }, { sub_insn, sub_id } };
	vt_assemble(text, fixture_maps(target), &prog);
	memset(res, 0, sizeof(*res));
	res->log = calloc(1, VT_LOG_SIZE);
	ck_assert_ptr_nonnull(res->log);
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SCHED_CLS;
	attr.insn_cnt = prog.cnt;
	attr.insns = (uint64_t)(uintptr_t)prog.insns;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	attr.log_level = 1;
	attr.log_buf = (uint64_t)(uintptr_t)res->log;
	attr.log_size = VT_LOG_SIZE;
	attr.prog_btf_fd = (uint32_t)btf_fd;
	attr.func_info = (uint64_t)(uintptr_t)funcs;
	attr.func_info_rec_size = sizeof(funcs[0]);
	attr.func_info_cnt = 2;
	int fd = bpf_call(target, BPF_PROG_LOAD, &attr);
	res->fd = fd;
	res->err = fd < 0 ? -fd : 0;
	close(btf_fd);
}

static void expect_sig_on(enum vt_target target, const char *text, uint32_t sub_insn,
			  const struct sub_sig *sig, int err, const char *line)
{
	struct vt_result res;
	const char *who = target == VT_EMU ? "emulator" : "kernel";
	load_sig(target, text, sub_insn, sig, &res);
	ck_assert_msg(res.err == err, "%s: expected errno %d, got %d; log:\n%s", who, err, res.err,
		      res.log);
	if (line)
		ck_assert_msg(vt_log_has(res.log, line), "%s: log lacks '%s':\n%s", who, line, res.log);
	vt_close(target, res.fd);
	vt_result_free(&res);
}

/* The verdict `err` (0: accepted) and log line `line` in the emulator, and in the real
 * kernel when it is at hand. */
static void expect_sig(const char *text, uint32_t sub_insn, const struct sub_sig *sig, int err,
		       const char *line)
{
	expect_sig_on(VT_EMU, text, sub_insn, sig, err, line);
	if (kernel_cross_check())
		expect_sig_on(VT_KERNEL, text, sub_insn, sig, err, line);
}

static const struct sub_sig pair_sig = { "int", { "pair" }, { NULL } };
static const struct sub_sig pair_nonnull_sig = { "int", { "pair" }, { "arg:nonnull" } };

/* main: 8 zero bytes at fp-8 passed to sub (insn 7). */
#define CALL_WITH_STACK_PAIR \
	"r1 = 0\n*(u64 *)(r10 - 8) = r1\nr1 = r10\nr1 += -8\ncall pc+2\nr0 = 0\nexit\n"

START_TEST(accepts_pointer_argument_checked_for_null)
{
	expect_sig(CALL_WITH_STACK_PAIR
		   "r0 = 0\nif r1 == 0 goto +1\nr0 = *(u32 *)(r1 + 4)\nexit", 7, &pair_sig, 0,
		   "Func#1 ('sub') is safe for any args that match its prototype");
}
END_TEST

START_TEST(pointer_argument_may_be_null_inside)
{
	expect_sig(CALL_WITH_STACK_PAIR "r0 = *(u32 *)(r1 + 0)\nexit", 7, &pair_sig, EACCES,
		   "R1 invalid mem access 'mem_or_null'");
	expect_sig(CALL_WITH_STACK_PAIR "r0 = *(u32 *)(r1 + 0)\nexit", 7, &pair_sig, EACCES,
		   "7: R1=mem_or_null(id=1,sz=8) R10=fp0");
}
END_TEST

START_TEST(nonnull_argument_is_memory_of_the_pointee_size)
{
	expect_sig(CALL_WITH_STACK_PAIR "r0 = *(u32 *)(r1 + 4)\nexit", 7, &pair_nonnull_sig, 0,
		   NULL);
	expect_sig(CALL_WITH_STACK_PAIR "r0 = *(u32 *)(r1 + 8)\nexit", 7, &pair_nonnull_sig,
		   EACCES, "invalid access to memory, mem_size=8 off=8 size=4");
}
END_TEST

START_TEST(caller_memory_must_cover_the_pointee)
{
	expect_sig("r1 = 0\n*(u32 *)(r10 - 4) = r1\nr1 = r10\nr1 += -4\ncall pc+2\nr0 = 0\nexit\n"
		   "r0 = 0\nexit", 7, &pair_sig, EINVAL, "invalid read from stack R1 off=-4 size=8");
	expect_sig("r1 = 0\n*(u32 *)(r10 - 4) = r1\nr1 = r10\nr1 += -4\ncall pc+2\nr0 = 0\nexit\n"
		   "r0 = 0\nexit", 7, &pair_sig, EINVAL,
		   "Caller passes invalid args into func#1 ('sub')");
}
END_TEST

START_TEST(maybe_null_map_value_only_for_nullable_argument)
{
	/* hash fixture: value 8 bytes, the size of struct pair */
	const char *text = "r1 = 0\n*(u32 *)(r10 - 4) = r1\nr2 = r10\nr2 += -4\n"
			   "r1 = " HASH_MAP "\ncall bpf_map_lookup_elem\nr1 = r0\ncall pc+2\n"
			   "r0 = 0\nexit\nr0 = 0\nexit";
	expect_sig(text, 11, &pair_sig, 0, NULL);
	expect_sig(text, 11, &pair_nonnull_sig, EINVAL, "arg#0 is expected to be non-NULL");
}
END_TEST

START_TEST(null_constant_passes_any_memory_argument)
{
	expect_sig("r1 = 0\ncall pc+2\nr0 = 0\nexit\nr0 = 0\nexit", 4, &pair_nonnull_sig, 0, NULL);
}
END_TEST

START_TEST(refuses_scalar_and_ctx_as_memory)
{
	expect_sig("r1 = 5\ncall pc+2\nr0 = 0\nexit\nr0 = 0\nexit", 4, &pair_sig, EINVAL,
		   "R1 type=scalar expected=fp");
	expect_sig("call pc+2\nr0 = 0\nexit\nr0 = 0\nexit", 3, &pair_sig, EINVAL,
		   "R1 type=ctx expected=fp");
}
END_TEST

START_TEST(callee_may_write_the_caller_stack)
{
	/* the ctx spilled at fp-8 is memory the callee may overwrite: a scalar after */
	expect_sig("*(u64 *)(r10 - 8) = r1\nr1 = r10\nr1 += -8\ncall pc+3\n"
		   "r1 = *(u64 *)(r10 - 8)\nr0 = *(u32 *)(r1 + 0)\nexit\n"
		   "r0 = 0\nexit", 7, &pair_sig, EACCES, "R1 invalid mem access 'scalar'");
}
END_TEST

START_TEST(ctx_argument_by_name_or_tag)
{
	static const struct sub_sig void_ctx = { "int", { "void" }, { "arg:ctx" } };
	static const struct sub_sig xdp_ctx = { "int", { "xdp" }, { "arg:ctx" } };
	static const struct sub_sig skb = { "int", { "skb" }, { NULL } };
	const char *text = "call pc+2\nr0 = 0\nexit\nr0 = *(u32 *)(r1 + 0)\nexit";
	expect_sig(text, 3, &void_ctx, 0, NULL);
	expect_sig(text, 3, &skb, 0, NULL);
	expect_sig(text, 3, &xdp_ctx, EINVAL, "arg#0 should be `struct __sk_buff *`");
	expect_sig("r1 = r10\ncall pc+2\nr0 = 0\nexit\nr0 = 0\nexit", 4, &skb, EINVAL,
		   "arg#0 expects pointer to ctx");
}
END_TEST

START_TEST(refuses_prototypes_the_kernel_cannot_type)
{
	static const struct sub_sig bogus = { "int", { "pair" }, { "arg:bogus" } };
	static const struct sub_sig tagged_int = { "int", { "int" }, { "arg:nonnull" } };
	static const struct sub_sig void_ret = { "void", { "int" }, { NULL } };
	static const struct sub_sig void_ptr = { "int", { "void" }, { NULL } };
	static const struct sub_sig nullable_mem = { "int", { "pair" }, { "arg:nullable" } };
	const char *text = "r1 = 0\ncall pc+2\nr0 = 0\nexit\nr0 = 0\nexit";
	expect_sig(text, 4, &bogus, EOPNOTSUPP, "arg#0 has unsupported set of tags");
	expect_sig(text, 4, &tagged_int, EINVAL, "arg#0 has pointer tag, but is not a pointer type");
	expect_sig(text, 4, &void_ret, EINVAL,
		   "Global function sub() doesn't return scalar. Only those are supported.");
	expect_sig(text, 4, &void_ptr, EINVAL,
		   "arg#0 reference type('UNKNOWN ') size cannot be determined: -22");
	expect_sig(text, 4, &nullable_mem, EINVAL, "arg#0 has invalid combination of tags");
}
END_TEST

START_TEST(global_called_on_no_path_is_not_verified)
{
	/* the call is reachable in the CFG, but r1 == 0 always: sub's bad load is never
	 * verified (do_check_subprogs only checks called functions) */
	expect_sig("r1 = 0\nif r1 != 0 goto +2\nr0 = 0\nexit\ncall pc+2\nr0 = 0\nexit\n"
		   "r0 = *(u32 *)(r1 + 0)\nexit", 7, &pair_sig, 0, NULL);
}
END_TEST

START_TEST(global_that_changes_packet_invalidates_packet_pointers)
{
	static const struct sub_sig skb = { "int", { "skb" }, { NULL } };
	/* main checks 4 packet bytes, calls sub(ctx) (insn 12), then reads the packet */
	const char *main_text = "r6 = r1\nr2 = *(u32 *)(r1 + 76)\nr3 = *(u32 *)(r1 + 80)\n"
				"r7 = r2\nr2 += 4\nif r2 > r3 goto +4\nr1 = r6\ncall pc+4\n"
				"r0 = *(u8 *)(r7 + 0)\nexit\nr0 = 0\nexit\n";
	char text[1024];
	snprintf(text, sizeof(text), "%sr2 = 0\n*(u64 *)(r10 - 8) = r2\nr3 = r10\nr3 += -8\n"
		 "r4 = 1\nr5 = 0\ncall bpf_skb_store_bytes\nr0 = 0\nexit", main_text);
	expect_sig(text, 12, &skb, EACCES, "R7 invalid mem access 'scalar'");
	snprintf(text, sizeof(text), "%sr0 = 0\nexit", main_text);
	expect_sig(text, 12, &skb, 0, NULL);
}
END_TEST

static int stack_arg_verdict(enum vt_target target, int off, const struct sub_sig *sig)
{
	char text[256];
	struct vt_result res;
	snprintf(text, sizeof(text), "r1 = r10\nr1 += %d\ncall pc+2\nr0 = 0\nexit\n"
		 "r0 = 0\nexit", off);
	load_sig(target, text, 5, sig, &res);
	int err = res.err;
	vt_close(target, res.fd);
	vt_result_free(&res);
	return err;
}

START_TEST(stack_memory_arguments_as_the_kernel_decides)
{
	static const char *const sizes[] = { "bytes1", "bytes2", "bytes4", "bytes8", "bytes12",
					      "bytes16", "bytes24", "bytes64" };
	int checked = 0, mismatches = 0, accepted = 0;
	if (!kernel_cross_check())
		return; /* the kernel is the oracle of this sweep */
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
		for (int off = -72; off <= 0; off += 3) {
			const struct sub_sig sig = { "int", { sizes[s] }, { NULL } };
			int emu = stack_arg_verdict(VT_EMU, off, &sig);
			int kernel = stack_arg_verdict(VT_KERNEL, off, &sig);
			checked++;
			accepted += kernel == 0;
			if (emu != kernel) {
				mismatches++;
				fprintf(stderr, "%s at fp%d: emulator %d, kernel %d\n", sizes[s], off,
					emu, kernel);
			}
		}
	ck_assert_msg(mismatches == 0, "%d of %d calls disagree", mismatches, checked);
	ck_assert_int_gt(accepted, 20);
}
END_TEST

static bool kernel_btf_has(const char *name)
{
	const struct objfmt_btf *btf = emu_kbtf_get();
	return btf && objfmt_btf__find(btf, OBJFMT_BTF_STRUCT, name) > 0;
}

START_TEST(trusted_argument_is_a_kernel_object)
{
	static const struct sub_sig trusted = { "int", { "cgroup" }, { "arg:trusted" } };
	static const struct sub_sig nullable = { "int", { "cgroup" }, { "arg:trusted,arg:nullable" } };
	static const struct sub_sig nonnull = { "int", { "cgroup" }, { "arg:trusted,arg:nonnull" } };
	if (!kernel_btf_has("cgroup"))
		return; /* the built-in kernel BTF has no struct cgroup */
	expect_sig("r1 = 0\ncall pc+2\nr0 = 0\nexit\nr0 = 0\nif r1 == 0 goto +1\nr0 = 1\nexit", 4,
		   &nullable, 0, NULL);
	expect_sig("r1 = 0\ncall pc+2\nr0 = 0\nexit\nr0 = 0\nexit", 4, &trusted, EACCES,
		   "R1 type=scalar expected=ptr_, trusted_ptr_, rcu_ptr_");
	expect_sig("call bpf_get_current_task_btf\nr1 = r0\ncall pc+2\nr0 = 0\nexit\nr0 = 0\nexit", 5,
		   &trusted, EACCES, "R1 is of type task_struct but cgroup is expected");
	expect_sig("r1 = 0\ncall pc+2\nr0 = 0\nexit\nr0 = 0\nexit", 4, &nonnull, EINVAL,
		   "arg#0 has invalid combination of tags");
}
END_TEST

START_TEST(callee_writes_reach_the_caller_at_run_time)
{
	static const struct sub_sig sig = { "int", { "pair" }, { NULL } };
	const char *text = CALL_WITH_STACK_PAIR;
	static const char body[] = "r0 = *(u32 *)(r10 - 4)\nexit\n"
				   "if r1 == 0 goto +2\nr2 = 7\n*(u32 *)(r1 + 4) = r2\nr0 = 0\nexit";
	char full[512];
	/* main: zero fp-8, call sub(fp-8), return the int at fp-4 that sub wrote */
	snprintf(full, sizeof(full), "%.*s%s", (int)(strlen(text) - strlen("r0 = 0\nexit\n")),
		 text, body);
	for (int t = VT_EMU; t <= VT_KERNEL; t++) {
		if (t == VT_KERNEL && !kernel_cross_check())
			break;
		struct vt_result res;
		load_sig((enum vt_target)t, full, 7, &sig, &res);
		ck_assert_msg(res.err == 0, "%s: errno %d:\n%s", t == VT_EMU ? "emulator" : "kernel",
			      res.err, res.log);
		uint8_t packet[64] = { 0 };
		uint32_t retval = 0;
		ck_assert_int_eq(vt_test_run((enum vt_target)t, res.fd, packet, sizeof(packet), &retval,
					     NULL, NULL), 0);
		ck_assert_uint_eq(retval, 7);
		vt_close((enum vt_target)t, res.fd);
		vt_result_free(&res);
	}
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		accepts_pointer_argument_checked_for_null, pointer_argument_may_be_null_inside,
		nonnull_argument_is_memory_of_the_pointee_size, caller_memory_must_cover_the_pointee,
		maybe_null_map_value_only_for_nullable_argument,
		null_constant_passes_any_memory_argument, refuses_scalar_and_ctx_as_memory,
		callee_may_write_the_caller_stack, ctx_argument_by_name_or_tag,
		refuses_prototypes_the_kernel_cannot_type, global_called_on_no_path_is_not_verified,
		trusted_argument_is_a_kernel_object, callee_writes_reach_the_caller_at_run_time,
		global_that_changes_packet_invalidates_packet_pointers,
		stack_memory_arguments_as_the_kernel_decides, NULL,
	};
	return run_suite("verifier global function arguments", tests);
}
