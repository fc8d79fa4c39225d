#!/bin/sh
# sockets.sh - ebpf-run --socket: a tc program looks up the sockets of TCP and UDP
# packets, IPv4 and IPv6 (bpf_sk_lookup_tcp/udp, sockets/sk_lookup.bpf.c built by
# ebpf-cc and, when installed, clang); the emulator's reports equal
# sockets/sk_lookup*.golden, which are the running kernel's reports (checked again here as root, with real sockets, and with
# --compare); an established TCP socket is preferred to the listener (emulator only);
# bad specifications are usage errors.
set -u
build=${top_builddir:-../..}
run="$build/run/ebpf-run"
srcdir="${top_srcdir:-../..}/tests/run/sockets"
clang=${CLANG:-clang}
multiarch=$(cc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# 10.0.0.1:5353 -> 10.0.0.2:18053 UDP; :4321 -> :18080 TCP SYN; :4321 -> :18081 TCP SYN
eth=0000000000020000000000010800
ipv4() { echo "${eth}4500${1}0000000040${2}00000a0000010a000002"; } # length, protocol
syn() { echo "$(ipv4 0028 06)${1}00000000000000005002000000000000"; } # ports
udp="$(ipv4 001c 11)14e9468500080000"
# fd00::1:4321 -> [fd00::2]:PORT TCP SYN
syn6() { echo "000000000002000000000001""86dd""6000000000140640""fd00000000000000000000000000000$(
	)1fd000000000000000000000000000002${1}00000000000000005002000000000000"; }
sockets="--socket tcp:10.0.0.2:18080 --socket udp:10.0.0.2:18053"
inputs="--data-hex $udp --data-hex $(syn 10e146a0) --data-hex $(syn 10e146a1)"

mkdir "$work/cc" "$work/clang"
objects=
"$build/cc/ebpf-cc" -O2 -g -I"/usr/include/$multiarch" -c "$srcdir/sk_lookup.bpf.c" \
	-o "$work/cc/sk_lookup.bpf.o" && objects="$work/cc/sk_lookup.bpf.o" ||
	fail "ebpf-cc sk_lookup.bpf.c"
command -v "$clang" >/dev/null 2>&1 &&
	"$clang" -O2 -g -target bpf -I"/usr/include/$multiarch" -c "$srcdir/sk_lookup.bpf.c" \
		-o "$work/clang/sk_lookup.bpf.o" && objects="$objects $work/clang/sk_lookup.bpf.o"

kernel=false
[ "$(id -u)" = 0 ] && "$run" "$work/cc/sk_lookup.bpf.o" --kernel --verify-only >/dev/null 2>&1 &&
	kernel=true
for object in $objects; do
	# shellcheck disable=SC2086 # option lists
	"$run" "$object" $sockets $inputs --no-insn-counts --expect "$srcdir/sk_lookup.golden" ||
		fail "$object: emulator report"
	if $kernel; then
		"$run" "$object" $sockets $inputs --no-insn-counts --kernel |
			sed 's/^backend: kernel$/backend: emulator/' >"$work/kernel.txt"
		diff -u "$srcdir/sk_lookup.golden" "$work/kernel.txt" || fail "$object: kernel report"
		"$run" "$object" $sockets $inputs --compare >/dev/null || fail "$object: --compare"
	fi
	# IPv6: a listener on [fd00::2]:18080, a SYN to it and one to 18081
	set -- --prog lookup6 --socket "tcp:[fd00::2]:18080" --data-hex "$(syn6 10e146a0)" \
		--data-hex "$(syn6 10e146a1)" --no-insn-counts
	"$run" "$object" "$@" --expect "$srcdir/sk_lookup6.golden" || fail "$object: IPv6 emulator"
	if $kernel; then
		"$run" "$object" "$@" --kernel | sed 's/^backend: kernel$/backend: emulator/' \
			>"$work/kernel6.txt"
		diff -u "$srcdir/sk_lookup6.golden" "$work/kernel6.txt" || fail "$object: IPv6 kernel"
	fi
done
$kernel || echo "SKIP: kernel comparison (needs root and the bpf() syscall)"

object="$work/cc/sk_lookup.bpf.o"
# a connected socket comes before the listener; nothing listens on 18081
"$run" "$object" $sockets --socket tcp:10.0.0.2:18080,10.0.0.1:4321 \
	--data-hex "$(syn 10e146a0)" --data-hex "$(syn 10e146a1)" >"$work/out" || fail "established"
grep -qx "    { .found = { .lookups = 2, .hits = 1, .state = 1, .local_port = 18080, .protocol = 6 } }" \
	"$work/out" || { cat "$work/out"; fail "established socket not preferred"; }
if $kernel; then
	"$run" "$object" --socket tcp:10.0.0.2:18080,10.0.0.1:4321 --kernel \
		--data-hex "$(syn 10e146a0)" >/dev/null 2>"$work/err"
	grep -qx -- "--socket tcp:10.0.0.2:18080,10.0.0.1:4321: an established TCP socket exists only in the emulator" \
		"$work/err" || { cat "$work/err"; fail "established TCP with --kernel"; }
fi
for bad in tcp:10.0.0.2 sctp:1.2.3.4:5 tcp:10.0.0.2:0 "udp:[::1]:53,10.0.0.1:9"; do
	"$run" "$object" --socket "$bad" >/dev/null 2>"$work/err"
	status=$?
	[ $status = 1 ] && grep -qF "ebpf-run: error: '$bad' is not tcp:ADDR:PORT" "$work/err" ||
		fail "--socket $bad: status $status, $(cat "$work/err")"
done
exit $((failures != 0))
