/* test_btf_ptr.c - pointers to kernel objects (PTR_TO_BTF_ID): bpf_get_current_task_btf
 * results dereferenced directly, walks through pointer members, and the refusals of
 * the kernel's btf_struct_walk (beyond the struct, partial pointer reads, stores);
 * tp_btf arguments typed by the hook's prototype. Offsets and ids come from the kernel
 * BTF the emulator uses (the host's when present: then the kernel cross-checks). */
#include <sys/syscall.h>

#include "ebpf/emu.h"
#include "vcheck.h"

#define CURRENT_TASK "call 158\n" /* BPF_FUNC_get_current_task_btf */

/* Byte offset of member `name` of struct `type` in the emulated kernel's BTF. */
static uint32_t member_offset(const char *type, const char *name)
{
	const struct objfmt_btf *btf = emu_kernel_btf_model();
	int id = btf ? objfmt_btf__find(btf, OBJFMT_BTF_STRUCT, type) : -1;

	ck_assert_msg(id > 0, "kernel BTF has no struct %s", type);
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, (uint32_t)id);
	for (uint32_t i = 0; i < t->vlen; i++)
		if (!strcmp(t->members[i].name, name))
			return t->members[i].bit_offset / 8;
	ck_abort_msg("struct %s has no top-level member %s", type, name);
	return 0;
}

static uint32_t struct_size(const char *type)
{
	const struct objfmt_btf *btf = emu_kernel_btf_model();
	int id = objfmt_btf__find(btf, OBJFMT_BTF_STRUCT, type);

	return objfmt_btf__type(btf, (uint32_t)id)->size;
}

static void expect_kprobe(const char *text, int err, const char *line)
{
	expect_type(BPF_PROG_TYPE_KPROBE, text, err, line);
}

/* tp_btf/sched_process_fork: args[0] = parent, args[1] = child (task_struct *). */
static void expect_hook_on(enum vt_target target, uint32_t attach_type, int kind,
			   const char *hook, const char *text, int err, const char *line)
{
	static struct vt_prog prog;
	struct vt_result res;
	int id = objfmt_btf__find(emu_kernel_btf_model(), kind, hook);

	ck_assert_int_gt(id, 0);
	vt_assemble(text, fixture_maps(target), &prog);
	vt_load_attach(target, BPF_PROG_TYPE_TRACING, attach_type, (uint32_t)id, &prog,
		       "GPL", 1, VT_LOG_SIZE, &res);
	ck_assert_msg(res.err == err, "%s: expected errno %d, got %d; log:\n%s",
		      target == VT_EMU ? "emulator" : "kernel", err, res.err, res.log);
	if (line)
		ck_assert_msg(vt_log_has(res.log, line), "log lacks '%s':\n%s", line, res.log);
	vt_close(target, res.fd);
	vt_result_free(&res);
}

/* The kernel takes the same ids only when the emulator uses the host's BTF. */
static bool host_btf(void)
{
	const void *data;
	unsigned long size;
	const char *source = "";

	return emu_kernel_btf(&data, &size, &source) == 0 &&
	       !strcmp(source, "/sys/kernel/btf/vmlinux");
}

static void expect_fork(const char *text, int err, const char *line)
{
	expect_hook_on(VT_EMU, BPF_TRACE_RAW_TP, OBJFMT_BTF_TYPEDEF,
		       "btf_trace_sched_process_fork", text, err, line);
	if (kernel_cross_check() && host_btf())
		expect_hook_on(VT_KERNEL, BPF_TRACE_RAW_TP, OBJFMT_BTF_TYPEDEF,
			       "btf_trace_sched_process_fork", text, err, line);
}

/* fentry/do_unlinkat(int dfd, struct filename *name): emulator only (this host's
 * kernel refuses fentry programs with EPERM before verifying them). */
static void expect_unlink_entry(const char *text, int err, const char *line)
{
	expect_hook_on(VT_EMU, BPF_TRACE_FENTRY, OBJFMT_BTF_FUNC, "do_unlinkat", text, err,
		       line);
}

