#!/bin/sh
# libbpf_examples.sh - differential test of the loader against libbpf itself: every
# example driven by --data-hex inputs is loaded by bpftool (libbpf) and by ebpf-run
# --kernel, run on the same packets in the same order, and the return values must be
# equal. bpftool pins programs and maps (a prog array is emptied when its last
# user-space reference goes) into a private bpffs in its own mount namespace. SKIP (77)
# without bpftool, clang, unshare or the bpf() syscall.
set -u
run="$(cd "${top_builddir:-../..}" && pwd)/run/ebpf-run"
as="$(cd "${top_builddir:-../..}" && pwd)/asm/ebpf-as"
examples="$(cd "${top_srcdir:-../..}" && pwd)/examples"
clang=${CLANG:-clang}
work=$(mktemp -d /tmp/libbpfexXXXXXX) # no dot: libbpf rewrites dots in pin paths
trap 'rm -rf "$work"' EXIT
failures=0 compared=0

for tool in bpftool "$clang" unshare; do
	command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool not installed"; exit 77; }
done
unshare -m true 2>/dev/null || { echo "SKIP: cannot unshare the mount namespace"; exit 77; }
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)

# retvals NAME OBJECT PROG: libbpf's return values, one per --data-hex of NAME.example
libbpf_retvals() {
	name=$1 object=$2 prog=$3
	i=0
	script="mount -t bpf bpf $work/fs && mkdir $work/fs/m && bpftool prog loadall $object $work/fs/p pinmaps $work/fs/m || exit 1"
	for hex in $(grep -o -- '--data-hex [0-9a-f]*' "$examples/$name.example" | cut -d' ' -f2); do
		i=$((i + 1))
		printf '%s' "$hex" | xxd -r -p >"$work/in$i"
		script="$script; bpftool prog run pinned $work/fs/p/$prog data_in $work/in$i"
	done
	mkdir -p "$work/fs"
	unshare -m sh -c "$script" 2>&1 | sed -n 's/^Return value: \([0-9]*\),.*/\1/p'
}

for example in "$examples"/*.example; do
	name=$(basename "$example" .example)
	grep -q -e '--maps-in' -e '--pcap' -e '--ctx' "$example" && continue
	grep -q -- '--data-hex' "$example" || continue
	if [ -f "$examples/$name.s" ]; then
		[ -x "$as" ] || continue
		"$as" -o "$work/$name.o" "$examples/$name.s" || { failures=$((failures + 1)); continue; }
	else
		"$clang" -O2 -g -target bpf -D__TARGET_ARCH_x86 -I"/usr/include/$multiarch" \
			-c "$examples/$name.bpf.c" -o "$work/$name.o" || continue
	fi
	args=$(grep -v '^#' "$example")
	ours=$("$run" "$work/$name.o" --kernel $args --no-maps 2>"$work/err")
	case "$(cat "$work/err")" in *"not permitted"*) echo "SKIP: bpf() unavailable"; exit 77 ;; esac
	prog=$(printf '%s\n' "$ours" | sed -n 's/^run 1: program \([^,]*\),.*/\1/p')
	printf '%s\n' "$ours" | sed -n 's/^  retval: \([-0-9]*\).*/\1/p' >"$work/ours"
	libbpf_retvals "$name" "$work/$name.o" "$prog" >"$work/libbpf"
	if [ ! -s "$work/libbpf" ] || ! diff -u "$work/libbpf" "$work/ours" >"$work/diff"; then
		echo "FAIL: $name: libbpf and ebpf-run --kernel disagree (or bpftool failed)"
		cat "$work/diff" 2>/dev/null
		failures=$((failures + 1))
	else
		compared=$((compared + 1))
		echo "ok: $name: $(tr '\n' ' ' <"$work/ours")"
	fi
done
[ $compared -gt 0 ] || { echo "SKIP: nothing compared"; exit 77; }
exit $((failures != 0))
