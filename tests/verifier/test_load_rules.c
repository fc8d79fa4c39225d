/* test_load_rules.c - PROG_LOAD rules outside the instruction walk: BTF-attached types
 * need their hook (attach_btf_id), syscall programs must be sleepable, and tracing
 * programs read only the hook's arguments (btf_ctx_access). Each verdict and key line
 * is checked against the real kernel too when it is available (root, host BTF). */
#include <sys/syscall.h>

#include "ebpf/emu.h"
#include "vcheck.h"

/* How a program is loaded: type, attach type, hook and flags. */
struct load_spec {
	uint32_t type;
	uint32_t attach;
	int hook_kind;    /* OBJFMT_BTF_FUNC or _TYPEDEF; 0: no attach_btf_id */
	const char *hook; /* name of the hook in the kernel BTF */
	uint32_t flags;   /* prog_flags */
	bool emu_only;    /* this host's kernel refuses the type before verifying (fentry
			     and lsm programs: EPERM, no log) */
	uint32_t level;   /* log level; 0: 1 */
	int32_t ksym_id;  /* "r1 = KSYM_MARK ll" becomes a BPF_PSEUDO_BTF_ID load of it */
	const char *license; /* NULL: "GPL" */
};

#define KSYM_MARK 0x7ee00000
#define LOAD_KSYM "r1 = 0x7ee00000 ll\n"

/* "call KCALL_MARK + k" is a call of kfunc_names[k] (its id in the kernel BTF);
 * KCALL_MARK + KCALL_UNRESOLVED is a kfunc call with imm 0 (libbpf's unresolved weak
 * __ksym). */
#define KCALL_MARK 0x7ff00000
#define KCALL_UNRESOLVED 15
static const char *const kfunc_names[] = { "bpf_task_from_pid", "bpf_task_release" };
#define TASK_FROM_PID "call 2146435072\n" /* KCALL_MARK + 0 */
#define TASK_RELEASE "call 2146435073\n"
#define UNRESOLVED_KFUNC "call 2146435087\n"

static void patch_kfuncs(struct vt_prog *prog)
{
	for (uint32_t i = 0; i < prog->cnt; i++) {
		struct objfmt_insn *insn = &prog->insns[i];
		if (insn->code != (BPF_JMP | BPF_CALL) || insn->src_reg || insn->imm < KCALL_MARK ||
		    insn->imm > KCALL_MARK + KCALL_UNRESOLVED)
			continue;
		int k = insn->imm - KCALL_MARK;
		insn->src_reg = BPF_PSEUDO_KFUNC_CALL;
		insn->imm = k == KCALL_UNRESOLVED ? 0 :
			    objfmt_btf__find(emu_kernel_btf_model(), OBJFMT_BTF_FUNC,
					     kfunc_names[k]);
		ck_assert_int_ge(insn->imm, 0);
	}
}

static int call_target(enum vt_target target, union bpf_attr *attr)
{
	if (target == VT_EMU) {
		int r = emu_bpf(BPF_PROG_LOAD, attr, sizeof(*attr));
		return r < 0 ? -errno : r;
	}
	long r = syscall(__NR_bpf, BPF_PROG_LOAD, attr, sizeof(*attr));
	return r < 0 ? -errno : (int)r;
}

static void load_spec_on(enum vt_target target, const struct load_spec *spec, const char *text,
			 struct vt_result *res)
{
	static struct vt_prog prog;
	union bpf_attr attr;

