/* opcodes.c - the opcode table as data (rows generated from OBJFMT_OPCODES), strict
 * decoding with one precise message per reserved-field violation, and encoding. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "codec_int.h"

#define MAX_REGISTER 10

static const struct objfmt_opinfo rows[OBJFMT_OP__COUNT] = {
#define OBJFMT_X_ROW(name, code_, match_, value, form_, mnemonic_, width_)                \
	[OBJFMT_OP_##name] = { OBJFMT_OP_##name, #name, code_, OBJFMT_MATCH_##match_, value, \
			       OBJFMT_FORM_##form_, mnemonic_, width_ },
	OBJFMT_OPCODES(OBJFMT_X_ROW)
#undef OBJFMT_X_ROW
};

/* Rows sharing an opcode byte form a chain: first_row[code] -> next_row[op] -> ... */
static uint8_t first_row[256];
static uint8_t next_row[OBJFMT_OP__COUNT];
static pthread_once_t chains_once = PTHREAD_ONCE_INIT;

static void build_chains(void)
{
	int op;

	/* Walk backwards so each chain lists rows in table order. */
	for (op = OBJFMT_OP__COUNT - 1; op > OBJFMT_OP_INVALID; op--) {
		next_row[op] = first_row[rows[op].code];
		first_row[rows[op].code] = (uint8_t)op;
	}
}

const struct objfmt_opinfo *objfmt_opinfo(enum objfmt_op op)
{
	if (op <= OBJFMT_OP_INVALID || op >= OBJFMT_OP__COUNT)
		return NULL;
	return &rows[op];
}

/* The field that tells rows of `row`'s opcode byte apart, as found in `insn`. */
static int32_t match_field(const struct objfmt_opinfo *row, const struct objfmt_insn *insn)
{
	return row->match == OBJFMT_MATCH_OFF ? insn->off : insn->imm;
}

enum objfmt_op objfmt_insn_identify(const struct objfmt_insn *insn)
{
	int op;

	pthread_once(&chains_once, build_chains);
	for (op = first_row[insn->code]; op != OBJFMT_OP_INVALID; op = next_row[op]) {
		const struct objfmt_opinfo *row = &rows[op];

		if (row->match == OBJFMT_MATCH_CODE || match_field(row, insn) == row->match_value)
			return (enum objfmt_op)op;
	}
	return OBJFMT_OP_INVALID;
}

/* "0, 8, 16 or 32": the values the rows of `code` accept in their match field. */
static void expected_values(uint8_t code, bool hex, char *buf, size_t len)
{
	size_t used = 0;
	int op, count = 0, total = 0;

	for (op = first_row[code]; op != OBJFMT_OP_INVALID; op = next_row[op])
		total++;
	buf[0] = '\0';
	for (op = first_row[code]; op != OBJFMT_OP_INVALID && used < len; op = next_row[op]) {
		const char *sep = count == 0 ? "" : count == total - 1 ? " or " : ", ";

		used += (size_t)snprintf(buf + used, len - used, hex ? "%s0x%02x" : "%s%d", sep,
					 rows[op].match_value);
		count++;
	}
}

/* No row matched an opcode byte that exists: off or imm selects a missing variant. */
static enum objfmt_op bad_variant(const struct objfmt_insn *insn, const char *where,
				  struct objfmt_diag *diag)
{
	const struct objfmt_opinfo *row = &rows[first_row[insn->code]];
	bool atomic = row->form == OBJFMT_FORM_ATOMIC;
	char expected[96];

	expected_values(insn->code, atomic, expected, sizeof(expected));
	if (row->match == OBJFMT_MATCH_OFF && expected[1] == '\0')
		objfmt_diag_set(diag, -EINVAL, where, "reserved field off=%d must be 0 for '%s'",
				insn->off, row->mnemonic);
	else if (row->match == OBJFMT_MATCH_OFF)
		objfmt_diag_set(diag, -EINVAL, where,
				"invalid off=%d for opcode 0x%02x '%s' (expected %s)", insn->off,
				insn->code, row->mnemonic, expected);
	else if (atomic)
		objfmt_diag_set(diag, -EINVAL, where,
				"invalid atomic operation imm=0x%x for opcode 0x%02x (expected %s)",
				(uint32_t)insn->imm, insn->code, expected);
	else
		objfmt_diag_set(diag, -EINVAL, where,
				"invalid byte swap width imm=%d for opcode 0x%02x (expected %s)",
				insn->imm, insn->code, expected);
	return OBJFMT_OP_INVALID;
}

