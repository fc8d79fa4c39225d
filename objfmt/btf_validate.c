/* btf_validate.c - the kernel's structural rules for BTF (kernel/bpf/btf.c): whole-BTF
 * limits, the per-type check_meta rules, then the resolve pass (btf_resolve.c), then
 * the type-tag order. The first fault is reported.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <stdarg.h>

#include "btf_int.h"

#define NAME_MAX_LEN 512 /* KSYM_NAME_LEN of current kernels */

#define fault btf_validate_fault

/* Report a fault of type `id`, prefixing its kind and name. */
int btf_validate_fault(const struct objfmt_btf *btf, uint32_t id, struct objfmt_diag *diag,
		       const char *fmt, ...)
{
	const struct objfmt_btf_type *t = &btf->types[id];
	char where[128], message[256];
	va_list ap;

	snprintf(where, sizeof(where), "BTF type [%u] %s '%.60s'", id, btf_kind_name(t->kind),
		 t->name && *t->name ? t->name : "(anon)");
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	return objfmt_diag_set(diag, -EINVAL, where, "%s", message);
}

/* The kernel's ctype (lib/ctype.c) is Latin-1: 0xc0-0xff are letters except 0xd7
 * and 0xf7, and 0xa0-0xbf are printable. Names are checked with it. */
static int kernel_isalpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= 0xc0 && c != 0xd7 && c != 0xf7);
}

static int kernel_isprint(unsigned char c)
{
	return (c >= 0x20 && c <= 0x7e) || c >= 0xa0;
}

static int name_char_ok(char c, int first)
{
	unsigned char u = (unsigned char)c;
	return kernel_isalpha(u) || (!first && u >= '0' && u <= '9') || u == '_' || u == '.';
}

static int identifier_ok(const char *name)
{
	if (!name || !name_char_ok(name[0], 1))
		return 0;
	size_t len = 1;
	for (; name[len] && len < NAME_MAX_LEN; len++)
		if (!name_char_ok(name[len], 0))
			return 0;
	return name[len] == 0;
}

/* The kernel asks "is name_off 0", not "is the name empty": an offset pointing at a
 * NUL elsewhere in the table is a name, and an empty one. */
#define has_name btf_validate_has_name

int btf_validate_has_name(const struct objfmt_btf *btf, const char *name)
{
	return btf_strtab_find(&btf->strings, name ? name : "") != 0;
}

/* No name, or an identifier: where the kernel allows anonymous types/members. */
static int optional_identifier_ok(const struct objfmt_btf *btf, const char *name)
{
	return !has_name(btf, name) || identifier_ok(name);
}

static int section_name_ok(const char *name)
{
	if (!name || !*name)
		return 0;
	size_t len = 0;
	for (; name[len] && len < NAME_MAX_LEN; len++)
		if (!kernel_isprint((unsigned char)name[len]))
			return 0;
	return name[len] == 0;
}

static int id_ok(const struct objfmt_btf *btf, uint32_t id)
{
	return id <= btf->count;
}

static int check_int(const struct objfmt_btf *btf, uint32_t id, struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];
	uint32_t bits = t->int_bits + t->int_offset;

	if (t->int_bits > 255 || t->int_offset > 255 || t->int_encoding > 15)
		return fault(btf, id, diag, "invalid int data (bits %u, offset %u, encoding %u)",
			     t->int_bits, t->int_offset, t->int_encoding);
	if (bits > 128)
		return fault(btf, id, diag, "nr_bits exceeds 128 (bits %u + offset %u)",
			     t->int_bits, t->int_offset);
	if ((bits + 7) / 8 > t->size)
		return fault(btf, id, diag, "nr_bits exceeds type_size (%u bits, size %u)",
			     bits, t->size);
	if (t->int_encoding != 0 && t->int_encoding != OBJFMT_BTF_INT_SIGNED &&
	    t->int_encoding != OBJFMT_BTF_INT_CHAR && t->int_encoding != OBJFMT_BTF_INT_BOOL)
		return fault(btf, id, diag, "unsupported encoding 0x%x", t->int_encoding);
	return 0; /* like the kernel, no rule on INT names ("unsigned int") */
}

/* PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG. */
static int check_reference(const struct objfmt_btf *btf, uint32_t id,
			   struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];

	if (!id_ok(btf, t->type))
		return fault(btf, id, diag, "type id %u out of range (max %u)", t->type,
			     btf->count);
	if (t->kind == OBJFMT_BTF_TYPEDEF && !identifier_ok(t->name))
		return fault(btf, id, diag, "invalid name: a typedef needs an identifier");
	if (t->kind == OBJFMT_BTF_TYPE_TAG && (!t->name || !*t->name))
		return fault(btf, id, diag, "invalid name: a type tag needs a value");
	if (t->kind != OBJFMT_BTF_TYPEDEF && t->kind != OBJFMT_BTF_TYPE_TAG &&
	    has_name(btf, t->name))
		return fault(btf, id, diag, "invalid name: %s must be anonymous",
			     btf_kind_name(t->kind));
	return 0;
}

static int check_array(const struct objfmt_btf *btf, uint32_t id, struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];

	if (has_name(btf, t->name))
		return fault(btf, id, diag, "invalid name: ARRAY must be anonymous");
	if (t->type || t->size)
		return fault(btf, id, diag, "size != 0");
	if (t->array_elem == 0 || !id_ok(btf, t->array_elem))
		return fault(btf, id, diag, "invalid elem type id %u (max %u)", t->array_elem,
			     btf->count);
	if (t->array_index == 0 || !id_ok(btf, t->array_index))
		return fault(btf, id, diag, "invalid index type id %u (max %u)", t->array_index,
			     btf->count);
	return 0;
}

static int check_composite(const struct objfmt_btf *btf, uint32_t id,
			   struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];
	uint32_t last_offset = 0;

	if (!optional_identifier_ok(btf, t->name))
		return fault(btf, id, diag, "invalid name");
	for (uint32_t i = 0; i < t->vlen; i++) {
		const struct objfmt_btf_member *m = &t->members[i];
		const char *name = m->name && *m->name ? m->name : "(anon)";
		if (!optional_identifier_ok(btf, m->name))
			return fault(btf, id, diag, "member #%u: invalid name", i);
		if (m->type == 0 || !id_ok(btf, m->type))
			return fault(btf, id, diag, "member '%s': invalid type id %u (max %u)",
				     name, m->type, btf->count);
		if (m->bitfield && !t->kind_flag)
			return fault(btf, id, diag,
				     "member '%s': bitfield without kind_flag", name);
		if (t->kind_flag && (m->bitfield > 255 || m->bit_offset > 0xffffff))
			return fault(btf, id, diag, "member '%s': invalid bitfield encoding",
				     name);
		if (t->kind == OBJFMT_BTF_UNION && m->bit_offset)
			return fault(btf, id, diag, "member '%s': invalid member bits_offset %u "
				     "(union members start at 0)", name, m->bit_offset);
		if (last_offset > m->bit_offset)
			return fault(btf, id, diag, "member '%s': invalid member bits_offset %u "
				     "(before the previous member's %u)", name, m->bit_offset,
				     last_offset);
		if ((m->bit_offset + 7ull) / 8 > t->size)
			return fault(btf, id, diag, "member '%s': bits_offset %u exceeds the "
				     "struct size %u", name, m->bit_offset, t->size);
		last_offset = m->bit_offset;
	}
	return 0;
}

static int check_enum(const struct objfmt_btf *btf, uint32_t id, struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];

	if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8)
		return fault(btf, id, diag, "unexpected size %u (expected 1, 2, 4 or 8)",
			     t->size);
	if (!optional_identifier_ok(btf, t->name))
		return fault(btf, id, diag, "invalid name");
	for (uint32_t i = 0; i < t->vlen; i++)
		if (!identifier_ok(t->members[i].name))
			return fault(btf, id, diag, "value #%u: invalid name", i);
	return 0;
}

static int check_func_proto(const struct objfmt_btf *btf, uint32_t id,
			    struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];

	if (has_name(btf, t->name))
		return fault(btf, id, diag, "invalid name: FUNC_PROTO must be anonymous");
	if (!id_ok(btf, t->type))
		return fault(btf, id, diag, "invalid return type id %u (max %u)", t->type,
			     btf->count);
	for (uint32_t i = 0; i < t->vlen; i++) {
		const struct objfmt_btf_member *m = &t->members[i];
		int vararg = i + 1 == t->vlen && m->type == 0;
		if (vararg && has_name(btf, m->name))
			return fault(btf, id, diag, "invalid arg#%u: variadic marker has a name",
				     i + 1);
		if (!vararg && (m->type == 0 || !id_ok(btf, m->type)))
			return fault(btf, id, diag, "invalid arg#%u: type id %u (max %u)", i + 1,
				     m->type, btf->count);
		if (!optional_identifier_ok(btf, m->name))
			return fault(btf, id, diag, "invalid arg#%u: invalid name", i + 1);
	}
	return 0;
}

