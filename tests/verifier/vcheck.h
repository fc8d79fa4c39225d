/* vcheck.h - Check fixtures shared by the verifier unit tests: maps created once per
 * test process, and expect_*() helpers that load an assembled program into the
 * emulated kernel and assert the verdict and one key line of the log. */
#ifndef EBPF_TESTS_VERIFIER_VCHECK_H
#define EBPF_TESTS_VERIFIER_VCHECK_H

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vtest.h"

/* Placeholders for the fixture maps in assembly text. */
#define HASH_MAP "0x4d41500000000000 ll"    /* hash: key 4, value 8, 16 entries */
#define ARRAY_MAP "0x4d41500000000001 ll"   /* array: key 4, value 16, 4 entries */
#define RINGBUF_MAP "0x4d41500000000002 ll" /* ring buffer, 4096 bytes */
#define PROG_ARRAY_MAP "0x4d41500000000003 ll"

static int vcheck_maps[2][4] = { { -1, -1, -1, -1 }, { -1, -1, -1, -1 } };

static inline const int *fixture_maps(enum vt_target target)
{
	int *maps = vcheck_maps[target];
	if (maps[0] < 0) {
		maps[0] = vt_map_create(target, BPF_MAP_TYPE_HASH, 4, 8, 16, 0);
		maps[1] = vt_map_create(target, BPF_MAP_TYPE_ARRAY, 4, 16, 4, 0);
		maps[2] = vt_map_create(target, BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0);
		maps[3] = vt_map_create(target, BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0);
	}
	return maps;
}

static inline void expect_on(enum vt_target target, uint32_t type, const char *text, int err,
		      const char *line, uint32_t level)
{
	static struct vt_prog prog;
	struct vt_result res;
	const char *who = target == VT_EMU ? "emulator" : "kernel";

	vt_assemble(text, fixture_maps(target), &prog);
	vt_load(target, type, &prog, "GPL", level, &res);
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

/* Load `text` as `type` (log level 1) and check errno (0 = accepted) and, when
 * `line` is non-NULL, that the log contains it. The same expectation is checked
 * against the real kernel when it is available (root), so every golden line here is
 * the kernel's own. */
static inline bool kernel_cross_check(void)
{
	static int kernel = -1;
	if (kernel < 0)
		kernel = vt_kernel_available() && !getenv("VT_NO_KERNEL");
	return kernel;
}

static inline void expect_type(uint32_t type, const char *text, int err, const char *line)
{
	expect_on(VT_EMU, type, text, err, line, 1);
	if (kernel_cross_check())
		expect_on(VT_KERNEL, type, text, err, line, 1);
}

/* Verdict only, without a log (programs whose level-1 log would be huge). */
static inline void expect_quiet(uint32_t type, const char *text, int err)
{
	expect_on(VT_EMU, type, text, err, NULL, 0);
	if (kernel_cross_check())
		expect_on(VT_KERNEL, type, text, err, NULL, 0);
}

static inline void expect_ok(const char *text)
{
	expect_type(BPF_PROG_TYPE_SOCKET_FILTER, text, 0, NULL);
}

static inline void expect_err(const char *text, int err, const char *line)
{
	expect_type(BPF_PROG_TYPE_SOCKET_FILTER, text, err, line);
}

/* Run a suite of tests given as a NULL-terminated array. */
static inline int run_suite(const char *name, const TTest *const *tests)
{
	Suite *s = suite_create(name);
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	for (const TTest *const *t = tests; *t; t++)
		tcase_add_test(tc, *t);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif /* EBPF_TESTS_VERIFIER_VCHECK_H */
