/* load_core.c - CO-RE: each .BTF.ext relocation names a local type and an access path
 * ("0:1:2"); the same path is looked up by name in the target BTF (the kernel's), and
 * the instruction's offset or immediate is rewritten with the target's value, as
 * libbpf's relo_core does. An unsatisfiable relocation poisons its instruction (a call
 * of helper 0xbad2310) so that the verifier complains only if it is reached.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ld_int.h"

#define CORE_ACCESS_MAX 64
#define CORE_POISON_HELPER 0xbad2310 /* libbpf's "bad relo" marker */
#define CORE_DEPTH_MAX 32            /* nesting bound: malformed BTF may be cyclic */

/* A resolved access path in one BTF. */
struct core_spec {
	const struct objfmt_btf *btf;
	uint32_t root_id;                 /* root type (modifiers skipped) */
	uint32_t access[CORE_ACCESS_MAX]; /* raw indices from the access string */
	size_t access_count;
	uint32_t final_id;                /* type of the field / the type / the enum */
	uint64_t bit_offset;              /* field: offset from the root */
	uint32_t bitfield_size;           /* field: bits when a bitfield, else 0 */
	int64_t enum_value;               /* enum: the enumerator's value */
	const char *enum_name;            /* enum: the enumerator's name */
};

static bool is_field_kind(uint32_t kind) { return kind <= OBJFMT_CORE_FIELD_RSHIFT_U64; }
static bool is_enum_kind(uint32_t kind)
{
	return kind == OBJFMT_CORE_ENUMVAL_EXISTS || kind == OBJFMT_CORE_ENUMVAL_VALUE;
}

static const struct objfmt_btf_type *resolved(const struct objfmt_btf *btf, uint32_t id,
					      uint32_t *out_id)
{
	uint32_t real = objfmt_btf__resolve(btf, id);
	if (out_id)
		*out_id = real;
	return objfmt_btf__type(btf, real);
}

static bool is_composite(const struct objfmt_btf_type *t)
{
	return t && (t->kind == OBJFMT_BTF_STRUCT || t->kind == OBJFMT_BTF_UNION);
}

/* Length of a name without its "___flavor" suffix. */
static size_t essential_length(const char *name)
{
	const char *flavor = strstr(name, "___");
	return flavor ? (size_t)(flavor - name) : strlen(name);
}

static int parse_access(const char *text, struct core_spec *spec)
{
	spec->access_count = 0;
	while (*text) {
		char *end;
		unsigned long value = strtoul(text, &end, 10);
		if (end == text || spec->access_count == CORE_ACCESS_MAX || value > UINT32_MAX)
			return -EINVAL;
		spec->access[spec->access_count++] = (uint32_t)value;
		text = *end == ':' ? end + 1 : end;
		if (*end && *end != ':')
			return -EINVAL;
	}
	return spec->access_count ? 0 : -EINVAL;
}

/* Member bit offset and bitfield size, whichever BTF encoding is used. */
static void member_bits(const struct objfmt_btf *btf, const struct objfmt_btf_type *owner,
			const struct objfmt_btf_member *m, uint64_t *offset, uint32_t *bits)
{
	const struct objfmt_btf_type *mt = resolved(btf, m->type, NULL);

	*offset = m->bit_offset;
	*bits = m->bitfield;
	if (!owner->kind_flag && mt && mt->kind == OBJFMT_BTF_INT &&
	    (mt->int_offset || mt->int_bits != mt->size * 8)) {
		*offset += mt->int_offset;
		*bits = mt->int_bits;
	}
}

/* Walk the local access path: indices into arrays and members. */
static int local_field_spec(struct core_spec *spec)
{
	uint32_t id = spec->root_id;
	int64_t size = objfmt_btf__size(spec->btf, id);

	if (size < 0)
		return -EINVAL;
	spec->bit_offset = (uint64_t)spec->access[0] * (uint64_t)size * 8;
	spec->bitfield_size = 0;
	for (size_t i = 1; i < spec->access_count; i++) {
		const struct objfmt_btf_type *t = resolved(spec->btf, id, &id);
		uint32_t index = spec->access[i];
		if (is_composite(t) && index < t->vlen) {
			uint64_t offset;
			member_bits(spec->btf, t, &t->members[index], &offset, &spec->bitfield_size);
			spec->bit_offset += offset;
			id = t->members[index].type;
		} else if (t && t->kind == OBJFMT_BTF_ARRAY) {
			int64_t elem = objfmt_btf__size(spec->btf, t->array_elem);
			if (elem < 0)
				return -EINVAL;
			spec->bit_offset += (uint64_t)index * (uint64_t)elem * 8;
			spec->bitfield_size = 0;
			id = t->array_elem;
		} else
			return -EINVAL;
	}
	spec->final_id = id;
	return 0;
}

