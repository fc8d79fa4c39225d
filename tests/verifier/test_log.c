/* test_log.c - the verification log: what log_level 0/1/2 write, the kernel's per-insn
 * format, the closing statistics line, and a buffer too small for the log (the tail is
 * kept and PROG_LOAD fails with ENOSPC, even for a program that is otherwise fine). */
#include "vcheck.h"
#include "ebpf/emu.h"

static const char lookup_prog[] =
	"*(u32 *)(r10 - 4) = 0\n"
	"r2 = r10\n"
	"r2 += -4\n"
	"r1 = " HASH_MAP "\n"
	"call 1\n"
	"if r0 == 0 goto +1\n"
	"r0 = *(u64 *)(r0 + 0)\n"
	"r0 = 0\n"
	"exit";

static void load(enum vt_target target, const char *text, uint32_t level, uint32_t size,
		 struct vt_result *res)
{
	static struct vt_prog prog;
	vt_assemble(text, fixture_maps(target), &prog);
	vt_load_ex(target, BPF_PROG_TYPE_SOCKET_FILTER, 0, &prog, "GPL", level, size, res);
}

/* The log of `text` at `level` on both sides (kernel only when available). */
static void both_logs(const char *text, uint32_t level, uint32_t size, struct vt_result *emu,
		      struct vt_result *kernel)
{
	load(VT_EMU, text, level, size, emu);
	memset(kernel, 0, sizeof(*kernel));
	if (kernel_cross_check())
		load(VT_KERNEL, text, level, size, kernel);
}

START_TEST(level1_keeps_only_statistics_on_success)
{
	struct vt_result emu, kernel;
	both_logs(lookup_prog, 1, VT_LOG_SIZE, &emu, &kernel);
	ck_assert_int_eq(emu.err, 0);
	ck_assert_str_eq(emu.log, "processed 10 insns (limit 1000000) max_states_per_insn 0 "
				  "total_states 1 peak_states 1 mark_read 0\n");
	if (kernel.log)
		ck_assert_str_eq(kernel.log, emu.log);
	vt_close(VT_EMU, emu.fd);
	vt_close(VT_KERNEL, kernel.fd);
	vt_result_free(&emu);
	vt_result_free(&kernel);
}
END_TEST

START_TEST(level1_prints_failing_path_in_kernel_format)
{
	struct vt_result emu, kernel;
	const char *text = "r1 = 5\nr0 = *(u32 *)(r1 + 0)\nexit";
	both_logs(text, 1, VT_LOG_SIZE, &emu, &kernel);
	static const char expected[] =
		"0: R1=ctx() R10=fp0\n"
		"0: (b7) r1 = 5                        ; R1=5\n"
		"1: (61) r0 = *(u32 *)(r1 +0)\n"
		"R1 invalid mem access 'scalar'\n"
		"processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 "
		"peak_states 0 mark_read 0\n";
	ck_assert_str_eq(emu.log, expected);
	if (kernel.log)
		ck_assert_str_eq(kernel.log, expected);
	vt_result_free(&emu);
	vt_result_free(&kernel);
}
END_TEST

/* After a branch is popped, level 1 goes on with "N: <state>" on the line where the
 * abandoned path's text was cut (the kernel prints "from X to Y:" only at level 2). */
