/* core_insns.c - print the instructions the loader sends for each program of OBJ after
 * CO-RE relocation against the running kernel's BTF, through a fake backend (no
 * kernel needed), one "index: code dst src off imm" line each with map fds zeroed;
 * core_compare.sh diffs this with what libbpf loads. Usage: core_insns OBJ [BTF]. */
#include <stdio.h>
#include <stdlib.h>

#include "ebpf/load.h"

static int next_fd = 1000000; /* never a real descriptor: close() fails harmlessly */

static long fake_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	(void)attr;
	(void)size;
	if (cmd == BPF_BTF_LOAD || cmd == BPF_MAP_CREATE || cmd == BPF_PROG_LOAD)
		return next_fd++;
	return cmd == BPF_OBJ_GET_INFO_BY_FD || cmd == BPF_OBJ_GET ? -2 : 0;
}

static const struct ld_backend fake_backend = { "fake", fake_bpf };

static struct objfmt_btf *read_btf(const char *path)
{
	FILE *f = fopen(path, "rb");
	static uint8_t buf[64 << 20];
	size_t size = f ? fread(buf, 1, sizeof(buf), f) : 0;
	struct objfmt_diag diag = {{0}, {0}};

	if (f)
		fclose(f);
	return size ? objfmt_btf__decode(buf, size, &diag) : NULL;
}

int main(int argc, char **argv)
{
	struct ld_diag diag = {{0}};
	struct objfmt_btf *target = argc > 1 ? read_btf(argc > 2 ? argv[2] : "/sys/kernel/btf/vmlinux") : NULL;
	struct ld_object *obj = argc > 1 ? ld_object__open_file(argv[1], &diag) : NULL;
	struct ld_load_opts opts = { sizeof(opts), 0, 0, false, target };

	if (!obj || !target || ld_object__load(obj, &fake_backend, &opts, &diag)) {
		fprintf(stderr, "core_insns: %s\n", diag.message[0] ? diag.message : "usage: core_insns OBJ [BTF]");
		ld_object__free(obj);
		objfmt_btf__free(target);
		return 1;
	}
	for (size_t p = 0; p < ld_object__program_count(obj); p++) {
		const struct ld_program *prog = ld_object__program(obj, p);
		const struct objfmt_insn *in = ld_program__insns(prog);
		printf("program %s\n", ld_program__name(prog));
		for (size_t i = 0; i < ld_program__insn_count(prog); i++) {
			int fd_slot = in[i].code == 0x18 && (in[i].src_reg == 1 || in[i].src_reg == 2);
			printf("%zu: %02x %u %u %d %d\n", i, in[i].code, in[i].dst_reg, in[i].src_reg,
			       in[i].off, fd_slot ? 0 : in[i].imm);
		}
	}
	ld_object__free(obj);
	objfmt_btf__free(target);
	return 0;
}
