#!/bin/sh
# link.sh - ebpf-ld on clang's objects (tests/ld/link/*.bpf.o), ebpf-as's (entry.s) and
# mixes of both: each link is run by ebpf-run against a golden report (checked against
# the real kernel), its DATASEC entries are checked against the symbol table
# (llvm-objdump), it is compared with `bpftool gen object` (same global symbols, the same
# BTF type for type after dedup, DATASEC entries aside: libbpf 1.1 keeps those of weak
# or extern declarations) and, as root, run in the kernel (--compare) and loaded by
# libbpf (`bpftool prog loadall`). Bad inputs must give one exact message, exit 1 and
# no output file. Oracle parts report SKIP when their tool is missing.
set -u
: "${top_builddir:?}" "${top_srcdir:?}"
top_builddir=$(cd "$top_builddir" && pwd) top_srcdir=$(cd "$top_srcdir" && pwd)
ld=$top_builddir/ld/ebpf-ld
run=$top_builddir/run/ebpf-run
as=$top_builddir/asm/ebpf-as
ext_dump=$top_builddir/tests/ld/ext_dump
data=$top_srcdir/tests/ld/link
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0 skipped=0
ok() { passed=$((passed + 1)); echo "PASS: $1"; }
bad() { failed=$((failed + 1)); echo "FAIL: $1"; }
skip() { skipped=$((skipped + 1)); echo "SKIP: $1"; }

