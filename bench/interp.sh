#!/bin/sh
# interp.sh - the interpreter's speed: loop-heavy programs (arithmetic, memory,
# branches, bpf-to-bpf calls, map lookups) through BPF_PROG_TEST_RUN of the emulated
# kernel and of the real kernel (needs root; its JIT as /proc/sys/net/core/bpf_jit_enable
# says), same run, same machine: ns per executed instruction and the ratio. Both sides
# report test_run's duration, which leaves out time spent descheduled (kernel: the test
# timer pauses on reschedule; emulator: the thread's CPU clock).
# Target: the emulator at most 2 ns per executed instruction.
top_builddir=${top_builddir:-..}
top_srcdir=${top_srcdir:-..}
lib=$top_builddir/kernel/libebpfemu.a
[ -f "$lib" ] || { echo "interp bench: build $lib first"; exit 1; }
work=${TMPDIR:-/tmp}/bench_interp.$$
trap 'rm -rf "$work"' EXIT
mkdir -p "$work" || exit 1
${CC:-cc} -std=c11 -O2 -D_GNU_SOURCE -I"$top_srcdir/include" -I"$top_builddir" \
	"$top_srcdir/bench/interp_bench.c" "$lib" "$top_builddir/objfmt/libobjfmt.a" \
	-lelf -o "$work/interp_bench" || exit 1
echo "kernel JIT: $(cat /proc/sys/net/core/bpf_jit_enable 2>/dev/null || echo unknown)" \
	"(1 = on); uid $(id -u)"
"$work/interp_bench" "${REPEAT:-2000}"
