/* runner.c - one ebpf-run execution against one backend, as a list of steps: open the
 * object, load it (every program, verdicts kept), pre-populate maps, run the selected
 * program on each input with BPF_PROG_TEST_RUN, then read maps, ring buffers and trace
 * output into the report.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ebpf/emu.h"
#include "run_int.h"

#define RUN_DATA_OUT_SLACK 4096 /* room for bpf_xdp_adjust_tail / skb growth */

static bool is_kernel(const struct ld_backend *backend)
{
	return backend == &ld_backend_kernel;
}

/* Possible CPUs as libbpf counts them: the ranges in /sys/devices/system/cpu/possible. */
static uint32_t kernel_possible_cpus(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	unsigned first, last;
	uint32_t count = 0;
	int c = ',';

	while (f && c == ',' && fscanf(f, "%u", &first) == 1) {
		last = first;
		if ((c = fgetc(f)) == '-' && fscanf(f, "%u", &last) == 1)
			c = fgetc(f);
		count += last - first + 1;
	}
	if (f)
		fclose(f);
	return count ? count : 1;
}

static int report_programs(struct ld_object *obj, struct report *r)
{
	size_t count = ld_object__program_count(obj);

	r->programs = calloc(count ? count : 1, sizeof(*r->programs));
	if (!r->programs)
		return -ENOMEM;
	for (size_t i = 0; i < count; i++) {
		const struct ld_program *prog = ld_object__program(obj, i);
		struct report_program *p = &r->programs[r->program_count++];
		p->name = strdup(ld_program__name(prog));
		p->section = strdup(ld_program__section_name(prog));
		p->type = ld_program__type(prog);
		p->error = ld_program__load_error(prog);
		p->loaded = ld_program__fd(prog) >= 0 || p->error;
		p->refused = p->error && !ld_program__submitted(prog);
		p->processed = ld_program__verified_insns(prog);
		p->log = strdup(ld_program__log(prog));
	}
	return 0;
}

static int test_run(struct ld_object *obj, const struct ld_program *prog,
		    const struct run_options *opts, const struct run_input *in,
		    struct report_run *run)
{
	size_t out_cap = in->data_size ? in->data_size + RUN_DATA_OUT_SLACK : 0;
	uint8_t *out = out_cap ? calloc(1, out_cap) : NULL;
	union bpf_attr attr;
	long err;

	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = (uint32_t)ld_program__fd(prog);
	attr.test.repeat = opts->repeat > 1 ? opts->repeat : 0; /* raw_tp and others refuse 1 */
	if (in->data_size) {
		attr.test.data_in = (uint64_t)(uintptr_t)in->data;
		attr.test.data_size_in = (uint32_t)in->data_size;
		attr.test.data_out = (uint64_t)(uintptr_t)out;
		attr.test.data_size_out = (uint32_t)out_cap;
	}
	if (opts->ctx_size) {
		attr.test.ctx_in = (uint64_t)(uintptr_t)opts->ctx;
		attr.test.ctx_size_in = (uint32_t)opts->ctx_size;
	}
	err = ld_bpf(ld_object__backend(obj), BPF_PROG_TEST_RUN, &attr, sizeof(attr));
	run->error = err < 0 ? (int)err : 0;
	run->retval = attr.test.retval;
	if (!err && in->data_size) {
		run->data_out_size = attr.test.data_size_out;
		run->data_changed = run->data_out_size != in->data_size ||
				    memcmp(out, in->data, in->data_size) != 0;
	}
	if (run->data_changed)
		run->data_out = out;
	else
		free(out);
	return 0;
}

static int run_inputs(struct ld_object *obj, const struct ld_program *prog,
		      const struct run_options *opts, struct report *r)
{
	struct run_input none = { (char *)"none", NULL, 0, NULL, 0 };
	size_t count = opts->input_count ? opts->input_count : 1;

	r->runs = calloc(count, sizeof(*r->runs));
	if (!r->runs)
		return -ENOMEM;
	for (size_t i = 0; i < count; i++) {
		const struct run_input *in = opts->input_count ? &opts->inputs[i] : &none;
		struct report_run *run = &r->runs[r->run_count++];
		run->program = strdup(ld_program__name(prog));
		run->input = strdup(in->label);
		run->input_size = in->data_size;
		run->prog_type = ld_program__type(prog);
		test_run(obj, prog, opts, in, run);
	}
	return 0;
}

