/* main.c - ebpf-run: load an object, verify and run its program on inputs through the
 * emulated kernel (default) or the real one (--kernel), and print one stable report;
 * --expect/--update-golden keep golden files, --compare checks both backends agree.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "ebpf/emu.h"
#include "run_int.h"

enum { OPT_DATA_HEX = 256, OPT_CTX_HEX, OPT_MAPS_IN, OPT_VERIFY_ONLY, OPT_EXPECT,
       OPT_UPDATE_GOLDEN, OPT_JSON, OPT_KERNEL, OPT_COMPARE, OPT_REPEAT, OPT_LOG_LEVEL,
       OPT_DUMP_MAPS, OPT_NO_MAPS, OPT_VERSION, OPT_PCAP, OPT_CTX, OPT_DATA, OPT_PROG,
       OPT_TIMING, OPT_NO_INSN_COUNTS, OPT_TASK, OPT_CHECKED, OPT_SOCKET };

static const struct option long_options[] = {
	{"prog", required_argument, NULL, OPT_PROG},
	{"data", required_argument, NULL, OPT_DATA},
	{"data-hex", required_argument, NULL, OPT_DATA_HEX},
	{"pcap", required_argument, NULL, OPT_PCAP},
	{"ctx", required_argument, NULL, OPT_CTX},
	{"ctx-hex", required_argument, NULL, OPT_CTX_HEX},
	{"maps-in", required_argument, NULL, OPT_MAPS_IN},
	{"repeat", required_argument, NULL, OPT_REPEAT},
	{"log-level", required_argument, NULL, OPT_LOG_LEVEL},
	{"verify-only", no_argument, NULL, OPT_VERIFY_ONLY},
	{"dump-maps", no_argument, NULL, OPT_DUMP_MAPS},
	{"no-maps", no_argument, NULL, OPT_NO_MAPS},
	{"expect", required_argument, NULL, OPT_EXPECT},
	{"update-golden", no_argument, NULL, OPT_UPDATE_GOLDEN},
	{"json", no_argument, NULL, OPT_JSON},
	{"kernel", no_argument, NULL, OPT_KERNEL},
	{"compare", no_argument, NULL, OPT_COMPARE},
	{"timing", no_argument, NULL, OPT_TIMING},
	{"no-insn-counts", no_argument, NULL, OPT_NO_INSN_COUNTS},
	{"task", required_argument, NULL, OPT_TASK},
	{"checked", no_argument, NULL, OPT_CHECKED},
	{"socket", required_argument, NULL, OPT_SOCKET},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{NULL, 0, NULL, 0},
};

static void usage(FILE *out)
{
	fputs("usage: ebpf-run FILE.(o|s|c) [--prog NAME]\n"
	      "                [--data FILE | --data-hex HEX | --pcap FILE]...\n"
	      "                [--ctx FILE | --ctx-hex HEX] [--maps-in FILE] [--repeat N]\n"
	      "                [--log-level N] [--verify-only] [--no-maps] [--json] [--timing]\n"
	      "                [--no-insn-counts] [--task PATH=VALUE]... [--checked]\n"
	      "                [--socket tcp|udp:ADDR:PORT[,ADDR:PORT]]...\n"
	      "                [--expect GOLDEN [--update-golden]] [--kernel | --compare]\n"
	      "                [-I DIR] [-D NAME[=VALUE]] [-U NAME]\n"
	      "Load FILE's maps and programs, verify every program and run one (--prog, default\n"
	      "the first) on each input with BPF_PROG_TEST_RUN; print the report (doc/run.md).\n"
	      "FILE.s is assembled, FILE.c preprocessed (ebpf-cc -E with -I/-D/-U) and compiled\n"
	      "(-O2 -g) in-process first.\n"
	      "  --data FILE       packet bytes from a raw file (one run per option)\n"
	      "  --data-hex HEX    packet bytes as hex (one run per option)\n"
	      "  --pcap FILE       every packet of a capture, one run each\n"
	      "  --ctx FILE|--ctx-hex HEX   context (ctx_in) for every run\n"
	      "  --maps-in FILE    'MAP KEY VALUE' lines applied before the runs\n"
	      "  --verify-only     verdicts and logs (level 1 unless --log-level) only; exit 1\n"
	      "                    if any program is rejected\n"
	      "  --expect GOLDEN   compare the report with GOLDEN, print a unified diff, exit 1\n"
	      "                    on mismatch; with --update-golden rewrite GOLDEN instead\n"
	      "  --kernel          use the real kernel's bpf() syscall (root) instead of the\n"
	      "                    emulator; --compare runs both and reports differences\n"
	      "  --timing          print the duration of open, load, runs and read-back to stderr\n"
	      "  --no-insn-counts  leave processed-insn counts out, for goldens that must survive\n"
	      "                    verifier changes and kernel versions\n"
	      "  --task PATH=VALUE set a member of the emulator's current task_struct, which\n"
	      "                    bpf_probe_read_kernel reads (pid=7, comm=bash,\n"
	      "                    real_parent.tgid=1; doc/core.md)\n"
	      "  --checked         checked execution in the emulator: every memory access is\n"
	      "                    checked against the regions the program may touch; a\n"
	      "                    violation fails the run (doc/exec.md)\n"
	      "  --socket tcp|udp:ADDR:PORT[,REMOTE:PORT]  a socket bpf_sk_lookup_tcp/udp find:\n"
	      "                    listening (tcp) or bound (udp), or connected to REMOTE;\n"
	      "                    [v6]:port for IPv6 (emulator table; --kernel: real sockets)\n",
	      out);
}

static int parse_count(const char *text, uint32_t *out)
{
	char *end;
	unsigned long value = strtoul(text, &end, 10);
	if (!*text || *end || value > UINT32_MAX)
		return -1;
	*out = (uint32_t)value;
	return 0;
}

static bool task_given; /* --task: kernel objects exist only in the emulator */

