#!/bin/sh
# kernel_reports.sh - full ebpf-run reports through the real kernel (--kernel) for the
# loader's checked-in objects, compared with expected/*.kernel.txt (insn counts dropped:
# they vary between kernel versions); --verify-only verdicts and exit codes; the GPL
# license check. SKIP (77) unless the bpf() syscall works (root).
set -u
run="${top_builddir:-../..}/run/ebpf-run"
srcdir="${top_srcdir:-../..}/tests/run"
data="${top_srcdir:-../..}/tests/ld/data"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
packet=000102030405060708090a0b0800aa

probe=$("$run" "$data/legacy.bpf.o" --kernel --verify-only 2>&1 >/dev/null)
case "$probe" in
*"not permitted"*|*"Function not implemented"*|*"Operation not supported"*)
	echo "SKIP: bpf() syscall unavailable: $probe"; exit 77 ;;
esac

check_report() { # NAME ARGS...: report must equal expected/NAME.kernel.txt
	name=$1
	shift
	"$run" "$@" --kernel | sed 's/, [0-9]* insns processed//' >"$work/$name"
	if ! diff -u "$srcdir/expected/$name.kernel.txt" "$work/$name"; then
		echo "FAIL: report $name"
		failures=$((failures + 1))
	fi
}

check_report globals_second "$data/globals.bpf.o" --prog second --data-hex $packet
check_report globals_first "$data/globals.bpf.o" --prog first --data-hex $packet --repeat 3
check_report mapinmap_entry "$data/mapinmap.bpf.o" --prog entry --data-hex $packet
check_report legacy_probe "$data/legacy.bpf.o" --no-maps

# the kernel rejects a GPL-only helper without a license: exit 1, reason on stderr
"$run" "$data/no_license.bpf.o" --kernel --verify-only >"$work/out" 2>"$work/err"
status=$?
if [ $status != 1 ] ||
   ! grep -qF "no_license.bpf.o: section 'xdp': program 'prog': Invalid argument: cannot call GPL-restricted function from non-GPL compatible program" "$work/err" ||
   ! grep -qx "  verifier: rejected (EINVAL)" "$work/out"; then
	echo "FAIL: no_license (status $status)"
	cat "$work/out" "$work/err"
	failures=$((failures + 1))
fi
"$run" "$data/globals.bpf.o" --kernel --verify-only >/dev/null ||
	{ echo "FAIL: --verify-only of an accepted object"; failures=$((failures + 1)); }

# CO-RE against the kernel's BTF: the local enum value 7 becomes the kernel's 1, the
# member the kernel lacks does not exist, the poisoned read is never reached
"$run" "$data/core_local.bpf.o" --kernel --ctx-hex 00000000000000000000000000000000 >"$work/out" 2>&1
grep -q "\.flags_size = 4, .comm_offset = [1-9][0-9]*, .comm_exists = 1, .missing_exists = 0, .missing_read = 0, .type_exists = 1, .tgid_value = 1, .no_such_value_exists = 0 }" "$work/out" ||
	{ echo "FAIL: CO-RE through --kernel"; cat "$work/out"; failures=$((failures + 1)); }

# a BTF-enabled tracepoint needs attach_btf_id (btf_trace_sched_switch) from the
# kernel's BTF, and its pointer-chasing read (ctx[1]->pid) is checked by the verifier
"$run" "$data/tp_btf.bpf.o" --kernel --verify-only >"$work/out" 2>&1 &&
	grep -q "^program on_switch: section tp_btf/sched_switch, type tracing$" "$work/out" &&
	grep -q "^  verifier: accepted" "$work/out" ||
	{ echo "FAIL: tp_btf through --kernel"; cat "$work/out"; failures=$((failures + 1)); }

# perf event output: samples of the CPU-0 ring, raw size padded to 8 bytes with the u32
# size header, as perf delivers them
"$run" "$srcdir/data/perf_output.bpf.o" --kernel --no-maps --data-hex $packet --data-hex ${packet}bb \
	| tail -n 4 >"$work/out"
printf 'perf events: record 1, 12 bytes\n    0000: 0f 00 00 00 01 00 cd ab  00 00 00 00\nperf events: record 2, 12 bytes\n    0000: 10 00 00 00 02 00 cd ab  00 00 00 00\n' |
	diff -u - "$work/out" || { echo "FAIL: perf event records"; failures=$((failures + 1)); }

# __kconfig externs: the same values from the emulator and the kernel (uname, config)
"$run" "$data/kconfig.bpf.o" --data-hex $packet --compare >"$work/out" 2>&1 &&
	"$run" "$data/kconfig.bpf.o" --data-hex $packet --kernel | grep -q "{ .version = [1-9][0-9]*, .bpf_syscall = 1, .missing = 0 }" ||
	{ echo "FAIL: .kconfig externs"; cat "$work/out"; failures=$((failures + 1)); }

# --compare: agreement is exit 0; the kernel cannot test-run a kprobe, so the legacy
# object's run differs (exit 1) and the diff shows both sides
"$run" "$data/mapinmap.bpf.o" --prog entry --data-hex 02000000000202000000000108004500002800010000400666cd0a0000010a00000204d2005000000001000000005002ffff00000000 --compare >"$work/out" 2>&1 &&
	grep -qx "emulator and kernel agree" "$work/out" ||
	{ echo "FAIL: --compare of agreeing backends"; cat "$work/out"; failures=$((failures + 1)); }
"$run" "$data/legacy.bpf.o" --compare >"$work/out" 2>"$work/err"
status=$?
if [ $status != 1 ] || ! grep -qx -- "-  retval: 0" "$work/out" ||
   ! grep -qx -- "+  error: ENOTSUPP (test run not supported for this program type)" "$work/out" ||
   ! grep -qx -- "--- emulator" "$work/out" || ! grep -qF "emulator and kernel disagree" "$work/err"; then
	echo "FAIL: --compare of disagreeing backends (status $status)"
	cat "$work/out" "$work/err"
	failures=$((failures + 1))
fi

# trace_printk output comes from the kernel's trace buffer: read in a private mount
# namespace with tracefs mounted (the machine's mounts stay untouched); without
# tracefs the report says the trace is unavailable
trace_args="$srcdir/data/printk.bpf.o --kernel --no-maps --data-hex $packet --data-hex ${packet}bb"
if unshare -m true 2>/dev/null; then
	unshare -m sh -c "mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null; \"$run\" $trace_args" >"$work/trace"
	printf 'trace:\n    | packet of 15 bytes\n    | done\n    | packet of 16 bytes\n    | done\n' >"$work/want"
	if ! tail -n 5 "$work/trace" | diff -u "$work/want" -; then
		echo "FAIL: kernel trace output"
		failures=$((failures + 1))
	fi
fi
if [ ! -e /sys/kernel/tracing/trace ]; then
	"$run" $trace_args | tail -n 1 | grep -qx "    | (unavailable: tracefs is not mounted at /sys/kernel/tracing)" ||
		{ echo "FAIL: unavailable trace not reported"; failures=$((failures + 1)); }
fi

[ $failures = 0 ] && echo "kernel_reports: all checks passed"
exit $((failures != 0))
