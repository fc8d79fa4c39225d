#!/bin/sh
# btf_ptr.sh - direct dereference of kernel object pointers (core/btf_ptr.bpf.o):
# task->pid and task->real_parent->tgid from bpf_get_current_task_btf() run as probe-mem
# loads on the --task objects, and a tp_btf program's task arguments (parent, child)
# dereferenced the same way, under the built-in and the host's kernel BTF, plain and
# in checked execution. Goldens checked by hand: retval = the --task value read (7,
# 31), 0 for a NULL real_parent (a faulting probe-mem load reads 0, as in the kernel),
# child pid 9 * 1000 + parent tgid 5 = 9005. The running kernel must accept all three
# programs (root).
set -u
run="${top_builddir:-../..}/run/ebpf-run"
dir="${top_srcdir:-../..}/tests/run/core"
object="$dir/btf_ptr.bpf.o"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
targets=builtin
[ -r /sys/kernel/btf/vmlinux ] && targets="builtin /sys/kernel/btf/vmlinux"

# check GOLDEN ARGS...: the report equals core/GOLDEN.golden, plain and checked.
check() {
	golden=$1
	shift
	for target in $targets; do
		for checked in 0 1; do
			if ! EBPF_EMU_KERNEL_BTF=$target EBPF_EMU_CHECKED=$checked "$run" "$object" \
				--no-insn-counts --expect "$dir/$golden.golden" "$@" >"$work/out" 2>&1; then
				echo "FAIL: $golden with the $target BTF (checked=$checked):"
				cat "$work/out"
				failures=$((failures + 1))
			fi
		done
	done
}

check btf_ptr_pid --prog task_pid --task pid=7 --task tgid=5 --task comm=bash
check btf_ptr_parent --prog parent_tgid --task pid=7 --task real_parent.pid=30 \
	--task real_parent.tgid=31
check btf_ptr_orphan --prog parent_tgid --task pid=7
# args[0] = the current task (pid 7, tgid 5), args[1] = a child task at another address
check btf_ptr_fork --prog fork_pids --task pid=7 --task tgid=5 \
	--task "task_struct@0xffff888007000000:pid=9" \
	--ctx-hex "0020240480 88ffff 0000000780 88ffff"
grep -q "retval: 7$" "$dir/btf_ptr_pid.golden" && grep -q "retval: 31$" "$dir/btf_ptr_parent.golden" &&
	grep -q "retval: 0$" "$dir/btf_ptr_orphan.golden" &&
	grep -q "retval: 9005$" "$dir/btf_ptr_fork.golden" || {
	echo "FAIL: a golden lost its hand-checked retval"
	failures=$((failures + 1))
}

if [ "$(id -u)" = 0 ] && [ -r /sys/kernel/btf/vmlinux ]; then
	"$run" "$object" --kernel --verify-only --no-insn-counts >"$work/kernel" 2>&1
	if [ "$(grep -c "verifier: accepted" "$work/kernel")" != 3 ]; then
		echo "FAIL: the kernel does not accept all three programs:"
		cat "$work/kernel"
		failures=$((failures + 1))
	fi
fi
exit $((failures != 0))
