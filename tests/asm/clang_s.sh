#!/bin/sh
# clang_s.sh - `clang -S` output (directives, .BTF/.BTF.ext and DWARF as data, with
# -g) assembled by ebpf-as equals `clang -c` of the same source: every section's bytes
# and relocations, except the DWARF line and frame tables an assembler derives from
# .loc/.cfi_* (ebpf-as accepts those directives but does not generate DWARF).
. "$top_srcdir/tests/asm/lib.sh"
require_tool clang-19
require_tool llvm-objdump
status=0 count=0

without_dwarf_tables() {
	awk '/^(Contents of section|RELOCATION RECORDS FOR)/ {
		skip = ($0 ~ /\.debug_(line|line_str|frame)[]:]/) }
	     !skip' "$1"
}

for c in "$DATA"/roundtrip/*.c "$DATA"/clang_s/*.c; do
	base=$(basename "$c" .c)
	for flags in "-mcpu=v4" "-mcpu=v4 -g" "-mcpu=v2 -g"; do
		# (arith.c needs v4's signed division: clang refuses it for v2)
		clang-19 -target bpf -O2 $flags -S "$c" -o "$WORK/$base.s" 2>/dev/null || continue
		clang-19 -target bpf -O2 $flags -c "$c" -o "$WORK/$base.clang.o"
		"$EBPF_AS" -o "$WORK/$base.as.o" "$WORK/$base.s" ||
			{ echo "FAIL: ebpf-as rejects clang-19 $flags -S $base.c"; status=1; continue; }
		obj_summary "$WORK/$base.clang.o" > "$WORK/clang.txt"
		obj_summary "$WORK/$base.as.o" > "$WORK/as.txt"
		without_dwarf_tables "$WORK/clang.txt" > "$WORK/clang.cut"
		without_dwarf_tables "$WORK/as.txt" > "$WORK/as.cut"
		if diff -u "$WORK/clang.cut" "$WORK/as.cut" > "$WORK/diff"; then
			count=$((count + 1))
		else
			head -40 "$WORK/diff"
			echo "FAIL: $base.c with $flags: ebpf-as of clang -S differs from clang -c"
			status=1
		fi
	done
done
echo "clang -S: $count objects identical to clang -c"
exit $status
