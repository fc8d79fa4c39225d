#!/bin/sh
# objdump_random_oracle.sh - differential test on arbitrary bytes: 6000 pseudo-random
# instruction words (valid opcodes with odd fields, reserved fields set, registers
# above r10, random bytes) assembled as .quad data, disassembled by ebpf-objdump -d
# and by llvm-objdump 14/19 (codec/merge_oracle.sh). Every line must agree, except
# may_goto (0xe5) and addr_space_cast (0xbf off=1): LLVM 19 knows these kernel
# extensions, RFC 9669 and our opcode table do not. SKIP (77) without the oracles.
srcdir=${srcdir:-.}
. "$srcdir/../lib/skip.sh"
for tool in llvm-mc llvm-objdump llvm-objdump-19; do require_tool "$tool"; done
objdump=$PWD/../../objfmt/ebpf-objdump
work=${TMPDIR:-/tmp}/objdump_random_oracle.$$
trap 'rm -rf "$work"' EXIT
mkdir -p "$work" || exit 1
status=0
for seed in 1 2 3; do
	awk -v seed="$seed" 'BEGIN {
		srand(seed)
		split("0 0 0 1 8 16 32 65535", offs, " ")
		split("0 0 1 16 32 64 64 1 64 65 80 81 160 161 225 241", imms, " ")
		print "\t.text"
		for (i = 0; i < 2000; i++) {
			code = int(rand() * 256)
			regs = rand() < 0.5 ? int(rand() * 256) : int(rand() * 11) + 16 * int(rand() * 11)
			off = rand() < 0.8 ? offs[1 + int(rand() * 8)] : int(rand() * 65536)
			imm = rand() < 0.8 ? imms[1 + int(rand() * 16)] : int(rand() * 4294967296)
			if (rand() < 0.05) imm = 4294967295
			printf "\t.quad 0x%08x%04x%02x%02x\n", imm, off, regs, code
		}
	}' > "$work/random$seed.s"
	llvm-mc -triple bpf -filetype=obj "$work/random$seed.s" -o "$work/random$seed.o" || exit 1
	sh "$srcdir/codec/merge_oracle.sh" "$work/random$seed.o" -d > "$work/want" || exit 1
	"$objdump" -d "$work/random$seed.o" > "$work/ours" || { status=1; continue; }
	# drop the lines LLVM 19 decodes as kernel extensions, on both sides
	grep -n '' "$work/want" | grep -E 'may_goto|addr_space_cast' | cut -d: -f1 > "$work/skip"
	awk 'NR == FNR { skip[$1] = 1; next } !(FNR in skip)' "$work/skip" "$work/want" > "$work/want.kept"
	awk 'NR == FNR { skip[$1] = 1; next } !(FNR in skip)' "$work/skip" "$work/ours" > "$work/ours.kept"
	diff -u "$work/want.kept" "$work/ours.kept" || { echo "FAIL: seed $seed"; status=1; }
	echo "seed $seed: $(grep -c '^ *[0-9]*:' "$work/want.kept") lines compared, $(wc -l < "$work/skip") kernel-extension lines skipped"
done
exit $status
