#!/bin/bash
# front_clang.sh - front-end behaviour against clang-19 -target bpf, the oracle, for
# each tests/cc/front/NAME.c by the CHECK: line of its header comment:
#   layout  at -O0 -g and -O2 -g: the data symbols (section, offset, size, name), the
#           binding and visibility of every function and data symbol, the
#           bytes of every data section, the BTF of records (members, bit offsets) and
#           the order of the variables in each DATASEC equal clang's;
#   errors  both compilers fail, with the same `file:line:col: error: text` lines;
#   decl_tags  at -O2 -g: the BTF DECL_TAG records (tag, annotated type, component)
#           equal clang's;
#   btf_types  at -O2 -g: every member, parameter, return value and variable names
#           the same chain of BTF types as in clang's object (btf_chains.awk), type
#           tags and qualifiers included;
#   run     compiled at -O2 -g (verified at compile time) and run in the emulator on
#           each RUN: line: the report equals that of clang's object; as root with
#           bpftool, the real kernel also loads it (bpftool prog loadall) and runs it
#           (ebpf-run --kernel) with the report of clang's object.
# A file may name several checks on its CHECK: line. Every file that ebpf-cc compiles
# also round-trips: `ebpf-cc -S | ebpf-as` writes the object `ebpf-cc -c` writes.
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

# Function and data symbols as "type bind visibility name", sorted.
symbols() {
	llvm-readelf -s "$1" | awk '$4 == "FUNC" || $4 == "OBJECT" { print $4, $5, $6, $8 }' | sort
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

# DECL_TAG records as "tag -> KIND 'annotated' component", sorted.
decl_tags() {
	bpftool btf dump file "$1" > "$1.btf"
	awk 'NR == FNR { if ($1 ~ /^\[/) { id = $1; gsub(/[][]/, "", id); name[id] = $2 " " $3 }
			 next }
	     $2 == "DECL_TAG" { split($4, t, "="); split($5, c, "=")
				print $3, "->", name[t[2]], c[2] }' "$1.btf" "$1.btf" | sort
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
		"$CLANG" -target bpf $flags -I"$MULTIARCH_INC" -c "$1" -o "$WORK/clang.o" &&
		"$EBPF_CC" -fno-verify $flags -c "$1" -o "$WORK/ours.o" ||
			{ echo "FAIL $2 $flags: does not compile"; fail=1; continue; }
		for f in data_symbols symbols data_sections btf_layout; do
			$f "$WORK/clang.o" > "$WORK/clang.$f"
			$f "$WORK/ours.o" > "$WORK/ours.$f"
			compare "$f" "$2 $flags" "$WORK/clang.$f" "$WORK/ours.$f" || continue 2
		done
		echo "ok $2 $flags: layout as clang's"
	done
}

check_decl_tags() { # src name
	"$CLANG" -target bpf -O2 -g -I"$MULTIARCH_INC" -c "$1" -o "$WORK/clang.o" &&
	"$EBPF_CC" -fno-verify -O2 -g -c "$1" -o "$WORK/ours.o" ||
		{ echo "FAIL $2: does not compile"; fail=1; return; }
	decl_tags "$WORK/clang.o" > "$WORK/clang.tags"
	decl_tags "$WORK/ours.o" > "$WORK/ours.tags"
	[ -s "$WORK/clang.tags" ] || { echo "FAIL $2: clang wrote no DECL_TAG"; fail=1; return; }
	compare "DECL_TAG records" "$2" "$WORK/clang.tags" "$WORK/ours.tags" &&
		echo "ok $2: $(wc -l < "$WORK/ours.tags") DECL_TAG records as clang's"
}

check_btf_types() { # src name
	"$CLANG" -target bpf -O2 -g -I"$MULTIARCH_INC" -c "$1" -o "$WORK/clang.o" &&
	"$EBPF_CC" -fno-verify -O2 -g -c "$1" -o "$WORK/ours.o" ||
		{ echo "FAIL $2: does not compile"; fail=1; return; }
	for o in clang ours; do
		bpftool btf dump file "$WORK/$o.o" > "$WORK/$o.btf"
		awk -f "$top_srcdir/tests/cc/btf_chains.awk" "$WORK/$o.btf" "$WORK/$o.btf" |
			sort > "$WORK/$o.chains"
	done
	compare "BTF type chains" "$2" "$WORK/clang.chains" "$WORK/ours.chains" &&
		echo "ok $2: $(wc -l < "$WORK/ours.chains") BTF type chains as clang's"
}

check_run() { # src name
	args=$(run_args "$1")
	"$CLANG" -target bpf -O2 -g -I"$MULTIARCH_INC" -c "$1" -o "$WORK/clang.o" &&
	"$EBPF_CC" -O2 -g -c "$1" -o "$WORK/ours.o" ||
		{ echo "FAIL $2: does not compile"; fail=1; return; }
	for o in clang ours; do
		eval "\"$EBPF_RUN\" \"$WORK/$o.o\" $args" 2>&1 | normalize > "$WORK/$o.report"
	done
	grep -q retval "$WORK/ours.report" || { echo "FAIL $2: no run"; cat "$WORK/ours.report"; fail=1; return; }
	compare "run reports" "$2" "$WORK/clang.report" "$WORK/ours.report" &&
		echo "ok $2: runs as clang's object"
	[ "$(id -u)" = 0 ] && command -v bpftool >/dev/null &&
		mkdir -p "/sys/fs/bpf/ebpf_front_$$" 2>/dev/null || return 0
	if ! bpftool prog loadall "$WORK/ours.o" "/sys/fs/bpf/ebpf_front_$$/p" >"$WORK/k.log" 2>&1; then
		echo "FAIL $2: the kernel rejected it"; tail -20 "$WORK/k.log"; fail=1
	else
		for o in clang ours; do
			eval "\"$EBPF_RUN\" --kernel \"$WORK/$o.o\" $args" 2>&1 | normalize > "$WORK/$o.kernel"
		done
		compare "kernel run reports" "$2" "$WORK/clang.kernel" "$WORK/ours.kernel" &&
			echo "ok $2: the kernel loads it and runs it as clang's object"
	fi
	rm -rf "/sys/fs/bpf/ebpf_front_$$"
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
	checks=$(sed -n 's/^.*CHECK: *\([a-z_ ]*\).*$/\1/p' "$src" | head -1)
	[ -n "$checks" ] || { echo "FAIL $name: no CHECK: line"; fail=1; }
	for check in $checks; do
		rm -f "$WORK/clang.o" "$WORK/ours.o"
		case $check in
		layout|errors|decl_tags|btf_types|run) "check_$check" "$src" "$name" ;;
		*) echo "FAIL $name: unknown check '$check'"; fail=1 ;;
		esac
	done
done
for src in "$top_srcdir"/tests/cc/front/*.c; do
	name=$(basename "$src" .c)
	"$EBPF_CC" -fno-verify -O2 -g -c "$src" -o "$WORK/rt.o" 2>/dev/null || continue
	if "$EBPF_CC" -fno-verify -O2 -g -S "$src" -o "$WORK/rt.s" &&
	   "$top_builddir/asm/ebpf-as" "$WORK/rt.s" -o "$WORK/rt.as.o" &&
	   cmp -s "$WORK/rt.o" "$WORK/rt.as.o"; then
		echo "ok $name: -S | ebpf-as gives the same object"
	else
		echo "FAIL $name: -S | ebpf-as differs from -c"; fail=1
	fi
done
exit $fail
