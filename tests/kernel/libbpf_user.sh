#!/bin/sh
# libbpf_user.sh - a program written for libbpf (data/libbpf_user.c) compiles unmodified
# against libebpfemu's headers and prints exactly data/libbpf_user.expected, the output of
# the same program built with the real libbpf and run on the real kernel. When libbpf-dev
# and bpf(2) are available the real run is repeated here, so the golden stays checked.
set -e
: "${top_builddir:?}" "${top_srcdir:?}"
CC=${CC:-cc}
data="$top_srcdir/tests/kernel/data"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# shellcheck disable=SC2086 # the sanitizer flags are word lists
$CC -std=c11 -D_GNU_SOURCE $SAN_CFLAGS $SAN_LDFLAGS -I"$top_srcdir/include" \
	-o "$work/emu_user" "$data/libbpf_user.c" \
	"$top_builddir/ld/libebpfload.a" "$top_builddir/kernel/libebpfemu.a" \
	"$top_builddir/objfmt/libobjfmt.a" -lelf -lz -lm
EBPF_BPFFS="$work/bpffs" "$work/emu_user" > "$work/emu.out"
diff -u "$data/libbpf_user.expected" "$work/emu.out"
echo "emulator output matches the golden"

if [ -f /usr/include/bpf/libbpf.h ] &&
	$CC -o "$work/real_user" "$data/libbpf_user.c" -lbpf 2>/dev/null &&
	"$work/real_user" > "$work/real.out" 2>/dev/null &&
	! grep -q "hash map created with fd: -" "$work/real.out"; then
	diff -u "$data/libbpf_user.expected" "$work/real.out"
	echo "real libbpf + kernel output matches the golden"
else
	echo "real libbpf or bpf(2) unavailable: golden not rechecked"
fi
