#!/bin/sh
# disasm_mnemonic.sh - the mnemonic dialect prints instructions as the conformance suite
# writes them. codec/mnemonic.expected pairs the bytes llvm-mc-19 made from an
# LLVM-syntax line with the conformance-dialect spelling of the same instruction.
srcdir=${srcdir:-.}
out=${TMPDIR:-/tmp}/disasm_mnemonic.$$
trap 'rm -f "$out".*' EXIT
cut -f1 "$srcdir/codec/mnemonic.expected" | ./disasm_words -m > "$out.ours" || exit 1
cut -f2- "$srcdir/codec/mnemonic.expected" | diff -u - "$out.ours"
