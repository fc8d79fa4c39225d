/* cpp.c - the integrated preprocessor's entry point and services: arenas, the
 * identifier table, diagnostics, and the main loop that writes the output text or
 * hands the tokens to a sink (files and the include search path are in cpp_file.c). */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ebpf/objfmt.h>

#include "cpp_int.h"

/* ---- arena ---- */

struct cpp_arena_block {
	struct cpp_arena_block *next;
	size_t used, size;
	max_align_t data[];
};

void *cpp_alloc(struct cpp *cpp, size_t size)
{
	struct cpp_arena_block *b = cpp->arena;

	size = (size + 15) & ~(size_t)15;
	if (!b || b->used + size > b->size) {
		size_t block = size > (1 << 17) ? size : (1 << 17);

		b = malloc(sizeof(*b) + block);
		if (!b) {
			cpp->out_of_memory = true;
			return NULL;
		}
		b->next = cpp->arena;
		b->used = 0;
		b->size = block;
		cpp->arena = b;
	}
	b->used += size;
	return (char *)b->data + b->used - size;
}

void *cpp_scratch(struct cpp *cpp, size_t size)
{
	struct cpp_arena_block *b = cpp->scratch;

	size = (size + 15) & ~(size_t)15;
	if (!b || b->used + size > b->size) {
		size_t block = size > (1 << 16) ? size : (1 << 16);

		b = malloc(sizeof(*b) + block);
		if (!b) {
			cpp->out_of_memory = true;
			return NULL;
		}
		b->next = cpp->scratch;
		b->used = 0;
		b->size = block;
		cpp->scratch = b;
	}
	b->used += size;
	return (char *)b->data + b->used - size;
}

/* Grow the scratch allocation `old` (old_size bytes) to new_size: in place when it is
 * the newest allocation and its block has room, else by copying. */
void *cpp_scratch_grow(struct cpp *cpp, void *old, size_t old_size, size_t new_size)
{
	struct cpp_arena_block *b = cpp->scratch;
	size_t old_aligned = (old_size + 15) & ~(size_t)15;
	size_t new_aligned = (new_size + 15) & ~(size_t)15;
	void *p;

	if (old && b && (char *)old + old_aligned == (char *)b->data + b->used &&
	    b->used - old_aligned + new_aligned <= b->size) {
		b->used = b->used - old_aligned + new_aligned;
		return old;
	}
	p = cpp_scratch(cpp, new_size);
	if (p && old)
		memcpy(p, old, old_size);
	return p;
}

/* Everything cpp_scratch gave is dead: keep the newest block for reuse. */
static void scratch_reset(struct cpp *cpp)
{
	struct cpp_arena_block *b = cpp->scratch;

	if (!b)
		return;
	while (b->next) {
		struct cpp_arena_block *next = b->next->next;

		free(b->next);
		b->next = next;
	}
	b->used = 0;
}

char *cpp_strndup(struct cpp *cpp, const char *text, size_t length)
{
	char *s = cpp_alloc(cpp, length + 1);

	if (s) {
		memcpy(s, text, length);
		s[length] = '\0';
	}
	return s;
}

bool cpp_grow(void **array, uint32_t *capacity, uint32_t need, size_t element)
{
	uint32_t cap = *capacity ? *capacity : 8;
	void *p;

	if (need <= *capacity)
		return true;
	while (cap < need)
		cap *= 2;
	p = realloc(*array, cap * element);
	if (!p)
		return false;
	*array = p;
	*capacity = cap;
	return true;
}

/* ---- identifiers ---- */

