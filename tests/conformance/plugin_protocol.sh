#!/bin/bash
# plugin_protocol.sh - ebpf-conformance-plugin's side of the bpf_conformance protocol:
# program hex on stdin or after --program, memory hex as first argument (r1, r2),
# r0 printed in hex, load and run failures reported with an error and exit 1.
builddir=${top_builddir:-../..}
plugin=$builddir/kernel/ebpf-conformance-plugin
[ -x "$plugin" ] || { echo "SKIP: $plugin not built"; exit 77; }
fail=0

expect() { # NAME EXPECTED-STATUS EXPECTED-OUTPUT COMMAND...
	local name=$1 status=$2 want=$3 got rc
	shift 3
	got=$("$@" 2>&1); rc=$?
	if [ "$rc" != "$status" ] || [ "$got" != "$want" ]; then
		echo "FAIL: $name: status $rc, output '$got' (want $status, '$want')"
		fail=1
	fi
}

# mov r0, r2; exit  -> the memory length
prog_len="bf 20 00 00 00 00 00 00 95 00 00 00 00 00 00 00"
# ldxw r0, [r1+0]; exit
prog_load="61 10 00 00 00 00 00 00 95 00 00 00 00 00 00 00"
# lddw r0, -1; exit
prog_neg="18 00 00 00 ff ff ff ff 00 00 00 00 ff ff ff ff 95 00 00 00 00 00 00 00"

expect "r2 is the memory length" 0 8 "$plugin" "00 00 00 01 00 00 00 02" --program "$prog_len"
expect "program on stdin" 0 8 sh -c "echo '$prog_len' | '$plugin' '0000000100000002'"
expect "r1 points at the memory" 0 44332211 "$plugin" "11 22 33 44" --program "$prog_load"
expect "r0 printed as 64-bit hex" 0 ffffffffffffffff "$plugin" "" --program "$prog_neg"
expect "no memory: r2 is 0" 0 0 "$plugin" "" --program "$prog_len"
expect "bad opcode is a load error" 1 "error: insn 0: invalid opcode 0x8e" \
	"$plugin" "" --program "8e 00 00 00 00 00 00 00 95 00 00 00 00 00 00 00"
expect "truncated program" 1 "error: program size 4 is not a multiple of 8" \
	"$plugin" "" --program "95 00 00 00"
expect "falling off the end is a run error" 1 "error: pc 1: instruction cannot be executed" \
	"$plugin" "" --program "b7 00 00 00 01 00 00 00"
# ldxdw r0, [r1+16] with r1 = NULL (no memory): address 16 is not mapped
expect "wild access is a run error" 1 "error: invalid memory access" \
	"$plugin" "" --program "79 10 10 00 00 00 00 00 95 00 00 00 00 00 00 00"
expect "not hex" 1 "error: program is not hex bytes" "$plugin" "" --program "zz"
exit $fail
