#!/bin/sh
# regen.sh - rebuild the checked-in object of the installed-library test from its source
# with clang (clang 19 was used for the committed one): sh regen.sh [CLANG]
set -e
cd "$(dirname "$0")"
clang=${1:-clang-19}
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
"$clang" -O2 -g -target bpf -I"/usr/include/$multiarch" -c counter.bpf.c -o counter.bpf.o
