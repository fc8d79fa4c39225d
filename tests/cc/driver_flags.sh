#!/bin/sh
# driver_flags.sh - clang options that BPF projects' Makefiles pass (libbpf-bootstrap,
# libbpf-tools, cilium, xdp-tools): ebpf-cc takes each with clang-19's meaning or
# refuses it with "unsupported option", never accepts it with another meaning.
# Oracle: clang-19 -target bpf (warnings shown per warning option, -std= macros,
# options it accepts); SKIP (77) without clang-19.
. "$top_srcdir/tests/cc/lib.sh"
CLANG19=${CLANG19:-clang-19}
command -v "$CLANG19" >/dev/null 2>&1 || { echo "SKIP: no clang-19"; exit 77; }
fail=0 checks=0
ok() { echo "ok $1"; checks=$((checks + 1)); }
bad() { echo "FAIL $1"; fail=1; }
cd "$WORK" || exit 1

cat >prog.c <<'SRC'
#define SEC(name) __attribute__((section(name), used))
struct ctx { unsigned data, data_end; };
static count = 1;
int __attribute__((frobnicate)) tagged;
SEC("xdp") int prog(struct ctx *c)
{
	int unused;
	unsigned len = c->data_end - c->data;
	if (len < 64)
		return count + 1;
	return (signed char)len > 3 ? 2 : 1;
}
char LICENSE[] SEC("license") = "GPL";
SRC

# The diagnostics of a compile with the warnings ebpf-cc has, sorted.
diagnostics() {
	grep -E ': (warning|error): ' | grep -E 'unknown-attributes|unused-variable|implicit-int' |
		sed 's/^[^ ]*prog.c/prog.c/' | sort
}

# 1. which warning is shown, and as what, for each set of warning options
while read -r options; do
	"$CLANG19" -target bpf -O2 -c prog.c -o clang.o $options 2>&1 | diagnostics >want
	"$EBPF_CC" -O2 -c prog.c -o ours.o $options 2>&1 | diagnostics >got
	if diff -u want got >diff; then
		ok "warnings as clang-19's with '$options' ($(wc -l <want) lines)"
	else
		bad "warnings with '$options'"; cat diff
	fi
done <<'SETS'
-Wno-implicit-int
-Wno-error=implicit-int
-Wno-implicit-int -Wall
-Wno-implicit-int -Wall -Wno-unused-variable
-Wno-implicit-int -Wall -Wno-unused
-Wno-implicit-int -Wunused
-Wno-implicit-int -Wunused-variable
-Wno-implicit-int -Wno-unknown-attributes
-Wno-implicit-int -Wall -w
-Wno-implicit-int -Werror
-Wno-implicit-int -Wall -Werror -Wno-error=unknown-attributes
-Wno-implicit-int -Werror=unused-variable
-Wno-implicit-int -Wall -Werror=unused-variable -Wno-error=unused-variable
-Wimplicit-int
-Wno-implicit-int -Wimplicit-int
-w
-std=gnu89
-std=gnu89 -Wall
-std=c89 -Wall -Wno-implicit-int
-std=gnu11 -Wno-error=implicit-int
-std=gnu99 -Wno-error=implicit-int -Werror
-Wno-implicit-int -Wall -Wextra -Wno-unknown-warning-option -Wno-compare-distinct-pointer-types
SETS

# 2. -std=: the language macros are clang-19's
printf '%s\n' 'v __STDC_VERSION__ s __STRICT_ANSI__ g __GNUC_GNU_INLINE__ i __GNUC_STDC_INLINE__' \
	>std.c
for std in gnu89 c89 c90 iso9899:199409 c99 gnu99 c11 gnu11 c17 gnu17 c18 c2x gnu2x c23; do
	want=$("$CLANG19" -target bpf -std=$std -E -P std.c)
	got=$("$EBPF_CC" -std=$std -E std.c | grep '^v ')
	[ "$want" = "$got" ] && ok "-std=$std: $got" || bad "-std=$std: clang '$want', ours '$got'"
	# the system preprocessor (gcc -E) path; gcc 12 gives C23 another __STDC_VERSION__
	case $std in *2x|*23) continue ;; esac
	command -v gcc >/dev/null 2>&1 || continue
	got=$("$EBPF_CC" -no-integrated-cpp -std=$std -E std.c | grep '^v ')
	[ "$want" = "$got" ] && ok "-std=$std, gcc -E" || bad "-std=$std, gcc -E: '$got'"
