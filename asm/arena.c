/* arena.c - bump allocator for everything one assembly run creates (tokens' text,
 * expression trees, operands); freed at once when the run ends. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "asm_int.h"

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	max_align_t data[];
};

struct asm_arena {
	struct arena_chunk *head;
};

struct asm_arena *asm_arena_new(void)
{
	return calloc(1, sizeof(struct asm_arena));
}

void asm_arena_free(struct asm_arena *arena)
{
	if (!arena)
		return;
	for (struct arena_chunk *c = arena->head, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(arena);
}

static void *arena_alloc(struct asm_arena *arena, size_t size)
{
	struct arena_chunk *c = arena->head;
	size_t aligned = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);

	if (!c || c->size - c->used < aligned) {
		size_t chunk = aligned > 60000 ? aligned : 64 * 1024;

		c = malloc(sizeof(*c) + chunk);
		if (!c)
			return NULL;
		c->used = 0;
		c->size = chunk;
		c->next = arena->head;
		arena->head = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += aligned;
	return memset(p, 0, size);
}

/* Zeroed memory that lives as long as the run; NULL (and an error) when out of memory. */
void *asm_alloc(struct asm_context *ctx, size_t size)
{
	void *p = arena_alloc(ctx->arena, size ? size : 1);

	if (!p && !ctx->aborted) {
		struct asm_loc nowhere = { 0, 0 };
		asm_error(ctx, nowhere, "out of memory");
		ctx->aborted = true;
	}
	return p;
}

const char *asm_strndup(struct asm_context *ctx, const char *s, size_t n)
{
	char *p = asm_alloc(ctx, n + 1);

	if (!p)
		return "";
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
