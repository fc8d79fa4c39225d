#!/bin/sh
# shapes.sh - verifier-sensitive code shapes of -O2 (tests/cc/shapes/*.bpf.c): each
# program compiles (compile-time verification on), its assembly holds every `SHAPE:`
# line of its header and none of its `NOSHAPE:` lines, it runs with the same report
# as clang's twin, and the real kernel loads it (when root with bpftool); with
# ` * PROCESSED: clang` the verifier walks at most 1.25x the insns of clang's object.
# SKIP without clang.
. "$top_srcdir/tests/cc/lib.sh"
command -v clang >/dev/null 2>&1 || command -v clang-19 >/dev/null 2>&1 ||
	{ echo "SKIP: no clang"; exit 77; }
pin=""
if [ "$(id -u)" = 0 ] && command -v bpftool >/dev/null 2>&1; then
	pin=/sys/fs/bpf/ebpf_cc_shapes_$$
	mkdir -p "$pin" 2>/dev/null || pin=""
fi
trap 'rm -rf "$WORK" ${pin:+"$pin"}' EXIT
fail=0
# The verifier's processed insns over every program of an object.
processed() {
	"$EBPF_RUN" "$1" --verify-only 2>&1 | awk '/insns processed/ {
		for (i = 2; i <= NF; i++) if ($i == "insns" && $(i + 1) == "processed") s += $(i - 1) }
		END { print s + 0 }'
}
for src in "$top_srcdir"/tests/cc/shapes/*.bpf.c; do
	name=$(basename "$src" .bpf.c)
	args=$(run_args "$src")
	ok=1
	for o in -O2; do
		"$EBPF_CC" $o -g -c "$src" -o "$WORK/$name$o.o" ||
			{ echo "FAIL $name: ebpf-cc $o"; ok=0; }
	done
	[ $ok = 1 ] || { fail=1; continue; }
	"$EBPF_CC" -O2 -g -S "$src" -o "$WORK/$name.s" || { fail=1; continue; }
	grep '^ \* SHAPE: ' "$src" | sed 's/^ \* SHAPE: //' > "$WORK/shapes"
	while IFS= read -r line; do
		grep -qF -- "$line" "$WORK/$name.s" ||
			{ echo "FAIL $name: no '$line' in the -O2 assembly"; ok=0; }
	done < "$WORK/shapes"
	grep '^ \* NOSHAPE: ' "$src" | sed 's/^ \* NOSHAPE: //' > "$WORK/shapes"
	while IFS= read -r line; do
		! grep -qF -- "$line" "$WORK/$name.s" ||
			{ echo "FAIL $name: '$line' in the -O2 assembly"; ok=0; }
	done < "$WORK/shapes"
	clang_twin "$src" "$WORK/$name.clang.o" || { echo "FAIL $name: clang twin"; fail=1; continue; }
	eval "\"$EBPF_RUN\" \"$WORK/$name.clang.o\" $args" 2>&1 | normalize > "$WORK/golden"
	for o in -O2; do
		eval "\"$EBPF_RUN\" \"$WORK/$name$o.o\" $args" 2>&1 | normalize > "$WORK/ours"
		diff -u "$WORK/golden" "$WORK/ours" ||
			{ echo "FAIL $name $o: report differs from clang's twin"; ok=0; }
	done
	# ` * PROCESSED: clang`: the verifier walks at most 1.25x the insns of clang's object
	if grep -q '^ \* PROCESSED: clang' "$src"; then
		ours=$(processed "$WORK/$name-O2.o"); theirs=$(processed "$WORK/$name.clang.o")
		[ $((ours * 4)) -le $((theirs * 5)) ] ||
			{ echo "FAIL $name: $ours insns processed, clang's object $theirs"; ok=0; }
	fi
	if [ -n "$pin" ] && ! bpftool prog loadall "$WORK/$name-O2.o" "$pin/$name" \
			>"$WORK/$name.log" 2>&1; then
		echo "FAIL $name: the kernel rejected it"; tail -20 "$WORK/$name.log"; ok=0
	fi
	rm -rf "$pin/$name"
	[ $ok = 1 ] && echo "ok $name" || fail=1
done
exit $fail