done
"$EBPF_CC" -std=c++17 -c prog.c -o x.o 2>err && bad "-std=c++17 accepted" ||
	{ grep -q "invalid value 'c++17'" err && ok "-std=c++17 refused"; }

# 3. options accepted: clang-19 takes them, and ebpf-cc's object is the one it makes
# without them (they do not change what is emitted)
"$EBPF_CC" -O2 -g -Wno-implicit-int -c prog.c -o base.o || bad "compile"
"$EBPF_CC" -O2 -Wno-implicit-int -c prog.c -o nodebug.o || bad "compile without -g"
for option in -mcpu=v3 -mcpu=v4 -mcpu=probe -mlittle-endian -m64 -fno-stack-protector \
	-ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fno-jump-tables -fno-builtin -fno-common -fdebug-prefix-map=/tmp=/src -pipe \
	-Qunused-arguments -Wno-address-of-packed-member -Wno-gnu-variable-sized-type-not-at-end \
	-Wno-compare-distinct-pointer-types -Wno-unused-value -Wno-pointer-sign "-x c" \
	"-Xclang -disable-O0-optnone" "-Xclang -target-feature -Xclang +alu32" -gdwarf-4 -gdwarf-5 \
	-g1 -gline-tables-only -ggdb -ferror-limit=5 --target=bpf -std=gnu11 -std=gnu17 -fno-rtti \
	-fno-exceptions -fno-tree-vectorize -fno-optimize-sibling-calls -fvisibility=default \
	-fno-plt -nostdlib -Wextra -Wshadow -Wno-unknown-warning-option -O3 -Os; do
	"$CLANG19" -target bpf -O2 -g -Wno-implicit-int $option -c prog.c -o clang.o 2>/dev/null ||
		{ bad "$option: clang-19 refuses it, the test is wrong"; continue; }
	if ! "$EBPF_CC" -O2 -g -Wno-implicit-int $option -c prog.c -o opt.o 2>err; then
		bad "$option refused"; cat err
	elif cmp -s base.o opt.o; then
		ok "$option accepted, object unchanged"
	else
		bad "$option changes the object"
	fi
done
# -g modifiers alone do not turn debug information on (clang: no .BTF.ext lines)
for option in -gz -gsplit-dwarf -gno-column-info "-g -g0"; do
	"$EBPF_CC" -O2 -Wno-implicit-int $option -c prog.c -o opt.o &&
		cmp -s nodebug.o opt.o && ok "'$option': no line info, as clang" ||
		bad "'$option' changes debug information"
done

# 4. options refused with a reason, and no output file
for option in -mcpu=v1 -mcpu=v2 -mcpu=generic -mcpu=v9 -mbig-endian -march=bpf -funsigned-char \
	-fwrapv -fvisibility=hidden -fsanitize=address -fbogus "-target bpfeb" --target=x86_64 \
	-Wl,-lfoo -Wa,-x -Wp,-DX -MG "-Xclang -ast-dump" "-mllvm -bpf-stack-size=1024"; do
	rm -f out.o
	if "$EBPF_CC" -O2 $option -c prog.c -o out.o 2>err; then
		bad "$option accepted"
	elif [ -e out.o ]; then
		bad "$option: output written"
	elif grep -qE "unsupported (option|target)" err; then
		ok "$option refused: $(head -1 err)"
	else
		bad "$option refused without a reason"; cat err
	fi
done
# -mcpu=v1/v2 really differ: clang-19 emits no 32-bit jumps there, ebpf-cc does
"$CLANG19" -target bpf -O2 -mcpu=v1 -Wno-implicit-int -c prog.c -o v1.o
"$EBPF_CC" -O2 -Wno-implicit-int -c prog.c -o v3.o
if command -v llvm-objdump-19 >/dev/null 2>&1; then
	llvm-objdump-19 -d v1.o | grep -q ' w[0-9]' && bad "clang -mcpu=v1 used 32-bit registers"
	llvm-objdump-19 -d v3.o | grep -q ' w[0-9]' && ok "ebpf-cc emits ISA v3, so -mcpu=v1 is refused"
