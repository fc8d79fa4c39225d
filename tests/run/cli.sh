#!/bin/sh
# cli.sh - ebpf-run's command line: usage errors exit 2, bad input exits 1 with a message
# naming the object, section and symbol, golden mode rewrites and compares, --json is
# valid JSON. Uses the loader's checked-in objects; needs no kernel.
set -u
run="${top_builddir:-../..}/run/ebpf-run"
data="${top_srcdir:-../..}/tests/ld/data"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# expect STATUS STDERR-SUBSTRING -- ARGS: exit status and one line of stderr
expect() {
	want_status=$1 want_err=$2
	shift 3
	"$run" "$@" >"$work/out" 2>"$work/err"
	status=$?
	if [ "$status" != "$want_status" ] || ! grep -qF -- "$want_err" "$work/err"; then
		echo "FAIL: ebpf-run $*: status $status (want $want_status), stderr:"
		cat "$work/err"
		failures=$((failures + 1))
	fi
}

expect 2 "expected exactly one object file" --
# a legacy map symbol whose offset wraps past 2^64 (found by fuzz/load_fuzzer)
expect 1 "section 'maps': map 'slots' outside the section" -- \
	--verify-only "$data/legacy_map_offset_wraps.bpf.o"
expect 2 "is not a count" -- --repeat many "$data/globals.bpf.o"
expect 2 "--update-golden needs --expect GOLDEN" -- --update-golden "$data/globals.bpf.o"
expect 2 "--kernel and --compare exclude each other" -- --kernel --compare "$data/globals.bpf.o"
expect 1 "ebpf-run: error: bad hex at offset 0: expected two hex digits, got 'zz'" -- \
	--data-hex zz "$data/globals.bpf.o"
expect 1 "ebpf-run: error: /nonexistent.bin: No such file or directory" -- \
	--data /nonexistent.bin "$data/globals.bpf.o"
expect 1 "extern_sym.bpf.o: section 'xdp': insn 0: relocation against unknown symbol 'missing_counter'" -- \
	"$data/extern_sym.bpf.o"
expect 1 "bad_map.bpf.o: section '.maps': map 'not_a_map': BTF type [0] is not a struct describing a map" -- \
	"$data/bad_map.bpf.o"
expect 1 "maps_only.bpf.o: no programs (no function in a program section such as SEC(\"xdp\"))" -- \
	"$data/maps_only.bpf.o"
expect 1 "unknown_section.bpf.o: section 'frobnicate/now': program 'prog': unknown section name" -- \
	"$data/unknown_section.bpf.o"
expect 1 "globals.bpf.o: no program named 'nope'" -- --prog nope "$data/globals.bpf.o"
printf 'int f(void)\n{\n\treturn x;\n}\n' >"$work/bad.bpf.c"
expect 1 "bad.bpf.c:3:9: error: use of undeclared identifier 'x'" -- "$work/bad.bpf.c"
# preprocessed in-process (no ebpf-cc -E): its errors as diagnostics, -I/-D/-U honoured
printf '#include "missing.h"\n' >"$work/nohdr.bpf.c"
expect 1 "nohdr.bpf.c:1:10: error: missing.h: No such file or directory" -- "$work/nohdr.bpf.c"
mkdir -p "$work/inc"
printf '#define RET (VALUE + 1)\n' >"$work/inc/ret.h"
printf '#include "ret.h"\n#ifdef GONE\n#error GONE is defined\n#endif\nSEC("xdp") int p(void *c) { return RET; }\nchar LICENSE[] SEC("license") = "GPL";\n' \
	>"$work/flags.bpf.c"
printf '#define SEC(n) __attribute__((section(n), used))\n' >>"$work/inc/ret.h"
"$run" --data-hex 0000000000000000000000000000 -I "$work/inc" -D VALUE=1 -D GONE -U GONE "$work/flags.bpf.c" 2>"$work/err" |
	grep -q '^  retval: 2' || { echo "FAIL: -I/-D/-U: $(cat "$work/err")"; failures=$((failures + 1)); }

# C input is compiled in-process: the tc example classifies its three packets
examples="${top_srcdir:-../..}/examples"
"$run" "$examples/tc_config.bpf.c" $(cat "$examples/tc_config.example") 2>"$work/err" |
	grep '^  retval' | tr '\n' '|' >"$work/out"