/* One option into opts; returns 0, 1 (user error, message printed) or 2 (usage). */
static int take_option(int c, struct run_options *opts)
{
	char err[400] = "";
	uint8_t *bytes;
	size_t size;

	switch (c) {
	case OPT_PROG: opts->program = optarg; return 0;
	case OPT_MAPS_IN: opts->maps_in = optarg; return 0;
	case OPT_VERIFY_ONLY: opts->verify_only = true; return 0;
	case OPT_DUMP_MAPS: opts->no_maps = false; return 0;
	case OPT_NO_MAPS: opts->no_maps = true; return 0;
	case OPT_EXPECT: opts->expect = optarg; return 0;
	case OPT_UPDATE_GOLDEN: opts->update_golden = true; return 0;
	case OPT_JSON: opts->json = true; return 0;
	case OPT_KERNEL: opts->kernel = true; return 0;
	case OPT_COMPARE: opts->compare = true; return 0;
	case OPT_TIMING: opts->timing = true; return 0;
	case OPT_NO_INSN_COUNTS: opts->no_insn_counts = true; return 0;
	case OPT_CHECKED: /* read by the emulator at its first run */
		setenv("EBPF_EMU_CHECKED", "1", 1);
		return 0;
	case OPT_SOCKET: /* for bpf_sk_lookup_* (doc/run.md) */
		if (opts->socket_count == RUN_MAX_SOCKETS) {
			snprintf(err, sizeof(err), "more than %d --socket options", RUN_MAX_SOCKETS);
			break;
		}
		if (sockets_parse(optarg, &opts->sockets[opts->socket_count], err, sizeof(err)))
			break;
		opts->socket_specs[opts->socket_count++] = optarg;
		return 0;
	case OPT_TASK: /* the emulator's current task_struct (doc/core.md) */
		if (emu_kobj_assign(optarg, err, sizeof(err)))
			break;
		task_given = true;
		return 0;
	case OPT_REPEAT:
	case OPT_LOG_LEVEL:
		if (parse_count(optarg, c == OPT_REPEAT ? &opts->repeat : &opts->log_level)) {
			fprintf(stderr, "ebpf-run: error: '%s' is not a count\n", optarg);
			return 2;
		}
		return 0;
	case OPT_DATA_HEX:
	case OPT_CTX_HEX:
		if (input_parse_hex(optarg, &bytes, &size, err, sizeof(err)))
			break;
		goto got_bytes;
	case OPT_DATA:
	case OPT_CTX:
		if (input_read_file(optarg, &bytes, &size, err, sizeof(err)))
			break;
	got_bytes:
		if (c == OPT_CTX || c == OPT_CTX_HEX) {
			free(opts->ctx);
			opts->ctx = bytes;
			opts->ctx_size = size;
			return 0;
		}
		char label[300];
		const char *base = strrchr(optarg, '/') ? strrchr(optarg, '/') + 1 : optarg;
		snprintf(label, sizeof(label), c == OPT_DATA ? "file %s" : "hex", base);
		return input_add(opts, label, bytes, size) ? 1 : 0;
	case OPT_PCAP:
		if (input_read_pcap(optarg, opts, err, sizeof(err)))
			break;
		return 0;
	default:
		return 2;
	}
	fprintf(stderr, "ebpf-run: error: %s\n", err);
	return 1;
}

