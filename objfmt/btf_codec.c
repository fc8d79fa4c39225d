/* btf_codec.c - .BTF bytes <-> type graph: header, type section, string section.
 * The decoded string section is kept verbatim so decode->encode is byte-identical.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btf_int.h"

/* Cursor over the type section while decoding. */
struct type_reader {
	const uint8_t *data;           /* type section */
	uint32_t len;                  /* its length */
	uint32_t pos;                  /* next byte */
	const struct btf_strtab *strings; /* decoded string table, for names */
	struct objfmt_diag *diag;      /* where errors go */
	uint32_t id;                   /* the type being decoded */
	char where[48];                /* "BTF type [N]", formatted only for a diagnostic */
	uint8_t int_spare;             /* bits 8-15 of the last INT data word */
};

/* "BTF type [N]" of the type being decoded: formatted when an error names it, not
 * for each of vmlinux's hundred thousand types. */
static const char *reader_where(struct type_reader *r)
{
	snprintf(r->where, sizeof(r->where), "BTF type [%u]", r->id);
	return r->where;
}

static int header_error(struct objfmt_diag *diag, const char *message)
{
	return objfmt_diag_set(diag, -EINVAL, "BTF header", "%s", message);
}

/* Header fields after the checks the kernel's btf_parse_hdr makes. */
struct btf_header_fields {
	uint32_t type_off, type_len, str_off, str_len;
};

static int parse_header(const uint8_t *p, size_t size, struct btf_header_fields *h,
			struct objfmt_diag *diag)
{
	if (size < 8)
		return objfmt_diag_set(diag, -EINVAL, "BTF header",
				       "truncated: %zu bytes, need at least 8", size);
	if (btf_read_u16(p) != BTF_MAGIC_VALUE)
		return objfmt_diag_set(diag, -EINVAL, "BTF header",
				       "invalid magic 0x%04x, expected 0xeb9f", btf_read_u16(p));
	if (p[2] != BTF_VERSION_VALUE)
		return objfmt_diag_set(diag, -EINVAL, "BTF header",
				       "unsupported version %u, expected 1", p[2]);
	if (p[3] != 0)
		return objfmt_diag_set(diag, -EINVAL, "BTF header",
				       "unsupported flags 0x%02x, expected 0", p[3]);
	uint32_t hdr_len = btf_read_u32(p + 4);
	if (hdr_len < BTF_HEADER_LEN || hdr_len > size)
		return objfmt_diag_set(diag, -EINVAL, "BTF header",
				       "header length %u invalid (need 24..%zu)", hdr_len, size);
	for (uint32_t i = BTF_HEADER_LEN; i < hdr_len; i++)
		if (p[i])
			return header_error(diag, "unsupported non-zero header tail");
	h->type_off = btf_read_u32(p + 8);
	h->type_len = btf_read_u32(p + 12);
	h->str_off = btf_read_u32(p + 16);
	h->str_len = btf_read_u32(p + 20);
	return 0;
}

/* Sections must tile the data after the header: types, then strings, no gap. */
static int check_layout(const struct btf_header_fields *h, uint32_t hdr_len, size_t size,
			struct objfmt_diag *diag)
{
	uint64_t data_len = size - hdr_len;

	if (h->type_off % 4)
		return objfmt_diag_set(diag, -EINVAL, "BTF header",
				       "type section offset %u not aligned to 4", h->type_off);
	if (h->type_off != 0)
		return objfmt_diag_set(diag, -EINVAL, "BTF header",
				       "type section offset %u, expected 0", h->type_off);
	if ((uint64_t)h->type_len > data_len)
		return objfmt_diag_set(diag, -EINVAL, "BTF header",
				       "type section length %u past the end (%llu bytes of data)",
				       h->type_len, (unsigned long long)data_len);
	if (h->type_len % 4)
		return objfmt_diag_set(diag, -EINVAL, "BTF header",
				       "type section length %u not a multiple of 4", h->type_len);
	if (h->str_off != h->type_len)
		return objfmt_diag_set(diag, -EINVAL, "BTF header",
				       "string section offset %u, expected %u (right after types)",
				       h->str_off, h->type_len);
	if ((uint64_t)h->str_off + h->str_len != data_len)
		return objfmt_diag_set(diag, -EINVAL, "BTF header",
				       "string section length %u does not end at the data end "
				       "(%llu bytes of data)",
				       h->str_len, (unsigned long long)data_len);
	return 0;
}