static int check_named_leaf(const struct objfmt_btf *btf, uint32_t id,
			    struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];

	if (t->kind != OBJFMT_BTF_FLOAT && !identifier_ok(t->name))
		return fault(btf, id, diag, "invalid name: %s needs an identifier",
			     btf_kind_name(t->kind));
	switch (t->kind) {
	case OBJFMT_BTF_FWD:
		return t->type ? fault(btf, id, diag, "type != 0") : 0;
	case OBJFMT_BTF_FLOAT:
		if (t->size != 2 && t->size != 4 && t->size != 8 && t->size != 12 &&
		    t->size != 16)
			return fault(btf, id, diag, "invalid type_size %u", t->size);
		return 0;
	case OBJFMT_BTF_FUNC:
		if (t->linkage > OBJFMT_BTF_FUNC_GLOBAL) /* extern: loaders resolve those first */
			return fault(btf, id, diag, "invalid func linkage %u", t->linkage);
		if (!id_ok(btf, t->type))
			return fault(btf, id, diag, "type id %u out of range (max %u)", t->type,
				     btf->count);
		return 0;
	default: /* VAR */
		if (t->linkage != OBJFMT_BTF_VAR_STATIC && t->linkage != OBJFMT_BTF_VAR_GLOBAL)
			return fault(btf, id, diag, "linkage %u not supported", t->linkage);
		if (t->type == 0 || !id_ok(btf, t->type))
			return fault(btf, id, diag, "invalid type id %u (max %u)", t->type,
				     btf->count);
		return 0;
	}
}

static int check_datasec(const struct objfmt_btf *btf, uint32_t id,
			 struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];
	uint64_t last_end = 0;

	if (!section_name_ok(t->name))
		return fault(btf, id, diag, "invalid name");
	if (t->size == 0)
		return fault(btf, id, diag, "size == 0");
	for (uint32_t i = 0; i < t->vlen; i++) {
		const struct objfmt_btf_member *m = &t->members[i];
		if (m->type == 0 || !id_ok(btf, m->type))
			return fault(btf, id, diag, "entry #%u: invalid type id %u (max %u)", i,
				     m->type, btf->count);
		if (m->offset < last_end)
			return fault(btf, id, diag, "entry #%u: invalid offset %u (overlaps or "
				     "out of order; previous entry ends at %llu)", i, m->offset,
				     (unsigned long long)last_end);
		if (m->size == 0)
			return fault(btf, id, diag, "entry #%u: invalid size 0", i);
		if ((uint64_t)m->offset + m->size > t->size)
			return fault(btf, id, diag, "entry #%u: invalid offset+size %u+%u "
				     "(section size %u)", i, m->offset, m->size, t->size);
		last_end = (uint64_t)m->offset + m->size;
	}
	return 0;
}

static int check_decl_tag(const struct objfmt_btf *btf, uint32_t id,
			  struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];

	if (!t->name || !*t->name)
		return fault(btf, id, diag, "invalid name: a decl tag needs a value");
	if (t->component_idx < -1)
		return fault(btf, id, diag, "invalid component_idx %d", t->component_idx);
	if (t->type == 0 || !id_ok(btf, t->type))
		return fault(btf, id, diag, "invalid type id %u (max %u)", t->type, btf->count);
	return 0;
}

/* Kind flag and member count rules shared by every kind. */
static int check_flags(const struct objfmt_btf *btf, uint32_t id, struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];
	int flag_ok = t->kind == OBJFMT_BTF_STRUCT || t->kind == OBJFMT_BTF_UNION ||
		      t->kind == OBJFMT_BTF_ENUM || t->kind == OBJFMT_BTF_ENUM64 ||
		      t->kind == OBJFMT_BTF_FWD || t->kind == OBJFMT_BTF_DECL_TAG ||
		      t->kind == OBJFMT_BTF_TYPE_TAG;
	int has_members = btf_kind_is_composite(t->kind) || t->kind == OBJFMT_BTF_ENUM ||
			  t->kind == OBJFMT_BTF_ENUM64 || t->kind == OBJFMT_BTF_FUNC_PROTO ||
			  t->kind == OBJFMT_BTF_DATASEC;

	if ((unsigned)t->kind > BTF_MAX_KIND || t->kind == OBJFMT_BTF_UNKN)
		return fault(btf, id, diag, "unknown kind %u", t->kind);
	if (t->kind_flag && !flag_ok)
		return fault(btf, id, diag, "invalid btf_info kind_flag");
	if (t->vlen && !has_members)
		return fault(btf, id, diag, "vlen != 0");
	if (t->vlen > BTF_MAX_VLEN || (t->vlen && !t->members))
		return fault(btf, id, diag, "invalid vlen %u", t->vlen);
	return 0;
}

