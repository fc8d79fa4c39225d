/* test_run.c - BPF_PROG_TEST_RUN: dispatch by program type, the kernel's common input
 * and output rules (bpf_ctx_init, bpf_test_finish, bpf_ctx_finish, the repeat loop),
 * and the runs of types without a packet: raw_tracepoint and syscall as the kernel
 * runs them, and a ctx-only run for the types the kernel cannot test-run (kprobe,
 * tracepoint, perf_event, raw_tracepoint_writable, cgroup_sock_addr, lsm, netfilter). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helpers.h"
#include "progtype.h"
#include "test_run.h"

#define PTR(x) ((void *)(uintptr_t)(x))
#define RAW_TP_MAX_CTX (12 * 8) /* MAX_BPF_FUNC_ARGS * sizeof(u64) */

/* The kernel's test timer stops while the task is rescheduled; the thread's CPU
 * clock is the same idea for the emulator, which may share its CPU with others. */
static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int test_run_loop(struct emu_run *run, struct emu_prog *prog, void *ctx, uint32_t repeat,
		  uint32_t *retval, uint32_t *duration)
{
	uint64_t start, spent, r0 = 0;
	uint32_t i;

	if (!repeat)
		repeat = 1;
	run->ctx = ctx;
	start = now_ns();
	for (i = 0; i < repeat && !run->fault; i++) {
		run->tail_call_cnt = 0;
		r0 = emu_interp_run(run, prog, (uint64_t)(uintptr_t)ctx, 0);
	}
	if (!run->fault) /* bpf_timer callbacks the runs armed */
		emu_timers_fire(run);
	spent = (now_ns() - start) / repeat;
	*retval = (uint32_t)r0;
	*duration = spent > UINT32_MAX ? UINT32_MAX : (uint32_t)spent;
	return run->fault;
}

static bool bytes_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

void *test_run_ctx_init(const union bpf_attr *attr, uint32_t max_size, int *err)
{
	const uint8_t *in = PTR(attr->test.ctx_in);
	uint32_t size = attr->test.ctx_size_in;
	uint8_t *ctx;

	*err = 0;
	if (!in && !attr->test.ctx_out)
		return NULL;
	ctx = calloc(1, max_size ? max_size : 1);
	if (!ctx) {
		*err = -ENOMEM;
		return NULL;
	}
	if (in) {
		if (size > max_size && (size > TEST_RUN_PAGE_SIZE ||
					!bytes_zero(in + max_size, size - max_size))) {
			free(ctx);
			*err = -E2BIG;
			return NULL;
		}
		memcpy(ctx, in, size < max_size ? size : max_size);
	}
	return ctx;
}

int test_run_finish(union bpf_attr *attr, const void *data, uint32_t size, uint32_t retval,
		    uint32_t duration)
{
	uint32_t copy = size;
	int err = 0;

	if (attr->test.data_out && attr->test.data_size_out && copy > attr->test.data_size_out) {
		copy = attr->test.data_size_out;
		err = -ENOSPC;
	}
	if (attr->test.data_out && copy)
		memcpy(PTR(attr->test.data_out), data, copy);
	attr->test.data_size_out = size;
	attr->test.retval = retval;
	attr->test.duration = duration;
	return err;
}

int test_run_ctx_finish(union bpf_attr *attr, const void *ctx, uint32_t size)
{
	uint32_t copy = size;
	int err = 0;

	if (!ctx || !attr->test.ctx_out)
		return 0;
	if (copy > attr->test.ctx_size_out) {
		copy = attr->test.ctx_size_out;
		err = -ENOSPC;
	}
	memcpy(PTR(attr->test.ctx_out), ctx, copy);
	attr->test.ctx_size_out = size;
	return err;
}

static void run_init(struct emu_run *run)
{
	memset(run, 0, sizeof(*run));
}

