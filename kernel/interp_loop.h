/* interp_loop.h - the interpreter loop itself, included twice: by interp.c (the fast
 * build) and by interp_checked.c with EMU_INTERP_CHECKED defined, where every memory
 * access and helper memory argument is checked against the run's regions first. */
#ifndef INTERP_LOOP_NAME
#error "define INTERP_LOOP_NAME (and INTERP_LOOP_LINKAGE) before including interp_loop.h"
#endif

/* Unaligned little-endian memory access through memcpy (one mov on x86-64). */
#define STORE(type, addr, val) do { type v_ = (type)(val); memcpy((void *)(uintptr_t)(addr), &v_, sizeof(v_)); } while (0)

#define SKF_NET_OFF (-0x100000) /* ld_abs offsets from the network header */
#define SKF_LL_OFF (-0x200000)  /* ... from the link-layer header */

/* Legacy ld_abs/ld_ind: big-endian load from the packet of the skb ctx (r6), at an
 * offset from skb->data, or (negative offsets) from the network or link-layer header;
 * false when the bytes are outside the packet. */
static bool interp_load_packet(const struct emu_run *run, uint64_t ctx, int64_t off,
			       unsigned size, uint64_t *out)
{
	const struct emu_ctx_skb *skb = (const struct emu_ctx_skb *)(uintptr_t)ctx;
	uint64_t start = skb->data;
	const uint8_t *p;
	uint64_t v = 0;

	if (off < 0) {
		if (off >= SKF_NET_OFF && run && run->network_header)
			start = run->network_header, off -= SKF_NET_OFF;
		else if (off >= SKF_LL_OFF && off < SKF_NET_OFF && run && run->mac_header)
			start = run->mac_header, off -= SKF_LL_OFF;
		else
			return false;
	}
	if (start + (uint64_t)off + size > skb->data_end)
		return false;
	p = (const uint8_t *)(uintptr_t)(start + (uint64_t)off);
	for (unsigned i = 0; i < size; i++)
		v = v << 8 | p[i];
	*out = v;
	return true;
}

/* One bpf-to-bpf frame: what the callee must give back. */
struct interp_frame {
	const struct emu_xinsn *ret; /* insn after the call */
	const struct emu_exec_prog *xp; /* program of the caller (tail calls change it) */
	uint64_t saved[5];           /* r6..r9 and r10 of the caller */
};

/* callx target: a function value inside the running program, else a helper id. */
static const struct emu_xinsn *interp_func_target(const struct emu_exec_prog *xp,
						  uint64_t value)
{
	uintptr_t lo = (uintptr_t)xp->insns, hi = (uintptr_t)(xp->insns + xp->insn_cnt);

	if (value >= lo && value < hi && (value - lo) % sizeof(struct emu_xinsn) == 0)
		return (const struct emu_xinsn *)(uintptr_t)value;
	return NULL;
}

#define INTERP_GET_LABELS ((const struct emu_xinsn *)1)

/* What the checked build adds around the shared handlers; nothing in the fast build. */
#ifdef EMU_INTERP_CHECKED
#define INSNS(xp) ((xp)->checked_insns)
#define INSN_INDEX() ((uint32_t)(pc - INSNS(xp)))
#define CHECK_MEM(addr, size, write) \
	do { if (emu_check_access(run, (uint64_t)(uintptr_t)(addr), (size), (write), \
				  INSN_INDEX())) \
		     INTERP_RETURN(0); } while (0)
#define CHECK_ENTER() emu_check_enter(run, stack[0], &depth)
#define CHECK_LEAVE() emu_check_leave(run)
#define CHECK_HELPER_BEFORE(id) \
	do { if (emu_check_helper_args(run, (id), reg, INSN_INDEX())) INTERP_RETURN(0); } while (0)
#define CHECK_HELPER_AFTER(id) emu_check_helper_result(run, (id), reg[0])
#define CHECK_TAIL_CALL(prog) emu_check_add_prog(run, (prog))
#define FUNC_TARGET(xp, value) \
	({ const struct emu_xinsn *t_ = interp_func_target((xp), (value)); \
	   t_ ? INSNS(xp) + (t_ - (xp)->insns) : NULL; })
