#!/bin/sh
# libbpf_compat.sh - the same libbpf user program (libbpf_user.c), built against our
# <bpf/libbpf.h> + libebpfemu (the emulated kernel) and against the system libbpf (the
# real kernel), must print the same. SKIP (77) without the system libbpf or without the
# bpf() syscall.
set -u
ours="${top_builddir:-../..}/tests/ld/libbpf_user"
object="${top_srcdir:-../..}/tests/ld/data/globals.bpf.o"
source="${top_srcdir:-../..}/tests/ld/libbpf_user.c"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -f /usr/include/bpf/libbpf.h ] || { echo "SKIP: libbpf-dev not installed"; exit 77; }
cc -o "$work/system" "$source" -lbpf 2>"$work/cc.log" || { echo "SKIP: cannot build against -lbpf"; cat "$work/cc.log"; exit 77; }
"$work/system" "$object" >"$work/system.out" 2>&1 || {
	if grep -q "load -1$" "$work/system.out"; then echo "SKIP: system libbpf cannot load (no bpf() syscall?)"; exit 77; fi
	echo "system libbpf run failed:"; cat "$work/system.out"; exit 1; }
"$ours" "$object" >"$work/ours.out" 2>&1
# libbpf names an object after its file name up to the first dot; both must agree
diff -u "$work/system.out" "$work/ours.out" || { echo "FAIL: ours differs from the system libbpf"; exit 1; }
echo "libbpf_compat: identical output ($(wc -l <"$work/ours.out") lines)"
