#!/bin/sh
# core.sh - tracing programs with CO-RE in the emulator: core/task_tracer.bpf.o (clang,
# core/regen.sh) reads --task populated kernel objects through BPF_CORE_READ chains
# from a kprobe, a tracepoint, a raw tracepoint, a tp_btf and an fentry program (and
# the real kernel loads it, as root). Each report must equal its golden file
# with the emulator's built-in BTF and, when the host has one, with the host's
# vmlinux BTF (other offsets, same answers); the ring buffer record is also checked
# against bytes computed here from the --task values. Then --task's errors.
set -u
run="${top_builddir:-../..}/run/ebpf-run"
dir="${top_srcdir:-../..}/tests/run/core"
object="$dir/task_tracer.bpf.o"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
targets=builtin
[ -r /sys/kernel/btf/vmlinux ] && targets="builtin /sys/kernel/btf/vmlinux"

zeros() { printf "%0$(($1 * 2))d" 0; }
task_address="0020240480 88ffff" # 0xffff888004242000, the current task
full_task="--task pid=77 --task tgid=70 --task comm=bash --task real_parent.tgid=1
	--task real_parent.comm=systemd --task cred.uid.val=1000 --task in_execve=1"

# check NAME RECORD-LINE ARGS...: report == core/NAME.golden under every target BTF,
# and the golden holds the first ring buffer line the inputs imply.
check() {
	name=$1 line=$2
	shift 2
	grep -qF -- "$line" "$dir/$name.golden" || {
		echo "FAIL: $name.golden lacks the record line '$line'"
		failures=$((failures + 1))
	}
	for target in $targets; do
		if ! EBPF_EMU_KERNEL_BTF=$target "$run" "$object" --no-insn-counts \
			--expect "$dir/$name.golden" "$@" >"$work/out" 2>&1; then
			echo "FAIL: $name with the $target BTF:"
			cat "$work/out"
			failures=$((failures + 1))
		fi
	done
}

# pt_regs: di (1st argument, dfd = 42) at byte 112 on x86_64, in both BTFs.
# shellcheck disable=SC2086
check unlink "0000: 4d 00 00 00 46 00 00 00  01 00 00 00 e8 03 00 00" \
	--prog unlink_probe $full_task --ctx-hex "$(zeros 112)2a00000000000000$(zeros 48)"
# sys_enter record: 8 bytes of trace_entry, then the syscall id (59, execve);
# the default task: pid and tgid 4242 (0x1092), comm "ebpf-run", no parent.
check execve "0000: 92 10 00 00 92 10 00 00  00 00 00 00 00 00 00 00" \
	--prog execve_probe --ctx-hex "$(zeros 8)3b00000000000000$(zeros 48)"
# raw args: args[0] = 1, args[1] = the task.
check fork "0000: 09 00 00 00 92 10 00 00  08 00 00 00 00 00 00 00" \
	--prog fork_probe --task pid=9 --task comm=child --task real_parent.tgid=8 \
	--ctx-hex "0100000000000000 $task_address"

# tp_btf: BPF_PROG slots args[0] = parent (the current task), args[1] = a child task
# built at another address whose real_parent is the current task.
check fork_btf "0000: 09 00 00 00 09 00 00 00  92 10 00 00 00 00 00 00" \
	--prog fork_btf --task comm=bash --task "task_struct@0xffff888007000000:pid=9" \
	--task "task_struct@0xffff888007000000:tgid=9" \
	--task "task_struct@0xffff888007000000:comm=child" \
	--task "task_struct@0xffff888007000000:real_parent=0xffff888004242000" \
	--ctx-hex "$task_address 0000000780 88ffff"
# fentry: do_unlinkat(dfd = 5, name) with name a struct filename holding a string.
check unlink_entry '{ .unlinks = 1, .last_name = "/tmp/victim" }' \
	--prog unlink_entry --task "filename@0xffff888007000000:name=/tmp/victim" \
	--ctx-hex "0500000000000000 0000000780 88ffff"

# libbpf-bootstrap style (core/bootstrap.bpf.o). exec: the record's __data_loc_filename
# (offset 24) points at "/bin/ls" after the fixed fields; event pid 4242, ppid 1000.
bootstrap="$dir/bootstrap.bpf.o"
object_saved=$object
object=$bootstrap
check exec "0000: 92 10 00 00 e8 03 00 00  00 00 00 00 00 00 00 00" \
	--prog handle_exec --task comm=ls --task real_parent.tgid=1000 \
	--ctx-hex "$(zeros 8)18000000 92100000 92100000 00000000 2f62696e2f6c7300"
# exit: exit_code 0x300 -> 3, exit_event 1, duration 1 s - 0.4 s = 600000000 (0x23c34600)
check exit "0000: 92 10 00 00 e8 03 00 00  03 00 00 00 01 00 00 00" \
	--prog handle_exit --maps-in "$dir/sleep.maps" --task comm=ls \
	--task real_parent.tgid=1000 --task exit_code=0x300 --ctx-hex "$(zeros 32)"
