/* test_kfunc.c - kernel function calls: bpf_rcu_read_lock/unlock sections,
 * bpf_task_acquire/release and bpf_task_from_pid references, type and trust of their
 * arguments, per program type; at run time bpf_task_from_pid finds the current task.
 * Kfunc ids come from the kernel BTF the emulator uses (the host's when present: then
 * the kernel cross-checks every verdict and key line). */
#include <sys/syscall.h>

#include "ebpf/emu.h"
#include "vcheck.h"

#define KCALL_MARK 0x7ff00000 /* "call KCALL_MARK + k": kfunc k of kfunc_names; + 9: id 158 */

static const char *const kfunc_names[] = {
	"bpf_rcu_read_lock", "bpf_rcu_read_unlock", "bpf_task_acquire", "bpf_task_release",
	"bpf_task_from_pid",
};
#define RCU_LOCK "call 2146435072\n"   /* KCALL_MARK + 0 */
#define RCU_UNLOCK "call 2146435073\n"
#define TASK_ACQUIRE "call 2146435074\n"
#define TASK_RELEASE "call 2146435075\n"
#define TASK_FROM_PID "call 2146435076\n"
#define CURRENT "call bpf_get_current_task_btf\n"

static int kfunc_id(const char *name)
{
	const struct objfmt_btf *btf = emu_kernel_btf_model();
	return btf ? objfmt_btf__find(btf, OBJFMT_BTF_FUNC, name) : -1;
}

/* Whether the kernel BTF has the kfuncs (the built-in subset does not). */
static bool have_kfuncs(void)
{
	for (size_t i = 0; i < sizeof(kfunc_names) / sizeof(kfunc_names[0]); i++)
		if (kfunc_id(kfunc_names[i]) <= 0)
			return false;
	return true;
}

static void load_kfunc(enum vt_target target, uint32_t type, const char *text,
		       struct vt_result *res)
{
	static struct vt_prog prog;
	vt_assemble(text, fixture_maps(target), &prog);
	for (uint32_t i = 0; i < prog.cnt; i++) {
		struct objfmt_insn *insn = &prog.insns[i];
		if (insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == 0 &&
		    insn->imm >= KCALL_MARK && insn->imm <= KCALL_MARK + 9) {
			int k = insn->imm - KCALL_MARK;
			insn->src_reg = BPF_PSEUDO_KFUNC_CALL;
			insn->imm = k == 9 ? 158 : kfunc_id(kfunc_names[k]);
		}
	}
	vt_load(target, type, &prog, "GPL", 1, res);
}

static void expect_kfunc_on(enum vt_target target, uint32_t type, const char *text, int err,
			    const char *line)
{
	struct vt_result res;
	const char *who = target == VT_EMU ? "emulator" : "kernel";
	load_kfunc(target, type, text, &res);
	ck_assert_msg(res.err == err, "%s: expected errno %d, got %d; log:\n%s", who, err, res.err,
		      res.log);
	if (line)
		ck_assert_msg(vt_log_has(res.log, line), "%s: log lacks '%s':\n%s", who, line, res.log);
	vt_close(target, res.fd);
	vt_result_free(&res);
}

static void expect_kfunc(uint32_t type, const char *text, int err, const char *line)
{
	if (!have_kfuncs())
		return; /* no kernel BTF with kfuncs: nothing to call */
	expect_kfunc_on(VT_EMU, type, text, err, line);
	if (kernel_cross_check())
		expect_kfunc_on(VT_KERNEL, type, text, err, line);
}

static void expect_tc(const char *text, int err, const char *line)
{
	expect_kfunc(BPF_PROG_TYPE_SCHED_CLS, text, err, line);
}

START_TEST(acquired_task_is_released)
{
	char line[96];
	expect_tc(CURRENT "r1 = r0\n" TASK_ACQUIRE "if r0 == 0 goto +2\nr1 = r0\n" TASK_RELEASE
		  "r0 = 0\nexit", 0, NULL);
	expect_tc(CURRENT "r1 = r0\n" TASK_ACQUIRE "r0 = 0\nexit", EINVAL,
		  "Unreleased reference id=2 alloc_insn=2");
	snprintf(line, sizeof(line), "2: (85) call bpf_task_acquire#%d", kfunc_id("bpf_task_acquire"));
	expect_tc(CURRENT "r1 = r0\n" TASK_ACQUIRE "r0 = 0\nexit", EINVAL, line);
	expect_tc(CURRENT "r1 = r0\n" TASK_ACQUIRE "if r0 == 0 goto +3\nr6 = r0\nr1 = r0\n"
		  TASK_RELEASE "r0 = *(u32 *)(r6 + 0)\nr0 = 0\nexit", EACCES,
		  "R6 invalid mem access 'scalar'");
}
END_TEST

