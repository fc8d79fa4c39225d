/* test_btf_helper_mem.c - a trusted kernel object pointer (the current task) passed
 * where a helper reads memory: accepted for read-only arguments within one member (or
 * one array of scalars), refused for helpers that may write it, for RCU pointers and
 * variable offsets; at run time the helper reads the emulated task. Offsets come from
 * the kernel BTF the emulator uses (the host's when present: then the kernel
 * cross-checks every verdict and key line). */
#include <sys/syscall.h>

#include "ebpf/emu.h"
#include "vcheck.h"

#define CURRENT_TASK "call bpf_get_current_task_btf\n"

static uint32_t member_offset(const char *type, const char *name)
{
	const struct objfmt_btf *btf = emu_kernel_btf_model();
	int id = btf ? objfmt_btf__find(btf, OBJFMT_BTF_STRUCT, type) : -1;

	ck_assert_msg(id > 0, "kernel BTF has no struct %s", type);
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, (uint32_t)id);
	for (uint32_t i = 0; i < t->vlen; i++)
		if (!strcmp(t->members[i].name, name))
			return t->members[i].bit_offset / 8;
	ck_abort_msg("struct %s has no top-level member %s", type, name);
	return 0;
}

static void expect_tc(const char *text, int err, const char *line)
{
	expect_type(BPF_PROG_TYPE_SCHED_CLS, text, err, line);
}

/* bpf_ringbuf_output(ringbuf, task + off, size, 0) */
static void ringbuf_output_of_task(char *text, size_t size, uint32_t off, uint32_t bytes)
{
	snprintf(text, size, CURRENT_TASK "r2 = r0\nr2 += %u\nr1 = " RINGBUF_MAP "\n"
		 "r3 = %u\nr4 = 0\ncall bpf_ringbuf_output\nr0 = 0\nexit", off, bytes);
}

START_TEST(readonly_helper_reads_a_task_member)
{
	char text[512];
	ringbuf_output_of_task(text, sizeof(text), member_offset("task_struct", "comm"), 16);
	expect_tc(text, 0, NULL);
}
END_TEST

START_TEST(helper_read_stays_within_one_member)
{
	char text[512], line[160];
	uint32_t pid = member_offset("task_struct", "pid");
	ringbuf_output_of_task(text, sizeof(text), pid, 8);
	snprintf(line, sizeof(line), "access beyond the end of member pid (mend:%u) in struct "
		 "task_struct with off %u size 8", pid + 4, pid);
	expect_tc(text, EACCES, line);
}
END_TEST

START_TEST(load_may_span_an_array_of_scalars)
{
	char text[256];
	snprintf(text, sizeof(text), CURRENT_TASK "r0 = *(u64 *)(r0 + %u)\nr0 = 0\nexit",
		 member_offset("task_struct", "comm") + 8);
	expect_tc(text, 0, NULL);
}
END_TEST

START_TEST(refuses_helpers_that_may_write_the_object)
{
	expect_tc(CURRENT_TASK "r1 = r0\nr2 = 8\nr3 = 0\ncall bpf_probe_read_kernel\nr0 = 0\nexit",
		  EACCES, "bpf_probe_read_kernel() may write into memory pointed by R1 "
		  "type=trusted_ptr_");
	expect_tc(CURRENT_TASK "r3 = r0\nr1 = 0\n*(u32 *)(r10 - 4) = r1\nr2 = r10\nr2 += -4\n"
		  "r1 = " HASH_MAP "\nr4 = 0\ncall bpf_map_update_elem\nr0 = 0\nexit", EACCES,
		  "bpf_map_update_elem() may write into memory pointed by R3 type=trusted_ptr_");
}
END_TEST

START_TEST(refuses_rcu_pointer_as_helper_memory)
{
	char text[512];
	snprintf(text, sizeof(text), CURRENT_TASK "r2 = *(u64 *)(r0 + %u)\nr1 = " RINGBUF_MAP "\n"
		 "r3 = 8\nr4 = 0\ncall bpf_ringbuf_output\nr0 = 0\nexit",
		 member_offset("task_struct", "real_parent"));
	expect_tc(text, EACCES, "R2 type=rcu_ptr_ expected=fp, pkt, pkt_meta, map_key, "
		  "map_value, mem, ringbuf_mem, buf, trusted_ptr_");
}
END_TEST

START_TEST(refuses_variable_offset_into_the_object)
{
	expect_tc("r6 = *(u32 *)(r1 + 0)\n" CURRENT_TASK "r6 &= 15\nr0 += r6\nr2 = r0\n"
		  "r1 = " RINGBUF_MAP "\nr3 = 8\nr4 = 0\ncall bpf_ringbuf_output\nr0 = 0\nexit",
		  EACCES, "variable trusted_ptr_ access var_off=(0x0; 0xf) disallowed");
}
END_TEST

/* Run "bpf_skb_store_bytes(skb, 0, task->comm, 4, 0)" on `target`; data_out's first
 * bytes are the comm the program read. */
