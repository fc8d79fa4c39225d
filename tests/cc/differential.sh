#!/bin/sh
# differential.sh - every program under progs/ compiles with ebpf-cc (-O0 and -O2), is
# accepted by the emulated verifier and runs on its RUN: inputs with exactly the report of the
# golden file; the goldens are the reports of clang's twin, and when clang is present
# the twin is rebuilt and compared too. A program marked O0-REFUSED (lib.sh) must be
# refused at -O0 by the compile-time verifier, as clang's -O0 twin is.
. "$top_srcdir/tests/cc/lib.sh"
fail=0

# -O0 (every local on the stack, no folding) must behave the same
check_O0() {
	if ! "$EBPF_CC" -O0 -c "$src" -o "$WORK/$name.O0.o" 2>"$WORK/$name.err"; then
		echo "FAIL $name: ebpf-cc -O0 failed"; cat "$WORK/$name.err"; return 1
	fi
	eval "\"$EBPF_RUN\" \"$WORK/$name.O0.o\" $args" 2>&1 | normalize "$src" > "$WORK/$name.O0"
	if ! diff -u "$WORK/$name.golden" "$WORK/$name.O0"; then
		echo "FAIL $name -O0: report differs from the golden (clang twin)"; return 1
	fi
}

# -O0 refused: the verdict is compared, ours from compile-time verification
check_O0_refused() {
	if "$EBPF_CC" -O0 -c "$src" -o "$WORK/$name.O0.o" 2>"$WORK/$name.err"; then
		echo "FAIL $name -O0: accepted, but its header says O0-REFUSED"; return 1
	fi
	if ! grep -q "error: BPF verifier rejects program" "$WORK/$name.err"; then
		echo "FAIL $name -O0: failed, not by the verifier"; cat "$WORK/$name.err"; return 1
	fi
	if clang_twin "$src" "$WORK/$name.clang0.o" -O0 2>/dev/null &&
	   "$EBPF_RUN" --verify-only "$WORK/$name.clang0.o" >/dev/null 2>&1; then
		echo "FAIL $name -O0: refused, but clang's -O0 twin is accepted"; return 1
	fi
}

for src in "$PROGS"/*.bpf.c; do
	name=$(basename "$src" .bpf.c)
	args=$(run_args "$src")
	normalize "$src" < "$EXPECTED/$name.txt" > "$WORK/$name.golden"
	if refused_at_O0 "$src"; then
		check_O0_refused || { fail=1; continue; }
	else
		check_O0 || { fail=1; continue; }
	fi
	if ! "$EBPF_CC" -O2 -g -c "$src" -o "$WORK/$name.o" 2>"$WORK/$name.err"; then
		echo "FAIL $name: ebpf-cc failed"; cat "$WORK/$name.err"; fail=1; continue
	fi
	eval "\"$EBPF_RUN\" \"$WORK/$name.o\" $args" 2>&1 | normalize "$src" > "$WORK/$name.ours"
	if ! diff -u "$WORK/$name.golden" "$WORK/$name.ours"; then
		echo "FAIL $name: report differs from the golden (clang twin)"; fail=1; continue
	fi
	if clang_twin "$src" "$WORK/$name.clang.o" 2>/dev/null; then
		eval "\"$EBPF_RUN\" \"$WORK/$name.clang.o\" $args" 2>&1 | normalize "$src" > "$WORK/$name.clang"
		if ! diff -u "$WORK/$name.clang" "$WORK/$name.ours"; then
			echo "FAIL $name: report differs from clang's twin"; fail=1; continue
		fi
	fi
	echo "ok $name"
done

# The project's examples are compiled by ebpf-cc and compared with clang's goldens by
# examples/run-example.sh (make -C examples check).
exit $fail
