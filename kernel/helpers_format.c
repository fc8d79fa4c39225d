/* helpers_format.c - the kernel's bpf_bprintf format rules for trace_printk,
 * trace_vprintk and snprintf: printable ASCII only, flags [0 +-] and a width, then
 * %d %i %u %x %X with l/ll, %c, %s, %p, %pK, %px, %pks, %pus, %pi4 %pI4 %pi6 %pI6, %%.
 * Pointers print as 16 zero-padded hex digits of the raw value (the kernel hashes
 * plain %p; the emulator stays deterministic instead). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"

#define FORMAT_STR_MAX 512 /* longest %s argument copied (MAX_BPRINTF_BUF) */

/* Output cursor: counts the full length, writes what fits. */
struct format_out {
	char *buf;
	uint32_t size;
	uint32_t len;
};

static void format_put(struct format_out *o, const char *text, size_t n)
{
	for (size_t i = 0; i < n; i++, o->len++)
		if (o->size && o->len < o->size - 1)
			o->buf[o->len] = text[i];
}

/* Print one conversion with the C library, the spec rebuilt from its pieces. */
static void format_printf(struct format_out *o, const char *flags, const char *conv, ...)
{
	char spec[48], text[FORMAT_STR_MAX + 64];
	va_list ap;
	int n;

	snprintf(spec, sizeof(spec), "%%%s%s", flags, conv);
	va_start(ap, conv);
	n = vsnprintf(text, sizeof(text), spec, ap);
	va_end(ap);
	if (n > 0)
		format_put(o, text, (size_t)n < sizeof(text) ? (size_t)n : sizeof(text) - 1);
}

static void format_ip(struct format_out *o, const char *flags, char kind, char version,
		      uint64_t addr)
{
	uint8_t a[16];
	char text[64];
	int n = 0;

	if (emu_helpers_read_mem(a, version == '4' ? 4 : 16, addr, false) < 0) {
		format_printf(o, flags, "s", "(fault)");
		return;
	}
	if (version == '4')
		n = snprintf(text, sizeof(text), kind == 'I' ? "%u.%u.%u.%u" : "%03u.%03u.%03u.%03u",
			     a[0], a[1], a[2], a[3]);
	else
		for (int i = 0; i < 16; i += 2)
			n += snprintf(text + n, sizeof(text) - n,
				      kind == 'I' && i ? ":%02x%02x" : "%02x%02x", a[i], a[i + 1]);
	format_printf(o, flags, "s", text);
}

/* %p family at fmt[*i] == 'p'; advances *i past the suffix. */
static int format_pointer(struct format_out *o, const char *flags, const char *fmt,
			  uint32_t *i, uint64_t arg)
{
	char next = fmt[*i + 1];
	char str[FORMAT_STR_MAX];

	if (next == 'i' || next == 'I') {
		if (fmt[*i + 2] != '4' && fmt[*i + 2] != '6')
			return -EINVAL;
		format_ip(o, flags, next, fmt[*i + 2], arg);
		*i += 2;
		return 0;
	}
	if ((next == 'k' || next == 'u') && fmt[*i + 2] == 's') {
		if (emu_helpers_read_str(str, sizeof(str), arg, next == 'u') < 0)
			strcpy(str, "(fault)");
		format_printf(o, flags, "s", str);
		*i += 2;
		return 0;
	}
	if (next == 'K' || next == 'x')
		(*i)++;
	else if (next && !isspace((unsigned char)next) && !ispunct((unsigned char)next))
		return -EINVAL;
	format_printf(o, "", "016llx", (unsigned long long)arg);
	return 0;
}

/* Integer conversion at fmt[*i] (after flags/width): [l|ll] then d i u x X. */
static int format_integer(struct format_out *o, const char *flags, const char *fmt,
			  uint32_t *i, uint64_t arg)
{
	int longs = 0;
	char conv[4];

	while (fmt[*i] == 'l' && longs < 2) {
		longs++;
		(*i)++;
	}
	if (!strchr("diuxX", fmt[*i]) || !fmt[*i])
		return -EINVAL;
	if (longs) {
		snprintf(conv, sizeof(conv), "ll%c", fmt[*i]);
		format_printf(o, flags, conv, (unsigned long long)arg);
	} else {
		snprintf(conv, sizeof(conv), "%c", fmt[*i]);
		format_printf(o, flags, conv, (unsigned int)arg);
	}
	return 0;
}

/* Flags and width after '%': copied into flags[] (at most 15 chars). */
static void format_flags(const char *fmt, uint32_t *i, char *flags, size_t cap)
{
	size_t n = 0;

	while (strchr("0+- ", fmt[*i]) && fmt[*i] && n + 1 < cap)
		flags[n++] = fmt[(*i)++];
	while (isdigit((unsigned char)fmt[*i]) && n + 1 < cap)
		flags[n++] = fmt[(*i)++];
	flags[n] = '\0';
}

static int format_conversion(struct format_out *o, const char *fmt, uint32_t *i,
			     uint64_t arg)
{
	char flags[16], str[FORMAT_STR_MAX];

	format_flags(fmt, i, flags, sizeof(flags));
	switch (fmt[*i]) {
	case 'p':
		return format_pointer(o, flags, fmt, i, arg);
	case 's':
		if (emu_helpers_read_str(str, sizeof(str), arg, false) < 0)
			strcpy(str, "(fault)");
		format_printf(o, flags, "s", str);
		return 0;
	case 'c':
		format_printf(o, flags, "c", (int)(char)arg);
		return 0;
	default:
		return format_integer(o, flags, fmt, i, arg);
	}
}

int emu_helpers_format(char *out, uint32_t out_size, const char *fmt, uint32_t fmt_size,
		       const uint64_t *args, uint32_t num_args)
{
	struct format_out o = { out, out_size, 0 };
	uint32_t spec = 0;

	if (!fmt_size || !memchr(fmt, 0, fmt_size))
		return -EINVAL;
	for (uint32_t i = 0; fmt[i]; i++) {
		unsigned char c = (unsigned char)fmt[i];

		if (!isascii(c) || (!isprint(c) && !isspace(c)))
			return -EINVAL;
		if (c != '%') {
			format_put(&o, &fmt[i], 1);
			continue;
		}
		if (fmt[i + 1] == '%') {
			format_put(&o, "%", 1);
			i++;
			continue;
		}
		if (spec >= num_args)
			return -EINVAL;
		i++;
		uint64_t arg; /* the program's data array need not be 8-byte aligned */
		memcpy(&arg, &args[spec++], sizeof(arg));
		if (format_conversion(&o, fmt, &i, arg) < 0)
			return -EINVAL;
	}
	if (out_size)
		out[o.len < out_size ? o.len : out_size - 1] = '\0';
	return (int)o.len;
}
