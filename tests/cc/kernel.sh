#!/bin/sh
# kernel.sh - the real kernel accepts every program ebpf-cc compiles (bpftool prog
# loadall, i.e. libbpf + the kernel verifier; -O2 -g and -O0 -g) and runs it with the same report as
# clang's twin (ebpf-run --kernel); a program marked O0-REFUSED (lib.sh) is refused at
# -O0, ours and clang's twin alike. SKIP without root, bpftool or clang.
. "$top_srcdir/tests/cc/lib.sh"
require_tool bpftool
[ "$(id -u)" = 0 ] || { echo "SKIP: not root"; exit 77; }
pin=/sys/fs/bpf/ebpf_cc_test_$$ # bpffs names may not contain dots
mkdir -p "$pin" 2>/dev/null || { echo "SKIP: no bpffs"; exit 77; }
trap 'rm -rf "$WORK" "$pin"' EXIT
fail=0

# Both -O0 objects refused: ours (not verified at compile time) and clang's twin.
check_O0_refused() {
	"$EBPF_CC" -O0 -fno-verify -c "$src" -o "$WORK/$name.O0.o" || return 1
	if bpftool prog loadall "$WORK/$name.O0.o" "$pin/${name}_O0" >/dev/null 2>&1; then
		echo "FAIL $name -O0: the kernel accepts it, but its header says O0-REFUSED"
		rm -rf "$pin/${name}_O0"; return 1
	fi
	if clang_twin "$src" "$WORK/$name.clang0.o" -O0 2>/dev/null &&
	   bpftool prog loadall "$WORK/$name.clang0.o" "$pin/${name}_clang_O0" >/dev/null 2>&1; then
		echo "FAIL $name -O0: the kernel refuses ours but accepts clang's -O0 twin"
		rm -rf "$pin/${name}_clang_O0"; return 1
	fi
}

# -O0 -g: the kernel accepts it too (line_info: one record per instruction, also
# where dead code was removed; relocations only on the instructions kept).
check_O0_loads() {
	"$EBPF_CC" -O0 -g -c "$src" -o "$WORK/$name.O0.o" || return 1
	if ! bpftool prog loadall "$WORK/$name.O0.o" "$pin/${name}_O0" >"$WORK/$name.log" 2>&1; then
		echo "FAIL $name -O0 -g: the kernel rejected it"; tail -5 "$WORK/$name.log"; return 1
	fi
	rm -rf "$pin/${name}_O0"
}

for src in "$PROGS"/*.bpf.c; do
	name=$(basename "$src" .bpf.c)
	args=$(run_args "$src")
	"$EBPF_CC" -O2 -g -c "$src" -o "$WORK/$name.o" || { fail=1; continue; }
	if ! bpftool prog loadall "$WORK/$name.o" "$pin/$name" >"$WORK/$name.log" 2>&1; then
		echo "FAIL $name: the kernel rejected it"; tail -20 "$WORK/$name.log"; fail=1
		continue
	fi
	rm -rf "$pin/$name"
	if refused_at_O0 "$src"; then
		check_O0_refused || { fail=1; continue; }
	else
		check_O0_loads || { fail=1; continue; }
	fi
	if clang_twin "$src" "$WORK/$name.clang.o" 2>/dev/null; then
		eval "\"$EBPF_RUN\" --kernel \"$WORK/$name.o\" $args" 2>&1 | normalize "$src" > "$WORK/k.ours"
		eval "\"$EBPF_RUN\" --kernel \"$WORK/$name.clang.o\" $args" 2>&1 | normalize "$src" > "$WORK/k.clang"
		if ! diff -u "$WORK/k.clang" "$WORK/k.ours"; then
			echo "FAIL $name: kernel report differs from clang's twin"; fail=1; continue
		fi
	fi
	echo "ok $name"
done
exit $fail