/* Find member `name` in composite `id`, descending into anonymous members. */
static bool find_member(const struct objfmt_btf *btf, uint32_t id, const char *name,
			uint64_t *offset, uint32_t *bits, uint32_t *type, int depth)
{
	const struct objfmt_btf_type *t = resolved(btf, id, NULL);

	for (uint32_t i = 0; depth < CORE_DEPTH_MAX && is_composite(t) && i < t->vlen; i++) {
		const struct objfmt_btf_member *m = &t->members[i];
		uint64_t here;
		member_bits(btf, t, m, &here, bits);
		if (m->name && m->name[0] && strcmp(m->name, name) == 0) {
			*offset += here;
			*type = m->type;
			return true;
		}
		if ((!m->name || !m->name[0]) && is_composite(resolved(btf, m->type, NULL))) {
			uint64_t inner = *offset + here;
			if (find_member(btf, m->type, name, &inner, bits, type, depth + 1)) {
				*offset = inner;
				return true;
			}
		}
	}
	return false;
}

/* Shallow compatibility of a field's local and target types, as libbpf checks it. */
static bool fields_compatible(const struct objfmt_btf *local, uint32_t local_id,
			      const struct objfmt_btf *target, uint32_t target_id, int depth)
{
	const struct objfmt_btf_type *l = resolved(local, local_id, NULL);
	const struct objfmt_btf_type *t = resolved(target, target_id, NULL);

	if (depth > CORE_DEPTH_MAX)
		return false;
	if (!l || !t)
		return !l && !t;
	if (is_composite(l) && is_composite(t))
		return true;
	if ((l->kind == OBJFMT_BTF_ENUM || l->kind == OBJFMT_BTF_ENUM64 || l->kind == OBJFMT_BTF_INT) &&
	    (t->kind == OBJFMT_BTF_ENUM || t->kind == OBJFMT_BTF_ENUM64 || t->kind == OBJFMT_BTF_INT))
		return l->kind == t->kind || l->kind != OBJFMT_BTF_INT || t->kind != OBJFMT_BTF_INT;
	if (l->kind != t->kind)
		return false;
	if (l->kind == OBJFMT_BTF_ARRAY)
		return fields_compatible(local, l->array_elem, target, t->array_elem, depth + 1);
	return true; /* pointers, floats */
}

/* Follow the local path in the target by member names and array indices. */
static bool match_field(const struct core_spec *local, struct core_spec *target)
{
	uint32_t local_id = local->root_id, id = target->root_id;
	int64_t size = objfmt_btf__size(target->btf, id);

	if (size < 0)
		return false;
	target->bit_offset = (uint64_t)local->access[0] * (uint64_t)size * 8;
	target->bitfield_size = 0;
	for (size_t i = 1; i < local->access_count; i++) {
		const struct objfmt_btf_type *lt = resolved(local->btf, local_id, &local_id);
		const struct objfmt_btf_type *tt = resolved(target->btf, id, &id);
		uint32_t index = local->access[i];
		if (is_composite(lt) && index < lt->vlen) {
			const char *name = lt->members[index].name;
			uint64_t offset = 0;
			if (!is_composite(tt) || !name || !name[0] ||
			    !find_member(target->btf, id, name, &offset, &target->bitfield_size, &id, 0))
				return false;
			target->bit_offset += offset;
			local_id = lt->members[index].type;
		} else if (lt && lt->kind == OBJFMT_BTF_ARRAY && tt && tt->kind == OBJFMT_BTF_ARRAY) {
			int64_t elem = objfmt_btf__size(target->btf, tt->array_elem);
			if (elem < 0 || (tt->array_nelems && index >= tt->array_nelems))
				return false;
			target->bit_offset += (uint64_t)index * (uint64_t)elem * 8;
			target->bitfield_size = 0;
			local_id = lt->array_elem;
			id = tt->array_elem;
		} else
			return false;
		if (!fields_compatible(local->btf, local_id, target->btf, id, 0))
			return false;
	}
	target->final_id = id;
	return true;
}

static bool match_enum(const struct core_spec *local, struct core_spec *target)
{
	const struct objfmt_btf_type *t = resolved(target->btf, target->root_id, NULL);

	size_t len = essential_length(local->enum_name);

	for (uint32_t i = 0; t && i < t->vlen; i++)
		if (essential_length(t->members[i].name) == len &&
		    strncmp(t->members[i].name, local->enum_name, len) == 0) {
			target->enum_value = t->members[i].value;
			target->enum_name = t->members[i].name;
			target->final_id = target->root_id;
			return true;
		}
	return false;
}

