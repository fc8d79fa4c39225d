/* driver.c - ebpf-cc: gcc/clang-style command line, the system C preprocessor run with
 * the BPF target's macros (-undef + clang's list, `# line` markers kept, dependency
 * files through -MD/-MMD/-MF/-MT), then libcc, then the object (-c) or assembly (-S). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <ebpf/cc.h>

#include "cpp.h"
#include "driver_int.h"

enum mode { MODE_OBJECT, MODE_ASSEMBLY, MODE_PREPROCESS };

struct driver {
	enum mode mode;
	const char *input;
	const char *output;
	char default_output_name[4096]; /* -c/-S output when -o is absent */
	char default_dep_name[4096];    /* -MD/-MMD file when -MF is absent */
	const char *cpp_args[512]; /* user flags forwarded to the preprocessor */
	int cpp_argc;
	struct cc_cpp_arg cpp_list[256]; /* the same flags for the integrated preprocessor */
	int cpp_list_count;
	bool system_cpp;           /* -no-integrated-cpp or $EBPF_CC_CPP: run gcc -E */
	bool deps_phony;           /* -MP */
	bool no_standard_dirs;     /* -nostdinc: only -I/-isystem/-idirafter directories */
	bool dump_macros;          /* -dM (with -E): the macro definitions, not the text */
	bool dump_defines;         /* -dD (with -E): #define/#undef lines kept in the text */
	bool deps;                 /* -MD / -MMD */
	bool deps_only;            /* -M / -MM: the dependency rule instead of any output */
	bool deps_system;          /* -MD (true) or -MMD (false) */
	const char *dep_file;      /* -MF */
	const char *dep_targets[16]; /* -MT / -MQ */
	int dep_target_count;
	struct cc_options opts;
	bool verify;               /* -fverify (default) / -fno-verify */
	bool debug_info;           /* -g as the user gave it */
	struct driver_warnings warnings; /* -W..., -w */
	int cpp_promoted;          /* preprocessor warnings made errors (-Werror) */
	char system_files[16384];  /* headers from system directories, NUL-separated */
	size_t system_files_used;
	struct driver_language lang; /* -std=, when given (lang.name non-NULL) */
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ebpf-cc [-c|-S|-E] [-o OUT] [-O0|-O1|-O2] [-g] [-I DIR] [-D NAME[=VALUE]]\n"
		"               [-U NAME] [-include FILE] [-M|-MM|-MD|-MMD] [-MF FILE] [-MT TARGET]\n"
		"               [-Wall] [-Werror] [-W[no-][error=]FLAG] [-w] [-std=MODE]\n"
		"               [-mcpu=v3|v4|probe] [-target bpf] [-fno-verify] [-no-integrated-cpp]\n"
		"               [-nostdinc] [-dM] [-dD] FILE.c|-\n"
		"Programs are verified by the emulated kernel unless -fno-verify is given.\n"
		"The C preprocessor is built in; -no-integrated-cpp (or $EBPF_CC_CPP) runs gcc -E.\n"
		"Compile BPF C into an ELF object with BTF (see doc/cc.md).\n");
}

static const struct {
	const char *flag;
	enum cc_cpp_arg_kind kind;
} cpp_flags[] = {
	{ "-D", CC_CPP_DEFINE }, { "-U", CC_CPP_UNDEF }, { "-I", CC_CPP_DIR },
	{ "-isystem", CC_CPP_SYSTEM_DIR }, { "-iquote", CC_CPP_QUOTE_DIR },
	{ "-idirafter", CC_CPP_AFTER_DIR }, { "-include", CC_CPP_INCLUDE },
};

static bool forward(struct driver *d, const char *a, const char *b)
{
	for (size_t i = 0; b && i < sizeof(cpp_flags) / sizeof(cpp_flags[0]); i++)
		if (!strcmp(a, cpp_flags[i].flag) &&
		    d->cpp_list_count < (int)(sizeof(d->cpp_list) / sizeof(d->cpp_list[0])))
			d->cpp_list[d->cpp_list_count++] =
				(struct cc_cpp_arg){ cpp_flags[i].kind, b };
	if (d->cpp_argc + 2 >= (int)(sizeof(d->cpp_args) / sizeof(d->cpp_args[0])))
		return false;
	d->cpp_args[d->cpp_argc++] = a;
	if (b)
		d->cpp_args[d->cpp_argc++] = b;
	return true;
}

