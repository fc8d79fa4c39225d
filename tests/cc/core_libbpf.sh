#!/bin/sh
# core_libbpf.sh - ebpf-cc's objects of the loader's CO-RE cases (tests/ld/core) on the
# running kernel's BTF: the system libbpf relocates them (tests/ld/core_libbpf.c prints
# every instruction after relocation) exactly as our resolver does (tests/ld/core_resolve),
# on the kernel's BTF and on the emulator's built-in BTF.
# Prints the number of instructions compared. SKIP (77) without root, the kernel's BTF,
# libbpf-dev or bpftool.
. "$top_srcdir/tests/cc/lib.sh"
skip() { echo "SKIP: $1"; exit 77; }
ours="$top_builddir/tests/ld/core_resolve"
core="$top_srcdir/tests/ld/core"
[ "$(id -u)" = 0 ] || skip "not root: libbpf cannot probe the kernel"
[ -r /sys/kernel/btf/vmlinux ] || skip "no /sys/kernel/btf/vmlinux"
[ -f /usr/include/bpf/libbpf.h ] || skip "libbpf-dev not installed"
command -v bpftool >/dev/null 2>&1 || skip "bpftool not installed"
[ -x "$ours" ] || skip "tests/ld/core_resolve not built"
cc -o "$WORK/core_libbpf" "$top_srcdir/tests/ld/core_libbpf.c" -lbpf 2>/dev/null ||
	skip "cannot link -lbpf"
bpftool btf dump file /sys/kernel/btf/vmlinux format c >"$WORK/vmlinux.h" || skip "bpftool failed"
EBPF_EMU_KERNEL_BTF=builtin "$ours" --write-emu-btf "$WORK/builtin.btf" || {
	echo "FAIL: core_resolve --write-emu-btf"; exit 1
}
fail=0 total=0
for name in core_cases core_vmlinux; do
	# -fno-verify: these objects exist to be relocated; some loads are not verifiable
	if ! "$EBPF_CC" -O2 -g -fno-verify -D__TARGET_ARCH_x86 -I"$WORK" -I"$MULTIARCH_INC" \
		-c "$core/$name.bpf.c" -o "$WORK/$name.o"; then
		echo "FAIL $name: ebpf-cc failed"; fail=1; continue
	fi
	# against the running kernel's BTF, then the emulator's built-in BTF
	for target in "" "$WORK/builtin.btf"; do
		"$WORK/core_libbpf" "$WORK/$name.o" $target >"$WORK/libbpf.txt" 2>"$WORK/libbpf.err"
		"$ours" "$WORK/$name.o" $target >"$WORK/ours.txt" ||
			{ echo "FAIL $name: core_resolve"; fail=1; continue; }
		count=$(grep -c : "$WORK/libbpf.txt")
		if [ "$count" -eq 0 ] || ! diff -u "$WORK/libbpf.txt" "$WORK/ours.txt"; then
			echo "FAIL $name${target:+ on the built-in BTF}: differs from libbpf"
			cat "$WORK/libbpf.err"; fail=1
		else
			echo "ok $name${target:+ on the built-in BTF}: $count of $count instructions as libbpf"
			total=$((total + count))
		fi
	done
done
echo "agreement: $total instructions identical to libbpf"
exit $fail
