/* objdump_main.c - ebpf-objdump: read BPF ELF objects and print their disassembly
 * (LLVM or mnemonic dialect), relocations, section headers, symbols, BTF or a
 * Graphviz CFG. Exit status: 0 success, 1 bad input, 2 bad usage. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "objdump_int.h"

enum { EXIT_BAD_INPUT = 1, EXIT_USAGE = 2 };
enum { OPTION_BTF = 256, OPTION_CFG, OPTION_DIALECT, OPTION_HELP, OPTION_VERSION };

static const char usage_text[] =
	"Usage: ebpf-objdump [OPTION]... FILE.o...\n"
	"Print what a BPF ELF object holds, as llvm-objdump prints it.\n"
	"\n"
	"  -d                  disassemble code sections (same text as llvm-objdump -d)\n"
	"  -r                  relocations (inline with -d)\n"
	"  -h                  section headers\n"
	"  -t                  symbol table\n"
	"      --btf           dump the .BTF types, one per line, like bpftool btf dump\n"
	"      --cfg=dot       Graphviz control-flow graph per program\n"
	"      --dialect=D     llvm (default) or mnemonic (the conformance-suite assembly\n"
	"                      dialect, which ebpf-as reads back)\n"
	"      --help          print this help and exit\n"
	"      --version       print the version and exit\n"
	"\n"
	"Exit status: 0 success, 1 bad input, 2 bad usage.\n";

static int usage_error(const char *fmt, const char *arg)
{
	fputs("ebpf-objdump: error: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'ebpf-objdump --help' for more information.\n", stderr);
	return EXIT_USAGE;
}

/* Parse the command line into `options`; returns -1 to go on, else an exit status. */
static int parse_options(int argc, char **argv, struct objdump_options *options)
{
	static const struct option long_options[] = {
		{ "btf", no_argument, NULL, OPTION_BTF },
		{ "cfg", required_argument, NULL, OPTION_CFG },
		{ "dialect", required_argument, NULL, OPTION_DIALECT },
		{ "help", no_argument, NULL, OPTION_HELP },
		{ "version", no_argument, NULL, OPTION_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "drht", long_options, NULL)) != -1) {
		switch (c) {
		case 'd': options->disassemble = true; break;
		case 'r': options->relocations = true; break;
		case 'h': options->headers = true; break;
		case 't': options->symbols = true; break;
		case OPTION_BTF: options->btf = true; break;
		case OPTION_CFG:
			if (strcmp(optarg, "dot") != 0)
				return usage_error("unknown CFG format '%s' (expected dot)", optarg);
			options->cfg = true;
			break;
		case OPTION_DIALECT:
			if (strcmp(optarg, "llvm") == 0)
				options->dialect = OBJFMT_DIALECT_LLVM;
			else if (strcmp(optarg, "mnemonic") == 0)
				options->dialect = OBJFMT_DIALECT_MNEMONIC;
			else
				return usage_error("unknown dialect '%s' (expected llvm or mnemonic)",
						   optarg);
			break;
		case OPTION_HELP: fputs(usage_text, stdout); return EXIT_SUCCESS;
		case OPTION_VERSION:
			printf("ebpf-objdump (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return EXIT_SUCCESS;
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error("%s", "no input file");
	if (!options->disassemble && !options->relocations && !options->headers &&
	    !options->symbols && !options->btf && !options->cfg)
		return usage_error("%s", "nothing to do: give -d, -r, -h, -t, --btf or --cfg=dot");
	return -1;
}

static int report(const struct objfmt_diag *diag, const char *path, int err)
{
	if (diag->message[0])
		fprintf(stderr, "ebpf-objdump: error: %s: %s\n", diag->where[0] ? diag->where : path,
			diag->message);
	else
		fprintf(stderr, "ebpf-objdump: error: %s: %s\n", path, strerror(err));
	return EXIT_BAD_INPUT;
}

/* The views llvm-objdump prints, in its order: -h, -t, -r (unless -d), -d. */
static int dump_views(const struct objfmt_object *obj, const char *path,
		      const struct objdump_options *options, struct objfmt_diag *diag)
{
	/* the "file format" header heads llvm-objdump's views, not the mnemonic listing */
	bool llvm_frame = options->relocations || options->headers || options->symbols ||
			  (options->disassemble && options->dialect == OBJFMT_DIALECT_LLVM);
	int err = 0;

	if (llvm_frame)
		printf("\n%s:\tfile format elf64-bpf\n", path);
	if (options->headers)
		err = objdump_print_headers(path, stdout, diag);
	if (!err && options->symbols)
		objdump_print_symbols(obj, stdout);
	if (!err && options->relocations && !options->disassemble)
		err = objdump_print_relocations(obj, stdout);
	if (!err && options->disassemble && options->dialect == OBJFMT_DIALECT_MNEMONIC)
		err = objdump_print_mnemonic(obj, path, stdout, diag);
	else if (!err && options->disassemble)
		err = objdump_print_disassembly(obj, path, options, stdout, diag);
	if (!err && options->btf) {
		const struct objfmt_btf *btf = objfmt_object__btf(obj);

		if (!btf)
			return objfmt_diag_set(diag, -ENOENT, path, "no .BTF section");
		err = objfmt_btf__dump(btf, stdout);
	}
	if (!err && options->cfg)
		err = objdump_print_cfg(obj, path, stdout, diag);
	return err;
}

static int dump_file(const char *path, const struct objdump_options *options)
{
	struct objfmt_diag diag = { "", "" };
	struct objfmt_object *obj = objfmt_elf_read_file(path, &diag);
	int err;

	if (!obj)
		return report(&diag, path, errno);
	err = dump_views(obj, path, options, &diag);
	objfmt_object__free(obj);
	if (err)
		return report(&diag, path, -err);
	return EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	static char buffer[1 << 16];
	struct objdump_options options = { .dialect = OBJFMT_DIALECT_LLVM };
	int status = parse_options(argc, argv, &options), i;

	if (status >= 0)
		return status;
	setvbuf(stdout, buffer, _IOFBF, sizeof(buffer));
	status = EXIT_SUCCESS;
	for (i = optind; i < argc; i++)
		if (dump_file(argv[i], &options) != EXIT_SUCCESS)
			status = EXIT_BAD_INPUT;
	if (fflush(stdout) != 0)
		return report(&(struct objfmt_diag){ "", "" }, "<stdout>", errno);
	return status;
}
