/* test_precise.c - precision tracking: scalars are imprecise until a decision relies on
 * their range, so joins with different but unused values prune; a predicted branch
 * walks back through a stack spill or a subprogram call and prints the kernel's
 * mark_precise lines. Counts and lines are the real kernel's (6.18, log level 2); when
 * run as root the kernel's whole log is compared too, without its stack-liveness debug
 * lines ("(0) frame 0 insn N +live -8"), which are not emulated. */
#include "vcheck.h"

/* Four diamonds add different constants to r0; nothing depends on r0's exact value
 * (a socket filter's return is not range-checked), so the joins prune. */
static const char imprecise_joins[] =
	"r6 = r1\n"
	"r0 = 0\n"
	"r1 = *(u32 *)(r6 + 0)\n"
	"if r1 > 10 goto +1\n"
	"r0 += 1\n"
	"r1 = *(u32 *)(r6 + 4)\n"
	"if r1 > 10 goto +1\n"
	"r0 += 2\n"
	"r1 = *(u32 *)(r6 + 8)\n"
	"if r1 > 10 goto +1\n"
	"r0 += 4\n"
	"r1 = *(u32 *)(r6 + 12)\n"
	"if r1 > 10 goto +1\n"
	"r0 += 8\n"
	"exit";

/* The constant 5 goes through fp-8 before a branch on it is predicted. */
static const char through_spill[] =
	"r6 = r1\n"
	"r1 = 5\n"
	"*(u64 *)(r10 - 8) = r1\n"
	"r1 = *(u32 *)(r6 + 0)\n"
	"r0 = 0\n"
	"if r1 > 10 goto +1\n"
	"r0 = 1\n"
	"r2 = *(u64 *)(r10 - 8)\n"
	"if r2 > 10 goto +1\n"
	"r0 += 2\n"
	"exit";

/* r0 comes back from a static subprogram that computed it from its argument r1. */
static const char through_call[] =
	"r1 = 5\n"
	"call pc+3\n"
	"if r0 > 10 goto +1\n"
	"r0 = 0\n"
	"exit\n"
	"r0 = r1\n"
	"r0 += 1\n"
	"exit";

static void load2(enum vt_target target, const char *text, struct vt_result *res)
{
	static struct vt_prog prog;
	vt_assemble(text, fixture_maps(target), &prog);
	vt_load(target, BPF_PROG_TYPE_SOCKET_FILTER, &prog, "GPL", 2, res);
}

/* The next line of `log` that is not the kernel's stack-liveness debug output. */
static const char *next_line(const char **log, size_t *len)
{
	while (**log) {
		const char *line = *log, *end = strchr(line, '\n');
		*len = end ? (size_t)(end - line) : strlen(line);
		*log = line + *len + (end ? 1 : 0);
		if (line[0] != '(')
			return line;
	}
	return NULL;
}

/* Level 2 in the emulator: accepted, with every line in `lines`; as root, the kernel's
 * log must be the same line for line. */
static void expect_level2(const char *text, const char *const *lines)
{
	struct vt_result emu;
	load2(VT_EMU, text, &emu);
	ck_assert_msg(emu.err == 0, "emulator refused it:\n%s", emu.log);
	for (const char *const *l = lines; *l; l++)
		ck_assert_msg(vt_log_has(emu.log, *l), "emulator log lacks '%s':\n%s", *l, emu.log);
	if (kernel_cross_check()) {
		struct vt_result kernel;
		load2(VT_KERNEL, text, &kernel);
		ck_assert_msg(kernel.err == 0, "kernel refused it:\n%s", kernel.log);
		const char *e = emu.log, *k = kernel.log;
		size_t elen = 0, klen = 0;
		for (unsigned n = 1;; n++) {
			const char *el = next_line(&e, &elen), *kl = next_line(&k, &klen);
			if (!el && !kl)
				break;
			ck_assert_msg(el && kl && elen == klen && !memcmp(el, kl, elen),
				      "line %u differs:\n  emulator: %.*s\n  kernel:   %.*s", n,
				      el ? (int)elen : 0, el ? el : "", kl ? (int)klen : 0,
				      kl ? kl : "");
		}
		vt_close(VT_KERNEL, kernel.fd);
		vt_result_free(&kernel);
	}
	vt_close(VT_EMU, emu.fd);
	vt_result_free(&emu);
}

