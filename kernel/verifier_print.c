/* verifier_print.c - the log's text in the kernel's format: each insn as the kernel's
 * disassembler prints it ("(61) r2 = *(u32 *)(r1 +76)"), register states ("R1=ctx()",
 * "R0=map_value_or_null(id=1,ks=4,vs=8)", "R5=scalar(smin=0,umax=255,...)") and stack
 * slots ("fp-8=0000????"), after each insn for what it touched. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "verifier_int.h"

static const char *const type_names[VREG_TYPE_COUNT] = {
	[VREG_NOT_INIT] = "?",         [VREG_SCALAR] = "scalar",
	[VREG_CTX] = "ctx",            [VREG_MAP_PTR] = "map_ptr",
	[VREG_MAP_VALUE] = "map_value", [VREG_MAP_KEY] = "map_key",
	[VREG_STACK] = "fp",           [VREG_PACKET_META] = "pkt_meta",
	[VREG_PACKET] = "pkt",         [VREG_PACKET_END] = "pkt_end",
	[VREG_MEM] = "mem",            [VREG_FUNC] = "func",
	[VREG_FLOW_KEYS] = "flow_keys", [VREG_BTF_ID] = "ptr_",
	[VREG_SOCK_COMMON] = "sock_common", [VREG_SOCK] = "sock", [VREG_TCP_SOCK] = "tcp_sock",
	[VREG_DYNPTR] = "dynptr_ringbuf",
};

/* A non-null XSKMAP lookup result is the kernel's PTR_TO_XDP_SOCK ("xdp_sock()"). */
static bool vreg_is_xdp_sock(const struct vreg *reg)
{
	return reg->type == VREG_MAP_VALUE && !(reg->flags & VREG_MAYBE_NULL) && reg->map &&
	       verifier_map_desc(reg->map)->type == BPF_MAP_TYPE_XSKMAP;
}

/* A referenced kernel object is trusted through its reference (the kernel's
 * is_trusted_reg), not through the PTR_TRUSTED flag this emulator also sets on it: the
 * kernel prints it as a plain ptr_. */
const char *vreg_type_name(const struct vreg *reg, char *buf, size_t size)
{
	const char *null = !(reg->flags & VREG_MAYBE_NULL) ? ""
			   : reg->type == VREG_BTF_ID ? "or_null_" : "_or_null";
	bool trusted = (reg->flags & VREG_TRUSTED) &&
		       !(reg->type == VREG_BTF_ID && reg->ref_obj_id);

	snprintf(buf, size, "%s%s%s%s%s%s%s", (reg->flags & VREG_RDONLY) ? "rdonly_" : "",
		 (reg->flags & VREG_RINGBUF) ? "ringbuf_" : "",
		 (reg->flags & VREG_RCU) ? "rcu_" : "", (reg->flags & VREG_PERCPU) ? "percpu_" : "",
		 trusted ? "trusted_" : "", vreg_is_xdp_sock(reg) ? "xdp_sock" : type_names[reg->type],
		 null);
	return buf;
}

/* ---- numbers and bounds as the kernel prints them ---- */

static bool snum_decimal(int64_t v)
{
	return v >= -32768 && v <= 32767; /* kernel SNUM_MIN/MAX_DECIMAL: S16 */
}

static int put_snum(char *buf, size_t size, int64_t v)
{
	if (snum_decimal(v))
		return snprintf(buf, size, "%" PRId64, v);
	return snprintf(buf, size, "%#" PRIx64, (uint64_t)v);
}

static int put_unum(char *buf, size_t size, uint64_t v)
{
	if (v <= 65535) /* kernel UNUM_MAX_DECIMAL: U16_MAX */
		return snprintf(buf, size, "%" PRIu64, v);
	return snprintf(buf, size, "%#" PRIx64, v);
}

struct text {
	char buf[16384]; /* a whole state line: the kernel prints each part separately, uncut */
	size_t len;
};

static void text_add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	if (t->len >= sizeof(t->buf))
		return;
	va_start(ap, fmt);
	int n = vsnprintf(t->buf + t->len, sizeof(t->buf) - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (size_t)n;
	if (t->len >= sizeof(t->buf))
		t->len = sizeof(t->buf) - 1;
}

static void add_snum(struct text *t, int64_t v)
{
	char num[32];
	put_snum(num, sizeof(num), v);
	text_add(t, "%s", num);
}

