#!/bin/sh
# conformance.sh - every program of the conformance suite (mnemonic dialect) assembles;
# where a file has a `-- raw` section its bytes equal our .text; and each object's
# llvm-objdump-19 text reassembled by llvm-mc-19 gives back our bytes (when present).
. "$top_srcdir/tests/asm/lib.sh"
SUITE=${EBPF_CONFORMANCE_DIR:-${CONFORMANCE_DIR:-$top_srcdir/../shared/conformance}}
[ -d "$SUITE" ] || { echo "SKIP: no conformance suite at $SUITE"; exit 77; }
status=0 total=0 raw=0 relisted=0

# Lines of section $2 ("asm" or "raw") of a .data file, comments removed.
data_section() {
	sed 's/#.*//' "$1" | awk -v want="$2" '/--/ { keep = index($0, want) > 0; next } keep'
}

# Bytes of .text as one hex string.
text_hex() {
	llvm-objcopy -O binary --only-section=.text "$1" "$1.bin" && od -An -tx1 -v "$1.bin" | tr -d ' \n'
}

# The raw section's 64-bit little-endian words as one hex string.
raw_hex() {
	for word in $(data_section "$1" raw); do
		hex=$(printf '%016x' "$word")
		i=15
		while [ $i -gt 0 ]; do printf '%s' "$(echo "$hex" | cut -c$i-$((i + 1)))"; i=$((i - 2)); done
	done
}

for data in "$SUITE"/*.data; do
	name=$(basename "$data" .data)
	total=$((total + 1))
	data_section "$data" asm > "$WORK/$name.s"
	if ! "$EBPF_AS" --dialect=mnemonic -o "$WORK/$name.o" "$WORK/$name.s" 2> "$WORK/$name.err"; then
		echo "FAIL: $name does not assemble:"; cat "$WORK/$name.err"; status=1; continue
	fi
	if grep -q -- '-- raw' "$data" && command -v llvm-objcopy >/dev/null 2>&1; then
		raw=$((raw + 1))
		if [ "$(text_hex "$WORK/$name.o")" != "$(raw_hex "$data")" ]; then
			echo "FAIL: $name: .text differs from its raw section"; status=1
		fi
	fi
	# llvm-objdump prints a bpf-to-bpf call like a helper call ("call 0x9"), so the
	# text of programs with `call local` cannot carry the call kind back.
	if command -v llvm-objdump-19 >/dev/null 2>&1 && command -v llvm-mc-19 >/dev/null 2>&1 &&
	   ! grep -q 'call local' "$WORK/$name.s"; then
		llvm-objdump-19 -d --mcpu=v4 --no-show-raw-insn --no-leading-addr "$WORK/$name.o" |
			sed -n 's/^	//p' | sed 's/ <[^ ]*>$//' > "$WORK/$name.llvm.s"
		llvm-mc-19 -triple bpf -mcpu=v4 -filetype=obj -o "$WORK/$name.llvm.o" "$WORK/$name.llvm.s" &&
		[ "$(text_hex "$WORK/$name.o")" = "$(text_hex "$WORK/$name.llvm.o")" ] &&
			relisted=$((relisted + 1)) ||
			{ echo "FAIL: $name: llvm-objdump-19 | llvm-mc-19 does not give our bytes back"; status=1; }
	fi
done
echo "conformance: $total assembled, $raw raw sections compared, $relisted re-assembled by llvm-mc-19"
echo "(files with 'call local' are not re-assembled: llvm-objdump's text loses the call kind)"
[ $total -gt 0 ] || status=1
exit $status
