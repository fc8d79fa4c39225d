/* core_resolve.c - print each program of OBJ after our CO-RE resolver (ld/core_*.c)
 * ran against a target BTF (default /sys/kernel/btf/vmlinux), linked through a fake
 * backend: "index: code dst src off imm" per instruction, map fds zeroed, the format
 * of core_libbpf.c. Usage: core_resolve [--modules DIR] OBJ [BTF]; exit 1 with the
 * loader's message when a relocation cannot be resolved. --modules searches the split
 * BTF files of DIR (DIR/vmlinux being BTF) for types BTF has no candidate for. core_resolve --write-emu-btf FILE writes the
 * emulated kernel's BTF (emu_kernel_btf) to FILE, as a target for both.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"
#include "ebpf/emu.h"
#include "ld_int.h"

static int next_fd = 1000000; /* never a real descriptor */

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
	struct objfmt_diag diag = {{0}, {0}};
	size_t size = 0, cap = 1 << 20, n;
	uint8_t *buf = malloc(cap);

	while (f && buf && (n = fread(buf + size, 1, cap - size, f)) > 0)
		if ((size += n) == cap && !(buf = realloc(buf, cap *= 2)))
			break;
	if (f)
		fclose(f);
	struct objfmt_btf *btf = buf && size ? objfmt_btf__decode(buf, size, &diag) : NULL;
	free(buf);
	return btf;
}

static void print_program(const struct ld_program *prog)
{
	const struct objfmt_insn *in = ld_program__insns(prog);

	printf("program %s\n", ld_program__name(prog));
	for (size_t i = 0; i < ld_program__insn_count(prog); i++) {
		int fd_slot = in[i].code == 0x18 && (in[i].src_reg == 1 || in[i].src_reg == 2);
		printf("%zu: %02x %u %u %d %d\n", i, in[i].code, in[i].dst_reg, in[i].src_reg,
		       in[i].off, fd_slot ? 0 : in[i].imm);
	}
}

static int write_emu_btf(const char *path)
{
	const void *data;
	unsigned long size;
	FILE *f;

	if (emu_kernel_btf(&data, &size, NULL) || !(f = fopen(path, "wb")))
		return 1;
	size_t written = fwrite(data, 1, size, f);
	return fclose(f) || written != size;
}

int main(int argc, char **argv)
{
	struct ld_diag diag = {{0}};
	struct objfmt_btf *target;
	struct ld_object *obj;
	const char *modules = NULL;
	int status = 1;

	if (argc == 3 && strcmp(argv[1], "--write-emu-btf") == 0)
		return write_emu_btf(argv[2]);
	if (argc > 2 && strcmp(argv[1], "--modules") == 0) {
		modules = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: core_resolve OBJ [BTF]\n");
		return 2;
	}
	target = read_btf(argc > 2 ? argv[2] : "/sys/kernel/btf/vmlinux");
	obj = ld_object__open_file(argv[1], &diag);
	if (!target)
		fprintf(stderr, "core_resolve: cannot read the target BTF\n");
	else if (!obj || ld_core_relocate_modules(obj, target, modules, &diag) ||
		 ld_object__load(obj, &fake_backend, NULL, &diag))
		fprintf(stderr, "core_resolve: %s\n", diag.message);
	else {
		for (size_t p = 0; p < ld_object__program_count(obj); p++)
			print_program(ld_object__program(obj, p));
		status = 0;
	}
	ld_object__free(obj);
	objfmt_btf__free(target);
	return status;
}
