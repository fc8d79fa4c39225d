/* load_btf.c - the object's BTF as the kernel must see it: clang leaves DATASEC sizes
 * and variable offsets zero, so they are filled from the ELF sections and symbols
 * (as libbpf does) in a private copy of .BTF; .BTF.ext func_info/line_info records are
 * split per code section for PROG_LOAD; BTF_LOAD sends the fixed bytes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ld_int.h"

struct raw_btf_header {
	uint16_t magic;
	uint8_t version;
	uint8_t flags;
	uint32_t hdr_len;
	uint32_t type_off;
	uint32_t type_len;
	uint32_t str_off;
	uint32_t str_len;
};

struct raw_btf_type {
	uint32_t name_off;
	uint32_t info; /* vlen: bits 0-15, kind: bits 24-28 */
	uint32_t size_or_type;
};

struct raw_btf_var_secinfo {
	uint32_t type;
	uint32_t offset;
	uint32_t size;
};

#define RAW_KIND(info) (((info) >> 24) & 0x1f)
#define RAW_VLEN(info) ((info) & 0xffff)

/* Bytes that follow struct raw_btf_type for a type of this kind, or -1 if unknown. */
static long raw_extra_size(uint32_t info)
{
	uint32_t vlen = RAW_VLEN(info);

	switch (RAW_KIND(info)) {
	case OBJFMT_BTF_INT: case OBJFMT_BTF_VAR: case OBJFMT_BTF_DECL_TAG:
		return 4;
	case OBJFMT_BTF_ARRAY:
		return 12;
	case OBJFMT_BTF_STRUCT: case OBJFMT_BTF_UNION: case OBJFMT_BTF_DATASEC:
	case OBJFMT_BTF_ENUM64:
		return 12L * vlen;
	case OBJFMT_BTF_ENUM: case OBJFMT_BTF_FUNC_PROTO:
		return 8L * vlen;
	case OBJFMT_BTF_PTR: case OBJFMT_BTF_FWD: case OBJFMT_BTF_TYPEDEF:
	case OBJFMT_BTF_VOLATILE: case OBJFMT_BTF_CONST: case OBJFMT_BTF_RESTRICT:
	case OBJFMT_BTF_FUNC: case OBJFMT_BTF_FLOAT: case OBJFMT_BTF_TYPE_TAG:
		return 0;
	default:
		return -1;
	}
}

/* Offset of the symbol that defines variable `name` in section `section`, or -1. */
static int64_t symbol_offset(const struct objfmt_object *model, size_t section,
			     const char *name)
{
	size_t count = objfmt_object__symbol_count(model);

	for (size_t i = 0; i < count; i++) {
		const struct objfmt_symbol *sym = objfmt_object__symbol(model, i);
		if (sym->section == section && sym->name && strcmp(sym->name, name) == 0)
			return (int64_t)sym->value;
	}
	return -1;
}

/* Fill one DATASEC's size and its variables' offsets in the raw copy and the model. */
static int fix_datasec(struct ld_object *obj, uint8_t *types_end, struct raw_btf_type *t,
		       const char *strings, uint32_t str_len, uint32_t id, struct ld_diag *diag)
{
	const struct objfmt_btf *btf = objfmt_object__btf(obj->model);
	struct objfmt_btf_type *model_type = btf ? objfmt_btf__type_mut((struct objfmt_btf *)btf, id) : NULL;
	struct raw_btf_var_secinfo *vars = (struct raw_btf_var_secinfo *)(t + 1);
	const char *name = t->name_off < str_len ? strings + t->name_off : "";
	int sec_idx = objfmt_object__find_section(obj->model, name);

	if ((uint8_t *)(vars + RAW_VLEN(t->info)) > types_end)
		return ld_diag_set(diag, -EINVAL, "%s: section '.BTF': DATASEC '%s' truncated",
				   obj->name, name);
	if (sec_idx < 0)
		return 0; /* extern-backing sections (.kconfig, .ksyms) have none */
	if (t->size_or_type == 0)
		t->size_or_type = (uint32_t)objfmt_object__section(obj->model, (size_t)sec_idx)->size;
	if (model_type)
		model_type->size = t->size_or_type;
	for (uint32_t i = 0; i < RAW_VLEN(t->info); i++) {
		const struct objfmt_btf_type *var = btf ? objfmt_btf__type(btf, vars[i].type) : NULL;
		int64_t off = var ? symbol_offset(obj->model, (size_t)sec_idx, var->name) : -1;
		if (off >= 0)
			vars[i].offset = (uint32_t)off;
		if (model_type && i < model_type->vlen)
			model_type->members[i].offset = vars[i].offset;
	}
	return 0;
}

