#!/bin/bash
# cc.sh - ebpf-cc against clang -O2 -g -target bpf on the same sources, side by side:
# CPU time (user+sys of the whole compile with the integrated preprocessor, of the
# same compile through the system one (-no-integrated-cpp: gcc -E), and of the
# compiler proper on the preprocessed .i, all over several runs) and static
# instruction count (code bytes / 8). Targets: >= 10x faster, <= 1.3x instructions. CPU time, not wall time, so
# that a loaded machine does not decide the ratio.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
top_builddir=${top_builddir:-.}
top_srcdir=${top_srcdir:-..}
EBPF_CC="$top_builddir/cc/ebpf-cc"
CLANG=$(command -v clang || command -v clang-19)
RUNS=${RUNS:-10}
[ -x "$EBPF_CC" ] || { echo "cc.sh: build ebpf-cc first"; exit 1; }
[ -n "$CLANG" ] || { echo "cc.sh: clang not installed, nothing to compare"; exit 0; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cc-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
INC="-I/usr/include/$(uname -m)-linux-gnu"

# Sum of the sizes of executable sections, in instructions.
insns() {
	local total=0 size
	for size in $(llvm-readelf -S -W "$1" | awk '/ AX / { for (i = 1; i <= NF; i++)
			if ($i == "PROGBITS") { print $(i + 3); break } }'); do
		total=$((total + 16#$size))
	done
	echo $((total / 8))
}

# CPU milliseconds (user + sys, children included) of RUNS runs of a command.
cpu_ms() {
	local out
	out=$( { TIMEFORMAT='%3U %3S'; time (for ((i = 0; i < RUNS; i++)); do
		"$@" >/dev/null 2>&1 || exit 1; done); } 2>&1) || return 1
	echo "$out" | awk '{ printf "%.1f", ($1 + $2) * 1000 / '"$RUNS"' }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

printf '%-18s %9s %9s %9s %7s  %9s %9s %7s  %6s %6s %6s\n' program "cc ms" "gcc-E ms" "clang ms" speedup \
	"cc .i ms" "clang .i" speedup insns clang ratio
sum() { awk -v a="$1" -v b="$2" 'BEGIN { print a + b }'; }
T1=0 T2=0 T3=0 P1=0 P2=0 N1=0 N2=0
# The compiler's test programs and the project's examples (built as their Makefile does).
DEFS=-D__TARGET_ARCH_x86
for src in "$top_srcdir"/tests/cc/progs/*.bpf.c "$top_srcdir"/examples/*.bpf.c; do
	name=$(basename "$src" .bpf.c)
	case "$src" in */examples/*) name="ex_$name" ;; esac
	"$EBPF_CC" $DEFS -E "$src" > "$WORK/$name.i" || continue
	t1=$(cpu_ms "$EBPF_CC" -O2 -g $DEFS -c "$src" -o "$WORK/$name.o") || { echo "$name: ebpf-cc failed"; continue; }
	t3=$(cpu_ms "$EBPF_CC" -no-integrated-cpp -O2 -g $DEFS -c "$src" -o "$WORK/$name.sys.o") || continue
	t2=$(cpu_ms "$CLANG" -O2 -g -target bpf $DEFS $INC -c "$src" -o "$WORK/$name.clang.o") || continue
	p1=$(cpu_ms "$EBPF_CC" -O2 -g -c "$WORK/$name.i" -o "$WORK/$name.i.o") || continue
	p2=$(cpu_ms "$CLANG" -O2 -g -target bpf -c "$WORK/$name.i" -o "$WORK/$name.i.clang.o") || continue
	n1=$(insns "$WORK/$name.o"); n2=$(insns "$WORK/$name.clang.o")
	printf '%-18s %9s %9s %9s %6sx  %9s %9s %6sx  %6d %6d %5sx\n' "$name" "$t1" "$t3" "$t2" \
		"$(ratio "$t2" "$t1")" "$p1" "$p2" "$(ratio "$p2" "$p1")" "$n1" "$n2" "$(ratio "$n1" "$n2")"
	T1=$(sum $T1 $t1); T2=$(sum $T2 $t2); T3=$(sum $T3 $t3); P1=$(sum $P1 $p1); P2=$(sum $P2 $p2)
	N1=$((N1 + n1)); N2=$((N2 + n2))
done
printf '%-18s %9s %9s %9s %6sx  %9s %9s %6sx  %6d %6d %5sx\n' TOTAL "$T1" "$T3" "$T2" \
	"$(ratio "$T2" "$T1")" "$P1" "$P2" "$(ratio "$P2" "$P1")" "$N1" "$N2" "$(ratio "$N1" "$N2")"
echo "cc ms: whole compile (integrated preprocessor); gcc-E ms: the same compile through"
echo "the system preprocessor (-no-integrated-cpp); .i: compiler proper on the"
echo "preprocessed source; speedups are clang / ebpf-cc. Targets: speedup >= 10x, instruction ratio <= 1.30x."