/* smin=...,smax=umax=... with equal values merged (kernel print_scalar_ranges). */
static void add_ranges(struct text *t, const struct vreg *reg, const char **sep)
{
	struct {
		const char *name;
		uint64_t value;
		bool omit;
	} mm[8] = {
		{ "smin", (uint64_t)reg->smin, reg->smin == INT64_MIN },
		{ "smax", (uint64_t)reg->smax, reg->smax == INT64_MAX },
		{ "umin", reg->umin, reg->umin == 0 },
		{ "umax", reg->umax, reg->umax == UINT64_MAX },
		{ "smin32", (uint64_t)(int64_t)reg->s32_min, reg->s32_min == INT32_MIN },
		{ "smax32", (uint64_t)(int64_t)reg->s32_max, reg->s32_max == INT32_MAX },
		{ "umin32", reg->u32_min, reg->u32_min == 0 },
		{ "umax32", reg->u32_max, reg->u32_max == UINT32_MAX },
	};
	char num[32];

	for (int i = 0; i < 8; i++) {
		if (mm[i].omit)
			continue;
		bool neg1 = mm[i].name[0] == 's' && (int64_t)mm[i].value < 0;
		text_add(t, "%s%s=", *sep, mm[i].name);
		*sep = ",";
		for (int j = i + 2; j < 8; j += 2) {
			bool neg2 = mm[j].name[0] == 's' && (int64_t)mm[j].value < 0;
			if (mm[j].omit || mm[j].value != mm[i].value || neg1 != neg2)
				continue;
			mm[j].omit = true;
			text_add(t, "%s=", mm[j].name);
		}
		if (mm[i].name[0] == 's')
			put_snum(num, sizeof(num), (int64_t)mm[i].value);
		else
			put_unum(num, sizeof(num), mm[i].value);
		text_add(t, "%s", num);
	}
}

static void add_reg(struct text *t, const struct vreg *reg, uint32_t frameno)
{
	char name[48];
	const char *sep = "";

	if (reg->type == VREG_SCALAR && reg->precise)
		text_add(t, "P");
	if (reg->type == VREG_SCALAR && tnum_is_const(reg->var_off)) {
		add_snum(t, (int64_t)reg->var_off.value);
		return;
	}
	text_add(t, "%s", vreg_type_name(reg, name, sizeof(name)));
	if (reg->type == VREG_BTF_ID) /* the state names the struct: ptr_task_struct() */
		text_add(t, "%s", verifier_btf_type_name(reg->range));
	if (reg->type == VREG_STACK) {
		if (reg->frameno != frameno)
			text_add(t, "[%u]", reg->frameno);
		if (tnum_is_const(reg->var_off)) {
			add_snum(t, (int64_t)reg->var_off.value + reg->off);
			return;
		}
	}
	text_add(t, "(");
	if (reg->id) { /* a link with a constant delta (BPF_ADD_CONST) shows it: id=3+8 */
		text_add(t, "%sid=%u", sep, reg->id & ~VREG_ADD_CONST);
		if (reg->id & VREG_ADD_CONST)
			text_add(t, "%+d", reg->off);
		sep = ",";
	}
	if (reg->ref_obj_id) {
		text_add(t, "%sref_obj_id=%u", sep, reg->ref_obj_id);
		sep = ",";
	}
	if ((reg->type == VREG_MAP_PTR || reg->type == VREG_MAP_VALUE ||
	     reg->type == VREG_MAP_KEY) && reg->map && !vreg_is_xdp_sock(reg)) {
		/* the kernel: map, then off */
		const struct emu_map_desc *desc = verifier_map_desc(reg->map);
		if (desc->name[0]) {
			text_add(t, "%smap=%s", sep, desc->name);
			sep = ",";
		}
		text_add(t, "%sks=%u,vs=%u", sep, desc->key_size, desc->value_size);
		sep = ",";
	}
	if (reg->type != VREG_SCALAR && reg->off) {
		text_add(t, "%soff=", sep);
		add_snum(t, reg->off);
		sep = ",";
	}
	if (reg->type == VREG_PACKET || reg->type == VREG_PACKET_META) {
		char num[24]; /* the kernel's int range, printed unsigned 64-bit */
		put_unum(num, sizeof(num), (uint64_t)(int64_t)(int32_t)reg->range);
		text_add(t, "%sr=%s", sep, num);
		sep = ",";
	}
	if (reg->type == VREG_MEM) {
		text_add(t, "%ssz=%u", sep, reg->range);
		sep = ",";
	}
	if (tnum_is_const(reg->var_off)) {
		if (reg->var_off.value) {
			text_add(t, "%simm=", sep);
			add_snum(t, (int64_t)reg->var_off.value);
		}
	} else {
		add_ranges(t, reg, &sep);
		if (!tnum_is_unknown(reg->var_off))
			text_add(t, "%svar_off=(0x%" PRIx64 "; 0x%" PRIx64 ")", sep, reg->var_off.value,
				 reg->var_off.mask);
	}
	text_add(t, ")");
}

