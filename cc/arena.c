/* arena.c - bump allocator for one compilation: every token, type and AST node lives
 * here and is released at once when the compilation ends. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "cc_int.h"

enum { ARENA_CHUNK = 1 << 20 };

struct arena_chunk {
	struct arena_chunk *next;
	size_t padding; /* keeps the data at the offset it had (allocation addresses) */
	size_t size;
	max_align_t data[];
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

/* A new chunk for an allocation the newest one cannot hold (size is rounded); the
 * rest of the old chunk is left unused, as a bump allocator does. */
void *cc_alloc_chunk(struct cc_arena *arena, size_t size)
{
	size_t cap = size > ARENA_CHUNK ? size : ARENA_CHUNK;
	struct arena_chunk *c = malloc(sizeof(*c) + cap);

	if (!c)
		return NULL;
	c->size = cap;
	c->next = arena->chunks;
	arena->chunks = c;
	arena->cursor = (char *)c->data + size;
	arena->limit = (char *)c->data + cap;
	memset(c->data, 0, size);
	return c->data;
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
