#!/bin/sh
# ksym.sh - kfuncs and kernel variables declared `extern ... __ksym` (ld/load_ksym.c):
# objects built by ebpf-cc and (when installed) clang from ksym/*.bpf.c get the
# verdicts of ksym/*.verdicts from the emulator on the host's BTF and on its built-in
# one, and, as root, from the real kernel through the same loader (--kernel); their
# relocated instructions equal those the system libbpf loads; missing __weak externs
# and a typed variable are patched as libbpf patches them (ids from bpftool); kfuncs
# and variables of a module (made-up split BTF) go through PROG_LOAD's fd_array;
# typeless ksyms get /proc/kallsyms addresses.
# ebpf-cc compiles with -fno-verify: its compile-time verifier refuses the rejected
# cases. Parts whose oracle is missing are skipped; everything skipped: exit 77.
set -u
build=${top_builddir:-../..}
srcdir="${top_srcdir:-../..}/tests/ld/ksym"
run="$build/run/ebpf-run"
insns="$build/tests/ld/core_insns"
clang=${CLANG:-clang}
multiarch=$(cc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0 checks=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; checks=$((checks + 1)); }

compilers="ebpf-cc"
command -v "$clang" >/dev/null 2>&1 && compilers="$compilers clang"
for source in kfunc_calls kfunc_cases ksym_var module_kfunc ksym_typeless; do
	for compiler in $compilers; do
		out="$work/$source.$compiler.o"
		if [ "$compiler" = clang ]; then
			"$clang" -O2 -g -target bpf -I"/usr/include/$multiarch" \
				-c "$srcdir/$source.bpf.c" -o "$out"
		else
			"$build/cc/ebpf-cc" -O2 -g -fno-verify -I"/usr/include/$multiarch" \
				-c "$srcdir/$source.bpf.c" -o "$out"
		fi || fail "$compiler cannot compile $source.bpf.c"
	done
done

# the verdict lines of a --verify-only report
verdicts() { "$run" "$@" --verify-only --no-insn-counts 2>/dev/null | grep '^program\|verifier:'; }

kernel_ok=false
[ "$(id -u)" = 0 ] && verdicts "$work/kfunc_calls.ebpf-cc.o" --kernel >/dev/null && kernel_ok=true
for source in kfunc_calls kfunc_cases; do
	for compiler in $compilers; do
		object="$work/$source.$compiler.o"
		[ -f "$object" ] || continue
		for btf in host builtin kernel; do
			case $btf in
			host) [ -r /sys/kernel/btf/vmlinux ] || continue
			      verdicts "$object" >"$work/got" ;;
			builtin) EBPF_EMU_KERNEL_BTF=builtin verdicts "$object" >"$work/got" ;;
			kernel) $kernel_ok || continue
				verdicts "$object" --kernel >"$work/got" ;;
			esac
			if diff -u "$srcdir/$source.verdicts" "$work/got"; then
				pass "$source ($compiler), $btf: $(grep -c '^program' "$work/got") verdicts"
			else
				fail "$source ($compiler), $btf: verdicts differ"
			fi
		done
	done
done

# relocated instructions: libbpf's (it loads the object into the kernel) against ours
if [ -r /sys/kernel/btf/vmlinux ] && [ -f /usr/include/bpf/libbpf.h ] && $kernel_ok &&
	cc -o "$work/libbpf_insns" "$srcdir/../libbpf_insns.c" -lbpf 2>/dev/null; then
	for object in "$work"/kfunc_calls.*.o "$work"/ksym_typeless.*.o; do
		name=$(basename "$object" .o)
		"$work/libbpf_insns" "$object" >"$work/libbpf.txt" 2>"$work/libbpf.err"
		"$insns" "$object" >"$work/ours.txt" || fail "core_insns $object"
		if [ -s "$work/libbpf.txt" ] && diff -u "$work/libbpf.txt" "$work/ours.txt"; then
			pass "$name: $(grep -c : "$work/ours.txt") instructions as libbpf"
		else
			cat "$work/libbpf.err"
			fail "$name: relocated instructions differ from libbpf's"
		fi
	done
