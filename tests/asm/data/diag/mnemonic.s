# mnemonic.s - mnemonic-dialect errors.
movv %r0, 1
mov %r0
ldxw %r1, [%r2+70000]
jne %r1, 2, nowhere
mov32 %r0, 0x1ffffffff
ja exit
exit