static int parse_args(int argc, char **argv, struct run_options *opts)
{
	int c, status;

	bool log_level_given = false;

	opts->repeat = 1;
	while ((c = getopt_long(argc, argv, "hI:D:U:", long_options, NULL)) != -1) {
		log_level_given |= c == OPT_LOG_LEVEL;
		if (c == 'I' || c == 'D' || c == 'U') { /* preprocessor flags for .bpf.c input */
			if (opts->cpp_flag_count + 2 > RUN_MAX_CPP_FLAGS) {
				fprintf(stderr, "ebpf-run: error: too many -I/-D/-U options\n");
				return 2;
			}
			opts->cpp_flags[opts->cpp_flag_count++] = c == 'I' ? "-I" : c == 'D' ? "-D" : "-U";
			opts->cpp_flags[opts->cpp_flag_count++] = optarg;
			continue;
		}
		if (c == 'h') {
			usage(stdout);
			exit(0);
		}
		if (c == OPT_VERSION) {
			printf("ebpf-run (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			exit(0);
		}
		if ((status = take_option(c, opts)))
			return status;
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "ebpf-run: error: expected exactly one object file\n");
		usage(stderr);
		return 2;
	}
	if ((opts->update_golden && !opts->expect) || (opts->kernel && opts->compare)) {
		fprintf(stderr, "ebpf-run: error: %s\n", opts->kernel && opts->compare
			? "--kernel and --compare exclude each other"
			: "--update-golden needs --expect GOLDEN");
		return 2;
	}
	if (task_given && (opts->kernel || opts->compare)) {
		fprintf(stderr, "ebpf-run: error: --task sets the emulator's kernel objects: not "
			"with --%s\n", opts->kernel ? "kernel" : "compare");
		return 2;
	}
	opts->object = argv[optind];
	if (opts->verify_only && !log_level_given)
		opts->log_level = 1; /* --verify-only: a verdict and a log for every program */
	return 0;
}

static void free_options(struct run_options *opts)
{
	for (size_t i = 0; i < opts->input_count; i++) {
		free(opts->inputs[i].label);
		free(opts->inputs[i].data);
	}
	free(opts->inputs);
	free(opts->ctx);
}

/* Run against one backend; returns the rendered report (NULL when nothing could be
 * reported) and sets *status to 0 or 1. */