/* Messages of our own process from the kernel's trace buffer, prefixes stripped. */
static char *kernel_trace(void)
{
	FILE *f = fopen("/sys/kernel/tracing/trace", "r");
	char line[1024], tag[32], *text = NULL;
	size_t len = 0;
	FILE *out;

	if (!f)
		f = fopen("/sys/kernel/debug/tracing/trace", "r");
	if (!f || !(out = open_memstream(&text, &len))) {
		if (f)
			fclose(f);
		return NULL;
	}
	snprintf(tag, sizeof(tag), "-%d ", (int)getpid());
	while (fgets(line, sizeof(line), f)) {
		char *msg = strstr(line, "bpf_trace_printk: ");
		if (line[0] != '#' && msg && strstr(line, tag))
			fputs(msg + strlen("bpf_trace_printk: "), out);
	}
	fclose(f);
	fclose(out);
	return text;
}

/* Whether any loaded program calls bpf_trace_printk (6) or bpf_trace_vprintk (177). */
static bool uses_trace_printk(struct ld_object *obj)
{
	for (size_t i = 0; i < ld_object__program_count(obj); i++) {
		const struct ld_program *prog = ld_object__program(obj, i);
		const struct objfmt_insn *insns = ld_program__insns(prog);
		for (size_t j = 0; j < ld_program__insn_count(prog); j++)
			if (insns[j].code == 0x85 && insns[j].src_reg == 0 &&
			    (insns[j].imm == 6 || insns[j].imm == 177))
				return true;
	}
	return false;
}

static char *emulator_trace(void)
{
	unsigned long len = 0;
	const char *raw = emu_trace_output(&len);
	return raw && len ? strdup(raw) : NULL;
}

/* Deterministic runs: CPU 0 (per-CPU slots, ring buffer), fixed clock and seed. */
static void prepare_backend(const struct ld_backend *backend)
{
	if (is_kernel(backend)) {
		cpu_set_t cpus;
		CPU_ZERO(&cpus);
		CPU_SET(0, &cpus);
		sched_setaffinity(0, sizeof(cpus), &cpus); /* test runs execute on this CPU */
		return;
	}
	emu_run_config_reset();
	emu_config_set_current_cpu(0);
	emu_trace_clear();
}

static int select_program(struct ld_object *obj, const char *name,
			  const struct ld_program **out, struct ld_diag *diag)
{
	if (ld_object__program_count(obj) == 0)
		return run_diag(diag, -ENOENT,
			"%s: no programs (no function in a program section such as SEC(\"xdp\"))",
			ld_object__name(obj));
	*out = name ? ld_object__find_program(obj, name) : ld_object__program(obj, 0);
	if (!*out)
		return run_diag(diag, -ENOENT, "%s: no program named '%s'",
					  ld_object__name(obj), name);
	if (name) /* asking for a SEC("?...") program loads it */
		ld_program__set_autoload((struct ld_program *)*out, true);
	return 0;
}

/* The running kernel's BTF, target of CO-RE relocations with --kernel. */
static struct objfmt_btf *kernel_btf(struct ld_diag *diag)
{
	const char *path = "/sys/kernel/btf/vmlinux";
	struct objfmt_diag odiag = {{0}, {0}};
	uint8_t *bytes;
	size_t size;
	char err[300];

	if (input_read_file(path, &bytes, &size, err, sizeof(err))) {
		run_diag(diag, -ENOENT, "CO-RE relocations and tracing programs need the kernel's "
			 "BTF: %s", err);
		return NULL;
	}
	struct objfmt_btf *btf = objfmt_btf__decode(bytes, size, &odiag);
	free(bytes);
	if (!btf)
		run_diag(diag, -EINVAL, "%s: %s", path, odiag.message);
	return btf;
}

/* The emulated kernel's BTF (doc/core.md), target of CO-RE relocations otherwise;
 * borrowed from the emulator, which decodes it once. */