[ "$(cat "$work/out")" = "  retval: 0 TC_ACT_OK|  retval: 2 TC_ACT_SHOT|  retval: 2 TC_ACT_SHOT|" ] ||
	{ echo "FAIL: .bpf.c input: $(cat "$work/out" "$work/err")"; failures=$((failures + 1)); }

"$run" --version | grep -q "^ebpf-run (ebpf-toolchain) " || { echo "FAIL: --version"; failures=$((failures + 1)); }
"$run" --help | grep -q "^usage: ebpf-run FILE.(o|s|c)" || { echo "FAIL: --help"; failures=$((failures + 1)); }

# SEC("?tc") programs are not loaded, unless --prog asks for one
data_ld="${top_srcdir:-../..}/tests/ld/data"
"$run" "$data_ld/optional.bpf.o" --verify-only >"$work/out" 2>&1 &&
	grep -A1 "^program on_request: section ?tc, type sched_cls$" "$work/out" | grep -qx "  verifier: not loaded" ||
	{ echo "FAIL: ?tc not loaded"; cat "$work/out"; failures=$((failures + 1)); }
"$run" "$data_ld/optional.bpf.o" --verify-only --prog on_request 2>&1 |
	grep -A1 "^program on_request" | grep -q "  verifier: accepted" ||
	{ echo "FAIL: --prog loads a ?tc program"; failures=$((failures + 1)); }

# golden mode: --update-golden writes the report, --expect then finds no difference,
# and a changed golden produces a unified diff naming the golden file
golden="$work/unknown.golden"
"$run" "$data/unknown_section.bpf.o" --expect "$golden" --update-golden 2>/dev/null
grep -q "^program prog: section frobnicate/now, type unspec$" "$golden" &&
	grep -qx "  verifier: not loaded (loader error EINVAL)" "$golden" ||
	{ echo "FAIL: --update-golden did not write the report"; failures=$((failures + 1)); }
"$run" "$data/unknown_section.bpf.o" --expect "$golden" >"$work/out" 2>/dev/null
[ ! -s "$work/out" ] || { echo "FAIL: --expect printed a diff for an equal report"; failures=$((failures + 1)); }
sed -i 's/type unspec/type xdp/' "$golden"
"$run" "$data/unknown_section.bpf.o" --expect "$golden" >"$work/out" 2>"$work/err"
status=$?
if [ $status != 1 ] || ! grep -qx -- "-program prog: section frobnicate/now, type xdp" "$work/out" ||
   ! grep -qx -- "+program prog: section frobnicate/now, type unspec" "$work/out" ||
   ! grep -qx -- "--- $golden" "$work/out" || ! grep -qF "report differs from $golden" "$work/err"; then
	echo "FAIL: --expect mismatch (status $status):"
	cat "$work/out" "$work/err"
	failures=$((failures + 1))
fi
# no partial golden: a golden in a missing directory is an error, nothing is created
"$run" "$data/unknown_section.bpf.o" --expect "$work/missing/g" --update-golden 2>"$work/err"
[ ! -e "$work/missing" ] && grep -q "$work/missing/g" "$work/err" ||
	{ echo "FAIL: unwritable golden"; failures=$((failures + 1)); }

# --json is one valid JSON document
if command -v python3 >/dev/null 2>&1; then
	"$run" "$data/unknown_section.bpf.o" --json 2>/dev/null |
		python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["programs"][0]["name"]=="prog", d' ||
		{ echo "FAIL: --json"; failures=$((failures + 1)); }
fi

# perf event output on the emulator: the same records, padded the same way, as the real
# kernel delivers them (those bytes are checked against the kernel in kernel_reports.sh)
perf_packet=000102030405060708090a0b0800aa
"$run" "${top_srcdir:-../..}/tests/run/data/perf_output.bpf.o" --no-maps --data-hex $perf_packet \
	--data-hex ${perf_packet}bb | tail -n 4 >"$work/out"
printf 'perf events: record 1, 12 bytes\n    0000: 0f 00 00 00 01 00 cd ab  00 00 00 00\nperf events: record 2, 12 bytes\n    0000: 10 00 00 00 02 00 cd ab  00 00 00 00\n' |
	diff -u - "$work/out" || { echo "FAIL: perf event records on the emulator"; failures=$((failures + 1)); }

[ $failures = 0 ] && echo "cli: all checks passed"
exit $((failures != 0))
