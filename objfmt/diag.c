/* diag.c - objfmt_diag_set: the one way libobjfmt records a message about bad input
 * for the caller (the library itself never prints). */
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
