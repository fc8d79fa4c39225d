#!/bin/sh
# hidden_static.sh - a global function of .text with hidden visibility is verified as a
# static subprogram (with its caller's registers), as libbpf does: it gives the FUNC
# static linkage in the BTF it loads. The program below is accepted only that way (the
# callee indexes an array with its argument, bounded by the caller alone). Truth: the
# real kernel through libbpf (bpftool prog loadall) on clang's objects. Checked: our
# loader on both backends (ebpf-run, ebpf-run --kernel), ebpf-cc's compile-time
# verification, libbpf on ebpf-cc's objects, and the .BTF on disk keeping the linkage
# clang writes. SKIP (77) without clang, bpftool, root or the bpf() syscall.
set -u
build=${top_builddir:-../..}
run="$build/run/ebpf-run"
ebpfcc="$build/cc/ebpf-cc"
clang=${CLANG:-clang}
work=$(mktemp -d)
pins=/sys/fs/bpf/ebpf_hidden_static_$$
trap 'rm -rf "$work" "$pins"' EXIT
failures=0 checks=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; checks=$((checks + 1)); }

command -v "$clang" >/dev/null 2>&1 || { echo "SKIP: no clang"; exit 77; }
command -v bpftool >/dev/null 2>&1 || { echo "SKIP: no bpftool"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "SKIP: the kernel oracle needs root"; exit 77; }

# $1: visibility attribute of lookup() ("" for a plain global function)
source_text() {
	cat <<PROG
typedef unsigned int __u32;
struct xdp_md { __u32 data, data_end, data_meta, ingress_ifindex, rx_queue_index, egress_ifindex; };
#define SEC(name) __attribute__((section(name), used))

__u32 table[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

__attribute__((noinline)) $1 int lookup(__u32 idx)
{
	return table[idx];
}

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	__u32 idx = (ctx->data_end - ctx->data) & 15;
	return lookup(idx) == 0 ? 1 : 2;
}

char LICENSE[] SEC("license") = "GPL";
PROG
}
source_text '__attribute__((visibility("hidden")))' >"$work/hidden.bpf.c"
source_text '' >"$work/global.bpf.c"
source_text 'static' >"$work/static.bpf.c"

# libbpf's verdict: 0 loaded, 1 rejected
libbpf_loads() {
	rm -rf "$pins"
	bpftool prog loadall "$1" "$pins" >"$work/bpftool.log" 2>&1
	status=$?
	rm -rf "$pins"
	return $status
}

for kind in hidden global static; do
	"$clang" -O2 -g -target bpf -c "$work/$kind.bpf.c" -o "$work/$kind.clang.o" ||
		{ echo "SKIP: clang cannot compile for bpf"; exit 77; }
done
libbpf_loads "$work/static.clang.o" || { echo "SKIP: libbpf cannot load (no bpf()?)"; exit 77; }
libbpf_loads "$work/hidden.clang.o" || fail "oracle: libbpf rejects the hidden function"
libbpf_loads "$work/global.clang.o" && fail "oracle: libbpf accepts the global function"

# our loader on clang's objects, emulator and real kernel
for backend in emulator kernel; do
	flag=; [ $backend = kernel ] && flag=--kernel
	for kind in hidden static; do
		if "$run" "$work/$kind.clang.o" $flag --verify-only >"$work/out" 2>&1; then
			pass "ebpf-run ($backend) accepts the $kind function"
		else
			fail "ebpf-run ($backend) rejects the $kind function"; cat "$work/out"
		fi
	done
	if "$run" "$work/global.clang.o" $flag --verify-only >"$work/out" 2>&1; then
		fail "ebpf-run ($backend) accepts the global function"
	elif grep -q 'unbounded memory access' "$work/out"; then
		pass "ebpf-run ($backend) rejects the global function as the kernel does"
	else
		fail "ebpf-run ($backend) rejects the global function for another reason"; cat "$work/out"
	fi
done
"$run" "$work/hidden.clang.o" --kernel --data-hex 000102030405060708090a0b0c0d >"$work/out" 2>&1 &&
	grep -q 'retval: 2' "$work/out" && pass "the hidden function runs in the kernel" ||
	{ fail "the hidden function does not run in the kernel"; cat "$work/out"; }

# ebpf-cc: compile-time verification as libbpf loads, libbpf on its objects
if "$ebpfcc" -O2 -g -c "$work/hidden.bpf.c" -o "$work/hidden.ours.o" 2>"$work/err"; then
	pass "ebpf-cc compiles and verifies the hidden function"
else
	fail "ebpf-cc rejects the hidden function"; cat "$work/err"
fi
if "$ebpfcc" -O2 -g -c "$work/global.bpf.c" -o "$work/global.ours.o" 2>"$work/err"; then
	fail "ebpf-cc's verification accepts the global function"
elif grep -q 'unbounded memory access' "$work/err"; then
	pass "ebpf-cc's verification rejects the global function"
else
	fail "ebpf-cc rejects the global function for another reason"; cat "$work/err"
fi
"$ebpfcc" -O2 -g -fno-verify -c "$work/global.bpf.c" -o "$work/global.ours.o" ||
	fail "ebpf-cc -fno-verify cannot compile the global function"
if [ -f "$work/hidden.ours.o" ]; then
	libbpf_loads "$work/hidden.ours.o" && pass "libbpf loads ebpf-cc's hidden function" ||
		{ fail "libbpf rejects ebpf-cc's hidden function"; cat "$work/bpftool.log"; }
	# the file keeps linkage=global (clang's), only the loaded copy changes
	for object in "$work/hidden.ours.o" "$work/hidden.clang.o"; do
		bpftool btf dump file "$object" | grep -q "FUNC 'lookup' type_id=[0-9]* linkage=global" &&
			pass "$(basename "$object"): .BTF keeps FUNC lookup global" ||
			fail "$(basename "$object"): FUNC lookup is not global in .BTF"
	done
fi
libbpf_loads "$work/global.ours.o" && fail "libbpf loads ebpf-cc's global function"

echo "$checks checks, $failures failures"
[ $failures -eq 0 ]