static const struct {
	const char *name;
	enum cpp_directive_kind kind;
} directives[] = {
	{ "define", CPP_D_DEFINE }, { "undef", CPP_D_UNDEF }, { "include", CPP_D_INCLUDE },
	{ "include_next", CPP_D_INCLUDE_NEXT }, { "if", CPP_D_IF }, { "ifdef", CPP_D_IFDEF },
	{ "ifndef", CPP_D_IFNDEF }, { "elif", CPP_D_ELIF }, { "else", CPP_D_ELSE },
	{ "endif", CPP_D_ENDIF }, { "line", CPP_D_LINE }, { "error", CPP_D_ERROR },
	{ "warning", CPP_D_WARNING }, { "pragma", CPP_D_PRAGMA }, { "ident", CPP_D_IDENT },
	{ "sccs", CPP_D_IDENT }, { "elifdef", CPP_D_ELIFDEF }, { "elifndef", CPP_D_ELIFNDEF },
	{ "import", CPP_D_IMPORT },
};

/* The identifier table is open-addressed with the hash kept in the slot, so that a
 * lookup touches one cache line of the table and, on a hash match, the identifier
 * with its name stored inline: vmlinux.h makes hundreds of thousands of lookups. */
static bool rehash(struct cpp *cpp)
{
	uint32_t size = cpp->ident_mask ? (cpp->ident_mask + 1) * 2 : 4096;
	struct cpp_slot *table = calloc(size, sizeof(*table));

	if (!table)
		return false;
	for (uint32_t i = 0; cpp->idents && i <= cpp->ident_mask; i++) {
		uint32_t k = cpp->idents[i].hash & (size - 1);

		if (!cpp->idents[i].ident)
			continue;
		while (table[k].ident)
			k = (k + 1) & (size - 1);
		table[k] = cpp->idents[i];
	}
	free(cpp->idents);
	cpp->idents = table;
	cpp->ident_mask = size - 1;
	return true;
}

/* A multiplicative hash over 8-byte words: identifiers are long (BPF_FUNC_...) and
 * hashing them byte by byte showed in profiles. */
uint32_t cpp_hash_name(const char *name, size_t length)
{
	const uint64_t k = 0x9e3779b97f4a7c15ull;
	uint64_t h = length * k, w;

	for (; length >= 8; name += 8, length -= 8) {
		memcpy(&w, name, 8);
		h = (h ^ w) * k;
		h ^= h >> 29;
	}
	w = 0;
	for (size_t i = 0; i < length; i++)
		w |= (uint64_t)(unsigned char)name[i] << (8 * i);
	h = (h ^ w) * k;
	return (uint32_t)(h ^ (h >> 32));
}

struct cpp_ident *cpp_intern(struct cpp *cpp, const char *name, size_t length)
{
	uint32_t h = cpp_hash_name(name, length), k;
	struct cpp_ident *id;

	for (k = h & cpp->ident_mask; cpp->idents[k].ident; k = (k + 1) & cpp->ident_mask) {
		id = cpp->idents[k].ident;
		if (cpp->idents[k].hash == h && id->length == length &&
		    !memcmp(id->name, name, length))
			return id;
	}
	return cpp_intern_new(cpp, name, length, h);
}

struct cpp_ident *cpp_intern_new(struct cpp *cpp, const char *name, size_t length, uint32_t h)
{
	uint32_t k;
	struct cpp_ident *id;
	char *copy;

	if (2 * (cpp->ident_count + 1) > cpp->ident_mask && !rehash(cpp))
		return NULL;
	for (k = h & cpp->ident_mask; cpp->idents[k].ident; k = (k + 1) & cpp->ident_mask)
		;
	id = cpp_alloc(cpp, sizeof(*id) + length + CPP_LEX_PADDING);
	if (!id)
		return NULL;
	memset(id, 0, sizeof(*id));
	copy = (char *)(id + 1);
	memcpy(copy, name, length);
	memset(copy + length, 0, CPP_LEX_PADDING);
	id->name = copy;
	id->length = (uint32_t)length;
	id->hash = h;
	cpp->idents[k].hash = h;
	cpp->idents[k].ident = id;
	cpp->ident_count++;
	return id;
}