START_TEST(level1_prints_popped_branch_on_the_cut_line)
{
	struct vt_result emu, kernel;
	const char *text = "call 7\nif r0 == 0 goto +2\nr0 = 0\nexit\nr1 = 5\n"
			   "r0 = *(u32 *)(r1 + 0)\nexit";
	both_logs(text, 1, VT_LOG_SIZE, &emu, &kernel);
	static const char expected[] =
		"0: R1=ctx() R10=fp0\n"
		"0: (85) call bpf_get_prandom_u32#7    ; R0=scalar()\n"
		"1: (15) if r0 == 0x0 goto pc+2 4: R0=0 R10=fp0\n"
		"4: (b7) r1 = 5                        ; R1=5\n"
		"5: (61) r0 = *(u32 *)(r1 +0)\n"
		"R1 invalid mem access 'scalar'\n"
		"processed 6 insns (limit 1000000) max_states_per_insn 0 total_states 0 "
		"peak_states 0 mark_read 0\n";
	ck_assert_str_eq(emu.log, expected);
	if (kernel.log)
		ck_assert_str_eq(kernel.log, expected);
	vt_result_free(&emu);
	vt_result_free(&kernel);
	/* level 2: "from X to Y:" with the state, then "Y:" with it again */
	both_logs(text, 2, VT_LOG_SIZE, &emu, &kernel);
	static const char popped[] = "3: (95) exit\n\nfrom 1 to 4: R0=0 R10=fp0\n"
				     "4: R0=0 R10=fp0\n4: (b7) r1 = 5 ";
	ck_assert_msg(vt_log_has(emu.log, popped), "%s", emu.log);
	if (kernel.log)
		ck_assert_msg(vt_log_has(kernel.log, popped), "%s", kernel.log);
	vt_result_free(&emu);
	vt_result_free(&kernel);
}
END_TEST

/* Level 2 around a bpf-to-bpf call: the callee's entry state as "N: frame1: ...",
 * and the way back as "from X to Y:" after the "returning from callee" block. */
START_TEST(level2_prints_subprogram_entry_and_return)
{
	struct vt_result emu, kernel;
	both_logs("r1 = 1\ncall pc+2\nr0 = 2\nexit\nr0 = r1\nexit", 2, VT_LOG_SIZE, &emu,
		  &kernel);
	static const char *const lines[] = {
		"callee:\n frame1: R1=1 R10=fp0\n4: frame1: R1=1 R10=fp0\n4: (bf) r0 = r1 ",
		"to caller at 2:\n R0=1 R10=fp0\n\nfrom 5 to 2: R0=1 R10=fp0\n2: (b7) r0 = 2 ",
	};
	for (int i = 0; i < 2; i++) {
		ck_assert_msg(vt_log_has(emu.log, lines[i]), "%s", emu.log);
		if (kernel.log)
			ck_assert_msg(vt_log_has(kernel.log, lines[i]), "%s", kernel.log);
	}
	vt_result_free(&emu);
	vt_result_free(&kernel);
}
END_TEST

START_TEST(level2_prints_every_insn_and_pruning)
{
	struct vt_result emu;
	load(VT_EMU, lookup_prog, 2, VT_LOG_SIZE, &emu);
	ck_assert_int_eq(emu.err, 0);
	ck_assert(vt_log_has(emu.log, "func#0 @0\n"));
	ck_assert(vt_log_has(emu.log, "5: (85) call bpf_map_lookup_elem#1    ; "
				      "R0=map_value_or_null(id=1,ks=4,vs=8)\n"));
	ck_assert(vt_log_has(emu.log, "6: (15) if r0 == 0x0 goto pc+1        ; "
				      "R0=map_value(ks=4,vs=8)\n"));
	ck_assert(vt_log_has(emu.log, "from 6 to 8: safe\n"));
	vt_close(VT_EMU, emu.fd);
	vt_result_free(&emu);
}
END_TEST

START_TEST(level0_writes_nothing)
{
	struct vt_result emu;
	load(VT_EMU, "exit", 0, 0, &emu);
	ck_assert_int_eq(emu.err, EACCES);
	ck_assert_str_eq(emu.log, "");
	vt_result_free(&emu);
}
END_TEST

START_TEST(small_buffer_keeps_tail_and_fails_with_enospc)
{
	struct vt_result emu, kernel;
	both_logs(lookup_prog, 2, 200, &emu, &kernel);
	ck_assert_int_eq(emu.err, ENOSPC);
	ck_assert_uint_eq(strlen(emu.log), 199);
	ck_assert(vt_log_has(emu.log, "processed 10 insns (limit 1000000) max_states_per_insn 0 "
				      "total_states 1 peak_states 1 mark_read 0\n"));
	if (kernel.log)
		ck_assert_int_eq(kernel.err, ENOSPC);
	vt_result_free(&emu);
	vt_result_free(&kernel);
}
END_TEST

