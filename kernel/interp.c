/* interp.c - the interpreter loop: one small handler per row of OBJFMT_OPCODES (plus
 * the call forms chosen at prepare time), dispatched by computed goto, or by a switch
 * when EMU_INTERP_SWITCH is defined or the compiler lacks label addresses. The program
 * was verified and pre-decoded: nothing is re-validated here. Semantics: RFC 9669. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "interp.h"
#include "progtype.h"

#if defined(__GNUC__) && !defined(EMU_INTERP_SWITCH)
#define INTERP_COMPUTED_GOTO 1
#endif

static _Thread_local struct emu_run *run_current;

struct emu_run *emu_run_current(void)
{
	return run_current;
}

void emu_run_enter(struct emu_run *run)
{
	run->outer = run_current;
	run_current = run;
}

void emu_run_leave(struct emu_run *run)
{
	run_current = run->outer;
}

void emu_run_fault(struct emu_run *run, int err, const char *fmt, ...)
{
	va_list ap;

	if (run->fault)
		return;
	run->fault = err;
	va_start(ap, fmt);
	vsnprintf(run->fault_msg, sizeof(run->fault_msg), fmt, ap);
	va_end(ap);
	run->stop = true;
	run->stop_r0 = 0;
}

uint64_t emu_interp_probe_load(uint64_t addr, int32_t form)
{
	uint32_t size = (uint32_t)form & 0xff;
	uint8_t bytes[8] = { 0 };
	uint64_t value = 0;

	if (size > sizeof(bytes) || emu_helpers_read_mem(bytes, size, addr, false) < 0)
		return 0;
	for (uint32_t i = size; i-- > 0;)
		value = value << 8 | bytes[i];
	if ((form & INTERP_PROBE_SIGNED) && size < 8) {
		uint32_t shift = 64 - 8 * size;
		value = (uint64_t)((int64_t)(value << shift) >> shift);
	}
	return value;
}

#define INTERP_LOOP_NAME interp_exec
#define INTERP_LOOP_LINKAGE static
#include "interp_loop.h"

const void *const *emu_interp_labels(void)
{
	const void *const *labels = NULL;

	interp_exec(NULL, NULL, INTERP_GET_LABELS, NULL, &labels);
	return labels;
}

uint64_t emu_interp_run(struct emu_run *run, struct emu_prog *prog, uint64_t r1,
			uint64_t r2)
{
	const struct emu_exec_prog *xp = prog->exec;
	const uint64_t args[5] = { r1, r2, 0, 0, 0 };
	uint64_t r0;

	run->prog = prog;
	run->stop = false;
	run->depth = 0;
	run->tail_call_cnt = 0;
	emu_run_enter(run);
	if (emu_interp_checked_enabled())
		r0 = emu_interp_run_checked(run, prog, args);
	else
		r0 = interp_exec(run, xp, xp->insns, args, NULL);
	emu_run_leave(run);
	return run->fault ? 0 : r0;
}

uint64_t emu_interp_call(struct emu_run *run, uint64_t func, const uint64_t args[5])
{
	const struct emu_exec_prog *xp = run->prog->exec;
	const struct emu_xinsn *target = interp_func_target(xp, func);
	uint32_t caller_depth = run->depth;
	uint64_t r0;

	if (!target) {
		emu_run_fault(run, -EINVAL, "callback %#llx is not a function of the program",
			      (unsigned long long)func);
		return 0;
	}
	if (caller_depth + 1 >= EMU_MAX_CALL_FRAMES) {
		emu_run_fault(run, -E2BIG, "callbacks nested too deep (%d frames)",
			      EMU_MAX_CALL_FRAMES);
		return 0;
	}
	run->depth = caller_depth + 1;
	if (run->check)
		r0 = emu_interp_call_checked(run, xp->checked_insns + (target - xp->insns), args);
	else
		r0 = interp_exec(run, xp, target, args, NULL);
	run->depth = caller_depth;
	return r0;
}
