#!/bin/sh
# run-example.sh - test driver of one example (NAME.example holds ebpf-run arguments):
# compile NAME.bpf.c with ebpf-cc and check the emulator's report of its object against
# NAME.golden (made from clang's object: the two compilers must give the same results);
# then compile it with clang (NAME.s is assembled by ebpf-run itself), check the
# emulator's report against NAME.golden and, as root with a working bpf() syscall, the
# kernel's against NAME.kernel.golden, then `--compare` agreement. Reports are made with
# --no-insn-counts: the counts change with verifier work and kernel versions.
# UPDATE_GOLDEN=1 rewrites the golden files. Exit 77 (SKIP) when nothing could run.
set -u
example=$1
name=$(basename "$example" .example)
srcdir=$(cd "$(dirname "$example")" && pwd)
builddir=$(pwd)
run="$builddir/${top_builddir:-..}/run/ebpf-run"
clang=${CLANG:-clang}
object="$builddir/$name.bpf.o"

[ -x "$run" ] || { echo "SKIP: ebpf-run not built"; exit 77; }
args="$(grep -v '^#' "$example") --no-insn-counts"
if [ ! -f "$srcdir/$name.s" ] && [ -f "$srcdir/$name.golden" ]; then
	# our compiler: same report as clang's object (the report names objects by base
	# name, so the object keeps clang's file name in its own directory)
	mkdir -p "$builddir/ebpf-cc"
	cc_object="$builddir/ebpf-cc/$name.bpf.o"
	"$builddir/${top_builddir:-..}/cc/ebpf-cc" -O2 -g -D__TARGET_ARCH_x86 \
		-c "$srcdir/$name.bpf.c" -o "$cc_object" || exit 1
	(cd "$srcdir" && "$run" "$cc_object" $args --expect "$name.golden") ||
		{ echo "FAIL: ebpf-cc's object of $name.bpf.c differs from clang's golden"; exit 1; }
	echo "ebpf-cc's object gives the golden report"
	cc_checked=1
fi
if [ -f "$srcdir/$name.s" ]; then
	object="$srcdir/$name.s"
else
	if ! command -v "$clang" >/dev/null 2>&1; then
		echo "clang not installed: its variant skipped"
		[ "${cc_checked:-0}" = 1 ] && exit 0
		exit 77
	fi
	multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
	"$clang" -O2 -g -target bpf -D__TARGET_ARCH_x86 -I"/usr/include/$multiarch" \
		-c "$srcdir/$name.bpf.c" -o "$object" || exit 1
fi
cd "$srcdir" || exit 1
status=77

kernel_available() {
	probe=$("$run" "$object" --kernel --verify-only 2>&1 >/dev/null)
	case "$probe" in
	*"not permitted"*|*"Function not implemented"*) return 1 ;;
	esac
	return 0
}

# emulator: the golden report, exactly; a golden is only (re)written from an emulator
# that agrees with the kernel, when a kernel is there to ask
if "$run" "$object" $args --verify-only >/dev/null 2>&1; then
	if [ "${UPDATE_GOLDEN:-}" = 1 ] && kernel_available && ! grep -q '^# no-compare' "$name.example" &&
	   ! "$run" "$object" $args --compare; then
		echo "not updating $name.golden: the emulator disagrees with the kernel"
	elif [ "${UPDATE_GOLDEN:-}" = 1 ]; then
		"$run" "$object" $args --expect "$name.golden" --update-golden || exit 1
	fi
	if [ -f "$name.golden" ]; then
		"$run" "$object" $args --expect "$name.golden" || exit 1
		status=0
	fi
elif [ -f "$name.golden" ]; then
	echo "emulator cannot load $name.bpf.o:"
	"$run" "$object" $args --verify-only
	exit 1
else
	echo "emulator variant skipped: no $name.golden and the emulator cannot load it"
fi

# kernel: only as root with bpf() available
if ! kernel_available; then
	echo "kernel variant skipped: $probe"
	exit $status
fi
actual=$(mktemp)
"$run" "$object" --kernel $args > "$actual"
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
	cp "$actual" "$name.kernel.golden"
fi
diff -u "$name.kernel.golden" "$actual" || { rm -f "$actual"; exit 1; }
rm -f "$actual"
status=0
if ! grep -q '^# no-compare' "$name.example" && [ -f "$name.golden" ]; then
	"$run" "$object" $args --compare || exit 1
fi
exit $status
