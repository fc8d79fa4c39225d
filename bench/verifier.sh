#!/bin/sh
# bench/verifier.sh - verification time of the emulated kernel's verifier against the
# real kernel's BPF_PROG_LOAD for the same programs, with both processed-insn counts.
# The kernel column needs root (n/a otherwise). Ratio = emulator time / kernel time.
set -e
: "${top_builddir:=$(cd "$(dirname "$0")/.." && pwd)}"
make -s -C "$top_builddir/tests/verifier" bench_verifier >/dev/null
"$top_builddir/tests/verifier/bench_verifier" "${BENCH_REPEAT:-20}"
