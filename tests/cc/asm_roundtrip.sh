#!/bin/sh
# asm_roundtrip.sh - `ebpf-cc -S | ebpf-as` gives the object `ebpf-cc -c` writes for the
# examples, the shape and the CO-RE programs (roundtrip.sh covers tests/cc/progs), and
# the symbolic `ld_imm64` operands `-S` prints are those clang-19 -S prints: a static
# callback's address is its name (`r2 = add_index ll`), string literals `.L.str.N`.
. "$top_srcdir/tests/cc/lib.sh"
EBPF_AS="$top_builddir/asm/ebpf-as"
[ -x "$EBPF_AS" ] || { echo "SKIP: ebpf-as not built"; exit 77; }
CLANG=$(command -v clang-19)
fail=0
FLAGS="-fno-verify -D__TARGET_ARCH_x86 -I$MULTIARCH_INC"

# The distinct symbols loaded by `rN = SYMBOL ll` in an assembly file.
ld_symbols() {
	grep -o '= [^ ]* ll$' "$1" | grep -v '= -\{0,1\}[0-9]' | sort -u
}

for src in "$top_srcdir"/examples/*.bpf.c "$top_srcdir"/tests/cc/shapes/*.bpf.c \
	   "$top_srcdir"/tests/cc/core/*.bpf.c; do
	name=$(basename "$src" .bpf.c)
	for flags in "-O2 -g" "-O2" "-O0"; do
		# shellcheck disable=SC2086
		"$EBPF_CC" $FLAGS $flags -c "$src" -o "$WORK/$name.o" &&
		"$EBPF_CC" $FLAGS $flags -S "$src" -o "$WORK/$name.s" &&
		"$EBPF_AS" "$WORK/$name.s" -o "$WORK/$name.as.o" || { fail=1; continue; }
		if cmp -s "$WORK/$name.o" "$WORK/$name.as.o"; then
			echo "ok $name $flags"
		else
			echo "FAIL $name $flags: ebpf-as output differs from ebpf-cc -c"; fail=1
		fi
	done
	[ -n "$CLANG" ] || continue
	# shellcheck disable=SC2086
	"$CLANG" -O2 -target bpf $FLAGS -S "$src" -o "$WORK/$name.clang.s" 2>/dev/null ||
		continue # CO-RE programs written for our vmlinux.h only
	ld_symbols "$WORK/$name.clang.s" > "$WORK/want"
	# shellcheck disable=SC2086
	"$EBPF_CC" -O2 $FLAGS -S "$src" -o "$WORK/$name.s" && ld_symbols "$WORK/$name.s" > "$WORK/got"
	if cmp -s "$WORK/want" "$WORK/got"; then
		echo "ok $name: ld_imm64 operands spelled as clang-19 spells them"
	else
		echo "FAIL $name: ld_imm64 operands differ from clang-19 -S (< clang, > ebpf-cc)"
		diff "$WORK/want" "$WORK/got"; fail=1
	fi
done
[ -n "$CLANG" ] || echo "note: clang-19 missing, ld_imm64 spellings not compared"
exit $fail
