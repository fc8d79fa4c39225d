/* intern.c - string interning for identifiers, keywords and file names, so that the
 * parser compares names by pointer and tokens share one copy of each spelling (hashed
 * as the preprocessor hashes identifiers: handed-over ones come with their hash). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "cc_int.h"
#include "cpp.h"

struct cc_intern_table {
	const char **slots;
	uint32_t *hashes;  /* hash of each slot's text: most probes end without strcmp */
	size_t capacity;   /* power of two */
	size_t count;
};


static int grow(struct cc_intern_table *t)
{
	size_t cap = t->capacity ? t->capacity * 2 : 4096;
	const char **slots = calloc(cap, sizeof(*slots));
	uint32_t *hashes = calloc(cap, sizeof(*hashes));

	if (!slots || !hashes) {
		free(slots);
		free(hashes);
		return -1;
	}
	for (size_t i = 0; i < t->capacity; i++) {
		size_t j;

		if (!t->slots[i])
			continue;
		j = t->hashes[i] & (cap - 1);
		while (slots[j])
			j = (j + 1) & (cap - 1);
		slots[j] = t->slots[i];
		hashes[j] = t->hashes[i];
	}
	free(t->slots);
	free(t->hashes);
	t->slots = slots;
	t->hashes = hashes;
	t->capacity = cap;
	return 0;
}

const char *cc_intern(struct cc_unit *unit, const char *text)
{
	size_t len = strlen(text);

	return cc_intern_hashed(unit, text, len, cpp_hash_name(text, len));
}

const char *cc_intern_hashed(struct cc_unit *unit, const char *text, size_t len, uint32_t h)
{
	struct cc_intern_table *t = unit->interns;
	size_t i;

	if (!t) {
		t = unit->interns = cc_alloc(unit->arena, sizeof(*t));
		if (!t)
			return NULL;
	}
	if ((t->count + 1) * 2 > t->capacity && grow(t))
		return NULL;
	i = h & (t->capacity - 1);
	for (; t->slots[i]; i = (i + 1) & (t->capacity - 1))
		if (t->hashes[i] == h && !strcmp(t->slots[i], text))
			return t->slots[i];
	t->hashes[i] = h;
	{
		char *copy = cc_alloc(unit->arena, len + 2);

		if (!copy)
			return NULL;
		copy[0] = 0; /* flags byte before the text: CC_WORD_* */
		memcpy(copy + 1, text, len + 1);
		t->slots[i] = copy + 1;
	}
	t->count++;
	return t->slots[i];
}

void cc_intern_free(struct cc_unit *unit)
{
	if (unit->interns) {
		free(unit->interns->slots);
		free(unit->interns->hashes);
	}
}
