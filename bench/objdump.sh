#!/bin/sh
# objdump.sh - ebpf-objdump -d against llvm-objdump -d on one object of about 100k
# instructions (every form of tests/objfmt/codec/forms.s, repeated), same run, same
# machine: best-of-3 wall time of each, their ratio, and peak RSS from /usr/bin/time -v.
# Needs llvm-mc (19 preferred) to build the input and llvm-objdump as the peer.
top_builddir=${top_builddir:-..}
top_srcdir=${top_srcdir:-..}
objdump=$top_builddir/objfmt/ebpf-objdump
forms=$top_srcdir/tests/objfmt/codec/forms.s
repeat=${REPEAT:-300}
mc=$(command -v llvm-mc-19 || command -v llvm-mc)
[ -x "$objdump" ] || { echo "objdump bench: build $objdump first"; exit 1; }
[ -n "$mc" ] && command -v llvm-objdump >/dev/null || { echo "objdump bench: SKIP (llvm-mc/llvm-objdump missing)"; exit 0; }
work=${TMPDIR:-/tmp}/bench_objdump.$$
trap 'rm -rf "$work"' EXIT
mkdir -p "$work" || exit 1

# The input: the instruction lines of forms.s, $repeat times, in one function.
{
	printf '\t.text\n\t.globl big\n\t.type big,@function\nbig:\n'
	body=$(grep -E '^	[^.]|^	\.quad' "$forms")
	i=0
	while [ $i -lt "$repeat" ]; do printf '%s\n' "$body"; i=$((i + 1)); done
} > "$work/big.s"
"$mc" -triple bpf -mattr=+alu32 -filetype=obj "$work/big.s" -o "$work/big.o" || exit 1
insns=$(($(wc -c < "$work/big.o") / 8))
echo "input: $(grep -c '^	' "$work/big.s") instruction lines, $(wc -c < "$work/big.o") bytes ($mc)"

# seconds TOOL...: best wall time of 3 runs (output to /dev/null)
seconds() {
	best=
	for run in 1 2 3; do
		start=$(date +%s.%N)
		"$@" -d "$work/big.o" > /dev/null || return 1
		end=$(date +%s.%N)
		t=$(echo "$end - $start" | bc)
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
	done
	echo "$best"
}

# peak_kb TOOL...: maximum resident set size in kB, or "n/a" without GNU time
peak_kb() {
	[ -x /usr/bin/time ] || { echo n/a; return; }
	/usr/bin/time -v "$@" -d "$work/big.o" 2>&1 >/dev/null |
		awk -F': ' '/Maximum resident set size/ { print $2 }'
}

ours=$(seconds "$objdump") || { echo "ebpf-objdump failed"; exit 1; }
peer=$(seconds llvm-objdump) || { echo "llvm-objdump failed"; exit 1; }
ours_kb=$(peak_kb "$objdump")
peer_kb=$(peak_kb llvm-objdump)
same=no
"$objdump" -d "$work/big.o" > "$work/ours.txt"
sh "$top_srcdir/tests/objfmt/codec/merge_oracle.sh" "$work/big.o" -d > "$work/peer.txt" 2>/dev/null &&
	cmp -s "$work/ours.txt" "$work/peer.txt" && same=yes
printf '%-14s %10s s %10s kB peak RSS\n' ebpf-objdump "$ours" "$ours_kb" llvm-objdump "$peer" "$peer_kb"
printf 'time ratio ebpf-objdump/llvm-objdump: %s (below 1 = faster)\n' \
	"$(echo "scale=3; $ours / $peer" | bc)"
printf 'output identical to the merged llvm-objdump 14/19 text: %s\n' "$same"