/* Options that take a value either joined (-Ifoo) or as the next argument (-I foo). */
static const char *value_of(int argc, char **argv, int *i, const char *flag)
{
	size_t n = strlen(flag);

	if (argv[*i][n])
		return argv[*i] + n;
	if (*i + 1 < argc)
		return argv[++*i];
	fprintf(stderr, "ebpf-cc: error: argument to '%s' is missing\n", flag);
	exit(2);
}

/* The value of predefined macro `name` ("14"), "0" when absent. */
static const char *predefined_value(const char *name)
{
	size_t len = strlen(name);

	for (int i = 0; cc_driver_predefined[i]; i++)
		if (!strncmp(cc_driver_predefined[i], name, len) && cc_driver_predefined[i][len] == '=')
			return cc_driver_predefined[i] + len + 1;
	return "0";
}

/* --version and -v: clang's shape, so that build systems that read "clang version N"
 * find the clang release whose __clang_major__ ebpf-cc predefines. */
static void print_version(FILE *out)
{
	fprintf(out, "ebpf-cc version %s (%s), compatible with clang version %s.%s.%s\n"
		"Target: bpf\nThread model: single\n", PACKAGE_VERSION, PACKAGE_NAME,
		predefined_value("__clang_major__"), predefined_value("__clang_minor__"),
		predefined_value("__clang_patchlevel__"));
}

/* Options that need no action: they ask for what ebpf-cc does anyway. */
static bool ignored_flag(const char *a)
{
	static const char *const same[] = {
		"-pipe", "-Qunused-arguments", "--target=bpf", "--target=bpfel", "-nostdlib", NULL,
	};

	for (size_t i = 0; same[i]; i++)
		if (!strcmp(a, same[i]))
			return true;
	return false;
}

static bool supported_target(const char *v)
{
	return !strcmp(v, "bpf") || !strcmp(v, "bpfel");
}

/* -std=, -m*, -f*, -g*, -W*, -w, -Xclang: 0 taken, 1 not one of them, 2 refused. */
static int compatibility_flag(struct driver *d, int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	int level;

	if (!strncmp(a, "-std=", 5)) {
		if (driver_parse_std(a, &d->lang))
			return 2;
		d->warnings.c89 = d->lang.c89;
		return 0;
	}
	if (!strncmp(a, "-g", 2)) {
		level = driver_debug_level(a);
		if (level >= 0)
			d->opts.debug_info = level == 1;
		return level == -2 ? 2 : 0;
	}
	if (!strncmp(a, "-Wp,-MD,", 8) || !strncmp(a, "-Wp,-MMD,", 9)) {
		/* Kbuild's form of -MD/-MMD -MF FILE */
		d->deps = true;
		d->deps_system = a[6] == 'D';
		d->dep_file = a + (d->deps_system ? 8 : 9);
		return 0;
	}
	if (!strcmp(a, "-MG")) {
		fprintf(stderr, "ebpf-cc: error: unsupported option '-MG': a missing header is "
			"an error, not a dependency to generate\n");
		return 2;
	}
	if (!strcmp(a, "-Xclang"))
		return *i + 1 < argc && !driver_check_xclang(argv[++*i]) ? 0 : 2;
	if (!strncmp(a, "-m", 2))
		return driver_check_machine(a) ? 2 : 0;
	if (!strncmp(a, "-f", 2))
		return driver_check_feature(a, &d->opts) ? 2 : 0;
	if (!strncmp(a, "-W", 2) || !strcmp(a, "-w"))
		return driver_warnings_parse(&d->warnings, a) ? 2 : 0;
	return 1;
}