static void store_comm(enum vt_target target, uint8_t *out)
{
	static struct vt_prog prog;
	char text[512];
	struct vt_result res;
	uint8_t packet[64] = { 0 };
	uint32_t retval = 0, out_size = sizeof(packet);

	snprintf(text, sizeof(text), "r6 = r1\n" CURRENT_TASK "r3 = r0\nr3 += %u\nr1 = r6\n"
		 "r2 = 0\nr4 = 4\nr5 = 0\ncall bpf_skb_store_bytes\nr0 = 0\nexit",
		 member_offset("task_struct", "comm"));
	vt_assemble(text, fixture_maps(target), &prog);
	vt_load(target, BPF_PROG_TYPE_SCHED_CLS, &prog, "GPL", 1, &res);
	ck_assert_msg(res.fd >= 0, "errno %d:\n%s", res.err, res.log);
	ck_assert_int_eq(vt_test_run(target, res.fd, packet, sizeof(packet), &retval, out,
				     &out_size), 0);
	ck_assert_uint_eq(retval, 0);
	vt_close(target, res.fd);
	vt_result_free(&res);
}

START_TEST(helper_reads_the_task_at_run_time)
{
	char comm[32] = "", error[128];
	FILE *f = fopen("/proc/self/comm", "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(comm, sizeof(comm), f));
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	char assignment[64];
	snprintf(assignment, sizeof(assignment), "comm=%s", comm);
	ck_assert_msg(emu_kobj_assign(assignment, error, sizeof(error)) == 0, "%s", error);
	ck_assert_int_eq(emu_kobj_install(), 0); /* the task's bytes become kernel memory */
	uint8_t out[64];
	store_comm(VT_EMU, out);
	ck_assert_mem_eq(out, comm, 4);
	if (kernel_cross_check()) {
		store_comm(VT_KERNEL, out);
		ck_assert_mem_eq(out, comm, 4);
	}
}
END_TEST

static int output_verdict(enum vt_target target, uint32_t off, uint32_t size)
{
	static struct vt_prog prog;
	char text[512];
	struct vt_result res;
	ringbuf_output_of_task(text, sizeof(text), off, size);
	vt_assemble(text, fixture_maps(target), &prog);
	vt_load(target, BPF_PROG_TYPE_SCHED_CLS, &prog, "GPL", 0, &res);
	int err = res.err;
	vt_close(target, res.fd);
	vt_result_free(&res);
	return err;
}

static int load_verdict(enum vt_target target, uint32_t off, uint32_t size)
{
	static const char *const width[9] = { [1] = "u8", [2] = "u16", [4] = "u32", [8] = "u64" };
	static struct vt_prog prog;
	char text[256];
	struct vt_result res;
	snprintf(text, sizeof(text), CURRENT_TASK "r0 = *(%s *)(r0 + %u)\nr0 = 0\nexit",
		 width[size], off);
	vt_assemble(text, fixture_maps(target), &prog);
	vt_load(target, BPF_PROG_TYPE_SCHED_CLS, &prog, "GPL", 0, &res);
	int err = res.err;
	vt_close(target, res.fd);
	vt_result_free(&res);
	return err;
}

START_TEST(loads_across_task_struct_as_the_kernel_decides)
{
	static const uint32_t sizes[] = { 1, 2, 4, 8 };
	uint32_t from = member_offset("task_struct", "pid") - 64;
	uint32_t to = member_offset("task_struct", "comm") + 32;
	int checked = 0, mismatches = 0;
	if (!kernel_cross_check())
		return;
	for (uint32_t off = from; off < to; off += 2)
		for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			if (off % sizes[s])
				continue;
			int emu = load_verdict(VT_EMU, off, sizes[s]);
			int kernel = load_verdict(VT_KERNEL, off, sizes[s]);
			checked++;
			if (emu != kernel) {
				mismatches++;
				fprintf(stderr, "load off %u size %u: emulator %d, kernel %d\n", off,
					sizes[s], emu, kernel);
			}
		}
	ck_assert_msg(mismatches == 0, "%d of %d loads disagree", mismatches, checked);
}
END_TEST

START_TEST(helper_reads_across_task_struct_as_the_kernel_decides)
{
	static const uint32_t sizes[] = { 1, 4, 8, 16, 24 };
	uint32_t from = member_offset("task_struct", "pid") - 32;
	uint32_t to = member_offset("task_struct", "comm") + 48;
	int checked = 0, mismatches = 0, accepted = 0;
	if (!kernel_cross_check())
		return; /* the kernel is the oracle of this sweep */
	for (uint32_t off = from; off < to; off += 4)
		for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			int emu = output_verdict(VT_EMU, off, sizes[s]);
			int kernel = output_verdict(VT_KERNEL, off, sizes[s]);
			checked++;
			accepted += kernel == 0;
			if (emu != kernel) {
				mismatches++;
				fprintf(stderr, "off %u size %u: emulator %d, kernel %d\n", off,
					sizes[s], emu, kernel);
			}
		}
	ck_assert_msg(mismatches == 0, "%d of %d reads disagree", mismatches, checked);
	ck_assert_int_gt(accepted, 20);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		readonly_helper_reads_a_task_member, helper_read_stays_within_one_member,
		load_may_span_an_array_of_scalars, refuses_helpers_that_may_write_the_object,
		refuses_rcu_pointer_as_helper_memory, refuses_variable_offset_into_the_object,
		helper_reads_the_task_at_run_time, helper_reads_across_task_struct_as_the_kernel_decides,
		loads_across_task_struct_as_the_kernel_decides, NULL,
	};
	return run_suite("verifier kernel objects as helper memory", tests);
}
