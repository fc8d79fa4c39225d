/* recorder.c - the recording bpf() backend of the loader tests (see recorder.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "recorder.h"

struct recorded_command recorder_log[RECORDER_MAX];
int recorder_count;
static int next_fd = RECORDER_FIRST_FD;
static int failing_cmd = -1, failing_errno;

void recorder_reset(int fail_cmd, int fail_errno)
{
	memset(recorder_log, 0, sizeof(recorder_log));
	recorder_count = 0;
	next_fd = RECORDER_FIRST_FD;
	failing_cmd = fail_cmd;
	failing_errno = fail_errno;
}

int recorder_find(int cmd, int n)
{
	for (int i = 0; i < recorder_count; i++)
		if (recorder_log[i].cmd == cmd && n-- == 0)
			return i;
	return -1;
}

static void copy_program(struct recorded_command *r, const union bpf_attr *attr)
{
	uint32_t count = attr->insn_cnt < 256 ? attr->insn_cnt : 256;
	uint32_t funcs = attr->func_info_cnt < 16 ? attr->func_info_cnt : 16;

	memcpy(r->insns, (const void *)(uintptr_t)attr->insns, count * sizeof(r->insns[0]));
	r->insn_count = attr->insn_cnt;
	if (attr->func_info)
		memcpy(r->funcs, (const void *)(uintptr_t)attr->func_info, funcs * sizeof(r->funcs[0]));
	r->func_count = attr->func_info_cnt;
	memcpy(r->name, attr->prog_name, sizeof(r->name));
}

static long record(int cmd, union bpf_attr *attr, unsigned int size)
{
	struct recorded_command *r = &recorder_log[recorder_count < RECORDER_MAX ? recorder_count++ : RECORDER_MAX - 1];

	(void)size;
	memset(r, 0, sizeof(*r));
	r->cmd = cmd;
	r->attr = *attr;
	if (cmd == BPF_PROG_LOAD)
		copy_program(r, attr);
	if (cmd == BPF_MAP_CREATE)
		memcpy(r->name, attr->map_name, sizeof(r->name));
	if (cmd == BPF_MAP_UPDATE_ELEM) {
		memcpy(r->key, (const void *)(uintptr_t)attr->key, 4);
		memcpy(r->value, (const void *)(uintptr_t)attr->value, 4);
	}
	if ((cmd == BPF_OBJ_PIN || cmd == BPF_OBJ_GET) && attr->pathname)
		snprintf(r->path, sizeof(r->path), "%s", (const char *)(uintptr_t)attr->pathname);
	if (cmd == failing_cmd)
		r->result = failing_errno;
	else if (cmd == BPF_BTF_LOAD || cmd == BPF_MAP_CREATE || cmd == BPF_PROG_LOAD ||
		 cmd == BPF_OBJ_GET)
		r->result = next_fd++;
	else if (cmd == BPF_OBJ_GET_INFO_BY_FD)
		r->result = -EINVAL;
	return r->result;
}

const struct ld_backend recorder_backend = { "recorder", record };
