/* cpp_file.c - the preprocessor's files: each read once (splices removed, offsets
 * kept for line numbers), the include search path as gcc -E builds it for this host,
 * #include/#include_next lookup, entering a file (include guards, #pragma once). */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpp_int.h"

uint32_t cpp_add_file(struct cpp *cpp, struct cpp_file *f)
{
	if (!cpp_grow((void **)&cpp->files, &cpp->file_capacity, cpp->file_count + 1,
		      sizeof(*cpp->files))) {
		cpp->out_of_memory = true;
		return 0;
	}
	cpp->files[cpp->file_count] = f;
	return cpp->file_count++;
}

/* #line "name": the same text under another name, for markers and __FILE__. */
uint32_t cpp_add_file_name(struct cpp *cpp, struct cpp_file *file, const char *name)
{
	struct cpp_file *copy = cpp_alloc(cpp, sizeof(*copy));

	if (!copy)
		return 0;
	*copy = *file;
	copy->path = (char *)name;
	return cpp_add_file(cpp, copy);
}

/* Remove backslash-newline splices from text[0..n) in place, recording where each
 * was so that lines can still be counted. Returns the new length, or -1 (no memory). */
static long remove_splices(struct cpp *cpp, struct cpp_file *f, char *text, size_t n)
{
	const char *r = text, *end = text + n;
	char *w = text;
	uint32_t cap = 0;

	while (r < end) {
		const char *slash = memchr(r, '\\', (size_t)(end - r));
		size_t run = slash ? (size_t)(slash - r) : (size_t)(end - r);

		if (w != r)
			memmove(w, r, run);
		w += run;
		r += run;
		if (r >= end)
			break;
		if (r[1] != '\n' && !(r[1] == '\r' && r[2] == '\n')) {
			*w++ = *r++;
			continue;
		}
		r += r[1] == '\n' ? 2 : 3;
		if (f->splice_count == cap) {
			uint32_t *s = cpp_alloc(cpp, (cap * 2 + 64) * sizeof(*s));

			if (!s)
				return -1;
			if (f->splice_count)
				memcpy(s, f->splices, f->splice_count * sizeof(*s));
			f->splices = s;
			cap = cap * 2 + 64;
		}
		f->splices[f->splice_count++] = (uint32_t)(w - text);
	}
	*w = '\0';
	return (long)(w - text);
}

/* Room for n bytes of text, a newline, its NUL and the lexer's padding (zeroed). */
static char *alloc_text(struct cpp *cpp, size_t n)
{
	char *text = cpp_alloc(cpp, n + 2 + CPP_LEX_PADDING);

	if (text)
		memset(text + n, 0, 2 + CPP_LEX_PADDING);
	return text;
}

/* A regular file's bytes, with room for a newline and a NUL after them. */
static char *read_regular(struct cpp *cpp, int fd, size_t size, size_t *n)
{
	char *text = alloc_text(cpp, size);

	*n = 0;
	for (ssize_t r; text && *n < size; *n += (size_t)r) {
		r = read(fd, text + *n, size - *n);
		if (r <= 0)
			break;
	}
	return text;
}

/* A pipe's bytes (standard input), read to its end. */
static char *read_stream(struct cpp *cpp, int fd, size_t *n)
{
	size_t cap = 1 << 16;
	char *buf = malloc(cap), *text = NULL;

	*n = 0;
	for (ssize_t r; buf; *n += (size_t)r) {
		if (*n + 4096 > cap) {
			char *bigger = realloc(buf, cap *= 2);

			if (!bigger)
				break;
			buf = bigger;
		}
		r = read(fd, buf + *n, cap - *n);
		if (r <= 0) {
			text = alloc_text(cpp, *n);
			if (text)
				memcpy(text, buf, *n);
			break;
		}
	}
	free(buf);
	return text;
}

/* Read a file, ending it with a newline, splices removed. */
static struct cpp_file *load_file(struct cpp *cpp, const char *path, int fd)
{
	struct cpp_file *f = cpp_alloc(cpp, sizeof(*f));
	struct stat st;
	char *text;
	size_t n = 0;