static int fix_datasecs(struct ld_object *obj, struct ld_diag *diag)
{
	struct raw_btf_header *hdr = (struct raw_btf_header *)obj->btf_raw;
	uint8_t *types = obj->btf_raw + hdr->hdr_len + hdr->type_off;
	uint8_t *end = types + hdr->type_len;
	const char *strings = (const char *)obj->btf_raw + hdr->hdr_len + hdr->str_off;
	uint32_t id = 1;

	for (uint8_t *p = types; p + sizeof(struct raw_btf_type) <= end; id++) {
		struct raw_btf_type *t = (struct raw_btf_type *)p;
		long extra = raw_extra_size(t->info);
		if (extra < 0)
			return ld_diag_set(diag, -EINVAL,
					   "%s: section '.BTF': type [%u] has unknown kind %u",
					   obj->name, id, RAW_KIND(t->info));
		if (RAW_KIND(t->info) == OBJFMT_BTF_DATASEC) {
			int err = fix_datasec(obj, end, t, strings, hdr->str_len, id, diag);
			if (err)
				return err;
		}
		p += sizeof(*t) + (size_t)extra;
	}
	return 0;
}

/* Raw type `id` of the private .BTF copy, NULL when out of range. */
static struct raw_btf_type *raw_type(struct ld_object *obj, uint32_t want)
{
	struct raw_btf_header *hdr = (struct raw_btf_header *)obj->btf_raw;
	uint8_t *p = obj->btf_raw + hdr->hdr_len + hdr->type_off, *end = p + hdr->type_len;

	for (uint32_t id = 1; p + sizeof(struct raw_btf_type) <= end; id++) {
		struct raw_btf_type *t = (struct raw_btf_type *)p;
		long extra = raw_extra_size(t->info);
		if (extra < 0)
			return NULL;
		if (id == want)
			return p + sizeof(*t) + (size_t)extra <= end ? t : NULL;
		p += sizeof(*t) + (size_t)extra;
	}
	return NULL;
}

int ld_btf_fix_extern_datasec(struct ld_object *obj, uint32_t datasec_id, uint32_t size,
			      const uint32_t *offsets)
{
	struct raw_btf_type *sec = obj->btf_raw ? raw_type(obj, datasec_id) : NULL;
	struct raw_btf_var_secinfo *vars;

	if (!sec || RAW_KIND(sec->info) != OBJFMT_BTF_DATASEC)
		return -EINVAL;
	sec->size_or_type = size;
	vars = (struct raw_btf_var_secinfo *)(sec + 1);
	for (uint32_t i = 0; i < RAW_VLEN(sec->info); i++) {
		struct raw_btf_type *var = raw_type(obj, vars[i].type);
		vars[i].offset = offsets[i];
		if (var && RAW_KIND(var->info) == OBJFMT_BTF_VAR)
			memcpy(var + 1, &(uint32_t){ OBJFMT_BTF_VAR_GLOBAL }, 4); /* allocated now */
	}
	return 0;
}

/* A non-local function of .text with hidden visibility: libbpf (mark_btf_static) verifies
 * it as a static subprogram, with its caller's register state, not as a global one. */
static bool hidden_subprogram(const struct ld_object *obj, const struct objfmt_symbol *sym)
{
	return obj->text_code >= 0 && sym->type == OBJFMT_SYM_FUNC &&
	       sym->bind != OBJFMT_BIND_LOCAL && sym->vis == OBJFMT_VIS_HIDDEN &&
	       sym->section == obj->codes[obj->text_code].section && sym->name;
}