/* Which fields an operand form leaves unused (they must be zero). */
enum {
	USES_DST = 1 << 0,     /* dst_reg is a register operand */
	USES_SRC = 1 << 1,     /* src_reg is a register operand */
	USES_SRC_KIND = 1 << 2,/* src_reg is a pseudo/call kind, checked separately */
	USES_OFF = 1 << 3,     /* off is an operand */
	USES_IMM = 1 << 4,     /* imm is an operand */
};

static unsigned form_fields(const struct objfmt_opinfo *row)
{
	switch (row->form) {
	case OBJFMT_FORM_ALU_IMM: return USES_DST | USES_IMM;
	case OBJFMT_FORM_ALU_REG: return USES_DST | USES_SRC;
	case OBJFMT_FORM_UNARY: return USES_DST;
	case OBJFMT_FORM_LD_IMM64: return USES_DST | USES_SRC_KIND | USES_IMM;
	case OBJFMT_FORM_LD_ABS: return USES_IMM;
	case OBJFMT_FORM_LD_IND: return USES_SRC | USES_IMM;
	case OBJFMT_FORM_LDX: return USES_DST | USES_SRC | USES_OFF;
	case OBJFMT_FORM_ST: return USES_DST | USES_OFF | USES_IMM;
	case OBJFMT_FORM_STX: return USES_DST | USES_SRC | USES_OFF;
	case OBJFMT_FORM_ATOMIC: return USES_DST | USES_SRC | USES_OFF;
	case OBJFMT_FORM_JA: return row->code == 0x06 ? USES_IMM : USES_OFF;
	case OBJFMT_FORM_JMP_IMM: return USES_DST | USES_OFF | USES_IMM;
	case OBJFMT_FORM_JMP_REG: return USES_DST | USES_SRC | USES_OFF;
	case OBJFMT_FORM_CALL: return USES_SRC_KIND | USES_IMM;
	case OBJFMT_FORM_CALLX: return USES_DST;
	case OBJFMT_FORM_EXIT: return 0;
	}
	return 0;
}

/* Registers in range and every unused field zero; the match field is exempt. */
static bool check_fields(const struct objfmt_opinfo *row, const struct objfmt_insn *insn,
			 const char *where, struct objfmt_diag *diag)
{
	unsigned uses = form_fields(row);

	if ((uses & USES_DST) && insn->dst_reg > MAX_REGISTER)
		return objfmt_diag_set(diag, false, where,
				       "invalid dst_reg=%u for '%s' (registers are r0..r10)",
				       insn->dst_reg, row->mnemonic);
	if ((uses & USES_SRC) && insn->src_reg > MAX_REGISTER)
		return objfmt_diag_set(diag, false, where,
				       "invalid src_reg=%u for '%s' (registers are r0..r10)",
				       insn->src_reg, row->mnemonic);
	if (!(uses & USES_DST) && insn->dst_reg != 0)
		return objfmt_diag_set(diag, false, where,
				       "reserved field dst_reg=%u must be 0 for '%s'",
				       insn->dst_reg, row->mnemonic);
	if (!(uses & (USES_SRC | USES_SRC_KIND)) && insn->src_reg != 0)
		return objfmt_diag_set(diag, false, where,
				       "reserved field src_reg=%u must be 0 for '%s'",
				       insn->src_reg, row->mnemonic);
	if (!(uses & USES_OFF) && row->match != OBJFMT_MATCH_OFF && insn->off != 0)
		return objfmt_diag_set(diag, false, where,
				       "reserved field off=%d must be 0 for '%s'", insn->off,
				       row->mnemonic);
	if (!(uses & USES_IMM) && row->match != OBJFMT_MATCH_IMM && insn->imm != 0)
		return objfmt_diag_set(diag, false, where,
				       "reserved field imm=%d must be 0 for '%s'", insn->imm,
				       row->mnemonic);
	return true;
}

/* ld_imm64: a known pseudo kind and a second slot whose code/regs/off are zero. */
static bool check_ld_imm64(const struct objfmt_insn *insns, size_t remaining,
			   const char *where, struct objfmt_diag *diag)
{
	const struct objfmt_insn *second = &insns[1];

	if (insns[0].src_reg > OBJFMT_PSEUDO_MAP_IDX_VALUE)
		return objfmt_diag_set(diag, false, where,
				       "invalid ld_imm64 src_reg=%u (pseudo kinds are 0..6)",
				       insns[0].src_reg);
	if (remaining < 2)
		return objfmt_diag_set(diag, false, where,
				       "truncated ld_imm64: needs 2 slots, only 1 left");
	if (second->code != 0)
		return objfmt_diag_set(diag, false, where,
				       "reserved field code=0x%02x of the second ld_imm64 slot must be 0",
				       second->code);
	if (second->dst_reg != 0 || second->src_reg != 0)
		return objfmt_diag_set(diag, false, where,
				       "reserved field %s=%u of the second ld_imm64 slot must be 0",
				       second->dst_reg ? "dst_reg" : "src_reg",
				       second->dst_reg ? second->dst_reg : second->src_reg);
	if (second->off != 0)
		return objfmt_diag_set(diag, false, where,
				       "reserved field off=%d of the second ld_imm64 slot must be 0",
				       second->off);
	return true;
}

