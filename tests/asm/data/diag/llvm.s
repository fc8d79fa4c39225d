# llvm.s - one LLVM-dialect error per line; every one must be reported.
	.text
prog:
	r1 = 0x100000000
	r1 = *(u32 *)(r2 + 40000)
	goto +40000
	if r1 > 2 goto +40000
	w1 += r2
	r1 = r11
	exti
	r1 = = 2
	if r1 == 0 goto lable
	.sectoin .data
	.p2align 40
	.byte 1
	.p2align 3
prog:
label:
	exit
	.map m, type=hsah, key_size=4, value_size=4, max_entries=1
	.byte 300
	call undefined_func_is_fine