/* BPF_LOG_FIXED (8) keeps the head of the log instead of the tail; alone it logs
 * only the messages, no insns, as the kernel does. */
START_TEST(fixed_log_keeps_the_head)
{
	static const char unchecked[] = "*(u32 *)(r10 - 4) = 0\nr2 = r10\nr2 += -4\n"
					"r1 = " HASH_MAP "\ncall 1\nr0 = *(u64 *)(r0 + 0)\nexit";
	struct vt_result emu, kernel;
	both_logs(unchecked, 8 | 1, 128, &emu, &kernel);
	ck_assert_int_eq(emu.err, ENOSPC);
	ck_assert_uint_eq(strlen(emu.log), 127);
	ck_assert_msg(!strncmp(emu.log, "0: R1=ctx() R10=fp0\n0: (62)", 25), "%s", emu.log);
	if (kernel.log) {
		ck_assert_int_eq(kernel.err, ENOSPC);
		ck_assert_msg(!strncmp(emu.log, kernel.log, 100), "emu:\n%s\nkernel:\n%s", emu.log,
			      kernel.log);
	}
	vt_result_free(&emu);
	vt_result_free(&kernel);
	both_logs(unchecked, 8, 200, &emu, &kernel); /* only the error, no insns */
	ck_assert_int_eq(emu.err, EACCES);
	if (kernel.log) {
		ck_assert_int_eq(kernel.err, EACCES);
		ck_assert_str_eq(emu.log, kernel.log);
	}
	vt_result_free(&emu);
	vt_result_free(&kernel);
	both_logs(unchecked, 4, 200, &emu, &kernel); /* BPF_LOG_STATS: time and stack too */
	ck_assert_int_eq(emu.err, EACCES);
	const char *stats = strstr(emu.log, "\nstack depth 8\nprocessed 6 insns (limit 1000000) "
				   "max_states_per_insn 0 total_states 0 peak_states 0 "
				   "mark_read 0\n");
	ck_assert_msg(stats && !strncmp(emu.log, "R0 invalid mem access 'map_value_or_null'\n"
				       "verification time ", 60), "%s", emu.log);
	if (kernel.log)
		ck_assert_msg(strstr(kernel.log, stats) && !strncmp(emu.log, kernel.log, 60), "%s",
			      kernel.log);
	vt_result_free(&emu);
	vt_result_free(&kernel);
}
END_TEST

START_TEST(rejects_too_small_log_buffer)
{
	struct vt_result emu;
	load(VT_EMU, lookup_prog, 1, 100, &emu);
	ck_assert_int_eq(emu.err, EINVAL);
	vt_result_free(&emu);
}
END_TEST

START_TEST(budget_message_in_rotated_log)
{
	struct vt_result emu, kernel;
	const char *text = "r0 = 0\nr0 += 1\nif r0 != 0 goto -2\nexit";
	both_logs(text, 1, 4096, &emu, &kernel);
	ck_assert_int_eq(emu.err, ENOSPC);
	ck_assert(vt_log_has(emu.log, "BPF program is too large. Processed 1000001 insn\n"));
	if (kernel.log) {
		ck_assert_int_eq(kernel.err, ENOSPC);
		ck_assert(vt_log_has(kernel.log, "BPF program is too large. Processed 1000001 insn\n"));
	}
	vt_result_free(&emu);
	vt_result_free(&kernel);
}
END_TEST

/* BTF with the source lines of a two-line program, loaded into the emulator. */
static int load_line_btf(uint32_t *file_off, uint32_t *line_off)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	ck_assert_ptr_nonnull(btf);
	ck_assert_int_gt(objfmt_btf__add_int(btf, "int", 4, OBJFMT_BTF_INT_SIGNED), 0);
	file_off[0] = (uint32_t)objfmt_btf__add_string(btf, "/src/prog.bpf.c");
	line_off[0] = (uint32_t)objfmt_btf__add_string(btf, "\tint *p = 0;");
	line_off[1] = (uint32_t)objfmt_btf__add_string(btf, "\treturn *p;");
	int fd = vt_btf_load(VT_EMU, btf);
	ck_assert_int_ge(fd, 0);
	return fd;
}

