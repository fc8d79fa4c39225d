/* btf_ext.c - .BTF.ext: func_info, line_info and CO-RE relocation records grouped
 * per program section; decode/encode against the string table of the .BTF they
 * accompany, byte-identical for what clang writes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btf_int.h"

#define EXT_HEADER_MIN 24  /* magic .. line_info_len */
#define EXT_HEADER_CORE 32 /* .. core_relo_len */
#define NO_HINT UINT32_MAX

enum ext_kind { EXT_FUNC, EXT_LINE, EXT_CORE, EXT_KINDS };

static const char *const ext_kind_names[EXT_KINDS] = { "func_info", "line_info",
							"core_relo" };
static const uint32_t ext_record_size[EXT_KINDS] = { 8, 16, 16 };

/* Records of one program section. The *_hint arrays remember the string offsets a
 * decoded record used, so encoding reuses them (NO_HINT for built records). */
struct ext_section {
	const char *name;                    /* section name (pool copy) */
	uint32_t name_hint[EXT_KINDS];       /* sec_name_off seen per subsection */
	struct objfmt_btf_ext_func *funcs;   /* func_info records */
	struct objfmt_btf_ext_line *lines;   /* line_info records */
	uint32_t *line_file_hint;            /* file_name_off per line record */
	uint32_t *line_text_hint;            /* line_off per line record */
	struct objfmt_btf_ext_core *cores;   /* CO-RE relocation records */
	uint32_t *core_access_hint;          /* access_str_off per core record */
	size_t count[EXT_KINDS];             /* records per kind */
	size_t capacity[EXT_KINDS];          /* allocated records per kind */
	bool listed[EXT_KINDS];              /* already in objfmt_btf_ext.order[kind] */
};

struct objfmt_btf_ext {
	struct ext_section *sections;  /* in order of first appearance */
	size_t section_count;          /* used entries */
	size_t section_capacity;       /* allocated entries */
	size_t *order[EXT_KINDS];      /* section indices in block order per kind */
	size_t order_count[EXT_KINDS]; /* entries of order[k] */
	uint32_t header_len;           /* header length to write (24 or 32 or decoded) */
	struct btf_strtab pool;        /* owned copies of every string */
};

struct objfmt_btf_ext *objfmt_btf_ext__new(void)
{
	struct objfmt_btf_ext *ext = calloc(1, sizeof(*ext));

	if (!ext)
		return NULL;
	ext->header_len = EXT_HEADER_CORE;
	btf_strtab_init(&ext->pool);
	return ext;
}

void objfmt_btf_ext__free(struct objfmt_btf_ext *ext)
{
	if (!ext)
		return;
	for (size_t i = 0; i < ext->section_count; i++) {
		struct ext_section *sec = &ext->sections[i];
		free(sec->funcs);
		free(sec->lines);
		free(sec->line_file_hint);
		free(sec->line_text_hint);
		free(sec->cores);
		free(sec->core_access_hint);
	}
	for (int k = 0; k < EXT_KINDS; k++)
		free(ext->order[k]);
	free(ext->sections);
	btf_strtab_release(&ext->pool);
	free(ext);
}

static int pool_copy(struct objfmt_btf_ext *ext, const char *text, const char **copy)
{
	int64_t off = btf_strtab_intern(&ext->pool, text ? text : "", copy);
	return off < 0 ? (int)off : 0;
}

/* Index of section `name`, creating it (and listing it for kind k) if needed. */
static int ext_section_for(struct objfmt_btf_ext *ext, const char *name, enum ext_kind k,
			   size_t *index)
{
	size_t i = 0;

	while (i < ext->section_count && strcmp(ext->sections[i].name, name) != 0)
		i++;
	if (i == ext->section_count) {
		if (i == ext->section_capacity) {
			size_t capacity = i ? i * 2 : 4;
			struct ext_section *s = realloc(ext->sections, capacity * sizeof(*s));
			if (!s)
				return -ENOMEM;
			ext->sections = s;
			ext->section_capacity = capacity;
		}
		struct ext_section *sec = &ext->sections[i];
		memset(sec, 0, sizeof(*sec));
		for (int j = 0; j < EXT_KINDS; j++)
			sec->name_hint[j] = NO_HINT;
		int err = pool_copy(ext, name, &sec->name);
		if (err)
			return err;
		ext->section_count++;
	}
	*index = i;
	if (!ext->sections[i].listed[k]) {
		size_t *order = realloc(ext->order[k], (ext->order_count[k] + 1) * sizeof(*order));
		if (!order)
			return -ENOMEM;
		ext->order[k] = order;
		order[ext->order_count[k]++] = i;
		ext->sections[i].listed[k] = true;
	}
	return 0;
}

