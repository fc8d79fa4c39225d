/* progtype.c - registry of program types and the ctx access check/rewrite shared by the
 * verifier and the execution side (tables live in progtype_skb.c, progtype_other.c). */
#include <errno.h>
#include <stddef.h>

#include "progtype.h"
#include "progtype_int.h"

static const struct emu_progtype *const progtype_all[] = {
	&emu_progtype_socket_filter, &emu_progtype_sched_cls, &emu_progtype_sched_act,
	&emu_progtype_cgroup_skb, &emu_progtype_flow_dissector, &emu_progtype_xdp,
	&emu_progtype_kprobe, &emu_progtype_tracepoint, &emu_progtype_perf_event,
	&emu_progtype_raw_tracepoint, &emu_progtype_raw_tracepoint_writable,
	&emu_progtype_cgroup_sock_addr, &emu_progtype_lsm, &emu_progtype_netfilter,
	&emu_progtype_syscall, &emu_progtype_tracing,
};

const struct emu_progtype *emu_progtype_get(uint32_t type)
{
	for (size_t i = 0; i < sizeof(progtype_all) / sizeof(progtype_all[0]); i++)
		if (progtype_all[i]->type == type)
			return progtype_all[i];
	return NULL;
}

static bool progtype_size_ok(uint32_t size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

/* Raw contexts: any aligned access of an allowed size inside the window. */
static int progtype_raw_access(const struct emu_progtype *pt, int32_t off, uint32_t size,
			       bool write, struct emu_ctx_access *out)
{
	uint8_t need = write ? EMU_CTX_WRITE : EMU_CTX_READ;

	if (!(pt->raw_access & need) || size < pt->raw_min_size)
		return -EACCES;
	if (off < (int32_t)pt->raw_min_off || (uint64_t)off + size > pt->ctx_size)
		return -EACCES;
	out->field = NULL;
	out->kind = EMU_CTX_SCALAR;
	out->runtime_off = (uint32_t)off;
	out->runtime_size = size;
	return 0;
}

static const struct emu_ctx_field *progtype_find_field(const struct emu_progtype *pt,
							int32_t off)
{
	for (uint32_t i = 0; i < pt->field_count; i++) {
		const struct emu_ctx_field *f = &pt->fields[i];

		if (off >= f->off && off < f->off + f->size * f->count)
			return f;
	}
	return NULL;
}

/* Is an access of `size` bytes at `inner` bytes into element `elem` of `f` allowed? */
static bool progtype_size_allowed(const struct emu_ctx_field *f, uint32_t elem,
				  uint32_t inner, uint32_t size, bool write)
{
	if (size == f->size)
		return inner == 0;
	if (size < f->size) {
		if (f->kind != EMU_CTX_SCALAR)
			return false;
		return (f->access & (write ? EMU_CTX_NARROW_WRITE : EMU_CTX_NARROW)) != 0;
	}
	return size == 2u * f->size && inner == 0 && (f->access & EMU_CTX_WIDE) &&
	       elem + 1 < f->count;
}

static bool progtype_attach_ok(const struct emu_ctx_field *f, uint32_t attach)
{
	if (!f->attach_mask || attach == EMU_ATTACH_ANY)
		return true;
	return attach < 64 && (f->attach_mask & (1ull << attach));
}

int emu_progtype_ctx_access(const struct emu_progtype *pt, int32_t off, uint32_t size,
			    bool write, struct emu_ctx_access *out)
{
	return emu_progtype_ctx_access_attach(pt, EMU_ATTACH_ANY, off, size, write, out);
}

int emu_progtype_ctx_access_attach(const struct emu_progtype *pt, uint32_t attach,
				   int32_t off, uint32_t size, bool write,
				   struct emu_ctx_access *out)
{
	const struct emu_ctx_field *f;
	uint32_t pos, elem, inner;

	if (!pt || !out || !progtype_size_ok(size) || off < 0 || off % (int32_t)size)
		return -EACCES;
	if (!pt->fields)
		return progtype_raw_access(pt, off, size, write, out);
	f = progtype_find_field(pt, off);
	if (!f || !(f->access & (write ? EMU_CTX_WRITE : EMU_CTX_READ)) ||
	    !progtype_attach_ok(f, attach))
		return -EACCES;
	pos = (uint32_t)off - f->off;
	elem = pos / f->size;
	inner = pos % f->size;
	/* raw_tp_writable_prog_is_valid_access: only the whole args[0] is the buffer
	 * pointer; its other bytes read as plain scalars */
	if (f->kind == EMU_CTX_TP_BUFFER && inner && !write) {
		out->field = f;
		out->kind = EMU_CTX_SCALAR;
		out->runtime_off = f->runtime_off + pos;
		out->runtime_size = size;
		return 0;
	}
	if (!progtype_size_allowed(f, elem, inner, size, write))
		return -EACCES;
	out->field = f;
	out->kind = (enum emu_ctx_kind)f->kind;
	out->runtime_off = f->runtime_off + elem * f->runtime_size + inner;
	out->runtime_size = f->kind == EMU_CTX_SCALAR ? size : f->runtime_size;
	return 0;
}

static uint8_t progtype_size_bits(uint32_t size)
{
	switch (size) {
	case 1: return OBJFMT_SIZE_B;
	case 2: return OBJFMT_SIZE_H;
	case 8: return OBJFMT_SIZE_DW;
	default: return OBJFMT_SIZE_W;
	}
}

void emu_progtype_ctx_convert(const struct emu_ctx_access *access, struct objfmt_insn *insn)
{
	insn->off = (int16_t)access->runtime_off;
	insn->code = (uint8_t)((insn->code & ~0x18) | progtype_size_bits(access->runtime_size));
}
