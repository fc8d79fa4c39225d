#!/bin/sh
# objdump_conformance_roundtrip.sh - every program of the bpf_conformance suite
# (../shared/conformance, or $EBPF_CONFORMANCE_DIR), assembled by ebpf-as, printed by
# ebpf-objdump --dialect=mnemonic and assembled again gives the same instruction
# bytes: the mnemonic listing is the conformance dialect. SKIP (77) without ebpf-as or
# the suite.
srcdir=${srcdir:-.}
suite=${EBPF_CONFORMANCE_DIR:-$srcdir/../../../shared/conformance}
objdump=$PWD/../../objfmt/ebpf-objdump
as=$PWD/../../asm/ebpf-as
[ -x "$as" ] || { echo "SKIP: $as not built"; exit 77; }
ls "$suite"/*.data > /dev/null 2>&1 || { echo "SKIP: no conformance suite at $suite"; exit 77; }
work=${TMPDIR:-/tmp}/objdump_conformance_roundtrip.$$
trap 'rm -rf "$work"' EXIT
mkdir -p "$work" || exit 1
code_bytes() {
	"$objdump" -d "$1" | grep -E '^ +[0-9]+:' | cut -f2
}
passed=0 failed=0
for data in "$suite"/*.data; do
	name=$(basename "$data" .data)
	# the -- asm section, comments dropped (as the suite's own reader does)
	awk '/--/ { section = ($0 ~ /-- asm/) ? "asm" : ""; next }
	     section == "asm" { sub(/#.*/, ""); if ($0 ~ /[^ \t\r]/) print }' "$data" > "$work/in.s"
	if "$as" --dialect=mnemonic -o "$work/in.o" "$work/in.s" &&
	   "$objdump" -d --dialect=mnemonic "$work/in.o" > "$work/listing.s" &&
	   "$as" --dialect=mnemonic -o "$work/again.o" "$work/listing.s" &&
	   code_bytes "$work/in.o" > "$work/want" && code_bytes "$work/again.o" > "$work/got" &&
	   [ -s "$work/want" ] && cmp -s "$work/want" "$work/got"; then
		passed=$((passed + 1))
	else
		echo "FAIL: $name"
		failed=$((failed + 1))
	fi
done
echo "$passed programs round-tripped, $failed failed"
[ "$failed" = 0 ]
