# entry.s - ebpf-as side of the mixed link: no BTF; calls helper_add of progs.o and
# tail-calls through its prog array jmp, both left undefined here.
	.license "GPL"
	.section xdp,"ax",@progbits
	.globl entry_asm
	.type entry_asm,@function
entry_asm:
	r6 = r1
	r1 = 4
	r2 = 5
	call helper_add
	*(u32 *)(r10 - 4) = r0
	r1 = r6
	r2 = jmp ll
	r3 = 1
	call bpf_tail_call
	r0 = *(u32 *)(r10 - 4)
	exit
	.size entry_asm, .-entry_asm
