/* vtest.c - the verifier tests' loader for both kernels (see vtest.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ebpf/asm.h"
#include "ebpf/emu.h"
#include "vtest.h"

/* syscall_prog.c refers to the verifier weakly; a strong reference makes sure the
 * archive member is linked into the test programs. */
int emu_verifier_run();
void *vt_verifier_entry = (void *)emu_verifier_run;

static void die(const char *what)
{
	fprintf(stderr, "vtest: %s\n", what);
	abort();
}

void vt_patch_maps(struct vt_prog *prog, const int *map_fds)
{
	for (uint32_t i = 0; i + 1 < prog->cnt; i++) {
		struct objfmt_insn *insn = &prog->insns[i];
		if (insn->code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		uint64_t v = (uint32_t)insn[0].imm | ((uint64_t)(uint32_t)insn[1].imm << 32);
		if ((v & ~0xffffull) == VT_MAP_MAGIC && insn->src_reg == 0) {
			insn->src_reg = BPF_PSEUDO_MAP_FD;
			insn[0].imm = (v & 0x8000) ? (int32_t)(v & 0x7fff) : map_fds[v & 0xffff];
			insn[1].imm = 0;
		} else if ((v & ~0xffffull) == VT_FUNC_MAGIC && insn->src_reg == 0) {
			insn->src_reg = BPF_PSEUDO_FUNC;
			insn[0].imm = (int32_t)(v & 0xffff) + 1; /* past the second slot */
			insn[1].imm = 0;
		}
		i++;
	}
}

/* bpf-to-bpf calls are written "call pc+N" as the kernel prints them; the assembler
 * sees a helper call with a marker id that is patched into a local call after. */
#define VT_CALL_MARK 0x7ffe0000

static char *expand_local_calls(const char *text)
{
	char *out = malloc(strlen(text) * 2 + 64), *o = out;
	const char *p = text;
	strcpy(o, "\t.text\n");
	o += strlen(o);
	while (*p) {
		if (!strncmp(p, "call pc", 7)) {
			char *end;
			long delta = strtol(p + 7, &end, 10);
			o += sprintf(o, "call %ld", VT_CALL_MARK + delta);
			p = end;
			continue;
		}
		*o++ = *p++;
	}
	strcpy(o, "\n");
	return out;
}

static void patch_local_calls(struct vt_prog *prog)
{
	for (uint32_t i = 0; i < prog->cnt; i++) {
		struct objfmt_insn *insn = &prog->insns[i];
		if (insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == 0 &&
		    insn->imm >= VT_CALL_MARK - 0x1000 && insn->imm <= VT_CALL_MARK + 0x1000) {
			insn->src_reg = BPF_PSEUDO_CALL;
			insn->imm -= VT_CALL_MARK;
		}
	}
}

void vt_assemble(const char *text, const int *map_fds, struct vt_prog *out)
{
	struct objfmt_object *obj = NULL;
	struct asm_diagnostics *diags = NULL;
	char *src = expand_local_calls(text);

	int err = asm_assemble_buffer(src, strlen(src), "test.s", NULL, &obj, &diags);
	if (err) {
		const struct asm_diagnostic *d = asm_diagnostics__get(diags, 0);
		fprintf(stderr, "vtest: assembling failed: %s:%u: %s\n%s\n", d ? d->file : "?",
			d ? d->line : 0, d ? d->message : "?", text);
		abort();
	}
	int sec = objfmt_object__find_section(obj, ".text");
	if (sec < 0)
		die("no .text section");
	const struct objfmt_section *s = objfmt_object__section(obj, (size_t)sec);
	if (s->size / 8 > VT_MAX_INSNS)
		die("program too large for vt_prog");
	out->cnt = (uint32_t)(s->size / 8);
	memcpy(out->insns, s->data, s->size);
	vt_patch_maps(out, map_fds);
	patch_local_calls(out);
	objfmt_object__free(obj);
	asm_diagnostics__free(diags);
	free(src);
}

static int call_bpf(enum vt_target target, int cmd, union bpf_attr *attr)
{
	if (target == VT_EMU) {
		int r = emu_bpf(cmd, attr, sizeof(*attr));
		return r < 0 ? -errno : r;
	}
	long r = syscall(__NR_bpf, cmd, attr, sizeof(*attr));
	return r < 0 ? -errno : (int)r;
}

int vt_btf_load(enum vt_target target, struct objfmt_btf *btf)
{
	union bpf_attr attr;
	void *raw;
	size_t size;
	int err = objfmt_btf__encode(btf, &raw, &size);

	objfmt_btf__free(btf);
	if (err)
		return -1;
	memset(&attr, 0, sizeof(attr));
	attr.btf = (uint64_t)(uintptr_t)raw;
	attr.btf_size = (uint32_t)size;
	int fd = call_bpf(target, BPF_BTF_LOAD, &attr);
	free(raw);
	return fd;
}

int vt_map_create(enum vt_target target, uint32_t type, uint32_t key_size,
		  uint32_t value_size, uint32_t max_entries, uint32_t flags)
{
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.map_type = type;
	attr.key_size = key_size;
	attr.value_size = value_size;
	attr.max_entries = max_entries;
	attr.map_flags = flags;
	return call_bpf(target, BPF_MAP_CREATE, &attr);
}

void vt_load_ex(enum vt_target target, uint32_t prog_type, uint32_t attach_type,
		const struct vt_prog *prog, const char *license, uint32_t level,
		uint32_t log_size, struct vt_result *res)
{
	vt_load_attach(target, prog_type, attach_type, 0, prog, license, level, log_size, res);
}

void vt_load_attach(enum vt_target target, uint32_t prog_type, uint32_t attach_type,
		    uint32_t attach_btf_id, const struct vt_prog *prog, const char *license,
		    uint32_t level, uint32_t log_size, struct vt_result *res)
{
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	memset(res, 0, sizeof(*res));
	res->log = calloc(1, VT_LOG_SIZE);
	if (!res->log)
		die("out of memory");
	attr.prog_type = prog_type;
	attr.expected_attach_type = attach_type;
	attr.attach_btf_id = attach_btf_id;
	attr.insn_cnt = prog->cnt;
	attr.insns = (uint64_t)(uintptr_t)prog->insns;
	attr.license = (uint64_t)(uintptr_t)license;
	attr.log_level = level;
	if (level) {
		attr.log_buf = (uint64_t)(uintptr_t)res->log;
		attr.log_size = log_size;
	}
	int r = call_bpf(target, BPF_PROG_LOAD, &attr);
	res->fd = r;
	res->err = r < 0 ? -r : 0;
}

void vt_load(enum vt_target target, uint32_t prog_type, const struct vt_prog *prog,
	     const char *license, uint32_t level, struct vt_result *res)
{
	vt_load_ex(target, prog_type, 0, prog, license, level, VT_LOG_SIZE, res);
}

void vt_result_free(struct vt_result *res)
{
	free(res->log);
	res->log = NULL;
}

int vt_test_run(enum vt_target target, int prog_fd, const void *data, uint32_t size,
		uint32_t *retval, void *data_out, uint32_t *size_out)
{
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = (uint32_t)prog_fd;
	attr.test.data_in = (uint64_t)(uintptr_t)data;
	attr.test.data_size_in = size;
	attr.test.data_out = (uint64_t)(uintptr_t)data_out;
	attr.test.data_size_out = size_out ? *size_out : 0;
	attr.test.repeat = 1;
	int r = call_bpf(target, BPF_PROG_TEST_RUN, &attr);
	if (r < 0)
		return r;
	*retval = attr.test.retval;
	if (size_out)
		*size_out = attr.test.data_size_out;
	return 0;
}

void vt_close(enum vt_target target, int fd)
{
	(void)target; /* emulated objects are real fds too; libebpfemu interposes close() */
	if (fd >= 0)
		close(fd);
}

bool vt_kernel_available(void)
{
	static const struct objfmt_insn ret0[2] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K }, { .code = BPF_JMP | BPF_EXIT },
	};
	struct vt_prog prog;
	struct vt_result res;
	if (geteuid() != 0)
		return false;
	memcpy(prog.insns, ret0, sizeof(ret0));
	prog.cnt = 2;
	vt_load(VT_KERNEL, BPF_PROG_TYPE_SOCKET_FILTER, &prog, "GPL", 0, &res);
	bool ok = res.fd >= 0;
	vt_close(VT_KERNEL, res.fd);
	vt_result_free(&res);
	return ok;
}