static const char slot_chars[] = { '?', 'r', 'm', '0' };

static void add_frame(struct text *t, const struct vframe *frame, bool all)
{
	if (frame->frameno)
		text_add(t, " frame%u:", frame->frameno);
	for (int r = 0; r < VERIFIER_REG_COUNT; r++) {
		const struct vreg *reg = &frame->regs[r];
		if (reg->type == VREG_NOT_INIT || (!all && !reg->written))
			continue;
		text_add(t, " R%d=", r);
		add_reg(t, reg, frame->frameno);
	}
	for (uint32_t s = 0; s < frame->allocated / 8; s++) {
		const struct vstack_slot *slot = &frame->stack[s];
		char kinds[9];
		bool valid = false;
		for (int b = 0; b < 8; b++) {
			kinds[b] = slot_chars[slot->kind[b]];
			valid |= slot->kind[b] != VSLOT_INVALID;
		}
		kinds[8] = '\0';
		if (!valid || (!all && !(frame->stack_scratched & ((uint64_t)1 << s))))
			continue;
		if (verifier_slot_is_dynptr(slot)) { /* once, at its lower slot */
			if (slot->spill.off == 0)
				text_add(t, " fp%d=dynptr_ringbuf(id=%u,ref_id=%u,dynptr_id=%u)",
					 -(int)(s + 1) * 8, slot->spill.id, slot->spill.ref_obj_id,
					 slot->spill.id);
			continue;
		}
		text_add(t, " fp%d=", -(int)(s + 1) * 8);
		if (slot->kind[7] == VSLOT_SPILL) { /* bytes above a narrow spill, then its value */
			for (int b = 0; b < 8 && slot->kind[b] != VSLOT_SPILL; b++)
				text_add(t, "%c", kinds[b]);
			add_reg(t, &slot->spill, frame->frameno);
		}
		else
			text_add(t, "%s", kinds);
	}
	if (frame->in_callback)
		text_add(t, " cb");
	if (frame->in_async_callback)
		text_add(t, " async_cb");
}

/* Held references and the spin lock, as the kernel's refs[] lists them. */
static void add_refs(struct text *t, const struct vstate *st)
{
	for (uint32_t i = 0; i < st->ref_count; i++)
		text_add(t, "%s%u", i ? "," : " refs=", st->refs[i].id);
	if (st->lock_held && st->lock_id)
		text_add(t, "%s%u", st->ref_count ? "," : " refs=", st->lock_id);
}

/* Did the last insn touch anything of the frame (the kernel prints its state then,
 * even if nothing printable is left, e.g. r0 after a void helper)? */
static bool frame_scratched(const struct vframe *frame)
{
	for (int r = 0; r < VERIFIER_REG_COUNT; r++)
		if (frame->regs[r].written)
			return true;
	return frame->stack_scratched != 0;
}

static void log_text(struct verifier_env *env, const struct text *t)
{
	verbose(env, "%.*s", (int)t->len, t->buf);
}

void verifier_print_state(struct verifier_env *env, const struct vstate *st, bool all)
{
	struct text t; /* no initialiser: zeroing the buffer is a cost when nothing logs */
	if (!log_enabled(env))
		return;
	t.len = 0;
	add_frame(&t, st->frames[st->curframe], all);
	add_refs(&t, st);
	log_text(env, &t);
	verbose(env, "\n");
}

void verifier_print_frame(struct verifier_env *env, const struct vstate *st,
			  uint32_t frameno)
{
	struct text t;
	t.len = 0;
	add_frame(&t, st->frames[frameno], true);
	log_text(env, &t);
	verbose(env, "\n");
}

