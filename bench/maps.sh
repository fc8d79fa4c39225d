#!/bin/sh
# maps.sh - map update/lookup/delete throughput: libebpfemu (emu_bpf) next to the real
# kernel's bpf(2) in the same run, with the ratio emu/kernel. Not a test: numbers only.
# Needs top_builddir/top_srcdir (set by `make bench`); the kernel column reads n/a
# without root or bpf(2).
set -e
: "${top_builddir:?run through make bench}"
: "${top_srcdir:?run through make bench}"
CC=${CC:-cc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
make -s -C "$top_builddir/kernel" >/dev/null
make -s -C "$top_builddir/objfmt" libobjfmt.a >/dev/null
$CC -O2 -std=c11 -D_GNU_SOURCE -I"$top_srcdir/include" -o "$work/maps_bench" \
	"$top_srcdir/bench/maps_bench.c" "$top_builddir/kernel/libebpfemu.a" \
	"$top_builddir/objfmt/libobjfmt.a" -lelf -lz -lm
EBPF_BPFFS="$work/bpffs" "$work/maps_bench" "${MAPS_BENCH_N:-200000}"