/* Give the first global FUNC named `name` static linkage, in the raw copy and the model. */
static void make_func_static(struct ld_object *obj, const char *name)
{
	const struct raw_btf_header *hdr = (const struct raw_btf_header *)obj->btf_raw;
	const char *strings = (const char *)obj->btf_raw + hdr->hdr_len + hdr->str_off;
	const struct objfmt_btf *btf = objfmt_object__btf(obj->model);
	uint8_t *p = obj->btf_raw + hdr->hdr_len + hdr->type_off, *end = p + hdr->type_len;

	for (uint32_t id = 1; p + sizeof(struct raw_btf_type) <= end; id++) {
		struct raw_btf_type *t = (struct raw_btf_type *)p;
		long extra = raw_extra_size(t->info);
		if (extra < 0)
			return;
		p += sizeof(*t) + (size_t)extra;
		if (RAW_KIND(t->info) != OBJFMT_BTF_FUNC || RAW_VLEN(t->info) != OBJFMT_BTF_FUNC_GLOBAL ||
		    t->name_off >= hdr->str_len || strcmp(strings + t->name_off, name) != 0)
			continue;
		t->info = (uint32_t)OBJFMT_BTF_FUNC << 24 | OBJFMT_BTF_FUNC_STATIC;
		if (btf) {
			struct objfmt_btf_type *model_type = objfmt_btf__type_mut((struct objfmt_btf *)btf, id);
			if (model_type)
				model_type->linkage = OBJFMT_BTF_FUNC_STATIC;
		}
		return;
	}
}

static void mark_hidden_static(struct ld_object *obj)
{
	size_t count = objfmt_object__symbol_count(obj->model);

	for (size_t i = 0; i < count; i++) {
		const struct objfmt_symbol *sym = objfmt_object__symbol(obj->model, i);
		if (hidden_subprogram(obj, sym))
			make_func_static(obj, sym->name);
	}
}

int ld_btf_prepare(struct ld_object *obj, struct ld_diag *diag)
{
	int idx = objfmt_object__find_section(obj->model, ".BTF");
	const struct objfmt_section *sec;
	const struct raw_btf_header *hdr;

	if (idx < 0)
		return 0;
	sec = objfmt_object__section(obj->model, (size_t)idx);
	hdr = (const struct raw_btf_header *)sec->data;
	if (!sec->data || sec->size < sizeof(*hdr) || hdr->magic != 0xeb9f ||
	    (uint64_t)hdr->hdr_len + hdr->type_off + hdr->type_len > sec->size ||
	    (uint64_t)hdr->hdr_len + hdr->str_off + hdr->str_len > sec->size)
		return ld_diag_set(diag, -EINVAL, "%s: section '.BTF': bad header", obj->name);
	obj->btf_raw = malloc(sec->size);
	if (!obj->btf_raw)
		return -ENOMEM;
	memcpy(obj->btf_raw, sec->data, sec->size);
	obj->btf_raw_size = sec->size;
	mark_hidden_static(obj);
	return fix_datasecs(obj, diag);
}

/* ---- .BTF.ext ---------------------------------------------------------------------- */

struct raw_ext_header {
	uint16_t magic;
	uint8_t version;
	uint8_t flags;
	uint32_t hdr_len;
	uint32_t func_info_off;
	uint32_t func_info_len;
	uint32_t line_info_off;
	uint32_t line_info_len;
	uint32_t core_relo_off; /* present when hdr_len >= 32 */
	uint32_t core_relo_len;
};

#define RAW_EXT_HEADER_V1 24 /* bytes of the header without the CO-RE fields */

static const char *btf_string(const struct ld_object *obj, uint32_t off)
{
	const struct raw_btf_header *hdr = (const struct raw_btf_header *)obj->btf_raw;

	if (!obj->btf_raw || off >= hdr->str_len)
		return NULL;
	return (const char *)obj->btf_raw + hdr->hdr_len + hdr->str_off + off;
}

static struct ld_code *code_by_name(struct ld_object *obj, const char *name)
{
	for (size_t i = 0; name && i < obj->code_count; i++)
		if (strcmp(obj->codes[i].name, name) == 0)
			return &obj->codes[i];
	return NULL;
}

