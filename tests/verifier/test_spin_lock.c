/* test_spin_lock.c - Check tests of bpf_spin_lock/unlock: the lock described by the
 * map value's BTF, one lock at a time, no calls, exits or direct access while it is
 * held; each verdict and log line is also checked against the real kernel. */
#include "vcheck.h"

#define LOCK_MAP "0x4d41500000000004 ll" /* hash, value { int cnt; bpf_spin_lock lock; } */

static void expect_lock_on(enum vt_target target, uint32_t type, const char *text, int err,
			   const char *line)
{
	static struct vt_prog prog;
	static int lock_fd[2] = { -1, -1 };
	const char *who = target == VT_EMU ? "emulator" : "kernel";
	struct vt_result res;
	int maps[5];

	if (lock_fd[target] < 0)
		lock_fd[target] = vt_lock_map_create(target, BPF_MAP_TYPE_HASH, 4);
	ck_assert_int_ge(lock_fd[target], 0);
	memcpy(maps, fixture_maps(target), 4 * sizeof(int));
	maps[4] = lock_fd[target];
	vt_assemble(text, maps, &prog);
	vt_load(target, type, &prog, "GPL", 1, &res);
	size_t len = strlen(res.log);
	const char *tail = len > 1500 ? res.log + len - 1500 : res.log;
	ck_assert_msg(res.err == err, "%s: expected errno %d, got %d; log:\n%s", who, err,
		      res.err, tail);
	if (line)
		ck_assert_msg(vt_log_has(res.log, line), "%s: log lacks '%s':\n%s", who, line,
			      tail);
	vt_close(target, res.fd);
	vt_result_free(&res);
}

static void expect_lock(uint32_t type, const char *text, int err, const char *line)
{
	expect_lock_on(VT_EMU, type, text, err, line);
	if (kernel_cross_check())
		expect_lock_on(VT_KERNEL, type, text, err, line);
}

/* r6 = value of key 0 (exit 0 when absent), then BODY, then exit 0 */
#define LOOKUP(map) "r1 = 0\n*(u32 *)(r10 - 4) = r1\nr2 = r10\nr2 += -4\nr1 = " map "\n" \
	"call 1\nif r0 != 0 goto +2\nr0 = 0\nexit\nr6 = r0\n"
#define LOCK "r1 = r6\nr1 += 4\ncall 93\n"
#define UNLOCK "r1 = r6\nr1 += 4\ncall 94\n"
#define DONE "r0 = 0\nexit\n"
#define TC BPF_PROG_TYPE_SCHED_CLS

START_TEST(lock_then_unlock_is_accepted)
{
	expect_lock(TC, LOOKUP(LOCK_MAP) LOCK "r1 = *(u32 *)(r6 + 0)\nr1 += 1\n"
		    "*(u32 *)(r6 + 0) = r1\n" UNLOCK DONE, 0, NULL);
}
END_TEST

START_TEST(unlock_is_required_before_exit)
{
	expect_lock(TC, LOOKUP(LOCK_MAP) LOCK DONE, EINVAL,
		    "BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed "
		    "region");
}
END_TEST

START_TEST(no_helper_calls_while_locked)
{
	expect_lock(TC, LOOKUP(LOCK_MAP) LOCK "call 5\n" UNLOCK DONE, EINVAL,
		    "function calls are not allowed while holding a lock");
}
END_TEST

START_TEST(lock_must_be_the_btf_lock)
{
	expect_lock(TC, LOOKUP(LOCK_MAP) "r1 = r6\ncall 93\n" DONE, EINVAL,
		    "off 0 doesn't point to 'struct bpf_spin_lock' that is at 4");
	expect_lock(TC, LOOKUP(HASH_MAP) LOCK UNLOCK DONE, EINVAL,
		    "map '' has to have BTF in order to use bpf_spin_lock");
	expect_lock(TC, "r1 = r10\nr1 += -8\ncall 93\n" DONE, EACCES,
		    "R1 type=fp expected=map_value");
}
END_TEST

START_TEST(one_lock_at_a_time)
{
	expect_lock(TC, LOOKUP(LOCK_MAP) UNLOCK DONE, EINVAL,
		    "bpf_spin_unlock without taking a lock");
	/* a second bpf_spin_lock is a call while holding the lock */
	expect_lock(TC, LOOKUP(LOCK_MAP) LOCK LOCK UNLOCK DONE, EINVAL,
		    "function calls are not allowed while holding a lock");
	/* two lookups: the second value's lock is another lock */
	expect_lock(TC, LOOKUP(LOCK_MAP) "r7 = r6\n" LOOKUP(LOCK_MAP) LOCK
		    "r1 = r7\nr1 += 4\ncall 94\n" DONE, EINVAL, "bpf_spin_unlock of different lock");
}
END_TEST

START_TEST(lock_word_is_not_accessible)
{
	expect_lock(TC, LOOKUP(LOCK_MAP) "r0 = *(u32 *)(r6 + 4)\n" DONE, EACCES,
		    "bpf_spin_lock cannot be accessed directly by load/store");
	expect_lock(TC, LOOKUP(LOCK_MAP) "r0 = *(u64 *)(r6 + 0)\n" DONE, EACCES,
		    "bpf_spin_lock cannot be accessed directly by load/store");
}
END_TEST

START_TEST(socket_filters_cannot_use_locks)
{
	expect_lock(BPF_PROG_TYPE_SOCKET_FILTER, LOOKUP(LOCK_MAP) LOCK UNLOCK DONE, EINVAL,
		    "socket filter progs cannot use bpf_spin_lock yet");
	expect_lock(BPF_PROG_TYPE_KPROBE, LOOKUP(LOCK_MAP) LOCK UNLOCK DONE, EINVAL,
		    "tracing progs cannot use bpf_spin_lock yet");
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		lock_then_unlock_is_accepted, unlock_is_required_before_exit,
		no_helper_calls_while_locked, lock_must_be_the_btf_lock, one_lock_at_a_time,
		lock_word_is_not_accessible, socket_filters_cannot_use_locks, NULL,
	};
	return run_suite("spin locks", tests);
}