static int check_strings(const uint8_t *s, uint32_t len, struct objfmt_diag *diag)
{
	if (len == 0)
		return objfmt_diag_set(diag, -EINVAL, "BTF strings", "string section is empty");
	if (s[0] != 0)
		return objfmt_diag_set(diag, -EINVAL, "BTF strings",
				       "string section does not start with an empty string");
	if (s[len - 1] != 0)
		return objfmt_diag_set(diag, -EINVAL, "BTF strings",
				       "last string is not NUL-terminated");
	return 0;
}

static int reader_need(struct type_reader *r, uint32_t bytes, const char *what)
{
	if (r->len - r->pos >= bytes)
		return 0;
	return objfmt_diag_set(r->diag, -EINVAL, reader_where(r),
			       "truncated %s: needs %u bytes, %u left in the type section",
			       what, bytes, r->len - r->pos);
}

static uint32_t reader_u32(struct type_reader *r)
{
	uint32_t value = btf_read_u32(r->data + r->pos);
	r->pos += 4;
	return value;
}

static int reader_name(struct type_reader *r, uint32_t off, const char **name)
{
	*name = btf_strtab_at(r->strings, off);
	if (*name)
		return 0;
	return objfmt_diag_set(r->diag, -EINVAL, reader_where(r),
			       "name offset %u out of range (string section is %u bytes)", off,
			       btf_strtab_size(r->strings));
}

/* Bytes of member records per entry for kinds that have them, 0 otherwise. */
static uint32_t member_record_size(enum objfmt_btf_kind kind)
{
	switch (kind) {
	case OBJFMT_BTF_STRUCT:
	case OBJFMT_BTF_UNION:
	case OBJFMT_BTF_DATASEC:
	case OBJFMT_BTF_ENUM64:
		return 12;
	case OBJFMT_BTF_ENUM:
	case OBJFMT_BTF_FUNC_PROTO:
		return 8;
	default:
		return 0;
	}
}

static int kind_uses_size(enum objfmt_btf_kind kind)
{
	switch (kind) {
	case OBJFMT_BTF_INT: case OBJFMT_BTF_STRUCT: case OBJFMT_BTF_UNION:
	case OBJFMT_BTF_ENUM: case OBJFMT_BTF_ENUM64: case OBJFMT_BTF_FLOAT:
	case OBJFMT_BTF_DATASEC:
		return 1;
	default:
		return 0;
	}
}

static int decode_member(struct type_reader *r, const struct objfmt_btf_type *t,
			 struct objfmt_btf_member *m)
{
	memset(m, 0, sizeof(*m));
	m->name = "";
	if (t->kind == OBJFMT_BTF_DATASEC) {
		m->type = reader_u32(r);
		m->offset = reader_u32(r);
		m->size = reader_u32(r);
		m->name = r->strings->base; /* offset 0: "" */
		return 0;
	}
	int err = reader_name(r, reader_u32(r), &m->name);
	if (err)
		return err;
	switch (t->kind) {
	case OBJFMT_BTF_STRUCT:
	case OBJFMT_BTF_UNION: {
		m->type = reader_u32(r);
		uint32_t offset = reader_u32(r);
		m->bit_offset = t->kind_flag ? offset & 0xffffff : offset;
		m->bitfield = t->kind_flag ? offset >> 24 : 0;
		break;
	}
	case OBJFMT_BTF_ENUM: {
		uint32_t value = reader_u32(r);
		m->value = t->kind_flag ? (int64_t)(int32_t)value : (int64_t)value;
		break;
	}
	case OBJFMT_BTF_ENUM64: {
		uint64_t low = reader_u32(r);
		uint64_t high = reader_u32(r);
		m->value = (int64_t)(high << 32 | low);
		break;
	}
	default: /* FUNC_PROTO */
		m->type = reader_u32(r);
		break;
	}
	return 0;
}

