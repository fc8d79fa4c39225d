/* test_dynptr.c - ring buffer dynptrs: bpf_ringbuf_reserve_dynptr makes a referenced
 * dynptr on the stack that must be submitted or discarded, that loads, stores and
 * helpers may not touch as plain memory, and whose bpf_dynptr_data memory dies with
 * it; at run time read/write/data keep to the record. Verdicts, key lines and run
 * results are the real kernel's (checked when run as root). */
#include "vcheck.h"

/* struct bpf_dynptr at fp-16 reserved (16 bytes), then `body`. */
#define RESERVE "r1 = " RINGBUF_MAP "\nr2 = 16\nr3 = 0\nr4 = r10\nr4 += -16\n"              \
	"call bpf_ringbuf_reserve_dynptr\n"
#define SUBMIT "r1 = r10\nr1 += -16\nr2 = 0\ncall bpf_ringbuf_submit_dynptr\nr0 = 0\nexit"
#define DISCARD "r1 = r10\nr1 += -16\nr2 = 0\ncall bpf_ringbuf_discard_dynptr\nr0 = 0\nexit"

static void expect_tc(const char *text, int err, const char *line)
{
	expect_type(BPF_PROG_TYPE_SCHED_CLS, text, err, line);
}

START_TEST(reserved_dynptr_is_submitted_or_discarded)
{
	expect_tc(RESERVE SUBMIT, 0, NULL);
	expect_tc(RESERVE DISCARD, 0, NULL);
	expect_tc(RESERVE "r0 = 0\nexit", EINVAL, "Unreleased reference id=2 alloc_insn=6");
	expect_tc(RESERVE "r0 = 0\nexit", EINVAL,
		  "fp-16=dynptr_ringbuf(id=1,ref_id=2,dynptr_id=1) refs=2");
}
END_TEST

START_TEST(dynptr_must_be_initialised)
{
	expect_tc("r1 = r10\nr1 += -24\nr2 = 8\nr3 = r10\nr3 += -16\nr4 = 0\nr5 = 0\n"
		  "call bpf_dynptr_read\nr0 = 0\nexit", EINVAL,
		  "Expected an initialized dynptr as arg #2");
	expect_tc(SUBMIT, EINVAL, "arg 1 is an unacquired reference");
}
END_TEST

START_TEST(dynptr_slots_are_not_plain_memory)
{
	expect_tc(RESERVE "r1 = 0\n*(u64 *)(r10 - 16) = r1\n" DISCARD, EINVAL,
		  "cannot overwrite referenced dynptr");
	expect_tc(RESERVE RESERVE DISCARD, EINVAL, "cannot overwrite referenced dynptr");
	expect_tc(RESERVE "r0 = *(u64 *)(r10 - 16)\n" DISCARD, EACCES,
		  "invalid read from stack off -16+0 size 8");
	expect_tc(RESERVE "r1 = r10\nr1 += -16\nr2 = 8\nr3 = 0\ncall bpf_probe_read_kernel\n"
		  DISCARD, EACCES, "potential write to dynptr at off=-16 disallowed");
}
END_TEST

START_TEST(dynptr_data_lives_with_the_dynptr)
{
	/* r7 = bpf_dynptr_data(&d, 0, 8) */
	const char *data = "r1 = r10\nr1 += -16\nr2 = 0\nr3 = 8\ncall bpf_dynptr_data\nr7 = r0\n";
	char text[1024];
	snprintf(text, sizeof(text), RESERVE "%sif r7 == 0 goto +2\nr1 = 5\n*(u64 *)(r7 + 0) = r1\n"
		 SUBMIT, data);
	expect_tc(text, 0, NULL);
	snprintf(text, sizeof(text), RESERVE "%sif r7 == 0 goto +2\nr1 = 5\n*(u64 *)(r7 + 8) = r1\n"
		 SUBMIT, data);
	expect_tc(text, EACCES, "invalid access to memory, mem_size=8 off=8 size=8");
	snprintf(text, sizeof(text), RESERVE "%sr1 = r10\nr1 += -16\nr2 = 0\n"
		 "call bpf_ringbuf_submit_dynptr\nif r7 == 0 goto +1\nr0 = *(u64 *)(r7 + 0)\n"
		 "r0 = 0\nexit", data);
	expect_tc(text, EACCES, "R7 invalid mem access 'scalar'");
}
END_TEST

static uint32_t run_tc(enum vt_target target, const char *text)
{
	static struct vt_prog prog;
	struct vt_result res;
	uint8_t packet[64] = { 0 };
	uint32_t retval = 0;

	vt_assemble(text, fixture_maps(target), &prog);
	vt_load(target, BPF_PROG_TYPE_SCHED_CLS, &prog, "GPL", 1, &res);
	ck_assert_msg(res.fd >= 0, "%s: errno %d:\n%s", target == VT_EMU ? "emulator" : "kernel",
		      res.err, res.log);
	ck_assert_int_eq(vt_test_run(target, res.fd, packet, sizeof(packet), &retval, NULL, NULL),
			 0);
	vt_close(target, res.fd);
	vt_result_free(&res);
	return retval;
}

