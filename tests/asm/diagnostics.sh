#!/bin/sh
# diagnostics.sh - user errors: exact `file.s:L:C: error: ...` text with the source line
# and caret, every error of a file reported, nearest-spelling suggestions, exit 1 and
# no output file; --max-errors stops early; bad usage exits 2.
. "$top_srcdir/tests/asm/lib.sh"
status=0

for src in "$DATA"/diag/*.s; do
	name=$(basename "$src" .s)
	rc=0
	(cd "$DATA/diag" && "$EBPF_AS" -o "$WORK/$name.o" "$name.s") 2> "$WORK/$name.err" || rc=$?
	[ $rc = 1 ] || { echo "FAIL: $name.s: exit status $rc, expected 1"; status=1; }
	[ ! -e "$WORK/$name.o" ] || { echo "FAIL: $name.s left an output file"; status=1; }
	if diff -u "$DATA/diag/$name.err" "$WORK/$name.err"; then
		echo "ok: $name.s ($(grep -c ': error: ' "$WORK/$name.err") errors)"
	else
		status=1
	fi
done

# An existing output file is left alone when assembly fails.
echo old > "$WORK/keep.o"
(cd "$DATA/diag" && "$EBPF_AS" -o "$WORK/keep.o" mnemonic.s) 2>/dev/null
[ "$(cat "$WORK/keep.o")" = old ] || { echo "FAIL: failed run replaced the output"; status=1; }

# 30 bad lines, stop after 5.
i=0; : > "$WORK/many.s"
while [ $i -lt 30 ]; do echo "	bogus$i" >> "$WORK/many.s"; i=$((i + 1)); done
"$EBPF_AS" --max-errors=5 -o "$WORK/many.o" "$WORK/many.s" 2> "$WORK/many.err"
[ "$(grep -c ': error: ' "$WORK/many.err")" = 5 ] && grep -q 'note: too many errors; stopping' "$WORK/many.err" ||
	{ echo "FAIL: --max-errors=5"; cat "$WORK/many.err"; status=1; }

# Binary input: one error at the NUL byte; other bytes are shown escaped.
printf 'r0 = 1\nexit\0\n' > "$WORK/nul.s"
"$EBPF_AS" -o "$WORK/nul.o" "$WORK/nul.s" 2> "$WORK/nul.err"
grep -q "nul.s:2:5: error: NUL byte in input: expected assembly text" "$WORK/nul.err" ||
	{ echo "FAIL: NUL byte"; cat "$WORK/nul.err"; status=1; }
printf 'r0 = 1 \352\nexit\n' > "$WORK/high.s"
"$EBPF_AS" -o "$WORK/high.o" "$WORK/high.s" 2> "$WORK/high.err"
grep -qF "high.s:1:8: error: unexpected '\\xea'; expected end of line" "$WORK/high.err" ||
	{ echo "FAIL: byte 0xea"; cat "$WORK/high.err"; status=1; }

"$EBPF_AS" --help | grep -q '^Usage: ebpf-as ' || { echo "FAIL: --help"; status=1; }
"$EBPF_AS" --version | grep -q '^ebpf-as ' || { echo "FAIL: --version"; status=1; }
rc=0; "$EBPF_AS" a.s b.s 2>/dev/null || rc=$?
[ $rc = 2 ] || { echo "FAIL: two inputs exit $rc, expected 2"; status=1; }
rc=0; "$EBPF_AS" --dialect=klingon x.s 2>/dev/null || rc=$?
[ $rc = 2 ] || { echo "FAIL: bad --dialect exits $rc, expected 2"; status=1; }
rc=0; "$EBPF_AS" "$WORK/does-not-exist.s" 2> "$WORK/missing.err" || rc=$?
[ $rc = 1 ] && grep -q "does-not-exist.s: error: cannot read: No such file or directory" "$WORK/missing.err" ||
	{ echo "FAIL: missing input"; status=1; }
exit $status
