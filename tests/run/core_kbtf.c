/* core_kbtf.c - the emulated kernel's built-in BTF: it decodes, passes the kernel's
 * structural rules (objfmt_btf__validate), and lays the types out as x86_64 C does
 * (pt_regs, tracepoint records, task_struct bitfields). With `--kernel` instead:
 * the running kernel's BTF_LOAD accepts it (exit 77 without the bpf() syscall). */
#include <check.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ebpf/emu.h"
#include "ebpf/objfmt.h"

static struct objfmt_btf *builtin(void)
{
	const void *data;
	unsigned long size;
	const char *source;
	struct objfmt_diag diag = {{0}, {0}};

	ck_assert_int_eq(emu_kernel_btf(&data, &size, &source), 0);
	ck_assert_str_eq(source, "builtin");
	struct objfmt_btf *btf = objfmt_btf__decode(data, size, &diag);
	ck_assert_msg(btf != NULL, "%s", diag.message);
	return btf;
}

/* Bit offset of member `name` of struct `type`. */
static uint32_t offset_of(const struct objfmt_btf *btf, const char *type, const char *name,
			  uint32_t *bits)
{
	int id = objfmt_btf__find(btf, OBJFMT_BTF_STRUCT, type);
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, (uint32_t)id);

	ck_assert_int_gt(id, 0);
	for (uint32_t i = 0; i < t->vlen; i++)
		if (strcmp(t->members[i].name, name) == 0) {
			if (bits)
				*bits = t->members[i].bitfield;
			return t->members[i].bit_offset;
		}
	ck_abort_msg("no %s.%s", type, name);
	return 0;
}

START_TEST(valid)
{
	struct objfmt_btf *btf = builtin();
	struct objfmt_diag diag = {{0}, {0}};

	ck_assert_msg(objfmt_btf__validate(btf, &diag) == 0, "%s", diag.message);
	objfmt_btf__free(btf);
}
END_TEST

START_TEST(layout)
{
	struct objfmt_btf *btf = builtin();
	uint32_t bits;

	ck_assert_int_eq(objfmt_btf__size(btf, (uint32_t)objfmt_btf__find(btf, OBJFMT_BTF_STRUCT, "pt_regs")), 168);
	ck_assert_uint_eq(offset_of(btf, "pt_regs", "di", NULL), 112 * 8);
	ck_assert_uint_eq(offset_of(btf, "pt_regs", "si", NULL), 104 * 8);
	ck_assert_uint_eq(offset_of(btf, "trace_event_raw_sys_enter", "id", NULL), 8 * 8);
	ck_assert_uint_eq(offset_of(btf, "trace_event_raw_sys_enter", "args", NULL), 16 * 8);
	ck_assert_uint_eq(offset_of(btf, "trace_entry", "pid", NULL), 4 * 8);
	/* task_struct: 7 four-byte members, mm at 32, three ints, bitfields at 56 */
	ck_assert_uint_eq(offset_of(btf, "task_struct", "mm", NULL), 32 * 8);
	ck_assert_uint_eq(offset_of(btf, "task_struct", "in_execve", &bits), 52 * 8);
	ck_assert_uint_eq(bits, 1);
	ck_assert_uint_eq(offset_of(btf, "task_struct", "sched_reset_on_fork", &bits), 52 * 8 + 2);
	ck_assert_uint_eq(offset_of(btf, "task_struct", "pid", NULL), 56 * 8);
	ck_assert_uint_eq(offset_of(btf, "task_struct", "real_parent", NULL), 64 * 8);
	ck_assert_int_gt(objfmt_btf__find(btf, OBJFMT_BTF_TYPEDEF, "btf_trace_sched_switch"), 0);
	ck_assert_int_gt(objfmt_btf__find(btf, OBJFMT_BTF_FUNC, "do_unlinkat"), 0);
	objfmt_btf__free(btf);
}
END_TEST

/* The running kernel's verdict: 0 accepted, 77 no bpf(), 1 rejected. */
static int kernel_load(void)
{
	const void *data;
	unsigned long size;
	static char log[65536];
	union bpf_attr attr;

	if (emu_kernel_btf(&data, &size, NULL))
		return 1;
	memset(&attr, 0, sizeof(attr));
	attr.btf = (uint64_t)(uintptr_t)data;
	attr.btf_size = (uint32_t)size;
	attr.btf_log_buf = (uint64_t)(uintptr_t)log;
	attr.btf_log_size = sizeof(log);
	attr.btf_log_level = 1;
	long fd = syscall(__NR_bpf, BPF_BTF_LOAD, &attr, sizeof(attr));
	if (fd < 0 && (errno == EPERM || errno == ENOSYS)) {
		printf("SKIP: no bpf() BTF_LOAD (%s)\n", strerror(errno));
		return 77;
	}
	if (fd < 0) {
		printf("FAIL: the kernel refuses the built-in BTF: %s\n%s", strerror(errno), log);
		return 1;
	}
	printf("ok: the kernel accepts the built-in BTF (%lu bytes)\n", size);
	close((int)fd);
	return 0;
}

int main(int argc, char **argv)
{
	setenv("EBPF_EMU_KERNEL_BTF", "builtin", 1);
	if (argc > 1 && strcmp(argv[1], "--kernel") == 0)
		return kernel_load();
	Suite *s = suite_create("kbtf");
	TCase *tc = tcase_create("builtin");
	tcase_add_test(tc, valid);
	tcase_add_test(tc, layout);
	suite_add_tcase(s, tc);
	SRunner *runner = srunner_create(s);
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
