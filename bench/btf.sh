#!/bin/sh
# btf.sh - ebpf-objdump --btf against bpftool btf dump on the kernel's own BTF
# (/sys/kernel/btf/vmlinux, ~126k types) wrapped in a BPF object, same run, same
# machine: best-of-3 wall time of each, their ratio, peak RSS, and whether the texts
# are identical. Needs llvm-mc and llvm-objcopy to build the input, bpftool as peer.
top_builddir=${top_builddir:-..}
objdump=$top_builddir/objfmt/ebpf-objdump
vmlinux=/sys/kernel/btf/vmlinux
[ -x "$objdump" ] || { echo "btf bench: build $objdump first"; exit 1; }
for tool in llvm-mc llvm-objcopy bpftool; do
	command -v $tool >/dev/null || { echo "btf bench: SKIP ($tool missing)"; exit 0; }
done
[ -r "$vmlinux" ] || { echo "btf bench: SKIP (no readable $vmlinux)"; exit 0; }
work=${TMPDIR:-/tmp}/bench_btf.$$
trap 'rm -rf "$work"' EXIT
mkdir -p "$work" || exit 1
cp "$vmlinux" "$work/vmlinux.btf" &&
echo | llvm-mc -triple bpf -filetype=obj -o "$work/empty.o" &&
llvm-objcopy --add-section .BTF="$work/vmlinux.btf" "$work/empty.o" "$work/big.o" || exit 1
echo "input: $(wc -c < "$work/vmlinux.btf") bytes of .BTF from $vmlinux"

# seconds CMD...: best wall time of 3 runs (output to /dev/null)
seconds() {
	best=
	for run in 1 2 3; do
		start=$(date +%s.%N)
		"$@" > /dev/null || return 1
		end=$(date +%s.%N)
		t=$(echo "$end - $start" | bc)
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
	done
	echo "$best"
}

# peak_kb CMD...: maximum resident set size in kB, or "n/a" without GNU time
peak_kb() {
	[ -x /usr/bin/time ] || { echo n/a; return; }
	/usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ { print $2 }'
}

ours=$(seconds "$objdump" --btf "$work/big.o") || { echo "ebpf-objdump failed"; exit 1; }
peer=$(seconds bpftool btf dump file "$work/big.o") || { echo "bpftool failed"; exit 1; }
ours_kb=$(peak_kb "$objdump" --btf "$work/big.o")
peer_kb=$(peak_kb bpftool btf dump file "$work/big.o")
"$objdump" --btf "$work/big.o" > "$work/ours.txt"
bpftool btf dump file "$work/big.o" > "$work/peer.txt"
same=no
cmp -s "$work/ours.txt" "$work/peer.txt" && same=yes
printf '%-22s %10s s %10s kB peak RSS\n' "ebpf-objdump --btf" "$ours" "$ours_kb" \
	"bpftool btf dump file" "$peer" "$peer_kb"
printf 'time ratio ebpf-objdump/bpftool: %s (below 1 = faster)\n' \
	"$(echo "scale=3; $ours / $peer" | bc)"
printf 'output identical to bpftool: %s\n' "$same"
