#!/bin/sh
# core_module.sh - CO-RE relocations against kernel modules' BTF (ld/core_module.c):
# a type vmlinux lacks is looked for in the split BTF of each module, as libbpf does.
# 1. Made-up BTF (core_module_btf): bpftool must read the module file as split BTF on
#    top of vmlinux; our resolver with the module directory must relocate as libbpf
#    does on vmlinux and the module joined into one BTF; a type vmlinux has (and the
#    module has too, laid out differently) must come from vmlinux, as libbpf on
#    vmlinux alone; without the directory both poison the module's fields alike.
# 2. The running kernel: a struct only in a loaded module, our resolver on
#    /sys/kernel/btf against libbpf's own module search (skipped when no module has
#    BTF). SKIP (77) without root, bpftool, libbpf-dev or clang.
set -u
builddir="${top_builddir:-../..}/tests/ld"
srcdir="${top_srcdir:-../..}/tests/ld"
ours="$builddir/core_resolve"
clang=${CLANG:-clang-19}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

skip() { echo "SKIP: $1"; exit 77; }
[ "$(id -u)" = 0 ] || skip "not root: libbpf cannot probe the kernel"
[ -f /usr/include/bpf/libbpf.h ] || skip "libbpf-dev not installed"
command -v bpftool >/dev/null 2>&1 || skip "bpftool not installed"
command -v "$clang" >/dev/null 2>&1 || skip "$clang not installed"
cc -o "$work/core_libbpf" "$srcdir/core_libbpf.c" -lbpf 2>/dev/null || skip "cannot link -lbpf"
multiarch=$(cc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
compile() { # OUT EXTRA-FLAGS SOURCE
	"$clang" -O2 -g -target bpf -I"/usr/include/$multiarch" $2 -c "$3" -o "$1" \
		2>"$work/cc.err" || skip "$clang cannot compile $3: $(head -1 "$work/cc.err")"
}

failures=0
same() { # WHAT LIBBPF-OUTPUT OURS-OUTPUT
	if [ "$(grep -c : "$2")" -gt 0 ] && diff -u "$2" "$3"; then
		echo "ok: $1: $(grep -c : "$2") instructions as libbpf"
	else
		echo "FAIL: $1: differs from libbpf"
		failures=$((failures + 1))
	fi
}

mods="$work/btf"
mkdir "$mods"
"$builddir/core_module_btf" "$mods" || { echo "FAIL: core_module_btf"; exit 1; }
bpftool -B "$mods/vmlinux" btf dump file "$mods/modfoo" >"$work/split.txt" 2>&1
grep -q "^\[5\] STRUCT 'modfoo_state' size=32 vlen=4" "$work/split.txt" &&
	grep -q "^\[7\] STRUCT 'shared_thing' size=16 vlen=2" "$work/split.txt" || {
	echo "FAIL: bpftool does not read the module's split BTF:"
	cat "$work/split.txt"
	failures=$((failures + 1))
}
mv "$mods/combined" "$work/combined"
compile "$work/module.o" "" "$srcdir/core/core_module.bpf.c"
compile "$work/shared.o" -DSHARED "$srcdir/core/core_module.bpf.c"
"$work/core_libbpf" "$work/module.o" "$work/combined" >"$work/libbpf.txt" 2>/dev/null
"$ours" --modules "$mods" "$work/module.o" "$mods/vmlinux" >"$work/ours.txt"
same "module-only type" "$work/libbpf.txt" "$work/ours.txt"
"$work/core_libbpf" "$work/shared.o" "$mods/vmlinux" >"$work/libbpf.txt" 2>/dev/null
"$ours" --modules "$mods" "$work/shared.o" "$mods/vmlinux" >"$work/ours.txt"
same "type in vmlinux and in the module" "$work/libbpf.txt" "$work/ours.txt"
"$work/core_libbpf" "$work/module.o" "$mods/vmlinux" >"$work/libbpf.txt" 2>/dev/null
"$ours" "$work/module.o" "$mods/vmlinux" >"$work/ours.txt"
same "no module directory (poisoned)" "$work/libbpf.txt" "$work/ours.txt"
grep -q " 195896080$" "$work/ours.txt" || {
	echo "FAIL: without the module directory nothing was poisoned"
	failures=$((failures + 1))
}

# The running kernel's modules, if any has BTF.
module=$(ls /sys/kernel/btf 2>/dev/null | grep -vx vmlinux | head -1)
if [ -z "$module" ]; then
	echo "SKIP (part 2): no kernel module has BTF in /sys/kernel/btf on this kernel"
else
	name=$(bpftool -B /sys/kernel/btf/vmlinux btf dump file "/sys/kernel/btf/$module" |
		sed -n "s/^\[[0-9]*\] STRUCT '\([A-Za-z_][A-Za-z0-9_]*\)' .*/\1/p" | while read -r s; do
			bpftool btf dump file /sys/kernel/btf/vmlinux |
				grep -q "STRUCT '$s' " || { echo "$s"; break; }
		done)
	if [ -z "$name" ]; then
		echo "SKIP (part 2): module $module has no struct of its own"
	else
		cat >"$work/real.bpf.c" <<SRC
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
struct $name { } __attribute__((preserve_access_index));
SEC("kprobe/x") int probe(void *ctx)
{
	return bpf_core_type_size(struct $name) + bpf_core_type_id_kernel(struct $name);
}
char LICENSE[] SEC("license") = "GPL";
SRC
		compile "$work/real.o" "" "$work/real.bpf.c"
		"$work/core_libbpf" "$work/real.o" >"$work/libbpf.txt" 2>/dev/null
		"$ours" --modules /sys/kernel/btf "$work/real.o" >"$work/ours.txt"
		same "struct $name of module $module" "$work/libbpf.txt" "$work/ours.txt"
	fi
fi
[ "$failures" = 0 ]
