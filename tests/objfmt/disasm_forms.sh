#!/bin/sh
# disasm_forms.sh - every instruction form of codec/forms.s, disassembled by libobjfmt,
# equals the checked-in llvm-objdump text (codec/forms.expected, made by
# codec/merge_oracle.sh from llvm-objdump 14 and 19; see disasm_forms_oracle.sh).
srcdir=${srcdir:-.}
out=${TMPDIR:-/tmp}/disasm_forms.$$
trap 'rm -f "$out".*' EXIT
cut -f1 "$srcdir/codec/forms.expected" | ./disasm_words > "$out.ours" || exit 1
cut -f2- "$srcdir/codec/forms.expected" > "$out.want"
diff -u "$out.want" "$out.ours"
