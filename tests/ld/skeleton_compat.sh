#!/bin/sh
# skeleton_compat.sh - a `bpftool gen skeleton` header of data/globals.bpf.o and the
# user program skeleton_user.c, built against our <bpf/libbpf.h> + libebpfemu and
# against the system libbpf, print the same (ours on the emulator, libbpf on the
# kernel). SKIP (77) without bpftool, the system libbpf or the bpf() syscall.
set -u
top_builddir=${top_builddir:-../..}
top_srcdir=${top_srcdir:-../..}
srcdir="$top_srcdir/tests/ld"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

command -v bpftool >/dev/null 2>&1 || { echo "SKIP: bpftool not installed"; exit 77; }
[ -f /usr/include/bpf/libbpf.h ] || { echo "SKIP: libbpf-dev not installed"; exit 77; }
bpftool gen skeleton "$srcdir/data/globals.bpf.o" name globals >"$work/globals.skel.h" ||
	{ echo "SKIP: bpftool gen skeleton failed"; exit 77; }
cc -I"$work" -o "$work/system" "$srcdir/skeleton_user.c" -lbpf 2>"$work/cc.log" ||
	{ echo "SKIP: cannot build against -lbpf"; cat "$work/cc.log"; exit 77; }
"$work/system" >"$work/system.out" 2>&1 || { echo "SKIP: the system libbpf cannot load"; exit 77; }
# shellcheck disable=SC2086 # the sanitizer flags are word lists
${CC:-cc} ${SAN_CFLAGS:-} ${SAN_LDFLAGS:-} -I"$work" -I"$top_srcdir/include" -o "$work/ours" "$srcdir/skeleton_user.c" \
	"$top_builddir/ld/libebpfload.a" "$top_builddir/kernel/libebpfemu.a" \
	"$top_builddir/objfmt/libobjfmt.a" -lelf -lz -lm || { echo "FAIL: build against ours"; exit 1; }
"$work/ours" >"$work/ours.out" 2>&1
diff -u "$work/system.out" "$work/ours.out" || { echo "FAIL: ours differs from the system libbpf"; exit 1; }
echo "skeleton_compat: identical output ($(wc -l <"$work/ours.out") lines)"
