/* core_calc.c - the value a CO-RE relocation gives an instruction, for the local and
 * the target spec (libbpf's bpf_core_calc_relo), and the rewrite of the instruction
 * itself (bpf_core_patch_insn), poisoning included.
 */
#include <errno.h>
#include <string.h>

#include "core_int.h"

/* Field values of a member or array element spec; -EUCLEAN asks for poisoning. */
struct field_out {
	uint64_t value;
	uint32_t size;    /* LDX/ST/STX size of the field, 0 for bitfields */
	uint32_t type;    /* field type, modifiers skipped */
	bool validate;    /* the compiler's value is unambiguous */
};

static bool is_any_enum(const struct objfmt_btf_type *t)
{
	return t->kind == OBJFMT_BTF_ENUM || t->kind == OBJFMT_BTF_ENUM64;
}

static int array_field(const struct core_spec *spec, const struct core_accessor *acc,
		       uint32_t kind, struct field_out *out)
{
	int64_t size = objfmt_btf__size(spec->btf, acc->type_id);

	if (size < 0)
		return -EINVAL;
	if (kind == OBJFMT_CORE_FIELD_BYTE_OFFSET) {
		out->value = spec->bit_offset / 8;
		out->size = (uint32_t)size;
		out->type = acc->type_id;
	} else if (kind == OBJFMT_CORE_FIELD_BYTE_SIZE)
		out->value = (uint64_t)size;
	else
		return -EINVAL; /* no bit or sign information for array elements */
	out->validate = true;
	return 0;
}

/* The smallest aligned load of at most 8 bytes that covers the bitfield. */
static int bitfield_window(uint64_t bit_offset, uint32_t bits, uint32_t *byte_size,
			   uint64_t *byte_offset)
{
	*byte_offset = bit_offset / 8 / *byte_size * *byte_size;
	while (bit_offset + bits - *byte_offset * 8 > *byte_size * 8) {
		if (*byte_size >= 8)
			return -E2BIG;
		*byte_size *= 2;
		*byte_offset = bit_offset / 8 / *byte_size * *byte_size;
	}
	return 0;
}

static int member_field(const struct core_spec *spec, const struct core_accessor *acc,
			uint32_t kind, struct field_out *out)
{
	const struct objfmt_btf_type *owner = objfmt_btf__type(spec->btf, acc->type_id);
	const struct objfmt_btf_member *m = &owner->members[acc->index];
	uint32_t type = objfmt_btf__resolve(spec->btf, m->type), bits = m->bitfield, byte_size;
	const struct objfmt_btf_type *mt = objfmt_btf__type(spec->btf, type);
	uint64_t byte_offset;

	if (bits) {
		byte_size = mt ? mt->size : 0;
		if (!byte_size || bitfield_window(spec->bit_offset, bits, &byte_size, &byte_offset))
			return -E2BIG;
	} else {
		int64_t size = objfmt_btf__size(spec->btf, type);
		if (size < 0)
			return -EINVAL;
		byte_size = (uint32_t)size;
		byte_offset = spec->bit_offset / 8;
		bits = byte_size * 8;
	}
	out->validate = !m->bitfield; /* the compiler may pick another bitfield load */
	switch (kind) {
	case OBJFMT_CORE_FIELD_BYTE_OFFSET:
		out->value = byte_offset;
		if (!m->bitfield) {
			out->size = byte_size;
			out->type = type;
		}
		return 0;
	case OBJFMT_CORE_FIELD_BYTE_SIZE: out->value = byte_size; return 0;
	case OBJFMT_CORE_FIELD_SIGNED:
		out->value = mt && ((is_any_enum(mt) && mt->kind_flag) ||
				    (mt->kind == OBJFMT_BTF_INT &&
				     (mt->int_encoding & OBJFMT_BTF_INT_SIGNED)));
		out->validate = true;
		return 0;
	case OBJFMT_CORE_FIELD_LSHIFT_U64:
		out->value = 64 - (spec->bit_offset + bits - byte_offset * 8);
		return 0;
	case OBJFMT_CORE_FIELD_RSHIFT_U64:
		out->value = 64 - bits;
		out->validate = true;
		return 0;
	default: return -EOPNOTSUPP;
	}
}