/* The word after the common 12 bytes, for kinds that have one. */
static int decode_extra(struct type_reader *r, struct objfmt_btf_type *t)
{
	switch (t->kind) {
	case OBJFMT_BTF_INT: {
		int err = reader_need(r, 4, "INT data");
		if (err)
			return err;
		uint32_t data = reader_u32(r);
		if (data & 0xf0000000)
			return objfmt_diag_set(r->diag, -EINVAL, reader_where(r),
					       "invalid int data 0x%08x (reserved bits set)", data);
		t->int_encoding = data >> 24 & 0xf;
		t->int_offset = data >> 16 & 0xff;
		t->int_bits = data & 0xff;
		r->int_spare = data >> 8 & 0xff; /* unused, allowed by the kernel */
		return 0;
	}
	case OBJFMT_BTF_ARRAY: {
		int err = reader_need(r, 12, "ARRAY data");
		if (err)
			return err;
		t->array_elem = reader_u32(r);
		t->array_index = reader_u32(r);
		t->array_nelems = reader_u32(r);
		return 0;
	}
	case OBJFMT_BTF_VAR:
	case OBJFMT_BTF_DECL_TAG: {
		int err = reader_need(r, 4, t->kind == OBJFMT_BTF_VAR ? "VAR data"
								      : "DECL_TAG data");
		if (err)
			return err;
		uint32_t word = reader_u32(r);
		if (t->kind == OBJFMT_BTF_VAR)
			t->linkage = word;
		else
			t->component_idx = (int32_t)word;
		return 0;
	}
	default:
		return 0;
	}
}

/* Decode one type at the cursor into `t` (members malloc'ed into t->members). */
static int decode_type(struct type_reader *r, uint32_t id, struct objfmt_btf_type *t)
{
	memset(t, 0, sizeof(*t));
	r->int_spare = 0;
	r->id = id;
	int err = reader_need(r, BTF_TYPE_LEN, "type header");
	if (err)
		return err;
	uint32_t name_off = reader_u32(r), info = reader_u32(r), size_type = reader_u32(r);
	if (info & 0x60ff0000)
		return objfmt_diag_set(r->diag, -EINVAL, reader_where(r),
				       "invalid info 0x%08x (reserved bits set)", info);
	t->kind = info >> 24 & 0x1f;
	t->kind_flag = info >> 31;
	uint32_t vlen = info & 0xffff;
	if (t->kind == OBJFMT_BTF_UNKN || t->kind > BTF_MAX_KIND)
		return objfmt_diag_set(r->diag, -EINVAL, reader_where(r), "unknown kind %u", t->kind);
	err = reader_name(r, name_off, &t->name);
	if (err)
		return err;
	if (kind_uses_size(t->kind))
		t->size = size_type;
	else
		t->type = size_type;
	if (t->kind == OBJFMT_BTF_FUNC) {
		t->linkage = vlen;
		vlen = 0;
	}
	uint32_t record = member_record_size(t->kind);
	if (vlen && !record)
		return objfmt_diag_set(r->diag, -EINVAL, reader_where(r), "%s with vlen %u, expected 0",
				       btf_kind_name(t->kind), vlen);
	err = decode_extra(r, t);
	if (!err && vlen)
		err = reader_need(r, vlen * record, "member list");
	if (err)
		return err;
	if (vlen) {
		t->members = calloc(vlen, sizeof(*t->members));
		if (!t->members)
			return -ENOMEM;
	}
	t->vlen = vlen;
	for (uint32_t i = 0; i < vlen && !err; i++)
		err = decode_member(r, t, &t->members[i]);
	return err;
}

static int decode_types(struct objfmt_btf *btf, const uint8_t *data, uint32_t len,
			struct objfmt_diag *diag)
{
	struct type_reader r = { .data = data, .len = len, .strings = &btf->strings,
				 .diag = diag };

	while (r.pos < r.len) {
		int err = btf_reserve(btf, 1);
		if (err)
			return err;
		uint32_t id = btf->count + 1;
		struct objfmt_btf_type *t = &btf->types[id];
		err = decode_type(&r, id, t);
		if (err) {
			free(t->members);
			return err;
		}
		btf->extra[id] = (struct btf_type_extra){ .member_capacity = t->vlen,
							  .int_spare = r.int_spare };
		btf->count = id;
	}
	return 0;
}