fi

# 5. -Werror turns a shown warning into a failed compile, a hidden one does not
"$EBPF_CC" -O2 -Wno-implicit-int -Werror -c prog.c -o w.o 2>/dev/null &&
	bad "-Werror with an unknown attribute compiled" || ok "-Werror: unknown attribute fails"
"$EBPF_CC" -O2 -Wno-implicit-int -Wno-unknown-attributes -Werror -c prog.c -o w.o &&
	ok "-Werror -Wno-unknown-attributes compiles (unused variable not in the default set)" ||
	bad "-Werror fails on a warning that is not shown"

# 6. which attributes are unknown (-Wunknown-attributes, on by default): clang-19's set
i=0
echo 'void f0(int *p) { (void)p; }' >attrs.c
for attribute in always_inline noinline unused used weak 'section("s")' 'aligned(8)' packed \
	noreturn const pure 'format(printf,1,2)' nonnull warn_unused_result deprecated \
	'visibility("hidden")' cold hot flatten no_instrument_function 'optimize("O2")' \
	externally_visible gnu_inline artificial leaf malloc returns_nonnull sentinel nocommon \
	designated_init randomize_layout 'no_sanitize("address")' no_sanitize_address may_alias \
	noipa retain 'btf_decl_tag("x")' preserve_access_index preserve_static_offset bpf_fastcall \
	nonstring 'access(read_only,1)' no_stack_protector uninitialized 'alloc_size(1)' \
	noclone no_reorder 'error("x")' 'warning("x")' 'copy(f0)' minsize nodebug no_split_stack \
	'target("arch=v3")' 'annotate("x")' disable_tail_calls nomerge 'no_builtin("memcpy")' \
	'swift_name("x")' 'availability(macos,introduced=10)' frobnicate __unused__ __noinline__; do
	i=$((i + 1))
	echo "__attribute__(($attribute)) int g$i(char *fmt, ...) { (void)fmt; return 0; }" >>attrs.c
done
unknown() { grep -oE "unknown attribute '[^']*'" | sort; }
"$CLANG19" -target bpf -c attrs.c -o clang.o 2>&1 | unknown >want
"$EBPF_CC" -fno-verify -c attrs.c -o ours.o 2>&1 | unknown >got
if diff -u want got >diff; then
	ok "unknown attributes as clang-19's ($i attributes, $(wc -l <want) unknown)"
else
	bad "unknown attributes differ from clang-19's"; cat diff
fi

# 7. -Wunused-variable only where clang-19 gives it (attribute unused, sizeof, asm, ...)
cat >unused.c <<'SRC'
struct pair { int a; };
static int deref(int *p) { return *p; }
int f(void)
{
	int in_sizeof = 1, by_address = 2, voided = 3, typed = 4, asm_input = 0;
	int attributed __attribute__((unused));
	__attribute__((__unused__)) int in_spec, in_spec_too;
	int after_attributed __attribute__((unused)), plain;
	struct pair member = { 5 };
	__typeof__(typed) copy = 0;
	const int asserted = 2;
	(void)voided;
	asm volatile("" :: "r"(asm_input));
	_Static_assert(sizeof(asserted) == 4, "int");
	return (int)sizeof(in_sizeof) + deref(&by_address) + member.a + copy;
}
SRC
"$CLANG19" -target bpf -O2 -Wall -c unused.c -o clang.o 2>&1 | grep 'Wunused-variable' | sort >want
"$EBPF_CC" -O2 -Wall -fno-verify -c unused.c -o ours.o 2>&1 | grep 'Wunused-variable' |
	sed 's/^[^ ]*unused.c/unused.c/' | sort >got
sed -i 's/^[^ ]*unused.c/unused.c/' want
if diff -u want got >diff; then
	ok "-Wunused-variable as clang-19's ($(wc -l <want) warnings)"
else
	bad "-Wunused-variable differs from clang-19's"; cat diff
fi

# 9. Kbuild's -Wp,-MD,FILE and -Wp,-MMD,FILE: the dependency file clang writes
printf '#include "dep.h"\nint dep = DEP;\n' >dep.c
echo '#define DEP 1' >dep.h
for form in -MD -MMD; do
	"$CLANG19" -target bpf -Wp,$form,clang.d -c dep.c -o dep.o &&
		"$EBPF_CC" -Wp,$form,ours.d -c dep.c -o dep.o && cmp -s clang.d ours.d &&
		ok "-Wp,$form,FILE: $(cat ours.d)" || bad "-Wp,$form,FILE"