static int calc_field(const struct core_spec *spec, uint32_t kind, struct field_out *out)
{
	memset(out, 0, sizeof(*out));
	if (kind == OBJFMT_CORE_FIELD_EXISTS) {
		out->value = spec != NULL;
		out->validate = true;
		return 0;
	}
	if (!spec)
		return -EUCLEAN;
	const struct core_accessor *acc = &spec->spec[spec->len - 1];
	return acc->name ? member_field(spec, acc, kind, out) : array_field(spec, acc, kind, out);
}

static int calc_type(const struct core_spec *spec, uint32_t kind, uint64_t *value,
		     bool *validate)
{
	if (!spec) { /* a missing type is 0 for every type-based kind */
		*value = 0;
		return 0;
	}
	switch (kind) {
	case OBJFMT_CORE_TYPE_ID_TARGET:
		*value = spec->root_id;
		if (validate)
			*validate = false; /* ids move when objects are linked */
		return 0;
	case OBJFMT_CORE_TYPE_EXISTS:
	case OBJFMT_CORE_TYPE_MATCHES: *value = 1; return 0;
	case OBJFMT_CORE_TYPE_SIZE: {
		int64_t size = objfmt_btf__size(spec->btf, spec->root_id);
		if (size < 0)
			return -EINVAL;
		*value = (uint64_t)size;
		return 0;
	}
	default: return -EOPNOTSUPP;
	}
}

static int calc_enum(const struct core_spec *spec, uint32_t kind, uint64_t *value)
{
	if (kind == OBJFMT_CORE_ENUMVAL_EXISTS) {
		*value = spec != NULL;
		return 0;
	}
	if (kind != OBJFMT_CORE_ENUMVAL_VALUE)
		return -EOPNOTSUPP;
	if (!spec)
		return -EUCLEAN;
	const struct objfmt_btf_type *t = objfmt_btf__type(spec->btf, spec->spec[0].type_id);
	int64_t v = t->members[spec->spec[0].index].value;
	/* a 32-bit enumerator is an s32 that widens with its sign, as in libbpf */
	*value = t->kind == OBJFMT_BTF_ENUM ? (uint64_t)(int64_t)(int32_t)v : (uint64_t)v;
	return 0;
}

/* Loading a field of another size is right only for pointers and unsigned ints. */
static bool size_adjust_ok(const struct core_spec *local, const struct core_spec *target,
			   const struct core_result *res)
{
	const struct objfmt_btf_type *l = objfmt_btf__type(local->btf, res->orig_type);
	const struct objfmt_btf_type *t = objfmt_btf__type(target->btf, res->new_type);

	if (!l || !t)
		return false;
	if (l->kind == OBJFMT_BTF_PTR && t->kind == OBJFMT_BTF_PTR)
		return true;
	return l->kind == OBJFMT_BTF_INT && t->kind == OBJFMT_BTF_INT &&
	       !(l->int_encoding & OBJFMT_BTF_INT_SIGNED) && !(t->int_encoding & OBJFMT_BTF_INT_SIGNED);
}

int core_calc(const struct core_spec *local, const struct core_spec *target,
	      struct core_result *res)
{
	int err = -EOPNOTSUPP;
	uint32_t kind = local->kind;

