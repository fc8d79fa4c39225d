/* test_btf_line.c - the load-time checks of BTF line info (the kernel's
 * check_btf_line): record sizes, insn offsets strictly increasing within the program
 * and not inside an ld_imm64, names in the BTF strings, a record at every subprogram's
 * start. Each case's errno and log line are the real kernel's when run as root. */
#include <sys/syscall.h>

#include "ebpf/emu.h"
#include "vcheck.h"

/* r0 = 0; r0 += 1; r1 = 7 ll (2 slots); exit */
static const struct bpf_insn program[5] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
	{ .code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = 0, .imm = 1 },
	{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = 1, .imm = 7 },
	{ 0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

struct line_case {
	uint32_t rec_size;     /* 16, or more with a tail */
	uint32_t count;
	uint32_t insn_off[3];
	bool bad_name;         /* line_off past the strings */
	bool tail;             /* a nonzero byte after the 16 known ones */
	int err;
	const char *line;      /* key log line, NULL when accepted */
};

static const struct line_case cases[] = {
	{ 16, 3, { 0, 1, 4 }, false, false, 0, NULL },
	{ 16, 3, { 0, 1, 1 }, false, false, EINVAL,
	  "Invalid line_info[2].insn_off:1 (prev_offset:1 prog->len:5)" },
	{ 16, 2, { 0, 5 }, false, false, EINVAL,
	  "Invalid line_info[1].insn_off:5 (prev_offset:0 prog->len:5)" },
	{ 16, 2, { 0, 3 }, false, false, EINVAL, "Invalid insn code at line_info[1].insn_off" },
	{ 16, 1, { 1 }, false, false, EINVAL, "missing bpf_line_info for func#0" },
	{ 16, 1, { 0 }, true, false, EINVAL, "Invalid line_info[0].line_off or .file_name_off" },
	{ 20, 1, { 0 }, false, true, E2BIG, "nonzero tailing record in line_info" },
	{ 20, 2, { 0, 1 }, false, false, 0, NULL },
	{ 12, 1, { 0 }, false, false, EINVAL, "processed 0 insns" }, /* no message of its own */
};

static int load(enum vt_target target, const struct line_case *c, char *log, size_t log_size)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	ck_assert_int_eq(objfmt_btf__add_int(btf, "int", 4, OBJFMT_BTF_INT_SIGNED), 1);
	uint32_t file = (uint32_t)objfmt_btf__add_string(btf, "line.c");
	uint32_t text = (uint32_t)objfmt_btf__add_string(btf, "r0 = 0;");
	int btf_fd = vt_btf_load(target, btf); /* frees btf */
	ck_assert_int_ge(btf_fd, 0);
	unsigned char records[3 * 20] = { 0 };
	for (uint32_t i = 0; i < c->count; i++) {
		struct bpf_line_info li = { .insn_off = c->insn_off[i], .file_name_off = file,
					    .line_off = c->bad_name ? 1u << 20 : text,
					    .line_col = (i + 1) << 10 };
		memcpy(records + i * c->rec_size, &li, sizeof(li));
		if (c->tail)
			records[i * c->rec_size + 16] = 1;
	}
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (uint64_t)(uintptr_t)program;
	attr.insn_cnt = 5;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	attr.prog_btf_fd = (uint32_t)btf_fd;
	attr.line_info = (uint64_t)(uintptr_t)records;
	attr.line_info_cnt = c->count;
	attr.line_info_rec_size = c->rec_size;
	attr.log_buf = (uint64_t)(uintptr_t)log;
	attr.log_size = (uint32_t)log_size;
	attr.log_level = 1;
	log[0] = '\0';
	long fd = target == VT_EMU ? emu_bpf(BPF_PROG_LOAD, &attr, sizeof(attr))
				   : syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	int err = fd < 0 ? errno : 0;
	if (fd >= 0)
		close((int)fd);
	close(btf_fd);
	return err;
}

static void expect_case(enum vt_target target, const struct line_case *c, int index)
{
	char log[4096];
	int err = load(target, c, log, sizeof(log));
	const char *who = target == VT_EMU ? "emulator" : "kernel";
	ck_assert_msg(err == c->err, "case %d, %s: errno %d, expected %d; log:\n%s", index, who,
		      err, c->err, log);
	if (c->line)
		ck_assert_msg(strstr(log, c->line), "case %d, %s: log lacks '%s':\n%s", index, who,
			      c->line, log);
}

START_TEST(line_info_checked_as_the_kernel_does)
{
	if (kernel_cross_check())
		expect_case(VT_KERNEL, &cases[_i], _i);
	expect_case(VT_EMU, &cases[_i], _i);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("verifier btf line_info");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, line_info_checked_as_the_kernel_does, 0,
			    (int)(sizeof(cases) / sizeof(cases[0])));
	suite_add_tcase(s, tc);
	SRunner *runner = srunner_create(s);
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