else
	echo "SKIP: libbpf comparison (needs root, libbpf-dev and the kernel's BTF)"
fi

# the libbpf object API: ours (the emulated kernel, on the host's BTF) and the system's
top_srcdir=${top_srcdir:-../..}
if [ -r /sys/kernel/btf/vmlinux ] && $kernel_ok &&
	cc -o "$work/system_user" "$srcdir/ksym_user.c" -lbpf 2>/dev/null; then
	${CC:-cc} ${SAN_CFLAGS:-} ${SAN_LDFLAGS:-} -I"$top_srcdir/include" -o "$work/our_user" \
		"$srcdir/ksym_user.c" "$build/ld/libebpfload.a" "$build/kernel/libebpfemu.a" \
		"$build/objfmt/libobjfmt.a" -lelf -lz -lm || fail "build ksym_user against ours"
	for compiler in $compilers; do
		"$work/system_user" "$work/kfunc_calls.$compiler.o" >"$work/system.txt" 2>/dev/null
		"$work/our_user" "$work/kfunc_calls.$compiler.o" >"$work/our.txt" 2>/dev/null
		if grep -q "^load: 0" "$work/system.txt" && diff -u "$work/system.txt" "$work/our.txt"; then
			pass "kfunc_calls ($compiler): libbpf API loads as the system libbpf"
		else
			fail "kfunc_calls ($compiler): libbpf API differs from the system libbpf"
		fi
	done
else
	echo "SKIP: libbpf API comparison (needs root, libbpf-dev and the kernel's BTF)"
fi

# exact patches against the host's BTF, its ids read by bpftool
if [ -r /sys/kernel/btf/vmlinux ] && command -v bpftool >/dev/null 2>&1; then
	bpftool btf dump file /sys/kernel/btf/vmlinux >"$work/vmlinux.txt"
	id_of() { sed -n "s/^\[\([0-9]*\)\] $1 '$2' .*/\1/p" "$work/vmlinux.txt"; }
	from_pid=$(id_of FUNC bpf_task_from_pid) runqueues=$(id_of VAR runqueues)
	for compiler in $compilers; do
		"$insns" "$work/kfunc_cases.$compiler.o" >"$work/cases.txt" || fail "core_insns cases"
		# weak_reached calls the poisoned kfunc: libbpf's 2002000000 + its extern index
		# (0: first by name); weak_var's ld_imm64 loads 0; calls name the kernel's FUNC
		awk '/^program/ { p = $2 } p == "weak_reached" && / 85 0 0 0 2002000000$/ { n++ }
		     p == "weak_var" && /: 18 [0-9] 0 0 0$/ { n++ }
		     END { exit n != 2 }' "$work/cases.txt" &&
		grep -q ": 85 0 2 0 $from_pid\$" "$work/cases.txt" &&
			pass "kfunc_cases ($compiler): weak externs patched, bpf_task_from_pid is [$from_pid]" ||
			fail "kfunc_cases ($compiler): patched instructions"
		if [ -n "$runqueues" ]; then
			"$insns" "$work/ksym_var.$compiler.o" >"$work/var.txt" || fail "core_insns var"
			grep -q "^0: 18 [0-9] 3 0 $runqueues\$" "$work/var.txt" &&
				pass "ksym_var ($compiler): ld_imm64 BPF_PSEUDO_BTF_ID of VAR [$runqueues]" ||
				fail "ksym_var ($compiler): ld_imm64 of runqueues"
		fi
	done
else
	echo "SKIP: patch check (needs the kernel's BTF and bpftool)"
fi

