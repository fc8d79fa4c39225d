/* test_timer.c - bpf_timer: the timer is the map value's BTF-described struct
 * bpf_timer, never accessed directly, not in tracing programs; the callback is
 * verified as an async callback (map, key, value; returns 0). At run time the
 * callback the program armed fires with that element (the emulator when the test run
 * ends, the kernel soon after): both must leave the same map contents. Verdicts and
 * key lines are checked against the real kernel when run as root. */
#include <sys/syscall.h>
#include <time.h>

#include "ebpf/emu.h"
#include "vcheck.h"

static int bpf_call(enum vt_target target, int cmd, union bpf_attr *attr)
{
	if (target == VT_EMU) {
		int r = emu_bpf(cmd, attr, sizeof(*attr));
		return r < 0 ? -errno : r;
	}
	long r = syscall(__NR_bpf, cmd, attr, sizeof(*attr));
	return r < 0 ? -errno : (int)r;
}

/* A map (ARRAY or HASH) of 2 "struct elem { int cnt; int pad; struct bpf_timer t; }"
 * (timer at 8). */
static int timer_map_create_typed(enum vt_target target, uint32_t map_type)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	int int_id = objfmt_btf__add_int(btf, "int", 4, OBJFMT_BTF_INT_SIGNED);
	int u64_id = objfmt_btf__add_int(btf, "unsigned long long", 8, 0);
	int arr = objfmt_btf__add_array(btf, (uint32_t)u64_id, (uint32_t)int_id, 2);
	struct objfmt_btf_member timer_m[1] = { { .name = "__opaque", .type = (uint32_t)arr } };
	struct objfmt_btf_type timer = { .kind = OBJFMT_BTF_STRUCT, .name = "bpf_timer",
					 .size = 16, .vlen = 1, .members = timer_m };
	int timer_id = objfmt_btf__add(btf, &timer);
	struct objfmt_btf_member elem_m[3] = {
		{ .name = "cnt", .type = (uint32_t)int_id },
		{ .name = "pad", .type = (uint32_t)int_id, .bit_offset = 32 },
		{ .name = "t", .type = (uint32_t)timer_id, .bit_offset = 64 },
	};
	struct objfmt_btf_type elem = { .kind = OBJFMT_BTF_STRUCT, .name = "elem", .size = 24,
					.vlen = 3, .members = elem_m };
	int elem_id = objfmt_btf__add(btf, &elem);
	int btf_fd = vt_btf_load(target, btf);
	ck_assert_int_ge(btf_fd, 0);
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.map_type = map_type;
	attr.key_size = 4;
	attr.value_size = 24;
	attr.max_entries = 2;
	attr.btf_fd = (uint32_t)btf_fd;
	attr.btf_key_type_id = (uint32_t)int_id;
	attr.btf_value_type_id = (uint32_t)elem_id;
	int fd = bpf_call(target, BPF_MAP_CREATE, &attr);
	close(btf_fd);
	ck_assert_msg(fd >= 0, "MAP_CREATE: %d", fd);
	return fd;
}

static int timer_map_create(enum vt_target target)
{
	return timer_map_create_typed(target, BPF_MAP_TYPE_ARRAY);
}

/* Program text with TMAP/TMAP2 standing for two timer maps: the main program looks up
 * element 1 and hands R6 = &value->t (insn 10 on) to `body`; the callback starts at
 * insn 25 (`cb`, static). */
#define LOOKUP_AT(off) "r1 = 1\n*(u32 *)(r10 - 4) = r1\nr2 = r10\nr2 += -4\nr1 = %s\n"    \
	"call bpf_map_lookup_elem\nif r0 == 0 goto +15\nr6 = r0\nr6 += " off "\n"
#define LOOKUP_ONE LOOKUP_AT("8")
#define ARM_WITH(r3) "r1 = r6\nr2 = %s\n" r3 "\ncall bpf_timer_init\nr1 = r6\n"             \
	"r2 = 0x46554e0000000007 ll\ncall bpf_timer_set_callback\nr1 = r6\nr2 = 0\n"        \
	"r3 = 0\ncall bpf_timer_start\nr0 = 0\nexit\n"
#define ARM ARM_WITH("r3 = 1")
#define CB_COUNT "r1 = *(u32 *)(r3 + 0)\nr1 += 1\n*(u32 *)(r3 + 0) = r1\nr0 = 0\nexit"

