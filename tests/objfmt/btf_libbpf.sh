#!/bin/sh
# btf_libbpf.sh - differential test of BTF dedup against libbpf's btf__dedup: clang's
# BTF merged with randomly changed copies of itself. Skips (77) without libbpf.so.1.
for blob in types-clang14 types-clang19 tags-clang14 tags-clang19; do
	./btf_libbpf_diff "$srcdir/btf/$blob.btf" 300 1 || exit $?
done
