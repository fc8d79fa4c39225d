# lib.sh - sourced by the cc tool tests: paths, the clang twin, report normalisation.
. "$top_srcdir/tests/lib/skip.sh"
EBPF_CC="$top_builddir/cc/ebpf-cc"
EBPF_RUN="$top_builddir/run/ebpf-run"
PROGS="$top_srcdir/tests/cc/progs"
EXPECTED="$top_srcdir/tests/cc/expected"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cc-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
MULTIARCH_INC=/usr/include/$(uname -m)-linux-gnu

# The clang -target bpf twin of a program (clang 14 or 19, whichever is installed).
clang_twin() {
	for c in clang clang-19; do
		command -v $c >/dev/null 2>&1 || continue
		$c -O2 -g -target bpf -I"$MULTIARCH_INC" -c "$1" -o "$2" && return 0
	done
	return 1
}

# The RUN: lines of a program's header comment, as ebpf-run arguments.
run_args() {
	grep '^ \* RUN:' "$1" | sed 's/^ \* RUN://' | tr '\n' ' '
}

# A report without what legitimately differs between two compilers' objects: the
# object name and the verifier's processed-instruction count.
normalize() {
	sed -e '/^object:/d' -e 's/, [0-9]* insns processed//'
}
