/* helpers_trace.c - helpers that produce output (trace_printk, trace_vprintk,
 * snprintf, perf event and ring buffer records) or read memory without faulting
 * (probe_read_*: emulated ranges first, then the process's own memory). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "helpers.h"
#include "progtype.h"

#define PTR(r) ((void *)(uintptr_t)(r))
#define MAP(r) ((struct emu_map *)(uintptr_t)(r))
#define BPRINTF_BUF 1024        /* MAX_BPRINTF_BUF: trace_printk output per call */
#define BPRINTF_MAX_VARARGS 12  /* MAX_BPRINTF_VARARGS */

/* Read host memory of this process without crashing on a bad address. */
static long read_host(void *dst, uint32_t size, uint64_t addr)
{
	struct iovec local = { dst, size }, remote = { PTR(addr), size };

	if (!addr)
		return -EFAULT;
	return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)size ? 0
										       : -EFAULT;
}

long emu_helpers_read_mem(void *dst, uint32_t size, uint64_t addr, bool user)
{
	uint64_t avail;
	const uint8_t *p = emu_helpers_memory(addr, user, &avail);

	if (p && avail >= size) {
		memcpy(dst, p, size);
		return 0;
	}
	if (!p && size && read_host(dst, size, addr) == 0)
		return 0;
	memset(dst, 0, size);
	return -EFAULT;
}

#define KERNEL_HALF 0xffff800000000000ull /* x86-64: no user-space pointer is up there */

const void *emu_helpers_input(uint64_t addr, uint64_t size, void **copy)
{
	*copy = NULL;
	if (addr < KERNEL_HALF)
		return PTR(addr);
	*copy = calloc(1, size ? size : 1);
	if (*copy && size <= UINT32_MAX)
		(void)emu_helpers_read_mem(*copy, (uint32_t)size, addr, false);
	return *copy;
}

#define READ_STR_PAGE 4096u

/* In chunks that never cross a page boundary, so that a string ending just before
 * unmapped memory still reads (the kernel's strncpy_from_kernel_nofault result:
 * length with the NUL, or -EFAULT with dst cleared). */
long emu_helpers_read_str(char *dst, uint32_t size, uint64_t addr, bool user)
{
	uint32_t done = 0;

	if (!size)
		return 0;
	while (done + 1 < size) {
		uint32_t chunk = READ_STR_PAGE - (uint32_t)((addr + done) % READ_STR_PAGE);
		char *nul;

		if (chunk > size - 1 - done)
			chunk = size - 1 - done;
		/* a range ending inside the chunk (emulated memory): go byte by byte */
		if (emu_helpers_read_mem(dst + done, chunk, addr + done, user) < 0)
			chunk = 1;
		if (chunk == 1 && emu_helpers_read_mem(dst + done, 1, addr + done, user) < 0) {
			memset(dst, 0, size);
			return -EFAULT;
		}
		nul = memchr(dst + done, 0, chunk);
		if (nul)
			return nul - dst + 1;
		done += chunk;
	}
	dst[done] = '\0';
	return size;
}

static uint64_t trace_emit(const char *fmt, uint32_t fmt_size, const uint64_t *args,
			   uint32_t num_args)
{
	char buf[BPRINTF_BUF];
	int len = emu_helpers_format(buf, sizeof(buf), fmt, fmt_size, args, num_args);

	if (len < 0)
		return (uint64_t)(int64_t)len;
	/* one trace_pipe line per message: a missing final newline is supplied */
	size_t n = strlen(buf);
	emu_helpers_trace_append(buf, n);
	if (!n || buf[n - 1] != '\n')
		emu_helpers_trace_append("\n", 1);
	return (uint64_t)len;
}

EMU_HELPER(trace_printk)
{
	const uint64_t args[3] = { r3, r4, r5 };
	void *copy;
	const char *fmt = emu_helpers_input(r1, r2, &copy);
	uint64_t ret = fmt ? trace_emit(fmt, (uint32_t)r2, args, 3) : (uint64_t)-ENOMEM;

	free(copy);
	return ret;
}

static bool vararg_size_ok(uint64_t data, uint32_t data_len)
{
	return data_len % 8 == 0 && data_len / 8 <= BPRINTF_MAX_VARARGS && (data || !data_len);
}

EMU_HELPER(trace_vprintk)
{
	if (!vararg_size_ok(r3, (uint32_t)r4))
		return (uint64_t)-EINVAL;
	return trace_emit(PTR(r1), (uint32_t)r2, PTR(r3), (uint32_t)r4 / 8);
}