static int grow(void **array, size_t element, size_t capacity)
{
	void *bigger = realloc(*array, capacity * element);
	if (!bigger)
		return -ENOMEM;
	*array = bigger;
	return 0;
}

/* Make room for one more record of kind k in `sec`. */
static int ext_reserve(struct ext_section *sec, enum ext_kind k)
{
	if (sec->count[k] < sec->capacity[k])
		return 0;
	size_t capacity = sec->capacity[k] ? sec->capacity[k] * 2 : 8;
	int err = 0;
	if (k == EXT_FUNC)
		err = grow((void **)&sec->funcs, sizeof(*sec->funcs), capacity);
	if (k == EXT_LINE) {
		err = grow((void **)&sec->lines, sizeof(*sec->lines), capacity);
		if (!err)
			err = grow((void **)&sec->line_file_hint, sizeof(uint32_t), capacity);
		if (!err)
			err = grow((void **)&sec->line_text_hint, sizeof(uint32_t), capacity);
	}
	if (k == EXT_CORE) {
		err = grow((void **)&sec->cores, sizeof(*sec->cores), capacity);
		if (!err)
			err = grow((void **)&sec->core_access_hint, sizeof(uint32_t), capacity);
	}
	if (!err)
		sec->capacity[k] = capacity;
	return err;
}

static int ext_begin(struct objfmt_btf_ext *ext, const char *sec_name, enum ext_kind k,
		     struct ext_section **sec)
{
	size_t index = 0;

	if (!ext || !sec_name)
		return -EINVAL;
	int err = ext_section_for(ext, sec_name, k, &index);
	if (err)
		return err;
	*sec = &ext->sections[index];
	return ext_reserve(*sec, k);
}

int objfmt_btf_ext__add_func(struct objfmt_btf_ext *ext, const char *sec_name,
			     const struct objfmt_btf_ext_func *rec)
{
	struct ext_section *sec;
	int err = rec ? ext_begin(ext, sec_name, EXT_FUNC, &sec) : -EINVAL;

	if (err)
		return err;
	sec->funcs[sec->count[EXT_FUNC]++] = *rec;
	return 0;
}

int objfmt_btf_ext__add_line(struct objfmt_btf_ext *ext, const char *sec_name,
			     const struct objfmt_btf_ext_line *rec)
{
	struct ext_section *sec;
	int err = rec ? ext_begin(ext, sec_name, EXT_LINE, &sec) : -EINVAL;

	if (err)
		return err;
	size_t j = sec->count[EXT_LINE];
	struct objfmt_btf_ext_line copy = *rec;
	err = pool_copy(ext, rec->file, &copy.file);
	if (!err)
		err = pool_copy(ext, rec->line, &copy.line);
	if (err)
		return err;
	sec->lines[j] = copy;
	sec->line_file_hint[j] = NO_HINT;
	sec->line_text_hint[j] = NO_HINT;
	sec->count[EXT_LINE]++;
	return 0;
}

int objfmt_btf_ext__add_core(struct objfmt_btf_ext *ext, const char *sec_name,
			     const struct objfmt_btf_ext_core *rec)
{
	struct ext_section *sec;
	int err = rec ? ext_begin(ext, sec_name, EXT_CORE, &sec) : -EINVAL;

	if (err)
		return err;
	size_t j = sec->count[EXT_CORE];
	struct objfmt_btf_ext_core copy = *rec;
	err = pool_copy(ext, rec->access, &copy.access);
	if (err)
		return err;
	sec->cores[j] = copy;
	sec->core_access_hint[j] = NO_HINT;
	sec->count[EXT_CORE]++;
	if (ext->header_len < EXT_HEADER_CORE)
		ext->header_len = EXT_HEADER_CORE;
	return 0;
}

