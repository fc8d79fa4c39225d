/* diag.c - objfmt_diag_set: the one way libobjfmt records a message about bad input
 * for the caller (the library itself never prints); objfmt_diag_format_source: the one
 * "file:line:col: error: ..." + source line + caret layout the front ends share. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ebpf/objfmt.h"

int objfmt_diag_set(struct objfmt_diag *diag, int err, const char *where,
		    const char *fmt, ...)
{
	va_list ap;

	if (!diag)
		return err;
	snprintf(diag->where, sizeof(diag->where), "%s", where ? where : "");
	va_start(ap, fmt);
	vsnprintf(diag->message, sizeof(diag->message), fmt, ap);
	va_end(ap);
	return err;
}

int objfmt_diag_format_source(char *buf, size_t buflen, const char *file, unsigned line,
			      unsigned column, const char *severity, const char *message,
			      const char *source_line)
{
	size_t used = 0, len;
	int n;

	if (line == 0)
		return snprintf(buf, buflen, "%s: %s: %s\n", file, severity, message);
	n = snprintf(buf, buflen, "%s:%u:%u: %s: %s\n", file, line, column, severity, message);
	used = n < 0 ? 0 : (size_t)n;
	if (!source_line)
		return (int)used;
	n = snprintf(used < buflen ? buf + used : NULL, used < buflen ? buflen - used : 0,
		     "%s\n", source_line);
	used += n < 0 ? 0 : (size_t)n;
	len = strlen(source_line);
	for (unsigned i = 1; i < column; i++, used++)
		if (used + 1 < buflen)
			buf[used] = i - 1 < len && source_line[i - 1] == '\t' ? '\t' : ' ';
	n = snprintf(used < buflen ? buf + used : NULL, used < buflen ? buflen - used : 0, "^\n");
	if (buflen && used >= buflen)
		buf[buflen - 1] = '\0';
	return (int)(used + (n < 0 ? 0 : (size_t)n));
}