/* bpf_snprintf(str, str_size, fmt, data, data_len): bytes written incl. the NUL. */
EMU_HELPER(snprintf)
{
	const char *fmt = PTR(r3);
	int len;

	if (!vararg_size_ok(r4, (uint32_t)r5))
		return (uint64_t)-EINVAL;
	/* the verifier lets a maybe-NULL map value through as str (ARG_PTR_TO_MEM |
	 * PTR_MAYBE_NULL, as 6.18 does): NULL with a size is refused, not written */
	if (!r1 && (uint32_t)r2)
		return (uint64_t)-EFAULT;
	len = emu_helpers_format(PTR(r1), (uint32_t)r2, fmt, (uint32_t)strlen(fmt) + 1, PTR(r4),
				 (uint32_t)r5 / 8);
	return len < 0 ? (uint64_t)(int64_t)len : (uint64_t)len + 1;
}

EMU_HELPER(probe_read_kernel)
{
	return (uint64_t)emu_helpers_read_mem(PTR(r1), (uint32_t)r2, r3, false);
}

EMU_HELPER(probe_read_user)
{
	return (uint64_t)emu_helpers_read_mem(PTR(r1), (uint32_t)r2, r3, true);
}

EMU_HELPER(probe_read)
{
	return emu_helper_probe_read_kernel(r1, r2, r3, r4, r5);
}

EMU_HELPER(probe_read_kernel_str)
{
	return (uint64_t)emu_helpers_read_str(PTR(r1), (uint32_t)r2, r3, false);
}

EMU_HELPER(probe_read_user_str)
{
	return (uint64_t)emu_helpers_read_str(PTR(r1), (uint32_t)r2, r3, true);
}

EMU_HELPER(probe_read_str)
{
	return emu_helper_probe_read_kernel_str(r1, r2, r3, r4, r5);
}

/* Packet bytes of an XDP or __sk_buff ctx: where they start and how many there are;
 * false for other program types. */
static bool ctx_packet(const struct emu_run *run, uint64_t ctx, const uint8_t **data,
		       uint64_t *len)
{
	uint32_t type = run && run->prog ? run->prog->type : 0;

	if (type == BPF_PROG_TYPE_XDP) {
		const struct emu_ctx_xdp *xdp = PTR(ctx);

		*data = PTR(xdp->data);
		*len = xdp->data_end - xdp->data;
		return true;
	}
	if (type == BPF_PROG_TYPE_SOCKET_FILTER || type == BPF_PROG_TYPE_SCHED_CLS ||
	    type == BPF_PROG_TYPE_SCHED_ACT || type == BPF_PROG_TYPE_CGROUP_SKB) {
		const struct emu_ctx_skb *skb = PTR(ctx);

		*data = PTR(skb->data);
		*len = skb->uapi.len;
		return true;
	}
	return false;
}

/* bpf_perf_event_output(ctx, map, flags, data, size). Packet programs may ask for
 * (flags & BPF_F_CTXLEN_MASK) >> 32 packet bytes appended to the record. */
EMU_HELPER(perf_event_output)
{
	const uint8_t *packet = NULL;
	uint64_t packet_len = 0, ctx_len = (r3 & BPF_F_CTXLEN_MASK) >> 32;
	bool has_packet = ctx_packet(emu_run_current(), r1, &packet, &packet_len);
	uint8_t *record;
	long ret;

	if (r3 & ~(BPF_F_INDEX_MASK | (has_packet ? BPF_F_CTXLEN_MASK : 0)))
		return (uint64_t)-EINVAL;
	void *copy;
	const void *data = emu_helpers_input(r4, r5, &copy);
	if (!data)
		return (uint64_t)-ENOMEM;
	if (!ctx_len) {
		ret = emu_perf_event_output(MAP(r2), r3, data, r5);
		free(copy);
		return (uint64_t)ret;
	}
	record = ctx_len <= packet_len ? malloc(r5 + ctx_len) : NULL;
	if (record) {
		memcpy(record, data, r5);
		memcpy(record + r5, packet, ctx_len);
		ret = emu_perf_event_output(MAP(r2), r3 & BPF_F_INDEX_MASK, record, r5 + ctx_len);
	} else {
		ret = ctx_len > packet_len ? -EFAULT : -ENOMEM;
	}
	free(record);
	free(copy);
	return (uint64_t)ret;
}

EMU_HELPER(ringbuf_output)
{
	void *copy;
	const void *data = emu_helpers_input(r2, r3, &copy);
	long ret = data ? emu_ringbuf_output(MAP(r1), data, r3, r4) : -ENOMEM;

	free(copy);
	return (uint64_t)ret;
}