/* CO-RE records of one section: insn_off, type_id, access_str_off, kind. */
static int store_core_records(const struct ld_object *obj, struct ld_code *code,
			      const uint8_t *rec, uint32_t rec_size, uint32_t count)
{
	for (uint32_t i = 0; i < count; i++, rec += rec_size) {
		uint32_t field[4];
		memcpy(field, rec, sizeof(field));
		const char *access = btf_string(obj, field[2]);
		struct ld_core_reloc core = { field[0] / LD_INSN_SIZE, field[1],
					      access ? access : "", field[3] };
		if (ld_append((void **)&code->cores, &code->core_count, sizeof(core), &core))
			return -ENOMEM;
	}
	return 0;
}

/* Store `count` records of one section; insn_off converts from bytes to insns. */
static int store_records(struct ld_code *code, bool is_func, const uint8_t *rec,
			 uint32_t rec_size, uint32_t count)
{
	size_t elem = is_func ? sizeof(struct bpf_func_info) : sizeof(struct bpf_line_info);
	void *array = malloc(elem * (count ? count : 1));

	if (!array)
		return -ENOMEM;
	for (uint32_t i = 0; i < count; i++, rec += rec_size) {
		memcpy((uint8_t *)array + i * elem, rec, elem);
		*(uint32_t *)((uint8_t *)array + i * elem) /= LD_INSN_SIZE;
	}
	if (is_func) {
		free(code->ext.funcs);
		code->ext.funcs = array;
		code->ext.func_count = count;
	} else {
		free(code->ext.lines);
		code->ext.lines = array;
		code->ext.line_count = count;
	}
	return 0;
}

enum info_kind { INFO_FUNC, INFO_LINE, INFO_CORE };

static int parse_info_block(struct ld_object *obj, const uint8_t *p, uint32_t len,
			    enum info_kind kind, struct ld_diag *diag)
{
	static const char *const names[] = { "func_info", "line_info", "CO-RE relocation" };
	const uint8_t *end = p + len;
	bool is_func = kind == INFO_FUNC;
	size_t min_rec = kind == INFO_FUNC ? sizeof(struct bpf_func_info)
			 : kind == INFO_LINE ? sizeof(struct bpf_line_info) : 16;
	uint32_t rec_size;

	if (len == 0)
		return 0;
	memcpy(&rec_size, p, 4);
	if (len < 4 || rec_size < min_rec)
		goto bad;
	for (p += 4; p + 8 <= end;) {
		uint32_t name_off, count;
		memcpy(&name_off, p, 4);
		memcpy(&count, p + 4, 4);
		p += 8;
		if ((uint64_t)count * rec_size > (uint64_t)(end - p))
			goto bad;
		struct ld_code *code = code_by_name(obj, btf_string(obj, name_off));
		int err = !code ? 0 : kind == INFO_CORE ? store_core_records(obj, code, p, rec_size, count)
						     : store_records(code, is_func, p, rec_size, count);
		if (err)
			return err;
		p += (size_t)count * rec_size;
	}
	return 0;
bad:
	return ld_diag_set(diag, -EINVAL, "%s: section '.BTF.ext': malformed %s records",
			   obj->name, names[kind]);
}