/* After an insn: "<pad>; R0=..." for what it touched, on the insn's own line. */
void verifier_print_insn_state(struct verifier_env *env, const struct vstate *st)
{
	struct text t;
	if (!(env->log.level & (VLOG_LEVEL1 | VLOG_LEVEL2)))
		return;
	if (!frame_scratched(st->frames[st->curframe])) /* not even " frame1:" then */
		return;
	t.len = 0;
	add_frame(&t, st->frames[st->curframe], false);
	add_refs(&t, st);
	if (vlog_pos(&env->log) == env->insn_print_end && env->insn_print_end) {
		vlog_reset(&env->log, env->insn_print_end - 1);
		uint32_t len = env->insn_print_len + 1;
		uint32_t align = (len + 4 > 40 ? len + 4 : 40);
		align = (align + 7) & ~7u;
		verbose(env, "%*c;", (int)(align - len - 1), ' ');
	} else { /* something was logged after the insn (mark_precise lines) */
		verbose(env, "%u:", env->insn_idx);
	}
	log_text(env, &t);
	verbose(env, "\n");
}

/* Level 2, before the first insn: the registers live before each insn (the kernel's
 * compute_live_registers table, 6.15+). */
void verifier_print_live_regs(struct verifier_env *env)
{
	char text[160], live[VERIFIER_FP + 1];

	if (!(env->log.level & VLOG_LEVEL2))
		return;
	verbose(env, "Live regs before insn:\n");
	for (uint32_t i = 0; i < env->insn_cnt; i++) {
		if (env->aux[i].ld_imm64_second)
			continue;
		for (int r = 0; r < VERIFIER_FP; r++)
			live[r] = (env->aux[i].live_in & (1u << r)) ? (char)('0' + r) : '.';
		live[VERIFIER_FP] = 0;
		verifier_format_insn(env, i, text, sizeof(text));
		if (env->aux[i].scc)
			verbose(env, "%3u ", env->aux[i].scc);
		else
			verbose(env, "    ");
		verbose(env, "%3u: %s (%02x) %s\n", i, live, env->insns[i].code, text);
	}
}

/* ---- insns ---- */

/* Where the log says a map lives: the kernel prints its kernel address (root), which
 * changes from load to load; a fixed direct-map-like address per map id keeps logs and
 * goldens stable (tests/verifier/diff_kernel normalises both to "<addr>"). */
uint64_t verifier_map_address(const struct emu_map *map)
{
	if (!map)
		return 0;
	return 0xffff888100000000ull + ((uint64_t)verifier_map_desc(map)->id << 12);
}

static const char *const alu_ops[16] = {
	"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", "neg", "%=", "^=", "=", "s>>=",
	"endian", "?", "?",
};
static const char *const jmp_ops[16] = {
	"jmp", "==", ">", ">=", "&", "!=", "s>", "s>=", "call", "exit", "<", "<=", "s<",
	"s<=", "?", "?",
};
static const char *const size_names[4] = { "u32", "u16", "u8", "u64" };

static const char *atomic_name(int32_t imm)
{
	switch (imm & ~BPF_FETCH) {
	case BPF_ADD: return "add";
	case BPF_AND: return "and";
	case BPF_OR: return "or";
	case BPF_XOR: return "xor";
	default: return "?";
	}
}

static int format_alu(const struct objfmt_insn *insn, char *buf, size_t size)
{
	uint8_t op = BPF_OP(insn->code);
	bool is64 = OBJFMT_CLASS(insn->code) == BPF_ALU64;
	char r = is64 ? 'r' : 'w';

	if (op == BPF_NEG)
		return snprintf(buf, size, "%c%u = -%c%u", r, insn->dst_reg, r, insn->dst_reg);
	if (op == BPF_END) {
		if (is64)
			return snprintf(buf, size, "r%u = bswap%d r%u", insn->dst_reg, insn->imm,
					insn->dst_reg);
		return snprintf(buf, size, "r%u = %s%d r%u", insn->dst_reg,
				BPF_SRC(insn->code) == BPF_TO_BE ? "be" : "le", insn->imm,
				insn->dst_reg);
	}
	const char *opname = alu_ops[op >> 4];
	bool sign = insn->off == 1 && (op == BPF_DIV || op == BPF_MOD);
	if (BPF_SRC(insn->code) == BPF_K)
		return snprintf(buf, size, "%c%u %s%s %d", r, insn->dst_reg, sign ? "s" : "", opname,
				insn->imm);
	if (op == BPF_MOV && insn->off)
		return snprintf(buf, size, "%c%u = (s%d)%c%u", r, insn->dst_reg, insn->off, r,
				insn->src_reg);
	return snprintf(buf, size, "%c%u %s%s %c%u", r, insn->dst_reg, sign ? "s" : "", opname, r,
			insn->src_reg);
}

