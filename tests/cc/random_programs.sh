#!/bin/sh
# random_programs.sh - random programs (random_program.py: branches, loops, calls,
# inline expansions, map values, packet pointers, 8 to 14 locals so values cross
# calls and spill; counted loops over local arrays, address-taken locals, narrow
# stores then wide loads, switches, `c ? x : K`) compiled by ebpf-cc -O2 and -O0 run
# in the emulator with exactly the report of clang's -O2 twin; as root, each object
# also loads into the real kernel and runs there as in the emulator (--compare).
# A program ebpf-cc cannot compile (an expression too deep for the code generator's
# temporaries; at -O0, a frame over 512 bytes) is counted, not failed, and so is one
# whose clang twin the verifier refuses. SKIP without clang or python3.
# SEEDS=FROM-TO overrides the fixed range.
. "$top_srcdir/tests/cc/lib.sh"
require_tool python3
command -v clang >/dev/null 2>&1 || command -v clang-19 >/dev/null 2>&1 ||
	{ echo "SKIP: clang not installed"; exit 77; }
seeds=${SEEDS:-1-24}
# clang keeps a local array's constant initializer in .rodata.cst16 (a map in the
# report), ebpf-cc stores the constants: not a difference in behaviour
no_rodata() {
	awk '/^map / { dropping = ($2 ~ /^\.rodata/) } /^[^ ]/ && !/^map / { dropping = 0 } !dropping'
}
fail=0 compared=0 skipped=0
for seed in $(seq "${seeds%-*}" "${seeds#*-}"); do
	values=$((8 + seed % 7))
	src="$WORK/r$seed.bpf.c"
	python3 "$top_srcdir/tests/cc/random_program.py" "$seed" "$values" > "$src" || exit 1
	clang_twin "$src" "$WORK/c.o" 2>/dev/null || { skipped=$((skipped + 1)); continue; }
	hex=$(printf '%02x' $(seq $((seed % 200)) $((seed % 200 + 15))))
	"$EBPF_RUN" "$WORK/c.o" --data-hex "$hex" --dump-maps 2>&1 | normalize | no_rodata > "$WORK/c.txt"
	# clang's code the verifier refuses (the real kernel too: a packet read it cannot
	# bound after clang merged the branches) is no reference
	grep -q 'verifier: rejected' "$WORK/c.txt" && { skipped=$((skipped + 1)); continue; }
	for level in -O2 -O0; do
		if ! "$EBPF_CC" $level -g -c "$src" -o "$WORK/e.o" 2>"$WORK/err"; then
			grep -q "out of registers" "$WORK/err" && { skipped=$((skipped + 1)); continue; }
			# -O0 keeps every local of every block in its own slot
			[ $level = -O0 ] && grep -q "Too large\|bytes of stack" "$WORK/err" &&
				{ skipped=$((skipped + 1)); continue; }
			echo "FAIL seed $seed: ebpf-cc $level failed"; cat "$WORK/err"; fail=1; continue
		fi
		"$EBPF_RUN" "$WORK/e.o" --data-hex "$hex" --dump-maps 2>&1 | normalize | no_rodata > "$WORK/e.txt"
		if ! diff -u "$WORK/c.txt" "$WORK/e.txt"; then
			echo "FAIL seed $seed $level: report differs from clang's twin"; cat "$src"; fail=1
			continue
		fi
		# as root, the real kernel loads it (-g: line_info too) and runs it the same
		if [ "$(id -u)" = 0 ] && ! "$EBPF_RUN" "$WORK/e.o" --data-hex "$hex" --compare \
			>"$WORK/k.txt" 2>&1; then
			echo "FAIL seed $seed $level: the kernel disagrees with the emulator"
			grep -v '^    |' "$WORK/k.txt" | head -20; fail=1; continue
		fi
		compared=$((compared + 1))
	done
done
echo "random programs: $compared compiles (-O2, -O0) identical to clang's twin, $skipped not compiled"
[ "$compared" -gt 0 ] || { echo "FAIL: nothing compared"; exit 1; }
exit $fail