/* bpf_prog_test_run_raw_tp: ctx is up to 12 u64 args; no data, repeat or duration. */
static int test_run_raw_tp(struct emu_prog *prog, union bpf_attr *attr)
{
	uint8_t ctx[RAW_TP_MAX_CTX] = { 0 };
	struct emu_run run;
	uint32_t retval, duration;
	int err;

	if (attr->test.data_in || attr->test.data_out || attr->test.ctx_out ||
	    attr->test.duration || attr->test.repeat || attr->test.batch_size)
		return -EINVAL;
	if (attr->test.ctx_size_in > RAW_TP_MAX_CTX)
		return -EINVAL;
	if (attr->test.flags & ~(uint32_t)BPF_F_TEST_RUN_ON_CPU)
		return -EINVAL;
	if (!(attr->test.flags & BPF_F_TEST_RUN_ON_CPU) && attr->test.cpu)
		return -EINVAL;
	if ((attr->test.flags & BPF_F_TEST_RUN_ON_CPU) && attr->test.cpu >= emu_config_cpus())
		return -ENXIO;
	if (attr->test.ctx_size_in)
		memcpy(ctx, PTR(attr->test.ctx_in), attr->test.ctx_size_in);
	run_init(&run);
	run.ctx_size = RAW_TP_MAX_CTX;
	err = test_run_loop(&run, prog, ctx, 1, &retval, &duration);
	if (err)
		return err;
	attr->test.retval = retval;
	return 0;
}

/* bpf_prog_test_run_syscall: ctx_in is read and written back in place. */
static int test_run_syscall(struct emu_prog *prog, union bpf_attr *attr)
{
	uint32_t size = attr->test.ctx_size_in, retval, duration;
	struct emu_run run;
	uint8_t *ctx = NULL;
	int err;

	if (attr->test.data_in || attr->test.data_out || attr->test.ctx_out ||
	    attr->test.duration || attr->test.repeat || attr->test.flags)
		return -EINVAL;
	if (size > 65535)
		return -EINVAL;
	if (size) {
		ctx = malloc(size);
		if (!ctx)
			return -ENOMEM;
		memcpy(ctx, PTR(attr->test.ctx_in), size);
	}
	run_init(&run);
	run.ctx_size = size;
	err = test_run_loop(&run, prog, ctx, 1, &retval, &duration);
	if (!err) {
		attr->test.retval = retval;
		if (size)
			memcpy(PTR(attr->test.ctx_in), ctx, size);
	}
	free(ctx);
	return err;
}

/* Host memory a ctx pointer field refers to during a ctx-only run. */
struct ctx_buffer {
	uint8_t *data;
	uint32_t size;
	uint64_t saved; /* the ctx_in value the pointer replaced */
};

/* raw_tracepoint_writable: args[0] is the tracepoint's writable buffer, filled from
 * data_in and returned as data_out. netfilter: state and skb point at zeroed
 * stand-ins (kernel structs are not emulated); ctx_in bytes 0 and 1 are the hook and
 * protocol family of struct nf_hook_state. */
static int ctx_buffers_init(const struct emu_progtype *pt, const union bpf_attr *attr,
			    uint8_t *ctx, struct ctx_buffer buf[2])
{
	uint32_t n = pt->type == BPF_PROG_TYPE_NETFILTER ? 2 : 1;

	for (uint32_t i = 0; i < n; i++) {
		buf[i].size = pt->type == BPF_PROG_TYPE_NETFILTER ? 256 : attr->test.data_size_in;
		buf[i].data = calloc(1, buf[i].size ? buf[i].size : 1);
		if (!buf[i].data)
			return -ENOMEM;
		memcpy(&buf[i].saved, ctx + 8 * i, 8);
		if (pt->type == BPF_PROG_TYPE_NETFILTER && i == 0)
			memcpy(buf[i].data, ctx, 2);
		else if (pt->type != BPF_PROG_TYPE_NETFILTER && attr->test.data_in)
			memcpy(buf[i].data, PTR(attr->test.data_in), buf[i].size);
		uint64_t address = (uint64_t)(uintptr_t)buf[i].data;
		memcpy(ctx + 8 * i, &address, 8);
	}
	return 0;
}

static bool ctx_has_buffers(uint32_t type)
{
	return type == BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE || type == BPF_PROG_TYPE_NETFILTER;
}