/* The value a relocation kind asks for, from a resolved spec; -EINVAL if it has none. */
static int field_value(const struct core_spec *spec, uint32_t kind, uint64_t *value,
		       uint32_t *load_size)
{
	const struct objfmt_btf_type *t = resolved(spec->btf, spec->final_id, NULL);
	int64_t type_size = objfmt_btf__size(spec->btf, spec->final_id);
	uint32_t bits = spec->bitfield_size;
	uint64_t byte_size = type_size > 0 ? (uint64_t)type_size : 0, byte_offset;

	if (bits) { /* the smallest aligned load that covers the bitfield */
		byte_offset = spec->bit_offset / 8 / byte_size * byte_size;
		while (spec->bit_offset + bits - byte_offset * 8 > byte_size * 8) {
			if (byte_size >= 8)
				return -EINVAL;
			byte_size *= 2;
			byte_offset = spec->bit_offset / 8 / byte_size * byte_size;
		}
	} else {
		if (spec->bit_offset % 8)
			return -EINVAL;
		byte_offset = spec->bit_offset / 8;
		bits = (uint32_t)byte_size * 8;
	}
	*load_size = (uint32_t)byte_size;
	switch (kind) {
	case OBJFMT_CORE_FIELD_BYTE_OFFSET: *value = byte_offset; return 0;
	case OBJFMT_CORE_FIELD_BYTE_SIZE: *value = byte_size; return 0;
	case OBJFMT_CORE_FIELD_EXISTS: *value = 1; return 0;
	case OBJFMT_CORE_FIELD_SIGNED:
		*value = t && ((t->kind == OBJFMT_BTF_INT && (t->int_encoding & OBJFMT_BTF_INT_SIGNED)) ||
			       ((t->kind == OBJFMT_BTF_ENUM || t->kind == OBJFMT_BTF_ENUM64) && t->kind_flag));
		return 0;
	case OBJFMT_CORE_FIELD_LSHIFT_U64:
		*value = 64 - (spec->bit_offset + bits - byte_offset * 8);
		return 0;
	case OBJFMT_CORE_FIELD_RSHIFT_U64: *value = 64 - bits; return 0;
	default: return -EINVAL;
	}
}

static int spec_value(const struct core_spec *spec, uint32_t kind, bool found, uint64_t *value,
		      uint32_t *load_size)
{
	*load_size = 0;
	if (kind == OBJFMT_CORE_FIELD_EXISTS || kind == OBJFMT_CORE_TYPE_EXISTS ||
	    kind == OBJFMT_CORE_TYPE_MATCHES || kind == OBJFMT_CORE_ENUMVAL_EXISTS) {
		*value = found;
		return 0;
	}
	if (!found)
		return -ENOENT;
	if (is_field_kind(kind))
		return field_value(spec, kind, value, load_size);
	switch (kind) {
	case OBJFMT_CORE_TYPE_ID_LOCAL:
	case OBJFMT_CORE_TYPE_ID_TARGET: *value = spec->root_id; return 0;
	case OBJFMT_CORE_TYPE_SIZE: {
		int64_t size = objfmt_btf__size(spec->btf, spec->root_id);
		*value = size < 0 ? 0 : (uint64_t)size;
		return size < 0 ? -EINVAL : 0;
	}
	case OBJFMT_CORE_ENUMVAL_VALUE: *value = (uint64_t)spec->enum_value; return 0;
	default: return -EINVAL;
	}
}

/* Local spec from the relocation record. */
static int local_spec(const struct objfmt_btf *btf, const struct ld_core_reloc *rel,
		      struct core_spec *spec)
{
	const struct objfmt_btf_type *t;

	memset(spec, 0, sizeof(*spec));
	spec->btf = btf;
	t = resolved(btf, rel->type_id, &spec->root_id);
	if (!t || parse_access(rel->access, spec))
		return -EINVAL;
	if (is_field_kind(rel->kind))
		return local_field_spec(spec);
	if (is_enum_kind(rel->kind)) {
		if ((t->kind != OBJFMT_BTF_ENUM && t->kind != OBJFMT_BTF_ENUM64) ||
		    spec->access[0] >= t->vlen)
			return -EINVAL;
		spec->enum_name = t->members[spec->access[0]].name;
		spec->enum_value = t->members[spec->access[0]].value;
	}
	spec->final_id = spec->root_id;
	return 0;
}

/* First target type of the same kind and essential name that matches the spec. */
static bool find_target(const struct core_spec *local, uint32_t kind,
			const struct objfmt_btf *target, struct core_spec *out)
{
	const struct objfmt_btf_type *lt = objfmt_btf__type(local->btf, local->root_id);
	size_t name_len = essential_length(lt->name);
	uint32_t count = objfmt_btf__type_count(target);

	if (!name_len)
		return false; /* anonymous root types cannot be matched by name */
	for (uint32_t id = 1; id <= count; id++) {
		const struct objfmt_btf_type *t = objfmt_btf__type(target, id);
		if (t->kind != lt->kind || essential_length(t->name) != name_len ||
		    strncmp(t->name, lt->name, name_len) != 0)
			continue;
		*out = *local;
		out->btf = target;
		out->root_id = id;
		out->final_id = id;
		if (is_field_kind(kind) ? match_field(local, out)
		    : is_enum_kind(kind) ? match_enum(local, out) : true)
			return true;
	}
	return false;
}