static bool init_idents(struct cpp *cpp)
{
	struct cpp_ident *id;

	if (!rehash(cpp))
		return false;
	for (size_t i = 0; i < sizeof(directives) / sizeof(directives[0]); i++) {
		id = cpp_intern(cpp, directives[i].name, strlen(directives[i].name));
		if (!id)
			return false;
		id->directive = (uint8_t)directives[i].kind;
	}
	if (!(id = cpp_intern(cpp, "__VA_ARGS__", 11)))
		return false;
	id->va_args = true;
	if (!(id = cpp_intern(cpp, "__VA_OPT__", 10)))
		return false;
	id->va_opt = true;
	if (!(id = cpp_intern(cpp, "defined", 7)))
		return false;
	id->defined_op = true;
	return true;
}

/* ---- diagnostics ---- */

static bool source_line(const char *path, uint32_t line, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	bool found = false;

	if (!f)
		return false;
	for (uint32_t n = 1; fgets(buf, (int)size, f); n++) {
		if (n == line) {
			buf[strcspn(buf, "\n")] = '\0';
			found = true;
			break;
		}
		if (!strchr(buf, '\n'))
			n--;
	}
	fclose(f);
	return found;
}

/* "In file included from B.h:3,\n                 from a.c:1:\n" before a diagnostic in a
 * header, as gcc prints it, once per include stack. */
static size_t include_chain(struct cpp *cpp, uint32_t file, char *buf, size_t size)
{
	size_t n = 0;

	if (cpp->depth < 2 || cpp->stack[cpp->depth - 1].file_index != file ||
	    cpp->stack[cpp->depth - 1].file == cpp->chain_printed_for)
		return 0;
	cpp->chain_printed_for = cpp->stack[cpp->depth - 1].file;
	for (uint32_t i = cpp->depth - 1; i >= 1 && n < size; i--) {
		const struct cpp_source *from = &cpp->stack[i - 1];
		int w = snprintf(buf + n, size - n, "%s %s:%u%s\n",
				 i == cpp->depth - 1 ? "In file included from" : "                 from",
				 cpp->files[from->file_index]->path,
				 cpp->stack[i].return_line - 1 + (uint32_t)from->line_delta,
				 i == 1 ? ":" : ",");

		if (w < 0)
			break;
		n += (size_t)w;
	}
	return n < size ? n : size - 1;
}

void cpp_error(struct cpp *cpp, uint32_t file, uint32_t line, uint32_t column,
	       const char *severity, const char *fmt, ...)
{
	char message[512], text[4096], src[1024];
	size_t chain;
	const char *path = file < cpp->file_count ? cpp->files[file]->path : "<unknown>";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	if (strcmp(severity, "warning") && strcmp(severity, "note"))
		cpp->errors++;
	if (!strcmp(severity, "fatal error"))
		cpp->fatal = true;
	bool have;

	if (file <= 1)
		line = column = 0; /* "<command-line>: warning: ..." as gcc prints it */
	have = line && column && source_line(path, line, src, sizeof(src));
	chain = strcmp(severity, "note") ? include_chain(cpp, file, text, sizeof(text) / 2) : 0;
	objfmt_diag_format_source(text + chain, sizeof(text) - chain, path, line, column,
				  severity, message, have ? src : NULL);
	if (cpp->opts->diagnostic)
		cpp->opts->diagnostic(cpp->opts->diagnostic_context, text);
}