START_TEST(fentry_arguments_follow_the_prototype)
{
	/* name->name: a pointer to char read as a scalar */
	expect_unlink_entry("r2 = *(u64 *)(r1 + 8)\nr3 = *(u64 *)(r2 + 0)\nr0 = 0\nexit", 0,
			    NULL);
	/* dfd is an int: not a pointer */
	expect_unlink_entry("r2 = *(u64 *)(r1 + 0)\nr3 = *(u32 *)(r2 + 0)\nr0 = 0\nexit", EACCES,
			    "R2 invalid mem access 'scalar'");
	expect_unlink_entry("r2 = *(u64 *)(r1 + 8)\nr3 = *(u64 *)(r2 + 0)\n"
			    "r0 = *(u8 *)(r3 + 0)\nr0 = 0\nexit", EACCES,
			    "R3 invalid mem access 'scalar'");
	expect_unlink_entry("r2 = *(u64 *)(r1 + 8)\nr3 = 0\n*(u64 *)(r2 + 0) = r3\nr0 = 0\nexit",
			    EACCES, "only read is supported");
}
END_TEST

START_TEST(accepts_tp_btf_argument_load)
{
	char text[256];

	snprintf(text, sizeof(text),
		 "r2 = *(u64 *)(r1 + 8)\nr0 = *(u32 *)(r2 + %u)\nexit",
		 member_offset("task_struct", "pid"));
	expect_fork(text, 0, NULL);
}
END_TEST

START_TEST(rejects_tp_btf_argument_store)
{
	char text[256];

	snprintf(text, sizeof(text),
		 "r2 = *(u64 *)(r1 + 0)\nr3 = 1\n*(u32 *)(r2 + %u) = r3\nr0 = 0\nexit",
		 member_offset("task_struct", "pid"));
	expect_fork(text, EACCES, "only read is supported");
}
END_TEST

START_TEST(rejects_tp_btf_argument_beyond_struct)
{
	char text[256], line[128];
	uint32_t size = struct_size("task_struct");

	snprintf(text, sizeof(text), "r2 = *(u64 *)(r1 + 8)\nr0 = *(u64 *)(r2 + %u)\nexit", size);
	snprintf(line, sizeof(line), "access beyond struct task_struct at off %u size 8", size);
	expect_fork(text, EACCES, line);
}
END_TEST

START_TEST(accepts_task_field_load)
{
	char text[256];

	snprintf(text, sizeof(text), CURRENT_TASK "r0 = *(u32 *)(r0 + %u)\nexit",
		 member_offset("task_struct", "pid"));
	expect_kprobe(text, 0, NULL);
}
END_TEST

START_TEST(accepts_walk_through_pointer_member)
{
	char text[256];

	snprintf(text, sizeof(text),
		 CURRENT_TASK "r1 = *(u64 *)(r0 + %u)\nr0 = *(u32 *)(r1 + %u)\nexit",
		 member_offset("task_struct", "real_parent"), member_offset("task_struct", "tgid"));
	expect_kprobe(text, 0, NULL);
}
END_TEST

START_TEST(accepts_constant_pointer_arithmetic)
{
	char text[256];

	snprintf(text, sizeof(text), CURRENT_TASK "r0 += %u\nr0 = *(u32 *)(r0 + 0)\nexit",
		 member_offset("task_struct", "tgid"));
	expect_kprobe(text, 0, NULL);
}
END_TEST

START_TEST(rejects_access_beyond_struct)
{
	char text[256], line[128];
	uint32_t size = struct_size("task_struct");

	snprintf(text, sizeof(text), CURRENT_TASK "r0 = *(u32 *)(r0 + %u)\nexit", size);
	snprintf(line, sizeof(line), "access beyond struct task_struct at off %u size 4", size);
	expect_kprobe(text, EACCES, line);
}
END_TEST

START_TEST(rejects_partial_pointer_member)
{
	char text[256], line[160];
	uint32_t off = member_offset("task_struct", "real_parent");

	snprintf(text, sizeof(text), CURRENT_TASK "r0 = *(u32 *)(r0 + %u)\nexit", off);
	snprintf(line, sizeof(line),
		 "cannot access ptr member real_parent with moff %u in struct task_struct "
		 "with off %u size 4", off, off);
	expect_kprobe(text, EACCES, line);
}
END_TEST

START_TEST(rejects_store)
{
	char text[256];

	snprintf(text, sizeof(text), CURRENT_TASK "r1 = 0\n*(u32 *)(r0 + %u) = r1\nr0 = 0\nexit",
		 member_offset("task_struct", "pid"));
	expect_kprobe(text, EACCES, "only read is supported");
}
END_TEST