static void poison(struct objfmt_insn *insn)
{
	memset(insn, 0, sizeof(*insn));
	insn->code = 0x85; /* BPF_JMP | BPF_CALL: "invalid func unknown#195896080" if reached */
	insn->imm = CORE_POISON_HELPER;
}

static int load_size_code(uint32_t bytes)
{
	switch (bytes) {
	case 1: return OBJFMT_SIZE_B;
	case 2: return OBJFMT_SIZE_H;
	case 4: return OBJFMT_SIZE_W;
	case 8: return OBJFMT_SIZE_DW;
	default: return -1;
	}
}

/* Rewrite one instruction with the target value (libbpf's bpf_core_patch_insn). */
static int patch(struct objfmt_insn *insn, size_t remaining, uint32_t kind, uint64_t value,
		 uint32_t load_size)
{
	uint8_t class = OBJFMT_CLASS(insn->code);

	if ((class == OBJFMT_CLASS_ALU || class == OBJFMT_CLASS_ALU64) &&
	    !(insn->code & OBJFMT_SRC_X)) {
		insn->imm = (int32_t)value;
		return 0;
	}
	if (class == OBJFMT_CLASS_LDX || class == OBJFMT_CLASS_ST || class == OBJFMT_CLASS_STX) {
		if (kind != OBJFMT_CORE_FIELD_BYTE_OFFSET || value > INT16_MAX)
			return -EINVAL;
		insn->off = (int16_t)value;
		int size = load_size ? load_size_code(load_size) : -1;
		if (class == OBJFMT_CLASS_LDX && size >= 0)
			insn->code = (uint8_t)((insn->code & ~0x18) | size);
		return 0;
	}
	if (insn->code == 0x18 && remaining >= 2) {
		insn[0].imm = (int32_t)(uint32_t)value;
		insn[1].imm = (int32_t)(uint32_t)(value >> 32);
		return 0;
	}
	return -EINVAL;
}

static int apply_one(struct ld_object *obj, struct ld_code *code, const struct ld_core_reloc *rel,
		     const struct objfmt_btf *target, struct ld_diag *diag)
{
	const struct objfmt_btf *local_btf = objfmt_object__btf(obj->model);
	struct core_spec local, found;
	uint64_t value;
	uint32_t load_size;
	bool matched;

	if (rel->insn >= code->insn_count || local_spec(local_btf, rel, &local))
		return ld_diag_set(diag, -EINVAL, "%s: section '%s': insn %zu: bad CO-RE relocation "
				   "(type [%u], access '%s', kind %u)", obj->name, code->name,
				   rel->insn, rel->type_id, rel->access, rel->kind);
	if (rel->kind == OBJFMT_CORE_TYPE_ID_LOCAL) {
		matched = true;
		found = local;
	} else
		matched = find_target(&local, rel->kind, target, &found);
	if (spec_value(&found, rel->kind, matched, &value, &load_size)) {
		poison(&code->patched[rel->insn]);
		return 0;
	}
	if (patch(&code->patched[rel->insn], code->insn_count - rel->insn, rel->kind, value,
		  load_size))
		return ld_diag_set(diag, -EINVAL, "%s: section '%s': insn %zu: CO-RE relocation of "
				   "kind %u cannot patch opcode 0x%02x", obj->name, code->name,
				   rel->insn, rel->kind, code->patched[rel->insn].code);
	return 0;
}

int ld_core_apply(struct ld_object *obj, const struct objfmt_btf *target, struct ld_diag *diag)
{
	for (size_t c = 0; c < obj->code_count; c++) {
		struct ld_code *code = &obj->codes[c];
		if (!code->core_count)
			continue;
		if (!objfmt_object__btf(obj->model))
			return ld_diag_set(diag, -EINVAL, "%s: section '%s': CO-RE relocations "
					   "without BTF", obj->name, code->name);
		code->patched = malloc(code->insn_count * sizeof(*code->patched));
		if (!code->patched)
			return -ENOMEM;
		memcpy(code->patched, code->insns, code->insn_count * sizeof(*code->patched));
		for (size_t i = 0; i < code->core_count; i++) {
			int err = apply_one(obj, code, &code->cores[i], target, diag);
			if (err)
				return err;
		}
		code->insns = code->patched;
	}
	return 0;
}
