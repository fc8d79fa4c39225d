/* compile_file.c - cc_compile_file: a source file through the integrated preprocessor
 * (the macros and search path `ebpf-cc -c` uses) and the compiler, in-process, the
 * tokens handed over as ebpf-cc -c hands them (handoff.c), with preprocessor errors
 * returned as diagnostics like the compiler's own. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cc_int.h"
#include "cpp.h"
#include "driver_int.h"
#include "ebpf/cc.h"

struct cc_diagnostics *cc_diagnostics_new(void);
void cc_intern_free(struct cc_unit *unit);

static const struct {
	const char *flag;
	enum cc_cpp_arg_kind kind;
} flag_kinds[] = {
	{ "-D", CC_CPP_DEFINE }, { "-U", CC_CPP_UNDEF }, { "-I", CC_CPP_DIR },
	{ "-isystem", CC_CPP_SYSTEM_DIR }, { "-iquote", CC_CPP_QUOTE_DIR },
	{ "-idirafter", CC_CPP_AFTER_DIR }, { "-include", CC_CPP_INCLUDE },
};

/* The flag/value pairs as preprocessor arguments; -EINVAL for an unknown flag. */
static int cpp_arguments(const char *const *pairs, size_t count, struct cc_cpp_arg *args)
{
	if (count % 2)
		return -EINVAL;
	for (size_t i = 0; i < count; i += 2) {
		size_t k = 0;

		while (k < sizeof(flag_kinds) / sizeof(flag_kinds[0]) &&
		       strcmp(pairs[i], flag_kinds[k].flag))
			k++;
		if (k == sizeof(flag_kinds) / sizeof(flag_kinds[0]) || !pairs[i + 1])
			return -EINVAL;
		args[i / 2] = (struct cc_cpp_arg){ flag_kinds[k].kind, pairs[i + 1] };
	}
	return 0;
}

/* One preprocessor message, "FILE:LINE:COL: error: TEXT\n" + source line and caret,
 * recorded as a diagnostic (the source line is read again when it is formatted). */
static void record(void *context, const char *text)
{
	struct cc_unit *u = context;
	struct cc_loc loc = { 0 };
	const char *kind = strstr(text, ": error: "), *body;
	char file[4096], message[256];
	size_t len;
	bool warning = false;

	if (!kind && (kind = strstr(text, ": fatal error: ")))
		body = kind + strlen(": fatal error: ");
	else if (!kind && (kind = strstr(text, ": warning: ")))
		body = kind + strlen(": warning: "), warning = true;
	else
		body = kind ? kind + strlen(": error: ") : text;
	len = kind && (size_t)(kind - text) < sizeof(file) ? (size_t)(kind - text) : 0;
	memcpy(file, text, len);
	file[len] = '\0';
	for (int field = 0; field < 2; field++) { /* FILE:LINE:COL or FILE:LINE */
		char *colon = strrchr(file, ':');

		if (!colon || !colon[1] || strspn(colon + 1, "0123456789") != strlen(colon + 1))
			break;
		loc.column = loc.line;
		loc.line = (unsigned)strtoul(colon + 1, NULL, 10);
		*colon = '\0';
	}
	loc.file = cc_intern(u, file[0] ? file : "<command-line>");
	len = strcspn(body, "\n");
	snprintf(message, sizeof(message), "%.*s", (int)(len < 255 ? len : 255), body);
	if (warning)
		cc_warning(u, loc, "%s", message);
	else
		cc_error(u, loc, "%s", message);
}

/* The predefined macros ebpf-cc gives the integrated preprocessor. */
static void predefined_macros(const struct cc_options *opts, const char **list, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; cc_driver_predefined_standard[i] && n + 2 < max; i++)
		list[n++] = cc_driver_predefined_standard[i];
	for (size_t i = 0; cc_driver_predefined[i] && n + 2 < max; i++)
		list[n++] = cc_driver_predefined[i];
	if (opts->optimize)
		list[n++] = "__OPTIMIZE__=1";
	list[n] = NULL;
}

/* Preprocess `file` and compile its tokens as they come (handoff.c, as ebpf-cc -c
 * does): the preprocessor's errors go to u's diagnostics and then result->errors is
 * set; *compiled tells whether the compile ran (the flags were valid). */
static int preprocess(struct cc_unit *u, const char *file, const char *const *cpp_args,
		      size_t cpp_arg_count, struct cpp_result *result, bool *compiled,
		      struct objfmt_object **object, struct cc_diagnostics **diagnostics)
{
	const char *predefined[256];
	struct cc_cpp_arg *args = calloc(cpp_arg_count / 2 + 1, sizeof(*args));
	struct cpp_options o = { .input = file, .args = args, .arg_count = (int)(cpp_arg_count / 2),
				 .predefined = predefined, .diagnostic = record,
				 .diagnostic_context = u };
	int err;

	memset(result, 0, sizeof(*result));
	if (!args)
		return -ENOMEM;
	err = cpp_arguments(cpp_args, cpp_arg_count, args);
	predefined_macros(u->opts, predefined, sizeof(predefined) / sizeof(predefined[0]));
	if (!err) {
		err = cc_driver_compile_cpp(&o, result, file, u->opts, object, diagnostics);
		*compiled = true;
	}
	free(args);
	return err;
}

int cc_compile_file(const char *file, const char *const *cpp_args, size_t cpp_arg_count,
		    const struct cc_options *opts, struct objfmt_object **object,
		    struct cc_diagnostics **diagnostics)
{
	struct cc_unit u = { .arena = cc_arena_new(), .opts = opts, .diags = cc_diagnostics_new() };
	struct cpp_result result = { 0 };
	int err = u.arena && u.diags ? 0 : -ENOMEM;
	bool compiled = false;

	*object = NULL;
	if (diagnostics)
		*diagnostics = NULL;
	if (!err)
		err = preprocess(&u, file, cpp_args, cpp_arg_count, &result, &compiled, object,
				 diagnostics);
	if (result.errors) { /* the preprocessor's messages, not the compiler's */
		objfmt_object__free(*object);
		*object = NULL;
		if (diagnostics) {
			cc_diagnostics__free(*diagnostics);
			*diagnostics = NULL;
		}
		err = -EINVAL;
	} else if (compiled) {
		cc_diagnostics__free(u.diags);
		u.diags = NULL;
	}
	cpp_result_free(&result);
	if (diagnostics && u.diags)
		*diagnostics = u.diags;
	else
		cc_diagnostics__free(u.diags);
	cc_intern_free(&u);
	cc_arena_free(u.arena);
	return err;
}
