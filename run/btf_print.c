/* btf_print.c - map keys and values printed through BTF, C-initializer style:
 * `{ .saddr = 10.0.0.1, .packets = 3 }`. Big-endian typedefs (__be16/__be32) print
 * in host order, and 4-byte big-endian fields named like addresses as dotted quads.
 */
#include <stdlib.h>
#include <string.h>

#include "run_int.h"

#define PRINT_DEPTH_MAX 16

static void print_type(FILE *out, const struct objfmt_btf *btf, uint32_t id,
		       const uint8_t *data, size_t size, const char *field, int depth);

static uint64_t load_uint(const uint8_t *data, size_t size)
{
	uint64_t value = 0;
	for (size_t i = size; i-- > 0;)
		value = value << 8 | data[i];
	return value;
}

static bool looks_like_address(const char *field)
{
	size_t len = field ? strlen(field) : 0;
	return len && ((len >= 4 && strcmp(field + len - 4, "addr") == 0) ||
		       strcmp(field, "ip") == 0 || strstr(field, "_ip") ||
		       strncmp(field, "ip_", 3) == 0);
}

/* __be16 / __be32 typedefs: host-order numbers, or an IPv4 address. */
static bool print_big_endian(FILE *out, const char *typedef_name, const uint8_t *data,
			     size_t size, const char *field)
{
	if (strcmp(typedef_name, "__be32") == 0 && size >= 4) {
		if (looks_like_address(field))
			fprintf(out, "%u.%u.%u.%u", data[0], data[1], data[2], data[3]);
		else
			fprintf(out, "%u", (unsigned)((uint32_t)data[0] << 24 | data[1] << 16 |
						      data[2] << 8 | data[3]));
		return true;
	}
	if (strcmp(typedef_name, "__be16") == 0 && size >= 2) {
		fprintf(out, "%u", (unsigned)(data[0] << 8 | data[1]));
		return true;
	}
	return false;
}

static void print_int(FILE *out, const struct objfmt_btf_type *t, const uint8_t *data,
		      size_t size, uint32_t bit_offset, uint32_t bits)
{
	uint64_t raw = load_uint(data, t->size < size ? t->size : size);

	if (bits && bits < 64) {
		raw = (raw >> bit_offset) & ((1ULL << bits) - 1);
	} else {
		bits = t->int_bits ? t->int_bits : t->size * 8;
	}
	if (t->int_encoding & OBJFMT_BTF_INT_BOOL)
		fputs(raw ? "true" : "false", out);
	else if (t->int_encoding & OBJFMT_BTF_INT_SIGNED) {
		int64_t value = bits < 64 && (raw >> (bits - 1) & 1) ? (int64_t)(raw | ~((1ULL << bits) - 1))
								     : (int64_t)raw;
		fprintf(out, "%lld", (long long)value);
	} else
		fprintf(out, "%llu", (unsigned long long)raw);
}

static bool is_char_array(const struct objfmt_btf *btf, const struct objfmt_btf_type *array)
{
	const struct objfmt_btf_type *elem = objfmt_btf__type(btf, objfmt_btf__resolve(btf, array->array_elem));
	return elem && elem->kind == OBJFMT_BTF_INT && elem->size == 1 &&
	       (elem->int_encoding & OBJFMT_BTF_INT_CHAR || strcmp(elem->name, "char") == 0);
}

static void print_array(FILE *out, const struct objfmt_btf *btf,
			const struct objfmt_btf_type *t, const uint8_t *data, size_t size,
			int depth)
{
	int64_t elem_size = objfmt_btf__size(btf, t->array_elem);

	if (is_char_array(btf, t)) {
		size_t len = strnlen((const char *)data, t->array_nelems < size ? t->array_nelems : size);
		fputc('"', out);
		for (size_t i = 0; i < len; i++)
			fprintf(out, data[i] >= 0x20 && data[i] < 0x7f && data[i] != '"' ? "%c" : "\\x%02x",
				data[i]);
		fputc('"', out);
		return;
	}
	fputs("[", out);
	for (uint32_t i = 0; elem_size > 0 && i < t->array_nelems; i++) {
		if ((uint64_t)(i + 1) * (uint64_t)elem_size > size)
			break;
		fputs(i ? ", " : " ", out);
		print_type(out, btf, t->array_elem, data + i * elem_size, (size_t)elem_size, NULL,
			   depth + 1);
	}
	fputs(" ]", out);
}

