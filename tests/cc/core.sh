#!/bin/sh
# core.sh - CO-RE relocation records of ebpf-cc against clang's for each core/*.bpf.c:
# the distinct records (kind, access string, the BTF type named, described by content,
# and the instruction carrying the relocation) must be the same set. clang reuses one
# relocated offset for repeated identical accesses, so duplicates are not compared.
# The goldens core/NAME.core are clang-19's records; without clang only they are used.
# With bpftool and the kernel's BTF, tests/ld/core/core_vmlinux.bpf.c on a generated
# vmlinux.h is compared with clang too.
. "$top_srcdir/tests/cc/lib.sh"
DUMP="$top_builddir/tests/cc/core_dump"
CORE="$top_srcdir/tests/cc/core"
fail=0 count=0
clang=
for c in clang-19 clang; do
	command -v $c >/dev/null 2>&1 && { clang=$c; break; }
done
for src in "$CORE"/*.bpf.c; do
	name=$(basename "$src" .bpf.c)
	if ! "$EBPF_CC" -O2 -g -fno-verify -I"$MULTIARCH_INC" -c "$src" -o "$WORK/$name.o" \
		2>"$WORK/$name.err"; then
		echo "FAIL $name: ebpf-cc failed"; cat "$WORK/$name.err"; fail=1; continue
	fi
	"$DUMP" "$WORK/$name.o" | sort -u >"$WORK/$name.ours"
	if ! diff -u "$CORE/$name.core" "$WORK/$name.ours"; then
		echo "FAIL $name: records differ from the golden (clang's)"; fail=1; continue
	fi
	if [ -n "$clang" ] && "$clang" -O2 -g -target bpf -I"$MULTIARCH_INC" -c "$src" \
		-o "$WORK/$name.clang.o" 2>/dev/null; then
		"$DUMP" "$WORK/$name.clang.o" | sort -u >"$WORK/$name.clang"
		if ! diff -u "$WORK/$name.clang" "$WORK/$name.ours"; then
			echo "FAIL $name: records differ from $clang's"; fail=1; continue
		fi
	fi
	n=$(wc -l <"$WORK/$name.ours")
	[ "$n" -gt 0 ] || { echo "FAIL $name: no records"; fail=1; continue; }
	count=$((count + n))
	echo "ok $name: $n records as ${clang:-the golden}"
done
# A tracing program on the running kernel's vmlinux.h (no golden: it varies by kernel).
src="$top_srcdir/tests/ld/core/core_vmlinux.bpf.c"
if [ -n "$clang" ] && [ -r /sys/kernel/btf/vmlinux ] && command -v bpftool >/dev/null 2>&1 &&
   bpftool btf dump file /sys/kernel/btf/vmlinux format c >"$WORK/vmlinux.h" 2>/dev/null &&
   "$clang" -O2 -g -target bpf -D__TARGET_ARCH_x86 -I"$WORK" -I"$MULTIARCH_INC" -c "$src" \
	-o "$WORK/vmlinux.clang.o" 2>/dev/null; then
	"$DUMP" "$WORK/vmlinux.clang.o" | sort -u >"$WORK/vmlinux.clang"
	if ! "$EBPF_CC" -O2 -g -fno-verify -D__TARGET_ARCH_x86 -I"$WORK" -I"$MULTIARCH_INC" \
		-c "$src" -o "$WORK/vmlinux.o"; then
		echo "FAIL core_vmlinux: ebpf-cc failed"; fail=1
	else
		"$DUMP" "$WORK/vmlinux.o" | sort -u >"$WORK/vmlinux.ours"
		if ! diff -u "$WORK/vmlinux.clang" "$WORK/vmlinux.ours"; then
			echo "FAIL core_vmlinux: records differ from $clang's"; fail=1
		else
			n=$(wc -l <"$WORK/vmlinux.ours")
			count=$((count + n))
			echo "ok core_vmlinux: $n records as $clang"
		fi
	fi
else
	echo "note: core_vmlinux skipped (needs clang, bpftool and /sys/kernel/btf/vmlinux)"
fi
echo "records compared: $count"
exit $fail
