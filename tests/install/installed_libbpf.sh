#!/bin/sh
# installed_libbpf.sh - `make install` into a temporary prefix installs the tools, the
# libraries, every public header and ebpfemu.pc; a program written for libbpf
# (libbpf_prog.c) then builds unmodified with `cc prog.c $(pkg-config --cflags --libs
# ebpfemu)`, runs as an unprivileged user and prints libbpf_prog.expected, the output
# of the same program built with the real libbpf on the real kernel (rechecked here
# when libbpf-dev and bpf(2) are available).
set -u
: "${top_builddir:?}" "${top_srcdir:?}"
CC=${CC:-cc} MAKE=${MAKE:-make} PKG_CONFIG=${PKG_CONFIG:-pkg-config}
SAN_CFLAGS=${SAN_CFLAGS:-} SAN_LDFLAGS=${SAN_LDFLAGS:-}
here="$top_srcdir/tests/install"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
prefix="$work/prefix"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# 1. install (a make of its own, not part of the running make's job server)
if ! (unset MAKEFLAGS MFLAGS MAKELEVEL; "$MAKE" -C "$top_builddir" install \
	prefix="$prefix" DESTDIR=) >"$work/install.log" 2>&1; then
	tail -30 "$work/install.log"
	echo "FAIL: make install"
	exit 1
fi

# 2. what got installed: tools, libraries, every public header, the pkg-config file
for tool in ebpf-as ebpf-cc ebpf-ld ebpf-objdump ebpf-run; do
	[ -x "$prefix/bin/$tool" ] || fail "bin/$tool not installed"
done
for lib in libobjfmt libasm libebpfemu libebpfload libebpflink libcc; do
	[ -f "$prefix/lib/$lib.a" ] || fail "lib/$lib.a not installed"
done
pc="$prefix/lib/pkgconfig/ebpfemu.pc"
[ -f "$pc" ] || { fail "lib/pkgconfig/ebpfemu.pc not installed"; exit 1; }
headers=$(cd "$top_srcdir/include" && find ebpf bpf -name '*.h' | sort)
for header in $headers; do
	if [ ! -f "$prefix/include/ebpfemu/$header" ]; then
		fail "include/ebpfemu/$header not installed (list it in include/Makefile.am)"
	elif ! printf '#include <%s>\n' "$header" |
		$CC -std=c11 -Wall -Wextra -Werror -fsyntax-only -I"$prefix/include/ebpfemu" \
			-x c - 2>"$work/header.log"; then
		fail "installed $header does not compile on its own:"; cat "$work/header.log"
	fi
done
echo "installed: $(cd "$prefix" && find . -type f | wc -l) files, $(echo "$headers" | wc -w) headers"

PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
export PKG_CONFIG_PATH
cflags=$($PKG_CONFIG --cflags ebpfemu) && libs=$($PKG_CONFIG --libs ebpfemu) ||
	{ fail "pkg-config cannot read ebpfemu.pc"; exit 1; }
case "$cflags $libs" in
*"$prefix/include/ebpfemu"*"$prefix/lib"*) ;;
*) fail "ebpfemu.pc does not point into the install prefix: $cflags $libs" ;;
esac

# 3. the Libs line carries everything: every object of every library it names links
archives=$(printf '%s\n' $libs | grep -E '^-l(ebpf|objfmt)' | tr '\n' ' ')
others=$(printf '%s\n' $libs | grep -vE '^-l(ebpf|objfmt)' | tr '\n' ' ')
printf 'int main(void) { return 0; }\n' >"$work/empty.c"
# shellcheck disable=SC2086 # flag lists
$CC $SAN_CFLAGS $SAN_LDFLAGS -o "$work/whole" "$work/empty.c" -Wl,--whole-archive \
	$archives -Wl,--no-whole-archive $others >"$work/whole.log" 2>&1 ||
	{ fail "the libraries of 'pkg-config --libs ebpfemu' ($libs) leave symbols undefined:";
	  grep -o "undefined reference to .*" "$work/whole.log" | sort -u | head -20; }

# 4. the libbpf program, unmodified, with the pkg-config line (plus the sanitizer
# flags when the libraries were built with them); warnings-clean as well
cp "$here/libbpf_prog.c" "$here/data/counter.bpf.o" "$work/"
cd "$work" || exit 1
# shellcheck disable=SC2086,SC2046
$CC $SAN_CFLAGS $SAN_LDFLAGS libbpf_prog.c $($PKG_CONFIG --cflags --libs ebpfemu) -o prog ||
	{ fail "libbpf_prog.c does not build against the installed ebpfemu"; exit 1; }
# shellcheck disable=SC2046
$CC -Wall -Wextra -Werror -fsyntax-only libbpf_prog.c $($PKG_CONFIG --cflags ebpfemu) ||
	fail "libbpf_prog.c is not warnings-clean against the installed headers"

# 5. run it without root: as nobody when we are root
mkdir -m 1777 bpffs
as_user=""
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
# shellcheck disable=SC2086
EBPF_BPFFS="$work/bpffs" $as_user ./prog counter.bpf.o >emu.out 2>emu.err ||
	{ fail "the program exited with status $?"; cat emu.err; }
if diff -u "$here/libbpf_prog.expected" emu.out; then
	echo "emulator output matches the golden (run as uid $(${as_user:-env} id -u))"
else
	fail "emulator output differs from the golden"
fi
"$prefix/bin/ebpf-objdump" -d counter.bpf.o | grep -q '<count_frames>:' ||
	fail "the installed ebpf-objdump does not disassemble the object"

# 6. the golden itself: the same program with the real libbpf on the real kernel
if [ -f /usr/include/bpf/libbpf.h ] && cc -o real libbpf_prog.c -lbpf 2>/dev/null &&
	./real counter.bpf.o >real.out 2>/dev/null; then
	if diff -u "$here/libbpf_prog.expected" real.out; then
		echo "real libbpf + kernel output matches the golden"
	else
		fail "the golden no longer matches the real libbpf + kernel"
	fi
else
	echo "real libbpf or bpf(2) unavailable: golden not rechecked"
fi
[ "$failures" -eq 0 ]