size_t objfmt_btf_ext__section_count(const struct objfmt_btf_ext *ext)
{
	return ext ? ext->section_count : 0;
}

const char *objfmt_btf_ext__section_name(const struct objfmt_btf_ext *ext, size_t i)
{
	return ext && i < ext->section_count ? ext->sections[i].name : NULL;
}

static size_t record_count(const struct objfmt_btf_ext *ext, size_t i, enum ext_kind k)
{
	return ext && i < ext->section_count ? ext->sections[i].count[k] : 0;
}

size_t objfmt_btf_ext__func_count(const struct objfmt_btf_ext *ext, size_t i)
{
	return record_count(ext, i, EXT_FUNC);
}

size_t objfmt_btf_ext__line_count(const struct objfmt_btf_ext *ext, size_t i)
{
	return record_count(ext, i, EXT_LINE);
}

size_t objfmt_btf_ext__core_count(const struct objfmt_btf_ext *ext, size_t i)
{
	return record_count(ext, i, EXT_CORE);
}

const struct objfmt_btf_ext_func *objfmt_btf_ext__func(const struct objfmt_btf_ext *ext,
							size_t i, size_t j)
{
	return j < record_count(ext, i, EXT_FUNC) ? &ext->sections[i].funcs[j] : NULL;
}

const struct objfmt_btf_ext_line *objfmt_btf_ext__line(const struct objfmt_btf_ext *ext,
							size_t i, size_t j)
{
	return j < record_count(ext, i, EXT_LINE) ? &ext->sections[i].lines[j] : NULL;
}

const struct objfmt_btf_ext_core *objfmt_btf_ext__core(const struct objfmt_btf_ext *ext,
							size_t i, size_t j)
{
	return j < record_count(ext, i, EXT_CORE) ? &ext->sections[i].cores[j] : NULL;
}

/* ---- decoding ---- */

/* Cursor over one subsection while decoding. */
struct ext_reader {
	const uint8_t *data;          /* subsection bytes */
	uint32_t len;                 /* their count */
	uint32_t pos;                 /* next byte */
	enum ext_kind kind;           /* which subsection */
	const struct objfmt_btf *btf; /* string table owner */
	struct objfmt_diag *diag;     /* where errors go */
};

static int ext_string(struct ext_reader *r, uint32_t off, const char *what,
		      const char **text)
{
	*text = objfmt_btf__string(r->btf, off);
	if (*text)
		return 0;
	return objfmt_diag_set(r->diag, -EINVAL, "BTF.ext", "%s: %s offset %u out of range "
			       "(string section is %u bytes)", ext_kind_names[r->kind], what,
			       off, btf_strtab_size(&r->btf->strings));
}

static int decode_record(struct objfmt_btf_ext *ext, struct ext_reader *r,
			 const char *sec_name, const uint8_t *p)
{
	uint32_t w0 = btf_read_u32(p), w1 = btf_read_u32(p + 4);

	if (r->kind == EXT_FUNC) {
		struct objfmt_btf_ext_func rec = { .insn_off = w0, .type_id = w1 };
		return objfmt_btf_ext__add_func(ext, sec_name, &rec);
	}
	uint32_t w2 = btf_read_u32(p + 8), w3 = btf_read_u32(p + 12);
	const char *text = NULL, *file = NULL;
	if (r->kind == EXT_CORE) {
		int err = ext_string(r, w2, "access string", &text);
		struct objfmt_btf_ext_core rec = { .insn_off = w0, .type_id = w1,
						   .access = text, .kind = w3 };
		if (!err)
			err = objfmt_btf_ext__add_core(ext, sec_name, &rec);
		return err;
	}
	int err = ext_string(r, w1, "file name", &file);
	if (!err)
		err = ext_string(r, w2, "line", &text);
	struct objfmt_btf_ext_line rec = { .insn_off = w0, .file = file, .line = text,
					   .line_num = w3 >> 10, .line_col = w3 & 0x3ff };
	if (!err)
		err = objfmt_btf_ext__add_line(ext, sec_name, &rec);
	return err;
}

