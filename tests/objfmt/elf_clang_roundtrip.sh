#!/bin/sh
# elf_clang_roundtrip.sh - compile BPF programs with the installed clang (several flag
# sets, and clang-19 -mcpu=v4 when present) and check read->write->read identity,
# byte-identical sections and clang's layout on each object (elf_roundtrip).
srcdir=$(dirname "$0")
. "$srcdir/../lib/skip.sh"
require_tool clang
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT

# A program with what the reference objects lack: strings in .rodata.str1.1, a weak
# global, an extern kfunc and a __ksym variable (undefined symbols), static .data.
cat >"$work/externs.bpf.c" <<'PROGRAM'
#include "bpf_defs.h"
extern int bpf_fake_kfunc(int value) __attribute__((section(".ksyms")));
extern const int fake_ksym __attribute__((section(".ksyms"), weak));
static int calls = 3;
__attribute__((weak)) int tunable = 9;
SEC("socket")
int strings(void *ctx)
{
	bpf_trace_printk("calls %d\n", 10, calls++);
	bpf_trace_printk("tunable %d\n", 12, tunable);
	return bpf_fake_kfunc(&fake_ksym != 0);
}
char LICENSE[] SEC("license") = "GPL";
PROGRAM
cp "$srcdir"/data/*.bpf.c "$srcdir/data/bpf_defs.h" "$work/"

status=0
checked=0
run() { # compiler flags...
	compiler=$1
	shift
	for source in "$work"/*.bpf.c; do
		# CO-RE builtins need -g (clang refuses them without debug info)
		case " $* " in
		*" -g "*) ;;
		*) ! grep -q __builtin_preserve "$source" || continue ;;
		esac
		object="$work/$(basename "$source" .bpf.c)$(echo "$*" | tr -d ' =-').o"
		if ! "$compiler" -target bpf -c "$source" -o "$object" "$@" 2>"$work/cc.err"; then
			echo "FAIL: $compiler $* $source does not compile:"
			cat "$work/cc.err"
			status=1
			continue
		fi
		if ./elf_roundtrip "$object" "$object.out"; then
			checked=$((checked + 1))
		else
			status=1
		fi
	done
}
run clang -O2 -g
run clang -O2
run clang -O0 -g
run clang -O2 -g -mcpu=v3
if command -v clang-19 >/dev/null 2>&1; then
	run clang-19 -O2 -g -mcpu=v4
fi
echo "elf_clang_roundtrip: $checked objects round-tripped"
exit $status
