#!/bin/sh
# merge_oracle.sh OBJ [llvm-objdump flags...] - the text ebpf-objdump must print for OBJ:
# llvm-objdump (LLVM 14) output, where each instruction LLVM 14 does not know or
# mis-decodes (v4: sdiv/smod, movsx, ldsx, bswap, gotol, callx, 32-bit atomics other
# than add) is replaced by llvm-objdump-19 --mattr=+alu32 --no-print-imm-hex's line.
# Needs llvm-objdump and llvm-objdump-19; exits 77 without them.
obj=$1; shift
command -v llvm-objdump >/dev/null 2>&1 || { echo "SKIP: llvm-objdump missing" >&2; exit 77; }
command -v llvm-objdump-19 >/dev/null 2>&1 || { echo "SKIP: llvm-objdump-19 missing" >&2; exit 77; }
tmp=${TMPDIR:-/tmp}/merge_oracle.$$
trap 'rm -f "$tmp".14 "$tmp".19' EXIT
llvm-objdump "$@" "$obj" > "$tmp.14" || exit 1
llvm-objdump-19 --mattr=+alu32 --no-print-imm-hex "$@" "$obj" > "$tmp.19" || exit 1
[ "$(wc -l < "$tmp.14")" -eq "$(wc -l < "$tmp.19")" ] || { echo "oracles disagree on layout" >&2; exit 1; }
awk -F '\t' '
function hexval(s) { return index("0123456789abcdef", substr(s, 1, 1)) * 16 - 16 + index("0123456789abcdef", substr(s, 2, 1)) - 1 }
# (opcode numbers are decimal: POSIX awk has no hex literals)
# true when the bytes are an instruction LLVM 14 does not know or decodes wrongly
function is_v4(bytes,   b, n, code, off, imm) {
	n = split(bytes, b, " ")
	if (n < 8) return 0
	code = hexval(b[1]); off = hexval(b[3]) + 256 * hexval(b[4])
	imm = hexval(b[5]) + hexval(b[6]) + hexval(b[7]) + hexval(b[8])
	if (code == 129 || code == 137 || code == 145 || code == 215 || code == 6 || code == 141) return 1
	if ((code == 55 || code == 63 || code == 52 || code == 60 || code == 151 || code == 159 || code == 148 || code == 156) && off == 1) return 1
	if ((code == 191 || code == 188) && off != 0) return 1
	if (code == 195 && imm != 0) return 1
	return 0
}
NR == FNR { line19[FNR] = $0; next }
{
	if (NF >= 3 && $1 ~ /^ *[0-9]+:$/ && ($3 == "<unknown>" || is_v4($2)))
		print line19[FNR]
	else
		print
}' "$tmp.19" "$tmp.14"
