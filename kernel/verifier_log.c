/* verifier_log.c - the verification log: text is collected in memory (level 1 rewinds
 * it when a path ends safely) and copied into the caller's buffer at the end, rotating
 * (keep the tail) or fixed (VLOG_FIXED: keep the head) as BPF_PROG_LOAD defines. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verifier_int.h"

#define VLOG_LEVEL_MASK (VLOG_LEVEL1 | VLOG_LEVEL2 | VLOG_STATS | VLOG_FIXED)
#define VLOG_SOFT_CAP (16u << 20) /* bytes kept beyond what the caller can receive */

int vlog_init(struct vlog *log, struct emu_log *user)
{
	memset(log, 0, sizeof(*log));
	log->user = user;
	if (!user)
		return 0;
	if (user->level & ~VLOG_LEVEL_MASK)
		return -EINVAL;
	if (!!user->buf != !!user->size)
		return -EINVAL;
	if (user->level && user->buf && user->size < 128)
		return -EINVAL;
	if (!user->level && (user->buf || user->size))
		return -EINVAL;
	log->level = user->level;
	log->keep = user->size;
	return 0;
}

uint64_t vlog_pos(const struct vlog *log)
{
	return log->end;
}

void vlog_reset(struct vlog *log, uint64_t pos)
{
	if (pos > log->end)
		return;
	if (pos < log->start)
		pos = log->start; /* the head was dropped already; nothing more to undo */
	log->end = pos;
}

/* Drop text from the head that the caller can never receive (rotating mode). */
static void vlog_trim(struct vlog *log)
{
	uint64_t len = log->end - log->start;
	uint64_t want = log->keep + VLOG_SOFT_CAP;

	if ((log->level & VLOG_FIXED) || len <= want + VLOG_SOFT_CAP)
		return;
	uint64_t drop = len - want;
	memmove(log->text, log->text + drop, len - drop);
	log->start += drop;
}

static int vlog_reserve(struct vlog *log, size_t extra)
{
	size_t len = (size_t)(log->end - log->start);
	if (len + extra + 1 <= log->cap)
		return 0;
	size_t cap = log->cap ? log->cap : 4096;
	while (cap < len + extra + 1)
		cap *= 2;
	char *text = realloc(log->text, cap);
	if (!text)
		return -ENOMEM;
	log->text = text;
	log->cap = cap;
	return 0;
}

void vlog_vprintf(struct vlog *log, const char *fmt, va_list ap)
{
	char small[512];
	va_list copy;

	va_copy(copy, ap);
	int n = vsnprintf(small, sizeof(small), fmt, copy);
	va_end(copy);
	if (n <= 0 || vlog_reserve(log, (size_t)n) < 0)
		return;
	char *dst = log->text + (log->end - log->start);
	if ((size_t)n < sizeof(small))
		memcpy(dst, small, (size_t)n);
	else
		vsnprintf(dst, (size_t)n + 1, fmt, ap);
	log->end += (uint64_t)n;
	vlog_trim(log);
}

void vlog_printf(struct verifier_env *env, const char *fmt, ...)
{
	va_list ap;

	if (!env->log.level) /* messages at every level; insns only at 1 and 2 (callers) */
		return;
	va_start(ap, fmt);
	vlog_vprintf(&env->log, fmt, ap);
	va_end(ap);
}

/* Copy the collected text into the caller's buffer; -ENOSPC if it did not fit. */
int vlog_finalize(struct vlog *log)
{
	struct emu_log *user = log->user;
	uint64_t total = log->end;

	if (!user || !user->level)
		return 0;
	user->true_size = (uint32_t)(total + 1 > UINT32_MAX ? UINT32_MAX : total + 1);
	if (!user->buf || !user->size)
		return 0;
	uint64_t fit = user->size - 1;
	uint64_t n = total < fit ? total : fit;
	uint64_t from = (log->level & VLOG_FIXED) ? 0 : total - n;
	if (from < log->start) { /* head dropped (cannot happen in fixed mode) */
		from = log->start;
		n = total - from < n ? total - from : n;
	}
	if (n)
		memcpy(user->buf, log->text + (from - log->start), (size_t)n);
	user->buf[n] = '\0';
	user->len_used = (uint32_t)n;
	return total > fit ? -ENOSPC : 0;
}

void vlog_free(struct vlog *log)
{
	free(log->text);
	log->text = NULL;
	log->cap = 0;
}