#else
#define INSNS(xp) ((xp)->insns)
#define CHECK_MEM(addr, size, write) do { } while (0)
#define CHECK_ENTER() do { } while (0)
#define CHECK_LEAVE() do { } while (0)
#define CHECK_HELPER_BEFORE(id) do { } while (0)
#define CHECK_HELPER_AFTER(id) do { } while (0)
#define CHECK_TAIL_CALL(prog) do { } while (0)
#define FUNC_TARGET(xp, value) interp_func_target((xp), (value))
#endif
#define INTERP_RETURN(value) do { CHECK_LEAVE(); return (value); } while (0)

/* The loop. Returns r0. With pc == INTERP_GET_LABELS returns the label table. */
INTERP_LOOP_LINKAGE uint64_t INTERP_LOOP_NAME(struct emu_run *run, const struct emu_exec_prog *xp,
			    const struct emu_xinsn *pc, const uint64_t args[5],
			    const void *const **labels_out)
{
	uint64_t reg[11];
	uint8_t stack[EMU_MAX_CALL_FRAMES][EMU_STACK_SIZE] __attribute__((aligned(16)));
	struct interp_frame frames[EMU_MAX_CALL_FRAMES];
	uint32_t depth = 0;
	/* frames already used by enclosing runs (callbacks): they count towards the limit */
	const uint32_t max_depth = EMU_MAX_CALL_FRAMES - 1 - (run ? run->depth : 0);

#ifdef INTERP_COMPUTED_GOTO
	static const void *const labels[INTERP_OP__COUNT] = {
#define INTERP_X_LABEL(name, code, match, value, form, mnemonic, width) \
	[OBJFMT_OP_##name] = &&op_##name,
		OBJFMT_OPCODES(INTERP_X_LABEL)
#undef INTERP_X_LABEL
		[OBJFMT_OP_INVALID] = &&op_INVALID,
		[INTERP_OP_CALL_HELPER] = &&op_CALL_HELPER,
		[INTERP_OP_CALL_LOCAL] = &&op_CALL_LOCAL,
		[INTERP_OP_TAIL_CALL] = &&op_TAIL_CALL,
		[INTERP_OP_CALL_KFUNC] = &&op_CALL_KFUNC,
		[INTERP_OP_PROBE_LDX] = &&op_PROBE_LDX,
	};
	if (pc == INTERP_GET_LABELS) {
		*labels_out = labels;
		return 0;
	}
#define OP(name) op_##name:
#define XOP(name) op_##name:
#define DISPATCH() goto *pc->h.label
#else
	if (pc == INTERP_GET_LABELS) {
		*labels_out = NULL;
		return 0;
	}
#define OP(name) case OBJFMT_OP_##name:
#define XOP(name) case INTERP_OP_##name:
#define DISPATCH() goto dispatch
#endif
#define NEXT() do { pc++; DISPATCH(); } while (0)
#define DST reg[pc->dst]
#define SRC reg[pc->src]
#define IMM ((uint64_t)(int64_t)pc->imm)
#define W(x) ((uint32_t)(x))
#define ALU64(name, expr_imm, expr_reg) \
	OP(name##_IMM) { DST = (expr_imm); NEXT(); } \
	OP(name##_REG) { DST = (expr_reg); NEXT(); }
#define BINOP64(name, op) ALU64(name, DST op IMM, DST op SRC)
#define BINOP32(name, op) ALU64(name, W(W(DST) op W(pc->imm)), W(W(DST) op W(SRC)))
#define JUMP(name, type, cmp) \
	OP(name##_IMM) { pc += ((type)DST cmp (type)IMM) ? pc->off + 1 : 1; DISPATCH(); } \
	OP(name##_REG) { pc += ((type)DST cmp (type)SRC) ? pc->off + 1 : 1; DISPATCH(); }
#define JUMP32(name, type, cmp) \
	OP(name##_IMM) { pc += ((type)W(DST) cmp (type)W(pc->imm)) ? pc->off + 1 : 1; DISPATCH(); } \
	OP(name##_REG) { pc += ((type)W(DST) cmp (type)W(SRC)) ? pc->off + 1 : 1; DISPATCH(); }
#define LDX(name, type, ext) \
	OP(name) { type v_; CHECK_MEM(SRC + pc->off, sizeof(v_), false); memcpy(&v_, (const void *)(uintptr_t)(SRC + pc->off), sizeof(v_)); \
		   DST = (uint64_t)(ext)v_; NEXT(); }
#define ST(name, type) OP(name) { CHECK_MEM(DST + pc->off, sizeof(type), true); STORE(type, DST + pc->off, pc->imm); NEXT(); }
#define STX(name, type) OP(name) { CHECK_MEM(DST + pc->off, sizeof(type), true); STORE(type, DST + pc->off, SRC); NEXT(); }
#define ATOMIC(name, type, builtin, ret) \
	OP(name) { type *p_ = (type *)(uintptr_t)(DST + pc->off); \
		   CHECK_MEM(p_, sizeof(type), true); \
		   type old_ = builtin(p_, (type)SRC, __ATOMIC_SEQ_CST); ret; NEXT(); }
#define LD_PACKET(name, base, size) \
	OP(name) { if (!interp_load_packet(run, reg[6], (int64_t)(base) + pc->imm, size, \
					   &reg[0])) \
			   INTERP_RETURN(0); \
		   NEXT(); }

	reg[1] = args[0];
	reg[2] = args[1];
	reg[3] = args[2];
	reg[4] = args[3];
	reg[5] = args[4];
	reg[0] = reg[6] = reg[7] = reg[8] = reg[9] = 0;
	reg[10] = (uint64_t)(uintptr_t)stack[0] + EMU_STACK_SIZE;
	CHECK_ENTER();
	DISPATCH();
#ifndef INTERP_COMPUTED_GOTO
dispatch:
	switch (pc->h.op) {
#endif
	/* ALU64 */
	BINOP64(ADD64, +)
	BINOP64(SUB64, -)
	BINOP64(MUL64, *)
	ALU64(DIV64, IMM ? DST / IMM : 0, SRC ? DST / SRC : 0)
	ALU64(SDIV64,
	      (int64_t)IMM == 0 ? 0 : (int64_t)IMM == -1 ? -DST : (uint64_t)((int64_t)DST / (int64_t)IMM),
	      (int64_t)SRC == 0 ? 0 : (int64_t)SRC == -1 ? -DST : (uint64_t)((int64_t)DST / (int64_t)SRC))
	BINOP64(OR64, |)
	BINOP64(AND64, &)
	ALU64(LSH64, DST << (pc->imm & 63), DST << (SRC & 63))
	ALU64(RSH64, DST >> (pc->imm & 63), DST >> (SRC & 63))
	OP(NEG64) { DST = -DST; NEXT(); }
	ALU64(MOD64, IMM ? DST % IMM : DST, SRC ? DST % SRC : DST)
	ALU64(SMOD64,
	      (int64_t)IMM == 0 ? DST : (int64_t)IMM == -1 ? 0 : (uint64_t)((int64_t)DST % (int64_t)IMM),
	      (int64_t)SRC == 0 ? DST : (int64_t)SRC == -1 ? 0 : (uint64_t)((int64_t)DST % (int64_t)SRC))
	BINOP64(XOR64, ^)
	ALU64(MOV64, IMM, SRC)
	OP(MOVSX8_64) { DST = (uint64_t)(int64_t)(int8_t)SRC; NEXT(); }
	OP(MOVSX16_64) { DST = (uint64_t)(int64_t)(int16_t)SRC; NEXT(); }
	OP(MOVSX32_64) { DST = (uint64_t)(int64_t)(int32_t)SRC; NEXT(); }
	ALU64(ARSH64, (uint64_t)((int64_t)DST >> (pc->imm & 63)),
	      (uint64_t)((int64_t)DST >> (SRC & 63)))
	OP(BSWAP16) { DST = __builtin_bswap16((uint16_t)DST); NEXT(); }
	OP(BSWAP32) { DST = __builtin_bswap32((uint32_t)DST); NEXT(); }
	OP(BSWAP64) { DST = __builtin_bswap64(DST); NEXT(); }
	/* ALU32: operate on the low halves, zero-extend the result */
	BINOP32(ADD32, +)
	BINOP32(SUB32, -)
	BINOP32(MUL32, *)
	ALU64(DIV32, W(pc->imm) ? W(DST) / W(pc->imm) : 0, W(SRC) ? W(DST) / W(SRC) : 0)
	ALU64(SDIV32,
	      pc->imm == 0 ? 0 : pc->imm == -1 ? W(-W(DST)) : W((int32_t)W(DST) / pc->imm),
	      (int32_t)W(SRC) == 0 ? 0 : (int32_t)W(SRC) == -1 ? W(-W(DST))
	      : W((int32_t)W(DST) / (int32_t)W(SRC)))
	BINOP32(OR32, |)
	BINOP32(AND32, &)
	ALU64(LSH32, W(W(DST) << (pc->imm & 31)), W(W(DST) << (SRC & 31)))
	ALU64(RSH32, W(DST) >> (pc->imm & 31), W(DST) >> (SRC & 31))
	OP(NEG32) { DST = W(-W(DST)); NEXT(); }
	ALU64(MOD32, W(pc->imm) ? W(DST) % W(pc->imm) : W(DST), W(SRC) ? W(DST) % W(SRC) : W(DST))
	ALU64(SMOD32,
	      pc->imm == 0 ? W(DST) : pc->imm == -1 ? 0 : W((int32_t)W(DST) % pc->imm),
	      (int32_t)W(SRC) == 0 ? W(DST) : (int32_t)W(SRC) == -1 ? 0
	      : W((int32_t)W(DST) % (int32_t)W(SRC)))
	BINOP32(XOR32, ^)
	ALU64(MOV32, W(pc->imm), W(SRC))
	OP(MOVSX8_32) { DST = W((int32_t)(int8_t)SRC); NEXT(); }
	OP(MOVSX16_32) { DST = W((int32_t)(int16_t)SRC); NEXT(); }
	ALU64(ARSH32, W((int32_t)W(DST) >> (pc->imm & 31)), W((int32_t)W(DST) >> (SRC & 31)))
	OP(LE16) { DST = (uint16_t)DST; NEXT(); }
	OP(LE32) { DST = W(DST); NEXT(); }
	OP(LE64) { NEXT(); }
	OP(BE16) { DST = __builtin_bswap16((uint16_t)DST); NEXT(); }
	OP(BE32) { DST = __builtin_bswap32(W(DST)); NEXT(); }
	OP(BE64) { DST = __builtin_bswap64(DST); NEXT(); }
	/* LD */
	OP(LDDW) { DST = pc[1].h.imm64; pc += 2; DISPATCH(); }
	LD_PACKET(LDABSW, 0, 4)
	LD_PACKET(LDABSH, 0, 2)
	LD_PACKET(LDABSB, 0, 1)
	LD_PACKET(LDABSDW, 0, 8)
	LD_PACKET(LDINDW, (int32_t)W(SRC), 4)
	LD_PACKET(LDINDH, (int32_t)W(SRC), 2)
	LD_PACKET(LDINDB, (int32_t)W(SRC), 1)
	LD_PACKET(LDINDDW, (int32_t)W(SRC), 8)
	/* LDX */
	LDX(LDXW, uint32_t, uint64_t)
	LDX(LDXH, uint16_t, uint64_t)
	LDX(LDXB, uint8_t, uint64_t)
	LDX(LDXDW, uint64_t, uint64_t)
	LDX(LDXSW, int32_t, int64_t)
	LDX(LDXSH, int16_t, int64_t)
	LDX(LDXSB, int8_t, int64_t)
	/* ST / STX */
	ST(STW, uint32_t)
	ST(STH, uint16_t)
	ST(STB, uint8_t)
	OP(STDW) { CHECK_MEM(DST + pc->off, 8, true); STORE(uint64_t, DST + pc->off, IMM); NEXT(); }
	STX(STXW, uint32_t)
	STX(STXH, uint16_t)
	STX(STXB, uint8_t)
	STX(STXDW, uint64_t)
	/* atomics: fetch forms return the old value (32-bit: zero-extended) in src */
	ATOMIC(ATOMIC32_ADD, uint32_t, __atomic_fetch_add, (void)old_)
	ATOMIC(ATOMIC32_OR, uint32_t, __atomic_fetch_or, (void)old_)
	ATOMIC(ATOMIC32_AND, uint32_t, __atomic_fetch_and, (void)old_)
	ATOMIC(ATOMIC32_XOR, uint32_t, __atomic_fetch_xor, (void)old_)
	ATOMIC(ATOMIC32_FETCH_ADD, uint32_t, __atomic_fetch_add, SRC = old_)
	ATOMIC(ATOMIC32_FETCH_OR, uint32_t, __atomic_fetch_or, SRC = old_)
	ATOMIC(ATOMIC32_FETCH_AND, uint32_t, __atomic_fetch_and, SRC = old_)
	ATOMIC(ATOMIC32_FETCH_XOR, uint32_t, __atomic_fetch_xor, SRC = old_)
	ATOMIC(ATOMIC32_XCHG, uint32_t, __atomic_exchange_n, SRC = old_)
	ATOMIC(ATOMIC64_ADD, uint64_t, __atomic_fetch_add, (void)old_)
	ATOMIC(ATOMIC64_OR, uint64_t, __atomic_fetch_or, (void)old_)
	ATOMIC(ATOMIC64_AND, uint64_t, __atomic_fetch_and, (void)old_)
	ATOMIC(ATOMIC64_XOR, uint64_t, __atomic_fetch_xor, (void)old_)
	ATOMIC(ATOMIC64_FETCH_ADD, uint64_t, __atomic_fetch_add, SRC = old_)
	ATOMIC(ATOMIC64_FETCH_OR, uint64_t, __atomic_fetch_or, SRC = old_)
	ATOMIC(ATOMIC64_FETCH_AND, uint64_t, __atomic_fetch_and, SRC = old_)
	ATOMIC(ATOMIC64_FETCH_XOR, uint64_t, __atomic_fetch_xor, SRC = old_)
	ATOMIC(ATOMIC64_XCHG, uint64_t, __atomic_exchange_n, SRC = old_)
	OP(ATOMIC32_CMPXCHG) {
		uint32_t expected = W(reg[0]);

		CHECK_MEM(DST + pc->off, 4, true);
		__atomic_compare_exchange_n((uint32_t *)(uintptr_t)(DST + pc->off), &expected,
					    W(SRC), false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
		reg[0] = expected;
		NEXT();
	}
	OP(ATOMIC64_CMPXCHG) {
		uint64_t expected = reg[0];

		CHECK_MEM(DST + pc->off, 8, true);
		__atomic_compare_exchange_n((uint64_t *)(uintptr_t)(DST + pc->off), &expected,
					    SRC, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
		reg[0] = expected;
		NEXT();
	}
	/* JMP */
	OP(JA) { pc += pc->off + 1; DISPATCH(); }
	JUMP(JEQ, uint64_t, ==)
	JUMP(JGT, uint64_t, >)
	JUMP(JGE, uint64_t, >=)
	OP(JSET_IMM) { pc += (DST & IMM) ? pc->off + 1 : 1; DISPATCH(); }
	OP(JSET_REG) { pc += (DST & SRC) ? pc->off + 1 : 1; DISPATCH(); }
	JUMP(JNE, uint64_t, !=)
	JUMP(JSGT, int64_t, >)
	JUMP(JSGE, int64_t, >=)
	JUMP(JLT, uint64_t, <)
	JUMP(JLE, uint64_t, <=)
	JUMP(JSLT, int64_t, <)
	JUMP(JSLE, int64_t, <=)
	OP(JA32) { pc += pc->imm + 1; DISPATCH(); }
	JUMP32(JEQ32, uint32_t, ==)
	JUMP32(JGT32, uint32_t, >)
	JUMP32(JGE32, uint32_t, >=)
	OP(JSET32_IMM) { pc += (W(DST) & W(pc->imm)) ? pc->off + 1 : 1; DISPATCH(); }
	OP(JSET32_REG) { pc += (W(DST) & W(SRC)) ? pc->off + 1 : 1; DISPATCH(); }
	JUMP32(JNE32, uint32_t, !=)
	JUMP32(JSGT32, int32_t, >)
	JUMP32(JSGE32, int32_t, >=)
	JUMP32(JLT32, uint32_t, <)
	JUMP32(JLE32, uint32_t, <=)
	JUMP32(JSLT32, int32_t, <)
	JUMP32(JSLE32, int32_t, <=)
	/* fault-tolerant kernel memory load: never checked, a fault reads 0 */
	XOP(PROBE_LDX) {
		DST = emu_interp_probe_load(SRC + pc->off, pc->imm);
		NEXT();
	}
	/* calls */
	XOP(CALL_HELPER) {
		run->depth = EMU_MAX_CALL_FRAMES - 1 - max_depth + depth;
		CHECK_HELPER_BEFORE(xp->helper_ids[pc->imm]);
		reg[0] = xp->helpers[pc->imm](reg[1], reg[2], reg[3], reg[4], reg[5]);
		if (run->stop)
			INTERP_RETURN(run->stop_r0);
		CHECK_HELPER_AFTER(xp->helper_ids[pc->imm]);
		NEXT();
	}
	XOP(TAIL_CALL) {
		const struct emu_exec_prog *target = xp;

		if (emu_interp_tail_call(run, reg[2], reg[3], &target) == 0) {
			/* the callee reuses this frame: r1 (ctx) and r10 stay */
			xp = target;
			CHECK_TAIL_CALL(xp->prog);
			pc = INSNS(xp);
			DISPATCH();
		}
		NEXT();
	}
	OP(CALLX) {
		const struct emu_xinsn *target = FUNC_TARGET(xp, DST);

		if (!target) {
			run->depth = EMU_MAX_CALL_FRAMES - 1 - max_depth + depth;
			reg[0] = emu_helper_call_by_id((int32_t)DST, reg);
			if (run->stop)
				INTERP_RETURN(run->stop_r0);
			NEXT();
		}
		if (depth >= max_depth)
			goto too_deep;
		frames[depth].ret = pc + 1;
		frames[depth].xp = xp;
		memcpy(frames[depth].saved, &reg[6], sizeof(frames[depth].saved));
		depth++;
		reg[10] = (uint64_t)(uintptr_t)stack[depth] + EMU_STACK_SIZE;
		pc = target;
		DISPATCH();
	}
	XOP(CALL_LOCAL) {
		if (depth >= max_depth)
			goto too_deep;
		frames[depth].ret = pc + 1;
		frames[depth].xp = xp;
		memcpy(frames[depth].saved, &reg[6], sizeof(frames[depth].saved));
		depth++;
		reg[10] = (uint64_t)(uintptr_t)stack[depth] + EMU_STACK_SIZE;
		pc += pc->imm + 1;
		DISPATCH();
	}
	OP(EXIT) {
		if (depth == 0)
			INTERP_RETURN(reg[0]);
		depth--;
		memcpy(&reg[6], frames[depth].saved, sizeof(frames[depth].saved));
		pc = frames[depth].ret;
		xp = frames[depth].xp;
		DISPATCH();
	}
	OP(CALL) XOP(CALL_KFUNC) OP(INVALID) {
		emu_run_fault(run, -EINVAL, "pc %td: instruction cannot be executed",
			      pc - INSNS(xp));
		INTERP_RETURN(0);
	}
#ifndef INTERP_COMPUTED_GOTO
	default:
		emu_run_fault(run, -EFAULT, "pc %td: internal error: bad dispatch %lu",
			      pc - INSNS(xp), (unsigned long)pc->h.op);
		INTERP_RETURN(0);
	}
#endif
too_deep:
	emu_run_fault(run, -E2BIG, "pc %td: the call stack is too deep (%d frames)",
		      pc - INSNS(xp), EMU_MAX_CALL_FRAMES);
	INTERP_RETURN(0);
}

