#!/bin/sh
# disasm_forms_oracle.sh - live check against the oracles: assemble codec/forms.s with
# llvm-mc-19, take the merged llvm-objdump 14/19 text, and require both the checked-in
# golden (codec/forms.expected) and libobjfmt's disassembly to equal it. SKIP (77)
# without llvm-mc-19, llvm-objdump or llvm-objdump-19.
srcdir=${srcdir:-.}
. "$srcdir/../lib/skip.sh"
require_tool llvm-mc-19
require_tool llvm-objdump
require_tool llvm-objdump-19
out=${TMPDIR:-/tmp}/disasm_forms_oracle.$$
trap 'rm -f "$out".*' EXIT
llvm-mc-19 -triple bpf -mattr=+alu32 -filetype=obj "$srcdir/codec/forms.s" -o "$out.o" || exit 1
sh "$srcdir/codec/merge_oracle.sh" "$out.o" -d > "$out.merged" || exit 1
grep -E '^ +[0-9]+:' "$out.merged" | sed 's/ <[^ >]*>$//' | cut -f2- > "$out.truth"
diff -u "$srcdir/codec/forms.expected" "$out.truth" || { echo "golden is stale"; exit 1; }
cut -f1 "$out.truth" | ./disasm_words > "$out.ours" || exit 1
cut -f2- "$out.truth" | diff -u - "$out.ours"
