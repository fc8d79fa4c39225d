#!/bin/sh
# link.sh - ebpf-ld against `bpftool gen object` (libbpf's linker) on the same inputs,
# same run, same machine: best-of-3 wall time of each and their ratio, for (a) the
# three clang objects of tests/ld/link linked $REPEAT times and (b) 16 generated clang
# objects of 60 global functions, a map and data each, linked 20 times.
top_builddir=${top_builddir:-..}
top_srcdir=${top_srcdir:-..}
ld=$top_builddir/ld/ebpf-ld
data=$top_srcdir/tests/ld/link
repeat=${REPEAT:-100}
[ -x "$ld" ] || { echo "link bench: build $ld first"; exit 1; }
command -v bpftool > /dev/null || { echo "link bench: SKIP (bpftool missing)"; exit 0; }
work=${TMPDIR:-/tmp}/bench_link.$$
trap 'rm -rf "$work"' EXIT
mkdir -p "$work" || exit 1

# seconds COUNT TOOL...: best of 3 wall times of COUNT runs of TOOL OUT INPUTS...
seconds() {
	count=$1
	shift
	best=
	for attempt in 1 2 3; do
		start=$(date +%s.%N)
		i=0
		while [ $i -lt "$count" ]; do
			"$@" || return 1
			i=$((i + 1))
		done
		end=$(date +%s.%N)
		t=$(echo "$end - $start" | bc)
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
	done
	echo "$best"
}

compare() {
	label=$1 count=$2
	shift 2
	ours=$(seconds "$count" "$ld" -o "$work/ours.o" "$@") || { echo "$label: ebpf-ld failed"; return 1; }
	peer=$(seconds "$count" bpftool gen object "$work/peer.o" "$@") ||
		{ echo "$label: bpftool gen object failed"; return 1; }
	printf '%s: ebpf-ld %.4f s, bpftool gen object %.4f s, ratio ebpf-ld/bpftool %.2f\n' \
		"$label" "$ours" "$peer" "$(echo "$ours / $peer" | bc -l)"
}

compare "(a) 3 small objects x $repeat" "$repeat" \
	"$data/main.bpf.o" "$data/progs.bpf.o" "$data/stats.bpf.o" || exit 1

clang=$(command -v clang-19 || command -v clang)
[ -n "$clang" ] || { echo "(b) SKIP: clang missing"; exit 0; }
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
objects=
for n in $(seq 1 16); do
	{
		echo '#include <linux/bpf.h>'
		echo '#include <bpf/bpf_helpers.h>'
		echo "struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 4);"
		echo "	__type(key, __u32); __type(value, __u64); } map_$n SEC(\".maps\");"
		echo "int data_$n = $n;"
		for f in $(seq 1 60); do
			echo "__noinline int f_${n}_$f(int x) { return x * $f + data_$n; }"
		done
		echo "SEC(\"xdp\") int prog_$n(struct xdp_md *ctx) { __u32 k = 0; __u64 *v ="
		echo "	bpf_map_lookup_elem(&map_$n, &k); int r = 0;"
		for f in $(seq 1 60); do echo "	r += f_${n}_$f(r);"; done
		echo "	return v ? (int)*v + r : r; }"
		echo 'char LICENSE[] SEC("license") = "GPL";'
	} > "$work/gen_$n.bpf.c"
	"$clang" -O2 -g -target bpf -I"/usr/include/$multiarch" -c "$work/gen_$n.bpf.c" \
		-o "$work/gen_$n.o" || exit 1
	objects="$objects $work/gen_$n.o"
done
# shellcheck disable=SC2086
compare "(b) 16 objects of 60 functions x 20" 20 $objects || exit 1
