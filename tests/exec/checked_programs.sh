#!/bin/sh
# checked_programs.sh - every example (examples/*.example, with ebpf-run --checked) and
# every tests/cc program (with EBPF_EMU_CHECKED=1) runs in checked execution: the report
# must equal the golden of the unchecked run and no access may leave the program's
# regions.
. "$top_srcdir/tests/cc/lib.sh"
EXAMPLES="$top_srcdir/examples"
[ -x "$EBPF_RUN" ] && [ -x "$EBPF_CC" ] || { echo "SKIP: ebpf-run or ebpf-cc not built"; exit 77; }
fail=0 runs=0

# check DIR LABEL OBJECT GOLDEN SOURCE ARGS...: a checked run in DIR whose report is
# GOLDEN's (without the maps SOURCE's header skips, see lib.sh)
check() {
	c_dir=$1 c_label=$2 c_object=$3 c_golden=$4 c_source=$5
	shift 5
	if ! (cd "$c_dir" && "$EBPF_RUN" "$c_object" "$@") >"$WORK/$c_label.out" \
		2>"$WORK/$c_label.err"; then
		if grep -q 'checked execution' "$WORK/$c_label.err"; then
			echo "FAIL $c_label: $(cat "$WORK/$c_label.err")"; fail=1; return
		fi
	fi
	normalize "$c_source" <"$WORK/$c_label.out" >"$WORK/$c_label.report"
	normalize "$c_source" <"$c_golden" >"$WORK/$c_label.golden"
	if ! diff -u "$WORK/$c_label.golden" "$WORK/$c_label.report"; then
		echo "FAIL $c_label: checked report differs from the golden"; fail=1; return
	fi
	runs=$((runs + 1))
	echo "ok $c_label"
}

for example in "$EXAMPLES"/*.example; do
	name=$(basename "$example" .example)
	[ -f "$EXAMPLES/$name.golden" ] || continue
	if [ -f "$EXAMPLES/$name.s" ]; then
		object="$EXAMPLES/$name.s"
	else
		object="$WORK/$name.bpf.o"
		"$EBPF_CC" -O2 -g -D__TARGET_ARCH_x86 -c "$EXAMPLES/$name.bpf.c" -o "$object" ||
			{ echo "FAIL $name: ebpf-cc failed"; fail=1; continue; }
	fi
	# shellcheck disable=SC2046
	check "$EXAMPLES" "$name" "$object" "$EXAMPLES/$name.golden" /dev/null \
		$(grep -v '^#' "$example") --no-insn-counts --checked
done

EBPF_EMU_CHECKED=1
export EBPF_EMU_CHECKED
for src in "$PROGS"/*.bpf.c; do
	name=$(basename "$src" .bpf.c)
	for level in O0 O2; do
		# refused at -O0 by the kernel too (its header says why): nothing to run
		[ $level = O0 ] && refused_at_O0 "$src" && continue
		"$EBPF_CC" -$level -g -c "$src" -o "$WORK/$name.$level.o" ||
			{ echo "FAIL $name: ebpf-cc -$level failed"; fail=1; continue; }
		eval "check \"$WORK\" \"cc-$name.$level\" \"$WORK/$name.$level.o\" \
			\"$EXPECTED/$name.txt\" \"$src\" $(run_args "$src")"
	done
done
echo "checked runs: $runs, failures: $fail"
exit $fail