/* Remember the offsets of the record just added, for a byte-identical encode. */
static void remember_hints(struct objfmt_btf_ext *ext, size_t index, enum ext_kind k,
			   const uint8_t *p)
{
	struct ext_section *sec = &ext->sections[index];
	size_t j = sec->count[k] - 1;

	if (k == EXT_LINE) {
		sec->line_file_hint[j] = btf_read_u32(p + 4);
		sec->line_text_hint[j] = btf_read_u32(p + 8);
	} else if (k == EXT_CORE) {
		sec->core_access_hint[j] = btf_read_u32(p + 8);
	}
}

static int ext_block(struct objfmt_btf_ext *ext, struct ext_reader *r, uint32_t rec_size)
{
	const char *what = ext_kind_names[r->kind];

	if (r->len - r->pos < 8)
		return objfmt_diag_set(r->diag, -EINVAL, "BTF.ext",
				       "%s: truncated section header at offset %u", what, r->pos);
	uint32_t name_off = btf_read_u32(r->data + r->pos);
	uint32_t num = btf_read_u32(r->data + r->pos + 4);
	r->pos += 8;
	const char *name;
	int err = ext_string(r, name_off, "section name", &name);
	if (err)
		return err;
	if (num == 0)
		return objfmt_diag_set(r->diag, -EINVAL, "BTF.ext",
				       "%s: section '%s' has no records", what, name);
	if ((r->len - r->pos) / rec_size < num)
		return objfmt_diag_set(r->diag, -EINVAL, "BTF.ext",
				       "%s: section '%s' claims %u records, only %u bytes left",
				       what, name, num, r->len - r->pos);
	for (size_t i = 0; i < ext->section_count; i++)
		if (ext->sections[i].count[r->kind] && strcmp(ext->sections[i].name, name) == 0)
			return objfmt_diag_set(r->diag, -EINVAL, "BTF.ext",
					       "%s: section '%s' appears twice", what, name);
	for (uint32_t i = 0; i < num; i++, r->pos += rec_size) {
		err = decode_record(ext, r, name, r->data + r->pos);
		if (err)
			return err;
		size_t index = ext->order[r->kind][ext->order_count[r->kind] - 1];
		remember_hints(ext, index, r->kind, r->data + r->pos);
		ext->sections[index].name_hint[r->kind] = name_off;
	}
	return 0;
}

static int ext_subsection(struct objfmt_btf_ext *ext, struct ext_reader *r)
{
	if (r->len == 0)
		return 0;
	if (r->len < 4)
		return objfmt_diag_set(r->diag, -EINVAL, "BTF.ext",
				       "%s: %u bytes, too short for the record size",
				       ext_kind_names[r->kind], r->len);
	uint32_t rec_size = btf_read_u32(r->data);
	if (rec_size != ext_record_size[r->kind])
		return objfmt_diag_set(r->diag, -EINVAL, "BTF.ext",
				       "%s: record size %u, expected %u", ext_kind_names[r->kind],
				       rec_size, ext_record_size[r->kind]);
	r->pos = 4;
	while (r->pos < r->len) {
		int err = ext_block(ext, r, rec_size);
		if (err)
			return err;
	}
	return 0;
}

