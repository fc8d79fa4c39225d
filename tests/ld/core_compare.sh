#!/bin/sh
# core_compare.sh - CO-RE relocations resolved by our loader equal libbpf's: the
# instructions of every program after relocation against the running kernel's BTF are
# compared line by line (map fds masked). Objects: data/core_local.bpf.o (local types
# that differ from the kernel's, a missing member, a flavor suffix, enum values),
# data/tp_btf.bpf.o (a tp_btf program: attach_btf_id) and a vmlinux.h program compiled
# at test time. SKIP (77) without the system libbpf, the
# kernel's BTF or the bpf() syscall (libbpf must load to report its instructions).
set -u
ours="${top_builddir:-../..}/tests/ld/core_insns"
srcdir="${top_srcdir:-../..}/tests/ld"
clang=${CLANG:-clang}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

[ -r /sys/kernel/btf/vmlinux ] || { echo "SKIP: no /sys/kernel/btf/vmlinux"; exit 77; }
[ -f /usr/include/bpf/libbpf.h ] || { echo "SKIP: libbpf-dev not installed"; exit 77; }
cc -o "$work/libbpf_insns" "$srcdir/libbpf_insns.c" -lbpf 2>/dev/null ||
	{ echo "SKIP: cannot build against -lbpf"; exit 77; }
"$work/libbpf_insns" "$srcdir/data/core_local.bpf.o" >/dev/null 2>&1 ||
	{ echo "SKIP: libbpf cannot load (no bpf() syscall?)"; exit 77; }

objects="$srcdir/data/core_local.bpf.o $srcdir/data/tp_btf.bpf.o"
if command -v bpftool >/dev/null 2>&1 && command -v "$clang" >/dev/null 2>&1; then
	bpftool btf dump file /sys/kernel/btf/vmlinux format c >"$work/vmlinux.h"
	cat >"$work/tracer.bpf.c" <<'PROG'
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
__u32 parent_tgid, uid;
__u64 start;
SEC("raw_tp/sched_process_exec")
int exec_probe(void *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	parent_tgid = BPF_CORE_READ(task, real_parent, tgid);
	uid = BPF_CORE_READ(task, cred, uid.val);
	start = BPF_CORE_READ(task, start_time);
	return bpf_core_field_exists(task->mm) ? 0 : 1;
}
char LICENSE[] SEC("license") = "GPL";
PROG
	"$clang" -O2 -g -target bpf -D__TARGET_ARCH_x86 -I"$work" -c "$work/tracer.bpf.c" \
		-o "$work/tracer.bpf.o" && objects="$objects $work/tracer.bpf.o"
fi

for object in $objects; do
	"$work/libbpf_insns" "$object" >"$work/libbpf.txt" 2>/dev/null
	"$ours" "$object" >"$work/ours.txt" || { failures=$((failures + 1)); continue; }
	if [ ! -s "$work/libbpf.txt" ] || ! diff -u "$work/libbpf.txt" "$work/ours.txt"; then
		echo "FAIL: $(basename "$object"): relocated instructions differ from libbpf's"
		failures=$((failures + 1))
	else
		echo "ok: $(basename "$object"): $(grep -c : "$work/ours.txt") instructions as libbpf"
	fi
done
exit $((failures != 0))
