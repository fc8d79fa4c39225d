#!/bin/sh
# random_programs.sh - random programs (random_program.py: branches, loops, calls,
# inline expansions, map values, packet pointers, 8 to 14 locals so values cross
# calls and spill) compiled by ebpf-cc -O2 run in the emulator with exactly the
# report of clang's twin. A program ebpf-cc cannot compile (an expression too deep
# for the code generator's temporaries) is counted, not failed. SKIP without clang
# or python3. SEEDS=FROM-TO overrides the fixed range.
. "$top_srcdir/tests/cc/lib.sh"
require_tool python3
command -v clang >/dev/null 2>&1 || command -v clang-19 >/dev/null 2>&1 ||
	{ echo "SKIP: clang not installed"; exit 77; }
seeds=${SEEDS:-1-24}
fail=0 compared=0 skipped=0
for seed in $(seq "${seeds%-*}" "${seeds#*-}"); do
	values=$((8 + seed % 7))
	src="$WORK/r$seed.bpf.c"
	python3 "$top_srcdir/tests/cc/random_program.py" "$seed" "$values" > "$src" || exit 1
	clang_twin "$src" "$WORK/c.o" 2>/dev/null || { skipped=$((skipped + 1)); continue; }
	if ! "$EBPF_CC" -O2 -g -c "$src" -o "$WORK/e.o" 2>"$WORK/err"; then
		grep -q "out of registers" "$WORK/err" && { skipped=$((skipped + 1)); continue; }
		echo "FAIL seed $seed: ebpf-cc failed"; cat "$WORK/err"; fail=1; continue
	fi
	hex=$(printf '%02x' $(seq $((seed % 200)) $((seed % 200 + 15))))
	"$EBPF_RUN" "$WORK/c.o" --data-hex "$hex" --dump-maps 2>&1 | normalize > "$WORK/c.txt"
	"$EBPF_RUN" "$WORK/e.o" --data-hex "$hex" --dump-maps 2>&1 | normalize > "$WORK/e.txt"
	if ! diff -u "$WORK/c.txt" "$WORK/e.txt"; then
		echo "FAIL seed $seed: report differs from clang's twin"; cat "$src"; fail=1
		continue
	fi
	compared=$((compared + 1))
done
echo "random programs: $compared identical to clang's twin, $skipped not compiled"
[ "$compared" -gt 0 ] || { echo "FAIL: nothing compared"; exit 1; }
exit $fail
