#!/bin/sh
# driver.sh - ebpf-cc's command line: BPF target macros without host ones (-E),
# -D/-U/-I/-include forwarding, dependency files for make (-MD/-MMD/-MF/-MT), default
# output names, usage errors (exit 2), and a Makefile that uses CC=ebpf-cc.
. "$top_srcdir/tests/cc/lib.sh"
fail=0
check() { if eval "$2"; then echo "ok $1"; else echo "FAIL $1"; fail=1; fi; }

cat > "$WORK/m.c" <<'SRC'
#include "m.h"
#if defined(__bpf__) && defined(__BPF__) && __SIZEOF_LONG__ == 8 && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__LITTLE_ENDIAN__)
int target_ok = 1;
#endif
#if defined(__x86_64__) || defined(__i386__) || defined(__aarch64__) || defined(__linux__)
int host_leak = 1;
#endif
int value = VALUE;
#ifdef GONE
int gone = 1;
#endif
SRC
echo '#define FROM_HEADER 1' > "$WORK/m.h"
mkdir -p "$WORK/inc" && echo '#define INCLUDED 7' > "$WORK/inc/pre.h"

cd "$WORK" || exit 1
"$EBPF_CC" -E -DVALUE=42 -DGONE -UGONE m.c > m.i
check "preprocess: BPF macros defined" "grep -q 'int target_ok = 1;' m.i"
check "preprocess: no host macros" "! grep -q host_leak m.i"
check "preprocess: -D and -U" "grep -q 'int value = 42;' m.i && ! grep -q 'int gone' m.i"
check "preprocess: line markers kept" "grep -q '^# [0-9]* \"m.c\"' m.i"
"$EBPF_CC" -E -I inc -include pre.h -DVALUE=INCLUDED m.c > m2.i
check "preprocess: -I and -include" "grep -q 'int value = 7;' m2.i"

"$EBPF_CC" -target bpf -O2 -g -Wall -c -DVALUE=1 -MD m.c
check "default output name m.o" "[ -s m.o ]"
check "-MD writes m.d for target m.o" "grep -q '^m.o: m.c m.h' m.d"
"$EBPF_CC" -c -DVALUE=1 -MMD -MF deps.mk -MT custom.o m.c -o other.o
check "-MMD -MF -MT" "grep -q '^custom.o: m.c m.h' deps.mk && ! grep -q 'stdc' deps.mk"
printf '#include <linux/types.h>\n' > sys_only.c
"$EBPF_CC" -nostdinc -E sys_only.c > /dev/null 2>&1; rc=$?
check "-nostdinc: no system directories" "[ $rc -eq 1 ]"
"$EBPF_CC" -nostdinc -isystem /usr/include -isystem "$MULTIARCH_INC" -E sys_only.c > sys_only.i
check "-nostdinc with -isystem" "grep -q '__u32;' sys_only.i"
mkdir -p objdir
"$EBPF_CC" -c -DVALUE=1 -MD m.c -o objdir/m.o
check "-MD writes the .d beside the object" "grep -q '^objdir/m.o: m.c m.h' objdir/m.d"
"$EBPF_CC" -MM -DVALUE=1 m.c > mm.txt
check "-MM prints the rule and nothing else" "[ \"\$(cat mm.txt)\" = 'm.o: m.c m.h' ]"
"$EBPF_CC" -MM -MP -DVALUE=1 m.c -o mp.d
check "-MM -MP -o: phony rules for headers, as gcc writes them" \
	"[ \"\$(cat mp.d)\" = \"\$(printf 'm.o: m.c m.h\\nm.h:')\" ]"
"$EBPF_CC" -M -DVALUE=1 -I inc -include pre.h m.c > m_all.txt
check "-M lists -include files" "grep -q '^m.o: m.c inc/pre.h m.h' m_all.txt"

"$EBPF_CC" -c --no-such-flag m.c 2>err.txt; rc=$?
check "unknown flag exits 2" "[ $rc -eq 2 ] && grep -q \"unknown argument: '--no-such-flag'\" err.txt"
"$EBPF_CC" -c 2>err.txt; rc=$?
check "no input exits 2" "[ $rc -eq 2 ] && grep -q 'no input files' err.txt"
"$EBPF_CC" --version | grep -q ebpf-cc; check "--version" "[ $? -eq 0 ]"
echo 'int f(void) { return missing; }' > bad.c
"$EBPF_CC" -c bad.c -o bad.o 2>/dev/null; rc=$?
check "error: exit 1 and no output file" "[ $rc -eq 1 ] && [ ! -e bad.o ]"

printf 'int f(int a)\n{\n\tint unused_one;\n\treturn a;\n}\n' > unused.c
"$EBPF_CC" -Wall -c unused.c -o unused.o 2>err.txt; rc=$?
check "-Wall: clang's unused-variable warning" \
	"[ $rc -eq 0 ] && grep -q \"^unused.c:3:6: warning: unused variable 'unused_one' \[-Wunused-variable\]\$\" err.txt"
"$EBPF_CC" -Wall -Werror -c unused.c -o unused2.o 2>err.txt; rc=$?
check "-Werror: the warning is an error, no output" \
	"[ $rc -eq 1 ] && [ ! -e unused2.o ] && grep -q 'error: unused variable .unused_one. \[-Werror,-Wunused-variable\]' err.txt"

cp "$top_srcdir/tests/cc/diagnostics/verifier.c" unchecked.c
"$EBPF_CC" -O2 -c unchecked.c -o unchecked.o 2>/dev/null; rc=$?
check "verifier rejection fails the compile" "[ $rc -eq 1 ] && [ ! -e unchecked.o ]"
"$EBPF_CC" -O2 -fno-verify -c unchecked.c -o unchecked.o
check "-fno-verify skips verification" "[ -s unchecked.o ]"

if command -v ccache >/dev/null 2>&1; then
	export CCACHE_DIR="$WORK/ccache"
	ccache "$EBPF_CC" -O2 -g -c "$PROGS/globals.bpf.c" -o cached1.o &&
	ccache "$EBPF_CC" -O2 -g -c "$PROGS/globals.bpf.c" -o cached2.o
	check "ccache: second compile is a hit with the same object" \
		"cmp -s cached1.o cached2.o && ccache -s | grep -q 'Hits: *1 '"
fi

if command -v make >/dev/null 2>&1; then
	cp "$PROGS/globals.bpf.c" prog.bpf.c
	printf 'prog.bpf.o: prog.bpf.c\n\t$(CC) $(CFLAGS) -c $< -o $@\n' > Makefile
	make -s CC="$EBPF_CC" CFLAGS="-O2 -g -target bpf" prog.bpf.o >/dev/null 2>&1
	check "CC=ebpf-cc in a Makefile" "[ -s prog.bpf.o ]"
fi
# compile-time verification resolves CO-RE relocations against the emulated kernel's
# BTF first: a program reading task_struct through a local preserve_access_index header
# (offsets that differ from the kernel's) must verify
core_src="$top_srcdir/tests/run/core"
"$EBPF_CC" -O2 -g -D__TARGET_ARCH_x86 -I"$core_src" -c "$core_src/btf_ptr.bpf.c" -o core.o 2>core.err
check "verification after CO-RE relocation" "[ -s core.o ] && [ ! -s core.err ]"

exit $fail
