#!/bin/sh
# forms.sh - byte identity with llvm-mc: every instruction form and directive in
# data/forms.s (LLVM 19 spelling) and data/forms14.s (what LLVM 14 accepts) gives the
# same section bytes and relocations as llvm-mc. Checked against the checked-in
# expected summaries always, and against llvm-mc-19 / llvm-mc (14) live when present.
. "$top_srcdir/tests/asm/lib.sh"
require_tool llvm-objdump
status=0

check() { # NAME.s EXPECTED ORACLE ORACLE-FLAGS...
	src=$1 expected=$2 oracle=$3
	shift 3
	"$EBPF_AS" -o "$WORK/ours.o" "$DATA/$src" || { echo "FAIL: ebpf-as $src"; status=1; return; }
	obj_summary "$WORK/ours.o" > "$WORK/ours.txt"
	if ! diff -u "$DATA/$expected" "$WORK/ours.txt"; then
		echo "FAIL: $src differs from checked-in $expected"
		status=1
	fi
	if command -v "$oracle" >/dev/null 2>&1; then
		"$oracle" -triple bpf "$@" -filetype=obj -o "$WORK/theirs.o" "$DATA/$src" || {
			echo "FAIL: $oracle rejects $src"; status=1; return; }
		obj_summary "$WORK/theirs.o" > "$WORK/theirs.txt"
		if diff -u "$WORK/theirs.txt" "$WORK/ours.txt"; then
			echo "ok: $src identical to live $oracle ($(grep -c '^	' "$DATA/$src") lines)"
		else
			echo "FAIL: $src differs from live $oracle"
			status=1
		fi
	else
		echo "note: $oracle not installed; compared with checked-in $expected only"
	fi
}

check forms.s forms.expected llvm-mc-19 -mcpu=v4
check forms14.s forms14.expected llvm-mc -mattr=+alu32
# Helper calls by UAPI name assemble to the numbered call llvm-mc makes of the number.
check helpers.s helpers.expected none
if command -v llvm-mc-19 >/dev/null 2>&1; then
	llvm-mc-19 -triple bpf -mcpu=v4 -filetype=obj -o "$WORK/numbers.o" "$DATA/helpers_numbers.s"
	obj_summary "$WORK/numbers.o" > "$WORK/numbers.txt"
	if diff -u "$WORK/numbers.txt" "$WORK/ours.txt"; then
		echo "ok: helpers.s identical to live llvm-mc-19 on helpers_numbers.s"
	else
		echo "FAIL: helpers.s differs from llvm-mc-19 on helpers_numbers.s"
		status=1
	fi
fi
exit $status