START_TEST(imprecise_scalars_are_equal_at_joins)
{
	static const char *const lines[] = {
		"from 6 to 8: safe",
		"8: safe",
		"processed 27 insns (limit 1000000) max_states_per_insn 0 total_states 2 "
		"peak_states 2 mark_read 0",
		NULL,
	};
	expect_level2(imprecise_joins, lines);
}
END_TEST

START_TEST(precision_propagates_through_a_spill)
{
	static const char *const lines[] = {
		"mark_precise: frame0: last_idx 8 first_idx 0 subseq_idx -1 ",
		"mark_precise: frame0: regs=r2 stack= before 7: (79) r2 = *(u64 *)(r10 -8)",
		"mark_precise: frame0: regs= stack=-8 before 2: (7b) *(u64 *)(r10 -8) = r1",
		"mark_precise: frame0: regs=r1 stack= before 1: (b7) r1 = 5",
		"8: R2=5",
		"10: safe",
		"processed 15 insns (limit 1000000) max_states_per_insn 0 total_states 1 "
		"peak_states 1 mark_read 0",
		NULL,
	};
	expect_level2(through_spill, lines);
}
END_TEST

START_TEST(precision_propagates_through_a_call)
{
	static const char *const lines[] = {
		"mark_precise: frame0: last_idx 2 first_idx 0 subseq_idx -1 ",
		"mark_precise: frame0: regs=r0 stack= before 7: (95) exit",
		"mark_precise: frame1: regs=r0 stack= before 6: (07) r0 += 1",
		"mark_precise: frame1: regs=r0 stack= before 5: (bf) r0 = r1",
		"mark_precise: frame1: regs=r1 stack= before 1: (85) call pc+3",
		"mark_precise: frame0: regs=r1 stack= before 0: (b7) r1 = 5",
		"processed 8 insns (limit 1000000) max_states_per_insn 0 total_states 1 "
		"peak_states 1 mark_read 0",
		NULL,
	};
	expect_level2(through_call, lines);
}
END_TEST

/* Precise scalars print with a 'P': the checkpoint the backtracking marked. */
START_TEST(precise_scalars_print_with_p)
{
	static const char loop[] =
		"r0 = 0\n"
		"r2 = 0\n"
		"r0 += r2\n"
		"r2 += 1\n"
		"if r2 < 12 goto -3\n"
		"exit";
	static const char *const lines[] = {
		"SCC enter (1)",
		"mark_precise: frame0: parent state regs=r2 stack=:  R0=1 R1=ctx() R2=P2 R10=fp0",
		"SCC exit (1)",
		"  1   2: 0.2....... (0f) r0 += r2",
		NULL,
	};
	expect_level2(loop, lines);
}
END_TEST

/* The known gap "misaligned stack access off 0+-64+3 size 2": -w6 of [256, 2^32-1] is
 * [1, 2^32-256] because every 0 - x wraps (6.16+ add/sub bounds), so r8 < 0 below is
 * certain and the path adding r6 == 0 to fp-64 is dead; we used to explore it. */
START_TEST(wrapped_negation_keeps_the_dead_path_dead)
{
	expect_ok("r6 = *(u32 *)(r1 + 0)\n"
		  "r7 = r10\n"
		  "r7 += -64\n"
		  "r6 /= 7\n"
		  "if w6 > 0xff goto +2\n"
		  "r0 = 0\n"
		  "exit\n"
		  "w6 = -w6\n"
		  "if r6 & 0x1b goto +2\n"
		  "r0 = 0\n"
		  "exit\n"
		  "r6 = -r6\n"
		  "r8 = r6\n"
		  "if r8 s> 0x14 goto +2\n"
		  "if r8 s< 0x0 goto +1\n"
		  "goto +2\n"
		  "r0 = 0\n"
		  "exit\n"
		  "r7 += r6\n"
		  "*(u16 *)(r7 + 3) = 1\n"
		  "r0 = 0\n"
		  "exit");
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		imprecise_scalars_are_equal_at_joins, precision_propagates_through_a_spill,
		precision_propagates_through_a_call, precise_scalars_print_with_p,
		wrapped_negation_keeps_the_dead_path_dead, NULL,
	};
	return run_suite("verifier precision", tests);
}