START_TEST(rejects_negative_offset)
{
	expect_kprobe(CURRENT_TASK "r0 = *(u32 *)(r0 - 8)\nexit", EACCES,
		      "R0 is ptr_task_struct invalid negative access: off=-8");
}
END_TEST

START_TEST(rejects_scalar_result_dereference)
{
	char text[256];

	snprintf(text, sizeof(text),
		 CURRENT_TASK "r1 = *(u32 *)(r0 + %u)\nr0 = *(u32 *)(r1 + 0)\nexit",
		 member_offset("task_struct", "pid"));
	expect_kprobe(text, EACCES, "R1 invalid mem access 'scalar'");
}
END_TEST

START_TEST(accepts_null_check_of_pointer_member)
{
	char text[256];

	snprintf(text, sizeof(text),
		 CURRENT_TASK "r1 = *(u64 *)(r0 + %u)\nr0 = 0\nif r1 == 0 goto +1\n"
		 "r0 = *(u32 *)(r1 + %u)\nexit",
		 member_offset("task_struct", "real_parent"), member_offset("task_struct", "tgid"));
	expect_kprobe(text, 0, NULL);
}
END_TEST

/* A trusted task pointer is never NULL: the kernel prunes the null branch, so the
 * ctx load there is not seen with the task pointer. */
START_TEST(trusted_task_pointer_is_not_null)
{
	expect_kprobe("r6 = r1\n" CURRENT_TASK "r1 = r0\nif r0 != 0 goto +1\nr1 = r6\n"
		      "r0 = *(u64 *)(r1 + 0)\nexit", 0, NULL);
}
END_TEST

START_TEST(rejects_variable_offset_access)
{
	expect_kprobe(CURRENT_TASK "r6 = r0\ncall 7\nr0 &= 4\nr6 += r0\n"
		      "r0 = *(u32 *)(r6 + 0)\nexit", EACCES,
		      "R6 is ptr_task_struct invalid variable offset: off=0, var_off=(0x0; 0x4)");
}
END_TEST

START_TEST(accepts_spill_and_fill_of_task_pointer)
{
	char text[256];

	snprintf(text, sizeof(text),
		 CURRENT_TASK "*(u64 *)(r10 - 8) = r0\nr1 = *(u64 *)(r10 - 8)\n"
		 "r0 = *(u32 *)(r1 + %u)\nexit", member_offset("task_struct", "pid"));
	expect_kprobe(text, 0, NULL);
}
END_TEST

START_TEST(rejects_task_pointer_as_helper_memory)
{
	/* bpf_probe_read_kernel(dst = the task, 8, NULL): dst must be writable memory */
	expect_kprobe(CURRENT_TASK "r1 = r0\nr2 = 8\nr3 = 0\ncall 113\nr0 = 0\nexit", EACCES,
		      "bpf_probe_read_kernel() may write into memory pointed by R1 type=trusted_ptr_");
}
END_TEST

START_TEST(logs_task_pointer_state)
{
	expect_kprobe(CURRENT_TASK "r1 = r0\nr0 = *(u32 *)(r1 - 4)\nexit", EACCES,
		      "R0=trusted_ptr_task_struct() R1=trusted_ptr_task_struct()");
}
END_TEST

START_TEST(logs_walked_pointer_state)
{
	char text[256];

	snprintf(text, sizeof(text), CURRENT_TASK "r1 = *(u64 *)(r0 + %u)\nr0 = *(u32 *)(r1 - 4)\nexit",
		 member_offset("task_struct", "mm"));
	expect_kprobe(text, EACCES, "R1=ptr_mm_struct()");
}
END_TEST

START_TEST(logs_rcu_pointer_state)
{
	char text[256];

	snprintf(text, sizeof(text), CURRENT_TASK "r1 = *(u64 *)(r0 + %u)\nr0 = *(u32 *)(r1 - 4)\nexit",
		 member_offset("task_struct", "real_parent"));
	expect_kprobe(text, EACCES, "R1=rcu_ptr_task_struct()");
}
END_TEST

/* cred is __rcu in the source; without type tags in the BTF (pahole without them, as
 * on this host) it loads as a plain pointer, dereferenced without a null check. */