# a kfunc and a variable only a module has (core_module_btf's modfoo: FUNC [10], VAR
# [11]): off indexes PROG_LOAD's fd_array slot of the module's BTF fd, the ld_imm64
# carries that fd, as libbpf sends them; without the module, the error names both
mods="$work/mods"
mkdir "$mods" && "$build/tests/ld/core_module_btf" "$mods" || fail "core_module_btf"
if command -v bpftool >/dev/null 2>&1; then
	bpftool -B "$mods/vmlinux" btf dump file "$mods/modfoo" >"$work/modfoo.txt"
	grep -q "^\[10\] FUNC 'modfoo_kfunc' type_id=8 linkage=static" "$work/modfoo.txt" &&
		grep -q "^\[11\] VAR 'modfoo_counter'" "$work/modfoo.txt" ||
		fail "bpftool reads modfoo's kfunc and variable elsewhere"
fi
printf '%s\n' "0: 18 src 3 off 0 imm 11, btf fd: modfoo" \
	"2: 85 src 2 off 1 imm 10, fd_array slot: modfoo" \
	"5: 85 src 2 off 1 imm 10, fd_array slot: modfoo" >"$work/module.expected"
for compiler in $compilers; do
	object="$work/module_kfunc.$compiler.o"
	"$build/tests/ld/ksym_module" "$mods" "$object" >"$work/module.txt" &&
		diff -u "$work/module.expected" "$work/module.txt" &&
		pass "module_kfunc ($compiler): module kfunc and variable through fd_array" ||
		fail "module_kfunc ($compiler)"
done
mkdir "$work/vmlinux_only" && cp "$mods/vmlinux" "$work/vmlinux_only/"
"$build/tests/ld/ksym_module" "$work/vmlinux_only" "$work/module_kfunc.ebpf-cc.o" 2>"$work/err"
grep -q "extern (var ksym) 'modfoo_counter': not found in kernel or module BTF" "$work/err" &&
	pass "a variable in no module is refused" || { cat "$work/err"; fail "kfunc in no module"; }

# typeless ksyms: the address /proc/kallsyms lists, 0 for a missing weak one; the
# kernel's run the same
text=$(sed -n 's/^\([0-9a-f]*\) [Tt] _stext$/\1/p' /proc/kallsyms 2>/dev/null | head -1)
if [ -n "$text" ] && [ "$text" != 0000000000000000 ]; then
	want="    { .text_address = $(printf '%u' "0x$text") }"
	for compiler in $compilers; do
		object="$work/ksym_typeless.$compiler.o"
		"$run" "$object" --data-hex 000000000000000000000000000000 >"$work/typeless.txt"
		grep -qx -- "$want" "$work/typeless.txt" &&
			grep -qx "    { .missing_address = 0 }" "$work/typeless.txt" &&
			pass "ksym_typeless ($compiler): _stext at 0x$text, the missing one 0" ||
			{ cat "$work/typeless.txt"; fail "ksym_typeless ($compiler)"; }
		if $kernel_ok; then
			"$run" "$object" --compare --data-hex 000000000000000000000000000000 >/dev/null &&
				pass "ksym_typeless ($compiler): emulator and kernel agree" ||
				fail "ksym_typeless ($compiler): --compare"
		fi
	done
else
	echo "SKIP: typeless ksyms (no _stext address in /proc/kallsyms)"
fi

# a strong kfunc the kernel lacks is an error naming it
sed 's/__ksym __weak;/__ksym;/' "$srcdir/kfunc_cases.bpf.c" >"$work/strong.bpf.c"
cp "$srcdir/ksym.h" "$work/"
"$build/cc/ebpf-cc" -O2 -g -fno-verify -I"/usr/include/$multiarch" -c "$work/strong.bpf.c" -o "$work/strong.o" &&
EBPF_EMU_KERNEL_BTF=builtin "$run" "$work/strong.o" --verify-only >/dev/null 2>"$work/err"
grep -q "strong.o: extern (func ksym) 'bpf_kfunc_not_in_any_kernel': not found in kernel BTF" \
	"$work/err" && pass "a missing strong kfunc is refused" ||
	{ cat "$work/err"; fail "missing strong kfunc message"; }

[ $failures -eq 0 ] || exit 1
[ $checks -gt 0 ] || exit 77
exit 0
