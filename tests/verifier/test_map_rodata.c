/* test_map_rodata.c - Check tests of loads from a frozen read-only array map (what
 * libbpf makes of .rodata): at a constant offset they give the stored value, as 6.18's
 * bpf_map_direct_read does, so branches on it are decided; without the freeze, the
 * BPF_F_RDONLY_PROG flag or a constant offset the value is unknown. Each verdict and
 * log line is also checked against the real kernel. */
#include <sys/syscall.h>

#include "ebpf/emu.h"
#include "vcheck.h"

static int call_bpf(enum vt_target target, int cmd, union bpf_attr *attr)
{
	if (target == VT_EMU) {
		int r = emu_bpf(cmd, attr, sizeof(*attr));
		return r < 0 ? -errno : r;
	}
	long r = syscall(__NR_bpf, cmd, attr, sizeof(*attr));
	return r < 0 ? -errno : (int)r;
}

/* A one-element array (value 16 bytes: 05 80 ff 00 ...) created with `flags`, frozen
 * when asked. */
static int config_map(enum vt_target target, uint32_t flags, bool freeze)
{
	static const uint8_t value[16] = { 0x05, 0x80, 0xff };
	uint32_t key = 0;
	union bpf_attr attr;
	int fd = vt_map_create(target, BPF_MAP_TYPE_ARRAY, 4, 16, 1, flags);
	ck_assert_msg(fd >= 0, "map create: %d", fd);
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)fd;
	attr.key = (uint64_t)(uintptr_t)&key;
	attr.value = (uint64_t)(uintptr_t)value;
	ck_assert_int_eq(call_bpf(target, BPF_MAP_UPDATE_ELEM, &attr), 0);
	if (freeze) {
		memset(&attr, 0, sizeof(attr));
		attr.map_fd = (uint32_t)fd;
		ck_assert_int_eq(call_bpf(target, BPF_MAP_FREEZE, &attr), 0);
	}
	return fd;
}

static void expect_map_on(enum vt_target target, uint32_t flags, bool freeze, const char *text,
			  int err, const char *line)
{
	static struct vt_prog prog;
	const char *who = target == VT_EMU ? "emulator" : "kernel";
	int maps[1] = { config_map(target, flags, freeze) };
	struct vt_result res;

	vt_assemble(text, maps, &prog);
	vt_load(target, BPF_PROG_TYPE_SOCKET_FILTER, &prog, "GPL", 2, &res);
	size_t len = strlen(res.log);
	const char *tail = len > 1500 ? res.log + len - 1500 : res.log;
	ck_assert_msg(res.err == err, "%s: expected errno %d, got %d; log:\n%s", who, err,
		      res.err, tail);
	if (line)
		ck_assert_msg(vt_log_has(res.log, line), "%s: log lacks '%s':\n%s", who, line,
			      tail);
	vt_close(target, res.fd);
	vt_close(target, maps[0]);
	vt_result_free(&res);
}

static void expect_map(uint32_t flags, bool freeze, const char *text, int err, const char *line)
{
	expect_map_on(VT_EMU, flags, freeze, text, err, line);
	if (kernel_cross_check())
		expect_map_on(VT_KERNEL, flags, freeze, text, err, line);
}

/* r6 = ctx; r0 = lookup(map, 0); `load` (`skip` - 3 insns) into r1 from r0; R9 (never
 * set) is read unless r1 is known to equal `value`. */
#define LOOKUP_SKIP(load, skip, value) "r6 = r1\n*(u32 *)(r10 - 4) = 0\nr2 = r10\n" \
	"r2 += -4\nr1 = 0x4d41500000000000 ll\ncall 1\nif r0 == 0 goto +" skip "\n" load "\n" \
	"if r1 == " value " goto +1\nr0 = r9\nr0 = 0\nexit\n"
#define LOOKUP_THEN(load, value) LOOKUP_SKIP(load, "4", value)

START_TEST(frozen_rodata_load_is_a_constant)
{
	expect_map(BPF_F_RDONLY_PROG, true, LOOKUP_THEN("r1 = *(u8 *)(r0 + 0)", "5"), 0, "R1=5");
	expect_map(BPF_F_RDONLY_PROG, true, LOOKUP_THEN("r1 = *(u16 *)(r0 + 1)", "0xff80"), 0,
		   NULL);
	expect_map(BPF_F_RDONLY_PROG, true, LOOKUP_THEN("r1 = *(u32 *)(r0 + 0)", "0xff8005"), 0,
		   NULL);
}
END_TEST

START_TEST(frozen_rodata_sign_extending_load)
{
	expect_map(BPF_F_RDONLY_PROG, true, LOOKUP_THEN("r1 = *(s8 *)(r0 + 1)", "-128"), 0,
		   "R1=-128");
}
END_TEST

START_TEST(rodata_value_unknown_without_freeze_or_flag)
{
	expect_map(BPF_F_RDONLY_PROG, false, LOOKUP_THEN("r1 = *(u8 *)(r0 + 0)", "5"), EACCES,
		   "R9 !read_ok");
	expect_map(0, true, LOOKUP_THEN("r1 = *(u8 *)(r0 + 0)", "5"), EACCES, "R9 !read_ok");
}
END_TEST

START_TEST(rodata_variable_offset_is_unknown)
{
	expect_map(BPF_F_RDONLY_PROG, true,
		   LOOKUP_SKIP("r1 = *(u32 *)(r6 + 0)\nr1 &= 1\nr0 += r1\nr1 = *(u8 *)(r0 + 0)", "7",
			       "5"), EACCES,
		   "R9 !read_ok");
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		frozen_rodata_load_is_a_constant, frozen_rodata_sign_extending_load,
		rodata_value_unknown_without_freeze_or_flag, rodata_variable_offset_is_unknown,
		NULL,
	};
	return run_suite("map_rodata", tests);
}