static void map_ref(char *buf, size_t size, int fd)
{
	snprintf(buf, size, "0x%llx ll", (unsigned long long)(VT_MAP_MAGIC | 0x8000 | (uint32_t)fd));
}

/* Load `fmt` (two %s: the map in the lookup and in bpf_timer_init, then the rest) with
 * functions at 0 (global) and 25 (static callback). */
static void load_timer_prog(enum vt_target target, uint32_t type, const char *text,
			    uint32_t cb_start, struct vt_result *res)
{
	static struct vt_prog prog;
	const uint32_t starts[2] = { 0, cb_start };
	vt_assemble(text, fixture_maps(target), &prog);
	vt_load_funcs(target, type, &prog, starts, 2, 1, res);
}

struct maps {
	int timer, other;
};

static struct maps timer_maps(enum vt_target target)
{
	static struct maps m[2] = { { -1, -1 }, { -1, -1 } };
	if (m[target].timer < 0) {
		m[target].timer = timer_map_create(target);
		m[target].other = timer_map_create(target);
	}
	return m[target];
}

enum which_map { TIMER_MAP, OTHER_TIMER_MAP, PLAIN_ARRAY };

static void map_text(enum vt_target target, enum which_map which, char *buf, size_t size)
{
	struct maps m = timer_maps(target);
	if (which == PLAIN_ARRAY)
		snprintf(buf, size, "%s", ARRAY_MAP);
	else
		map_ref(buf, size, which == TIMER_MAP ? m.timer : m.other);
}

static void expect_timer_on(enum vt_target target, uint32_t type, const char *fmt,
			    enum which_map a, enum which_map b, int err, const char *line)
{
	char text[2048], at[64], bt[64];
	struct vt_result res;
	map_text(target, a, at, sizeof(at));
	map_text(target, b, bt, sizeof(bt));
	snprintf(text, sizeof(text), fmt, at, bt);
	load_timer_prog(target, type, text, 25, &res);
	const char *who = target == VT_EMU ? "emulator" : "kernel";
	ck_assert_msg(res.err == err, "%s: expected errno %d, got %d; log:\n%s", who, err, res.err,
		      res.log);
	if (line)
		ck_assert_msg(vt_log_has(res.log, line), "%s: log lacks '%s':\n%s", who, line, res.log);
	vt_close(target, res.fd);
	vt_result_free(&res);
}

/* The program `fmt` (lookup in map `a`, bpf_timer_init with map `b`) as `type`. */
static void expect_timer(uint32_t type, const char *fmt, enum which_map a, enum which_map b,
			 int err, const char *line)
{
	expect_timer_on(VT_EMU, type, fmt, a, b, err, line);
	if (kernel_cross_check())
		expect_timer_on(VT_KERNEL, type, fmt, a, b, err, line);
}

START_TEST(accepts_timer_with_async_callback)
{
	expect_timer(BPF_PROG_TYPE_SCHED_CLS, LOOKUP_ONE ARM CB_COUNT, TIMER_MAP, TIMER_MAP, 0, NULL);
	expect_timer(BPF_PROG_TYPE_SOCKET_FILTER, LOOKUP_ONE ARM CB_COUNT, TIMER_MAP, TIMER_MAP, 0,
		     NULL);
}
END_TEST

START_TEST(async_callback_returns_zero)
{
	expect_timer(BPF_PROG_TYPE_SCHED_CLS, LOOKUP_ONE ARM "r0 = 1\nexit", TIMER_MAP, TIMER_MAP,
		     EINVAL, "At async callback return the register R0 has smin=1 smax=1 should "
		     "have been in [0, 0]");
	expect_timer(BPF_PROG_TYPE_SCHED_CLS, LOOKUP_ONE ARM "r0 = 1\nexit", TIMER_MAP, TIMER_MAP,
		     EINVAL, "R0=1 async_cb");
}
END_TEST