	if (!f || fstat(fd, &st))
		return NULL;
	memset(f, 0, sizeof(*f));
	f->device = st.st_dev;
	f->inode = st.st_ino;
	f->path = cpp_strndup(cpp, path, strlen(path));
	text = S_ISREG(st.st_mode) ? read_regular(cpp, fd, (size_t)st.st_size, &n)
				   : read_stream(cpp, fd, &n);
	if (!text || !f->path)
		return NULL;
	if (n && text[n - 1] != '\n')
		text[n++] = '\n';
	text[n] = '\0';
	if (memchr(text, '\\', n)) {
		long length = remove_splices(cpp, f, text, n);

		if (length < 0)
			return NULL;
		n = (size_t)length;
	}
	f->text = text;
	f->size = n;
	return f;
}

/* The file at path, read once; NULL (errno) if it cannot be opened. */
struct cpp_file *cpp_open_file(struct cpp *cpp, const char *path, uint32_t *index)
{
	struct cpp_file *f;
	int fd;

	for (uint32_t i = 2; i < cpp->file_count; i++)
		if (!strcmp(cpp->files[i]->path, path)) {
			*index = i;
			return cpp->files[i];
		}
	if (!strcmp(path, "-")) {
		fd = dup(0);
		path = "<stdin>";
	} else {
		fd = open(path, O_RDONLY);
	}
	if (fd < 0)
		return NULL;
	f = load_file(cpp, path, fd);
	close(fd);
	if (!f)
		return NULL;
	*index = cpp_add_file(cpp, f);
	return f;
}

bool cpp_file_exists(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

/* What a path names, as stat() saw it the first time the include search asked. */
enum cpp_probe_kind { PROBE_NONE = 1, PROBE_FILE, PROBE_DIRECTORY };

struct cpp_probe {
	const char *path;  /* NULL: empty slot */
	uint64_t hash;
	uint8_t kind;      /* enum cpp_probe_kind */
};

static uint64_t path_hash(const char *path, size_t length)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < length; i++)
		h = (h ^ (unsigned char)path[i]) * 1099511628211ull;
	return h;
}

/* Room for one more probe (the table lives in the run's arena; doubling). */
static bool probes_grow(struct cpp *cpp)
{
	uint32_t size = cpp->probe_mask ? (cpp->probe_mask + 1) * 2 : 256;
	struct cpp_probe *table;

	if (cpp->probes && 2 * (cpp->probe_count + 1) <= cpp->probe_mask)
		return true;
	table = cpp_alloc(cpp, size * sizeof(*table));
	if (!table)
		return false;
	memset(table, 0, size * sizeof(*table));
	for (uint32_t i = 0; cpp->probes && i <= cpp->probe_mask; i++) {
		uint32_t k = (uint32_t)cpp->probes[i].hash & (size - 1);

		if (!cpp->probes[i].path)
			continue;
		while (table[k].path)
			k = (k + 1) & (size - 1);
		table[k] = cpp->probes[i];
	}
	cpp->probes = table;
	cpp->probe_mask = size - 1;
	return true;
}

/* stat() of path[0..length), asked once per path: every inclusion of a header, even
 * a guarded one, searches the same directories again, and every linux/... header is
 * looked for in each system directory before the one that has it. */
static enum cpp_probe_kind probe(struct cpp *cpp, const char *path, size_t length)
{
	uint64_t h = path_hash(path, length);
	uint32_t k;
	struct stat st;
	char *copy;

	if (!probes_grow(cpp))
		return PROBE_NONE;
	for (k = (uint32_t)h & cpp->probe_mask; cpp->probes[k].path; k = (k + 1) & cpp->probe_mask)
		if (cpp->probes[k].hash == h && !strncmp(cpp->probes[k].path, path, length) &&
		    !cpp->probes[k].path[length])
			return cpp->probes[k].kind;
	copy = cpp_strndup(cpp, path, length);
	if (!copy)
		return PROBE_NONE;
	cpp->probes[k].path = copy;
	cpp->probes[k].hash = h;
	cpp->probes[k].kind = stat(copy, &st) ? PROBE_NONE : S_ISREG(st.st_mode) ? PROBE_FILE
			      : S_ISDIR(st.st_mode) ? PROBE_DIRECTORY : PROBE_NONE;
	cpp->probe_count++;
	return cpp->probes[k].kind;
}

/* Does dir/name name a regular file? When name has a directory part (linux/bpf.h),
 * a dir without that subdirectory answers no without looking for the file. */
static bool search_exists(struct cpp *cpp, const char *path, size_t dir_length)
{
	const char *slash = dir_length ? strchr(path + dir_length + 1, '/') : NULL;

	if (slash && probe(cpp, path, (size_t)(slash - path)) != PROBE_DIRECTORY)
		return false;
	return probe(cpp, path, strlen(path)) == PROBE_FILE;
}