static void print_members(FILE *out, const struct objfmt_btf *btf,
			  const struct objfmt_btf_type *t, const uint8_t *data, size_t size,
			  int depth)
{
	fputs("{", out);
	for (uint32_t i = 0; i < t->vlen; i++) {
		const struct objfmt_btf_member *m = &t->members[i];
		uint32_t type = t->kind == OBJFMT_BTF_DATASEC ? objfmt_btf__type(btf, m->type)->type : m->type;
		size_t offset = t->kind == OBJFMT_BTF_DATASEC ? m->offset : m->bit_offset / 8;
		const struct objfmt_btf_type *mt = objfmt_btf__type(btf, objfmt_btf__resolve(btf, type));
		const char *name = t->kind == OBJFMT_BTF_DATASEC ? objfmt_btf__type(btf, m->type)->name : m->name;
		if (offset >= size)
			break;
		fprintf(out, "%s.%s = ", i ? ", " : " ", name && name[0] ? name : "(anon)");
		if (m->bitfield && mt && mt->kind == OBJFMT_BTF_INT)
			print_int(out, mt, data + offset, size - offset, m->bit_offset % 8, m->bitfield);
		else
			print_type(out, btf, type, data + offset, size - offset, name, depth + 1);
	}
	fputs(" }", out);
}

static void print_enum(FILE *out, const struct objfmt_btf_type *t, const uint8_t *data,
		       size_t size)
{
	uint64_t raw = load_uint(data, t->size < size ? t->size : size);

	for (uint32_t i = 0; i < t->vlen; i++)
		if ((uint64_t)t->members[i].value == raw ||
		    (t->size == 4 && (uint32_t)t->members[i].value == (uint32_t)raw)) {
			fputs(t->members[i].name, out);
			return;
		}
	fprintf(out, "%llu", (unsigned long long)raw);
}

static void print_type(FILE *out, const struct objfmt_btf *btf, uint32_t id,
		       const uint8_t *data, size_t size, const char *field, int depth)
{
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, id);

	if (!t || depth > PRINT_DEPTH_MAX) {
		fputs("?", out);
		return;
	}
	switch (t->kind) {
	case OBJFMT_BTF_TYPEDEF:
		if (print_big_endian(out, t->name, data, size, field))
			return;
		/* fall through */
	case OBJFMT_BTF_VOLATILE: case OBJFMT_BTF_CONST: case OBJFMT_BTF_RESTRICT:
	case OBJFMT_BTF_TYPE_TAG:
		print_type(out, btf, t->type, data, size, field, depth + 1);
		return;
	case OBJFMT_BTF_INT:
		print_int(out, t, data, size, 0, 0);
		return;
	case OBJFMT_BTF_PTR:
		fprintf(out, "0x%llx", (unsigned long long)load_uint(data, size < 8 ? size : 8));
		return;
	case OBJFMT_BTF_ENUM: case OBJFMT_BTF_ENUM64:
		print_enum(out, t, data, size);
		return;
	case OBJFMT_BTF_ARRAY:
		print_array(out, btf, t, data, size, depth);
		return;
	case OBJFMT_BTF_STRUCT: case OBJFMT_BTF_UNION: case OBJFMT_BTF_DATASEC:
		print_members(out, btf, t, data, size, depth);
		return;
	default:
		fputs("?", out);
	}
}

char *btf_print_value(const struct objfmt_btf *btf, uint32_t id, const void *data,
		      size_t size)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	if (!btf || !id || !(out = open_memstream(&text, &len)))
		return NULL;
	print_type(out, btf, id, data, size, NULL, 0);
	fclose(out);
	return text;
}