static int parse_args(struct driver *d, int argc, char **argv)
{
	d->opts.size = sizeof(d->opts);
	d->opts.optimize = 0;
	d->verify = true;
	d->system_cpp = getenv("EBPF_CC_CPP") && *getenv("EBPF_CC_CPP");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int status;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			exit(0);
		} else if (!strcmp(a, "--version")) {
			print_version(stdout);
			exit(0);
		} else if (!strcmp(a, "-c")) {
			d->mode = MODE_OBJECT;
		} else if (!strcmp(a, "-S")) {
			d->mode = MODE_ASSEMBLY;
		} else if (!strcmp(a, "-E")) {
			d->mode = MODE_PREPROCESS;
		} else if (!strncmp(a, "-o", 2)) {
			d->output = value_of(argc, argv, &i, "-o");
		} else if (!strncmp(a, "-O", 2)) {
			d->opts.optimize = a[2] == '0' ? 0 : a[2] == '\0' ? 1 : 2;
		} else if (!strncmp(a, "-I", 2) || !strncmp(a, "-D", 2) || !strncmp(a, "-U", 2)) {
			const char *flag = a[1] == 'I' ? "-I" : a[1] == 'D' ? "-D" : "-U";
			const char *v = value_of(argc, argv, &i, flag);

			forward(d, flag, v);
		} else if (!strcmp(a, "-include") || !strcmp(a, "-isystem") ||
			   !strcmp(a, "-idirafter") || !strcmp(a, "-iquote")) {
			forward(d, a, value_of(argc, argv, &i, a));
		} else if (!strcmp(a, "-M") || !strcmp(a, "-MM")) {
			d->deps_only = true;
			d->deps_system = !strcmp(a, "-M");
			d->mode = MODE_PREPROCESS;
			forward(d, a, NULL);
		} else if (!strcmp(a, "-MD") || !strcmp(a, "-MMD")) {
			d->deps = true;
			d->deps_system = !strcmp(a, "-MD");
		} else if (!strncmp(a, "-MF", 3)) {
			d->dep_file = value_of(argc, argv, &i, "-MF");
		} else if (!strncmp(a, "-MT", 3) || !strncmp(a, "-MQ", 3)) {
			if (d->dep_target_count < 16)
				d->dep_targets[d->dep_target_count++] = value_of(argc, argv, &i, "-MT");
		} else if (!strcmp(a, "-MP")) {
			d->deps_phony = true;
			forward(d, a, NULL);
		} else if (!strcmp(a, "-dM")) {
			d->dump_macros = true;
			forward(d, a, NULL);
		} else if (!strcmp(a, "-dD")) {
			d->dump_defines = true;
			forward(d, a, NULL);
		} else if (!strcmp(a, "-nostdinc")) {
			d->no_standard_dirs = true;
			forward(d, a, NULL);
		} else if (!strcmp(a, "-no-integrated-cpp")) {
			d->system_cpp = true;
		} else if (!strcmp(a, "-target") || !strcmp(a, "-x") || !strncmp(a, "--target=", 9)) {
			const char *v = a[1] == '-' ? a + 9 : i + 1 < argc ? argv[++i] : "";

			if (a[1] == 'x' && strcmp(v, "c")) {
				fprintf(stderr, "ebpf-cc: error: language '%s' is not supported\n", v);
				return 2;
			}
			if (a[1] != 'x' && !supported_target(v)) {
				fprintf(stderr, "ebpf-cc: error: unsupported target '%s' "
					"(ebpf-cc compiles for bpf/bpfel)\n", v);
				return 2;
			}
		} else if (!strcmp(a, "-fno-verify") || !strcmp(a, "-fverify")) {
			d->verify = a[2] == 'v';
		} else if (!strcmp(a, "-v")) {
			print_version(stderr);
		} else if (a[0] == '-' && a[1] && ignored_flag(a)) {
			/* clang's meaning is what ebpf-cc does anyway */
		} else if (a[0] == '-' && a[1] && (status = compatibility_flag(d, argc, argv, &i)) != 1) {
			if (status == 2)
				return 2;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "ebpf-cc: error: unknown argument: '%s'\n", a);
			return 2;
		} else if (d->input) {
			fprintf(stderr, "ebpf-cc: error: more than one input file ('%s', '%s')\n",
				d->input, a);
			return 2;
		} else {
			d->input = a;
		}
	}
	if (!d->input) {
		fprintf(stderr, "ebpf-cc: error: no input files\n");
		return 2;
	}
	d->opts.implicit_int = driver_implicit_int(&d->warnings);
	return 0;
}

/* "dir/prog.bpf.c" -> "prog.bpf.o" (the default -c/-S output, as gcc names it), written
 * into buf (truncated to its size). Returns buf. */
static const char *default_output(char *buf, size_t size, const char *input, const char *ext)
{
	const char *base = strrchr(input, '/') ? strrchr(input, '/') + 1 : input;
	const char *dot = strrchr(base, '.');
	int n = dot ? (int)(dot - base) : (int)strlen(base);

	snprintf(buf, size, "%.*s%s", n, base, ext);
	return buf;
}

/* "dir/prog.o" -> "dir/prog.d": -MD writes the dependency file beside the output, as
 * gcc does. Returns buf. */