grep -qF "0010: 00 46 c3 23 00 00 00 00" "$dir/exit.golden" || {
	echo "FAIL: exit.golden lacks the duration 600000000"
	failures=$((failures + 1))
}
# kretprobe: 1 s - 0.999 s = 1000 us, log2 slot 9
check sleep "    9 => 1" --prog sleep_exit --maps-in "$dir/sleep.maps" --ctx-hex "$(zeros 168)"
object=$object_saved

# The running kernel loads the same object relocated against its own BTF; needs root.
if [ "$(id -u)" = 0 ] && [ -r /sys/kernel/btf/vmlinux ]; then
	"$run" "$object" --kernel --verify-only --no-insn-counts >"$work/kernel" 2>/dev/null
	"$run" "$dir/bootstrap.bpf.o" --kernel --verify-only --no-insn-counts >>"$work/kernel" 2>/dev/null
	for prog in unlink_probe execve_probe fork_probe fork_btf handle_exec handle_exit \
		sleep_entry sleep_exit; do
		grep -A1 "^program $prog:" "$work/kernel" | grep -q "verifier: accepted" || {
			echo "FAIL: the kernel rejects $prog:"
			cat "$work/kernel"
			failures=$((failures + 1))
		}
	done
	# fentry (unlink_entry) needs a BPF trampoline. Kernels that cannot make one
	# refuse every trampoline program at PROG_LOAD with EPERM and an empty verifier
	# log, while tp_btf (fork_btf: the same program type and attach_btf_id, no
	# trampoline) loads: then the check is skipped with that reason. Any other
	# verdict on it is a failure.
	fentry=$(grep -A1 "^program unlink_entry:" "$work/kernel" | sed -n 's/.*verifier: //p')
	case "$fentry" in
	accepted) ;;
	"rejected (EPERM)")
		echo "SKIP (fentry on the kernel): $(uname -r) refuses BPF trampolines:" \
			"PROG_LOAD of fentry/do_unlinkat gives EPERM with an empty log while" \
			"tp_btf/sched_process_fork loads (not attach_btf_id, expected_attach_type" \
			"or capabilities)" ;;
	*)
		echo "FAIL: the kernel's verdict on the fentry program: ${fentry:-none}"
		failures=$((failures + 1)) ;;
	esac
fi

# expect STATUS STDERR -- ARGS
expect() {
	want_status=$1 want_err=$2
	shift 3
	EBPF_EMU_KERNEL_BTF=builtin "$run" "$@" >"$work/out" 2>"$work/err"
	status=$?
	if [ "$status" != "$want_status" ] || ! grep -qF -- "$want_err" "$work/err"; then
		echo "FAIL: ebpf-run $*: status $status (want $want_status), stderr:"
		cat "$work/err"
		failures=$((failures + 1))
	fi
}
expect 1 "ebpf-run: error: no member 'nope' in the kernel's BTF" -- --task nope=1 "$object"
expect 1 "ebpf-run: error: 'pid' is not PATH=VALUE" -- --task pid "$object"
expect 1 "ebpf-run: error: 'abcdefghijklmnopq' is too long for the array" -- \
	--task comm=abcdefghijklmnopq "$object"
expect 1 "ebpf-run: error: 4294967296 does not fit the member" -- --task pid=4294967296 "$object"
expect 1 "ebpf-run: error: 'x1' is not a number" -- --task tgid=x1 "$object"
expect 1 "ebpf-run: error: 2 does not fit the member" -- --task in_execve=2 "$object"
expect 1 "ebpf-run: error: no struct to look up 'x' in" -- --task pid.x=1 "$object"
expect 1 "ebpf-run: error: 'filename' does not point to a struct" -- \
	--task "linux_binprm@0xffff888007000000:filename.x=1" "$object"
expect 1 "ebpf-run: error: another object is at 0xffff888004242000" -- \
	--task "filename@0xffff888004242000:name=x" "$object"
expect 1 "ebpf-run: error: another object overlaps 0xffff888004242008" -- \
	--task "filename@0xffff888004242008:name=x" "$object"
expect 1 "ebpf-run: error: 'pid.' has an empty member name" -- --task pid.=1 "$object"
expect 1 "ebpf-run: error: no struct nosuch in the kernel's BTF" -- \
	--task "nosuch@0x1000:x=1" "$object"
expect 1 "ebpf-run: error: 'zz' is not an address" -- --task "filename@zz:name=x" "$object"
expect 2 "ebpf-run: error: --task sets the emulator's kernel objects: not with --kernel" -- \
	--task pid=1 --kernel "$object"
expect 1 "ebpf-run: error: cannot follow the pointer before 'pid'" -- \
	--task real_parent=0x1234 --task real_parent.pid=3 "$object"
# a pointer member set to the task itself: its own parent
EBPF_EMU_KERNEL_BTF=builtin "$run" "$object" --prog unlink_probe --task comm=self \
	--task real_parent=0xffff888004242000 --ctx-hex "$(zeros 168)" >"$work/out" 2>&1
grep -qF "| self[4242] child of self" "$work/out" || {
	echo "FAIL: a task that is its own parent:"
	cat "$work/out"
	failures=$((failures + 1))
}
exit $((failures != 0))
