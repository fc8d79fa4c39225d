#!/bin/sh
# asm.sh - benchmark: ebpf-as vs llvm-mc assembling the same 100k-instruction LLVM
# dialect file (ALU, memory, jump, atomic, call and ld_imm64 forms with labels), side by
# side in one run.
# Prints wall time (best of N), CPU time (perf, when available), peak RSS and the ratios
# (target: ebpf-as >= 5x faster).
set -e
: "${top_builddir:?}" "${top_srcdir:?}"
EBPF_AS="$top_builddir/asm/ebpf-as"
LLVM_MC=$(command -v llvm-mc-19 || command -v llvm-mc || true)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/asm-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
N=${ASM_BENCH_INSNS:-100000}

# A basic block of 20 instructions repeated; each ends with a label to jump to.
awk -v n="$N" 'BEGIN {
	print "\t.text\n\t.globl\tprog\n\t.type\tprog,@function\nprog:"
	for (i = 0; i < n / 20; i++) {
		printf "\tr1 = *(u32 *)(r10 - %d)\n\tr2 = r1\n\tr2 += %d\n\tw3 = w2\n", 4 + i % 64, i % 1000
		printf "\tw3 <<= 3\n\tr4 = 0x%x ll\n\tif r2 > r4 goto L%d\n\tr0 = *(u64 *)(r1 + 8)\n", i * 77 + 1, i
		printf "\t*(u64 *)(r10 - 16) = r0\n\tr5 s/= 7\n\tif w3 == 12 goto L%d\n\tr6 = be16 r6\n", i
		printf "\tlock *(u64 *)(r10 - 8) += r1\n\tcall 1\n\tr7 = (s16)r7\n\t*(u32 *)(r10 - 20) = 42\n", i
		printf "\tr8 ^= r9\nL%d:\n\tr0 = 0\n\tr9 = r8\n\tgoto +0\n", i
	}
	print "\texit"
}' > "$WORK/bench.s"
lines=$(grep -c '^	[^.]' "$WORK/bench.s")
# The same bytes come out of both (checked below when llvm-mc is present).

RUNS=${ASM_BENCH_RUNS:-5}

# Best wall time of $RUNS runs in milliseconds (date +%s%N), and peak RSS in KiB.
measure() { # COMMAND... -> "milliseconds kibibytes"
	best=
	i=0
	while [ $i -lt "$RUNS" ]; do
		t0=$(date +%s%N)
		"$@" > /dev/null
		t1=$(date +%s%N)
		ms=$(( (t1 - t0) / 1000000 ))
		[ -z "$best" ] || [ "$ms" -lt "$best" ] && best=$ms
		i=$((i + 1))
	done
	/usr/bin/time -f '%M' -o "$WORK/rss" "$@" > /dev/null
	echo "$best $(cat "$WORK/rss")"
}

# CPU time (task-clock, ms) of one command averaged over $RUNS runs, when perf works;
# on a shared machine it is steadier than wall time.
cpu_ms() {
	command -v perf >/dev/null 2>&1 || return 0
	perf stat -x, -e task-clock -r "$RUNS" "$@" 2>&1 >/dev/null |
		awk -F, '/task-clock/ { printf "%.1f", $1 }'
}

echo "assembling $lines instructions ($(wc -c < "$WORK/bench.s") bytes), best of $RUNS runs"
ours=$(measure "$EBPF_AS" -o "$WORK/ours.o" "$WORK/bench.s")
printf '  %-12s %6s ms %8s KiB peak RSS\n' ebpf-as ${ours% *} ${ours#* }
if [ -z "$LLVM_MC" ]; then
	echo "  llvm-mc not installed: no ratio"
	exit 0
fi
theirs=$(measure "$LLVM_MC" -triple bpf -mcpu=v4 -filetype=obj -o "$WORK/theirs.o" "$WORK/bench.s")
printf '  %-12s %6s ms %8s KiB peak RSS\n' "$(basename "$LLVM_MC")" ${theirs% *} ${theirs#* }
awk -v a="${ours% *}" -v b="${theirs% *}" -v ma="${ours#* }" -v mb="${theirs#* }" 'BEGIN {
	if (a < 1) a = 1
	printf "  wall time ratio llvm-mc/ebpf-as: %.1fx (target >= 5x), memory ratio: %.1fx\n", b / a, mb / ma
}'
cpu_ours=$(cpu_ms "$EBPF_AS" -o "$WORK/ours.o" "$WORK/bench.s")
cpu_theirs=$(cpu_ms "$LLVM_MC" -triple bpf -mcpu=v4 -filetype=obj -o "$WORK/theirs.o" "$WORK/bench.s")
if [ -n "$cpu_ours" ] && [ -n "$cpu_theirs" ]; then
	awk -v a="$cpu_ours" -v b="$cpu_theirs" 'BEGIN {
		printf "  cpu time: ebpf-as %.1f ms, llvm-mc %.1f ms, ratio %.1fx\n", a, b, b / a }'
fi
# Both assemblers must agree, or the timing compares different work.
if command -v llvm-objdump >/dev/null 2>&1; then
	llvm-objdump -s -j .text "$WORK/ours.o" | tail -n +4 > "$WORK/ours.txt"
	llvm-objdump -s -j .text "$WORK/theirs.o" | tail -n +4 > "$WORK/theirs.txt"
	cmp -s "$WORK/ours.txt" "$WORK/theirs.txt" && echo "  .text identical" ||
		{ echo "  .text DIFFERS"; exit 1; }
fi
