/* compile.c - libcc's entry point: one translation unit through the passes in order
 * (lex -- or take the integrated preprocessor's tokens --, parse with semantic checks,
 * code generation into an object with BTF). */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cc_int.h"

struct cc_diagnostics *cc_diagnostics_new(void);
void cc_intern_free(struct cc_unit *unit);

static int check_options(const struct cc_options *opts, struct cc_options *out)
{
	memset(out, 0, sizeof(*out));
	if (!opts) {
		out->size = sizeof(*out);
		out->optimize = 2;
		return 0;
	}
	if (opts->size < sizeof(size_t))
		return -EINVAL;
	for (size_t i = sizeof(*out); i < opts->size; i++)
		if (((const unsigned char *)opts)[i])
			return -EINVAL;
	memcpy(out, opts, opts->size < sizeof(*out) ? opts->size : sizeof(*out));
	out->size = sizeof(*out);
	return 0;
}

int cc_compile_with(int (*lex)(struct cc_unit *unit, void *context), void *context,
		    const char *file_name, const struct cc_options *opts,
		    struct objfmt_object **object, struct cc_diagnostics **diagnostics)
{
	struct cc_options options;
	struct cc_unit unit = { 0 };
	int err;

	*object = NULL;
	if (diagnostics)
		*diagnostics = NULL;
	err = check_options(opts, &options);
	if (err)
		return err;
	unit.opts = &options;
	unit.arena = cc_arena_new();
	unit.diags = cc_diagnostics_new();
	if (!unit.arena || !unit.diags) {
		err = -ENOMEM;
		goto out;
	}
	unit.main_file = cc_intern(&unit, file_name ? file_name : "<stdin>");
	err = lex(&unit, context);
	if (!err && !unit.errors)
		err = cc_parse(&unit);
	if (!err && !unit.errors)
		err = cc_emit_object(&unit);
	if (!err && unit.errors)
		err = -EINVAL;
	if (err) {
		objfmt_object__free(unit.object);
		unit.object = NULL;
		if (!unit.errors && err != -ENOMEM)
			err = err ? err : -EINVAL;
	}
	*object = unit.object;
out:
	free(unit.tokens);
	cc_intern_free(&unit);
	cc_arena_free(unit.arena);
	if (diagnostics)
		*diagnostics = unit.diags;
	else
		cc_diagnostics__free(unit.diags);
	return err;
}

struct text {
	const char *text;
	size_t size;
};

static int lex_text(struct cc_unit *unit, void *context)
{
	const struct text *t = context;

	return cc_lex(unit, t->text, t->size);
}

int cc_compile_buffer(const char *text, size_t size, const char *file_name,
		      const struct cc_options *opts, struct objfmt_object **object,
		      struct cc_diagnostics **diagnostics)
{
	struct text t = { text, size };

	return cc_compile_with(lex_text, &t, file_name, opts, object, diagnostics);
}