done

# 10. -fdebug-prefix-map=OLD=NEW: the file names of line_info, the last match applying
names() { tr '\0' '\n' <"$1" | grep '^/.*prog\.c$' | sort -u; }
for maps in "-fdebug-prefix-map=$WORK=/src" \
	"-fdebug-prefix-map=$WORK=/src -fdebug-prefix-map=${WORK%/*}=/up" \
	"-fdebug-prefix-map=${WORK%/*}=/up -fdebug-prefix-map=$WORK=/src"; do
	"$CLANG19" -target bpf -O2 -g -Wno-implicit-int $maps -c "$WORK/prog.c" -o clang.o 2>/dev/null
	"$EBPF_CC" -O2 -g -Wno-implicit-int $maps -c "$WORK/prog.c" -o ours.o 2>/dev/null
	want=$(names clang.o) got=$(names ours.o)
	[ -n "$got" ] && [ "$want" = "$got" ] && ok "debug prefix map: $got" ||
		bad "debug prefix map ($maps): clang '$want', ours '$got'"
done

# 11. no warnings from system headers (-isystem, /usr/include), as clang; -I ones warn
mkdir -p sys
printf 'static inline int in_header(void) { int idle; return 0; }\n' >sys/sys.h
printf 'int __attribute__((frobnicate)) header_var;\n' >>sys/sys.h
printf '#include <sys.h>\nint f(void) { return in_header(); }\n' >system.c
for dirs in "-isystem sys" "-Isys"; do
	"$CLANG19" -target bpf -Wall $dirs -c system.c -o clang.o 2>&1 | grep 'warning:' |
		sort >want
	"$EBPF_CC" -Wall $dirs -fno-verify -c system.c -o ours.o 2>&1 | grep 'warning:' |
		sort >got
	diff -u want got >diff && ok "warnings with '$dirs' as clang-19's ($(wc -l <want))" ||
		{ bad "warnings with '$dirs'"; cat diff; }
done

# 12. preprocessor warnings (#warning, a macro redefined; worded as gcc words them):
# shown, hidden or made errors by the warning options as clang's are
printf '#warning "careful"\n#define A 1\n#define A 2\nint x = A;\n' >cppwarn.c
while read -r options; do
	"$CLANG19" -target bpf $options -c cppwarn.c -o clang.o 2>clang.err; want_rc=$?
	"$EBPF_CC" $options -c cppwarn.c -o ours.o 2>ours.err; got_rc=$?
	want="rc $want_rc, $(grep -c 'warning:' clang.err) warnings, $(grep -c 'error:' clang.err) errors"
	got="rc $got_rc, $(grep -c 'warning:' ours.err) warnings, $(grep -c 'error:' ours.err) errors"
	[ "$want" = "$got" ] && ok "preprocessor warnings with '$options': $got" ||
		bad "preprocessor warnings with '$options': clang $want, ours $got"
done <<'SETS'
-Wall
-Werror
-w
-Wno-#warnings
-Wno-macro-redefined -Werror
-Werror -Wno-error=#warnings
-Werror=macro-redefined
SETS

# 8. --version in clang's shape: "clang version N" is the clang ebpf-cc predefines
major=$(echo __clang_major__ >major.c && "$EBPF_CC" -E major.c | tail -1)
parsed=$("$EBPF_CC" --version | sed -nE 's/.*clang version ([[:digit:]]+).*/\1/p')
[ -n "$major" ] && [ "$parsed" = "$major" ] && ok "--version names clang $parsed" ||
	bad "--version: clang version '$parsed', __clang_major__ $major"
"$EBPF_CC" --version | sed -n 2p | grep -qx 'Target: bpf' && ok "--version: Target: bpf" ||
	bad "--version has no Target line"
"$EBPF_CC" -v -O2 -g -Wno-implicit-int -c prog.c -o v.o 2>err && cmp -s base.o v.o &&
	grep -q 'clang version' err && ok "-v prints the version and compiles" || bad "-v"

echo "$checks checks"
exit $fail
