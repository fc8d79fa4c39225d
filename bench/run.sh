#!/bin/sh
# run.sh - load + run time of the example programs, ebpf-run on the emulator next to
# ebpf-run --kernel (the real bpf() syscall): same object, same inputs. Per backend the
# load phase (BTF, maps, verification of every program) and the runs phase
# (BPF_PROG_TEST_RUN on every input) as ebpf-run --timing measures them, averaged over
# BENCH_ITERATIONS processes, and the ratio kernel / emulator (above 1: emulator faster).
# Needs clang for the .bpf.c examples and root for the kernel columns (else "-").
set -u
top_builddir=${top_builddir:-.}
top_srcdir=${top_srcdir:-.}
run="$(cd "$top_builddir" && pwd)/run/ebpf-run"
examples="$(cd "$top_srcdir" && pwd)/examples"
iterations=${BENCH_ITERATIONS:-20}
clang=${CLANG:-clang}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -x "$run" ] || { echo "run.sh: build ebpf-run first"; exit 1; }

# phases OBJECT ARGS...: "LOAD_US RUNS_US" averaged over $iterations processes
phases() {
	i=0
	: >"$work/timing"
	while [ $i -lt "$iterations" ]; do
		"$run" "$@" --no-maps --timing 2>>"$work/timing" >/dev/null
		i=$((i + 1))
	done
	awk '/timing/ { load += $(NF-7); runs += $(NF-4); n++ }
	     END { if (n) printf "%d %d", load / n, runs / n; else printf "- -" }' "$work/timing"
}

ratio() { awk -v k="$1" -v e="$2" 'BEGIN { if (k == "-" || e + 0 == 0) print "-"; else printf "%.1f", k / e }'; }

kernel=yes
"$run" "$examples/asm_counter.s" --kernel --verify-only >/dev/null 2>&1 || kernel=no
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
echo "ebpf-run load and run phases, microseconds, mean of $iterations processes"
printf "%-18s %5s | %9s %9s %6s | %8s %8s %6s\n" example runs "load emu" "kernel" ratio \
	"runs emu" "kernel" ratio
cd "$examples" || exit 1
for example in *.example; do
	name=${example%.example}
	if [ -f "$name.s" ]; then
		object="$name.s"
	else
		command -v "$clang" >/dev/null 2>&1 || continue
		object="$work/$name.bpf.o"
		"$clang" -O2 -g -target bpf -D__TARGET_ARCH_x86 -I"/usr/include/$multiarch" \
			-c "$name.bpf.c" -o "$object" || continue
	fi
	args=$(grep -v '^#' "$example")
	count=$("$run" "$object" $args --no-maps 2>/dev/null | grep -c '^run ')
	set -- $(phases "$object" $args)
	emu_load=$1 emu_runs=$2
	if [ $kernel = yes ]; then
		set -- $(phases "$object" $args --kernel)
	else
		set -- - -
	fi
	printf "%-18s %5s | %9s %9s %6s | %8s %8s %6s\n" "$name" "$count" "$emu_load" "$1" \
		"$(ratio "$1" "$emu_load")" "$emu_runs" "$2" "$(ratio "$2" "$emu_runs")"
done
echo "ratio = kernel time / emulator time (above 1: the emulator is faster)"
