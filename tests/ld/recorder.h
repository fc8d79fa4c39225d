/* recorder.h - a loader backend for tests that records every bpf() command it gets
 * (with copies of the instructions, func_info and element bytes) and answers with
 * fake fds, so the exact command sequence of a load can be asserted without a kernel. */
#ifndef EBPF_TESTS_LD_RECORDER_H
#define EBPF_TESTS_LD_RECORDER_H

#include <linux/bpf.h>
#include <stdint.h>

#include "ebpf/load.h"

#define RECORDER_FIRST_FD 1000
#define RECORDER_MAX 128

struct recorded_command {
	int cmd;
	union bpf_attr attr;         /* as passed (pointers inside are stale later) */
	long result;                 /* what the recorder answered */
	struct objfmt_insn insns[256]; /* PROG_LOAD: the program */
	uint32_t insn_count;
	struct bpf_func_info funcs[16]; /* PROG_LOAD: func_info records */
	uint32_t func_count;
	uint8_t key[16];             /* MAP_UPDATE_ELEM: first bytes of key and value */
	uint8_t value[64];
	char name[BPF_OBJ_NAME_LEN]; /* MAP_CREATE / PROG_LOAD object name */
	char path[128];              /* OBJ_PIN / OBJ_GET path */
};

extern const struct ld_backend recorder_backend;
extern struct recorded_command recorder_log[RECORDER_MAX];
extern int recorder_count;
/* Forget everything; the next fd handed out is RECORDER_FIRST_FD. Commands of type
 * `fail_cmd` (or -1 for none) answer `fail_errno` (negative). */
void recorder_reset(int fail_cmd, int fail_errno);
/* Index of the n-th (0-based) recorded command of type cmd, or -1. */
int recorder_find(int cmd, int n);

#endif