START_TEST(timer_is_the_values_bpf_timer)
{
	/* R6 at the value's start, not at its timer */
	expect_timer(BPF_PROG_TYPE_SCHED_CLS, LOOKUP_AT("0") ARM CB_COUNT, TIMER_MAP, TIMER_MAP,
		     EINVAL, "off 0 doesn't point to 'struct bpf_timer' that is at 8");
	expect_timer(BPF_PROG_TYPE_SCHED_CLS, LOOKUP_ONE ARM CB_COUNT, TIMER_MAP, OTHER_TIMER_MAP,
		     EINVAL, "timer pointer in R1 map_uid=0 doesn't match map pointer in R2 "
		     "map_uid=0");
	expect_timer(BPF_PROG_TYPE_SCHED_CLS, LOOKUP_ONE ARM_WITH("r0 = *(u64 *)(r6 + 0)") CB_COUNT,
		     TIMER_MAP, TIMER_MAP, EACCES,
		     "bpf_timer cannot be accessed directly by load/store");
}
END_TEST

START_TEST(maps_without_timer_or_tracing_programs)
{
	expect_timer(BPF_PROG_TYPE_SCHED_CLS, LOOKUP_ONE ARM CB_COUNT, PLAIN_ARRAY, PLAIN_ARRAY,
		     EINVAL, "map '' has to have BTF in order to use bpf_timer");
	expect_timer(BPF_PROG_TYPE_KPROBE, LOOKUP_ONE ARM CB_COUNT, TIMER_MAP, TIMER_MAP, EINVAL,
		     "tracing progs cannot use bpf_timer yet");
}
END_TEST

START_TEST(timer_offsets_as_the_kernel_decides)
{
	int mismatches = 0, accepted = 0;
	if (!kernel_cross_check())
		return; /* the kernel is the oracle of this sweep */
	for (int off = -8; off <= 24; off += 4) {
		char at[8], fmt[1024];
		snprintf(at, sizeof(at), "%d", off);
		snprintf(fmt, sizeof(fmt), "r1 = 1\n*(u32 *)(r10 - 4) = r1\nr2 = r10\nr2 += -4\n"
			 "r1 = %%s\ncall bpf_map_lookup_elem\nif r0 == 0 goto +15\nr6 = r0\n"
			 "r6 += %s\n%s%s", at, ARM, CB_COUNT);
		int err[2];
		for (int t = VT_EMU; t <= VT_KERNEL; t++) {
			char text[2048], map[64];
			struct vt_result res;
			map_text((enum vt_target)t, TIMER_MAP, map, sizeof(map));
			snprintf(text, sizeof(text), fmt, map, map);
			load_timer_prog((enum vt_target)t, BPF_PROG_TYPE_SCHED_CLS, text, 25, &res);
			err[t] = res.err;
			vt_close((enum vt_target)t, res.fd);
			vt_result_free(&res);
		}
		accepted += err[VT_KERNEL] == 0;
		if (err[VT_EMU] != err[VT_KERNEL]) {
			mismatches++;
			fprintf(stderr, "timer at value%+d: emulator %d, kernel %d\n", off,
				err[VT_EMU], err[VT_KERNEL]);
		}
	}
	ck_assert_int_eq(mismatches, 0);
	ck_assert_int_eq(accepted, 1); /* only the struct bpf_timer's own offset */
}
END_TEST

/* main returns (start << 8 | init) & 0xffff; the callback counts in the element. */
static const char counting_fmt[] =
		"r1 = 1\n*(u32 *)(r10 - 8) = r1\nr2 = r10\nr2 += -8\nr1 = %s\n"
		"call bpf_map_lookup_elem\nif r0 != 0 goto +2\nr0 = 0xeeee\nexit\n" /* no element */
		"r6 = r0\nr6 += 8\n"
		"r1 = r6\nr2 = %s\nr3 = 1\ncall bpf_timer_init\nr7 = r0\n"
		"r1 = r6\nr2 = 0x46554e0000000009 ll\ncall bpf_timer_set_callback\nr1 = r6\n"
		"r2 = 0\nr3 = 0\ncall bpf_timer_start\nr0 <<= 8\nr0 |= r7\nr0 &= 0xffff\nexit\n"
	CB_COUNT;

static void load_counting(enum vt_target target, int map, struct vt_result *res)
{
	char text[2048], ref[64];
	map_ref(ref, sizeof(ref), map);
	snprintf(text, sizeof(text), counting_fmt, ref, ref);
	load_timer_prog(target, BPF_PROG_TYPE_SCHED_CLS, text, 30, res);
	ck_assert_msg(res->fd >= 0, "errno %d:\n%s", res->err, res->log);
}

/* One test run; its retval. */
static uint32_t run_once(enum vt_target target, int prog_fd)
{
	uint8_t packet[64] = { 0 };
	uint32_t ret;
	ck_assert_int_eq(vt_test_run(target, prog_fd, packet, sizeof(packet), &ret, NULL, NULL), 0);
	return ret;
}

