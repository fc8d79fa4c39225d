#!/bin/bash
# run_conformance.sh - run every bpf_conformance data file through ebpf-as and
# ebpf-conformance-plugin and check its `-- result`, `-- mem` input and `-- error`.
# Sections are read as the upstream runner reads them (see the suite's README.md).
# Usage: run_conformance.sh [FILE.data...]   (default: every file of the suite)
# Exit: 0 all passed, 1 some failed, 77 when the suite or a tool is missing.
. "${top_srcdir:-../..}/tests/lib/skip.sh"

builddir=${top_builddir:-../..}
as=${EBPF_AS:-$builddir/asm/ebpf-as}
plugin=${EBPF_PLUGIN:-$builddir/kernel/ebpf-conformance-plugin}
suite=${EBPF_CONFORMANCE_DIR:-${top_srcdir:-../..}/../shared/conformance}

[ -x "$as" ] || { echo "SKIP: $as not built"; exit 77; }
[ -x "$plugin" ] || { echo "SKIP: $plugin not built"; exit 77; }
[ -d "$suite" ] || { echo "SKIP: conformance suite not found at $suite"; exit 77; }

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# raw section: 64-bit slots (hex or decimal) -> little-endian hex bytes
raw_to_hex() {
	local v i out=
	for v in $1; do
		v=$((v))
		for i in 0 1 2 3 4 5 6 7; do
			out+=$(printf '%02x ' $(( (v >> (8 * i)) & 0xff )))
		done
	done
	echo "$out"
}

# Split FILE into $tmp/{asm,result,mem,raw,error}; returns 1 for an unknown directive.
split_sections() {
	local line kind=none
	: >"$tmp/asm"; : >"$tmp/result"; : >"$tmp/mem"; : >"$tmp/raw"; : >"$tmp/error"
	while IFS= read -r line || [ -n "$line" ]; do
		line=${line%%#*}
		line=${line%$'\r'}
		if [[ $line == *--* ]]; then
			case $line in
			*asm*) kind=asm ;;
			*result*) kind=result ;;
			*mem*) kind=mem ;;
			*raw*) kind=raw ;;
			*"no register offset"*) kind=none ;;
			*" c"*) kind=none ;;
			*error*) kind=error ;;
			*) return 1 ;;
			esac
			continue
		fi
		[[ $line =~ ^[[:space:]]*$ ]] && continue
		[ "$kind" = none ] || printf '%s\n' "$line" >>"$tmp/$kind"
	done <"$1"
	return 0
}

pass=0 fail=0 skip=0
check_file() {
	local f=$1 name expected mem out err status got
	name=$(basename "$f" .data)
	if ! split_sections "$f"; then
		echo "SKIP: $name: unknown directive"; skip=$((skip + 1)); return
	fi
	if [ ! -s "$tmp/result" ] && [ ! -s "$tmp/error" ]; then
		echo "SKIP: $name: no result"; skip=$((skip + 1)); return
	fi
	if ! "$as" --dialect=mnemonic -o "$tmp/prog.o" "$tmp/asm" 2>"$tmp/as.err"; then
		echo "FAIL: $name: ebpf-as: $(head -1 "$tmp/as.err")"; fail=$((fail + 1)); return
	fi
	mem=$(tr '\n' ' ' <"$tmp/mem")
	if [ -s "$tmp/raw" ]; then
		raw_to_hex "$(cat "$tmp/raw")" >"$tmp/prog.hex"
		"$plugin" "$mem" <"$tmp/prog.hex" >"$tmp/out" 2>"$tmp/err"
	else
		"$plugin" "$mem" --object "$tmp/prog.o" >"$tmp/out" 2>"$tmp/err"
	fi
	status=$?
	if [ -s "$tmp/error" ]; then
		got=$(cat "$tmp/out"); [ -n "$got" ] || got=$(cat "$tmp/err")
		expected=$(tail -1 "$tmp/error" | sed 's/[[:space:]]*$//')
		if [ $status -ne 0 ] && [ "$(echo "$got" | sed 's/[[:space:]]*$//')" = "$expected" ]; then
			pass=$((pass + 1))
		else
			echo "FAIL: $name: expected error '$expected', got status $status '$got'"
			fail=$((fail + 1))
		fi
		return
	fi
	expected=$(printf '%x' "$(( $(tail -1 "$tmp/result" | tr -d '[:space:]') ))")
	got=$(cat "$tmp/out")
	if [ $status -eq 0 ] && [ "$got" = "$expected" ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: $name: expected $expected, got status $status '$got' $(cat "$tmp/err")"
		fail=$((fail + 1))
	fi
}

if [ $# -gt 0 ]; then files=("$@"); else files=("$suite"/*.data); fi
for f in "${files[@]}"; do
	check_file "$f"
done
echo "conformance: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
