/* core_libbpf.c - print each program of OBJ as the system libbpf relocated it against
 * the running kernel's BTF, or against BTF file (btf_custom_path), in core_resolve's
 * format; built against -lbpf by core_diff.sh. The instructions are printed even when
 * the kernel then rejects a program (a reachable poisoned instruction), since
 * relocation precedes loading; libbpf's warnings go to stderr.
 * Usage: core_libbpf OBJ [BTF]; exit 1 when the object cannot be opened.
 */
#include <stdarg.h>
#include <stdio.h>

#include <bpf/libbpf.h>

static int print_warnings(enum libbpf_print_level level, const char *fmt, va_list args)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, args) : 0;
}

int main(int argc, char **argv)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = argc > 2 ? argv[2] : NULL);
	struct bpf_object *obj;
	struct bpf_program *prog;

	libbpf_set_print(print_warnings);
	obj = argc > 1 ? bpf_object__open_file(argv[1], &opts) : NULL;

	if (!obj || libbpf_get_error(obj))
		return 1;
	if (bpf_object__load(obj))
		fprintf(stderr, "core_libbpf: %s: load failed\n", argv[1]);
	bpf_object__for_each_program(prog, obj) {
		const struct bpf_insn *in = bpf_program__insns(prog);
		printf("program %s\n", bpf_program__name(prog));
		for (size_t i = 0; in && i < bpf_program__insn_cnt(prog); i++) {
			int fd_slot = in[i].code == 0x18 && (in[i].src_reg == 1 || in[i].src_reg == 2);
			printf("%zu: %02x %u %u %d %d\n", i, in[i].code, in[i].dst_reg, in[i].src_reg,
			       in[i].off, fd_slot ? 0 : in[i].imm);
		}
	}
	bpf_object__close(obj);
	return 0;
}
