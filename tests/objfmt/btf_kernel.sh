#!/bin/sh
# btf_kernel.sh - differential test of the BTF validator against the running kernel:
# random mutations of clang's BTF and of a built all-kinds BTF (of the type graph,
# then of the encoded bytes), each judged by BPF_BTF_LOAD and by our decoder and
# validator. Skips (77) where bpf() is not permitted.
for seed in 1 2; do
	for blob in types-clang14 types-clang19; do
		./btf_kernel_diff "$srcdir/btf/$blob.btf" 1500 "$seed" || exit $?
	done
	./btf_kernel_diff all-kinds 1500 "$seed" || exit $?
	./btf_kernel_diff all-kinds 1500 "$seed" bytes || exit $?
done
./btf_kernel_diff "$srcdir/btf/types-clang19.btf" 1500 3 bytes
