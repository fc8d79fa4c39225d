#!/bin/sh
# cpp_directed.sh - the integrated preprocessor on directed cases: tricky macro
# replacement (cpp/macros.c against tokens checked with gcc -E), its diagnostics
# (FILE:LINE:COL as gcc reports them), include guards, #pragma once, #include_next,
# __has_* answered as clang -target bpf answers, SOURCE_DATE_EPOCH, and the switch
# back to the system preprocessor.
. "$top_srcdir/tests/cc/lib.sh"
TOK="$top_srcdir/tests/cc/cpp_tokens.awk"
CASES="$top_srcdir/tests/cc/cpp"
fail=0
check() { if eval "$2"; then echo "ok $1"; else echo "FAIL $1"; fail=1; fi; }
cd "$WORK" || exit 1
have_gcc=false
command -v gcc >/dev/null 2>&1 && have_gcc=true

cp "$CASES/macros.c" macros.c
"$EBPF_CC" -E macros.c > ours.i && awk -f "$TOK" ours.i > ours.tok
check "macro cases: the expected tokens" "cmp -s ours.tok '$CASES/macros.expected'"
if $have_gcc; then
	"$EBPF_CC" -no-integrated-cpp -E macros.c > gcc.i && awk -f "$TOK" gcc.i > gcc.tok
	check "macro cases: gcc -E gives the expected tokens too" \
		"cmp -s gcc.tok '$CASES/macros.expected'"
	check "macro cases: the same text as gcc -E, byte for byte" "cmp -s ours.i gcc.i"
fi
check "#pragma from _Pragma on a line of its own" "grep -q '^#pragma unroll\$' ours.i"
if $have_gcc; then
	cp "$CASES/edge.c" edge.c
	"$EBPF_CC" -E edge.c > edge.i 2>/dev/null
	"$EBPF_CC" -no-integrated-cpp -E edge.c > edge_gcc.i 2>/dev/null
	check "more corners (cpp/edge.c): the same text as gcc -E" "cmp -s edge.i edge_gcc.i"
fi

# digraphs, #pragma push_macro/pop_macro and -dD: the values asserted here were
# checked with gcc -E, which (when installed) must also give the same text
printf '#if 1 ## 2\n#endif\n#if (1 %%:%%: 2)\n#endif\n#if "s"\n#endif\n#if 1 x\n#endif\n' > badif.c
"$EBPF_CC" -E badif.c > /dev/null 2> err.txt
check "#if: tokens no expression may hold, as gcc names them" \
	"grep -qx 'badif.c:1:7: error: token \"##\" is not valid in preprocessor expressions' err.txt &&
	 grep -qx 'badif.c:3:8: error: token \"%:%:\" is not valid in preprocessor expressions' err.txt &&
	 grep -qx 'badif.c:5:5: error: token \"\"s\"\" is not valid in preprocessor expressions' err.txt &&
	 grep -qx 'badif.c:7:7: error: missing binary operator before token \"x\"' err.txt"
printf 'int x;\n' > plain.c
for c in digraphs push_pop; do
	cp "$CASES/$c.c" $c.c
	"$EBPF_CC" -E $c.c > $c.i 2> $c.err
done
check "digraphs: spelled as written, %: stringizes and %:%: pastes" \
	"grep -qx '\"<:\" \"%:\" \"<:\" xy <:' digraphs.i &&
	 grep -qx '<: %> %:%: \"%:\" \"<::>\"' digraphs.i &&
	 grep -qx 'a %:b %: %:c %: %:' digraphs.i && grep -qx 'int a<:3:> = <%1%>;' digraphs.i"
check "digraphs: %:define, %:if, %:else, %:endif are directives, %:%: is not" \
	"grep -qx 1 digraphs.i && grep -qx digraph_ifdef_taken digraphs.i &&
	 ! grep -q 'not reached\\|not a directive\\|define FOO' digraphs.i && [ ! -s digraphs.err ]"