struct objfmt_btf *objfmt_btf__decode(const void *data, size_t size,
				      struct objfmt_diag *diag)
{
	const uint8_t *p = data;
	struct btf_header_fields h = { 0 };
	const uint8_t *types = NULL;
	int err = data ? parse_header(p, size, &h, diag)
		       : objfmt_diag_set(diag, -EINVAL, "BTF header", "no data");

	if (!err)
		err = check_layout(&h, btf_read_u32(p + 4), size, diag);
	if (!err) {
		types = p + btf_read_u32(p + 4);
		err = check_strings(types + h.str_off, h.str_len, diag);
	}
	if (err) {
		errno = -err;
		return NULL;
	}
	struct objfmt_btf *btf = calloc(1, sizeof(*btf));
	char *strings = malloc(h.str_len);
	if (!btf || !strings) {
		free(btf);
		free(strings);
		errno = ENOMEM;
		return NULL;
	}
	memcpy(strings, types + h.str_off, h.str_len);
	err = btf_strtab_set_base(&btf->strings, strings, h.str_len);
	if (!err)
		err = decode_types(btf, types + h.type_off, h.type_len, diag);
	if (err) {
		objfmt_btf__free(btf);
		errno = -err;
		return NULL;
	}
	return btf;
}

/* ---- encoding ---- */

/* Strings of names the table lacks (set through type_mut), appended to a copy. */
struct extra_strings {
	struct btf_strhash index;   /* text -> offset, texts borrowed from the types */
	struct btf_buffer bytes;    /* appended bytes */
	uint32_t base;              /* offset of the first appended byte */
};

static int64_t name_offset(const struct objfmt_btf *btf, struct extra_strings *extra,
			   const char *name)
{
	int64_t off = btf_strtab_find(&btf->strings, name);

	if (off >= 0)
		return off;
	const struct btf_strhash_entry *entry = btf_strhash_get(&extra->index, name);
	if (entry)
		return entry->offset;
	uint64_t offset = (uint64_t)extra->base + extra->bytes.len;
	if (offset > UINT32_MAX)
		return -E2BIG;
	int err = btf_strhash_put(&extra->index, name, (uint32_t)offset);
	if (err)
		return err;
	btf_buffer_put(&extra->bytes, name, strlen(name) + 1);
	return extra->bytes.failed ? -ENOMEM : (int64_t)offset;
}

static uint32_t encode_info(const struct objfmt_btf_type *t)
{
	uint32_t vlen = t->kind == OBJFMT_BTF_FUNC ? t->linkage : t->vlen;
	return (uint32_t)t->kind_flag << 31 | ((uint32_t)t->kind & 0x1f) << 24 |
	       (vlen & 0xffff);
}

static void encode_extra(struct btf_buffer *buf, const struct objfmt_btf_type *t,
			 const struct btf_type_extra *extra)
{
	switch (t->kind) {
	case OBJFMT_BTF_INT:
		btf_buffer_put_u32(buf, (t->int_encoding & 0xf) << 24 |
					(t->int_offset & 0xff) << 16 |
					(uint32_t)extra->int_spare << 8 | (t->int_bits & 0xff));
		break;
	case OBJFMT_BTF_ARRAY:
		btf_buffer_put_u32(buf, t->array_elem);
		btf_buffer_put_u32(buf, t->array_index);
		btf_buffer_put_u32(buf, t->array_nelems);
		break;
	case OBJFMT_BTF_VAR:
		btf_buffer_put_u32(buf, t->linkage);
		break;
	case OBJFMT_BTF_DECL_TAG:
		btf_buffer_put_u32(buf, (uint32_t)t->component_idx);
		break;
	default:
		break;
	}
}

