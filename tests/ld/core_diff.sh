#!/bin/sh
# core_diff.sh - our CO-RE resolver (ld/core_*.c, printed by core_resolve) against the
# system libbpf (core_libbpf.c) on the running kernel's BTF: every instruction of
# every program must be identical. Objects are compiled at test time with clang from
# core/core_cases.bpf.c (own local types) and core/core_vmlinux.bpf.c (on a vmlinux.h
# dumped by bpftool). Prints the number of instructions compared. SKIP (77) without
# root (libbpf probes the kernel before relocating), the kernel's BTF, libbpf-dev,
# clang >= 15 (bpf_core_type_matches) or bpftool.
set -u
ours="${top_builddir:-../..}/tests/ld/core_resolve"
srcdir="${top_srcdir:-../..}/tests/ld"
clang=${CLANG:-clang-19}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

skip() { echo "SKIP: $1"; exit 77; }
[ "$(id -u)" = 0 ] || skip "not root: libbpf cannot probe the kernel"
[ -r /sys/kernel/btf/vmlinux ] || skip "no /sys/kernel/btf/vmlinux"
[ -f /usr/include/bpf/libbpf.h ] || skip "libbpf-dev not installed"
command -v bpftool >/dev/null 2>&1 || skip "bpftool not installed"
command -v "$clang" >/dev/null 2>&1 || skip "$clang not installed"
cc -o "$work/core_libbpf" "$srcdir/core_libbpf.c" -lbpf 2>/dev/null || skip "cannot link -lbpf"
multiarch=$(cc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
bpftool btf dump file /sys/kernel/btf/vmlinux format c >"$work/vmlinux.h" || skip "bpftool failed"

failures=0 total=0
for name in core_cases core_vmlinux; do
	"$clang" -O2 -g -target bpf -D__TARGET_ARCH_x86 -I"$work" -I"/usr/include/$multiarch" \
		-c "$srcdir/core/$name.bpf.c" -o "$work/$name.o" 2>"$work/cc.err" ||
		skip "$clang cannot compile $name.bpf.c: $(head -1 "$work/cc.err")"
	"$work/core_libbpf" "$work/$name.o" >"$work/libbpf.txt" 2>/dev/null
	"$ours" "$work/$name.o" >"$work/ours.txt" || { failures=$((failures + 1)); continue; }
	count=$(grep -c : "$work/libbpf.txt")
	if [ "$count" -eq 0 ] || ! diff -u "$work/libbpf.txt" "$work/ours.txt"; then
		echo "FAIL: $name: relocated instructions differ from libbpf's"
		failures=$((failures + 1))
	else
		echo "ok: $name: $count of $count instructions as libbpf"
		total=$((total + count))
	fi
done
# Against other target BTFs (libbpf's btf_custom_path): the emulator's built-in BTF,
# for these objects and the checked-in tracer of tests/run, must relocate alike.
EBPF_EMU_KERNEL_BTF=builtin "$ours" --write-emu-btf "$work/builtin.btf" || {
	echo "FAIL: core_resolve --write-emu-btf"
	failures=$((failures + 1))
}
for object in "$work/core_cases.o" "$work/core_vmlinux.o" \
	"${top_srcdir:-../..}/tests/run/core/task_tracer.bpf.o"; do
	"$work/core_libbpf" "$object" "$work/builtin.btf" >"$work/libbpf.txt" 2>/dev/null
	"$ours" "$object" "$work/builtin.btf" >"$work/ours.txt" || { failures=$((failures + 1)); continue; }
	count=$(grep -c : "$work/libbpf.txt")
	if [ "$count" -eq 0 ] || ! diff -u "$work/libbpf.txt" "$work/ours.txt"; then
		echo "FAIL: $(basename "$object") on the built-in BTF: differs from libbpf"
		failures=$((failures + 1))
	else
		echo "ok: $(basename "$object") on the built-in BTF: $count of $count instructions as libbpf"
		total=$((total + count))
	fi
done
# ... and the object's own BTF as target holds two flavors of sk_buff with different
# offsets: both refuse the same relocation as ambiguous.
llvm-objcopy --dump-section .BTF="$work/own.btf" "$work/core_cases.o" 2>/dev/null ||
	cp /dev/null "$work/own.btf"
if [ -s "$work/own.btf" ]; then
	"$work/core_libbpf" "$work/core_cases.o" "$work/own.btf" >/dev/null 2>"$work/libbpf.err"
	"$ours" "$work/core_cases.o" "$work/own.btf" >/dev/null 2>"$work/ours.err"
	relo=$(sed -n 's/.*relo #\([0-9]*\): field offset ambiguity.*/\1/p' "$work/libbpf.err" | head -1)
	if [ -n "$relo" ] &&
	   grep -q "CO-RE relocation #$relo (.*): field offset ambiguity" "$work/ours.err"; then
		echo "ok: core_cases on its own BTF: relocation #$relo ambiguous for both"
	else
		echo "FAIL: ambiguity on the object's own BTF:"
		cat "$work/libbpf.err" "$work/ours.err"
		failures=$((failures + 1))
	fi
fi

# Candidate narrowing on a made-up target (core_target's BTF, two foo flavors).
"$clang" -O2 -g -target bpf -c "$srcdir/core/core_target.bpf.c" -o "$work/target.o" &&
	llvm-objcopy --dump-section .BTF="$work/target.btf" "$work/target.o" 2>/dev/null &&
	"$clang" -O2 -g -target bpf -I"/usr/include/$multiarch" \
		-c "$srcdir/core/core_narrow.bpf.c" -o "$work/narrow.o" || cp /dev/null "$work/target.btf"
if [ -s "$work/target.btf" ]; then
	"$work/core_libbpf" "$work/narrow.o" "$work/target.btf" >"$work/libbpf.txt" 2>/dev/null
	"$ours" "$work/narrow.o" "$work/target.btf" >"$work/ours.txt"
	count=$(grep -c : "$work/libbpf.txt")
	if [ "$count" -gt 0 ] && diff -u "$work/libbpf.txt" "$work/ours.txt" &&
	   grep -q "^5: b7 1 0 0 4$" "$work/ours.txt"; then
		echo "ok: core_narrow: candidates narrowed as libbpf ($count instructions)"
		total=$((total + count))
	else
		echo "FAIL: core_narrow: candidate narrowing differs from libbpf's"
		failures=$((failures + 1))
	fi
fi

# ebpf-cc's objects of the same sources are compared with libbpf in tests/cc/core_libbpf.sh.
echo "agreement: $total instructions identical to libbpf $(pkg-config --modversion libbpf 2>/dev/null)"
exit $((failures != 0))