/* Load `prog` (a socket filter the verifier refuses) with line info `lines` at log
 * level 1; returns the log (caller frees). */
static char *load_refused_with_lines(const struct vt_prog *prog, int btf_fd,
				     const struct bpf_line_info *lines, uint32_t count)
{
	char *log = calloc(1, 65536);
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insn_cnt = prog->cnt;
	attr.insns = (uint64_t)(uintptr_t)prog->insns;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	attr.log_level = 1;
	attr.log_buf = (uint64_t)(uintptr_t)log;
	attr.log_size = 65536;
	attr.prog_btf_fd = (uint32_t)btf_fd;
	attr.line_info = (uint64_t)(uintptr_t)lines;
	attr.line_info_rec_size = sizeof(lines[0]);
	attr.line_info_cnt = count;
	ck_assert_int_lt(emu_bpf(BPF_PROG_LOAD, &attr, sizeof(attr)), 0);
	return log;
}

START_TEST(prints_source_line_before_failing_insn)
{
	static struct vt_prog prog;
	uint32_t file_off[1], line_off[2];
	int btf_fd = load_line_btf(file_off, line_off);
	struct bpf_line_info lines[2] = {
		{ .insn_off = 0, .file_name_off = file_off[0], .line_off = line_off[0],
		  .line_col = 3 << 10 | 7 },
		{ .insn_off = 1, .file_name_off = file_off[0], .line_off = line_off[1],
		  .line_col = 4 << 10 | 2 },
	};
	vt_assemble("r1 = 0\nr0 = *(u32 *)(r1 + 0)\nexit", fixture_maps(VT_EMU), &prog);
	char *log = load_refused_with_lines(&prog, btf_fd, lines, 2);
	ck_assert_msg(vt_log_has(log, "; return *p; @ prog.bpf.c:4\n"
				      "1: (61) r0 = *(u32 *)(r1 +0)\n"
				      "R1 invalid mem access 'scalar'\n"), "%s", log);
	ck_assert(vt_log_has(log, "; int *p = 0; @ prog.bpf.c:3\n0: (b7) r1 = 0"));
	free(log);
	close(btf_fd);
}
END_TEST

/* A second line-info record of the same file and line (another column) prints no
 * source line again (kernel verbose_linfo since 6.4). */
START_TEST(same_source_line_prints_once)
{
	static struct vt_prog prog;
	uint32_t file_off[1], line_off[2];
	int btf_fd = load_line_btf(file_off, line_off);
	struct bpf_line_info lines[3] = {
		{ .insn_off = 0, .file_name_off = file_off[0], .line_off = line_off[0],
		  .line_col = 3 << 10 | 7 },
		{ .insn_off = 1, .file_name_off = file_off[0], .line_off = line_off[0],
		  .line_col = 3 << 10 | 20 },
		{ .insn_off = 2, .file_name_off = file_off[0], .line_off = line_off[1],
		  .line_col = 4 << 10 | 2 },
	};
	vt_assemble("r1 = 0\nr2 = 1\nr0 = *(u32 *)(r1 + 0)\nexit", fixture_maps(VT_EMU), &prog);
	char *log = load_refused_with_lines(&prog, btf_fd, lines, 3);
	ck_assert_msg(vt_log_has(log, "; int *p = 0; @ prog.bpf.c:3\n"
				      "0: (b7) r1 = 0                        ; R1=0\n"
				      "1: (b7) r2 = 1                        ; R2=1\n"
				      "; return *p; @ prog.bpf.c:4\n"
				      "2: (61) r0 = *(u32 *)(r1 +0)\n"), "%s", log);
	free(log);
	close(btf_fd);
}
END_TEST

/* A state of ten spilled ranges prints whole (956 characters; lines were cut at 511):
 * the kernel's "from 12 to 15:" line, the last spill included. */