static const struct objfmt_btf *emulator_btf(struct ld_diag *diag)
{
	const void *bytes;
	unsigned long size;
	int err = emu_kernel_btf(&bytes, &size, NULL);
	const struct objfmt_btf *btf = err ? NULL : emu_kernel_btf_model();

	if (!btf)
		run_diag(diag, err ? err : -EINVAL, "the emulated kernel's BTF: %s",
			 strerror(err ? -err : EINVAL));
	return btf;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int runner_execute(const struct run_options *opts, const struct ld_backend *backend,
		   struct report *r, struct ld_diag *diag)
{
	uint64_t start = now_ns(), mark;
	struct ld_load_opts load_opts = { sizeof(load_opts), opts->log_level, 0, true, NULL };
	const struct ld_program *prog = NULL;
	int socket_fds[RUN_MAX_SOCKETS];  /* --kernel: the real sockets of --socket */
	size_t sockets_open = 0;
	struct ld_object *obj = run_open_object(opts->object, opts, diag);
	uint32_t cpus;
	int err;

	r->phase_ns[0] = (mark = now_ns()) - start;
	r->backend = backend->name;
	const char *slash = strrchr(opts->object, '/');
	r->object = strdup(slash ? slash + 1 : opts->object); /* stable across build dirs */
	r->log_level = opts->log_level;
	if (!obj)
		return -EINVAL;
	if ((err = select_program(obj, opts->program, &prog, diag)))
		goto out;
	prepare_backend(backend);
	cpus = is_kernel(backend) ? kernel_possible_cpus() : emu_config_cpus();
	struct objfmt_btf *target = NULL; /* owned: the running kernel's */
	if (ld_object__needs_kernel_btf(obj) &&
	    !(load_opts.core_target = is_kernel(backend) ? (target = kernel_btf(diag))
							 : emulator_btf(diag))) {
		err = -ENOENT;
		goto out;
	}
	if (!is_kernel(backend) && (err = emu_kobj_install())) { /* --task objects */
		objfmt_btf__free(target);
		err = run_diag(diag, err, "kernel objects: %s", strerror(-err));
		goto out;
	}
	err = ld_object__load(obj, backend, &load_opts, diag);
	objfmt_btf__free(target);
	r->phase_ns[1] = now_ns() - mark;
	report_programs(obj, r);
	if (err || opts->verify_only)
		goto out;
	char message[600];
	if (opts->maps_in && maps_in_apply(opts->maps_in, obj, cpus, message, sizeof(message))) {
		err = run_diag(diag, -EINVAL, "%s", message);
		goto out;
	}
	if (is_kernel(backend) ? sockets_open_kernel(opts, socket_fds, message, sizeof(message))
			       : sockets_install_emulator(opts)) {
		err = run_diag(diag, -EINVAL, "%s", is_kernel(backend) ? message
					: "--socket: the emulator's socket table is full");
		goto out;
	}
	sockets_open = is_kernel(backend) ? opts->socket_count : 0;
	if ((err = is_kernel(backend) ? perf_attach_kernel(obj) : perf_attach_emulator(obj))) {
		err = run_diag(diag, err, "%s: perf event output: %s", ld_object__name(obj),
			       strerror(-err));
		goto out;
	}
	mark = now_ns();
	if ((err = run_inputs(obj, prog, opts, r)))
		goto out;
	r->phase_ns[2] = (start = now_ns()) - mark;
	if (!opts->no_maps)
		dump_maps(obj, cpus, r);
	dump_ringbufs(obj, is_kernel(backend), r);
	r->trace = is_kernel(backend) ? kernel_trace() : emulator_trace();
	if (is_kernel(backend) && !r->trace && uses_trace_printk(obj))
		r->trace = strdup("(unavailable: tracefs is not mounted at /sys/kernel/tracing)\n");
	r->phase_ns[3] = now_ns() - start;
out:
	sockets_close_kernel(socket_fds, sockets_open);
	if (is_kernel(backend))
		perf_drain_kernel(err ? NULL : r); /* releases the rings in any case */
	else
		perf_drain_emulator(err ? NULL : r);
	ld_object__free(obj);
	return err;
}
