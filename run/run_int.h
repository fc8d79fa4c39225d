/* run_int.h - internals of ebpf-run: options, inputs, the report model (filled by the
 * runner, printed as text or JSON by report*.c), and the helpers between them.
 */
#ifndef EBPF_RUN_INT_H
#define EBPF_RUN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ebpf/load.h"

/* One input of a run: packet bytes and/or context bytes. */
struct run_input {
	char *label;       /* "hex", "file pkt.bin", "pcap x.pcap #3", "none" */
	uint8_t *data;     /* packet (data_in), NULL if none */
	size_t data_size;
	uint8_t *ctx;      /* context (ctx_in), NULL if none; shared by all runs */
	size_t ctx_size;
};

#define RUN_MAX_CPP_FLAGS 64 /* -I/-D/-U flags forwarded to the preprocessor */
#define RUN_MAX_SOCKETS 64   /* --socket options (the emulator's socket table size) */

struct run_options {
	const char *object;       /* input file */
	const char *program;      /* --prog NAME, NULL: first program */
	struct run_input *inputs; /* --data/--data-hex/--pcap, in order */
	size_t input_count;
	uint8_t *ctx;             /* --ctx FILE / --ctx-hex HEX */
	size_t ctx_size;
	const char *maps_in;      /* --maps-in FILE */
	uint32_t repeat;          /* --repeat N (default 1) */
	uint32_t log_level;       /* --log-level N */
	bool verify_only;         /* --verify-only */
	bool json;                /* --json */
	bool kernel;              /* --kernel */
	bool compare;             /* --compare */
	bool no_maps;             /* --no-maps */
	const char *expect;       /* --expect GOLDEN */
	bool update_golden;       /* --update-golden */
	bool timing;              /* --timing: phase durations to stderr */
	bool no_insn_counts;      /* --no-insn-counts: verdicts without processed counts */
	const char *cpp_flags[RUN_MAX_CPP_FLAGS]; /* -I DIR, -D N=V, -U N for .bpf.c input */
	size_t cpp_flag_count;
	struct bpf_sock sockets[RUN_MAX_SOCKETS]; /* --socket, as lookups report them */
	const char *socket_specs[RUN_MAX_SOCKETS]; /* their option text, for messages */
	size_t socket_count;
};

/* ---- report model ---- */

struct report_program {
	char *name, *section;
	uint32_t type;
	int error;            /* PROG_LOAD result: 0 accepted, negative errno rejected */
	uint32_t processed;   /* processed insns, 0 if unknown */
	char *log;            /* verifier log (printed when rejected or log_level > 0) */
	bool loaded;          /* false when not attempted (autoload off, earlier failure) */
	bool refused;         /* the loader refused it before PROG_LOAD (error says why) */
};

struct report_run {
	char *program;
	char *input;          /* input label */
	size_t input_size;
	int error;            /* PROG_TEST_RUN result, 0 or negative errno */
	uint32_t retval;
	uint32_t prog_type;
	uint8_t *data_out;    /* NULL when unchanged or no data */
	size_t data_out_size;
	bool data_changed;
};

struct report_entry {
	uint8_t *key;
	uint8_t *value;
	size_t value_size;    /* per-CPU maps: cpus * round_up(value_size, 8) */
	char *pretty;         /* "key => value" through BTF, NULL when no BTF */
};

struct report_map {
	char *name;
	uint32_t type, key_size, value_size, max_entries;
	uint32_t cpus;        /* per-CPU maps: CPUs in the values, else 0 */
	struct report_entry *entries;
	size_t entry_count;
	size_t zero_omitted;  /* all-zero array slots not listed */
	int error;            /* dump failure, 0 if none */
};

struct report_record {
	char *map;            /* ring buffer name, or "perf MAP" for perf event records */
	uint8_t *data;
	size_t size;
};

struct report {
	char *object;
	const char *backend;
	bool comparable;            /* omit backend and processed counts (for --compare) */
	bool no_insn_counts;        /* omit processed counts only (--no-insn-counts) */
	uint32_t log_level;
	struct report_program *programs;
	size_t program_count;
	struct report_run *runs;
	size_t run_count;
	struct report_map *maps;
	size_t map_count;
	char *trace;                /* trace_printk output, NULL when none */
	struct report_record *records;
	size_t record_count;
	uint64_t phase_ns[4];       /* open, load, runs, read-back: wall time (not printed) */
};

