#!/bin/sh
# roundtrip.sh - disassembly of clang-built objects fed back to ebpf-as reproduces the
# code bytes: ebpf-objdump -d and llvm-objdump -d text (LLVM dialect, LLVM 14 and 19
# spellings) and ebpf-objdump --dialect=mnemonic text (mnemonic dialect).
. "$top_srcdir/tests/asm/lib.sh"
require_tool llvm-objcopy
OBJDUMP="$top_builddir/objfmt/ebpf-objdump"
SRC="$DATA/roundtrip"
status=0 checked=0

# Bytes of section $2 of object $1 as hex.
section_hex() {
	llvm-objcopy -O binary --only-section="$2" "$1" "$1.$$.bin" 2>/dev/null &&
		od -An -tx1 -v "$1.$$.bin" | tr -d ' \n'
	rm -f "$1.$$.bin"
}

# objdump -d listing -> assembly: ".section" per "Disassembly of section", the text
# after the address and bytes, without the "<label+off>" annotation.
listing_to_llvm() {
	awk -F '\t' '/^Disassembly of section / { name = $0; sub(/^Disassembly of section /, "", name);
			sub(/:$/, "", name); printf "\t.section %s,\"ax\",@progbits\n", name; next }
		/^ *[0-9]+:\t/ { text = $3; sub(/ <[^ ]*>$/, "", text); print "\t" text }'
}

compare() { # ORIGINAL.o REASSEMBLED.o WHAT
	for sec in $(llvm-objdump -h "$1" | awk '$5 == "TEXT" { print $2 }'); do
		if [ "$(section_hex "$1" "$sec")" = "$(section_hex "$2" "$sec")" ]; then
			checked=$((checked + 1))
		else
			echo "FAIL: $3: section $sec differs"; status=1
		fi
	done
}

roundtrip() { # OBJECT NAME DUMPERS...
	obj=$1 name=$2
	shift 2
	for dump in "$OBJDUMP" "$@"; do
		command -v "${dump%% *}" >/dev/null 2>&1 || [ -x "$dump" ] || continue
		$dump -d "$obj" | listing_to_llvm > "$WORK/$name.s"
		"$EBPF_AS" --dialect=llvm -o "$WORK/$name.re.o" "$WORK/$name.s" ||
			{ echo "FAIL: $name via $dump"; status=1; continue; }
		compare "$obj" "$WORK/$name.re.o" "$name via $dump"
	done
	"$OBJDUMP" -d --dialect=mnemonic "$obj" |
		sed 's/^# section \(.*\)$/	.section \1,"ax",@progbits/' > "$WORK/$name.m.s"
	"$EBPF_AS" --dialect=mnemonic -o "$WORK/$name.m.o" "$WORK/$name.m.s" ||
		{ echo "FAIL: $name via ebpf-objdump --dialect=mnemonic"; status=1; return; }
	compare "$obj" "$WORK/$name.m.o" "$name via ebpf-objdump --dialect=mnemonic"
}

[ -x "$OBJDUMP" ] || { echo "SKIP: ebpf-objdump not built"; exit 77; }
for c in "$SRC"/*.c; do
	base=$(basename "$c" .c)
	if command -v clang-19 >/dev/null 2>&1; then
		clang-19 -target bpf -O2 -mcpu=v4 -c "$c" -o "$WORK/$base.19.o" &&
			roundtrip "$WORK/$base.19.o" "$base.clang19" "llvm-objdump-19 --mcpu=v4"
		clang-19 -target bpf -O2 -mcpu=v2 -fno-crash-diagnostics -c "$c" -o "$WORK/$base.19v2.o" 2>/dev/null &&
			roundtrip "$WORK/$base.19v2.o" "$base.clang19v2" llvm-objdump "llvm-objdump-19 --mcpu=v4"
	fi
	if command -v clang >/dev/null 2>&1 &&
	   clang -target bpf -O2 -mcpu=v3 -fno-crash-diagnostics -c "$c" -o "$WORK/$base.14.o" 2>/dev/null; then
		roundtrip "$WORK/$base.14.o" "$base.clang14" llvm-objdump "llvm-objdump-19 --mcpu=v4"
	fi
done
echo "round trip: $checked code sections reproduced"
[ $checked -gt 0 ] || { echo "SKIP: no clang to build objects"; exit 77; }
exit $status
