#!/bin/sh
# elf_write_targets.sh - an output path that is not a regular file is written, never
# replaced: a FIFO stays a FIFO and its reader gets the whole object; a character
# device (a private copy of /dev/null, made as root) stays a device; the FIFO's reader
# gets the bytes a regular file gets. The writer here is ebpf-as (libobjfmt).
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
status=0
fail() {
	echo "FAIL: $*"
	status=1
}
as=$PWD/../../asm/ebpf-as
[ -x "$as" ] || { echo "SKIP: ebpf-as not built"; exit 77; }
printf 'r0 = 2\nexit\n' >"$work/prog.s"
write() { "$as" "$work/prog.s" -o "$1"; }

write "$work/regular.o" || fail "writing a regular file"

mkfifo "$work/fifo" || exit 1
timeout 20 cat "$work/fifo" >"$work/from_fifo.o" &  # bounded: a replaced FIFO never opens
reader=$!
write "$work/fifo" || fail "writing into a FIFO"
wait $reader
[ -p "$work/fifo" ] || fail "the FIFO was replaced by a file"
cmp -s "$work/regular.o" "$work/from_fifo.o" || fail "the FIFO's reader got other bytes"
[ -s "$work/from_fifo.o" ] || fail "the FIFO's reader got nothing"

if mknod "$work/null" c 1 3 2>/dev/null; then
	write "$work/null" || fail "writing into a null device"
	[ -c "$work/null" ] || fail "the null device was replaced by a file"
else
	echo "note: not root, the character-device case is not run"
fi
[ $status = 0 ] && echo "ok: FIFO and device outputs written in place"
exit $status
