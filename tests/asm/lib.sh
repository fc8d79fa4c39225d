# lib.sh - sourced by the asm tool tests: paths and the object summary that byte
# identity is judged on (section bytes and relocations, not ELF layout).
. "$top_srcdir/tests/lib/skip.sh"
EBPF_AS="$top_builddir/asm/ebpf-as"
DATA="$top_srcdir/tests/asm/data"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/asm-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# Contents of every section but the symbol/string tables and relocation sections,
# then the relocation records (offset, type, symbol), as llvm-objdump prints them.
obj_summary() {
	llvm-objdump -s -r "$1" | grep -v "file format" | sed '/^$/d' |
	awk '/^Contents of section/ { keep = ($4 !~ /^(\.strtab|\.symtab|\.rel|\.llvm_addrsig)/) }
	     /^RELOCATION/ { keep = 1 }
	     keep'
}
