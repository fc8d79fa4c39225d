#!/bin/sh
# objdump_cfg.sh - --cfg=dot on codec/objects/maps-clang14.o: one cluster per function,
# blocks cut at branch targets and after branches, taken/fallthrough/goto edges, and
# dashed call edges to the subprogram and to helper nodes named from the UAPI list.
# The expected edges are read off llvm-objdump's listing (maps-clang14.d.expected):
# insn 10 "if r2 > r1 goto +38 <LBB0_8>" (LBB0_8 = 0x188 = 392), insn 19 "goto +8
# <LBB0_4>" (0xe0 = 224), insn 45 "call -1" relocated against .text (mix at 0).
srcdir=${srcdir:-.}
objdump=$PWD/../../objfmt/ebpf-objdump
out=${TMPDIR:-/tmp}/objdump_cfg.$$
trap 'rm -f "$out"' EXIT
"$objdump" --cfg=dot "$srcdir/codec/objects/maps-clang14.o" > "$out" || exit 1
status=0
want() {
	grep -qxF "$1" "$out" || { echo "FAIL: missing line: $1"; status=1; }
}
want '	subgraph "cluster_s0_0" {'
want '		label=".text: mix";'
want '		label="xdp: count_packets";'
want '		label="tracepoint/syscalls/sys_enter_write: trace_write";'
want '		"s1_0" -> "s1_392" [label="true"];'
want '		"s1_0" -> "s1_88" [label="false"];'
want '		"s1_136" -> "s1_224" [label="goto"];'
want '	"s1_344" -> "s0_0" [style=dashed, label="call"];'
want '	"helper_1" [shape=ellipse, label="bpf_map_lookup_elem"];'
want '	"s1_88" -> "helper_1" [style=dashed, label="call"];'
want '	"helper_130" [shape=ellipse, label="bpf_ringbuf_output"];'
# the exit block of count_packets has no successor
if grep -q '^		"s1_392" ->' "$out"; then echo "FAIL: edge out of an exit block"; status=1; fi
[ "$(grep -c 'subgraph' "$out")" = 3 ] || { echo "FAIL: expected 3 functions"; status=1; }
[ "$(grep -c '{' "$out")" = "$(grep -c '}' "$out")" ] || { echo "FAIL: unbalanced braces"; status=1; }
head -n 1 "$out" | grep -q '^digraph "' || { echo "FAIL: not a digraph"; status=1; }
exit $status
