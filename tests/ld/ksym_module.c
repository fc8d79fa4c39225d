/* ksym_module.c - loads OBJ with the module BTF directory DIR (core_module_btf's
 * vmlinux and modfoo) through a fake backend that knows two kernel BTF objects,
 * vmlinux (id 1) and modfoo (id 2), and prints the calls and ld_imm64s of each program
 * as sent, with its fd_array: a module kfunc's off must index the slot holding
 * modfoo's fd. Usage: ksym_module DIR OBJ. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ebpf/load.h"

static int btf_ids[1024]; /* fd -> the kernel BTF id it was opened for */

static long fake_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	(void)size;
	switch (cmd) {
	case BPF_BTF_GET_NEXT_ID:
		if (attr->start_id >= 2)
			return -2; /* ENOENT */
		attr->next_id = attr->start_id + 1;
		return 0;
	case BPF_BTF_GET_FD_BY_ID: {
		int fd = open("/dev/null", O_RDONLY);
		if (fd >= 0 && fd < 1024)
			btf_ids[fd] = (int)attr->btf_id;
		return fd;
	}
	case BPF_OBJ_GET_INFO_BY_FD: {
		struct bpf_btf_info *info = (void *)(uintptr_t)attr->info.info;
		int id = btf_ids[attr->info.bpf_fd];
		snprintf((char *)(uintptr_t)info->name, info->name_len, "%s",
			 id == 1 ? "vmlinux" : "modfoo");
		info->kernel_btf = 1;
		info->id = (uint32_t)id;
		return 0;
	}
	case BPF_PROG_LOAD: {
		const struct bpf_insn *in = (const void *)(uintptr_t)attr->insns;
		const int *fds = (const void *)(uintptr_t)attr->fd_array;
		for (uint32_t i = 0; i < attr->insn_cnt; i++) {
			if (in[i].code != 0x85 && in[i].code != 0x18)
				continue;
			int fd_slot = in[i].code == 0x85 && in[i].src_reg == 2 && in[i].off;
			int btf_fd = in[i].code == 0x18 && in[i].src_reg == 3 && in[i + 1].imm;
			printf("%u: %02x src %u off %d imm %d%s%s\n", i, in[i].code, in[i].src_reg,
			       in[i].off, in[i].imm,
			       fd_slot ? (fds && btf_ids[fds[in[i].off]] == 2 ? ", fd_array slot: modfoo"
									 : ", fd_array slot: wrong") : "",
			       btf_fd ? (btf_ids[in[i + 1].imm] == 2 ? ", btf fd: modfoo" : ", btf fd: wrong")
				      : "");
			i += in[i].code == 0x18;
		}
		return open("/dev/null", O_RDONLY);
	}
	default:
		return cmd == BPF_BTF_LOAD || cmd == BPF_MAP_CREATE ? open("/dev/null", O_RDONLY) : 0;
	}
}

static const struct ld_backend fake_backend = { "fake", fake_bpf };

int main(int argc, char **argv)
{
	struct ld_diag diag = {{0}};
	struct objfmt_diag btf_diag = {{0}, {0}};
	static uint8_t bytes[1 << 20];
	char path[4096];

	if (argc != 3) {
		fprintf(stderr, "usage: ksym_module DIR OBJ\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/vmlinux", argv[1]);
	FILE *f = fopen(path, "rb");
	size_t size = f ? fread(bytes, 1, sizeof(bytes), f) : 0;
	if (f)
		fclose(f);
	struct objfmt_btf *vmlinux = size ? objfmt_btf__decode(bytes, size, &btf_diag) : NULL;
	struct ld_object *obj = ld_object__open_file(argv[2], &diag);
	struct ld_load_opts opts = { sizeof(opts), 0, 0, false, vmlinux };
	if (!vmlinux || !obj || ld_object__set_module_btf_dir(obj, argv[1]) ||
	    ld_object__load(obj, &fake_backend, &opts, &diag)) {
		fprintf(stderr, "ksym_module: %s\n", diag.message[0] ? diag.message : "cannot load");
		return 1;
	}
	ld_object__free(obj);
	objfmt_btf__free(vmlinux);
	return 0;
}
