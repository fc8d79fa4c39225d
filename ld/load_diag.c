/* load_diag.c - small utilities of the loader: the error message sink, string copies
 * and growable arrays.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ld_int.h"

int ld_diag_set(struct ld_diag *diag, int err, const char *fmt, ...)
{
	va_list ap;

	if (diag) {
		va_start(ap, fmt);
		vsnprintf(diag->message, sizeof(diag->message), fmt, ap);
		va_end(ap);
	}
	return err;
}

char *ld_strdup(const char *text)
{
	size_t len = strlen(text) + 1;
	char *copy = malloc(len);

	if (copy)
		memcpy(copy, text, len);
	return copy;
}

/* Append one element of elem_size bytes to a malloc'ed array; 0 or -ENOMEM. */
int ld_append(void **array, size_t *count, size_t elem_size, const void *elem)
{
	char *grown = realloc(*array, (*count + 1) * elem_size);

	if (!grown)
		return -ENOMEM;
	memcpy(grown + *count * elem_size, elem, elem_size);
	*array = grown;
	(*count)++;
	return 0;
}
