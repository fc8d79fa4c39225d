#!/bin/sh
# btf_clang.sh - BTF against the oracles, on objects clang builds now from btf/*.bpf.c:
# .BTF and .BTF.ext decode->encode byte identity, dump text equal to
# `bpftool btf dump file`, and dedup of two linked objects leaving as many types as
# libbpf's linker (`bpftool gen object`) does. Skips without clang and llvm-objcopy.
. "$srcdir/../lib/skip.sh"
require_tool llvm-objcopy
data="$srcdir/btf"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
failures=0 compilers=0
rename="-Dprog=prog_b -Dhelper=helper_b -Dcounter=counter_b -Dlimit=limit_b
	-Dglobal_node=global_node_b -Dnode_map=node_map_b -D_license=_license_b -Dhits=hits_b"

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

sections() { # OBJ BTF EXT
	llvm-objcopy --dump-section .BTF="$2" --dump-section .BTF.ext="$3" "$1" "$tmp/junk.o"
}

check_object() { # CC SRC [FLAGS]
	cc=$1 src=$2
	shift 2
	obj="$tmp/$src-$cc.o"
	"$cc" -O2 -g -target bpf "$@" -c "$data/$src.bpf.c" -o "$obj" || { fail "$cc $src.bpf.c"; return; }
	sections "$obj" "$obj.btf" "$obj.ext" || { fail "llvm-objcopy $obj"; return; }
	./btf_tool roundtrip "$obj.btf" "$obj.ext" || fail "$cc $src: round trip"
	if command -v bpftool >/dev/null 2>&1; then
		bpftool btf dump file "$obj" >"$obj.expected" &&
		./btf_tool dump "$obj.btf" >"$obj.actual" &&
		diff -u "$obj.expected" "$obj.actual" || fail "$cc $src: dump differs from bpftool"
	fi
}

check_dedup() { # CC
	cc=$1 a="$tmp/a-$1.o" b="$tmp/b-$1.o"
	command -v bpftool >/dev/null 2>&1 || return
	"$cc" -O2 -g -target bpf -c "$data/types.bpf.c" -o "$a" &&
	"$cc" -O2 -g -target bpf $rename -c "$data/types.bpf.c" -o "$b" &&
	bpftool gen object "$tmp/linked.o" "$a" "$b" || { fail "$cc: bpftool gen object"; return; }
	sections "$a" "$a.btf" "$a.ext" && sections "$b" "$b.btf" "$b.ext" || return
	theirs=$(bpftool btf dump file "$tmp/linked.o" | grep '^\[' | grep -vc ' VAR \| DATASEC ')
	ours=$(./btf_tool dedup-count "$a.btf" "$b.btf")
	[ "$theirs" = "$ours" ] || fail "$cc: dedup keeps $ours types, libbpf $theirs"
	echo "$cc: dedup of two linked objects: $ours types, libbpf: $theirs"
}

for cc in clang clang-19; do
	command -v "$cc" >/dev/null 2>&1 || continue
	compilers=$((compilers + 1))
	check_object "$cc" types
	check_object "$cc" tags
	check_dedup "$cc"
done
[ "$compilers" -gt 0 ] || { echo "SKIP: no clang"; exit 77; }
[ "$failures" -eq 0 ] || exit 1
echo "PASS: BTF of $compilers compiler(s) round-trips and dumps like bpftool"
