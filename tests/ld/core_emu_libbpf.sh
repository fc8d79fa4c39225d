#!/bin/sh
# core_emu_libbpf.sh - our libbpf-compatible API (bpf_object__open/load on the
# emulator) relocates CO-RE objects against the emulated kernel's BTF exactly as the
# loader's resolver does: core_libbpf.c built against include/bpf (core_ourlibbpf)
# against core_resolve, both on the built-in BTF. Needs no oracle.
set -u
build="${top_builddir:-../..}/tests/ld"
data="${top_srcdir:-../..}/tests/run/core"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
export EBPF_EMU_KERNEL_BTF=builtin

"$build/core_resolve" --write-emu-btf "$work/builtin.btf" || exit 1
for object in "$data/task_tracer.bpf.o" "$data/bootstrap.bpf.o"; do
	"$build/core_ourlibbpf" "$object" >"$work/libbpf.txt" 2>"$work/libbpf.err"
	"$build/core_resolve" "$object" "$work/builtin.btf" >"$work/ours.txt"
	count=$(grep -c : "$work/ours.txt")
	if [ "$count" -eq 0 ] || ! diff -u "$work/ours.txt" "$work/libbpf.txt"; then
		echo "FAIL: $(basename "$object"): bpf_object__load relocated otherwise"
		cat "$work/libbpf.err"
		failures=$((failures + 1))
	else
		echo "ok: $(basename "$object"): $count instructions"
	fi
done
exit $((failures != 0))
