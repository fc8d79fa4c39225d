/* driver_flags.c - the clang options of BPF projects' Makefiles that ebpf-cc takes:
 * -std=, -m*, -f*, -g*, -Xclang; each either has clang's meaning here or is refused
 * with "unsupported option", never accepted with another meaning. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver_int.h"

static bool in_list(const char *value, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(value, *list))
			return true;
	return false;
}

static bool has_prefix_in(const char *value, const char *const *list)
{
	for (; *list; list++)
		if (!strncmp(value, *list, strlen(*list)))
			return true;
	return false;
}

static int unsupported(const char *arg, const char *why)
{
	fprintf(stderr, "ebpf-cc: error: unsupported option '%s'%s%s\n", arg, why ? ": " : "",
		why ? why : "");
	return -1;
}

int driver_parse_std(const char *arg, struct driver_language *lang)
{
	static const struct driver_language modes[] = {
		{ "c89", NULL, true, true }, { "c90", NULL, true, true },
		{ "iso9899:1990", NULL, true, true }, { "gnu89", NULL, false, true },
		{ "gnu90", NULL, false, true }, { "iso9899:199409", "199409L", true, true },
		{ "c99", "199901L", true, false }, { "iso9899:1999", "199901L", true, false },
		{ "gnu99", "199901L", false, false }, { "c11", "201112L", true, false },
		{ "iso9899:2011", "201112L", true, false }, { "gnu11", "201112L", false, false },
		{ "c17", "201710L", true, false }, { "c18", "201710L", true, false },
		{ "iso9899:2017", "201710L", true, false }, { "iso9899:2018", "201710L", true, false },
		{ "gnu17", "201710L", false, false }, { "gnu18", "201710L", false, false },
		{ "c2x", "202311L", true, false }, { "c23", "202311L", true, false },
		{ "gnu2x", "202311L", false, false }, { "gnu23", "202311L", false, false },
	};
	const char *value = arg + strlen("-std=");

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(value, modes[i].name)) {
			*lang = modes[i];
			return 0;
		}
	fprintf(stderr, "ebpf-cc: error: invalid value '%s' in '%s' (ebpf-cc compiles C)\n",
		value, arg);
	return -1;
}

/* -mcpu, -march, endianness and other target options. */
int driver_check_machine(const char *arg)
{
	static const char *const same[] = {
		"-mcpu=v3", "-mcpu=v4", "-mcpu=probe", "-mlittle-endian", "-mel",
		"-m64", NULL,
	};

	if (in_list(arg, same))
		return 0;
	if (!strcmp(arg, "-mcpu=v1") || !strcmp(arg, "-mcpu=v2") || !strcmp(arg, "-mcpu=generic"))
		return unsupported(arg, "ebpf-cc emits BPF ISA v3 (32-bit ALU and jump "
				   "instructions); use -mcpu=v3");
	if (!strncmp(arg, "-mcpu=", 6))
		return unsupported(arg, "unknown target CPU (v3, v4 and probe are accepted)");
	if (!strcmp(arg, "-mbig-endian") || !strcmp(arg, "-march=bpfeb"))
		return unsupported(arg, "ebpf-cc emits little-endian BPF only");
	return unsupported(arg, NULL);
}

/* -f options without an effect on the code ebpf-cc emits for BPF, as for clang's BPF
 * target (no stack protector, unwind tables, PIC or common symbols on BPF). */
