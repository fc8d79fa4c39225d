#!/bin/sh
# objdump_golden.sh - ebpf-objdump on the checked-in objects of codec/objects/ prints
# exactly the checked-in llvm-objdump text (*.d.expected: -d -r; *.htr.expected:
# -h -t -r), made by codec/merge_oracle.sh from llvm-objdump 14.0.6 and 19.1;
# objdump_oracle.sh re-checks these goldens against the live oracles.
srcdir=${srcdir:-.}
objdump=$PWD/../../objfmt/ebpf-objdump
out=${TMPDIR:-/tmp}/objdump_golden.$$
trap 'rm -f "$out"' EXIT
status=0
cd "$srcdir/codec/objects" || exit 1
for object in *.o; do
	base=${object%.o}
	"$objdump" -d -r "$object" > "$out" 2>&1 || { echo "FAIL: -d -r $object exits $?"; status=1; }
	diff -u "$base.d.expected" "$out" || status=1
	"$objdump" -h -t -r "$object" > "$out" 2>&1 || { echo "FAIL: -h -t -r $object exits $?"; status=1; }
	diff -u "$base.htr.expected" "$out" || status=1
done
exit $status