static int ext_header(const uint8_t *p, size_t size, uint32_t *hdr_len,
		      struct objfmt_diag *diag)
{
	if (size < 8)
		return objfmt_diag_set(diag, -EINVAL, "BTF.ext header",
				       "truncated: %zu bytes, need at least 8", size);
	if (btf_read_u16(p) != BTF_MAGIC_VALUE)
		return objfmt_diag_set(diag, -EINVAL, "BTF.ext header",
				       "invalid magic 0x%04x, expected 0xeb9f", btf_read_u16(p));
	if (p[2] != BTF_VERSION_VALUE)
		return objfmt_diag_set(diag, -EINVAL, "BTF.ext header",
				       "unsupported version %u, expected 1", p[2]);
	if (p[3] != 0)
		return objfmt_diag_set(diag, -EINVAL, "BTF.ext header",
				       "unsupported flags 0x%02x, expected 0", p[3]);
	*hdr_len = btf_read_u32(p + 4);
	if (*hdr_len < EXT_HEADER_MIN || *hdr_len > size)
		return objfmt_diag_set(diag, -EINVAL, "BTF.ext header",
				       "header length %u invalid (need 24..%zu)", *hdr_len, size);
	for (uint32_t i = EXT_HEADER_CORE; i < *hdr_len; i++)
		if (p[i])
			return objfmt_diag_set(diag, -EINVAL, "BTF.ext header",
					       "unsupported non-zero header tail");
	return 0;
}

/* Locate subsection k (offsets relative to the end of the header). */
static int ext_locate(const uint8_t *p, size_t size, uint32_t hdr_len, enum ext_kind k,
		      struct ext_reader *r, struct objfmt_diag *diag)
{
	uint32_t field = 8 + 8 * (uint32_t)k;

	r->kind = k;
	r->len = 0;
	if (field + 8 > hdr_len)
		return 0;
	uint32_t off = btf_read_u32(p + field), len = btf_read_u32(p + field + 4);
	if ((uint64_t)hdr_len + off + len > size)
		return objfmt_diag_set(diag, -EINVAL, "BTF.ext header",
				       "%s at offset %u length %u past the end (%zu bytes of data)",
				       ext_kind_names[k], off, len, size - hdr_len);
	r->data = p + hdr_len + off;
	r->len = len;
	return 0;
}

struct objfmt_btf_ext *objfmt_btf_ext__decode(const void *data, size_t size,
					      const struct objfmt_btf *btf,
					      struct objfmt_diag *diag)
{
	uint32_t hdr_len = 0;
	int err = data && btf ? ext_header(data, size, &hdr_len, diag)
			      : objfmt_diag_set(diag, -EINVAL, "BTF.ext header", "no data");
	struct objfmt_btf_ext *ext = err ? NULL : objfmt_btf_ext__new();

	if (!err && !ext)
		err = -ENOMEM;
	for (int k = 0; !err && k < EXT_KINDS; k++) {
		struct ext_reader r = { .btf = btf, .diag = diag };
		err = ext_locate(data, size, hdr_len, (enum ext_kind)k, &r, diag);
		if (!err)
			err = ext_subsection(ext, &r);
	}
	if (err) {
		objfmt_btf_ext__free(ext);
		errno = -err;
		return NULL;
	}
	ext->header_len = hdr_len;
	return ext;
}

/* ---- encoding ---- */

/* Offset of `text` in btf: the decoded offset if it still names the same text. */
static int64_t ext_string_offset(struct objfmt_btf *btf, uint32_t hint, const char *text)
{
	if (hint != NO_HINT) {
		const char *at = objfmt_btf__string(btf, hint);
		if (at && strcmp(at, text) == 0)
			return hint;
	}
	return objfmt_btf__add_string(btf, text);
}