static const char *const neutral_features[] = {
	"-fno-stack-protector", "-fno-stack-clash-protection", "-fno-asynchronous-unwind-tables",
	"-fasynchronous-unwind-tables", "-fno-unwind-tables", "-fno-exceptions",
	"-fno-omit-frame-pointer", "-fomit-frame-pointer", "-fno-common", "-fno-builtin",
	"-ffreestanding", "-fno-strict-aliasing", "-fstrict-aliasing", "-fno-ident", "-fPIC",
	"-fpic", "-fPIE", "-fpie", "-fno-PIC", "-fno-pic", "-fno-PIE", "-fno-pie",
	"-fcolor-diagnostics", "-fno-color-diagnostics", "-fdiagnostics-color",
	"-fno-diagnostics-color", "-fcaret-diagnostics", "-fno-caret-diagnostics",
	"-funroll-loops", "-fno-unroll-loops", "-fno-jump-tables", "-fno-inline",
	"-fno-inline-functions", "-fverbose-asm", "-fno-verbose-asm", "-fno-ms-extensions",
	"-fsigned-char", "-fno-unsigned-char", "-fno-addrsig", "-faddrsig", "-fno-lto",
	"-fcf-protection=none", "-ffunction-sections", "-fno-function-sections",
	"-fdata-sections", "-fno-data-sections", "-fno-discard-value-names",
	"-fdiscard-value-names", "-fno-gnu89-inline", "-fno-delete-null-pointer-checks",
	"-fno-trapping-math", "-fno-short-enums", "-fno-short-wchar", "-fno-rtti",
	"-fno-tree-vectorize", "-ftree-vectorize", "-fno-vectorize", "-fno-slp-vectorize",
	"-fno-optimize-sibling-calls", "-fno-semantic-interposition", "-fno-plt",
	"-fvisibility=default", "-fno-finite-loops", "-fno-stack-check", "-fno-var-tracking",
	"-fno-math-errno", "-ffast-math", "-fno-split-dwarf-inlining", NULL,
};
static const char *const neutral_prefixes[] = {
	"-fdiagnostics-color=", "-fmessage-length=",
	"-fmacro-backtrace-limit=", "-fno-builtin-", "-fdiagnostics-format=clang",
	"-fdiagnostics-show-option", "-fno-diagnostics-show-option", "-fconstexpr-steps=", NULL,
};

int driver_check_feature(const char *arg, struct cc_options *opts)
{
	if (in_list(arg, neutral_features) || has_prefix_in(arg, neutral_prefixes))
		return 0;
	if (!strncmp(arg, "-fdebug-prefix-map=", 19)) {
		static const char *maps[64];
		if (!strchr(arg + 19, '=') || opts->debug_prefix_map_count == 64)
			return unsupported(arg, "expected -fdebug-prefix-map=OLD=NEW");
		maps[opts->debug_prefix_map_count++] = arg + 19;
		opts->debug_prefix_maps = maps;
		return 0;
	}
	if (!strncmp(arg, "-ferror-limit=", 14)) {
		opts->max_errors = (unsigned)strtoul(arg + 14, NULL, 10);
		return 0;
	}
	if (!strcmp(arg, "-funsigned-char") || !strcmp(arg, "-fno-signed-char"))
		return unsupported(arg, "char is signed on BPF");
	return unsupported(arg, NULL);
}

/* -g and its forms: 1 debug information on, 0 off, -1 a modifier that changes neither,
 * -2 unknown (message printed). */
int driver_debug_level(const char *arg)
{
	static const char *const on[] = {
		"-g", "-g1", "-g2", "-g3", "-ggdb", "-ggdb1", "-ggdb2", "-ggdb3", "-gline-tables-only",
		"-gline-directives-only", "-gdwarf", "-gdwarf-2", "-gdwarf-3", "-gdwarf-4",
		"-gdwarf-5", "-gdwarf32", "-gdwarf64", "-gfull", "-glldb", NULL,
	};
	static const char *const modifiers[] = {
		"-gz", "-gz=none", "-gz=zlib", "-gz=zstd", "-gsplit-dwarf", "-gcolumn-info",
		"-gno-column-info", "-gstrict-dwarf", "-gno-strict-dwarf", "-gembed-source",
		"-gno-embed-source", "-gpubnames", "-gno-pubnames", "-ggnu-pubnames",
		"-gno-gnu-pubnames", "-gno-inline-line-tables", "-ginline-line-tables",
		"-gsimple-template-names", "-gno-simple-template-names", NULL,
	};

	if (!strcmp(arg, "-g0") || !strcmp(arg, "-ggdb0"))
		return 0;
	if (in_list(arg, on))
		return 1;
	if (in_list(arg, modifiers))
		return -1;
	unsupported(arg, NULL);
	return -2;
}

/* The argument after -Xclang: only those that ask for what ebpf-cc does anyway. */
int driver_check_xclang(const char *value)
{
	static const char *const same[] = {
		"-disable-O0-optnone", "-target-feature", "+alu32", "+dwarfris",
		"-disable-llvm-passes", NULL,
	};

	if (in_list(value, same))
		return 0;
	return unsupported(value, "(after -Xclang)");
}
