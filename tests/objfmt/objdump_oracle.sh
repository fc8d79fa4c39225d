#!/bin/sh
# objdump_oracle.sh - differential test against llvm-objdump: the checked-in goldens
# still equal the live merged oracle text, and ebpf-objdump prints that same text for
# objects built now from codec/progs/*.bpf.c with clang -O2 -g -target bpf (clang 14,
# plain unless the source says it needs v3, and -mcpu=v3) and clang-19 -mcpu=v4, under -d, -d -r, -r, -t and -h.
# SKIP (77) when clang, clang-19, llvm-objdump or llvm-objdump-19 is missing.
srcdir=$(cd "${srcdir:-.}" && pwd)
. "$srcdir/../lib/skip.sh"
for tool in clang clang-19 llvm-objdump llvm-objdump-19; do require_tool "$tool"; done
objdump=$PWD/../../objfmt/ebpf-objdump
merge="$srcdir/codec/merge_oracle.sh"
work=${TMPDIR:-/tmp}/objdump_oracle.$$
trap 'rm -rf "$work"' EXIT
mkdir -p "$work" || exit 1
status=0
compared=0

# compare OBJECT FLAGS...: ebpf-objdump text == merged llvm-objdump text
compare() {
	object=$1; shift
	sh "$merge" "$object" "$@" > "$work/want" || { echo "FAIL: oracle on $object"; status=1; return; }
	"$objdump" "$@" "$object" > "$work/ours" 2>&1
	if ! diff -u "$work/want" "$work/ours"; then
		echo "FAIL: ebpf-objdump $* $object"
		status=1
	fi
	compared=$((compared + 1))
}

for object in "$srcdir"/codec/objects/*.o; do
	base=${object%.o}
	(cd "$srcdir/codec/objects" && sh ../merge_oracle.sh "${object##*/}" -d -r) > "$work/golden" &&
		diff -u "$base.d.expected" "$work/golden" || { echo "FAIL: stale golden $base.d.expected"; status=1; }
done

cd "$work" || exit 1
for source in "$srcdir"/codec/progs/*.bpf.c; do
	name=$(basename "$source" .bpf.c)
	objects="$name-14v3.o $name-19v4.o"
	if ! grep -q 'with -mcpu=v3 or later only' "$source"; then
		clang -O2 -g -target bpf -c "$source" -o "$name-14.o" || { status=1; continue; }
		objects="$name-14.o $objects"
	fi
	clang -O2 -g -target bpf -mcpu=v3 -c "$source" -o "$name-14v3.o" || { status=1; continue; }
	clang-19 -O2 -g -target bpf -mcpu=v4 -c "$source" -o "$name-19v4.o" || { status=1; continue; }
	for object in $objects; do
		for flags in "-d" "-d -r" "-r" "-t" "-h"; do
			# shellcheck disable=SC2086
			compare "$object" $flags
		done
	done
done
echo "compared $compared outputs with llvm-objdump"
exit $status