/* Non-zero flags make the kernel return NULL. */
EMU_HELPER(ringbuf_reserve)
{
	if (r3)
		return 0;
	return (uint64_t)(uintptr_t)emu_ringbuf_reserve(MAP(r1), r2, r3);
}

EMU_HELPER(ringbuf_submit)
{
	emu_ringbuf_commit(PTR(r1), false, r2);
	return 0;
}

EMU_HELPER(ringbuf_discard)
{
	emu_ringbuf_commit(PTR(r1), true, r2);
	return 0;
}

EMU_HELPER(ringbuf_query)
{
	return emu_ringbuf_query(MAP(r1), r2);
}

/* ---- ring buffer dynptrs: struct bpf_dynptr as the kernel's bpf_dynptr_kern ---- */

#define DYNPTR_SIZE_MASK 0xffffffu
#define DYNPTR_TYPE_SHIFT 28
#define DYNPTR_RDONLY_BIT 0x80000000u
#define DYNPTR_TYPE_RINGBUF 2u

struct emu_dynptr {
	uint8_t *data;   /* record, NULL for a null dynptr */
	uint32_t size;   /* bytes | type << 28 | read-only bit */
	uint32_t offset; /* start inside data */
};

static void dynptr_set_null(struct emu_dynptr *d)
{
	memset(d, 0, sizeof(*d));
}

static uint32_t dynptr_size(const struct emu_dynptr *d)
{
	return d->size & DYNPTR_SIZE_MASK;
}

/* Kernel bpf_dynptr_check_off_len. */
static long dynptr_check(const struct emu_dynptr *d, uint64_t offset, uint64_t len)
{
	uint32_t size = dynptr_size(d);
	return len > size || offset > size - len ? -E2BIG : 0;
}

EMU_HELPER(ringbuf_reserve_dynptr)
{
	struct emu_dynptr *d = PTR(r4);
	(void)r5;
	if (r3) {
		dynptr_set_null(d);
		return (uint64_t)-EINVAL;
	}
	if (r2 > DYNPTR_SIZE_MASK) {
		dynptr_set_null(d);
		return (uint64_t)-E2BIG;
	}
	uint8_t *record = emu_ringbuf_reserve(MAP(r1), r2, 0);
	if (!record) {
		dynptr_set_null(d);
		return (uint64_t)-EINVAL;
	}
	*d = (struct emu_dynptr){ record, (uint32_t)r2 | DYNPTR_TYPE_RINGBUF << DYNPTR_TYPE_SHIFT, 0 };
	return 0;
}

static uint64_t dynptr_commit(uint64_t dynptr, bool discard, uint64_t flags)
{
	struct emu_dynptr *d = PTR(dynptr);
	if (d->data)
		emu_ringbuf_commit(d->data, discard, flags);
	dynptr_set_null(d);
	return 0;
}

EMU_HELPER(ringbuf_submit_dynptr)
{
	(void)r3, (void)r4, (void)r5;
	return dynptr_commit(r1, false, r2);
}

EMU_HELPER(ringbuf_discard_dynptr)
{
	(void)r3, (void)r4, (void)r5;
	return dynptr_commit(r1, true, r2);
}

/* bpf_dynptr_read(dst, len, src, offset, flags) */
EMU_HELPER(dynptr_read)
{
	const struct emu_dynptr *d = PTR(r3);
	if (!d->data || r5)
		return (uint64_t)-EINVAL;
	long err = dynptr_check(d, r4, r2);
	if (err)
		return (uint64_t)err;
	memmove(PTR(r1), d->data + d->offset + r4, (uint32_t)r2);
	return 0;
}

/* bpf_dynptr_write(dst, offset, src, len, flags) */
EMU_HELPER(dynptr_write)
{
	const struct emu_dynptr *d = PTR(r1);
	if (!d->data || (d->size & DYNPTR_RDONLY_BIT))
		return (uint64_t)-EINVAL;
	long err = dynptr_check(d, r2, r4);
	if (err)
		return (uint64_t)err;
	if (r5)
		return (uint64_t)-EINVAL;
	void *copy;
	const void *src = emu_helpers_input(r3, r4, &copy);
	if (!src)
		return (uint64_t)-ENOMEM;
	memmove(d->data + d->offset + r2, src, (uint32_t)r4);
	free(copy);
	return 0;
}

/* bpf_dynptr_data(ptr, offset, len): NULL outside the dynptr or when read-only. */
EMU_HELPER(dynptr_data)
{
	const struct emu_dynptr *d = PTR(r1);
	(void)r4, (void)r5;
	if (!d->data || dynptr_check(d, r2, r3) || (d->size & DYNPTR_RDONLY_BIT))
		return 0;
	return (uint64_t)(uintptr_t)(d->data + d->offset + r2);
}