/* bpf_sock_addr.sk is never NULL for the verifier: a socket of the ctx's family,
 * type and protocol stands in for the caller's (ctx_out reports it as 0). */
static void sock_addr_attach_sock(struct bpf_sock_addr *ctx, struct bpf_sock *sock)
{
	memset(sock, 0, sizeof(*sock));
	sock->family = ctx->family ? ctx->family : ctx->user_family;
	sock->type = ctx->type;
	sock->protocol = ctx->protocol;
	ctx->sk = sock;
}

/* Types the kernel cannot test-run (and netfilter): the ctx comes from ctx_in
 * (zero-filled to the type's ctx size) and goes back through ctx_out; no packet. */
static int test_run_ctx_only(struct emu_prog *prog, const struct emu_progtype *pt,
			     union bpf_attr *attr)
{
	struct ctx_buffer buf[2] = { { 0 }, { 0 } };
	struct bpf_sock sock;
	bool writable_tp = pt->type == BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE;
	uint32_t retval, duration;
	struct emu_run run;
	uint8_t *ctx;
	int err;

	if (attr->test.flags || attr->test.cpu || attr->test.batch_size ||
	    (!writable_tp && (attr->test.data_in || attr->test.data_out)))
		return -EINVAL;
	if (attr->test.ctx_size_in > pt->ctx_size)
		return -E2BIG;
	ctx = calloc(1, pt->runtime_ctx_size);
	if (!ctx)
		return -ENOMEM;
	if (attr->test.ctx_in)
		memcpy(ctx, PTR(attr->test.ctx_in), attr->test.ctx_size_in);
	err = ctx_has_buffers(pt->type) ? ctx_buffers_init(pt, attr, ctx, buf) : 0;
	if (pt->type == BPF_PROG_TYPE_CGROUP_SOCK_ADDR)
		sock_addr_attach_sock((struct bpf_sock_addr *)ctx, &sock);
	run_init(&run);
	for (int i = 0; i < 2 && buf[i].data; i++) {
		run.ctx_mem[i].base = (uint64_t)(uintptr_t)buf[i].data;
		run.ctx_mem[i].size = buf[i].size;
	}
	if (pt->type == BPF_PROG_TYPE_CGROUP_SOCK_ADDR) {
		run.ctx_mem[2].base = (uint64_t)(uintptr_t)&sock;
		run.ctx_mem[2].size = sizeof(sock);
	}
	if (!err)
		err = test_run_loop(&run, prog, ctx, attr->test.repeat, &retval, &duration);
	if (!err && writable_tp)
		err = test_run_finish(attr, buf[0].data, buf[0].size, retval, duration);
	if (!err) {
		attr->test.retval = retval;
		attr->test.duration = duration;
		for (int i = 0; i < 2 && buf[i].data; i++)
			memcpy(ctx + 8 * i, &buf[i].saved, 8);
		if (pt->type == BPF_PROG_TYPE_CGROUP_SOCK_ADDR)
			((struct bpf_sock_addr *)ctx)->sk = NULL;
		err = test_run_ctx_finish(attr, ctx, pt->ctx_size);
	}
	free(buf[0].data);
	free(buf[1].data);
	free(ctx);
	return err;
}

int emu_exec_test_run(struct emu_prog *prog, union bpf_attr *attr)
{
	const struct emu_progtype *pt = emu_progtype_get(prog->type);

	if (!pt || !prog->exec)
		return -TEST_RUN_ENOTSUPP;
	switch (prog->type) {
	case BPF_PROG_TYPE_SOCKET_FILTER:
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
	case BPF_PROG_TYPE_CGROUP_SKB:
		return test_run_skb(prog, attr);
	case BPF_PROG_TYPE_XDP:
		return test_run_xdp(prog, attr);
	case BPF_PROG_TYPE_FLOW_DISSECTOR:
		return test_run_flow_dissector(prog, attr);
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
		return test_run_raw_tp(prog, attr);
	case BPF_PROG_TYPE_SYSCALL:
		return test_run_syscall(prog, attr);
	default:
		return test_run_ctx_only(prog, pt, attr);
	}
}