static const char *dep_name_for(char *buf, size_t size, const char *output)
{
	const char *slash = strrchr(output, '/'), *dot = strrchr(output, '.');
	int n = dot && (!slash || dot > slash) ? (int)(dot - output) : (int)strlen(output);

	snprintf(buf, size, "%.*s.d", n, output);
	return buf;
}

/* Where -MD/-MMD write and the rule's default target: beside the object with -c/-S;
 * with -E the target is the object the input would make. */
static void dep_paths(struct driver *d, const char *output, const char **path,
		      const char **target)
{
	static char object[4096];

	if (d->mode == MODE_PREPROCESS) {
		*target = default_output(object, sizeof(object), d->input, ".o");
		if (d->deps_only)
			*path = d->dep_file ? d->dep_file : output;
		else
			*path = d->dep_file ? d->dep_file
				: strcmp(output, "-") ? dep_name_for(d->default_dep_name,
							     sizeof(d->default_dep_name), output)
				: default_output(d->default_dep_name, sizeof(d->default_dep_name),
						 d->input, ".d");
		return;
	}
	*target = output;
	*path = d->dep_file ? d->dep_file
			    : dep_name_for(d->default_dep_name, sizeof(d->default_dep_name), output);
}

/* A default macro that -std= replaces. */
static bool replaced_by_language(const struct driver *d, const char *entry)
{
	return d->lang.name && (!strncmp(entry, "__STDC_VERSION__=", 17) ||
				(d->lang.c89 && !strncmp(entry, "__GNUC_STDC_INLINE__=", 21)));
}

/* The macros of the -std= mode, as clang-19 defines them, into out[] (3 entries). */
static int language_macros(const struct driver *d, const char **out)
{
	static char version[48];
	int n = 0;

	if (!d->lang.name)
		return 0;
	if (d->lang.version) {
		snprintf(version, sizeof(version), "__STDC_VERSION__=%s", d->lang.version);
		out[n++] = version;
	}
	if (d->lang.strict)
		out[n++] = "__STRICT_ANSI__=1";
	if (d->lang.c89)
		out[n++] = "__GNUC_GNU_INLINE__=1";
	return n;
}

/* "-DNAME=VALUE" for `macro`, written at storage + *used. */
static const char *define_option(const char *macro, char *storage, size_t size, size_t *used)
{
	char *option = storage + *used;
	int len = snprintf(option, size - *used, "-D%s", macro);

	*used += (size_t)len + 1;
	return option;
}

/* -std= for gcc -E: the same mode (gcc 12 knows C23 as c2x). */
static const char *system_cpp_std(const struct driver *d)
{
	static char buf[32];
	const char *name = d->lang.name ? d->lang.name : "gnu17";

	if (!strcmp(name, "c23") || !strcmp(name, "gnu23"))
		name = name[0] == 'c' ? "c2x" : "gnu2x";
	snprintf(buf, sizeof(buf), "-std=%s", name);
	return buf;
}

/* Build the preprocessor command line. */
static int cpp_command(struct driver *d, const char **argv, char *storage, size_t storage_size,
		       const char *object_name)
{
	int n = 0;
	const char *cpp = getenv("EBPF_CC_CPP");
	size_t used = 0;

	argv[n++] = cpp && *cpp ? cpp : "gcc";
	argv[n++] = "-E";
	argv[n++] = "-undef";
	argv[n++] = system_cpp_std(d);
	argv[n++] = "-ffreestanding"; /* no implicit stdc-predef.h, as clang */
	argv[n++] = "-x";
	argv[n++] = "c";
	const char *language[3];
	int language_count = language_macros(d, language);

	for (int i = 0; cc_driver_predefined[i]; i++)
		if (!replaced_by_language(d, cc_driver_predefined[i]))
			argv[n++] = define_option(cc_driver_predefined[i], storage, storage_size, &used);
	for (int i = 0; i < language_count; i++) /* gcc defines __STDC_VERSION__ itself */
		if (strncmp(language[i], "__STDC_VERSION__=", 17))
			argv[n++] = define_option(language[i], storage, storage_size, &used);
	if (d->opts.optimize)
		argv[n++] = "-D__OPTIMIZE__=1";
	for (int i = 0; i < d->cpp_argc; i++)
		argv[n++] = d->cpp_args[i];
	if (d->deps || d->deps_only) {
		const char *path, *target;

		dep_paths(d, object_name, &path, &target);
		if (!d->deps_only)
			argv[n++] = d->deps_system ? "-MD" : "-MMD";
		if (strcmp(path, "-")) {
			argv[n++] = "-MF";
			argv[n++] = path;
		}
		if (!d->dep_target_count) {
			argv[n++] = "-MT";
			argv[n++] = target;
		}
		for (int i = 0; i < d->dep_target_count; i++) {
			argv[n++] = "-MT";
			argv[n++] = d->dep_targets[i];
		}
	}
	argv[n++] = d->input;
	if (d->mode == MODE_PREPROCESS && d->output && !(d->deps_only && !d->dep_file)) {
		argv[n++] = "-o";
		argv[n++] = d->output;
	}
	argv[n] = NULL;
	return n;
}

