/* arena.c - bump allocator for everything one assembly run creates (tokens' text,
 * expression trees, operands); freed at once when the run ends. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "asm_int.h"

/* One block of the arena; asm_arena_mark.chunk points at one of these. */
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

/* Zeroed memory that lives as long as the run (or its line, see asm_arena_release).
 * Out of memory, the run is aborted with an error and small requests get a scratch
 * block of the context so the parser can finish the line without checks. */
void *asm_alloc(struct asm_context *ctx, size_t size)
{
	void *p = arena_alloc(ctx->arena, size ? size : 1);

	if (p)
		return p;
	if (!ctx->aborted) {
		struct asm_loc nowhere = { 0, 0 };
		asm_error(ctx, nowhere, "out of memory");
		ctx->aborted = true;
	}
	if (size > sizeof(ctx->scratch))
		return NULL;
	return memset(ctx->scratch, 0, sizeof(ctx->scratch));
}

/* Statement-scoped reuse: memory a statement allocated is handed back when the
 * statement kept no pointer into it (see asm_context.retain), so a 100k-line file
 * does not grow the arena line by line. */
void asm_arena_mark(struct asm_arena *arena, struct asm_arena_mark *mark)
{
	mark->chunk = arena->head;
	mark->used = arena->head ? arena->head->used : 0;
}

void asm_arena_release(struct asm_arena *arena, const struct asm_arena_mark *mark)
{
	while (arena->head && arena->head != mark->chunk) {
		struct arena_chunk *c = arena->head;

		arena->head = c->next;
		free(c);
	}
	if (arena->head)
		arena->head->used = mark->used;
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