bool vt_log_has(const char *log, const char *needle)
{
	return log && strstr(log, needle) != NULL;
}

/* BTF "int f(void)" for every subprogram: the first global (the program), the others
 * static; returns the BTF fd on `target` and fills func_info. */
static int load_funcs_btf(enum vt_target target, const uint32_t *starts, uint32_t count,
			  struct bpf_func_info *info)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	int int_id = objfmt_btf__add_int(btf, "int", 4, OBJFMT_BTF_INT_SIGNED);
	struct objfmt_btf_type proto = { .kind = OBJFMT_BTF_FUNC_PROTO, .name = "",
					 .type = (uint32_t)int_id };
	int proto_id = objfmt_btf__add(btf, &proto);
	for (uint32_t i = 0; i < count; i++) {
		char name[16];
		snprintf(name, sizeof(name), "f%u", i);
		struct objfmt_btf_type func = { .kind = OBJFMT_BTF_FUNC, .name = name,
						.type = (uint32_t)proto_id,
						.linkage = i ? OBJFMT_BTF_FUNC_STATIC :
							       OBJFMT_BTF_FUNC_GLOBAL };
		info[i].insn_off = starts[i];
		info[i].type_id = (uint32_t)objfmt_btf__add(btf, &func);
	}
	int fd = vt_btf_load(target, btf);
	if (fd < 0)
		die("BTF_LOAD failed");
	return fd;
}

