/* conformance_plugin.c - ebpf-conformance-plugin: runs one program with the
 * bpf_conformance plugin protocol. Program bytes as hex on stdin, after --program, or
 * from the first executable section of an ELF object (--object); initial memory as hex
 * in the first argument, passed as r1 (NULL when empty) and r2 (its length); prints r0
 * in hex. Helper 5 is the conformance runtimes' "unwind" helper (returns r1 and ends
 * the program when it is 0), every other helper id is the kernel's. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "interp.h"

#define PLUGIN_TIMEOUT_SECONDS 10
#define UNWIND_HELPER_ID 5

struct bytes {
	uint8_t *data;
	size_t len;
};

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Hex digit pairs, whitespace between pairs ignored ("b7 00", "b700"). */
static int parse_hex(const char *text, struct bytes *out)
{
	size_t cap = strlen(text) / 2 + 1, n = 0;
	uint8_t *data = malloc(cap);

	if (!data)
		return -ENOMEM;
	for (const char *p = text; *p;) {
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (hex_value(p[0]) < 0 || hex_value(p[1]) < 0) {
			free(data);
			return -EINVAL;
		}
		data[n++] = (uint8_t)(hex_value(p[0]) << 4 | hex_value(p[1]));
		p += 2;
	}
	out->data = data;
	out->len = n;
	return 0;
}

static char *read_stream(FILE *in)
{
	size_t cap = 4096, len = 0, got;
	char *text = malloc(cap);

	while (text && (got = fread(text + len, 1, cap - len - 1, in)) > 0) {
		len += got;
		if (len + 1 == cap) {
			char *bigger = realloc(text, cap *= 2);

			if (!bigger)
				free(text);
			text = bigger;
		}
	}
	if (text)
		text[len] = '\0';
	return text;
}

/* Bytes of the first executable section of an ELF object. */
static int read_object(const char *path, struct bytes *out)
{
	struct objfmt_diag diag = { { 0 }, { 0 } };
	struct objfmt_object *obj = objfmt_elf_read_file(path, &diag);

	if (!obj) {
		fprintf(stderr, "error: %s: %s\n", path, diag.message);
		return -EINVAL;
	}
	for (size_t i = 0; i < objfmt_object__section_count(obj); i++) {
		const struct objfmt_section *sec = objfmt_object__section(obj, i);

		if ((sec->flags & OBJFMT_SHF_EXECINSTR) && sec->size) {
			out->data = malloc(sec->size);
			if (!out->data)
				break;
			memcpy(out->data, sec->data, sec->size);
			out->len = sec->size;
			objfmt_object__free(obj);
			return 0;
		}
	}
	objfmt_object__free(obj);
	fprintf(stderr, "error: %s: no executable section\n", path);
	return -EINVAL;
}

/* uBPF's unwind helper: a zero argument ends the program with r0 = 0. */
static uint64_t plugin_unwind(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5)
{
	struct emu_run *run = emu_run_current();

	if (r1 == 0) {
		run->stop = true;
		run->stop_r0 = 0;
	}
	return r1;
}

static void plugin_timeout(int sig)
{
	static const char msg[] = "error: program did not finish in time\n";

	(void)sig;
	(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
	_exit(1);
}

/* Programs run unverified here: a wild access ends the run with an error, not a
 * crash report. */
static void plugin_memory_fault(int sig)
{
	static const char msg[] = "error: invalid memory access\n";

	(void)sig;
	(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
	_exit(1);
}

static int run_program(const struct bytes *code, struct bytes *memory)
{
	struct objfmt_diag diag = { { 0 }, { 0 } };
	struct emu_prog prog = { .type = BPF_PROG_TYPE_SOCKET_FILTER };
	struct emu_run run = { 0 };
	uint64_t r0;
	int err;

	if (!code->len || code->len % sizeof(struct objfmt_insn)) {
		fprintf(stderr, "error: program size %zu is not a multiple of 8\n", code->len);
		return 1;
	}
	prog.insns = (struct objfmt_insn *)code->data;
	prog.insn_cnt = (uint32_t)(code->len / sizeof(struct objfmt_insn));
	emu_helper_override(UNWIND_HELPER_ID, plugin_unwind);
	err = emu_interp_prepare(&prog, &diag);
	if (err) {
		if (diag.where[0])
			fprintf(stderr, "error: %s: %s\n", diag.where, diag.message);
		else
			fprintf(stderr, "error: %s\n", diag.message[0] ? diag.message : strerror(-err));
		return 1;
	}
	signal(SIGALRM, plugin_timeout);
	signal(SIGSEGV, plugin_memory_fault);
	signal(SIGBUS, plugin_memory_fault);
	alarm(PLUGIN_TIMEOUT_SECONDS);
	r0 = emu_interp_run(&run, &prog, memory->len ? (uint64_t)(uintptr_t)memory->data : 0,
			    memory->len);
	emu_interp_release(&prog);
	if (run.fault) {
		fprintf(stderr, "error: %s\n", run.fault_msg);
		return 1;
	}
	printf("%" PRIx64 "\n", r0);
	return 0;
}

static void usage(FILE *out)
{
	fputs("Usage: ebpf-conformance-plugin [MEMORY-HEX] [--program HEX | --object FILE.o]\n"
	      "Run one eBPF program with the bpf_conformance plugin protocol: the program as\n"
	      "hex bytes on stdin (or --program / --object), r1 = MEMORY (r2 = its length);\n"
	      "prints r0 in hex.\n", out);
}

int main(int argc, char **argv)
{
	const char *memory_hex = "", *program_hex = NULL, *object = NULL;
	struct bytes code = { 0 }, memory = { 0 };
	char *text = NULL;
	int status;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--program") && i + 1 < argc)
			program_hex = argv[++i];
		else if (!strcmp(argv[i], "--object") && i + 1 < argc)
			object = argv[++i];
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return usage(stdout), 0;
		else if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version"))
			return puts("ebpf-conformance-plugin " PACKAGE_VERSION), 0;
		else if (argv[i][0] == '-' && argv[i][1] == '-')
			return usage(stderr), 2;
		else
			memory_hex = argv[i];
	}
	status = 1;
	if (parse_hex(memory_hex, &memory)) {
		fprintf(stderr, "error: memory is not hex bytes\n");
		goto out;
	}
	if (object) {
		if (read_object(object, &code))
			goto out;
	} else {
		text = program_hex ? strdup(program_hex) : read_stream(stdin);
		if (!text || parse_hex(text, &code)) {
			fprintf(stderr, "error: program is not hex bytes\n");
			goto out;
		}
	}
	status = run_program(&code, &memory);
out:
	free(text);
	free(code.data);
	free(memory.data);
	return status;
}
