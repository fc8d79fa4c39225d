/* diff_tp_btf.c - tp_btf and iterator differential test: for every btf_trace_ hook
 * and bpf_iter_ function of the host's vmlinux BTF, a program reads each of the first
 * seven ctx slots, and one more also dereferences what it read; each is loaded into
 * the emulated kernel and the real one and the verdicts compared (hooks, argument
 * counts, NULL-able and function pointer arguments, kernel object pointers). A program we accept that the kernel rejects
 * fails the test. Needs root and the host BTF (exit 77). Usage: diff_tp_btf [-v]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ebpf/emu.h"
#include "vtest.h"

#define SLOTS 7
#define TRACE_PREFIX "btf_trace_"
#define ITER_PREFIX "bpf_iter_"

/* Verdict counts of the run. */
struct tally {
	int programs;
	int unsafe; /* we accept, the kernel rejects */
	int gaps;   /* we reject, the kernel accepts */
};

static bool host_btf(void)
{
	const void *data;
	unsigned long size;
	const char *source = "";

	return emu_kernel_btf(&data, &size, &source) == 0 &&
	       !strcmp(source, "/sys/kernel/btf/vmlinux");
}

static void compare(uint32_t attach, uint32_t hook, const char *name, const char *text,
		    bool verbose, struct tally *tally)
{
	static struct vt_prog prog;
	struct vt_result emu, kernel;

	vt_assemble(text, NULL, &prog);
	vt_load_attach(VT_EMU, BPF_PROG_TYPE_TRACING, attach, hook, &prog, "GPL", 1, VT_LOG_SIZE,
		       &emu);
	vt_load_attach(VT_KERNEL, BPF_PROG_TYPE_TRACING, attach, hook, &prog, "GPL", 1,
		       VT_LOG_SIZE, &kernel);
	tally->programs++;
	if (!emu.err != !kernel.err) {
		bool unsafe = !emu.err;
		tally->unsafe += unsafe;
		tally->gaps += !unsafe;
		if (verbose || unsafe)
			printf("%s: %s: emulator %d, kernel %d\n%s\n---\n%s", unsafe ? "UNSAFE" : "gap",
			       name, emu.err, kernel.err, text, unsafe ? kernel.log : emu.log);
	}
	vt_close(VT_EMU, emu.fd);
	vt_close(VT_KERNEL, kernel.fd);
	vt_result_free(&emu);
	vt_result_free(&kernel);
}

/* The attach type whose hooks are type `t`, or 0. */
static uint32_t hook_attach(const struct objfmt_btf_type *t)
{
	if (!t || !t->name)
		return 0;
	if (t->kind == OBJFMT_BTF_TYPEDEF && !strncmp(t->name, TRACE_PREFIX, strlen(TRACE_PREFIX)))
		return BPF_TRACE_RAW_TP;
	if (t->kind == OBJFMT_BTF_FUNC && !strncmp(t->name, ITER_PREFIX, strlen(ITER_PREFIX)))
		return BPF_TRACE_ITER;
	return 0;
}

int main(int argc, char **argv)
{
	bool verbose = argc > 1 && !strcmp(argv[1], "-v");
	struct tally tally = { 0 };
	char text[128];

	if (!vt_kernel_available() || !host_btf()) {
		fprintf(stderr, "diff_tp_btf: needs root and /sys/kernel/btf/vmlinux: SKIP\n");
		return 77;
	}
	const struct objfmt_btf *btf = emu_kernel_btf_model();
	uint32_t count = objfmt_btf__type_count(btf);
	for (uint32_t id = 1; id < count; id++) {
		const struct objfmt_btf_type *t = objfmt_btf__type(btf, id);
		uint32_t attach = hook_attach(t);
		if (!attach)
			continue;
		for (int slot = 0; slot < SLOTS; slot++) {
			snprintf(text, sizeof(text), "r2 = *(u64 *)(r1 + %d)\nr0 = 0\nexit", slot * 8);
			compare(attach, id, t->name, text, verbose, &tally);
			snprintf(text, sizeof(text),
				 "r2 = *(u64 *)(r1 + %d)\nr0 = *(u8 *)(r2 + 0)\nr0 = 0\nexit",
				 slot * 8);
			compare(attach, id, t->name, text, verbose, &tally);
		}
	}
	printf("diff_tp_btf: %d programs, verdicts agree %d; we accept/kernel rejects %d; "
	       "we reject/kernel accepts %d\n", tally.programs,
	       tally.programs - tally.unsafe - tally.gaps, tally.unsafe, tally.gaps);
	return tally.unsafe ? EXIT_FAILURE : EXIT_SUCCESS;
}
