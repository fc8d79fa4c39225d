#!/bin/sh
# btf_vmlinux.sh - the running kernel's own BTF (/sys/kernel/btf/vmlinux, ~100k types
# written by pahole): byte-identical round trip, dump equal to bpftool's, accepted by
# our validator as by the kernel, and already deduplicated. Skips without it.
vmlinux=/sys/kernel/btf/vmlinux
[ -r "$vmlinux" ] || { echo "SKIP: no readable $vmlinux"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
cp "$vmlinux" "$tmp/vmlinux.btf" || exit 99
status=0
./btf_tool roundtrip "$tmp/vmlinux.btf" || { echo "FAIL: round trip"; status=1; }
./btf_tool dump "$tmp/vmlinux.btf" >"$tmp/ours" || status=1
if command -v bpftool >/dev/null 2>&1; then
	bpftool btf dump file "$tmp/vmlinux.btf" >"$tmp/theirs" &&
	cmp -s "$tmp/theirs" "$tmp/ours" || { echo "FAIL: dump differs from bpftool"; status=1; }
fi
verdict=$(./btf_tool validate "$tmp/vmlinux.btf")
[ "$verdict" = accepted ] || { echo "FAIL: validator: $verdict"; status=1; }
kernel=$(./btf_tool kernel "$tmp/vmlinux.btf")
rc=$?
[ "$rc" = 77 ] || [ "$kernel" = accepted ] || { echo "FAIL: kernel: $kernel"; status=1; }
types=$(grep '^\[' "$tmp/ours" | grep -vc ' VAR \| DATASEC ')
after=$(./btf_tool dedup-count "$tmp/vmlinux.btf")
[ "$types" = "$after" ] || { echo "FAIL: dedup changed $types types to $after"; status=1; }
echo "vmlinux: $(grep -c '^\[' "$tmp/ours") types; dedup keeps $after of $types"
exit $status
