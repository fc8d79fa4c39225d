/* input.c - inputs of ebpf-run: hex strings, raw files and pcap captures (libpcap, one
 * run per packet), each turned into a struct run_input.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input_pcap.h"
#include "run_int.h"

static int hex_digit(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* Hex bytes; whitespace, ':' and '-' between bytes are ignored; "0x" prefix allowed. */
int input_parse_hex(const char *text, uint8_t **out, size_t *size, char *err, size_t errlen)
{
	size_t len = strlen(text), n = 0;
	uint8_t *bytes = malloc(len / 2 + 1);

	if (!bytes) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
		text += 2;
	for (const char *p = text; *p;) {
		if (isspace((unsigned char)*p) || *p == ':' || *p == '-') {
			p++;
			continue;
		}
		int hi = hex_digit(p[0]), lo = hi < 0 ? -1 : hex_digit(p[1]);
		if (hi < 0 || lo < 0) {
			snprintf(err, errlen, "bad hex at offset %zu: expected two hex digits, got '%.2s'",
				 (size_t)(p - text), p);
			free(bytes);
			return -1;
		}
		bytes[n++] = (uint8_t)(hi << 4 | lo);
		p += 2;
	}
	*out = bytes;
	*size = n;
	return 0;
}

int input_read_file(const char *path, uint8_t **out, size_t *size, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	uint8_t *bytes = NULL;
	size_t n = 0, cap = 0;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (n == cap) {
			uint8_t *grown = realloc(bytes, cap = cap ? cap * 2 : 4096);
			if (!grown) {
				free(bytes);
				fclose(f);
				snprintf(err, errlen, "out of memory");
				return -1;
			}
			bytes = grown;
		}
		size_t got = fread(bytes + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	*out = bytes;
	*size = n;
	return 0;
}

int input_add(struct run_options *opts, const char *label, uint8_t *data, size_t size)
{
	struct run_input *grown = realloc(opts->inputs, (opts->input_count + 1) * sizeof(*grown));

	if (!grown)
		return -1;
	opts->inputs = grown;
	grown[opts->input_count] = (struct run_input){ strdup(label), data, size, NULL, 0 };
	opts->input_count++;
	return 0;
}

static int add_packet(void *opts, const char *label, uint8_t *data, size_t size)
{
	return input_add(opts, label, data, size);
}

int input_read_pcap(const char *path, struct run_options *opts, char *err, size_t errlen)
{
	return pcap_read_packets(path, add_packet, opts, err, errlen);
}