cp "$data"/*.bpf.o "$tmp"/ && cd "$tmp" || exit 1
"$as" -o entry.o "$data/entry.s" || { echo "FAIL: ebpf-as entry.s"; exit 1; }
packet=00000000000000000000000000000000
is_root=false
[ "$(id -u)" = 0 ] && is_root=true

# The BTF of an object as bpftool dumps it, without the DATASEC entries (checked
# against the symbol table instead: libbpf 1.1's linker gets some of them wrong).
btf_types() {
	bpftool btf dump file "$1" | grep -Ev '^	type_id=[0-9]+ offset='
}
# DATASEC entries as "SECTION VAR OFFSET SIZE", and the ELF data symbols likewise.
datasec_entries() {
	bpftool btf dump file "$1" | awk '
		/^\[[0-9]+\] DATASEC/ { split($0, q, "\047"); section = q[2]; next }
		/^\[/ { section = "" }
		/^	type_id=/ && section != ".kconfig" && section != ".ksyms" {
			split($0, q, "\047"); sub("offset=", "", $2); sub("size=", "", $3)
			print section, q[2], $2 + 0, $3 + 0 }' | sort
}
data_symbols() {
	llvm-objdump -t "$1" | awk '
		function hex(text,   value, i) {
			value = 0
			for (i = 1; i <= length(text); i++)
				value = value * 16 + index("0123456789abcdef", substr(text, i, 1)) - 1
			return value }
		$3 == "O" { print $4, $NF, hex($1), hex($5) }' | sort
}
globals() {
	llvm-objdump -t "$1" | awk '$2 == "g" || $2 == "w" { print $2, $3, $(NF-2), $NF }' | sort
}

# link CASE PROG INPUTS...: link, check the emulator's report, then the oracles.
link() {
	name=$1 prog=$2
	shift 2
	if ! "$ld" -o "$name.o" "$@" 2> "$name.err"; then
		bad "$name: ebpf-ld failed: $(cat "$name.err")"
		return
	fi
	if [ "$prog" != - ]; then
		"$run" "$name.o" --no-insn-counts --prog "$prog" --data-hex $packet > "$name.report" 2>&1
		if diff -u "$data/$name.golden" "$name.report"; then
			ok "$name: ebpf-run report in the emulator"
		else
			bad "$name: ebpf-run report in the emulator"
		fi
	fi
	oracles "$name" "$prog" "$@"
}

oracles() {
	name=$1 prog=$2
	shift 2
	if [ "$prog" = - ]; then
		: # not meant to be loaded (CO-RE against types the kernel lacks)
	elif $is_root && [ -d /sys/fs/bpf ]; then
		if "$run" "$name.o" --no-insn-counts --prog "$prog" --data-hex $packet --compare > "$name.cmp" 2>&1
		then ok "$name: emulator and kernel agree"
		else bad "$name: emulator and kernel differ: $(cat "$name.cmp")"; fi
		if command -v bpftool > /dev/null; then
			pin=/sys/fs/bpf/ebpf_ld_test_$$
			if bpftool prog loadall "$name.o" "$pin" > "$name.libbpf" 2>&1
			then ok "$name: libbpf loads it"
			else bad "$name: libbpf refuses it: $(cat "$name.libbpf")"; fi
			rm -rf "$pin"
		else
			skip "$name: libbpf load (no bpftool)"
		fi
	else
		skip "$name: kernel run and libbpf load (not root)"
	fi
	if ! command -v bpftool > /dev/null || ! command -v llvm-objdump > /dev/null ||
	   ! command -v llvm-readelf > /dev/null; then
		skip "$name: ELF, BTF and symbol checks (bpftool or LLVM tools missing)"
		return
	fi
	if llvm-readelf -a "$name.o" 2>&1 > /dev/null | grep -q . ||
	   llvm-objdump -d -r "$name.o" 2>&1 > /dev/null | grep -q .; then
		bad "$name: llvm-readelf -a or llvm-objdump -d -r warns"
	else
		ok "$name: llvm-readelf -a and llvm-objdump -d -r read it without a warning"
	fi
	if bpftool btf dump file "$name.o" > /dev/null 2>&1; then
		datasec_entries "$name.o" > "$name.entries"
		data_symbols "$name.o" > "$name.symbols"
		if [ -z "$(comm -23 "$name.entries" "$name.symbols")" ]; then
			ok "$name: every DATASEC entry matches its symbol's section, offset and size"
		else
			bad "$name: DATASEC entries without a matching symbol:" \
				"$(comm -23 "$name.entries" "$name.symbols")"
		fi
	fi
	if ! bpftool gen object "$name.ref.o" "$@" 2> /dev/null; then
		skip "$name: bpftool gen object refuses these inputs"
		return
	fi
	globals "$name.ref.o" > "$name.ref.syms"
	globals "$name.o" > "$name.syms"
	btf_types "$name.ref.o" > "$name.ref.btf"
	btf_types "$name.o" > "$name.btf"
	if diff -u "$name.ref.syms" "$name.syms" && diff -u "$name.ref.btf" "$name.btf"
	then ok "$name: same programs, maps and BTF types as bpftool gen object"
	else bad "$name: differs from bpftool gen object"; fi
	"$ext_dump" "$name.ref.o" > "$name.ref.ext" && "$ext_dump" "$name.o" > "$name.ext"
	if diff -u "$name.ref.ext" "$name.ext"
	then ok "$name: same .BTF.ext records as bpftool gen object"
	else bad "$name: .BTF.ext differs from bpftool gen object"; fi
}

# refuse CASE MESSAGE INPUTS...: exit 1, exactly MESSAGE on stderr, no output file.
refuse() {
	name=$1 message=$2
	shift 2
	echo stale > "$name.o"
	"$ld" -o "$name.o" "$@" 2> "$name.err"
	status=$?
	if [ $status -eq 1 ] && [ "$(cat "$name.err")" = "ebpf-ld: error: $message" ] &&
	   [ ! -e "$name.o" ]; then
		ok "$name: refused"
	else
		bad "$name: status $status, output $([ -e "$name.o" ] && echo present || echo absent), stderr: $(cat "$name.err")"
	fi
}

# The prog array is declared extern in main and initialised in progs: libbpf 1.1's
# linker produces an object it cannot open; ours must load and tail-call.
link clang2 entry main.bpf.o progs.bpf.o
link clang3 count main.bpf.o progs.bpf.o stats.bpf.o
link clang3r entry progs.bpf.o stats.bpf.o main.bpf.o
link mixed2 entry_asm entry.o progs.bpf.o
link mixed4 entry_asm progs.bpf.o entry.o stats.bpf.o main.bpf.o

# An array of maps initialised with a map another object defines; a weak map default
# overridden by a strong definition.
link mim read_inner mim_inner.bpf.o mim_outer.bpf.o
# A weak function overridden by a strong one, before or after it: the call goes to the
# strong one (retval 3, not 1).
link weak1 chooser weak_default.bpf.o strong_pick.bpf.o
link weak2 chooser strong_pick.bpf.o weak_default.bpf.o
# CO-RE, func_info and line_info records of four objects moved with their code.
link core - main.bpf.o progs.bpf.o core.bpf.o stats.bpf.o

# Objects of another clang (the system's, 14 on Debian 12) must link the same way.
clang_other=$(command -v clang)
if [ -n "$clang_other" ] && [ "$clang_other" != "$(command -v clang-19)" ]; then
	mkdir other && cd other || exit 1
	multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
	for source in main progs stats; do
		"$clang_other" -O2 -g -target bpf -I"/usr/include/$multiarch" \
			-c "$data/$source.bpf.c" -o "$source.bpf.o" || bad "$clang_other $source.bpf.c"
	done
	"$ld" -o clang3.o main.bpf.o progs.bpf.o stats.bpf.o &&
		"$run" clang3.o --no-insn-counts --prog count --data-hex $packet > clang3.report 2>&1
	if diff -u "$data/clang3.golden" clang3.report; then
		ok "clang3 with $($clang_other --version | head -n 1): same report"
	else
		bad "clang3 with $clang_other: report differs"
	fi
	cd ..
else
	skip "clang3 with a second clang (none besides clang-19)"
fi

# A .kconfig extern stays undefined for the loader, described in a .kconfig DATASEC.
if "$ld" -o kconfig.o progs.bpf.o kconfig.bpf.o 2> kconfig.err &&
   "$top_builddir/objfmt/ebpf-objdump" --btf kconfig.o > kconfig.btf 2>&1 &&
   grep -A1 "DATASEC '.kconfig' size=0 vlen=1" kconfig.btf | grep -q "(VAR 'CONFIG_HZ')" &&
   "$top_builddir/objfmt/ebpf-objdump" -t kconfig.o | grep -q '\*UND\*.*CONFIG_HZ$'; then
	ok "kconfig: extern left for the loader"
else
	bad "kconfig: $(cat kconfig.err kconfig.btf 2> /dev/null)"
fi
if $is_root && [ -d /sys/fs/bpf ] && command -v bpftool > /dev/null; then
	pin=/sys/fs/bpf/ebpf_ld_test_$$
	if bpftool prog loadall kconfig.o "$pin" > kconfig.libbpf 2>&1
	then ok "kconfig: libbpf resolves and loads it"
	else bad "kconfig: libbpf refuses it: $(cat kconfig.libbpf)"; fi
	rm -rf "$pin"
else
	skip "kconfig: libbpf load (not root or no bpftool)"
fi

cp progs.bpf.o progs_again.bpf.o
refuse dup "symbol 'shared_counter' is defined in both progs.bpf.o and bad_dup.bpf.o" \
	main.bpf.o progs.bpf.o bad_dup.bpf.o
refuse dup_func "symbol 'target' is defined in both progs.bpf.o and progs_again.bpf.o" \
	progs.bpf.o progs_again.bpf.o
refuse map "map 'jmp': max_entries differs: 4 in progs.bpf.o, 8 in bad_map.bpf.o" \
	progs.bpf.o bad_map.bpf.o
refuse map_extern_first "map 'jmp': max_entries differs: 8 in bad_map.bpf.o, 4 in progs.bpf.o" \
	bad_map.bpf.o progs.bpf.o
refuse type "symbol 'shared_counter': BTF type differs: int 'int' of 4 bytes in progs.bpf.o, int 'long' of 8 bytes in bad_type.bpf.o" \
	progs.bpf.o bad_type.bpf.o
refuse inner_map "map 'outer': inner map: max_entries differs: 1 in mim_outer.bpf.o, 4 in bad_inner.bpf.o" \
	mim_outer.bpf.o mim_inner.bpf.o bad_inner.bpf.o
refuse value_type "map 'hits': value type differs: typedef '__u64' of 8 bytes in stats.bpf.o, struct 'total' of 8 bytes in bad_value.bpf.o" \
	stats.bpf.o bad_value.bpf.o
refuse struct_layout "symbol 'cfg': BTF type differs: struct 'cfg' of 16 bytes in bad_cfg_use.bpf.o, struct 'cfg' of 8 bytes in cfg_def.bpf.o" \
	bad_cfg_use.bpf.o cfg_def.bpf.o
refuse license "license mismatch: progs.bpf.o has 'GPL' but bad_license.bpf.o has 'Dual BSD/GPL'" \
	progs.bpf.o bad_license.bpf.o
refuse prog "map 'table' in bad_prog.bpf.o: static initializer refers to 'missing_prog', which no object defines" \
	bad_prog.bpf.o
refuse extern_map "unresolved symbol 'jmp' (referenced by main.bpf.o): no object defines it" \
	main.bpf.o
refuse extern_func "unresolved symbol 'helper_add' (referenced by entry.o): no object defines it" \
	entry.o
printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\001\000\076\000' > host.o
head -c 64 /dev/zero >> host.o
refuse not_bpf "host.o: e_machine 62 is not EM_BPF (247)" progs.bpf.o host.o
refuse missing "absent.o: cannot open: No such file or directory" progs.bpf.o absent.o

# Usage: --help and --version exit 0, a missing -o or input exits 2.
"$ld" --help | grep -q '^usage: ebpf-ld -o OUT.o IN.o' && ok "--help" || bad "--help"
"$ld" --version | grep -q '^ebpf-ld ' && ok "--version" || bad "--version"
"$ld" progs.bpf.o 2> usage.err
[ $? -eq 2 ] && grep -q '^ebpf-ld: error: no output file (-o OUT.o)$' usage.err &&
	ok "usage: no -o" || bad "usage: no -o: $(cat usage.err)"
"$ld" -o none.o 2> usage.err
[ $? -eq 2 ] && grep -q '^ebpf-ld: error: no input objects$' usage.err && [ ! -e none.o ] &&
	ok "usage: no inputs" || bad "usage: no inputs: $(cat usage.err)"

echo "link.sh: $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ] || exit 1
[ $passed -gt 0 ] || exit 77
exit 0