void report_free(struct report *r);
/* Render as text / JSON into a malloc'ed NUL-terminated string. */
char *report_text(const struct report *r);
char *report_json(const struct report *r);
/* Symbolic name of a return value for a program type ("XDP_PASS"), or NULL. */
const char *report_retval_name(uint32_t prog_type, uint32_t retval);

/* ---- pieces ---- */

/* input.c: parse hex ("0a 0b", "0a0b", "0a:0b"), read a file, read a pcap file.
 * Return 0 or -1 with a message in err. */
/* sockets.c: --socket tcp|udp:ADDR:PORT[,ADDR:PORT] for bpf_sk_lookup_*. parse: 0 or
 * -1 with a message; install_emulator: the emulator's table (0 or -errno);
 * open_kernel: real sockets into fds[socket_count] (0, or -errno with a message,
 * nothing left open); close_kernel closes fds[0..count). */
int sockets_parse(const char *spec, struct bpf_sock *out, char *err, size_t errlen);
int sockets_install_emulator(const struct run_options *opts);
int sockets_open_kernel(const struct run_options *opts, int *fds, char *err, size_t errlen);
void sockets_close_kernel(int *fds, size_t count);

int input_parse_hex(const char *text, uint8_t **out, size_t *size, char *err, size_t errlen);
int input_read_file(const char *path, uint8_t **out, size_t *size, char *err, size_t errlen);
int input_read_pcap(const char *path, struct run_options *opts, char *err, size_t errlen);
int input_add(struct run_options *opts, const char *label, uint8_t *data, size_t size);

/* maps_in.c: apply a --maps-in file to the loaded object's maps. */
int maps_in_apply(const char *path, struct ld_object *obj, uint32_t cpus, char *err,
		  size_t errlen);
/* Parse one value spec ("u32:5,ip:10.0.0.1,0a0b", "prog:NAME") into bytes; `obj`
 * (may be NULL) resolves prog:/map: names to fds. */
int maps_in_parse_value(const char *spec, struct ld_object *obj, uint8_t **out, size_t *size,
			char *err, size_t errlen);

/* btf_print.c: value of BTF type `id` at `data` as text ("{ .a = 1 }"), malloc'ed. */
char *btf_print_value(const struct objfmt_btf *btf, uint32_t id, const void *data,
		      size_t size);

/* dump.c: read every map of a loaded object into the report. */
int dump_maps(struct ld_object *obj, uint32_t cpus, struct report *r);
/* ringbuf.c: records of every ring buffer of the object (kernel: mmap; emulator:
 * ring_buffer__consume), appended to the report. */
int dump_ringbufs(struct ld_object *obj, bool kernel, struct report *r);
int dump_ringbuf_kernel(int map_fd, uint32_t size, const char *name, struct report *r);

/* perf.c (--kernel): give each PERF_EVENT_ARRAY a perf ring for CPU 0 before the runs,
 * and read its samples into the report ("perf MAP" records) after them; drain with a
 * NULL report only releases the rings. */
int perf_attach_kernel(struct ld_object *obj);
int perf_drain_kernel(struct report *r);
/* The same for the emulator: placeholder fds in slot 0, records read back after runs. */
int perf_attach_emulator(struct ld_object *obj);
int perf_drain_emulator(struct report *r);

/* diff.c: unified diff of two texts to `out`; returns 0 if equal, 1 if different. */
int diff_unified(const char *expected, const char *actual, const char *expected_label,
		 const char *actual_label, FILE *out);

/* open.c: open FILE (.o, .s, .c) as a loader object; fill an error message. */
struct ld_object *run_open_object(const char *path, const struct run_options *opts,
				  struct ld_diag *diag);
/* compile.c: preprocess (ebpf-cc -E) and compile (libcc, -O2 -g) a C file. */
struct ld_object *run_compile_c(const char *file, const struct run_options *opts,
				struct ld_diag *diag);
int run_diag(struct ld_diag *diag, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* runner.c: open, load, run and read back against one backend into `r`. Returns 0, or
 * a negative errno with the message in diag (the report holds what was done). */
int runner_execute(const struct run_options *opts, const struct ld_backend *backend,
		   struct report *r, struct ld_diag *diag);

/* hexdump helpers (report.c) */
void hex_bytes(FILE *out, const uint8_t *data, size_t size);

#endif /* EBPF_RUN_INT_H */