static int check_meta(const struct objfmt_btf *btf, uint32_t id, struct objfmt_diag *diag)
{
	int err = check_flags(btf, id, diag);

	if (err)
		return err;
	switch (btf->types[id].kind) {
	case OBJFMT_BTF_INT:
		return check_int(btf, id, diag);
	case OBJFMT_BTF_ARRAY:
		return check_array(btf, id, diag);
	case OBJFMT_BTF_STRUCT: case OBJFMT_BTF_UNION:
		return check_composite(btf, id, diag);
	case OBJFMT_BTF_ENUM: case OBJFMT_BTF_ENUM64:
		return check_enum(btf, id, diag);
	case OBJFMT_BTF_FUNC_PROTO:
		return check_func_proto(btf, id, diag);
	case OBJFMT_BTF_FWD: case OBJFMT_BTF_FLOAT: case OBJFMT_BTF_FUNC: case OBJFMT_BTF_VAR:
		return check_named_leaf(btf, id, diag);
	case OBJFMT_BTF_DATASEC:
		return check_datasec(btf, id, diag);
	case OBJFMT_BTF_DECL_TAG:
		return check_decl_tag(btf, id, diag);
	default:
		return check_reference(btf, id, diag);
	}
}

static int is_modifier_kind(enum objfmt_btf_kind kind)
{
	return kind == OBJFMT_BTF_TYPEDEF || kind == OBJFMT_BTF_VOLATILE ||
	       kind == OBJFMT_BTF_CONST || kind == OBJFMT_BTF_RESTRICT ||
	       kind == OBJFMT_BTF_TYPE_TAG;
}

/* Type tags must come first in a chain of modifiers (PTR -> TYPE_TAG -> CONST -> INT,
 * never CONST -> TYPE_TAG), checked as the kernel's btf_check_type_tags does: chains
 * of at most 32, stopping at types whose own chain was checked before. */
static int check_type_tags(const struct objfmt_btf *btf, struct objfmt_diag *diag)
{
	uint32_t good_id = 0;

	for (uint32_t id = 1; id <= btf->count; id++) {
		const struct objfmt_btf_type *t = &btf->types[id];
		if (!is_modifier_kind(t->kind))
			continue;
		int in_tags = t->kind == OBJFMT_BTF_TYPE_TAG, chain_limit = 32;
		uint32_t current = id;
		while (t && is_modifier_kind(t->kind)) {
			if (!chain_limit--)
				return fault(btf, id, diag, "max chain length or cycle detected");
			if (t->kind == OBJFMT_BTF_TYPE_TAG && !in_tags)
				return fault(btf, id, diag, "type tags don't precede modifiers "
					     "([%u] TYPE_TAG follows a modifier)", current);
			if (t->kind != OBJFMT_BTF_TYPE_TAG)
				in_tags = 0;
			if (current <= good_id)
				break;
			current = t->type;
			t = objfmt_btf__type(btf, current);
		}
		good_id = id;
	}
	return 0;
}

#define BTF_MAX_TYPES 0x000fffff       /* BTF_MAX_TYPE of the UAPI header */
#define BTF_MAX_STRINGS_SIZE 0x00ffffff /* BTF_MAX_NAME_OFFSET */

/* Whole-BTF limits the kernel applies before looking at types. */
static int check_totals(const struct objfmt_btf *btf, struct objfmt_diag *diag)
{
	if (btf->count == 0)
		return objfmt_diag_set(diag, -EINVAL, "BTF", "no type found");
	if (btf->count > BTF_MAX_TYPES)
		return objfmt_diag_set(diag, -EINVAL, "BTF", "%u types, more than the %u allowed",
				       btf->count, BTF_MAX_TYPES);
	if (btf_strtab_size(&btf->strings) > BTF_MAX_STRINGS_SIZE)
		return objfmt_diag_set(diag, -EINVAL, "BTF", "string section of %u bytes, more "
				       "than the %u allowed", btf_strtab_size(&btf->strings),
				       BTF_MAX_STRINGS_SIZE);
	return 0;
}

int objfmt_btf__validate(const struct objfmt_btf *btf, struct objfmt_diag *diag)
{
	if (!btf)
		return -EINVAL;
	int total_err = check_totals(btf, diag);
	if (total_err)
		return total_err;
	for (uint32_t id = 1; id <= btf->count; id++) {
		int err = check_meta(btf, id, diag);
		if (err)
			return err;
	}
	int err = btf_resolve_all(btf, diag);
	return err ? err : check_type_tags(btf, diag);
}
