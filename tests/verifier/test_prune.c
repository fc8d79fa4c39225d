/* test_prune.c - where checkpoints are taken and searched, as the 6.18 kernel does it:
 * the jump history records only jump points (not every prune point), checkpoint lists
 * are hashed by insn and call site, a callee's first insn is a prune point. Counts
 * and statistics lines are the real kernel's (6.18, log level 1 | BPF_LOG_STATS); as
 * root each program is loaded into the kernel too and must print the same line. */
#include "vcheck.h"

#define STATS_LEVEL 5 /* BPF_LOG_LEVEL1 | BPF_LOG_STATS */

/* Accepted by the emulator with `stats` in its log and, as root, by the kernel too. */
static void expect_stats(const char *text, const char *stats)
{
	static struct vt_prog prog;
	enum vt_target targets[] = { VT_EMU, VT_KERNEL };

	for (int t = 0; t < (kernel_cross_check() ? 2 : 1); t++) {
		struct vt_result res;
		const char *who = t ? "kernel" : "emulator";
		vt_assemble(text, fixture_maps(targets[t]), &prog);
		vt_load(targets[t], BPF_PROG_TYPE_SOCKET_FILTER, &prog, "GPL", STATS_LEVEL, &res);
		ck_assert_msg(res.err == 0, "%s refused it:\n%s", who, res.log);
		ck_assert_msg(vt_log_has(res.log, stats), "%s: log lacks '%s':\n%s", who, stats,
			      res.log);
		vt_close(targets[t], res.fd);
		vt_result_free(&res);
	}
}

/* A loop of 20 iterations whose body reads a spill 30 times (30 jump-history entries)
 * and takes 10 predicted branches. Only the spill reads and the loop head are jump
 * points, so the history stays under the kernel's 40 entries that force a checkpoint
 * inside the loop; counting each branch too forced extra ones (25 states, 15 per insn). */
static const char *long_loop_body(void)
{
	static char text[4096];
	size_t n = 0;

	n += (size_t)snprintf(text + n, sizeof(text) - n,
			      "r6 = 0\nr1 = 0\n*(u64 *)(r10 - 8) = r1\n"); /* insns 0-2 */
	for (int i = 0; i < 30; i++)                                         /* 3-32 */
		n += (size_t)snprintf(text + n, sizeof(text) - n, "r2 = *(u64 *)(r10 - 8)\n");
	for (int i = 33; i < 43; i++) /* to the exit at 45 */
		n += (size_t)snprintf(text + n, sizeof(text) - n, "if r1 != 0 goto %+d\n",
				      45 - (i + 1));
	snprintf(text + n, sizeof(text) - n, "r6 += 1\nif r6 < 20 goto -42\nr0 = 0\nexit");
	return text;
}

START_TEST(branches_are_not_jump_points)
{
	expect_stats(long_loop_body(),
		     "processed 845 insns (limit 1000000) max_states_per_insn 4 total_states 20 "
		     "peak_states 20 mark_read 0");
}
END_TEST

/* One subprogram called from three sites with a random argument: its checkpoints of
 * one call site are not searched (nor counted, nor evicted) from another, and its
 * first insn is a prune point (was 245 insns, 22 states). */
static const char three_call_sites[] =
	"r6 = 0\n"
	"call 7\n"
	"r6 = r0\n"
	"r1 = r6\n"
	"call pc+8\n"
	"r1 = r6\n"
	"r1 += 1\n"
	"call pc+5\n"
	"r1 = r6\n"
	"r1 += 2\n"
	"call pc+2\n"
	"r0 = 0\n"
	"exit\n"
	"r2 = 0\n" /* 13: the subprogram */
	"if r1 > 10 goto +2\n"
	"r2 += 1\n"
	"r2 += 1\n"
	"if r1 > 20 goto +2\n"
	"r2 += 1\n"
	"r2 += 1\n"
	"if r1 > 30 goto +1\n"
	"r2 += 1\n"
	"r0 = r2\n"
	"exit";

START_TEST(checkpoints_are_kept_per_call_site)
{
	expect_stats(three_call_sites,
		     "processed 238 insns (limit 1000000) max_states_per_insn 4 total_states 27 "
		     "peak_states 23 mark_read 0");
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		branches_are_not_jump_points,
		checkpoints_are_kept_per_call_site,
		NULL,
	};
	return run_suite("verifier pruning", tests);
}