START_TEST(accepts_untagged_rcu_member_load)
{
	char text[256];

	snprintf(text, sizeof(text), CURRENT_TASK "r1 = *(u64 *)(r0 + %u)\nr0 = *(u32 *)(r1 + 4)\nexit",
		 member_offset("task_struct", "cred"));
	expect_kprobe(text, 0, NULL);
}
END_TEST

/* One load reached with the ctx on one path and the task on the other: the kernel
 * rewrites each differently, so it refuses the insn. */
START_TEST(rejects_insn_shared_by_ctx_and_task_pointer)
{
	expect_kprobe("r6 = r1\n" CURRENT_TASK "r1 = r0\nr7 = *(u64 *)(r6 + 0)\n"
		      "if r7 == 0 goto +1\nr1 = r6\nr0 = *(u64 *)(r1 + 0)\nexit",
		      EINVAL, "same insn cannot be used with different pointers");
}
END_TEST

/* The load's code in the xlated dump of `fd` (insn 1 of "call 158; r0 = *(u32 *)..."). */
static uint8_t xlated_load_code(enum vt_target target, int fd)
{
	struct objfmt_insn insns[3] = { 0 };
	struct bpf_prog_info info = { .xlated_prog_len = sizeof(insns),
				      .xlated_prog_insns = (uint64_t)(uintptr_t)insns };
	union bpf_attr attr = { .info = { .bpf_fd = (uint32_t)fd, .info_len = sizeof(info),
					  .info = (uint64_t)(uintptr_t)&info } };
	long r = target == VT_EMU ? emu_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr))
				  : syscall(__NR_bpf, BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr));

	ck_assert_msg(r == 0, "OBJ_GET_INFO_BY_FD failed: %s", strerror(errno));
	return insns[1].code;
}

/* The probe-mem form is internal: xlated dumps show the plain load, as the kernel's. */
START_TEST(xlated_dump_shows_plain_load)
{
	static struct vt_prog prog;
	char text[256];

	snprintf(text, sizeof(text), CURRENT_TASK "r0 = *(u32 *)(r0 + %u)\nexit",
		 member_offset("task_struct", "pid"));
	for (int t = VT_EMU; t <= (kernel_cross_check() ? VT_KERNEL : VT_EMU); t++) {
		struct vt_result res;
		vt_assemble(text, fixture_maps((enum vt_target)t), &prog);
		vt_load((enum vt_target)t, BPF_PROG_TYPE_KPROBE, &prog, "GPL", 0, &res);
		ck_assert_int_ge(res.fd, 0);
		ck_assert_int_eq(xlated_load_code((enum vt_target)t, res.fd), BPF_LDX | BPF_W | BPF_MEM);
		vt_close((enum vt_target)t, res.fd);
		vt_result_free(&res);
	}
}
END_TEST

/* Root may leak kernel addresses: as the return value and into a map value. */
START_TEST(root_may_leak_task_pointer)
{
	expect_kprobe(CURRENT_TASK "exit", 0, NULL);
	expect_kprobe(CURRENT_TASK "r6 = r0\n" "*(u32 *)(r10 - 4) = 0\nr2 = r10\nr2 += -4\n"
		      "r1 = " HASH_MAP "\ncall 1\nif r0 == 0 goto +1\n*(u64 *)(r0 + 0) = r6\n"
		      "r0 = 0\nexit", 0, NULL);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		accepts_task_field_load, accepts_walk_through_pointer_member,
		accepts_constant_pointer_arithmetic, rejects_access_beyond_struct,
		rejects_partial_pointer_member, rejects_store, rejects_negative_offset,
		rejects_scalar_result_dereference, accepts_tp_btf_argument_load,
		rejects_tp_btf_argument_store, rejects_tp_btf_argument_beyond_struct,
		accepts_null_check_of_pointer_member, accepts_spill_and_fill_of_task_pointer,
		rejects_task_pointer_as_helper_memory, logs_task_pointer_state,
		logs_walked_pointer_state, logs_rcu_pointer_state,
		accepts_untagged_rcu_member_load, rejects_insn_shared_by_ctx_and_task_pointer,
		trusted_task_pointer_is_not_null, rejects_variable_offset_access,
		fentry_arguments_follow_the_prototype, xlated_dump_shows_plain_load,
		root_may_leak_task_pointer, NULL,
	};
	return run_suite("verifier kernel object pointers", tests);
}