static char *join(struct cpp *cpp, const char *dir, size_t dir_length, const char *name)
{
	size_t n = strlen(name);
	char *p = cpp_alloc(cpp, dir_length + n + 2);

	if (!p)
		return NULL;
	if (dir_length) {
		memcpy(p, dir, dir_length);
		p[dir_length] = '/';
		memcpy(p + dir_length + 1, name, n + 1);
	} else {
		memcpy(p, name, n + 1);
	}
	return p;
}

int cpp_find_include(struct cpp *cpp, const char *name, bool angled, bool next,
		     char **path, int *system, int *dir_index)
{
	const struct cpp_source *src = cpp->depth ? &cpp->stack[cpp->depth - 1] : NULL;
	uint32_t start = angled ? cpp->quote_count : 0;

	*system = 0;
	*dir_index = -2;
	if (name[0] == '/') {
		*path = cpp_strndup(cpp, name, strlen(name));
		return !*path ? -ENOMEM : cpp_file_exists(name) ? 0 : 1;
	}
	if (next && src && src->dir_index >= 0) {
		start = (uint32_t)src->dir_index + 1;
	} else if (next && src && src->dir_index == -1) {
		start = 0;
	} else if (!angled && src) {
		const char *p = cpp->files[src->file_index]->path, *slash = strrchr(p, '/');

		*path = join(cpp, p, slash ? (size_t)(slash - p) : 0, name);
		if (!*path)
			return -ENOMEM;
		if (search_exists(cpp, *path, slash ? (size_t)(slash - p) : 0)) {
			*dir_index = -1;
			*system = cpp->files[src->file_index]->system;
			return 0;
		}
	}
	for (uint32_t i = start; i < cpp->dir_count; i++) {
		size_t dir_length = strlen(cpp->dirs[i]);

		*path = join(cpp, cpp->dirs[i], dir_length, name);
		if (!*path)
			return -ENOMEM;
		if (search_exists(cpp, *path, dir_length)) {
			*dir_index = (int)i;
			*system = cpp->dir_system[i];
			return 0;
		}
	}
	return 1;
}

void cpp_add_dep(struct cpp *cpp, const char *path)
{
	for (uint32_t i = 0; i < cpp->dep_count; i++)
		if (!strcmp(cpp->deps[i], path))
			return;
	if (cpp_grow((void **)&cpp->deps, &cpp->dep_capacity, cpp->dep_count + 1,
		     sizeof(*cpp->deps)))
		cpp->deps[cpp->dep_count++] = path;
}

/* The files[] entry to enter file `index` by: system-ness belongs to an inclusion, not
 * to a file (gcc's line maps), so a header reached both from a system directory and
 * by its path gets one entry for each; they share the text, guard and once state. */
static uint32_t file_variant(struct cpp *cpp, uint32_t index, int system)
{
	struct cpp_file *f = cpp->files[index], *copy;

	if (!f->entered) {
		f->entered = true;
		f->system = (uint8_t)system;
		return index;
	}
	if (f->system == system)
		return index;
	for (uint32_t i = 2; i < cpp->file_count; i++)
		if (cpp->files[i]->text == f->text && cpp->files[i]->system == system &&
		    !strcmp(cpp->files[i]->path, f->path))
			return i;
	copy = cpp_alloc(cpp, sizeof(*copy));
	if (!copy)
		return index;
	*copy = *f;
	copy->system = (uint8_t)system;
	copy->renamed = true;
	return cpp_add_file(cpp, copy);
}

