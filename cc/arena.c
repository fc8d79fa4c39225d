/* arena.c - bump allocator for one compilation: every token, type and AST node lives
 * here and is released at once when the compilation ends. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

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
		cc_unmap(c, sizeof(*c) + c->size);
	}
	free(arena);
}

/* Anonymous memory: the kernel hands the pages over zeroed when they are first
 * touched, so neither an arena allocation nor a hash table pays for a memset (malloc
 * and calloc reuse heap memory that must be cleared). */
void *cc_map_zeroed(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void cc_unmap(void *p, size_t size)
{
	if (p)
		munmap(p, size);
}

/* A new chunk for an allocation the newest one cannot hold (size is rounded); the
 * rest of the old chunk is left unused, as a bump allocator does. */
void *cc_alloc_chunk(struct cc_arena *arena, size_t size)
{
	size_t cap = size > ARENA_CHUNK ? size : ARENA_CHUNK;
	struct arena_chunk *c = cc_map_zeroed(sizeof(*c) + cap);

	if (!c)
		return NULL;
	c->size = cap;
	c->next = arena->chunks;
	arena->chunks = c;
	arena->cursor = (char *)c->data + size;
	arena->limit = (char *)c->data + cap;
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
