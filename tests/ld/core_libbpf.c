/* core_libbpf.c - print each program of OBJ as the system libbpf relocated it against
 * the running kernel, in core_resolve's format; built against -lbpf by core_diff.sh.
 * The instructions are printed even when the kernel then rejects a program (a
 * reachable poisoned instruction), since relocation precedes loading.
 * Usage: core_libbpf OBJ; exit 1 when the object cannot be opened.
 */
#include <stdio.h>

#include <bpf/libbpf.h>

int main(int argc, char **argv)
{
	struct bpf_object *obj = argc > 1 ? bpf_object__open_file(argv[1], NULL) : NULL;
	struct bpf_program *prog;

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
