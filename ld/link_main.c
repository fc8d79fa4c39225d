/* link_main.c - ebpf-ld: `ebpf-ld -o OUT.o IN.o...` links relocatable BPF objects
 * into one, like `bpftool gen object`. Exit 0 on success, 1 on bad input (message on
 * stderr, no output file), 2 on bad usage.
 */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "ebpf/link.h"

static void usage(FILE *out)
{
	fputs("usage: ebpf-ld -o OUT.o IN.o...\n"
	      "Link relocatable BPF objects (ebpf-as's, ebpf-cc's or clang's) into one:\n"
	      "same-named sections are concatenated, symbols resolved (a strong definition\n"
	      "beats a weak one), .maps definitions checked and merged, .BTF merged and\n"
	      "deduplicated, .BTF.ext moved with the code.\n"
	      "  -o, --output FILE   the object to write (required)\n"
	      "  -h, --help          this text\n"
	      "  -V, --version       version\n", out);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *output = NULL;
	struct ld_diag diag = { { 0 } };
	int option;

	while ((option = getopt_long(argc, argv, "o:hV", options, NULL)) != -1) {
		switch (option) {
		case 'o': output = optarg; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("ebpf-ld (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!output || optind >= argc) {
		fprintf(stderr, "ebpf-ld: error: %s\n", !output ? "no output file (-o OUT.o)"
			: "no input objects");
		usage(stderr);
		return 2;
	}
	if (ld_link_files(output, (const char *const *)&argv[optind], (size_t)(argc - optind),
			  &diag)) {
		fprintf(stderr, "ebpf-ld: error: %s\n", diag.message);
		return 1;
	}
	return 0;
}