void cpp_error_at(struct cpp *cpp, const struct cpp_token *t, const char *fmt, ...)
{
	char message[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	cpp_error(cpp, t->file, t->line, t->column, "error", "%s", message);
}

/* ---- the main loop ---- */

static void emit(struct cpp *cpp, const struct cpp_token *t)
{
	if (cpp->last_from_context)
		cpp_out_token(cpp, t, cpp->expansion_file, cpp->expansion_line,
			      cpp->expansion_column);
	else
		cpp_out_token(cpp, t, t->file, t->line, t->column);
}

static void run(struct cpp *cpp)
{
	struct cpp_token t;

	for (;;) {
		if (!cpp->context_depth && !cpp->parsing_args)
			scratch_reset(cpp);
		if (cpp_get(cpp, &t) < 0 || cpp->out_of_memory || cpp->fatal)
			return;
		if (t.kind == CPP_EOF && !cpp->context_depth && !cpp->depth)
			break;
		if (t.kind == CPP_EOF)
			continue;
		emit(cpp, &t);
	}
	if (cpp->out.printed)
		cpp_out_text(cpp, "\n", 1);
	if (cpp->out.sink)
		cpp->out.sink->end(cpp->out.sink->context, cpp->out.sink_line,
				   cpp->out.sink_column + 1);
}

static struct cpp_file *pseudo_file(struct cpp *cpp, const char *name)
{
	struct cpp_file *f = cpp_alloc(cpp, sizeof(*f));

	if (f) {
		memset(f, 0, sizeof(*f));
		f->path = (char *)name;
		f->text = (char *)"";
	}
	return f;
}

static int define_all(struct cpp *cpp)
{
	const struct cpp_options *o = cpp->opts;
	int err = 0;

	cpp_define_builtins(cpp);
	for (int i = 0; !err && o->predefined && o->predefined[i]; i++)
		err = cpp_define_text(cpp, o->predefined[i], false);
	for (int i = 0; !err && i < o->arg_count; i++)
		if (o->args[i].kind == CC_CPP_DEFINE || o->args[i].kind == CC_CPP_UNDEF)
			err = cpp_define_text(cpp, o->args[i].value, o->args[i].kind == CC_CPP_UNDEF);
	return err;
}

/* -include FILE: read before the main file, found from the working directory first. */
static int forced_includes(struct cpp *cpp)
{
	const struct cpp_options *o = cpp->opts;

	for (int i = 0; i < o->arg_count; i++) {
		char *path;
		int system;
		int dir_index, rc;
		struct cpp_token t;

		if (o->args[i].kind != CC_CPP_INCLUDE)
			continue;
		rc = cpp_file_exists(o->args[i].value) ? 0 : 1;
		path = (char *)o->args[i].value;
		dir_index = -2;
		system = 0;
		if (rc)
			rc = cpp_find_include(cpp, o->args[i].value, true, false, &path, &system,
					      &dir_index);
		if (rc) {
			cpp_error(cpp, 1, 0, 0, "fatal error", "%s: No such file or directory",
				  o->args[i].value);
			return rc < 0 ? rc : 0;
		}
		/* entered from the "<command-line>" pseudo file */
		struct cpp_source *cmd = &cpp->stack[cpp->depth++];

		memset(cmd, 0, sizeof(*cmd));
		cmd->file = cpp->files[1];
		cmd->file->text = (char *)"";
		cmd->file->size = 0;
		cmd->file_index = 1;
		cmd->pos = cmd->line_start = cmd->file->text;
		cmd->cond_depth = cpp->cond_depth;
		rc = cpp_enter_file(cpp, path, system, dir_index, 0);
		if (rc)
			return rc < 0 ? rc : 0;
		while (cpp->depth >= 2) {
			if (cpp_get(cpp, &t) < 0)
				return -ENOMEM;
			if (t.kind == CPP_EOF)
				break;
			emit(cpp, &t);
		}
		cpp->depth = 0;
	}
	return 0;
}

static int start(struct cpp *cpp)
{
	struct cpp_file *builtin = pseudo_file(cpp, "<built-in>");
	struct cpp_file *command = pseudo_file(cpp, "<command-line>");
	uint32_t index;
	struct cpp_file *main_file;
	int err;

	if (!builtin || !command || !init_idents(cpp))
		return -ENOMEM;
	cpp_lex_init();
	cpp_add_file(cpp, builtin);
	cpp_add_file(cpp, command);
	cpp->eof.kind = CPP_EOF;
	cpp->padding_avoid.kind = CPP_PADDING;
	cpp->out.prev.kind = CPP_NEWLINE;
	cpp->out.sink = cpp->opts->sink;
	cpp_build_search_path(cpp);
	if (cpp->opts->dump_defines)
		cpp_dump_defines_head(cpp);
	err = define_all(cpp);
	if (err)
		return err;
	main_file = cpp_open_file(cpp, cpp->opts->input, &index);
	if (!main_file) {
		if (cpp->out_of_memory)
			return -ENOMEM;
		cpp_error(cpp, 1, 0, 0, "fatal error", "%s: %s", cpp->opts->input, strerror(errno));
		return 0;
	}
	cpp_add_dep(cpp, main_file->path);
	cpp->out.file = index;
	cpp_out_text(cpp, "", 0);
	char head[64];

	snprintf(head, sizeof(head), "# 0 \"");
	if (!cpp->opts->dump_defines) {
		cpp_out_text(cpp, head, strlen(head));
		cpp_out_text(cpp, main_file->path, strlen(main_file->path));
	}
	snprintf(head, sizeof(head), "\"\n# 0 \"<built-in>\"\n# 0 \"<command-line>\"\n");
	if (!cpp->opts->dump_defines)
		cpp_out_text(cpp, head, strlen(head));
	cpp->out.file = 1;
	cpp->out.line = 0;
	if (!cpp_grow((void **)&cpp->stack, &cpp->stack_capacity, 4, sizeof(*cpp->stack)))
		return -ENOMEM;
	err = forced_includes(cpp);
	if (err)
		return err;
	cpp->depth = 0;
	err = cpp_enter_file(cpp, main_file->path, false, -2, 0);
	if (err)
		return err < 0 ? err : 0;
	cpp->out.printed = false;
	cpp_out_file_change(cpp, index, 1, 0);
	run(cpp);
	if (cpp->opts->dump_macros) {
		cpp->out.length = 0;
		cpp_dump_macros(cpp);
	}
	return 0;
}

static void release(struct cpp *cpp)
{
	while (cpp->arena) {
		struct cpp_arena_block *next = cpp->arena->next;

		free(cpp->arena);
		cpp->arena = next;
	}
	while (cpp->scratch) {
		struct cpp_arena_block *next = cpp->scratch->next;

		free(cpp->scratch);
		cpp->scratch = next;
	}
	free(cpp->idents);
	free(cpp->files);
	free(cpp->stack);
	free(cpp->conds);
	free(cpp->contexts);
	free(cpp->dirs);
	free(cpp->dir_system);
	free(cpp->deps);
}

int cpp_preprocess(const struct cpp_options *opts, struct cpp_result *result)
{
	struct cpp cpp = { .opts = opts };
	int err;

	memset(result, 0, sizeof(*result));
	err = start(&cpp);
	if (!err && cpp.out_of_memory)
		err = -ENOMEM;
	result->errors = cpp.errors;
	result->text = cpp.out.data;
	result->size = opts->sink ? 0 : cpp.out.length;
	if (!result->text)
		result->text = calloc(1, 1);
	else
		result->text[result->size] = '\0';
	result->deps = calloc(cpp.dep_count + 1, sizeof(*result->deps));
	result->dep_system = calloc(cpp.dep_count + 1, sizeof(*result->dep_system));
	for (uint32_t i = 0; result->deps && result->dep_system && i < cpp.dep_count; i++) {
		result->deps[i] = strdup(cpp.deps[i]);
		for (uint32_t k = 2; k < cpp.file_count; k++)
			if (!strcmp(cpp.files[k]->path, cpp.deps[i]))
				result->dep_system[i] = cpp.files[k]->system;
		result->dep_count = i + 1;
	}
	release(&cpp);
	if (!err && (!result->text || !result->deps || !result->dep_system))
		err = -ENOMEM;
	return err;
}

void cpp_result_free(struct cpp_result *result)
{
	for (size_t i = 0; result->deps && i < result->dep_count; i++)
		free(result->deps[i]);
	free(result->deps);
	free(result->dep_system);
	free(result->text);
	memset(result, 0, sizeof(*result));
}
