#!/bin/sh
# diagnostics.sh - each diagnostics/NAME.c fails to compile with exit status 1, no
# output file, and exactly the messages of NAME.err (clang's wording where clang has
# a message for the same fault: undeclared identifiers, members, calls). Only as many
# lines as NAME.err holds are compared: a verifier log that follows (with map
# addresses) is not.
. "$top_srcdir/tests/cc/lib.sh"
fail=0
cd "$top_srcdir/tests/cc/diagnostics" || exit 1
for src in *.c; do
	name=${src%.c}
	"$EBPF_CC" -c "$src" -o "$WORK/$name.o" 2>"$WORK/$name.err"
	rc=$?
	if [ $rc -ne 1 ]; then
		echo "FAIL $name: exit status $rc, expected 1"; fail=1; continue
	fi
	if [ -e "$WORK/$name.o" ]; then
		echo "FAIL $name: an output file was left behind"; fail=1; continue
	fi
	if ! head -n "$(wc -l < "$name.err")" "$WORK/$name.err" | diff -u "$name.err" -; then
		echo "FAIL $name: messages differ"; fail=1; continue
	fi
	echo "ok $name"
done
exit $fail