/* Run the preprocessor; its stdout is collected into *text. Returns its exit status. */
static int run_cpp(const char **argv, bool capture, char **text, size_t *size)
{
	int fds[2];
	pid_t pid;
	int status;
	size_t cap = 1 << 16, len = 0;
	char *buf = NULL;

	if (capture && pipe(fds))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (capture) {
			dup2(fds[1], 1);
			close(fds[0]);
			close(fds[1]);
		}
		execvp(argv[0], (char *const *)argv);
		fprintf(stderr, "ebpf-cc: error: cannot run the preprocessor '%s': %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	if (capture) {
		close(fds[1]);
		buf = malloc(cap);
		for (ssize_t r; buf; len += (size_t)r) {
			if (len + 4096 > cap) {
				char *p = realloc(buf, cap *= 2);

				if (!p) {
					free(buf);
					buf = NULL;
					break;
				}
				buf = p;
			}
			r = read(fds[0], buf + len, cap - len - 1);
			if (r <= 0)
				break;
		}
		close(fds[0]);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (capture) {
		if (!buf)
			return -1;
		buf[len] = '\0';
		*text = buf;
		*size = len;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* The clang flag of a preprocessor warning (worded as gcc words it), or NULL. */
static const char *cpp_warning_flag(const char *message)
{
	if (!strncmp(message, "#warning", 8))
		return "#warnings";
	if (strstr(message, "\" redefined"))
		return "macro-redefined";
	return NULL;
}

/* A preprocessor diagnostic: warnings shown, hidden or made errors by -W/-w/-Werror. */
static void print_diagnostic(void *context, const char *text)
{
	struct driver *d = context;
	const char *kind = strstr(text, ": warning: ");
	const char *flag;

	if (!kind || !d) {
		fputs(text, stderr);
		return;
	}
	flag = cpp_warning_flag(kind + strlen(": warning: "));
	if (!driver_warning_shown(&d->warnings, flag))
		return;
	if (!driver_warning_error(&d->warnings, flag)) {
		fputs(text, stderr);
		return;
	}
	fprintf(stderr, "%.*s: error: %s", (int)(kind - text), text, kind + strlen(": warning: "));
	d->cpp_promoted++;
}

/* One make word: spaces and '#' backslash-escaped, '$' doubled (as gcc writes them). */
static void put_make_word(FILE *out, const char *word, int *column)
{
	for (const char *p = word; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '#')
			fputc('\\', out), (*column)++;
		if (*p == '$')
			fputc('$', out), (*column)++;
		fputc(*p, out);
		(*column)++;
	}
}

/* The dependency file of -MD/-MMD: TARGETS: every file read (system headers only with
 * -MD), lines continued past 75 columns, and with -MP a phony rule per header. */
static int write_deps(struct driver *d, const struct cpp_result *r, const char *output)
{
	const char *path, *object;
	FILE *out;
	int column = 0;

	dep_paths(d, output, &path, &object);
	out = strcmp(path, "-") ? fopen(path, "w") : stdout;

	if (!out) {
		fprintf(stderr, "ebpf-cc: error: cannot open '%s': %s\n", path, strerror(errno));
		return 1;
	}
	for (int i = 0; i < (d->dep_target_count ? d->dep_target_count : 1); i++) {
		if (i)
			fputc(' ', out), column++;
		put_make_word(out, d->dep_target_count ? d->dep_targets[i] : object, &column);
	}
	fputc(':', out);
	column++;
	for (size_t i = 0; i < r->dep_count; i++) {
		if (!d->deps_system && r->dep_system[i])
			continue;
		if (column + (int)strlen(r->deps[i]) + 1 > 75 && column > 1) {
			fputs(" \\\n", out);
			column = 0;
		}
		fputc(' ', out);
		column++;
		put_make_word(out, r->deps[i], &column);
	}
	fputc('\n', out);
	for (size_t i = 1; d->deps_phony && i < r->dep_count; i++) {
		if (!d->deps_system && r->dep_system[i])
			continue;
		put_make_word(out, r->deps[i], &column);
		fputs(":\n", out);
	}
	if (out == stdout ? fflush(out) : fclose(out)) {
		fprintf(stderr, "ebpf-cc: error: cannot write '%s'\n", path);
		return 1;
	}
	return 0;
}

/* The integrated preprocessor's options; predefined[] (256 entries) gets the macros. */
static struct cpp_options integrated_options(struct driver *d, const char **predefined)
{
	struct cpp_options o = { .input = d->input, .args = d->cpp_list,
				 .arg_count = d->cpp_list_count, .predefined = predefined,
				 .no_standard_dirs = d->no_standard_dirs,
				 .dump_macros = d->dump_macros,
				 .dump_defines = d->dump_defines && d->mode == MODE_PREPROCESS,
				 .diagnostic = print_diagnostic, .diagnostic_context = d };
	int n = 0;

	for (int i = 0; cc_driver_predefined_standard[i]; i++)
		if (!replaced_by_language(d, cc_driver_predefined_standard[i]))
			predefined[n++] = cc_driver_predefined_standard[i];
	n += language_macros(d, predefined + n);
	o.builtin_count = n;
	for (int i = 0; cc_driver_predefined[i] && n < 250; i++)
		if (!replaced_by_language(d, cc_driver_predefined[i]))
			predefined[n++] = cc_driver_predefined[i];
	if (d->opts.optimize)
		predefined[n++] = "__OPTIMIZE__=1";
	predefined[n] = NULL;
	return o;
}

/* Remember the headers read from system directories: clang gives no warnings there. */
static void note_system_files(struct driver *d, const struct cpp_result *r)
{
	for (size_t i = 0; i < r->dep_count; i++) {
		size_t len = strlen(r->deps[i]) + 1;

		if (!r->dep_system[i] || len > sizeof(d->system_files) - d->system_files_used)
			continue;
		memcpy(d->system_files + d->system_files_used, r->deps[i], len);
		d->system_files_used += len;
	}
}

static bool in_system_header(const struct driver *d, const char *file)
{
	for (size_t at = 0; at < d->system_files_used; at += strlen(d->system_files + at) + 1)
		if (!strcmp(d->system_files + at, file))
			return true;
	return false;
}

/* The usual compile: the integrated preprocessor's tokens go straight to the parser
 * (handoff.c). Returns 1 when preprocessing failed or the dependency file could not
 * be written (nothing compiled is kept), else 0 with the compile's result in *err,
 * *object and *diags. */
static int compile_integrated(struct driver *d, const char *output,
			      struct objfmt_object **object, struct cc_diagnostics **diags,
			      int *err)
{
	const char *predefined[256];
	struct cpp_options o = integrated_options(d, predefined);
	struct cpp_result r;
	int rc = 0;

	*err = cc_driver_compile_cpp(&o, &r, d->input, &d->opts, object, diags);
	if (r.errors)
		rc = 1;
	note_system_files(d, &r);
	if (!rc && d->deps)
		rc = write_deps(d, &r, output);
	cpp_result_free(&r);
	if (rc) {
		objfmt_object__free(*object);
		cc_diagnostics__free(*diags);
		*object = NULL;
		*diags = NULL;
	}
	return rc;
}

/* Preprocess in-process: the text into *text, or with -E to the output file. */
static int integrated_cpp(struct driver *d, const char *output, char **text, size_t *size)
{
	const char *predefined[256];
	struct cpp_options o = integrated_options(d, predefined);
	struct cpp_result r;
	int err, rc = 0;

	err = cpp_preprocess(&o, &r);
	if (err == -ENOMEM)
		fprintf(stderr, "ebpf-cc: error: out of memory\n");
	if (err || r.errors || d->cpp_promoted) {
		cpp_result_free(&r);
		return 1;
	}
	if (d->deps || d->deps_only)
		rc = write_deps(d, &r, output);
	note_system_files(d, &r);
	if (d->deps_only) {
		cpp_result_free(&r);
		return rc;
	}
	if (!rc && d->mode == MODE_PREPROCESS) {
		FILE *out = strcmp(output, "-") ? fopen(output, "w") : stdout;

		if (!out || fwrite(r.text, 1, r.size, out) != r.size ||
		    (out != stdout && fclose(out))) {
			fprintf(stderr, "ebpf-cc: error: cannot write '%s'\n", output);
			rc = 1;
		}
		cpp_result_free(&r);
		return rc;
	}
	*text = r.text;
	*size = r.size;
	r.text = NULL;
	cpp_result_free(&r);
	return rc;
}

/* A `.i` input is already preprocessed (as gcc and clang treat it). */
static bool is_preprocessed(const char *path)
{
	size_t n = strlen(path);

	return n > 2 && !strcmp(path + n - 2, ".i");
}

static int read_file(const char *path, char **text, size_t *size)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f) {
		fprintf(stderr, "ebpf-cc: error: cannot open '%s': %s\n", path, strerror(errno));
		return 1;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	*text = malloc((size_t)n + 1);
	if (!*text || fread(*text, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		fprintf(stderr, "ebpf-cc: error: cannot read '%s'\n", path);
		return 1;
	}
	fclose(f);
	(*text)[n] = '\0';
	*size = (size_t)n;
	return 0;
}

/* Print the diagnostics; warnings of the -Wall group only with -Wall, and with
 * -Werror as errors named as clang names them ([-Werror,-Wflag]). Returns how many
 * warnings were turned into errors. */
static int print_diagnostics(const struct driver *d, const struct cc_diagnostics *list)
{
	char buf[2048];
	int promoted = 0;

	for (size_t i = 0; i < cc_diagnostics__count(list); i++) {
		struct cc_diagnostic diag = *cc_diagnostics__get(list, i);
		char *flag = strstr(diag.message, " [-W");
		char name[64] = "";

		if (flag)
			snprintf(name, sizeof(name), "%.*s", (int)strcspn(flag + 4, "]"), flag + 4);
		if (diag.severity == CC_SEVERITY_WARNING) {
			if (!driver_warning_shown(&d->warnings, flag ? name : NULL) ||
			    in_system_header(d, diag.file))
				continue;
			if (driver_warning_error(&d->warnings, flag ? name : NULL)) {
				char message[sizeof(diag.message) + 16];

				if (flag)
					*flag = '\0';
				snprintf(message, sizeof(message), "%s%s%s", diag.message,
					 flag ? " [-Werror," : "", flag ? flag + 2 : "");
				snprintf(diag.message, sizeof(diag.message), "%.*s",
					 (int)sizeof(diag.message) - 1, message);
				diag.severity = CC_SEVERITY_ERROR;
				promoted++;
			}
		}
		cc_diagnostic__format(&diag, buf, sizeof(buf));
		fputs(buf, stderr);
	}
	return promoted;
}

/* `image`: obj's ELF image when verification made one (written as it is). */
static int write_output(struct driver *d, struct objfmt_object *obj, const char *path,
			const void *image, size_t image_size)
{
	struct objfmt_diag diag = { 0 };
	int err;

	if (d->mode == MODE_OBJECT) {
		err = image ? objfmt_elf_write_image_file(image, image_size, path, &diag)
			    : objfmt_elf_write_file(obj, path, &diag);
		if (err) {
			fprintf(stderr, "ebpf-cc: error: %s: %s: %s\n", path, diag.where, diag.message);
			return 1;
		}
		return 0;
	}
	FILE *out = strcmp(path, "-") ? fopen(path, "w") : stdout;

	if (!out) {
		fprintf(stderr, "ebpf-cc: error: cannot open '%s': %s\n", path, strerror(errno));
		return 1;
	}
	err = cc_driver_write_assembly(obj, out);
	if (out != stdout && fclose(out))
		err = -EIO;
	if (err) {
		fprintf(stderr, "ebpf-cc: error: cannot write assembly to '%s'\n", path);
		if (out != stdout)
			unlink(path);
		return 1;
	}
	return 0;
}

/* A compile is short-lived and allocates a few MB: a third of its CPU time went to
 * page faults on fresh memory (1086 for xdp_parser.bpf.c, 120 now) and to unmapping
 * it again. Keep every allocation on the
 * heap (no mmap per large block, no trimming: freed blocks are reused, not returned),
 * grow it in large steps and ask for transparent huge pages there, so that the
 * memory a compile touches costs a few faults instead of a thousand. Only hints:
 * nothing changes in what is computed. */
static void tune_memory(void)
{
#ifdef __GLIBC__
	enum { SMALL_PAGE = 4096, HUGE_PAGE = 2 << 20, HEAP_STEP = 8 << 20 };
	void *first;
	uintptr_t start, end;

	mallopt(M_MMAP_THRESHOLD, 256 << 20);
	mallopt(M_TRIM_THRESHOLD, 512 << 20);
	mallopt(M_TOP_PAD, HEAP_STEP);
#ifdef MADV_HUGEPAGE
	/* A page touched before the advice keeps its 2 MB region on small pages, and
	 * malloc writes its headers at the start of the heap: let the heap start one
	 * small page before a huge page boundary (the gap is never touched). */
	start = (uintptr_t)sbrk(0) + SMALL_PAGE;
	if (start % HUGE_PAGE && sbrk(HUGE_PAGE - start % HUGE_PAGE) != (void *)-1)
		start += HUGE_PAGE - start % HUGE_PAGE;
	first = malloc(1); /* grows the heap by HEAP_STEP */
	end = (uintptr_t)sbrk(0) & ~(uintptr_t)(HUGE_PAGE - 1);
	if (first && start % HUGE_PAGE == 0 && end > start)
		madvise((void *)start, end - start, MADV_HUGEPAGE);
	free(first);
#endif
#endif
}

int main(int argc, char **argv)
{
	static char storage[16384];
	const char *cpp_argv[1024];
	struct driver d = { 0 };
	struct objfmt_object *obj = NULL;
	struct cc_diagnostics *diags = NULL;
	bool compiled = false;
	char *text = NULL;
	size_t size = 0;
	int rc, err;
	const char *output;

	tune_memory();
	rc = parse_args(&d, argc, argv);
	if (rc)
		return rc;
	if (d.output)
		output = d.output;
	else if (d.mode == MODE_OBJECT || d.mode == MODE_ASSEMBLY)
		output = default_output(d.default_output_name, sizeof(d.default_output_name),
					d.input, d.mode == MODE_OBJECT ? ".o" : ".s");
	else
		output = "-";
	cpp_command(&d, cpp_argv, storage, sizeof(storage), output);
	d.debug_info = d.opts.debug_info;
	if (d.verify)
		d.opts.debug_info = true; /* line_info maps a rejection to its C line */
	if (is_preprocessed(d.input) && d.mode != MODE_PREPROCESS)
		rc = read_file(d.input, &text, &size);
	else if (!d.system_cpp && d.mode != MODE_PREPROCESS) {
		rc = compile_integrated(&d, output, &obj, &diags, &err);
		compiled = true;
	} else if (!d.system_cpp)
		rc = integrated_cpp(&d, output, &text, &size);
	else if (d.mode == MODE_PREPROCESS)
		return run_cpp(cpp_argv, false, NULL, NULL) ? 1 : 0;
	else
		rc = run_cpp(cpp_argv, true, &text, &size);
	if (!rc && d.mode == MODE_PREPROCESS)
		return 0;
	if (rc) {
		free(text);
		return 1;
	}
	if (!compiled)
		err = cc_compile_buffer(text, size, d.input, &d.opts, &obj, &diags);
	if ((print_diagnostics(&d, diags) || d.cpp_promoted) && !err) {
		objfmt_object__free(obj);
		obj = NULL;
		err = -EINVAL;
	}
	cc_diagnostics__free(diags);
	free(text);
	if (err) {
		if (err == -ENOMEM)
			fprintf(stderr, "ebpf-cc: error: out of memory\n");
		return 1;
	}
	/* with -g the image verification made is the output: serialised once */
	void *image = NULL;
	size_t image_size = 0;
	bool keep = d.debug_info && d.mode == MODE_OBJECT;
	if (d.verify && cc_driver_verify_image(obj, d.input, keep ? &image : NULL, &image_size)) {
		objfmt_object__free(obj);
		return 1;
	}
	if (!d.debug_info && cc_driver_strip_lines(obj)) {
		objfmt_object__free(obj);
		fprintf(stderr, "ebpf-cc: error: out of memory\n");
		return 1;
	}
	rc = write_output(&d, obj, output, image, image_size);
	free(image);
	objfmt_object__free(obj);
	return rc;
}
