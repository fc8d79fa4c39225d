#!/bin/sh
# handoff.sh - the integrated preprocessor hands its tokens straight to the parser;
# lexing the printed text (`ebpf-cc -E` saved as a .i file, read by the flex lexer) is
# the oracle: for every test program, example, diagnostics case and handoff/edge.c the
# object (-O0, -O2, -O2 -g), the assembly (-S) and the messages must be identical
# both ways. (The printed text itself is checked against gcc -E by cpp_differential.sh.)
. "$top_srcdir/tests/cc/lib.sh"
fail=0 count=0
DEFS="-D__TARGET_ARCH_x86 -I$MULTIARCH_INC"
for src in "$PROGS"/*.bpf.c "$top_srcdir"/examples/*.bpf.c "$top_srcdir"/tests/cc/diagnostics/*.c \
	   "$top_srcdir"/tests/cc/handoff/edge.c; do
	name=$(basename "$src" .c)
	dir=$(dirname "$src")
	for flags in "-O0 -c" "-O2 -c" "-O2 -g -c" "-O2 -g -S"; do
		tag=$(echo "$flags" | tr -d ' -')
		# the .i is written beside nothing else: names in messages come from its markers
		"$EBPF_CC" $DEFS -I"$dir" -E "$src" -o "$WORK/$name.i" 2>/dev/null || continue
		(cd "$dir" && "$EBPF_CC" $flags $DEFS "$src" -o "$WORK/$name.$tag.direct") \
			> "$WORK/$name.$tag.direct.err" 2>&1
		rc1=$?
		(cd "$dir" && "$EBPF_CC" $flags "$WORK/$name.i" -o "$WORK/$name.$tag.text") \
			> "$WORK/$name.$tag.text.err" 2>&1
		rc2=$?
		count=$((count + 1))
		if [ $rc1 -ne $rc2 ]; then
			echo "FAIL $name $flags: exit status $rc1 handed over, $rc2 from the text"
			fail=1; continue
		fi
		if ! diff -u "$WORK/$name.$tag.text.err" "$WORK/$name.$tag.direct.err"; then
			echo "FAIL $name $flags: messages differ"; fail=1; continue
		fi
		if [ $rc1 -eq 0 ] && ! cmp -s "$WORK/$name.$tag.direct" "$WORK/$name.$tag.text"; then
			echo "FAIL $name $flags: outputs differ"; fail=1; continue
		fi
	done
done
# edge.c must really exercise the error paths it is there for
"$EBPF_CC" -c "$top_srcdir/tests/cc/handoff/edge.c" -o "$WORK/edge.o" 2> "$WORK/edge.err"
for m in "floating-point constant '1.5e' is not supported" "invalid integer constant '0x1p'" \
	 "integer constant '0xffffffffffffffffff' is too large" "invalid character '@' in source" \
	 "renamed.c:213:17: error: floating-point constant '1.5e'"; do
	grep -q "$m" "$WORK/edge.err" || { echo "FAIL edge.c: no \"$m\""; cat "$WORK/edge.err"; fail=1; }
done
# digraphs read as the punctuators they spell, by both paths: the program compiles
# to the code of its plain spelling (the BTF differs: it holds the source lines)
code() { awk '/\.section[ \t]+\.BTF/ { exit } { print }' "$1"; }
H="$top_srcdir/tests/cc/handoff"
"$EBPF_CC" $DEFS -O2 -S "$H/plain.c" -o "$WORK/plain.s" &&
	"$EBPF_CC" $DEFS -O2 -S "$H/digraphs.c" -o "$WORK/digraphs.s" &&
	"$EBPF_CC" $DEFS -E "$H/digraphs.c" -o "$WORK/digraphs.i" &&
	"$EBPF_CC" -O2 -S "$WORK/digraphs.i" -o "$WORK/digraphs.i.s" || {
	echo "FAIL digraphs.c does not compile"; fail=1; }
code "$WORK/plain.s" > "$WORK/plain.code"
for s in digraphs.s digraphs.i.s; do
	code "$WORK/$s" | diff -u "$WORK/plain.code" - || { echo "FAIL $s: code differs"; fail=1; }
done
grep -q '<:' "$WORK/digraphs.i" || { echo "FAIL -E does not keep the digraphs' spelling"; fail=1; }
echo "$count compiles compared"
exit $fail