/* RFC 9669 defines the legacy packet loads for sizes W, H and B only; the table keeps
 * the DW rows so that code switching on them compiles, but they never decode. */
static bool check_packet_size(const struct objfmt_opinfo *row, const char *where,
			      struct objfmt_diag *diag)
{
	if (row->width == 64)
		return objfmt_diag_set(diag, false, where,
				       "invalid size DW for '%s' (legacy packet loads take W, H or B)",
				       row->mnemonic);
	return true;
}

static bool check_call(const struct objfmt_insn *insn, const char *where,
		       struct objfmt_diag *diag)
{
	if (insn->src_reg > OBJFMT_CALL_KFUNC)
		return objfmt_diag_set(diag, false, where,
				       "invalid call kind src_reg=%u (expected 0 helper, 1 local or 2 kfunc)",
				       insn->src_reg);
	return true;
}

static enum objfmt_op decode_at(const struct objfmt_insn *insns, size_t remaining,
				const char *where, struct objfmt_diag *diag)
{
	const struct objfmt_opinfo *row;
	enum objfmt_op op;

	if (!insns || remaining == 0) {
		objfmt_diag_set(diag, -EINVAL, where, "no instruction to decode");
		return OBJFMT_OP_INVALID;
	}
	op = objfmt_insn_identify(insns);
	if (op == OBJFMT_OP_INVALID) {
		if (first_row[insns->code] == OBJFMT_OP_INVALID)
			objfmt_diag_set(diag, -EINVAL, where, "invalid opcode 0x%02x", insns->code);
		else
			bad_variant(insns, where, diag);
		return OBJFMT_OP_INVALID;
	}
	row = &rows[op];
	if (!check_fields(row, insns, where, diag))
		return OBJFMT_OP_INVALID;
	if (row->form == OBJFMT_FORM_LD_IMM64 && !check_ld_imm64(insns, remaining, where, diag))
		return OBJFMT_OP_INVALID;
	if ((row->form == OBJFMT_FORM_LD_ABS || row->form == OBJFMT_FORM_LD_IND) &&
	    !check_packet_size(row, where, diag))
		return OBJFMT_OP_INVALID;
	if (row->form == OBJFMT_FORM_CALL && !check_call(insns, where, diag))
		return OBJFMT_OP_INVALID;
	return op;
}

/* Decoded without a diagnostic first: naming the instruction costs a snprintf, which
 * verifiers and interpreters decoding millions of valid instructions do not need. */
enum objfmt_op objfmt_insn_decode(const struct objfmt_insn *insns, size_t remaining,
				  size_t index, struct objfmt_diag *diag)
{
	enum objfmt_op op = decode_at(insns, remaining, "", NULL);
	char where[32];

	if (op != OBJFMT_OP_INVALID || !diag)
		return op;
	snprintf(where, sizeof(where), "insn %zu", index);
	return decode_at(insns, remaining, where, diag);
}

int objfmt_insn_encode(enum objfmt_op op, uint8_t dst, uint8_t src, int16_t off,
		       int64_t imm, struct objfmt_insn out[2])
{
	const struct objfmt_opinfo *row = objfmt_opinfo(op);
	bool wide = row && row->form == OBJFMT_FORM_LD_IMM64;

	if (!row || !out || dst > 15 || src > 15)
		return -EINVAL;
	if (!wide && (imm < INT32_MIN || imm > (int64_t)UINT32_MAX))
		return -ERANGE;
	memset(out, 0, sizeof(*out) * (wide ? 2 : 1));
	out[0].code = row->code;
	out[0].dst_reg = dst;
	out[0].src_reg = src;
	out[0].off = row->match == OBJFMT_MATCH_OFF ? (int16_t)row->match_value : off;
	out[0].imm = row->match == OBJFMT_MATCH_IMM ? row->match_value : (int32_t)(uint32_t)imm;
	if (!wide)
		return 1;
	out[1].imm = (int32_t)(uint32_t)((uint64_t)imm >> 32);
	return 2;
}
