/* arena.c - bump allocator for one compilation: every token, type and AST node lives
 * here and is released at once when the compilation ends. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "cc_int.h"

enum { ARENA_CHUNK = 1 << 20 };

struct arena_chunk {
	struct arena_chunk *next;
	size_t used;
	size_t size;
	max_align_t data[];
};

struct cc_arena {
	struct arena_chunk *chunks;
};

struct cc_arena *cc_arena_new(void)
{
	return calloc(1, sizeof(struct cc_arena));
}

void cc_arena_free(struct cc_arena *arena)
{
	if (!arena)
		return;
	for (struct arena_chunk *c = arena->chunks, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(arena);
}

void *cc_alloc(struct cc_arena *arena, size_t size)
{
	struct arena_chunk *c = arena->chunks;

	size = (size + 15) & ~(size_t)15;
	if (!c || c->used + size > c->size) {
		size_t cap = size > ARENA_CHUNK ? size : ARENA_CHUNK;

		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->used = 0;
		c->size = cap;
		c->next = arena->chunks;
		arena->chunks = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += size;
	memset(p, 0, size);
	return p;
}

char *cc_strdup(struct cc_arena *arena, const char *text, size_t len)
{
	char *p = cc_alloc(arena, len + 1);

	if (p) {
		memcpy(p, text, len);
		p[len] = '\0';
	}
	return p;
}