static int encode_record(struct btf_buffer *buf, struct objfmt_btf *btf,
			 const struct ext_section *sec, enum ext_kind k, size_t j)
{
	if (k == EXT_FUNC) {
		btf_buffer_put_u32(buf, sec->funcs[j].insn_off);
		btf_buffer_put_u32(buf, sec->funcs[j].type_id);
		return 0;
	}
	if (k == EXT_CORE) {
		const struct objfmt_btf_ext_core *c = &sec->cores[j];
		int64_t access = ext_string_offset(btf, sec->core_access_hint[j], c->access);
		if (access < 0)
			return (int)access;
		btf_buffer_put_u32(buf, c->insn_off);
		btf_buffer_put_u32(buf, c->type_id);
		btf_buffer_put_u32(buf, (uint32_t)access);
		btf_buffer_put_u32(buf, c->kind);
		return 0;
	}
	const struct objfmt_btf_ext_line *l = &sec->lines[j];
	int64_t file = ext_string_offset(btf, sec->line_file_hint[j], l->file);
	int64_t line = file < 0 ? file : ext_string_offset(btf, sec->line_text_hint[j], l->line);
	if (line < 0)
		return (int)line;
	btf_buffer_put_u32(buf, l->insn_off);
	btf_buffer_put_u32(buf, (uint32_t)file);
	btf_buffer_put_u32(buf, (uint32_t)line);
	btf_buffer_put_u32(buf, l->line_num << 10 | (l->line_col & 0x3ff));
	return 0;
}

/* Subsection k: record size, then per section its name, count and records. */
static int encode_subsection(const struct objfmt_btf_ext *ext, struct objfmt_btf *btf,
			     enum ext_kind k, struct btf_buffer *buf)
{
	size_t total = 0;

	for (size_t o = 0; o < ext->order_count[k]; o++)
		total += ext->sections[ext->order[k][o]].count[k];
	if (total == 0)
		return 0;
	btf_buffer_put_u32(buf, ext_record_size[k]);
	for (size_t o = 0; o < ext->order_count[k]; o++) {
		const struct ext_section *sec = &ext->sections[ext->order[k][o]];
		if (sec->count[k] == 0)
			continue;
		int64_t name = ext_string_offset(btf, sec->name_hint[k], sec->name);
		if (name < 0)
			return (int)name;
		if (sec->count[k] > UINT32_MAX)
			return -E2BIG;
		btf_buffer_put_u32(buf, (uint32_t)name);
		btf_buffer_put_u32(buf, (uint32_t)sec->count[k]);
		for (size_t j = 0; j < sec->count[k]; j++) {
			int err = encode_record(buf, btf, sec, k, j);
			if (err)
				return err;
		}
	}
	return buf->failed ? -ENOMEM : 0;
}

static void encode_header(struct btf_buffer *out, uint32_t hdr_len, const size_t *len)
{
	btf_buffer_put_u16(out, BTF_MAGIC_VALUE);
	btf_buffer_put_u8(out, BTF_VERSION_VALUE);
	btf_buffer_put_u8(out, 0);
	btf_buffer_put_u32(out, hdr_len);
	uint32_t off = 0;
	for (int k = 0; k < EXT_KINDS; k++) {
		if (8 + 8 * (uint32_t)k + 8 > hdr_len)
			break;
		btf_buffer_put_u32(out, off);
		btf_buffer_put_u32(out, (uint32_t)len[k]);
		off += (uint32_t)len[k];
	}
	while (out->len < hdr_len && !out->failed)
		btf_buffer_put_u8(out, 0);
}

int objfmt_btf_ext__encode(const struct objfmt_btf_ext *ext, struct objfmt_btf *btf,
			   void **out, size_t *out_size)
{
	if (!ext || !btf || !out || !out_size)
		return -EINVAL;
	struct btf_buffer parts[EXT_KINDS] = { { 0 } }, result = { 0 };
	size_t len[EXT_KINDS];
	uint64_t total = ext->header_len;
	int err = 0;

	for (int k = 0; k < EXT_KINDS && !err; k++) {
		err = encode_subsection(ext, btf, (enum ext_kind)k, &parts[k]);
		len[k] = parts[k].len;
		total += len[k];
	}
	if (!err && total > UINT32_MAX)
		err = -E2BIG;
	if (!err) {
		encode_header(&result, ext->header_len, len);
		for (int k = 0; k < EXT_KINDS; k++)
			btf_buffer_put(&result, parts[k].data, parts[k].len);
		err = result.failed ? -ENOMEM : 0;
	}
	for (int k = 0; k < EXT_KINDS; k++)
		free(parts[k].data);
	if (err) {
		free(result.data);
		return err;
	}
	*out = result.data;
	*out_size = result.len;
	return 0;
}
