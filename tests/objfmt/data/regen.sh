#!/bin/sh
# regen.sh - rebuild the checked-in reference objects from their .bpf.c sources.
# They were generated with Debian's clang 14.0.6 (`clang`); run from any directory:
#   tests/objfmt/data/regen.sh [CLANG]
set -eu
cd "$(dirname "$0")"
clang=${1:-clang}
for source in *.bpf.c; do
	object=${source%.bpf.c}.o
	"$clang" -O2 -g -target bpf -c "$source" -o "$object"
	echo "regenerated $object with $("$clang" --version | head -n 1)"
done
