/* diff.c - unified diff (3 lines of context) between a golden report and the actual
 * one, computed with a longest-common-subsequence table over lines.
 */
#include <stdlib.h>
#include <string.h>

#include "run_int.h"

#define DIFF_CONTEXT 3

struct lines {
	const char **start; /* line starts in the text */
	size_t *length;     /* without the newline */
	size_t count;
};

static int split_lines(const char *text, struct lines *out)
{
	size_t cap = 16;

	out->count = 0;
	out->start = malloc(cap * sizeof(*out->start));
	out->length = malloc(cap * sizeof(*out->length));
	while (out->start && out->length && *text) {
		const char *end = strchr(text, '\n');
		size_t len = end ? (size_t)(end - text) : strlen(text);
		if (out->count == cap) {
			cap *= 2;
			out->start = realloc(out->start, cap * sizeof(*out->start));
			out->length = realloc(out->length, cap * sizeof(*out->length));
			if (!out->start || !out->length)
				break;
		}
		out->start[out->count] = text;
		out->length[out->count++] = len;
		text += len + (end ? 1 : 0);
	}
	return out->start && out->length ? 0 : -1;
}

static bool same_line(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->length[i] == b->length[j] && memcmp(a->start[i], b->start[j], a->length[i]) == 0;
}

/* One edit-script step: ' ' keep, '-' expected only, '+' actual only. */
struct step {
	char op;
	size_t a, b; /* line indices in expected / actual */
};

static struct step *edit_script(const struct lines *a, const struct lines *b, size_t *count)
{
	size_t n = a->count, m = b->count, k = 0;
	unsigned *lcs = calloc((n + 1) * (m + 1), sizeof(*lcs));
	struct step *steps = malloc((n + m + 1) * sizeof(*steps));

	if (!lcs || !steps) {
		free(lcs);
		free(steps);
		return NULL;
	}
#define L(i, j) lcs[(i) * (m + 1) + (j)]
	for (size_t i = n; i-- > 0;)
		for (size_t j = m; j-- > 0;)
			L(i, j) = same_line(a, i, b, j) ? L(i + 1, j + 1) + 1
			       : L(i + 1, j) > L(i, j + 1) ? L(i + 1, j) : L(i, j + 1);
	size_t i = 0, j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && same_line(a, i, b, j))
			steps[k++] = (struct step){ ' ', i++, j++ };
		else if (i < n && (j == m || L(i + 1, j) >= L(i, j + 1)))
			steps[k++] = (struct step){ '-', i++, j }; /* deletions first, as diff -u */
		else
			steps[k++] = (struct step){ '+', i, j++ };
	}
#undef L
	free(lcs);
	*count = k;
	return steps;
}

static void print_hunk(FILE *out, const struct lines *a, const struct lines *b,
		       const struct step *steps, size_t from, size_t to)
{
	size_t a_count = 0, b_count = 0;

	for (size_t s = from; s < to; s++) {
		a_count += steps[s].op != '+';
		b_count += steps[s].op != '-';
	}
	fprintf(out, "@@ -%zu,%zu +%zu,%zu @@\n", steps[from].a + (a_count ? 1 : 0), a_count,
		steps[from].b + (b_count ? 1 : 0), b_count);
	for (size_t s = from; s < to; s++) {
		const struct lines *src = steps[s].op == '+' ? b : a;
		size_t line = steps[s].op == '+' ? steps[s].b : steps[s].a;
		fprintf(out, "%c%.*s\n", steps[s].op, (int)src->length[line], src->start[line]);
	}
}

int diff_unified(const char *expected, const char *actual, const char *expected_label,
		 const char *actual_label, FILE *out)
{
	struct lines a = {0}, b = {0};
	struct step *steps = NULL;
	size_t count = 0;
	int different = strcmp(expected, actual) != 0;

	if (!different || split_lines(expected, &a) || split_lines(actual, &b) ||
	    !(steps = edit_script(&a, &b, &count)))
		goto done;
	fprintf(out, "--- %s\n+++ %s\n", expected_label, actual_label);
	for (size_t s = 0; s < count;) {
		if (steps[s].op == ' ') {
			s++;
			continue;
		}
		/* a hunk: changes closer than 2 * context lines apart, plus context */
		size_t from = s > DIFF_CONTEXT ? s - DIFF_CONTEXT : 0, last = s;
		for (size_t t = s + 1; t < count && t <= last + 2 * DIFF_CONTEXT; t++)
			if (steps[t].op != ' ')
				last = t;
		size_t to = last + 1 + DIFF_CONTEXT < count ? last + 1 + DIFF_CONTEXT : count;
		print_hunk(out, &a, &b, steps, from, to);
		s = to;
	}
	if (expected[0] && expected[strlen(expected) - 1] != '\n')
		fprintf(out, "\\ No newline at end of %s\n", expected_label);
done:
	free(a.start);
	free(a.length);
	free(b.start);
	free(b.length);
	free(steps);
	return different;
}