int cpp_enter_file(struct cpp *cpp, const char *path, int system, int dir_index,
		   uint32_t return_line)
{
	uint32_t index;
	struct cpp_file *f = cpp_open_file(cpp, path, &index);
	struct cpp_source *src;

	if (!f) {
		if (cpp->out_of_memory)
			return -ENOMEM;
		cpp_error(cpp, cpp->depth ? cpp->stack[cpp->depth - 1].file_index : 1, 0, 0,
			  "fatal error", "%s: %s", path, strerror(errno));
		return 2;
	}
	cpp_add_dep(cpp, f->path);
	if (f->once || (f->guard && f->guard->macro))
		return 0;
	for (uint32_t i = 2; i < cpp->file_count; i++)
		if (cpp->files[i]->once && cpp->files[i]->device == f->device &&
		    cpp->files[i]->inode == f->inode && cpp->files[i]->text != f->text)
			return 0;
	index = file_variant(cpp, index, system);
	if (!cpp_grow((void **)&cpp->stack, &cpp->stack_capacity, cpp->depth + 1,
		      sizeof(*cpp->stack)))
		return -ENOMEM;
	src = &cpp->stack[cpp->depth++];
	memset(src, 0, sizeof(*src));
	src->file = f;
	src->file_index = index;
	src->dir_index = dir_index;
	src->pos = src->line_start = f->text;
	src->line = 1;
	src->at_bol = true;
	src->cond_depth = cpp->cond_depth;
	src->return_line = return_line;
	if (cpp->depth > 1) {
		cpp->include_line = return_line - 1 + (uint32_t)cpp->stack[cpp->depth - 2].line_delta;
		cpp_out_file_change(cpp, index, 1, 1);
	}
	return 0;
}

/* ---- search path ---- */

static void add_dir(struct cpp *cpp, const char *dir, int system)
{
	size_t n = strlen(dir);
	char *copy;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	copy = cpp_strndup(cpp, dir, n);
	if (!copy || !cpp_grow((void **)&cpp->dirs, &cpp->dir_capacity, cpp->dir_count + 1,
			       sizeof(*cpp->dirs)))
		return;
	if (!cpp_grow((void **)&cpp->dir_system, &cpp->dir_system_capacity, cpp->dir_count + 1,
		      sizeof(*cpp->dir_system)))
		return;
	for (uint32_t i = 0; i < cpp->dir_count; i++)
		if (!strcmp(cpp->dirs[i], copy)) {
			if (!system || cpp->dir_system[i])
				return;
			/* a -I of a system directory: the system position wins, as in gcc */
			memmove(&cpp->dirs[i], &cpp->dirs[i + 1], (cpp->dir_count - i - 1) * sizeof(*cpp->dirs));
			memmove(&cpp->dir_system[i], &cpp->dir_system[i + 1],
				(cpp->dir_count - i - 1) * sizeof(*cpp->dir_system));
			cpp->dir_count--;
			break;
		}
	cpp->dirs[cpp->dir_count] = copy;
	cpp->dir_system[cpp->dir_count++] = (uint8_t)system;
}

#if defined(__x86_64__)
#define HOST_TRIPLE "x86_64-linux-gnu"
#elif defined(__aarch64__)
#define HOST_TRIPLE "aarch64-linux-gnu"
#elif defined(__i386__)
#define HOST_TRIPLE "i386-linux-gnu"
#else
#define HOST_TRIPLE ""
#endif

/* gcc's own header directory (stddef.h, stdarg.h, ...), newest version installed. */
static void add_gcc_dir(struct cpp *cpp)
{
	const char *base = "/usr/lib/gcc/" HOST_TRIPLE;
	DIR *d = opendir(base);
	char best[256] = "", path[600];

	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d));)
		if (e->d_name[0] != '.' && strverscmp(e->d_name, best) > 0 &&
		    strlen(e->d_name) < sizeof(best))
			strcpy(best, e->d_name);
	closedir(d);
	snprintf(path, sizeof(path), "%s/%s/include", base, best);
	if (best[0])
		add_dir(cpp, path, 2);
}

void cpp_build_search_path(struct cpp *cpp)
{
	const struct cpp_options *o = cpp->opts;

	for (int i = 0; i < o->arg_count; i++)
		if (o->args[i].kind == CC_CPP_QUOTE_DIR)
			add_dir(cpp, o->args[i].value, false);
	cpp->quote_count = cpp->dir_count;
	for (int i = 0; i < o->arg_count; i++)
		if (o->args[i].kind == CC_CPP_DIR)
			add_dir(cpp, o->args[i].value, false);
	for (int i = 0; i < o->arg_count; i++)
		if (o->args[i].kind == CC_CPP_SYSTEM_DIR)
			add_dir(cpp, o->args[i].value, 2);
	if (!o->no_standard_dirs) {
		add_gcc_dir(cpp);
		add_dir(cpp, "/usr/local/include", 1);
		if (HOST_TRIPLE[0])
			add_dir(cpp, "/usr/include/" HOST_TRIPLE, 2);
		add_dir(cpp, "/usr/include", 2);
	}
	for (int i = 0; i < o->arg_count; i++)
		if (o->args[i].kind == CC_CPP_AFTER_DIR)
			add_dir(cpp, o->args[i].value, 2);
}
