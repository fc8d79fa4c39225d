#!/bin/bash
# cc_vmlinux.sh - compiling tracing programs that include a vmlinux.h dumped by
# bpftool from /sys/kernel/btf/vmlinux (about 3 MB of declarations): ebpf-cc against
# clang -O2 -g -target bpf, side by side, CPU time (user+sys, mean of RUNS runs) and
# peak resident memory (GNU time's maximum RSS). Programs: tests/ld/core's
# core_vmlinux.bpf.c, and one that only includes vmlinux.h (the cost of the header).
# ebpf-cc runs with -fno-verify: clang does not verify, and core_vmlinux's direct
# loads are there to be relocated, not to pass a verifier.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
top_builddir=${top_builddir:-.}
top_srcdir=${top_srcdir:-..}
EBPF_CC="$top_builddir/cc/ebpf-cc"
CLANG=$(command -v clang-19 || command -v clang)
RUNS=${RUNS:-5}
[ -x "$EBPF_CC" ] || { echo "cc_vmlinux.sh: build ebpf-cc first"; exit 1; }
[ -n "$CLANG" ] || { echo "cc_vmlinux.sh: clang not installed, nothing to compare"; exit 0; }
[ -x /usr/bin/time ] || { echo "cc_vmlinux.sh: GNU time (/usr/bin/time) not installed"; exit 0; }
command -v bpftool >/dev/null 2>&1 && [ -r /sys/kernel/btf/vmlinux ] ||
	{ echo "cc_vmlinux.sh: needs bpftool and /sys/kernel/btf/vmlinux"; exit 0; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cc-vmlinux.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
bpftool btf dump file /sys/kernel/btf/vmlinux format c >"$WORK/vmlinux.h" || exit 1
FLAGS="-O2 -g -D__TARGET_ARCH_x86 -I$WORK -I/usr/include/$(uname -m)-linux-gnu"
cat >"$WORK/only_vmlinux.bpf.c" <<'PROG'
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
SEC("raw_tp/sys_enter") int noop(void *ctx) { return 0; }
char LICENSE[] SEC("license") = "GPL";
PROG

# CPU milliseconds (user + sys) of one run, and its peak RSS in KB: "MS KB".
measure_once() {
	/usr/bin/time -f '%U %S %M' -o "$WORK/time" "$@" >/dev/null 2>&1 || return 1
	awk '{ printf "%.1f %d", ($1 + $2) * 1000, $3 }' "$WORK/time"
}

# Mean CPU ms and largest peak RSS over RUNS runs: "MS KB".
measure() {
	local ms=0 kb=0 one i
	for ((i = 0; i < RUNS; i++)); do
		one=$(measure_once "$@") || return 1
		ms=$(awk -v a="$ms" -v b="${one% *}" 'BEGIN { print a + b }')
		[ "${one#* }" -gt "$kb" ] && kb=${one#* }
	done
	awk -v a="$ms" -v k="$kb" -v n="$RUNS" 'BEGIN { printf "%.1f %d", a / n, k }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

echo "vmlinux.h: $(wc -c <"$WORK/vmlinux.h") bytes, $(wc -l <"$WORK/vmlinux.h") lines; $RUNS runs"
printf '%-16s %10s %10s %8s  %10s %10s %8s\n' program "cc ms" "clang ms" speedup \
	"cc RSS KB" "clang KB" "mem ratio"
for src in "$top_srcdir/tests/ld/core/core_vmlinux.bpf.c" "$WORK/only_vmlinux.bpf.c"; do
	name=$(basename "$src" .bpf.c)
	ours=$(measure "$EBPF_CC" $FLAGS -fno-verify -c "$src" -o "$WORK/$name.o") ||
		{ echo "$name: ebpf-cc failed"; continue; }
	theirs=$(measure "$CLANG" $FLAGS -target bpf -c "$src" -o "$WORK/$name.clang.o") ||
		{ echo "$name: clang failed"; continue; }
	printf '%-16s %10s %10s %7sx  %10s %10s %7sx\n' "$name" "${ours% *}" "${theirs% *}" \
		"$(ratio "${theirs% *}" "${ours% *}")" "${ours#* }" "${theirs#* }" \
		"$(ratio "${theirs#* }" "${ours#* }")"
done
# How much of ebpf-cc's time the header is: preprocessing alone, then the whole compile.
pre=$(measure "$EBPF_CC" $FLAGS -E "$WORK/only_vmlinux.bpf.c" -o "$WORK/only.i")
system=$(measure "$EBPF_CC" -no-integrated-cpp $FLAGS -E "$WORK/only_vmlinux.bpf.c" -o "$WORK/only_sys.i")
whole=$(measure "$EBPF_CC" $FLAGS -fno-verify -c "$WORK/only.i" -o "$WORK/only_i.o")
echo "ebpf-cc on only_vmlinux: preprocessing ${pre% *} ms (system preprocessor: ${system% *} ms),"
echo "compiling the .i ${whole% *} ms"