static int format_mem(const struct objfmt_insn *insn, char *buf, size_t size)
{
	uint8_t cls = OBJFMT_CLASS(insn->code), mode = BPF_MODE(insn->code);
	const char *sz = size_names[BPF_SIZE(insn->code) >> 3];

	if (cls == BPF_LDX)
		return snprintf(buf, size, "r%u = *(%s%s *)(r%u %+d)", insn->dst_reg,
				mode == OBJFMT_MODE_MEMSX ? "s" : "", mode == OBJFMT_MODE_MEMSX ? sz + 1 : sz,
				insn->src_reg, insn->off);
	if (cls == BPF_ST)
		return snprintf(buf, size, "*(%s *)(r%u %+d) = %d", sz, insn->dst_reg, insn->off,
				insn->imm);
	if (cls == BPF_LD && mode == BPF_ABS)
		return snprintf(buf, size, "r0 = *(%s *)skb[%d]", sz, insn->imm);
	if (cls == BPF_LD)
		return snprintf(buf, size, "r0 = *(%s *)skb[r%u + %d]", sz, insn->src_reg, insn->imm);
	if (mode != BPF_ATOMIC)
		return snprintf(buf, size, "*(%s *)(r%u %+d) = r%u", sz, insn->dst_reg, insn->off,
				insn->src_reg);
	bool is64 = BPF_SIZE(insn->code) == BPF_DW;
	char r = 'r'; /* the kernel's disassembler names 32-bit atomics' registers rN too */
	if (insn->imm == BPF_CMPXCHG)
		return snprintf(buf, size, "r0 = atomic%s_cmpxchg((%s *)(r%u %+d), r0, %c%u)",
				is64 ? "64" : "", sz, insn->dst_reg, insn->off, r, insn->src_reg);
	if (insn->imm == BPF_XCHG)
		return snprintf(buf, size, "%c%u = atomic%s_xchg((%s *)(r%u %+d), %c%u)", r,
				insn->src_reg, is64 ? "64" : "", sz, insn->dst_reg, insn->off, r,
				insn->src_reg);
	if (insn->imm & BPF_FETCH)
		return snprintf(buf, size, "%c%u = atomic%s_fetch_%s((%s *)(r%u %+d), %c%u)", r,
				insn->src_reg, is64 ? "64" : "", atomic_name(insn->imm), sz,
				insn->dst_reg, insn->off, r, insn->src_reg);
	return snprintf(buf, size, "lock *(%s *)(r%u %+d) %s %c%u", sz, insn->dst_reg, insn->off,
			alu_ops[(insn->imm & 0xf0) >> 4], r, insn->src_reg);
}

static int format_jmp(const struct objfmt_insn *insn, char *buf, size_t size)
{
	uint8_t op = BPF_OP(insn->code);
	char r = OBJFMT_CLASS(insn->code) == BPF_JMP32 ? 'w' : 'r';

	if (op == BPF_EXIT)
		return snprintf(buf, size, "exit");
	if (op == BPF_CALL) {
		if (insn->src_reg == BPF_PSEUDO_CALL)
			return snprintf(buf, size, "call pc%+d", insn->imm);
		if (insn->src_reg == BPF_PSEUDO_KFUNC_CALL) /* named by the kernel's BTF */
			return snprintf(buf, size, "call %s#%d", verifier_btf_type_name(insn->imm),
					insn->imm);
		const char *name = objfmt_helper_name(insn->imm);
		return snprintf(buf, size, "call %s%s#%d", name ? "bpf_" : "",
				name ? name : "unknown", insn->imm);
	}
	if (op == BPF_JA) {
		if (OBJFMT_CLASS(insn->code) == BPF_JMP32)
			return snprintf(buf, size, "gotol pc%+d", insn->imm);
		return snprintf(buf, size, "goto pc%+d", insn->off);
	}
	if (BPF_SRC(insn->code) == BPF_X)
		return snprintf(buf, size, "if %c%u %s %c%u goto pc%+d", r, insn->dst_reg,
				jmp_ops[op >> 4], r, insn->src_reg, insn->off);
	return snprintf(buf, size, "if %c%u %s 0x%x goto pc%+d", r, insn->dst_reg,
			jmp_ops[op >> 4], (uint32_t)insn->imm, insn->off);
}