START_TEST(level2_prints_long_states_whole)
{
	static const char text[] = "call 7\n"
				   "r0 &= 255\n"
				   "*(u64 *)(r10 - 8) = r0\n"
				   "*(u64 *)(r10 - 16) = r0\n"
				   "*(u64 *)(r10 - 24) = r0\n"
				   "*(u64 *)(r10 - 32) = r0\n"
				   "*(u64 *)(r10 - 40) = r0\n"
				   "*(u64 *)(r10 - 48) = r0\n"
				   "*(u64 *)(r10 - 56) = r0\n"
				   "*(u64 *)(r10 - 64) = r0\n"
				   "*(u64 *)(r10 - 72) = r0\n"
				   "*(u64 *)(r10 - 80) = r0\n"
				   "if r0 > 5 goto +2\n"
				   "r0 = 0\n"
				   "exit\n"
				   "r0 = 1\n"
				   "exit";
	static const char tail[] =
		"fp-72=scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff)) "
		"fp-80=scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff))\n";
	struct vt_result emu, kernel;

	both_logs(text, 2, VT_LOG_SIZE, &emu, &kernel);
	const char *line = strstr(emu.log, "from 12 to 15: R0=scalar(id=1,");
	ck_assert_msg(line, "no 'from 12 to 15' state:\n%s", emu.log);
	const char *end = strchr(line, '\n');
	ck_assert_int_eq(end - line, 956);
	ck_assert_msg(!strncmp(end + 1 - strlen(tail), tail, strlen(tail)), "cut line:\n%.*s",
		      (int)(end - line), line);
	if (kernel_cross_check()) {
		const char *k = strstr(kernel.log, "from 12 to 15:");
		ck_assert_msg(k && !strncmp(k, line, (size_t)(end - line) + 1),
			      "kernel's line differs:\n%s", k ? k : kernel.log);
		vt_close(VT_KERNEL, kernel.fd);
	}
	vt_close(VT_EMU, emu.fd);
	vt_result_free(&emu);
	vt_result_free(&kernel);
}
END_TEST

/* A bpf-to-bpf call scratches the caller's r0-r5 (kernel clear_caller_saved_regs):
 * the "caller:" state shows neither r0 nor the arguments. */
START_TEST(level2_caller_state_lacks_scratched_registers)
{
	static const char text[] = "r0 = 7\n"
				   "r6 = 1\n"
				   "call pc+2\n"
				   "r0 = 0\n"
				   "exit\n"
				   "goto +0\n"
				   "r0 = 1\n"
				   "exit";
	struct vt_result emu, kernel;

	both_logs(text, 2, VT_LOG_SIZE, &emu, &kernel);
	ck_assert_msg(vt_log_has(emu.log, "caller:\n R6=1 R10=fp0\ncallee:\n"), "%s", emu.log);
	/* and a callee's insn that touches nothing prints no state, not even " frame1:" */
	ck_assert_msg(vt_log_has(emu.log, "\n5: (05) goto pc+0\n6: (b7) r0 = 1"), "%s", emu.log);
	if (kernel_cross_check()) {
		ck_assert_msg(vt_log_has(kernel.log, "caller:\n R6=1 R10=fp0\ncallee:\n"), "%s",
			      kernel.log);
		ck_assert_msg(vt_log_has(kernel.log, "\n5: (05) goto pc+0\n6: (b7) r0 = 1"), "%s",
			      kernel.log);
		vt_close(VT_KERNEL, kernel.fd);
	}
	vt_close(VT_EMU, emu.fd);
	vt_result_free(&emu);
	vt_result_free(&kernel);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		level1_keeps_only_statistics_on_success, level1_prints_failing_path_in_kernel_format,
		level1_prints_popped_branch_on_the_cut_line, level2_prints_subprogram_entry_and_return,
		level2_prints_every_insn_and_pruning, level0_writes_nothing,
		small_buffer_keeps_tail_and_fails_with_enospc, fixed_log_keeps_the_head, rejects_too_small_log_buffer,
		budget_message_in_rotated_log, prints_source_line_before_failing_insn,
		level2_prints_long_states_whole, level2_caller_state_lacks_scratched_registers,
		same_source_line_prints_once, NULL,
	};
	return run_suite("verifier log", tests);
}
