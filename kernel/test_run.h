/* test_run.h - pieces of BPF_PROG_TEST_RUN shared by test_run.c (dispatch, common
 * input/output rules, non-packet types) and test_run_packet.c (skb, XDP, flow
 * dissector). */
#ifndef EBPF_KERNEL_TEST_RUN_H
#define EBPF_KERNEL_TEST_RUN_H

#include <stdint.h>

#include "interp.h"

#define TEST_RUN_ENOTSUPP 524 /* the kernel's internal ENOTSUPP, as user space sees it */
#define TEST_RUN_PAGE_SIZE 4096u

/* Run `prog` `repeat` times (0 means once) on ctx; *retval gets the last r0 (32
 * bits), *duration the mean ns per run. Returns 0 or the fault's negative errno. */
int test_run_loop(struct emu_run *run, struct emu_prog *prog, void *ctx, uint32_t repeat,
		  uint32_t *retval, uint32_t *duration);

/* bpf_ctx_init: a zeroed buffer of max_size holding ctx_in (whose bytes past max_size
 * must be zero: -E2BIG otherwise); NULL with *err = 0 when neither ctx_in nor ctx_out
 * is given. The caller frees it. */
void *test_run_ctx_init(const union bpf_attr *attr, uint32_t max_size, int *err);

/* bpf_test_finish: copy `size` bytes of data to data_out (truncated with -ENOSPC when
 * data_size_out is set and smaller), then data_size_out, retval, duration. */
int test_run_finish(union bpf_attr *attr, const void *data, uint32_t size, uint32_t retval,
		    uint32_t duration);

/* bpf_ctx_finish: copy ctx (size bytes) to ctx_out, -ENOSPC when ctx_size_out is
 * smaller; sets ctx_size_out. No-op without ctx or ctx_out. */
int test_run_ctx_finish(union bpf_attr *attr, const void *ctx, uint32_t size);

int test_run_skb(struct emu_prog *prog, union bpf_attr *attr);
int test_run_xdp(struct emu_prog *prog, union bpf_attr *attr);
int test_run_flow_dissector(struct emu_prog *prog, union bpf_attr *attr);

#endif /* EBPF_KERNEL_TEST_RUN_H */
