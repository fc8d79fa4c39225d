# lib.sh - sourced by the cc tool tests: paths, the clang twin, report normalisation.
. "$top_srcdir/tests/lib/skip.sh"
EBPF_CC="$top_builddir/cc/ebpf-cc"
EBPF_RUN="$top_builddir/run/ebpf-run"
PROGS="$top_srcdir/tests/cc/progs"
EXPECTED="$top_srcdir/tests/cc/expected"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cc-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
MULTIARCH_INC=/usr/include/$(uname -m)-linux-gnu

# The clang -target bpf twin of a program (clang 14 or 19, whichever is installed),
# at -O2 unless a third argument names another level.
clang_twin() {
	for c in clang clang-19; do
		command -v $c >/dev/null 2>&1 || continue
		$c ${3:--O2} -g -target bpf -I"$MULTIARCH_INC" -c "$1" -o "$2" && return 0
	done
	return 1
}

# The RUN: lines of a program's header comment, as ebpf-run arguments.
run_args() {
	grep '^ \* RUN:' "$1" | sed 's/^ \* RUN://' | tr '\n' ' '
}

# A program whose header says ` * O0-REFUSED: why` is refused at -O0 by the kernel
# and so is clang's -O0 twin (clang -O0 calls helpers through a register, `callx`):
# the -O0 checks compare verdicts instead of requiring acceptance.
refused_at_O0() {
	grep -q '^ \* O0-REFUSED:' "$1"
}

# ` * REPORT-SKIP: map NAME -- why`: the map NAME is left out of the reports compared
# (a section one compiler's object keeps and the other's does not need).
skipped_maps() {
	grep '^ \* REPORT-SKIP: map ' "$1" | sed 's/^ \* REPORT-SKIP: map \([^ ]*\).*/\1/'
}

# A report without what legitimately differs between two compilers' objects: the
# object name, the verifier's processed-instruction count and the maps `$1` skips.
normalize() {
	sed -e '/^object:/d' -e 's/, [0-9]* insns processed//' |
		awk -v skip=" $(skipped_maps "${1:-/dev/null}" | tr '\n' ' ')" '
			/^map / { name = $2; sub(/:$/, "", name); dropping = index(skip, " " name " ") > 0 }
			/^[^ ]/ && !/^map / { dropping = 0 }
			!dropping'
}
