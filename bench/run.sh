#!/bin/sh
# run.sh - load + run time of the example programs: ebpf-run on the emulator next to
# ebpf-run --kernel (the real bpf() syscall), same object, same inputs, same process
# work (open, BTF/maps/programs load, test runs, map dump); ratios printed.
# Needs clang for the .bpf.c examples and root for the kernel column (else "-").
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
now_ns() { date +%s%N; }

# Average wall time in microseconds of $iterations runs of: ebpf-run "$@"
time_runs() {
	start=$(now_ns)
	i=0
	while [ $i -lt "$iterations" ]; do
		"$run" "$@" >/dev/null 2>&1
		i=$((i + 1))
	done
	echo $(( ($(now_ns) - start) / iterations / 1000 ))
}

kernel=yes
"$run" "$examples/asm_counter.s" --kernel --verify-only >/dev/null 2>&1 || kernel=no
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
printf "%-20s %6s %12s %12s %8s\n" example runs "emulator us" "kernel us" ratio
total_emu=0 total_kernel=0
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
	runs=$("$run" "$object" $args --kernel --no-maps 2>/dev/null | grep -c '^run ')
	emu=$(time_runs "$object" $args --no-maps)
	if [ $kernel = yes ]; then
		kern=$(time_runs "$object" $args --no-maps --kernel)
		ratio=$(awk -v k="$kern" -v e="$emu" 'BEGIN { printf "%.2f", e ? k / e : 0 }')
		total_kernel=$((total_kernel + kern))
	else
		kern=- ratio=-
	fi
	total_emu=$((total_emu + emu))
	printf "%-20s %6s %12s %12s %8s\n" "$name" "$runs" "$emu" "$kern" "$ratio"
done
if [ $kernel = yes ]; then
	printf "%-20s %6s %12s %12s %8s\n" total "" $total_emu $total_kernel \
		"$(awk -v k=$total_kernel -v e=$total_emu 'BEGIN { printf "%.2f", e ? k / e : 0 }')"
	echo "ratio = kernel time / emulator time (above 1: the emulator is faster)"
fi