START_TEST(read_and_write_keep_to_the_record)
{
	/* write 0x11223344 (8 bytes) at 0; read 4 bytes at 2 into fp-32; read 8 at 12
	 * fails with -E2BIG: return (that error & 0xff) << 8 | the first byte read */
	const char *text = RESERVE
		"r1 = 0x11223344\n*(u64 *)(r10 - 24) = r1\nr1 = 0\n*(u64 *)(r10 - 32) = r1\n"
		"r1 = r10\nr1 += -16\nr2 = 0\nr3 = r10\nr3 += -24\nr4 = 8\nr5 = 0\n"
		"call bpf_dynptr_write\n"
		"r1 = r10\nr1 += -32\nr2 = 4\nr3 = r10\nr3 += -16\nr4 = 2\nr5 = 0\n"
		"call bpf_dynptr_read\n"
		"r1 = r10\nr1 += -32\nr2 = 8\nr3 = r10\nr3 += -16\nr4 = 12\nr5 = 0\n"
		"call bpf_dynptr_read\nr6 = r0\nr6 &= 0xff\nr6 <<= 8\nr7 = *(u8 *)(r10 - 32)\n"
		"r6 |= r7\n"
		"r1 = r10\nr1 += -16\nr2 = 0\ncall bpf_ringbuf_discard_dynptr\nr0 = r6\nexit";
	ck_assert_uint_eq(run_tc(VT_EMU, text), 0xf922);
	if (kernel_cross_check())
		ck_assert_uint_eq(run_tc(VT_KERNEL, text), 0xf922);
}
END_TEST

static int dynptr_verdict(enum vt_target target, int reserve_off, int use_off, int helper)
{
	static const char *const use[3] = {
		"r1 = r10\nr1 += %d\nr2 = 0\ncall bpf_ringbuf_discard_dynptr\nr0 = 0\nexit",
		"r1 = r10\nr1 += -64\nr2 = 8\nr3 = r10\nr3 += %d\nr4 = 0\nr5 = 0\n"
		"call bpf_dynptr_read\nr1 = r10\nr1 += -16\nr2 = 0\n"
		"call bpf_ringbuf_discard_dynptr\nr0 = 0\nexit",
		"r0 = *(u64 *)(r10 %+d)\nr1 = r10\nr1 += -16\nr2 = 0\n"
		"call bpf_ringbuf_discard_dynptr\nr0 = 0\nexit",
	};
	static struct vt_prog prog;
	char text[768], tail[384];
	struct vt_result res;
	snprintf(tail, sizeof(tail), use[helper], use_off);
	snprintf(text, sizeof(text), "r1 = " RINGBUF_MAP "\nr2 = 16\nr3 = 0\nr4 = r10\n"
		 "r4 += %d\ncall bpf_ringbuf_reserve_dynptr\n%s", reserve_off, tail);
	vt_assemble(text, fixture_maps(target), &prog);
	vt_load(target, BPF_PROG_TYPE_SCHED_CLS, &prog, "GPL", 0, &res);
	int err = res.err;
	vt_close(target, res.fd);
	vt_result_free(&res);
	return err;
}

START_TEST(dynptr_offsets_as_the_kernel_decides)
{
	int checked = 0, mismatches = 0, accepted = 0;
	if (!kernel_cross_check())
		return; /* the kernel is the oracle of this sweep */
	for (int r = -48; r <= -8; r += 4)
		for (int u = -48; u <= -8; u += 4)
			for (int h = 0; h < 3; h++) {
				if (h && r != -16)
					continue; /* read/load sweeps keep the dynptr at fp-16 */
				int emu = dynptr_verdict(VT_EMU, r, u, h);
				int kernel = dynptr_verdict(VT_KERNEL, r, u, h);
				checked++;
				accepted += kernel == 0;
				if (emu != kernel) {
					mismatches++;
					fprintf(stderr, "reserve %d use %d kind %d: emulator %d, kernel "
						"%d\n", r, u, h, emu, kernel);
				}
			}
	ck_assert_msg(mismatches == 0, "%d of %d programs disagree", mismatches, checked);
	ck_assert_int_gt(accepted, 3);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		reserved_dynptr_is_submitted_or_discarded, dynptr_must_be_initialised,
		dynptr_slots_are_not_plain_memory, dynptr_data_lives_with_the_dynptr,
		read_and_write_keep_to_the_record, dynptr_offsets_as_the_kernel_decides, NULL,
	};
	return run_suite("verifier ring buffer dynptrs", tests);
}
