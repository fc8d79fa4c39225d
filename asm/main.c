/* main.c - ebpf-as: assemble one .s file (LLVM or mnemonic dialect) into a BPF ELF
 * object. A thin driver over libasm and libobjfmt's ELF writer. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ebpf/asm.h>
#include <ebpf/objfmt.h>

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: ebpf-as [-o OUT.o] [--dialect=llvm|mnemonic|auto] IN.s\n"
		"Assemble eBPF assembly into a relocatable ELF object (EM_BPF).\n\n"
		"  -o FILE              write the object to FILE (default: IN with .o)\n"
		"  --dialect=D          llvm (r0 = 1), mnemonic (mov %%r0, 1) or auto (default)\n"
		"  --max-errors=N       stop after N errors (default 20)\n"
		"  -h, --help           show this help\n"
		"  -V, --version        show the version\n");
}

static char *default_output(const char *input)
{
	const char *base = strrchr(input, '/');
	size_t len;
	char *out;

	base = base ? base + 1 : input;
	len = strlen(base);
	if (len > 2 && (!strcmp(base + len - 2, ".s") || !strcmp(base + len - 2, ".S")))
		len -= 2;
	out = malloc(len + 3);
	if (out)
		snprintf(out, len + 3, "%.*s.o", (int)len, base);
	return out;
}

static void print_diagnostics(const struct asm_diagnostics *list)
{
	char buf[2048];

	for (size_t i = 0; i < asm_diagnostics__count(list); i++) {
		asm_diagnostic__format(asm_diagnostics__get(list, i), buf, sizeof(buf));
		fputs(buf, stderr);
	}
}

static int parse_dialect(const char *text, enum asm_dialect *out)
{
	if (!strcmp(text, "llvm"))
		*out = ASM_DIALECT_LLVM;
	else if (!strcmp(text, "mnemonic"))
		*out = ASM_DIALECT_MNEMONIC;
	else if (!strcmp(text, "auto"))
		*out = ASM_DIALECT_AUTO;
	else
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option long_options[] = {
		{ "dialect", required_argument, NULL, 'd' },
		{ "max-errors", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct asm_options opts = { .size = sizeof(opts) };
	struct asm_diagnostics *diags = NULL;
	struct objfmt_object *obj = NULL;
	struct objfmt_diag wdiag = { "", "" };
	char *output = NULL, *allocated = NULL;
	int c, err;
	size_t count;

	while ((c = getopt_long(argc, argv, "o:hV", long_options, NULL)) != -1) {
		switch (c) {
		case 'o': output = optarg; break;
		case 'd':
			if (parse_dialect(optarg, &opts.dialect)) {
				fprintf(stderr, "ebpf-as: unknown dialect '%s' (llvm, mnemonic or auto)\n",
					optarg);
				return 2;
			}
			break;
		case 'm': opts.max_errors = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("ebpf-as (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind + 1 != argc) {
		usage(stderr);
		return 2;
	}
	err = asm_assemble_file(argv[optind], &opts, &obj, &diags);
	print_diagnostics(diags);
	count = asm_diagnostics__count(diags);
	asm_diagnostics__free(diags);
	if (err) {
		if (!count)
			fprintf(stderr, "%s: error: %s\n", argv[optind], strerror(-err));
		return 1;
	}
	if (!output)
		output = allocated = default_output(argv[optind]);
	err = output ? objfmt_elf_write_file(obj, output, &wdiag) : -ENOMEM;
	if (err)
		fprintf(stderr, "%s: error: cannot write object: %s%s%s\n", output ? output : "",
			wdiag.message[0] ? wdiag.message : strerror(-err),
			wdiag.where[0] ? " at " : "", wdiag.where);
	free(allocated);
	objfmt_object__free(obj);
	return err ? 1 : 0;
}
