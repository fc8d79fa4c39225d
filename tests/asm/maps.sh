#!/bin/sh
# maps.sh - .map objects: bpftool accepts their BTF (and it dumps as checked in), and
# as root the program loads into the real kernel through libbpf with its prog array
# and map-in-map initialized from values=.
. "$top_srcdir/tests/asm/lib.sh"
require_tool bpftool
status=0

for name in maps maps_pinned; do
	"$EBPF_AS" -o "$WORK/$name.o" "$DATA/$name.s" || { echo "FAIL: ebpf-as $name.s"; exit 1; }
	if ! bpftool btf dump file "$WORK/$name.o" > "$WORK/$name.btf"; then
		echo "FAIL: bpftool btf dump rejects $name.o"; status=1
	elif ! diff -u "$DATA/$name.btf.expected" "$WORK/$name.btf"; then
		echo "FAIL: $name.o BTF differs from $name.btf.expected"; status=1
	else
		echo "ok: bpftool btf dump file $name.o"
	fi
done

if [ "$(id -u)" != 0 ] || [ ! -d /sys/fs/bpf ]; then
	echo "SKIP: kernel load needs root and bpffs"
	[ $status = 0 ] && exit 77 || exit $status
fi
pin=/sys/fs/bpf/ebpf_as_test_$$
trap 'rm -rf "$pin" "$WORK"' EXIT
if ! bpftool prog loadall "$WORK/maps.o" "$pin" pinmaps "$pin/maps"; then
	echo "FAIL: bpftool prog loadall maps.o"; exit 1
fi
for prog in prog tail; do
	[ -e "$pin/$prog" ] || { echo "FAIL: program $prog not loaded"; status=1; }
done
# values= became one initialized slot in the prog array and in the map of maps.
for map in jumps outer; do
	if bpftool map dump pinned "$pin/maps/$map" | grep -q '^Found 1 element'; then
		echo "ok: $map holds its values= entry"
	else
		echo "FAIL: $map is not initialized"; status=1
	fi
done
bpftool map show pinned "$pin/maps/flagged" | grep -q 'array  name flagged  flags 0x400' ||
	{ echo "FAIL: map_flags of flagged"; status=1; }
bpftool map show pinned "$pin/maps/events" | grep -q 'ringbuf  name events' ||
	{ echo "FAIL: ringbuf events"; status=1; }
exit $status
