/* differential.h - test support shared by the differential tests: the emulator's and
 * the kernel's bpf() side by side, program building, BPF_PROG_TEST_RUN outcomes and
 * their comparison (errno, retval, data_out, ctx_out). */
#ifndef EBPF_TESTS_EXEC_DIFFERENTIAL_H
#define EBPF_TESTS_EXEC_DIFFERENTIAL_H

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ebpf/emu.h"
#include "ebpf/objfmt.h"
#include "../../kernel/emu_int.h"

#define OP(name) OBJFMT_OP_##name
#define SKB_OFF(field) ((int16_t)offsetof(struct __sk_buff, field))

typedef long (*bpf_fn)(int cmd, union bpf_attr *attr, unsigned int size);

static inline long kernel_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	long r = syscall(__NR_bpf, cmd, attr, size);

	return r < 0 ? -errno : r;
}

static inline long emu_bpf_call(int cmd, union bpf_attr *attr, unsigned int size)
{
	long r = emu_bpf(cmd, attr, size);

	return r < 0 ? -errno : r;
}

static const bpf_fn backends[2] = { emu_bpf_call, kernel_bpf };
static const char *const backend_names[2] = { "emulator", "kernel" };

struct prog {
	struct objfmt_insn insns[512];
	uint32_t cnt;
	int map_slot; /* ld_imm64 slot to patch with the map fd, -1 if none */
	uint32_t prog_flags; /* BPF_F_* of PROG_LOAD */
};

static inline void emit(struct prog *p, enum objfmt_op op, uint8_t dst, uint8_t src,
			int16_t off, int64_t imm)
{
	int n = objfmt_insn_encode(op, dst, src, off, imm, &p->insns[p->cnt]);

	ck_assert_int_gt(n, 0);
	p->cnt += (uint32_t)n;
}

static inline int create_array(bpf_fn bpf)
{
	union bpf_attr attr = { 0 };
	long fd;

	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 8;
	attr.max_entries = 4;
	fd = bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	ck_assert_int_ge(fd, 0);
	return (int)fd;
}

static inline uint64_t map_value(bpf_fn bpf, int fd, uint32_t key)
{
	union bpf_attr attr = { 0 };
	uint64_t value = 0;

	attr.map_fd = (uint32_t)fd;
	attr.key = (uintptr_t)&key;
	attr.value = (uintptr_t)&value;
	ck_assert_int_eq(bpf(BPF_MAP_LOOKUP_ELEM, &attr, sizeof(attr)), 0);
	return value;
}

static inline int load(bpf_fn bpf, struct prog *p, uint32_t type, int map_fd)
{
	static char log[65536];
	union bpf_attr attr = { 0 };
	long fd;

	if (p->map_slot >= 0)
		p->insns[p->map_slot].imm = map_fd;
	attr.prog_type = type;
	attr.prog_flags = p->prog_flags;
	attr.insns = (uintptr_t)p->insns;
	attr.insn_cnt = p->cnt;
	attr.license = (uintptr_t)"GPL";
	attr.log_buf = (uintptr_t)log;
	attr.log_size = sizeof(log);
	attr.log_level = 1;
	log[0] = '\0';
	fd = bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
	ck_assert_msg(fd >= 0, "load %s: %ld\n%s", bpf == kernel_bpf ? "kernel" : "emulator",
		      fd, log + (strlen(log) > 2000 ? strlen(log) - 2000 : 0));
	return (int)fd;
}

/* Outcome of one BPF_PROG_TEST_RUN. */
struct outcome {
	long err;
	uint32_t retval;
	uint32_t data_size_out;
	uint32_t ctx_size_out;
	uint8_t data[256];
	uint8_t ctx[256];
};

static inline void test_run(bpf_fn bpf, int fd, const union bpf_attr *in,
			    struct outcome *out)
{
	union bpf_attr attr = *in;

	memset(out, 0, sizeof(*out));
	attr.test.prog_fd = (uint32_t)fd;
	if (!attr.test.data_out && !attr.test.data_size_out) {
		attr.test.data_out = (uintptr_t)out->data;
		attr.test.data_size_out = sizeof(out->data);
	}
	if (attr.test.ctx_size_out) {
		attr.test.ctx_out = (uintptr_t)out->ctx;
		if (attr.test.ctx_size_out > sizeof(out->ctx))
			attr.test.ctx_size_out = sizeof(out->ctx);
	}
	out->err = bpf(BPF_PROG_TEST_RUN, &attr, sizeof(attr));
	out->retval = attr.test.retval;
	out->data_size_out = attr.test.data_size_out;
	out->ctx_size_out = attr.test.ctx_size_out;
}

static inline void assert_same(const struct outcome *emu, const struct outcome *kern,
			       const char *what)
{
	ck_assert_msg(emu->err == kern->err, "%s: errno emulator %ld kernel %ld", what, emu->err,
		      kern->err);
	ck_assert_msg(emu->retval == kern->retval, "%s: retval emulator %#x kernel %#x", what,
		      emu->retval, kern->retval);
	ck_assert_msg(emu->data_size_out == kern->data_size_out,
		      "%s: data_size_out emulator %u kernel %u", what, emu->data_size_out,
		      kern->data_size_out);
	for (uint32_t i = 0; i < emu->data_size_out && i < sizeof(emu->data); i++)
		ck_assert_msg(emu->data[i] == kern->data[i],
			      "%s: data_out byte %u emulator %02x kernel %02x", what, i,
			      emu->data[i], kern->data[i]);
	ck_assert_msg(emu->ctx_size_out == kern->ctx_size_out, "%s: ctx_size_out %u vs %u", what,
		      emu->ctx_size_out, kern->ctx_size_out);
	for (uint32_t i = 0; i < emu->ctx_size_out && i < sizeof(emu->ctx); i++)
		ck_assert_msg(emu->ctx[i] == kern->ctx[i],
			      "%s: ctx_out byte %u emulator %02x kernel %02x", what, i, emu->ctx[i],
			      kern->ctx[i]);
}

/* Load `p` on both sides, test-run it with `attr`, require the same outcome; returns
 * the kernel's errno (0 on success) so callers can check that a case hit its path. */
static inline long run_both(struct prog *p, uint32_t type, const union bpf_attr *attr,
			    const char *what)
{
	struct outcome out[2];
	int fds[2];

	for (int b = 0; b < 2; b++)
		fds[b] = load(backends[b], p, type, -1);
	for (int b = 0; b < 2; b++)
		test_run(backends[b], fds[b], attr, &out[b]);
	assert_same(&out[0], &out[1], what);
	for (int b = 0; b < 2; b++)
		close(fds[b]);
	return out[1].err;
}

/* syscall_prog.c references the verifier weakly: this strong reference links it in */
static int (*volatile verifier_link)(struct emu_prog *, const union bpf_attr *,
				     struct emu_log *) = emu_verifier_run;

static inline bool kernel_bpf_usable(void)
{
	union bpf_attr attr = { 0 };
	long fd;

	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = 1;
	fd = kernel_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	if (fd < 0)
		return false;
	close((int)fd);
	return true;
}

#endif /* EBPF_TESTS_EXEC_DIFFERENTIAL_H */