/* A map command on element 1 of `map` (value: 24 bytes in/out); its result. */
static int elem_one(enum vt_target target, int cmd, int map, uint8_t *value)
{
	uint32_t key = 1;
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)map;
	attr.key = (uint64_t)(uintptr_t)&key;
	attr.value = (uint64_t)(uintptr_t)value;
	return bpf_call(target, cmd, &attr);
}

/* Element 1's cnt once it reached `at_least` (the kernel fires asynchronously). */
static uint32_t wait_count(enum vt_target target, int map, uint32_t at_least)
{
	uint8_t value[24] = { 0 };
	for (int tries = 0; tries < 100; tries++) {
		ck_assert_int_eq(elem_one(target, BPF_MAP_LOOKUP_ELEM, map, value), 0);
		if (value[0] >= at_least)
			break;
		nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
	}
	return value[0];
}

/* Run the counting program twice; returns the first two retvals (init/start results)
 * and element 1's cnt once the callbacks ran. */
static uint32_t run_counting(enum vt_target target, uint32_t *ret1, uint32_t *ret2)
{
	struct vt_result res;
	int map = timer_map_create(target);
	load_counting(target, map, &res);
	*ret1 = run_once(target, res.fd);
	*ret2 = run_once(target, res.fd);
	uint32_t count = wait_count(target, map, 2);
	vt_close(target, res.fd);
	vt_result_free(&res);
	close(map);
	return count;
}

/* In a hash map, a deleted element takes its timer along: the element added again
 * under the same key starts with a fresh timer (init 0, not -EBUSY) whose callback
 * counts in the new element. Returns the three retvals packed by 16 bits. */
static uint64_t run_hash_delete_reinsert(enum vt_target target, uint32_t *count)
{
	struct vt_result res;
	uint8_t zero[24] = { 0 };
	int map = timer_map_create_typed(target, BPF_MAP_TYPE_HASH);
	load_counting(target, map, &res);
	ck_assert_int_eq(elem_one(target, BPF_MAP_UPDATE_ELEM, map, zero), 0);
	uint64_t rets = run_once(target, res.fd);
	rets |= (uint64_t)run_once(target, res.fd) << 16;
	wait_count(target, map, 2);
	ck_assert_int_eq(elem_one(target, BPF_MAP_DELETE_ELEM, map, NULL), 0);
	ck_assert_int_eq(elem_one(target, BPF_MAP_UPDATE_ELEM, map, zero), 0);
	rets |= (uint64_t)run_once(target, res.fd) << 32;
	*count = wait_count(target, map, 1);
	vt_close(target, res.fd);
	vt_result_free(&res);
	close(map);
	return rets;
}

START_TEST(armed_callback_fires_with_its_element)
{
	uint32_t r1, r2;
	ck_assert_uint_eq(run_counting(VT_EMU, &r1, &r2), 2);
	ck_assert_uint_eq(r1, 0);    /* init 0, start 0 */
	ck_assert_uint_eq(r2, 0xfff0); /* init -EBUSY (its low 16 bits), start 0 */
	if (kernel_cross_check()) {
		ck_assert_uint_eq(run_counting(VT_KERNEL, &r1, &r2), 2);
		ck_assert_uint_eq(r1, 0);
		ck_assert_uint_eq(r2, 0xfff0);
	}
}
END_TEST

START_TEST(deleted_hash_element_takes_its_timer)
{
	uint32_t count;
	/* init 0 / start 0; then init -EBUSY; after delete + update: init 0 again */
	ck_assert_uint_eq(run_hash_delete_reinsert(VT_EMU, &count), 0x000000fff00000ull);
	ck_assert_uint_eq(count, 1);
	if (kernel_cross_check()) {
		ck_assert_uint_eq(run_hash_delete_reinsert(VT_KERNEL, &count), 0x000000fff00000ull);
		ck_assert_uint_eq(count, 1);
	}
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		accepts_timer_with_async_callback, async_callback_returns_zero,
		timer_is_the_values_bpf_timer, maps_without_timer_or_tracing_programs,
		armed_callback_fires_with_its_element, timer_offsets_as_the_kernel_decides,
		deleted_hash_element_takes_its_timer, NULL,
	};
	return run_suite("verifier bpf_timer", tests);
}
