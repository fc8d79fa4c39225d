/* ksym_user.c - loads OBJ with the libbpf object API and prints, per program, its fd
 * and every call's src_reg and imm after load; built against the system libbpf and
 * against ours (the emulated kernel) by ksym.sh, whose outputs must be equal. */
#include <stdio.h>

#include <bpf/libbpf.h>

int main(int argc, char **argv)
{
	struct bpf_object *obj = argc > 1 ? bpf_object__open_file(argv[1], NULL) : NULL;
	struct bpf_program *prog;

	if (!obj)
		return 2;
	printf("load: %d\n", bpf_object__load(obj));
	bpf_object__for_each_program(prog, obj) {
		const struct bpf_insn *in = bpf_program__insns(prog);
		printf("program %s: loaded %s\n", bpf_program__name(prog),
		       bpf_program__fd(prog) >= 0 ? "yes" : "no");
		for (size_t i = 0; i < bpf_program__insn_cnt(prog); i++)
			if (in[i].code == 0x85)
				printf("  %zu: call src %u imm %d\n", i, in[i].src_reg, in[i].imm);
	}
	bpf_object__close(obj);
	return 0;
}
