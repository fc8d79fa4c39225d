/* intern.c - string interning for identifiers, keywords and file names, so that the
 * parser compares names by pointer and tokens share one copy of each spelling. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "cc_int.h"

struct cc_intern_table {
	const char **slots;
	size_t capacity; /* power of two */
	size_t count;
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static int grow(struct cc_intern_table *t)
{
	size_t cap = t->capacity ? t->capacity * 2 : 4096;
	const char **slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -1;
	for (size_t i = 0; i < t->capacity; i++) {
		const char *s = t->slots[i];

		if (!s)
			continue;
		size_t j = hash(s) & (cap - 1);
		while (slots[j])
			j = (j + 1) & (cap - 1);
		slots[j] = s;
	}
	free(t->slots);
	t->slots = slots;
	t->capacity = cap;
	return 0;
}

const char *cc_intern(struct cc_unit *unit, const char *text)
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
	i = hash(text) & (t->capacity - 1);
	for (; t->slots[i]; i = (i + 1) & (t->capacity - 1))
		if (!strcmp(t->slots[i], text))
			return t->slots[i];
	{
		size_t len = strlen(text);
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
	if (unit->interns)
		free(unit->interns->slots);
}
