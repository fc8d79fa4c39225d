#!/bin/bash
# front_clang.sh - front-end behaviour against clang-19 -target bpf, the oracle, for
# each tests/cc/front/NAME.c by the CHECK: line of its header comment:
#   layout  at -O0 -g and -O2 -g: the data symbols (section, offset, size, name), the
#           bytes of every data section, the BTF of records (members, bit offsets) and
#           the order of the variables in each DATASEC equal clang's;
#   errors  both compilers fail, with the same `file:line:col: error: text` lines.
. "$top_srcdir/tests/cc/lib.sh"
CLANG=$(command -v clang-19) || { echo "SKIP: clang-19 missing"; exit 77; }
command -v llvm-readelf >/dev/null && command -v llvm-objdump >/dev/null &&
	command -v bpftool >/dev/null || { echo "SKIP: llvm-readelf/llvm-objdump/bpftool missing"; exit 77; }
fail=0

# Data symbols as "section offset size name", sorted.
data_symbols() {
	llvm-readelf -S -s "$1" | awk '
		/^ *\[ *[0-9]+\]/ { sub(/^ *\[ */, ""); split($0, f, /[] ]+/); section[f[1]] = f[2] }
		/ OBJECT / { print section[$7], $2, $3, $8 }' | sort
}

# Contents of the sections holding data (code, BTF and relocations left out).
data_sections() {
	for s in $(llvm-readelf -S "$1" | grep -o '\] [^ ]*' | tr -d ']' |
		   grep -E '^ *(\.data|\.bss|\.rodata|license|\.maps)'); do
		echo "section $s"
		llvm-objdump -s -j "$s" "$1" | tail -n +4
	done
}

# Records with their members, and the variables of each DATASEC in order.
btf_layout() {
	bpftool btf dump file "$1" | awk '
		/^\[/ { keep = $2 == "STRUCT" || $2 == "UNION" || $2 == "DATASEC" }
		/^\[/ && keep { print $2, $3, ($2 == "DATASEC" ? "" : $4); next }
		keep { sub(/type_id=[0-9]+ /, ""); if ($0 ~ /VAR/) sub(/offset=[0-9]+ /, ""); print }'
}

compare() { # what name file-a file-b
	if ! diff -u "$3" "$4" > "$WORK/diff"; then
		echo "FAIL $2: $1 differ (--- clang-19, +++ ebpf-cc)"; cat "$WORK/diff"; fail=1
		return 1
	fi
}

check_layout() { # src name
	for flags in "-O0 -g" "-O2 -g"; do
		# shellcheck disable=SC2086
		"$CLANG" -target bpf $flags -c "$1" -o "$WORK/clang.o" &&
		"$EBPF_CC" -fno-verify $flags -c "$1" -o "$WORK/ours.o" ||
			{ echo "FAIL $2 $flags: does not compile"; fail=1; continue; }
		for f in data_symbols data_sections btf_layout; do
			$f "$WORK/clang.o" > "$WORK/clang.$f"
			$f "$WORK/ours.o" > "$WORK/ours.$f"
			compare "$f" "$2 $flags" "$WORK/clang.$f" "$WORK/ours.$f" || continue 2
		done
		echo "ok $2 $flags: layout as clang's"
	done
}

check_errors() { # src name
	(cd "$(dirname "$1")" && "$CLANG" -target bpf -c "$(basename "$1")" -o "$WORK/clang.o") \
		2>&1 | grep -E '^[^ ]+:[0-9]+:[0-9]+: error: ' > "$WORK/clang.err"
	(cd "$(dirname "$1")" && "$EBPF_CC" -c "$(basename "$1")" -o "$WORK/ours.o") \
		2>&1 | grep -E '^[^ ]+:[0-9]+:[0-9]+: error: ' > "$WORK/ours.err"
	if [ -e "$WORK/ours.o" ] || [ ! -s "$WORK/clang.err" ]; then
		echo "FAIL $2: expected both compilers to fail"; fail=1; rm -f "$WORK/ours.o"
		return
	fi
	compare "error lines" "$2" "$WORK/clang.err" "$WORK/ours.err" &&
		echo "ok $2: $(wc -l < "$WORK/ours.err") errors as clang's"
}

for src in "$top_srcdir"/tests/cc/front/*.c; do
	name=$(basename "$src" .c)
	case $(sed -n 's/^.*CHECK: *\([a-z]*\).*$/\1/p' "$src" | head -1) in
	layout) check_layout "$src" "$name" ;;
	errors) check_errors "$src" "$name" ;;
	*) echo "FAIL $name: no CHECK: line"; fail=1 ;;
	esac
done
exit $fail