void vt_load_funcs(enum vt_target target, uint32_t prog_type, const struct vt_prog *prog,
		   const uint32_t *starts, uint32_t count, uint32_t level, struct vt_result *res)
{
	struct bpf_func_info info[16];
	union bpf_attr attr;

	if (count > 16)
		die("too many functions");
	int btf_fd = load_funcs_btf(target, starts, count, info);
	memset(&attr, 0, sizeof(attr));
	memset(res, 0, sizeof(*res));
	res->log = calloc(1, VT_LOG_SIZE);
	if (!res->log)
		die("out of memory");
	attr.prog_type = prog_type;
	attr.insn_cnt = prog->cnt;
	attr.insns = (uint64_t)(uintptr_t)prog->insns;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	attr.log_level = level;
	if (level) {
		attr.log_buf = (uint64_t)(uintptr_t)res->log;
		attr.log_size = VT_LOG_SIZE;
	}
	attr.prog_btf_fd = (uint32_t)btf_fd;
	attr.func_info = (uint64_t)(uintptr_t)info;
	attr.func_info_rec_size = sizeof(info[0]);
	attr.func_info_cnt = count;
	int r = call_bpf(target, BPF_PROG_LOAD, &attr);
	res->fd = r;
	res->err = r < 0 ? -r : 0;
	close(btf_fd);
}

/* A map whose value BTF is "struct { int cnt; struct bpf_spin_lock lock; }" (the lock
 * at offset 4), key "int"; returns the map fd or -errno. */
int vt_lock_map_create(enum vt_target target, uint32_t type, uint32_t max_entries)
{
	struct objfmt_btf *btf = objfmt_btf__new();
	int int_id = objfmt_btf__add_int(btf, "int", 4, OBJFMT_BTF_INT_SIGNED);
	struct objfmt_btf_member lock_m[1] = { { .name = "val", .type = (uint32_t)int_id } };
	struct objfmt_btf_type lock = { .kind = OBJFMT_BTF_STRUCT, .name = "bpf_spin_lock",
					.size = 4, .vlen = 1, .members = lock_m };
	int lock_id = objfmt_btf__add(btf, &lock);
	struct objfmt_btf_member val_m[2] = {
		{ .name = "cnt", .type = (uint32_t)int_id },
		{ .name = "lock", .type = (uint32_t)lock_id, .bit_offset = 32 },
	};
	struct objfmt_btf_type value = { .kind = OBJFMT_BTF_STRUCT, .name = "value", .size = 8,
					 .vlen = 2, .members = val_m };
	int value_id = objfmt_btf__add(btf, &value);
	int btf_fd = vt_btf_load(target, btf);
	if (btf_fd < 0)
		die("BTF_LOAD failed");
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.map_type = type;
	attr.key_size = 4;
	attr.value_size = 8;
	attr.max_entries = max_entries;
	attr.btf_fd = (uint32_t)btf_fd;
	attr.btf_key_type_id = (uint32_t)int_id;
	attr.btf_value_type_id = (uint32_t)value_id;
	int fd = call_bpf(target, BPF_MAP_CREATE, &attr);
	close(btf_fd);
	return fd;
}
