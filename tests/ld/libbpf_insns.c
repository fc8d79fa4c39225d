/* libbpf_insns.c - print the instructions libbpf loaded for each program of OBJ (after
 * CO-RE relocation against the running kernel), in core_insns' format; built against
 * the system libbpf by core_compare.sh. Usage: libbpf_insns OBJ. */
#include <stdio.h>

#include <bpf/libbpf.h>

int main(int argc, char **argv)
{
	struct bpf_object *obj = argc > 1 ? bpf_object__open_file(argv[1], NULL) : NULL;
	struct bpf_program *prog;

	if (!obj || bpf_object__load(obj))
		return 1;
	bpf_object__for_each_program(prog, obj) {
		const struct bpf_insn *in = bpf_program__insns(prog);
		printf("program %s\n", bpf_program__name(prog));
		for (size_t i = 0; i < bpf_program__insn_cnt(prog); i++) {
			int fd_slot = in[i].code == 0x18 && (in[i].src_reg == 1 || in[i].src_reg == 2);
			printf("%zu: %02x %u %u %d %d\n", i, in[i].code, in[i].dst_reg, in[i].src_reg,
			       in[i].off, fd_slot ? 0 : in[i].imm);
		}
	}
	bpf_object__close(obj);
	return 0;
}