	vt_assemble(text, fixture_maps(target), &prog);
	patch_kfuncs(&prog);
	for (uint32_t i = 0; i + 1 < prog.cnt; i++)
		if (prog.insns[i].code == (BPF_LD | BPF_IMM | BPF_DW) &&
		    prog.insns[i].imm == KSYM_MARK) {
			prog.insns[i].src_reg = BPF_PSEUDO_BTF_ID;
			prog.insns[i].imm = spec->ksym_id;
		}
	memset(&attr, 0, sizeof(attr));
	memset(res, 0, sizeof(*res));
	res->log = calloc(1, VT_LOG_SIZE);
	ck_assert_ptr_nonnull(res->log);
	attr.prog_type = spec->type;
	attr.expected_attach_type = spec->attach;
	attr.prog_flags = spec->flags;
	if (spec->hook) {
		int id = objfmt_btf__find(emu_kernel_btf_model(), spec->hook_kind, spec->hook);
		ck_assert_msg(id > 0, "kernel BTF has no %s", spec->hook);
		attr.attach_btf_id = (uint32_t)id;
	}
	attr.insn_cnt = prog.cnt;
	attr.insns = (uint64_t)(uintptr_t)prog.insns;
	attr.license = (uint64_t)(uintptr_t)(spec->license ? spec->license : "GPL");
	attr.log_level = spec->level ? spec->level : 1;
	attr.log_buf = (uint64_t)(uintptr_t)res->log;
	attr.log_size = VT_LOG_SIZE;
	res->fd = call_target(target, &attr);
	res->err = res->fd < 0 ? -res->fd : 0;
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

static void expect_spec_on(enum vt_target target, const struct load_spec *spec,
			   const char *text, int err, const char *line)
{
	struct vt_result res;
	const char *who = target == VT_EMU ? "emulator" : "kernel";

	load_spec_on(target, spec, text, &res);
	ck_assert_msg(res.err == err, "%s: expected errno %d, got %d; log:\n%s", who, err,
		      res.err, res.log);
	if (line)
		ck_assert_msg(vt_log_has(res.log, line), "%s: log lacks '%s':\n%s", who, line,
			      res.log);
	vt_close(target, res.fd);
	vt_result_free(&res);
}

static void expect_spec(const struct load_spec *spec, const char *text, int err,
			const char *line)
{
	expect_spec_on(VT_EMU, spec, text, err, line);
	bool ids = spec->hook || spec->ksym_id || strstr(text, "call 21464350"); /* BTF ids */
	if (kernel_cross_check() && !spec->emu_only && (!ids || host_btf()))
		expect_spec_on(VT_KERNEL, spec, text, err, line);
}

#define RET0 "r0 = 0\nexit"
/* tp_btf/sched_switch */
#define SCHED_SWITCH                                                                 \
	.type = BPF_PROG_TYPE_TRACING, .attach = BPF_TRACE_RAW_TP,                   \
	.hook_kind = OBJFMT_BTF_TYPEDEF, .hook = "btf_trace_sched_switch"

START_TEST(tracing_needs_attach_btf_id)
{
	const struct load_spec tracing = { .type = BPF_PROG_TYPE_TRACING,
					   .attach = BPF_TRACE_RAW_TP };
	const struct load_spec fentry = { .type = BPF_PROG_TYPE_TRACING,
					  .attach = BPF_TRACE_FENTRY, .emu_only = true };
	const struct load_spec lsm = { .type = BPF_PROG_TYPE_LSM, .attach = BPF_LSM_MAC,
				       .emu_only = true };

	expect_spec(&tracing, RET0, EINVAL, "Tracing programs must provide btf_id");
	expect_spec(&fentry, RET0, EINVAL, "Tracing programs must provide btf_id");
	expect_spec(&lsm, RET0, EINVAL, "Tracing programs must provide btf_id");
}
END_TEST

/* The hook must be of its attach type's kind: tp_btf a btf_trace_ typedef, fentry,
 * fexit and lsm a function (lsm: a bpf_lsm_ one). */
START_TEST(hook_kind_follows_attach_type)
{
	struct load_spec tp = { .type = BPF_PROG_TYPE_TRACING, .attach = BPF_TRACE_RAW_TP,
				.hook_kind = OBJFMT_BTF_STRUCT, .hook = "task_struct" };
	struct load_spec fentry = { .type = BPF_PROG_TYPE_TRACING, .attach = BPF_TRACE_FENTRY,
				    .hook_kind = OBJFMT_BTF_TYPEDEF,
				    .hook = "btf_trace_sched_switch", .emu_only = true };
	struct load_spec lsm = { .type = BPF_PROG_TYPE_LSM, .attach = BPF_LSM_MAC,
				 .hook_kind = OBJFMT_BTF_FUNC, .hook = "do_unlinkat",
				 .emu_only = true };
	char line[96];

	snprintf(line, sizeof(line), "attach_btf_id %d is not a typedef",
		 objfmt_btf__find(emu_kernel_btf_model(), OBJFMT_BTF_STRUCT, "task_struct"));
	expect_spec(&tp, RET0, EINVAL, line);
	tp.hook_kind = OBJFMT_BTF_TYPEDEF;
	tp.hook = "u32";
	snprintf(line, sizeof(line), "attach_btf_id %d points to wrong type name u32",
		 objfmt_btf__find(emu_kernel_btf_model(), OBJFMT_BTF_TYPEDEF, "u32"));
	expect_spec(&tp, RET0, EINVAL, line);
	expect_spec(&fentry, RET0, EINVAL, "is not a function");
	expect_spec(&lsm, RET0, EINVAL, "points to wrong type name do_unlinkat");
	lsm.license = "Proprietary";
	expect_spec(&lsm, RET0, EINVAL, "LSM programs must have a GPL compatible license");
}
END_TEST

START_TEST(syscall_program_must_be_sleepable)
{
	const struct load_spec plain = { .type = BPF_PROG_TYPE_SYSCALL };
	const struct load_spec sleepable = { .type = BPF_PROG_TYPE_SYSCALL,
					     .flags = BPF_F_SLEEPABLE };

	expect_spec(&plain, RET0, EINVAL, "Syscall programs can only be sleepable");
	expect_spec(&sleepable, RET0, 0, NULL);
}
END_TEST

/* BPF_F_XDP_DEV_BOUND_ONLY (1 << 6) and BPF_F_TEST_REG_INVARIANTS (1 << 7) are known
 * load flags for every type; 1 << 8 is not. */
START_TEST(newer_load_flags_are_known)
{
	struct load_spec filter = { .type = BPF_PROG_TYPE_SOCKET_FILTER, .flags = 1u << 6 };

	expect_spec(&filter, RET0, 0, NULL);
	filter.flags = 1u << 7;
	expect_spec(&filter, RET0, 0, NULL);
	filter.flags = 1u << 8;
	expect_spec(&filter, RET0, EINVAL, NULL);
}
END_TEST

/* LIRC_MODE2 needs CONFIG_BPF_LIRC_MODE2, which this machine's kernel lacks. */
START_TEST(lirc_mode2_is_unknown)
{
	const struct load_spec lirc = { .type = BPF_PROG_TYPE_LIRC_MODE2 };

	expect_spec(&lirc, RET0, EINVAL, NULL);
}
END_TEST

START_TEST(only_some_types_may_sleep)
{
	const struct load_spec filter = { .type = BPF_PROG_TYPE_SOCKET_FILTER,
					  .flags = BPF_F_SLEEPABLE };
	const struct load_spec tp = { SCHED_SWITCH, .flags = BPF_F_SLEEPABLE };

	expect_spec(&filter, RET0, EINVAL, "Only fentry/fexit/fmod_ret, lsm, iter, uprobe, "
					   "and struct_ops programs can be sleepable");
	expect_spec(&tp, RET0, EINVAL, "programs can be sleepable");
	const struct load_spec kprobe = { .type = BPF_PROG_TYPE_KPROBE,
					  .flags = BPF_F_SLEEPABLE };
	expect_spec(&kprobe, RET0, 0, NULL);
}
END_TEST

/* sched_switch(bool preempt, struct task_struct *prev, struct task_struct *next,
 * unsigned int prev_state): four arguments, slots 0..3. */
START_TEST(tp_btf_reads_only_the_hook_arguments)
{
	const struct load_spec tp = { SCHED_SWITCH };

	expect_spec(&tp, "r2 = *(u64 *)(r1 + 24)\n" RET0, 0, NULL);
	expect_spec(&tp, "r2 = *(u32 *)(r1 + 8)\n" RET0, EACCES,
		    "func 'sched_switch' size 4 must be 8");
	expect_spec(&tp, "r2 = *(u32 *)(r1 + 0)\n" RET0, 0, NULL);
	expect_spec(&tp, "r2 = *(u32 *)(r1 + 4)\n" RET0, EACCES,
		    "func 'sched_switch' offset 4 is not multiple of 8");
	expect_spec(&tp, "r2 = *(u32 *)(r1 + 2)\n" RET0, EACCES,
		    "invalid bpf_context access off=2 size=4");
	expect_spec(&tp, "r2 = *(u64 *)(r1 + 32)\n" RET0, EACCES,
		    "func 'sched_switch' doesn't have 5-th argument");
	/* beyond the last argument and the (void) return value: get_ctx_arg_idx says
	 * vlen + 1, counting the hidden __data parameter */
	expect_spec(&tp, "r2 = *(u64 *)(r1 + 40)\n" RET0, EACCES,
		    "func 'sched_switch' doesn't have 7-th argument");
	expect_spec(&tp, "r2 = *(u64 *)(r1 + 88)\n" RET0, EACCES,
		    "func 'sched_switch' doesn't have 7-th argument");
}
END_TEST

/* Some tracepoint arguments may be NULL (the kernel's raw_tp_null_args), and a
 * function pointer argument cannot be read at all. */
START_TEST(tp_btf_argument_kinds)
{
	struct load_spec tp = { .type = BPF_PROG_TYPE_TRACING, .attach = BPF_TRACE_RAW_TP,
				.hook_kind = OBJFMT_BTF_TYPEDEF, .hook = "btf_trace_sched_pi_setprio" };

	if (objfmt_btf__find(emu_kernel_btf_model(), OBJFMT_BTF_TYPEDEF, tp.hook) <= 0)
		return; /* not in the built-in kernel BTF */
	expect_spec(&tp, "r2 = *(u64 *)(r1 + 8)\nr0 = *(u8 *)(r2 + 0)\n" RET0, EACCES,
		    "R2 invalid mem access 'trusted_ptr_or_null_'");
	expect_spec(&tp, "r2 = *(u64 *)(r1 + 8)\nif r2 == 0 goto +1\nr0 = *(u8 *)(r2 + 0)\n"
			 RET0, 0, NULL);
	expect_spec(&tp, "r2 = *(u64 *)(r1 + 0)\nr0 = *(u8 *)(r2 + 0)\n" RET0, 0, NULL);
	tp.hook = "btf_trace_initcall_start";
	expect_spec(&tp, "r2 = *(u64 *)(r1 + 0)\n" RET0, EACCES,
		    "func 'initcall_start' arg0 type FUNC_PROTO is not a struct");
}
END_TEST

/* do_unlinkat(int dfd, struct filename *name) returns int: fexit may read slot 2 (the
 * return value), fentry may not (emulator only: fentry and fexit need a trampoline,
 * which this host's kernel refuses with EPERM). */
START_TEST(fexit_reads_the_return_value)
{
	const struct load_spec fentry = { .type = BPF_PROG_TYPE_TRACING,
					  .attach = BPF_TRACE_FENTRY, .hook_kind = OBJFMT_BTF_FUNC,
					  .hook = "do_unlinkat", .emu_only = true };
	const struct load_spec fexit = { .type = BPF_PROG_TYPE_TRACING,
					 .attach = BPF_TRACE_FEXIT, .hook_kind = OBJFMT_BTF_FUNC,
					 .hook = "do_unlinkat", .emu_only = true };

	expect_spec(&fexit, "r2 = *(u64 *)(r1 + 16)\n" RET0, 0, NULL);
	expect_spec(&fentry, "r2 = *(u64 *)(r1 + 16)\n" RET0, EACCES,
		    "func 'do_unlinkat' doesn't have 3-th argument");
	expect_spec(&fexit, "r2 = *(u64 *)(r1 + 24)\n" RET0, EACCES,
		    "func 'do_unlinkat' doesn't have 4-th argument");
}
END_TEST

/* Iterators: a bpf_iter_ function as the hook, R0 0 or 1, and the object argument
 * may be NULL (the target's ctx_arg_info: PTR_TO_BTF_ID_OR_NULL). */
START_TEST(iterator_programs)
{
	struct load_spec iter = { .type = BPF_PROG_TYPE_TRACING, .attach = BPF_TRACE_ITER,
				  .hook_kind = OBJFMT_BTF_FUNC, .hook = "bpf_iter_task" };

	if (objfmt_btf__find(emu_kernel_btf_model(), OBJFMT_BTF_FUNC, "bpf_iter_task") <= 0)
		return; /* the built-in kernel BTF has no iterators */
	expect_spec(&iter, "r2 = *(u64 *)(r1 + 8)\nif r2 == 0 goto +1\n"
			   "r0 = *(u32 *)(r2 + 0)\n" RET0, 0, NULL);
	expect_spec(&iter, "r2 = *(u64 *)(r1 + 8)\nr0 = *(u32 *)(r2 + 0)\n" RET0, EACCES,
		    "R2 invalid mem access 'trusted_ptr_or_null_'");
	expect_spec(&iter, "r0 = 5\nexit", EINVAL,
		    "At program exit the register R0 has smin=5 smax=5 should have been in "
		    "[0, 1]");
	iter.hook = "schedule";
	expect_spec(&iter, RET0, EINVAL, NULL);
	iter.hook = "bpf_iter_bits_new"; /* an open-coded iterator kfunc, no target */
	expect_spec(&iter, RET0, EINVAL, NULL);
	iter.hook = "bpf_iter_bpf_map_elem"; /* its map is never NULL */
	expect_spec(&iter, "r2 = *(u64 *)(r1 + 8)\nr0 = *(u32 *)(r2 + 0)\n" RET0, 0, NULL);
}
END_TEST

/* check_return_code: a raw tracepoint's range depends on attach_btf_id (which
 * PROG_LOAD refuses for it), not on expected_attach_type; fentry and fexit must return
 * 0, tp_btf anything. */
START_TEST(return_value_rules_of_tracing_types)
{
	const struct load_spec raw_tp = { .type = BPF_PROG_TYPE_RAW_TRACEPOINT,
					  .attach = BPF_TRACE_RAW_TP };
	const struct load_spec tp = { SCHED_SWITCH };
	const struct load_spec fentry = { .type = BPF_PROG_TYPE_TRACING,
					  .attach = BPF_TRACE_FENTRY, .hook_kind = OBJFMT_BTF_FUNC,
					  .hook = "do_unlinkat", .emu_only = true };

	expect_spec(&raw_tp, "r0 = 5\nexit", 0, NULL);
	expect_spec(&tp, "r0 = 5\nexit", 0, NULL);
	expect_spec(&fentry, "r0 = 1\nexit", EINVAL,
		    "At program exit the register R0 has smin=1 smax=1 should have been in "
		    "[0, 0]");
}
END_TEST

/* An lsm program returns 0 or a negative errno from an int hook (only the low 32 bits
 * count), 0 or 1 from a bool hook, anything from a void one (emulator only: this host's
 * kernel refuses lsm programs with EPERM). */
START_TEST(lsm_return_ranges)
{
	struct load_spec lsm = { .type = BPF_PROG_TYPE_LSM, .attach = BPF_LSM_MAC,
				 .hook_kind = OBJFMT_BTF_FUNC, .hook = "bpf_lsm_file_open",
				 .emu_only = true };

	if (objfmt_btf__find(emu_kernel_btf_model(), OBJFMT_BTF_FUNC, "bpf_lsm_task_free") <= 0)
		return; /* the built-in kernel BTF has no lsm hooks */
	expect_spec(&lsm, "w0 = -13\nexit", 0, NULL);
	expect_spec(&lsm, "r0 = 1\nexit", EINVAL,
		    "At program exit the register R0 has smin=1 smax=1 should have been in "
		    "[-4095, 0]");
	lsm.hook = "bpf_lsm_inode_xattr_skipcap";
	expect_spec(&lsm, "r0 = 1\nexit", 0, NULL);
	lsm.hook = "bpf_lsm_task_free";
	expect_spec(&lsm, "r0 = 5\nexit", 0, NULL);
}
END_TEST

/* libbpf leaves an unresolved weak kfunc as imm 0: the kernel refuses it only when the
 * call survives dead-code elimination (fixup_kfunc_call), after the walk. */
START_TEST(unresolved_kfunc_only_refused_when_reachable)
{
	const struct load_spec filter = { .type = BPF_PROG_TYPE_SOCKET_FILTER };

	expect_spec(&filter, "r0 = 0\nif r0 != 0 goto +1\nexit\n" UNRESOLVED_KFUNC "exit", 0,
		    NULL);
	expect_spec(&filter, "r0 = 0\n" UNRESOLVED_KFUNC "exit", EINVAL,
		    "invalid kernel function call not eliminated in verifier pass");
}
END_TEST

/* Level 2 after a kfunc call shows R0; an acquired object is trusted through its
 * reference, printed as a plain ptr_. */
START_TEST(kfunc_call_log_shows_the_result)
{
	const struct load_spec tc = { .type = BPF_PROG_TYPE_SCHED_CLS, .level = 2 };
	const char *text = "r1 = 1\n" TASK_FROM_PID "if r0 == 0 goto +2\nr1 = r0\n"
			   TASK_RELEASE "r0 = 0\nexit";

	if (objfmt_btf__find(emu_kernel_btf_model(), OBJFMT_BTF_FUNC, kfunc_names[0]) <= 0)
		return; /* the built-in kernel BTF has no kfuncs */
	expect_spec(&tc, text, 0, "; R0=ptr_or_null_task_struct(id=2,ref_obj_id=2) refs=2");
	expect_spec(&tc, text, 0, "; R0=ptr_task_struct(ref_obj_id=2) "
				  "R1=ptr_task_struct(ref_obj_id=2) refs=2");
}
END_TEST

static int32_t kernel_btf_id(int kind, const char *name)
{
	int id = objfmt_btf__find(emu_kernel_btf_model(), kind, name);
	return id > 0 ? id : 0;
}

/* Whether the host's kallsyms lists vmlinux symbol `name` (data symbols need
 * CONFIG_KALLSYMS_ALL). */
static bool in_kallsyms(const char *name, uint64_t *at)
{
	FILE *file = fopen("/proc/kallsyms", "r");
	char line[512], symbol[256], kind;
	unsigned long long address = 0;
	bool found = false;

	while (file && !found && fgets(line, sizeof(line), file))
		found = !strchr(line, '[') &&
			sscanf(line, "%llx %c %255s", &address, &kind, symbol) == 3 &&
			!strcmp(symbol, name);
	if (file)
		fclose(file);
	*at = address;
	return found;
}

/* ld_imm64 BPF_PSEUDO_BTF_ID (typed __ksym): a FUNC is read-only memory of size 0 at
 * its kallsyms address, a VAR needs a kallsyms address too, other ids are refused. */
START_TEST(typed_ksym_loads)
{
	struct load_spec spec = { .type = BPF_PROG_TYPE_SOCKET_FILTER, .level = 2 };
	char line[96];

	if (!host_btf() || !(spec.ksym_id = kernel_btf_id(OBJFMT_BTF_FUNC, "schedule")))
		return; /* ids and addresses of the built-in BTF are no real kernel's */
	expect_spec(&spec, LOAD_KSYM RET0, 0, "; R1=rdonly_mem(sz=0)");
	expect_spec(&spec, LOAD_KSYM "r0 = *(u8 *)(r1 + 0)\n" RET0, EACCES,
		    "invalid access to memory, mem_size=0 off=0 size=1");
	spec.level = 1;
	spec.ksym_id = kernel_btf_id(OBJFMT_BTF_STRUCT, "rq");
	snprintf(line, sizeof(line), "pseudo btf_id %d in ldimm64 isn't KIND_VAR or KIND_FUNC",
		 spec.ksym_id);
	expect_spec(&spec, LOAD_KSYM RET0, EINVAL, line);
	spec.ksym_id = 0x7ffffff;
	expect_spec(&spec, LOAD_KSYM RET0, ENOENT,
		    "ldimm64 insn specifies invalid btf_id 134217727.");
	spec.ksym_id = kernel_btf_id(OBJFMT_BTF_VAR, "runqueues");
	uint64_t address;
	if (spec.ksym_id && !in_kallsyms("runqueues", &address))
		expect_spec(&spec, LOAD_KSYM RET0, ENOENT,
			    "ldimm64 failed to find the address for kernel symbol 'runqueues'.");
	else if (spec.ksym_id) /* per-CPU: only through bpf_this_cpu_ptr */
		expect_spec(&spec, LOAD_KSYM "r0 = *(u32 *)(r1 + 0)\n" RET0, EACCES,
			    "R1 is ptr_rq access percpu memory: off=0");
}
END_TEST

/* At run time the ld_imm64 gives the symbol's kallsyms address (root may return it;
 * test_run gives its low 32 bits). */
START_TEST(typed_ksym_address_at_run_time)
{
	struct load_spec spec = { .type = BPF_PROG_TYPE_SOCKET_FILTER };
	static const uint8_t packet[64];
	uint64_t address;

	if (!host_btf() || !(spec.ksym_id = kernel_btf_id(OBJFMT_BTF_FUNC, "schedule")) ||
	    !in_kallsyms("schedule", &address))
		return;
	for (int t = VT_EMU; t <= (kernel_cross_check() ? VT_KERNEL : VT_EMU); t++) {
		struct vt_result res;
		uint32_t retval = 0;
		load_spec_on((enum vt_target)t, &spec, LOAD_KSYM "r0 = r1\nexit", &res);
		ck_assert_msg(res.fd >= 0, "errno %d: %s", res.err, res.log);
		ck_assert_int_eq(vt_test_run((enum vt_target)t, res.fd, packet, sizeof(packet),
					     &retval, NULL, NULL), 0);
		ck_assert_uint_eq(retval, (uint32_t)address);
		vt_close((enum vt_target)t, res.fd);
		vt_result_free(&res);
	}
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		tracing_needs_attach_btf_id, hook_kind_follows_attach_type,
		syscall_program_must_be_sleepable,
		only_some_types_may_sleep, newer_load_flags_are_known, lirc_mode2_is_unknown,
		tp_btf_reads_only_the_hook_arguments, tp_btf_argument_kinds,
		fexit_reads_the_return_value,
		return_value_rules_of_tracing_types, iterator_programs, unresolved_kfunc_only_refused_when_reachable,
		kfunc_call_log_shows_the_result, lsm_return_ranges, typed_ksym_loads, typed_ksym_address_at_run_time,
		NULL,
	};
	return run_suite("verifier load rules", tests);
}