	memset(res, 0, sizeof(*res));
	res->validate = true;
	if (core_kind_is_field(kind)) {
		struct field_out orig, now;
		err = calc_field(local, kind, &orig);
		if (!err)
			err = calc_field(target, kind, &now);
		if (!err) {
			res->orig_value = orig.value, res->orig_size = orig.size, res->orig_type = orig.type;
			res->new_value = now.value, res->new_size = now.size, res->new_type = now.type;
			res->validate = orig.validate;
			res->fail_size_adjust = res->orig_size != res->new_size &&
						!size_adjust_ok(local, target, res);
		}
	} else if (core_kind_is_type(kind)) {
		err = calc_type(local, kind, &res->orig_value, &res->validate);
		if (!err)
			err = calc_type(target, kind, &res->new_value, NULL);
	} else if (core_kind_is_enum(kind)) {
		err = calc_enum(local, kind, &res->orig_value);
		if (!err)
			err = calc_enum(target, kind, &res->new_value);
	}
	if (err == -EUCLEAN) {
		res->poison = true;
		err = 0;
	}
	return err;
}

static void poison_one(struct objfmt_insn *insn)
{
	memset(insn, 0, sizeof(*insn));
	insn->code = 0x85; /* BPF_JMP | BPF_CALL */
	insn->imm = CORE_POISON_IMM;
}

static int size_code(uint32_t bytes)
{
	switch (bytes) {
	case 1: return OBJFMT_SIZE_B;
	case 2: return OBJFMT_SIZE_H;
	case 4: return OBJFMT_SIZE_W;
	case 8: return OBJFMT_SIZE_DW;
	default: return -1;
	}
}

static uint32_t size_bytes(uint8_t code)
{
	static const uint32_t bytes[4] = { 4, 2, 1, 8 }; /* W, H, B, DW */
	return bytes[(code >> 3) & 3];
}

/* LDX/ST/STX: the field's offset, and its size when that changed. */
static int patch_memory(struct objfmt_insn *insn, const struct core_result *res)
{
	if (res->validate && (int64_t)insn->off != (int64_t)res->orig_value)
		return -EINVAL;
	if (res->new_value > INT16_MAX)
		return -ERANGE;
	if (res->fail_size_adjust)
		return 1; /* poison */
	insn->off = (int16_t)res->new_value;
	if (res->new_size != res->orig_size) {
		int code = size_code(res->new_size);
		if (size_bytes(insn->code) != res->orig_size || code < 0)
			return -EINVAL;
		insn->code = (uint8_t)((insn->code & ~0x18) | code);
	}
	return 0;
}

static bool is_ld_imm64(const struct objfmt_insn *insn) { return insn->code == 0x18; }

int core_patch(struct objfmt_insn *insn, size_t remaining, const struct core_result *res)
{
	uint8_t class = OBJFMT_CLASS(insn->code);
	int err = 0;

	if (!res->poison) {
		switch (class) {
		case OBJFMT_CLASS_ALU:
		case OBJFMT_CLASS_ALU64:
			if (insn->code & OBJFMT_SRC_X)
				return -EINVAL;
			if (res->validate && (uint64_t)(int64_t)insn->imm != res->orig_value &&
			    (uint32_t)insn->imm != res->orig_value)
				return -EINVAL;
			insn->imm = (int32_t)(uint32_t)res->new_value;
			return 0;
		case OBJFMT_CLASS_LDX:
		case OBJFMT_CLASS_ST:
		case OBJFMT_CLASS_STX:
			if ((err = patch_memory(insn, res)) <= 0)
				return err;
			break; /* poison */
		case OBJFMT_CLASS_LD: {
			if (!is_ld_imm64(insn) || remaining < 2 || insn[0].src_reg || insn[0].off ||
			    insn[1].code || insn[1].dst_reg || insn[1].src_reg || insn[1].off)
				return -EINVAL;
			uint64_t imm = (uint32_t)insn[0].imm | (uint64_t)(uint32_t)insn[1].imm << 32;
			if (res->validate && imm != res->orig_value)
				return -EINVAL;
			insn[0].imm = (int32_t)(uint32_t)res->new_value;
			insn[1].imm = (int32_t)(uint32_t)(res->new_value >> 32);
			return 0;
		}
		default: return -EINVAL;
		}
	}
	if (is_ld_imm64(insn) && remaining >= 2) /* so the verifier sees no stray half */
		poison_one(&insn[1]);
	poison_one(insn);
	return 0;
}
