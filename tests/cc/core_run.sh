#!/bin/sh
# core_run.sh - the tracing programs of tests/run/core (BPF_CORE_READ chains, bitfields,
# kprobe/tracepoint/raw_tp/tp_btf/fentry, ring buffer) compiled by ebpf-cc instead of
# clang: tests/run/core.sh must pass on ebpf-cc's objects with the same goldens (in the
# emulator on its built-in and the host's BTF, and loaded by the real kernel as root).
. "$top_srcdir/tests/cc/lib.sh"
mkdir -p "$WORK/tree/tests/run/core"
cp "$top_srcdir"/tests/run/core/* "$WORK/tree/tests/run/core/"
for name in task_tracer bootstrap; do
	rm -f "$WORK/tree/tests/run/core/$name.bpf.o"
	if ! "$EBPF_CC" -O2 -g -D__TARGET_ARCH_x86 -I"$WORK/tree/tests/run/core" \
		-I"$MULTIARCH_INC" -c "$top_srcdir/tests/run/core/$name.bpf.c" \
		-o "$WORK/tree/tests/run/core/$name.bpf.o"; then
		echo "FAIL $name: ebpf-cc failed"; exit 1
	fi
done
top_srcdir="$WORK/tree" sh "$top_srcdir/tests/run/core.sh" || {
	echo "FAIL tests/run/core.sh on ebpf-cc's objects"; exit 1
}
echo "ok tests/run/core.sh on ebpf-cc's task_tracer and bootstrap objects"
