#!/bin/sh
# kernel.sh - the real kernel accepts every program ebpf-cc compiles (bpftool prog
# loadall, i.e. libbpf + the kernel verifier) and runs it with the same report as
# clang's twin (ebpf-run --kernel). SKIP without root, bpftool or clang.
. "$top_srcdir/tests/cc/lib.sh"
require_tool bpftool
[ "$(id -u)" = 0 ] || { echo "SKIP: not root"; exit 77; }
pin=/sys/fs/bpf/ebpf_cc_test_$$ # bpffs names may not contain dots
mkdir -p "$pin" 2>/dev/null || { echo "SKIP: no bpffs"; exit 77; }
trap 'rm -rf "$WORK" "$pin"' EXIT
fail=0
for src in "$PROGS"/*.bpf.c; do
	name=$(basename "$src" .bpf.c)
	args=$(run_args "$src")
	"$EBPF_CC" -O2 -g -c "$src" -o "$WORK/$name.o" || { fail=1; continue; }
	if ! bpftool prog loadall "$WORK/$name.o" "$pin/$name" >"$WORK/$name.log" 2>&1; then
		echo "FAIL $name: the kernel rejected it"; tail -20 "$WORK/$name.log"; fail=1
		continue
	fi
	rm -rf "$pin/$name"
	if clang_twin "$src" "$WORK/$name.clang.o" 2>/dev/null; then
		eval "\"$EBPF_RUN\" --kernel \"$WORK/$name.o\" $args" 2>&1 | normalize > "$WORK/k.ours"
		eval "\"$EBPF_RUN\" --kernel \"$WORK/$name.clang.o\" $args" 2>&1 | normalize > "$WORK/k.clang"
		if ! diff -u "$WORK/k.clang" "$WORK/k.ours"; then
			echo "FAIL $name: kernel report differs from clang's twin"; fail=1; continue
		fi
	fi
	echo "ok $name"
done
exit $fail