START_TEST(release_needs_a_reference)
{
	expect_tc(CURRENT "r1 = r0\n" TASK_RELEASE "r0 = 0\nexit", EINVAL,
		  "release kernel function bpf_task_release expects refcounted PTR_TO_BTF_ID");
	expect_tc(CURRENT "r1 = r0\n" TASK_ACQUIRE "r1 = r0\n" TASK_RELEASE "r0 = 0\nexit", EACCES,
		  "Possibly NULL pointer passed to trusted arg0");
	expect_tc("r1 = 5\n" TASK_ACQUIRE "r0 = 0\nexit", EINVAL,
		  "arg#0 pointer type STRUCT task_struct must point to scalar, or struct with "
		  "scalar");
}
END_TEST

START_TEST(rcu_sections_pair_up)
{
	expect_tc(RCU_LOCK CURRENT "r1 = r0\n" TASK_ACQUIRE "if r0 == 0 goto +2\nr1 = r0\n"
		  TASK_RELEASE RCU_UNLOCK "r0 = 0\nexit", 0, NULL);
	expect_tc(RCU_UNLOCK "r0 = 0\nexit", EINVAL,
		  "unmatched rcu read unlock (kernel function bpf_rcu_read_unlock)");
	expect_tc(RCU_LOCK "r0 = 0\nexit", EINVAL,
		  "BPF_EXIT instruction in main prog cannot be used inside bpf_rcu_read_lock-ed "
		  "region");
	expect_tc(RCU_LOCK RCU_LOCK RCU_UNLOCK RCU_UNLOCK "r0 = 0\nexit", EINVAL,
		  "nested rcu read lock (kernel function bpf_rcu_read_lock)");
	/* a section left open on one branch only */
	expect_tc("r6 = *(u32 *)(r1 + 0)\n" RCU_LOCK "if r6 == 0 goto +1\n" RCU_UNLOCK
		  "r0 = 0\nexit", EINVAL, "bpf_rcu_read_lock-ed region");
}
END_TEST

START_TEST(kfuncs_per_program_type)
{
	expect_kfunc(BPF_PROG_TYPE_SOCKET_FILTER, "r1 = 1\n" TASK_FROM_PID "r0 = 0\nexit", EACCES,
		     "calling kernel function bpf_task_from_pid is not allowed");
	expect_kfunc(BPF_PROG_TYPE_SOCKET_FILTER, RCU_LOCK RCU_UNLOCK "r0 = 0\nexit", 0, NULL);
	expect_kfunc(BPF_PROG_TYPE_XDP, "r1 = 1\n" TASK_FROM_PID "if r0 == 0 goto +2\nr1 = r0\n"
		     TASK_RELEASE "r0 = 2\nexit", 0, NULL);
	/* a BTF id that is not a function (158, an early type): refused before any path */
	expect_tc("call 2146435081\nr0 = 0\nexit", EINVAL, "kernel btf_id 158 is not a function");
}
END_TEST

static int kfunc_verdict(enum vt_target target, uint32_t type, const char *text)
{
	struct vt_result res;
	load_kfunc(target, type, text, &res);
	int err = res.err;
	vt_close(target, res.fd);
	vt_result_free(&res);
	return err;
}