static char *run_backend(const struct run_options *opts, const struct ld_backend *backend,
			 bool comparable, int *status)
{
	struct report report = {0};
	struct ld_diag diag = {{0}};
	char *text = NULL;

	report.comparable = comparable;
	report.no_insn_counts = opts->no_insn_counts;
	int err = runner_execute(opts, backend, &report, &diag);
	if (err)
		fprintf(stderr, "%s\n", diag.message[0] ? diag.message : strerror(-err));
	*status = err ? 1 : 0;
	if (opts->timing)
		fprintf(stderr, "ebpf-run: timing (%s): open %llu us, load %llu us, runs %llu us, "
			"read-back %llu us\n", backend->name,
			(unsigned long long)report.phase_ns[0] / 1000, (unsigned long long)report.phase_ns[1] / 1000,
			(unsigned long long)report.phase_ns[2] / 1000, (unsigned long long)report.phase_ns[3] / 1000);
	if (report.program_count || !err)
		text = opts->json ? report_json(&report) : report_text(&report);
	report_free(&report);
	return text;
}

static int read_text(const char *path, char **out)
{
	uint8_t *bytes;
	size_t size;
	char err[400];

	if (input_read_file(path, &bytes, &size, err, sizeof(err))) {
		fprintf(stderr, "ebpf-run: error: %s\n", err);
		return -1;
	}
	bytes = realloc(bytes, size + 1);
	bytes[size] = '\0';
	*out = (char *)bytes;
	return 0;
}

/* Replace `path` atomically: temporary file in the same directory, then rename. */
static int write_golden(const char *path, const char *text)
{
	size_t len = strlen(path);
	char *tmp = malloc(len + 16);
	int fd;

	snprintf(tmp, len + 16, "%s.tmpXXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) || fsync(fd) ||
	    close(fd) || rename(tmp, path)) {
		fprintf(stderr, "ebpf-run: error: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			unlink(tmp);
		free(tmp);
		return 1;
	}
	free(tmp);
	return 0;
}

static int finish(const struct run_options *opts, const char *text, int status)
{
	char *golden = NULL;
	int different;

	if (!opts->expect) {
		fputs(text, stdout);
		return status;
	}
	if (opts->update_golden)
		return write_golden(opts->expect, text) ? 1 : status;
	if (read_text(opts->expect, &golden))
		return 1;
	different = diff_unified(golden, text, opts->expect, "actual", stdout);
	free(golden);
	if (different)
		fprintf(stderr, "ebpf-run: report differs from %s\n", opts->expect);
	return different ? 1 : status;
}

static int compare_backends(const struct run_options *opts)
{
	int emu_status, kernel_status, status;
	char *emu = run_backend(opts, &ld_backend_emulator, true, &emu_status);
	char *kernel = run_backend(opts, &ld_backend_kernel, true, &kernel_status);

	if (!emu || !kernel) {
		free(emu);
		free(kernel);
		return 1;
	}
	if (diff_unified(emu, kernel, "emulator", "kernel", stdout)) {
		fprintf(stderr, "ebpf-run: emulator and kernel disagree\n");
		status = 1;
	} else {
		printf("emulator and kernel agree\n");
		status = emu_status | kernel_status;
	}
	free(emu);
	free(kernel);
	return status;
}

int main(int argc, char **argv)
{
	struct run_options opts = {0};
	int status = parse_args(argc, argv, &opts);
	char *text;

	if (status) {
		free_options(&opts);
		return status;
	}
	if (opts.compare) {
		status = compare_backends(&opts);
	} else {
		text = run_backend(&opts, opts.kernel ? &ld_backend_kernel : &ld_backend_emulator,
				   false, &status);
		status = text ? finish(&opts, text, status) : 1;
		free(text);
	}
	if (emu_checked_violations()) { /* --checked / EBPF_EMU_CHECKED=1 */
		fprintf(stderr, "ebpf-run: error: %s\n", emu_checked_last_report());
		status = 1;
	}
	free_options(&opts);
	return status;
}
