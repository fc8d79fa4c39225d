#!/bin/sh
# elf_oracles.sh - what our ELF writer produces for the reference objects is accepted by
# llvm-readelf -a (no warnings), disassembles with llvm-objdump -d -r exactly like the
# clang original, dumps the same BTF with bpftool, and, as root with bpffs mounted, loads
# into the real kernel with bpftool prog loadall whenever the original does.
srcdir=$(dirname "$0")
. "$srcdir/../lib/skip.sh"
require_tool llvm-readelf
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
status=0
fail() {
	echo "FAIL: $*"
	status=1
}

for original in "$srcdir"/data/*.o; do
	name=$(basename "$original")
	ours="$work/$name"
	./elf_roundtrip "$original" "$ours" || { fail "$name: round trip"; continue; }
	if ! llvm-readelf -a "$ours" >"$work/readelf.out" 2>"$work/readelf.err" ||
	   grep -qi -e warning -e error "$work/readelf.err"; then
		fail "$name: llvm-readelf -a rejects our output:"
		cat "$work/readelf.err"
	fi
	if command -v llvm-objdump >/dev/null 2>&1; then
		llvm-objdump -d -r "$original" | tail -n +3 >"$work/expected.dis"
		llvm-objdump -d -r "$ours" | tail -n +3 >"$work/actual.dis"
		cmp -s "$work/expected.dis" "$work/actual.dis" ||
			fail "$name: llvm-objdump -d -r differs"
	fi
	if command -v bpftool >/dev/null 2>&1; then
		bpftool btf dump file "$original" >"$work/expected.btf" 2>&1
		bpftool btf dump file "$ours" >"$work/actual.btf" 2>&1 ||
			fail "$name: bpftool btf dump file rejects our output"
		cmp -s "$work/expected.btf" "$work/actual.btf" ||
			fail "$name: bpftool btf dump differs"
		if [ "$(id -u)" = 0 ] && mount | grep -q ' type bpf '; then
			pin=/sys/fs/bpf/objfmt_elf_oracles_$$
			if bpftool prog loadall "$original" "${pin}_orig" >/dev/null 2>&1; then
				bpftool prog loadall "$ours" "${pin}_ours" >"$work/load.err" 2>&1 ||
					{ fail "$name: libbpf loads clang's object but not ours"; cat "$work/load.err"; }
				[ "$(ls "${pin}_orig")" = "$(ls "${pin}_ours" 2>/dev/null)" ] ||
					fail "$name: different programs pinned"
			fi
			rm -rf "${pin}_orig" "${pin}_ours"
		fi
	fi
done
exit $status