START_TEST(kfunc_program_types_as_the_kernel_decides)
{
	static const uint32_t types[] = {
		BPF_PROG_TYPE_SOCKET_FILTER, BPF_PROG_TYPE_KPROBE, BPF_PROG_TYPE_SCHED_CLS,
		BPF_PROG_TYPE_SCHED_ACT, BPF_PROG_TYPE_TRACEPOINT, BPF_PROG_TYPE_XDP,
		BPF_PROG_TYPE_PERF_EVENT, BPF_PROG_TYPE_CGROUP_SKB, BPF_PROG_TYPE_CGROUP_SOCK,
		BPF_PROG_TYPE_LWT_IN, BPF_PROG_TYPE_LWT_OUT, BPF_PROG_TYPE_LWT_XMIT,
		BPF_PROG_TYPE_SOCK_OPS, BPF_PROG_TYPE_SK_SKB, BPF_PROG_TYPE_CGROUP_DEVICE,
		BPF_PROG_TYPE_SK_MSG, BPF_PROG_TYPE_RAW_TRACEPOINT, BPF_PROG_TYPE_CGROUP_SYSCTL,
		BPF_PROG_TYPE_FLOW_DISSECTOR,
	}; /* sockopt and sk_lookup programs need an expected attach type to load at all */
	static const char *const programs[] = {
		RCU_LOCK RCU_UNLOCK "r0 = 1\nexit",
		"r1 = 1\n" TASK_FROM_PID "if r0 == 0 goto +2\nr1 = r0\n" TASK_RELEASE "r0 = 1\nexit",
		CURRENT "r1 = r0\n" TASK_ACQUIRE "if r0 == 0 goto +2\nr1 = r0\n" TASK_RELEASE
		"r0 = 1\nexit",
	};
	int mismatches = 0;
	if (!have_kfuncs() || !kernel_cross_check())
		return; /* the kernel is the oracle of this sweep */
	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++)
		for (size_t p = 0; p < sizeof(programs) / sizeof(programs[0]); p++) {
			int emu = kfunc_verdict(VT_EMU, types[t], programs[p]);
			int kernel = kfunc_verdict(VT_KERNEL, types[t], programs[p]);
			if (emu != kernel) {
				mismatches++;
				fprintf(stderr, "type %u program %zu: emulator %d, kernel %d\n", types[t],
					p, emu, kernel);
			}
		}
	ck_assert_int_eq(mismatches, 0);
}
END_TEST

static uint32_t member_offset(const char *type, const char *name)
{
	const struct objfmt_btf *btf = emu_kernel_btf_model();
	int id = objfmt_btf__find(btf, OBJFMT_BTF_STRUCT, type);
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, (uint32_t)id);
	for (uint32_t i = 0; i < t->vlen; i++)
		if (!strcmp(t->members[i].name, name))
			return t->members[i].bit_offset / 8;
	ck_abort_msg("no member %s", name);
	return 0;
}

/* bpf_task_from_pid(getpid())->pid, 0 when NULL. */
static uint32_t run_from_pid(enum vt_target target)
{
	char text[512];
	struct vt_result res;
	uint8_t packet[64] = { 0 };
	uint32_t retval = 0;

	snprintf(text, sizeof(text), "r1 = %d\n" TASK_FROM_PID "if r0 == 0 goto +5\n"
		 "r6 = *(u32 *)(r0 + %u)\nr1 = r0\n" TASK_RELEASE "r0 = r6\nexit\nr0 = 0\nexit",
		 (int)getpid(), member_offset("task_struct", "pid"));
	load_kfunc(target, BPF_PROG_TYPE_SCHED_CLS, text, &res);
	ck_assert_msg(res.fd >= 0, "errno %d:\n%s", res.err, res.log);
	ck_assert_int_eq(vt_test_run(target, res.fd, packet, sizeof(packet), &retval, NULL, NULL),
			 0);
	vt_close(target, res.fd);
	vt_result_free(&res);
	return retval;
}

START_TEST(task_from_pid_finds_the_current_task)
{
	char assignment[32], error[128];
	if (!have_kfuncs())
		return;
	snprintf(assignment, sizeof(assignment), "pid=%d", (int)getpid());
	ck_assert_msg(emu_kobj_assign(assignment, error, sizeof(error)) == 0, "%s", error);
	ck_assert_int_eq(emu_kobj_install(), 0);
	ck_assert_uint_eq(run_from_pid(VT_EMU), (uint32_t)getpid());
	if (kernel_cross_check())
		ck_assert_uint_eq(run_from_pid(VT_KERNEL), (uint32_t)getpid());
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		acquired_task_is_released, release_needs_a_reference, rcu_sections_pair_up,
		kfuncs_per_program_type, task_from_pid_finds_the_current_task,
		kfunc_program_types_as_the_kernel_decides, NULL,
	};
	return run_suite("verifier kernel functions", tests);
}
