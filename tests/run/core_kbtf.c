/* core_kbtf.c - the emulated kernel's built-in BTF: it decodes, passes the kernel's
 * structural rules (objfmt_btf__validate), and lays the types out as x86_64 C does
 * (pt_regs, tracepoint records, task_struct bitfields, cgroup) and declares the
 * kfuncs as the kernel does. With `--kernel` instead:
 * the running kernel's BTF_LOAD accepts it (exit 77 without the bpf() syscall). */
#include <check.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
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

/* `id` as C spells it, for the few kinds kfunc prototypes use. */
static void type_text(const struct objfmt_btf *btf, uint32_t id, char *out, size_t size)
{
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, id);
	char inner[96];

	if (!t) {
		snprintf(out, size, "void");
	} else if (t->kind == OBJFMT_BTF_PTR) {
		type_text(btf, t->type, inner, sizeof(inner));
		snprintf(out, size, "%s *", inner);
	} else if (t->kind == OBJFMT_BTF_TYPEDEF) {
		type_text(btf, objfmt_btf__resolve(btf, id), out, size); /* s32 -> int */
	} else {
		snprintf(out, size, "%s%s", t->kind == OBJFMT_BTF_STRUCT ? "struct " : "", t->name);
	}
}

/* "RET NAME(PARAM, ...)" of FUNC `name`, its linkage in *linkage; "" when missing. */
static void kfunc_text(const struct objfmt_btf *btf, const char *name, char *out, size_t size,
		       uint32_t *linkage)
{
	int id = objfmt_btf__find(btf, OBJFMT_BTF_FUNC, name);
	const struct objfmt_btf_type *f = id > 0 ? objfmt_btf__type(btf, (uint32_t)id) : NULL;
	const struct objfmt_btf_type *proto = f ? objfmt_btf__type(btf, f->type) : NULL;
	char part[160];
	size_t used;

	out[0] = '\0';
	if (!proto)
		return;
	*linkage = f->linkage;
	type_text(btf, proto->type, part, sizeof(part));
	used = (size_t)snprintf(out, size, "%s %s(", part, name);
	for (uint32_t i = 0; i < proto->vlen && used < size; i++) {
		type_text(btf, proto->members[i].type, part, sizeof(part));
		used += (size_t)snprintf(out + used, size - used, "%s%s", i ? ", " : "", part);
	}
	if (used < size)
		snprintf(out + used, size - used, ")");
}

/* The kfuncs the verifier knows, static as vmlinux has them, with the kernel's
 * prototypes (checked against the host's BTF where there is one). */
START_TEST(kfuncs)
{
	static const char *const expected[][2] = {
		{ "bpf_rcu_read_lock", "void bpf_rcu_read_lock()" },
		{ "bpf_rcu_read_unlock", "void bpf_rcu_read_unlock()" },
		{ "bpf_task_acquire", "struct task_struct * bpf_task_acquire(struct task_struct *)" },
		{ "bpf_task_release", "void bpf_task_release(struct task_struct *)" },
		{ "bpf_task_from_pid", "struct task_struct * bpf_task_from_pid(int)" },
		{ "bpf_cgroup_acquire", "struct cgroup * bpf_cgroup_acquire(struct cgroup *)" },
		{ "bpf_cgroup_release", "void bpf_cgroup_release(struct cgroup *)" },
	};
	struct objfmt_btf *btf = builtin();
	struct objfmt_diag diag = {{0}, {0}};
	FILE *host_file = fopen("/sys/kernel/btf/vmlinux", "rb");
	static uint8_t host_bytes[32 << 20];
	size_t host_size = host_file ? fread(host_bytes, 1, sizeof(host_bytes), host_file) : 0;
	struct objfmt_btf *host = host_size ? objfmt_btf__decode(host_bytes, host_size, &diag) : NULL;
	char text[256], host_text[256];

	if (host_file)
		fclose(host_file);
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		uint32_t linkage = 99, host_linkage = 99;
		kfunc_text(btf, expected[i][0], text, sizeof(text), &linkage);
		ck_assert_str_eq(text, expected[i][1]);
		ck_assert_uint_eq(linkage, OBJFMT_BTF_FUNC_STATIC);
		if (!host)
			continue;
		kfunc_text(host, expected[i][0], host_text, sizeof(host_text), &host_linkage);
		ck_assert_str_eq(text, host_text);
		ck_assert_uint_eq(linkage, host_linkage);
	}
	/* struct cgroup: a 32-byte cgroup_subsys_state, then flags, five ints, kn */
	ck_assert_uint_eq(offset_of(btf, "cgroup", "flags", NULL), 32 * 8);
	ck_assert_uint_eq(offset_of(btf, "cgroup", "level", NULL), 40 * 8);
	ck_assert_uint_eq(offset_of(btf, "cgroup", "kn", NULL), 64 * 8);
	ck_assert_uint_eq(offset_of(btf, "cgroup", "ancestors", NULL), 72 * 8);
	ck_assert_uint_eq(offset_of(btf, "kernfs_node", "id", NULL), 24 * 8); /* 2 ints, 2 pointers */
	objfmt_btf__free(host);
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
	tcase_add_test(tc, kfuncs);
	suite_add_tcase(s, tc);
	SRunner *runner = srunner_create(s);
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