static int encode_member(struct btf_buffer *buf, const struct objfmt_btf *btf,
			 struct extra_strings *extra, const struct objfmt_btf_type *t,
			 const struct objfmt_btf_member *m)
{
	if (t->kind == OBJFMT_BTF_DATASEC) {
		btf_buffer_put_u32(buf, m->type);
		btf_buffer_put_u32(buf, m->offset);
		btf_buffer_put_u32(buf, m->size);
		return 0;
	}
	int64_t name = name_offset(btf, extra, m->name);
	if (name < 0)
		return (int)name;
	btf_buffer_put_u32(buf, (uint32_t)name);
	switch (t->kind) {
	case OBJFMT_BTF_STRUCT:
	case OBJFMT_BTF_UNION:
		btf_buffer_put_u32(buf, m->type);
		btf_buffer_put_u32(buf, t->kind_flag ? m->bitfield << 24 |
							      (m->bit_offset & 0xffffff)
						     : m->bit_offset);
		break;
	case OBJFMT_BTF_ENUM:
		btf_buffer_put_u32(buf, (uint32_t)m->value);
		break;
	case OBJFMT_BTF_ENUM64:
		btf_buffer_put_u32(buf, (uint32_t)m->value);
		btf_buffer_put_u32(buf, (uint32_t)((uint64_t)m->value >> 32));
		break;
	default: /* FUNC_PROTO */
		btf_buffer_put_u32(buf, m->type);
		break;
	}
	return 0;
}

static int encode_type(struct btf_buffer *buf, const struct objfmt_btf *btf,
		       struct extra_strings *extra, uint32_t id)
{
	const struct objfmt_btf_type *t = &btf->types[id];
	int64_t name = name_offset(btf, extra, t->name);

	if (name < 0)
		return (int)name;
	if (t->vlen && !member_record_size(t->kind))
		return -EINVAL;
	btf_buffer_put_u32(buf, (uint32_t)name);
	btf_buffer_put_u32(buf, encode_info(t));
	btf_buffer_put_u32(buf, kind_uses_size(t->kind) ? t->size : t->type);
	encode_extra(buf, t, &btf->extra[id]);
	for (uint32_t i = 0; i < t->vlen; i++) {
		int err = encode_member(buf, btf, extra, t, &t->members[i]);
		if (err)
			return err;
	}
	return 0;
}

static int encode_all(const struct objfmt_btf *btf, struct btf_buffer *types,
		      struct extra_strings *extra)
{
	for (uint32_t id = 1; id <= btf->count; id++) {
		int err = encode_type(types, btf, extra, id);
		if (err)
			return err;
	}
	if (types->failed || extra->bytes.failed)
		return -ENOMEM;
	uint64_t total = BTF_HEADER_LEN + (uint64_t)types->len + extra->base + extra->bytes.len;
	return total > UINT32_MAX ? -E2BIG : 0;
}

/* Header, types, the table (base then tail verbatim), then names it lacked. */
static int assemble(const struct objfmt_btf *btf, const struct btf_buffer *types,
		    const struct extra_strings *extra, struct btf_buffer *out)
{
	uint32_t str_len = extra->base + (uint32_t)extra->bytes.len;

	btf_buffer_put_u16(out, BTF_MAGIC_VALUE);
	btf_buffer_put_u8(out, BTF_VERSION_VALUE);
	btf_buffer_put_u8(out, 0);
	btf_buffer_put_u32(out, BTF_HEADER_LEN);
	btf_buffer_put_u32(out, 0);
	btf_buffer_put_u32(out, (uint32_t)types->len);
	btf_buffer_put_u32(out, (uint32_t)types->len);
	btf_buffer_put_u32(out, str_len);
	btf_buffer_put(out, types->data, types->len);
	btf_buffer_put(out, btf->strings.base, btf->strings.base_len);
	btf_buffer_put(out, btf->strings.tail, btf->strings.tail_len);
	btf_buffer_put(out, extra->bytes.data, extra->bytes.len);
	return out->failed ? -ENOMEM : 0;
}

int objfmt_btf__encode(const struct objfmt_btf *btf, void **out, size_t *out_size)
{
	if (!btf || !out || !out_size)
		return -EINVAL;
	struct btf_buffer types = { 0 }, result = { 0 };
	struct extra_strings extra = { .base = btf_strtab_size(&btf->strings) };
	int err = encode_all(btf, &types, &extra);

	if (!err)
		err = assemble(btf, &types, &extra, &result);
	free(types.data);
	free(extra.bytes.data);
	btf_strhash_release(&extra.index);
	if (err) {
		free(result.data);
		return err;
	}
	*out = result.data;
	*out_size = result.len;
	return 0;
}