int verifier_format_insn(const struct verifier_env *env, uint32_t idx, char *buf, size_t size)
{
	const struct objfmt_insn *insn = &env->insns[idx];
	uint8_t cls = OBJFMT_CLASS(insn->code);

	if (cls == BPF_ALU || cls == BPF_ALU64)
		return format_alu(insn, buf, size);
	if (cls == BPF_JMP || cls == BPF_JMP32)
		return format_jmp(insn, buf, size);
	if (insn->code == (BPF_LD | BPF_IMM | BPF_DW)) {
		uint64_t v = (uint32_t)insn[0].imm | ((uint64_t)(uint32_t)insn[1].imm << 32);
		if (insn->src_reg == BPF_PSEUDO_MAP_FD || insn->src_reg == BPF_PSEUDO_MAP_IDX)
			v = verifier_map_address(env->aux[idx].map);
		else if ((insn->src_reg == BPF_PSEUDO_MAP_VALUE ||
			  insn->src_reg == BPF_PSEUDO_MAP_IDX_VALUE) && env->aux[idx].map)
			v = verifier_map_address(env->aux[idx].map) + 0x100 +
			    env->aux[idx].map_value_off;
		return snprintf(buf, size, "r%u = %#" PRIx64, insn->dst_reg, v);
	}
	return format_mem(insn, buf, size);
}

/* The BTF line info record covering insn `idx`: the last one starting at or before
 * it (records are sorted by insn_off). */
static const struct bpf_line_info *find_linfo(const struct verifier_env *env, uint32_t idx)
{
	const struct emu_prog *prog = env->prog;
	const struct bpf_line_info *found = NULL;

	if (!prog->line_info || !prog->btf || prog->line_info_rec_size < sizeof(*found))
		return NULL;
	for (uint32_t i = 0; i < prog->line_info_cnt; i++) {
		const struct bpf_line_info *li = (const void *)((const char *)prog->line_info +
							       (size_t)i * prog->line_info_rec_size);
		if (li->insn_off > idx)
			break;
		found = li;
	}
	return found;
}

/* "; <source line> @ <file>:<line>" when insn `idx` starts a new source line (kernel
 * verbose_linfo). */
static void print_linfo(struct verifier_env *env, uint32_t idx)
{
	const struct bpf_line_info *li = find_linfo(env, idx), *prev = env->prev_linfo;
	if (!li || li == prev)
		return;
	/* another record of the same file and line (a different column) prints nothing
	 * and is not remembered (kernel 6.4+ verbose_linfo) */
	if (prev && li->file_name_off == prev->file_name_off &&
	    li->line_col >> 10 == prev->line_col >> 10)
		return;
	const char *line = objfmt_btf__string(env->prog->btf, li->line_off);
	const char *file = objfmt_btf__string(env->prog->btf, li->file_name_off);
	if (!line || !file)
		return;
	while (*line == ' ' || *line == '\t')
		line++;
	const char *base = strrchr(file, '/');
	verbose(env, "; %s @ %s:%u\n", line, base ? base + 1 : file, li->line_col >> 10);
	env->prev_linfo = li;
}

void verifier_print_insn(struct verifier_env *env, uint32_t idx)
{
	char text[160];
	if (!(env->log.level & (VLOG_LEVEL1 | VLOG_LEVEL2)))
		return;
	print_linfo(env, idx);
	verifier_format_insn(env, idx, text, sizeof(text));
	char line[200];
	int len = snprintf(line, sizeof(line), "%u: (%02x) %s", idx, env->insns[idx].code, text);
	verbose(env, "%s\n", line);
	env->insn_print_end = vlog_pos(&env->log);
	env->insn_print_len = (uint32_t)len;
}