int ld_btf_ext_collect(struct ld_object *obj, struct ld_diag *diag)
{
	int idx = objfmt_object__find_section(obj->model, ".BTF.ext");
	const struct objfmt_section *sec;
	struct raw_ext_header hdr;
	int err;

	if (idx < 0 || !obj->btf_raw)
		return 0;
	sec = objfmt_object__section(obj->model, (size_t)idx);
	if (!sec->data || sec->size < RAW_EXT_HEADER_V1)
		goto bad;
	memset(&hdr, 0, sizeof(hdr));
	memcpy(&hdr, sec->data, sec->size < sizeof(hdr) ? sec->size : sizeof(hdr));
	if (hdr.hdr_len < sizeof(hdr))
		hdr.core_relo_off = hdr.core_relo_len = 0; /* an older header: no CO-RE part */
	if (hdr.magic != 0xeb9f || hdr.hdr_len > sec->size || hdr.hdr_len < RAW_EXT_HEADER_V1 ||
	    (uint64_t)hdr.hdr_len + hdr.core_relo_off + hdr.core_relo_len > sec->size ||
	    (uint64_t)hdr.hdr_len + hdr.func_info_off + hdr.func_info_len > sec->size ||
	    (uint64_t)hdr.hdr_len + hdr.line_info_off + hdr.line_info_len > sec->size)
		goto bad;
	err = parse_info_block(obj, sec->data + hdr.hdr_len + hdr.func_info_off,
			       hdr.func_info_len, INFO_FUNC, diag);
	if (!err)
		err = parse_info_block(obj, sec->data + hdr.hdr_len + hdr.line_info_off,
				       hdr.line_info_len, INFO_LINE, diag);
	if (!err)
		err = parse_info_block(obj, sec->data + hdr.hdr_len + hdr.core_relo_off,
				       hdr.core_relo_len, INFO_CORE, diag);
	return err;
bad:
	return ld_diag_set(diag, -EINVAL, "%s: section '.BTF.ext': bad header", obj->name);
}

int ld_btf_load(struct ld_object *obj, struct ld_diag *diag)
{
	union bpf_attr attr;
	long fd;

	if (!obj->btf_raw)
		return 0;
	memset(&attr, 0, sizeof(attr));
	attr.btf = (uint64_t)(uintptr_t)obj->btf_raw;
	attr.btf_size = (uint32_t)obj->btf_raw_size;
	fd = obj->backend->bpf(BPF_BTF_LOAD, &attr, sizeof(attr));
	if (fd < 0)
		return ld_diag_set(diag, (int)fd, "%s: section '.BTF': BTF_LOAD failed: %s",
				   obj->name, strerror((int)-fd));
	obj->btf_fd = (int)fd;
	return 0;
}

const struct objfmt_btf_member *ld_btf_member(const struct objfmt_btf *btf, uint32_t id,
					      const char *name)
{
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, objfmt_btf__resolve(btf, id));

	if (!t || (t->kind != OBJFMT_BTF_STRUCT && t->kind != OBJFMT_BTF_UNION))
		return NULL;
	for (uint32_t i = 0; i < t->vlen; i++)
		if (t->members[i].name && strcmp(t->members[i].name, name) == 0)
			return &t->members[i];
	return NULL;
}

/* ---- the .ksyms DATASEC ------------------------------------------------------------ */

#define DUMMY_KSYM_NAME "dummy_ksym"

/* Types in the private copy. */
static uint32_t raw_type_count(struct ld_object *obj)
{
	uint32_t count = 0;

	while (raw_type(obj, count + 1))
		count++;
	return count;
}

/* The first 32-bit INT of the private copy (libbpf's find_int_btf_id), or 0. */
static uint32_t raw_int32(struct ld_object *obj, uint32_t count)
{
	for (uint32_t id = 1; id <= count; id++) {
		struct raw_btf_type *t = raw_type(obj, id);
		uint32_t encoding;
		memcpy(&encoding, t + 1, 4);
		if (RAW_KIND(t->info) == OBJFMT_BTF_INT && (encoding & 0xff) == 32)
			return id;
	}
	return 0;
}

/* Append VAR "dummy_ksym" (global, allocated, of type `int_id`) to the private copy;
 * its id is count + 1. Returns the name's string offset, or a negative errno. */
