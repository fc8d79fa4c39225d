#!/bin/sh
# regen.sh - rebuild the checked-in linker test objects from their sources with clang
# (clang 19 was used for the committed ones): sh regen.sh [CLANG]
set -e
cd "$(dirname "$0")"
clang=${1:-clang-19}
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
for source in *.bpf.c; do
	"$clang" -O2 -g -target bpf -I"/usr/include/$multiarch" -c "$source" -o "${source%.c}.o"
done
