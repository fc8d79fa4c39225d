#!/bin/sh
# roundtrip.sh - `ebpf-cc -S` prints assembly that ebpf-as turns back into the very
# object `ebpf-cc -c` writes (byte for byte: code, data, relocations, symbols, BTF).
. "$top_srcdir/tests/cc/lib.sh"
EBPF_AS="$top_builddir/asm/ebpf-as"
[ -x "$EBPF_AS" ] || { echo "SKIP: ebpf-as not built"; exit 77; }
fail=0
for src in "$PROGS"/*.bpf.c; do
	name=$(basename "$src" .bpf.c)
	O0=-O0 # an O0-REFUSED program (lib.sh) is refused by compile-time verification
	refused_at_O0 "$src" && O0="-O0 -fno-verify"
	for flags in "-O2 -g" "$O0"; do
		"$EBPF_CC" $flags -c "$src" -o "$WORK/$name.o" &&
		"$EBPF_CC" $flags -S "$src" -o "$WORK/$name.s" &&
		"$EBPF_AS" "$WORK/$name.s" -o "$WORK/$name.as.o" || { fail=1; continue; }
		if cmp -s "$WORK/$name.o" "$WORK/$name.as.o"; then
			echo "ok $name $flags"
		else
			echo "FAIL $name $flags: ebpf-as output differs from ebpf-cc -c"; fail=1
		fi
	done
done
exit $fail