static int64_t append_dummy_var(struct ld_object *obj, uint32_t int_id)
{
	const struct raw_btf_header *old = (const struct raw_btf_header *)obj->btf_raw;
	const uint32_t var[4] = { old->str_len, (uint32_t)OBJFMT_BTF_VAR << 24, int_id,
				  OBJFMT_BTF_VAR_GLOBAL };
	size_t name_size = sizeof(DUMMY_KSYM_NAME);
	size_t size = old->hdr_len + old->type_len + sizeof(var) + old->str_len + name_size;
	uint8_t *raw = malloc(size), *p;
	struct raw_btf_header hdr = *old;

	if (!raw)
		return -ENOMEM;
	hdr.type_off = 0;
	hdr.type_len = old->type_len + (uint32_t)sizeof(var);
	hdr.str_off = hdr.type_len;
	hdr.str_len = old->str_len + (uint32_t)name_size;
	memcpy(raw, obj->btf_raw, old->hdr_len);
	memcpy(raw, &hdr, sizeof(hdr));
	p = raw + old->hdr_len;
	memcpy(p, obj->btf_raw + old->hdr_len + old->type_off, old->type_len);
	memcpy(p += old->type_len, var, sizeof(var));
	memcpy(p += sizeof(var), obj->btf_raw + old->hdr_len + old->str_off, old->str_len);
	memcpy(p + old->str_len, DUMMY_KSYM_NAME, name_size);
	free(obj->btf_raw);
	obj->btf_raw = raw;
	obj->btf_raw_size = size;
	return var[0];
}

/* One member of .ksyms: a FUNC points the slot at the dummy VAR, becomes global and
 * names its unnamed parameters; a VAR becomes an allocated int (libbpf's fixup in
 * bpf_object__collect_externs), so that the kernel's BTF checks accept the object. */
static void fix_ksym_member(struct ld_object *obj, struct raw_btf_var_secinfo *slot,
			    uint32_t dummy_id, uint32_t dummy_name, uint32_t int_id)
{
	struct raw_btf_type *t = raw_type(obj, slot->type);

	if (t && RAW_KIND(t->info) == OBJFMT_BTF_FUNC) {
		struct raw_btf_type *proto = raw_type(obj, t->size_or_type);
		uint32_t *params = proto ? (uint32_t *)(proto + 1) : NULL;
		for (uint32_t i = 0; params && i < RAW_VLEN(proto->info); i++)
			if (params[2 * i + 1] && !params[2 * i])
				params[2 * i] = dummy_name;
		t->info = (t->info & ~0xffffu) | OBJFMT_BTF_FUNC_GLOBAL;
		slot->type = dummy_id;
	} else if (t && RAW_KIND(t->info) == OBJFMT_BTF_VAR) {
		memcpy(t + 1, &(uint32_t){ OBJFMT_BTF_VAR_GLOBAL }, 4);
		t->size_or_type = int_id;
	}
}

int ld_btf_fix_ksyms(struct ld_object *obj, struct ld_diag *diag)
{
	const struct objfmt_btf *btf = objfmt_object__btf(obj->model);
	int section = btf && obj->btf_raw ? objfmt_btf__find(btf, OBJFMT_BTF_DATASEC, ".ksyms") : -1;
	const struct objfmt_btf_type *sec = section > 0 ? objfmt_btf__type(btf, (uint32_t)section)
						       : NULL;
	uint32_t count, int_id, dummy_id = 0;
	int64_t dummy_name = 0;
	bool has_func = false;

	if (!sec)
		return 0;
	for (uint32_t i = 0; i < sec->vlen; i++) {
		const struct objfmt_btf_type *t = objfmt_btf__type(btf, sec->members[i].type);
		has_func |= t && t->kind == OBJFMT_BTF_FUNC;
	}
	count = raw_type_count(obj);
	if (!(int_id = raw_int32(obj, count)) && sec->vlen)
		return ld_diag_set(diag, -EINVAL, "%s: section '.BTF': no 32-bit int for the "
				   ".ksyms variables", obj->name);
	if (has_func) {
		if ((dummy_name = append_dummy_var(obj, int_id)) < 0)
			return (int)dummy_name;
		dummy_id = count + 1;
	}
	struct raw_btf_type *raw_sec = raw_type(obj, (uint32_t)section);
	struct raw_btf_var_secinfo *slots = (struct raw_btf_var_secinfo *)(raw_sec + 1);
	for (uint32_t i = 0; i < RAW_VLEN(raw_sec->info); i++) {
		fix_ksym_member(obj, &slots[i], dummy_id, (uint32_t)dummy_name, int_id);
		slots[i].offset = i * 4;
		slots[i].size = 4;
	}
	raw_sec->size_or_type = RAW_VLEN(raw_sec->info) * 4;
	return 0;
}
