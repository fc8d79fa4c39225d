#!/bin/sh
# objdump_mnemonic_roundtrip.sh - `ebpf-objdump -d --dialect=mnemonic` prints assembly
# that ebpf-as reads back into the same instruction bytes (all code sections, in
# order) for the checked-in clang objects. SKIP (77) when ebpf-as is not built.
srcdir=${srcdir:-.}
objdump=$PWD/../../objfmt/ebpf-objdump
as=$PWD/../../asm/ebpf-as
[ -x "$as" ] || { echo "SKIP: $as not built"; exit 77; }
work=${TMPDIR:-/tmp}/objdump_mnemonic_roundtrip.$$
trap 'rm -rf "$work"' EXIT
mkdir -p "$work" || exit 1
status=0
# code bytes of every code section of OBJECT, one instruction per line
code_bytes() {
	"$objdump" -d "$1" | grep -E '^ +[0-9]+:' | cut -f2
}
for name in maps-clang14 v3-clang14 v4-clang19; do
	object=$srcdir/codec/objects/$name.o
	"$objdump" -d --dialect=mnemonic "$object" > "$work/$name.s" || { status=1; continue; }
	"$as" --dialect=mnemonic -o "$work/$name.o" "$work/$name.s" || { status=1; continue; }
	code_bytes "$object" > "$work/want"
	code_bytes "$work/$name.o" > "$work/got"
	[ -s "$work/want" ] && diff -u "$work/want" "$work/got" || { echo "FAIL: $name"; status=1; }
done
exit $status
