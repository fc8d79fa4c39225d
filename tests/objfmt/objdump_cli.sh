#!/bin/sh
# objdump_cli.sh - ebpf-objdump's command-line contract: --help and --version exit 0;
# bad usage exits 2 with a message; bad input (missing, truncated, not ELF, no BTF)
# exits 1 with a one-line message naming the file, and never crashes.
srcdir=${srcdir:-.}
objdump=$PWD/../../objfmt/ebpf-objdump
objects=$srcdir/codec/objects
work=${TMPDIR:-/tmp}/objdump_cli.$$
trap 'rm -rf "$work"' EXIT
mkdir -p "$work" || exit 1
status=0

# expect STATUS 'STDERR TEXT' ARGS...: exit status and the exact first stderr line
expect() {
	want_status=$1 want_error=$2; shift 2
	"$objdump" "$@" > "$work/out" 2> "$work/err"
	got=$?
	first=$(head -n 1 "$work/err")
	if [ "$got" != "$want_status" ] || [ "$first" != "$want_error" ]; then
		echo "FAIL: ebpf-objdump $*: status $got (want $want_status), stderr '$first' (want '$want_error')"
		status=1
	fi
}

expect 0 '' --help
grep -q '^Usage: ebpf-objdump' "$work/out" || { echo "FAIL: --help text"; status=1; }
expect 0 '' --version
grep -q '^ebpf-objdump (ebpf-toolchain) ' "$work/out" || { echo "FAIL: --version text"; status=1; }
expect 2 "ebpf-objdump: error: no input file"
expect 2 "ebpf-objdump: error: nothing to do: give -d, -r, -h, -t, --btf or --cfg=dot" "$objects/forms-mc19.o"
expect 2 "ebpf-objdump: error: unknown option '-x'" -x "$objects/forms-mc19.o"
expect 2 "ebpf-objdump: error: unknown dialect 'att' (expected llvm or mnemonic)" --dialect=att -d x.o
expect 2 "ebpf-objdump: error: unknown CFG format 'svg' (expected dot)" --cfg=svg x.o
expect 1 "ebpf-objdump: error: $work/missing.o: cannot open: No such file or directory" -d "$work/missing.o"
head -c 100 "$objects/maps-clang14.o" > "$work/truncated.o"
expect 1 "ebpf-objdump: error: $work/truncated.o: section header table (offset 0x29a0, 33 entries) extends past the end of the file (100 bytes)" -d "$work/truncated.o"
printf 'not an object\n' > "$work/text.o"
"$objdump" -d "$work/text.o" > /dev/null 2> "$work/err"
[ $? = 1 ] && grep -q "^ebpf-objdump: error: $work/text.o: " "$work/err" || { echo "FAIL: text file"; cat "$work/err"; status=1; }
expect 1 "ebpf-objdump: error: $objects/forms-mc19.o: no .BTF section" --btf "$objects/forms-mc19.o"
# one bad file among good ones: the good one is still dumped, the status is 1
"$objdump" -d "$objects/forms-mc19.o" "$work/missing.o" > "$work/out" 2> /dev/null
[ $? = 1 ] && grep -q 'Disassembly of section .text:' "$work/out" || { echo "FAIL: mixed inputs"; status=1; }
exit $status