check "push_macro/pop_macro: definitions restored newest first, per name" \
	"[ \"\$(grep = push_pop.i | tr '\\n' ' ')\" = 'x_inner=2 x_outer=1 y_defined=3 y_undefined=Y x_none=X x_one=1 x_two=1 x_three=1 f_two=[1 2] f_one=(2 +1) x_wide=1 ' ]"
cp "$CASES/dump_defines.c" "$CASES/dump_defines.h" .
"$EBPF_CC" -E -dD dump_defines.c > dump.i 2> dump.err
check "-dD: #define and #undef lines where they were, as gcc -dD spells them" \
	"grep -qx '#define F(x,y) x ## y + #x' dump.i && grep -qx '#define SP a b' dump.i &&
	 grep -qx '#undef NEVER' dump.i && grep -qx '#define DUMP_DEFINES_H ' dump.i &&
	 grep -qx '#define DG(x) #x <: x ## x' dump.i && grep -qx 'A 12 + \"1\"' dump.i &&
	 ! grep -q SKIPPED dump.i && [ \"\$(sed -n 2,3p dump.i | tr '\\n' ' ')\" = '# 0 \"<built-in>\" #define __STDC__ 1 ' ]"
"$EBPF_CC" -E dump_defines.c > nodump.i 2>/dev/null
check "without -dD no directive is printed" "! grep -q '^#define\\|^#undef' nodump.i"
printf '#pragma push_macro(X)\n#pragma pop_macro("X" "Y")\n' > badpush.c
"$EBPF_CC" -E badpush.c > /dev/null 2> err.txt; rc=$?
check "malformed push_macro/pop_macro: gcc's errors and positions" \
	"[ $rc -eq 1 ] && grep -qx 'badpush.c:1:20: error: invalid #pragma push_macro directive' err.txt &&
	 grep -qx 'badpush.c:1:21: warning: extra tokens at end of #pragma directive' err.txt &&
	 grep -qx 'badpush.c:2:23: error: invalid #pragma pop_macro directive' err.txt"
if $have_gcc; then
	for c in digraphs push_pop; do
		"$EBPF_CC" -no-integrated-cpp -E $c.c > ${c}_gcc.i 2>/dev/null
		check "$c.c: the same text as gcc -E" "cmp -s $c.i ${c}_gcc.i"
	done
	"$EBPF_CC" -no-integrated-cpp -E -dD dump_defines.c > dump_gcc.i 2>/dev/null
	check "-dD: the same text as gcc -E -dD, predefined macros included" "cmp -s dump.i dump_gcc.i"
	"$EBPF_CC" -E -dD -DONE=1 -UONE -DTWO -O2 plain.c > cmd.i 2>/dev/null
	"$EBPF_CC" -no-integrated-cpp -E -dD -DONE=1 -UONE -DTWO -O2 plain.c > cmd_gcc.i 2>/dev/null
	check "-dD: -D/-U in <command-line> as gcc -dD shows them" \
		"grep -qx '#undef ONE' cmd.i && cmp -s cmd.i cmd_gcc.i"
fi
"$EBPF_CC" -c plain.c -o plain.o && "$EBPF_CC" -dD -c plain.c -o plain_dd.o
check "-dD does not change an object" "cmp -s plain.o plain_dd.o"

check "#pragma clang attribute passed through" \
	"grep -q '^#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\$' ours.i"

# diagnostics, with gcc's positions
printf '#if 1\n#error stop here\n#endif\n' > err.c
"$EBPF_CC" -c err.c -o err.o 2> err.txt; rc=$?
check "#error: exit 1, no object, message at the directive" \
	"[ $rc -eq 1 ] && [ ! -e err.o ] && grep -q '^err.c:2:2: error: #error stop here\$' err.txt"
printf '#warning careful\nint x;\n' > warn.c
"$EBPF_CC" -E warn.c > warn.i 2> err.txt; rc=$?
check "#warning: a warning only" \
	"[ $rc -eq 0 ] && grep -q '^warn.c:1:2: warning: #warning careful\$' err.txt && grep -q 'int x;' warn.i"
printf '#include <no_such_header.h>\n' > missing.c
"$EBPF_CC" -E missing.c > /dev/null 2> err.txt; rc=$?
check "missing header: fatal error at the header name" \
	"[ $rc -eq 1 ] && grep -q '^missing.c:1:10: fatal error: no_such_header.h: No such file or directory\$' err.txt"
mkdir -p hh
printf '#include "inner.h"\n' > hh/outer.h
printf 'int a;\n#error inner problem\n' > hh/inner.h
printf 'int x;\n#include "hh/outer.h"\n' > top.c
"$EBPF_CC" -E top.c > /dev/null 2> err.txt
check "an error in a header names the include chain" \
	"[ \"\$(head -3 err.txt)\" = \"\$(printf 'In file included from hh/outer.h:1,\\n                 from top.c:2:\\nhh/inner.h:2:2: error: #error inner problem')\" ]"
printf 'int a;\n#ifdef A\nint b;\n' > open.c
"$EBPF_CC" -E open.c > /dev/null 2> err.txt; rc=$?
check "unterminated #ifdef" "[ $rc -eq 1 ] && grep -q '^open.c:2:2: error: unterminated #ifdef\$' err.txt"
printf '#define two(a, b) a b\ntwo(1)\n' > args.c
"$EBPF_CC" -E args.c > /dev/null 2> err.txt; rc=$?
check "argument count" \
	"[ $rc -eq 1 ] && grep -q 'args.c:2:6: error: macro \"two\" requires 2 arguments, but only 1 given' err.txt"

# include guards, #pragma once, #include_next, -I order
mkdir -p first second
printf '#ifndef GUARD_H\n#define GUARD_H\nint guarded;\n#endif\n' > guard.h
printf '#pragma once\nint once_only;\n' > once.h
printf '/* guard written as #if */\n#if !defined(IF_GUARD_H) // c\n#define IF_GUARD_H\nint if_guarded;\n#endif\n' > if_guard.h
printf '#include_next <next.h>\nint from_first;\n' > first/next.h
printf 'int from_second;\n' > second/next.h
printf '#include "guard.h"\n#include "guard.h"\n#include "once.h"\n#include "once.h"\n#include <next.h>\n#include "if_guard.h"\n#include "if_guard.h"\n' > inc.c
"$EBPF_CC" -E -I first -I second inc.c > inc.i
check "include guard: the header's text once" "[ \$(grep -c 'int guarded;' inc.i) -eq 1 ]"
check "#pragma once: the header's text once" "[ \$(grep -c 'int once_only;' inc.i) -eq 1 ]"
check "#if !defined guard: entered once (no second marker)" "[ \$(grep -c '\"if_guard.h\" 1\$' inc.i) -eq 1 ]"
check "#include_next reaches the next directory" \
	"grep -q 'int from_second;' inc.i && grep -q 'int from_first;' inc.i"
if $have_gcc; then
	"$EBPF_CC" -no-integrated-cpp -E -I first -I second inc.c > inc_gcc.i
	check "include cases: the same text as gcc -E" "cmp -s inc.i inc_gcc.i"
fi

# a system header's macros used from user code: markers note each change between
# system-header and user tokens (flags "3 4"), as gcc -E writes them
mkdir -p sysinc
printf '#define CAT(a,b) a##b\n#define STR(a) #a\n#define DECL(n) int CAT(v_,n) = STR(n)[0];\n#define MIX(x) x + CAT(x,1) + y##x\n' > sysinc/s.h
printf '#include <s.h>\nDECL(foo)\nint q = MIX(z);\nint r = CAT(ab, cd) STR(k);\n' > sys.c
"$EBPF_CC" -isystem sysinc -E sys.c > sys.i
check "-isystem header: system flags on its markers" "grep -q '^# 1 \"sysinc/s.h\" 1 3 4\$' sys.i"
# the same header by its path (a user header) and through -isystem (a system one)
printf '#ifndef TWICE\n#define TWICE\n#include <s2.h>\n#endif\nint after;\n' > sysinc/s2.h
printf '#include "sysinc/s2.h"\nint user;\n' > sys2.c
"$EBPF_CC" -isystem sysinc -E sys2.c > sys2.i
check "system-ness belongs to the inclusion, not the file" \
	"grep -q '^# 4 \"sysinc/s2.h\" 2\$' sys2.i"
if $have_gcc; then
	"$EBPF_CC" -no-integrated-cpp -isystem sysinc -E sys.c > sys_gcc.i
	check "system-header macros: the same text as gcc -E" "cmp -s sys.i sys_gcc.i"
	"$EBPF_CC" -no-integrated-cpp -isystem sysinc -E sys2.c > sys2_gcc.i
	check "a header both user and system: the same text as gcc -E" "cmp -s sys2.i sys2_gcc.i"
fi

# __has_include / __has_builtin / __has_attribute: what ebpf-cc supports answers 1,
# as clang -target bpf answers for the same names
cat > has.c <<'SRC'
#if __has_include(<linux/bpf.h>) && !__has_include("no_such_header.h")
int has_include_ok;
#endif
#if __has_builtin(__builtin_memcpy) && __has_builtin(__builtin_preserve_access_index) && __has_builtin(__builtin_bswap32)
int has_builtin_ok;
#endif
#if __has_attribute(preserve_access_index) && __has_attribute(__always_inline__) && __has_attribute(section)
int has_attribute_ok;
#endif
#if defined(__has_feature) && __has_feature(c_static_assert)
int has_feature_ok;
#endif
SRC
"$EBPF_CC" -E has.c > has.i
check "__has_* answers" "[ \$(grep -c '_ok;' has.i) -eq 4 ]"
for c in clang clang-19; do
	command -v $c >/dev/null 2>&1 || continue
	$c -target bpf -E has.c > has_clang.i 2>/dev/null
	check "__has_* answers agree with $c -target bpf" "[ \$(grep -c '_ok;' has_clang.i) -eq 4 ]"
	break
done

# __DATE__/__TIME__ fixed by SOURCE_DATE_EPOCH (reproducible builds)
printf 'const char *d = __DATE__, *t = __TIME__;\n' > date.c
printf 'int line = __LINE__;\n' > line.c
SOURCE_DATE_EPOCH=86461 "$EBPF_CC" -E date.c > date.i
check "SOURCE_DATE_EPOCH sets __DATE__ and __TIME__" \
	"grep -q 'd = \"Jan  2 1970\", \\*t = \"00:01:01\";' date.i"

# -dM: the definitions in gcc's spelling (order aside); standard input as the source
"$EBPF_CC" -dM -E - < /dev/null > dm_empty.txt
check "-dM -E - < /dev/null: the BPF target's macros" \
	"grep -qx '#define __bpf__ 1' dm_empty.txt && grep -qx '#define __BPF_CPU_VERSION__ 3' dm_empty.txt && ! grep -q __x86_64__ dm_empty.txt"
if $have_gcc; then
	"$EBPF_CC" -dM -E macros.c | sort > dm_ours.txt
	"$EBPF_CC" -no-integrated-cpp -dM -E macros.c | sort > dm_gcc.txt
	check "-dM: the same definitions as gcc -dM" "cmp -s dm_ours.txt dm_gcc.txt"
	"$EBPF_CC" -E - < macros.c > stdin_ours.i
	"$EBPF_CC" -no-integrated-cpp -E - < macros.c > stdin_gcc.i
	check "standard input: the same text as gcc -E -" "cmp -s stdin_ours.i stdin_gcc.i"
fi

# -no-integrated-cpp and EBPF_CC_CPP run the system preprocessor instead
EBPF_CC_CPP=/bin/false "$EBPF_CC" -c line.c -o viafalse.o 2>/dev/null; rc=$?
check "EBPF_CC_CPP selects the system preprocessor" "[ $rc -ne 0 ] && [ ! -e viafalse.o ]"
"$EBPF_CC" -c line.c -o integrated.o
check "the integrated preprocessor is the default" "[ -s integrated.o ]"
exit $fail
