/* edge.c - more macro and directive corners, compared byte for byte with gcc -E by
 * cpp_directed.sh (the C standard's replacement examples, GNU forms, #line). */
#define EMPTY
#define LPAREN (
#define F(x) [x]
F EMPTY (1) F LPAREN 2)
#define G(x, y) x ## y
G(,) G(a,) G(,b) G(1, 2) G(., 5) G(-, >) G(<<, =)
#define H(...) #__VA_ARGS__
H() H( ) H(a,b) H( a , b ) H("x\n", '\'')
#define I(x) #x
I(/* c */ a /* d */ b) I(  "a\\b"  ) I('\0')
#define J(a) a a a
J(J(1))
#define K() k
K() K( ) K
()
#define L(x) x
L(
#ifdef L
defined_inside
#endif
)
#if 0
#error not here 'unterminated
"also
#endif
#if 1 /* comment */ // more
ok1
#elif nonsense (
#endif
__STDC_VERSION__ __STDC__ __STDC_HOSTED__
a = b+++c; d = e-->f; g = h/ *i; j = k/ /l;
#define CAT3(a,b,c) a##b##c
CAT3(x,,z) CAT3(,,) CAT3(1,e,+) 
#define STRX(x) #x
#define STR(x) STRX(x)
STR(__LINE__) STR(CAT3(a,b,c)) STR(L(1)L(2))
#define f(a) a*g
#define g(a) f(a)
f(2)(9)
#define obj(x) x
#define fn obj
fn(fn)(3) obj(obj)(4)
#define AA BB
#define BB AA
AA BB
#define p() q
#define q() p
p()()()()
#define str(s) # s
#define xstr(s) str(s)
#define INCFILE(n) vers ## n
xstr(INCFILE(2).h)
#define t(x,y,z) x ## y ## z
t(1,2,3) t(,4,5) t(6,,7) t(8,9,) t(10,,) t(,11,) t(,,12) t(,,)
#define OBJ_LIKE (1-1)
#define OBJ_LIKE /* white space */ (1-1) /* other */
#define FUNC_LIKE(a) ( a )
#define FUNC_LIKE( a )( /* note the white space */ \
 a /* other stuff on this line
 */ )
#define debug(...) fprintf(stderr, __VA_ARGS__)
#define showlist(...) puts(#__VA_ARGS__)
#define report(test, ...) ((test)?puts(#test): printf(__VA_ARGS__))
debug("Flag"); debug("X = %d\n", x); showlist(The first, second, and third items.);
report(x>y, "x is %d but y is %d", x, y);
#define F(...) ff(0 __VA_OPT__(,) __VA_ARGS__)
#define G(X, ...) ff(0, X __VA_OPT__(,) __VA_ARGS__)
#define SDEF(sname, ...) S sname __VA_OPT__(= { __VA_ARGS__ })
#define EMP
F(a, b, c) F() F(EMP) G(a, b, c) G(a, ) G(a) SDEF(foo); SDEF(bar, 1, 2);
#define LINE __LINE__
LINE
__LINE__ __INCLUDE_LEVEL__ __BASE_FILE__
#if defined(LINE) + defined AA * 2 == 3 && (LINE > 0) && 'ab' == 24930 && '\xff' < 0 && -1 < 0u == 0
good
#endif
#if 18446744073709551615 == -1 && 0x7fffffffffffffff + 0 > 0 && (0 ? 1/0 : 2)
wide
#endif
#pragma omp parallel for
#pragma GCC diagnostic ignored "-Wfoo"
_Pragma("clang loop unroll(full)") for(;;);
# 100 "renamed.c"
__LINE__ __FILE__
#line 7
__LINE__
#undef ID
#define ID(x) x
#undef STR
#define STR(x) #x
ID(a
  b
  c) d
STR(multi
    line   arg) e
ID(
#ifdef ID
 inside_ifdef
#else
 not_this
#endif
) after
#define DEF defined(ID)
#if DEF
def_ok
#endif
#if 0
#elif 0
#else junk
#endif
#if 1
#else junk2
#endif
x __COUNTER__ ID(__COUNTER__) STR(__COUNTER__) __COUNTER__
ID(/* comment */ 1 // line comment
 + 2)
#define EMPTY_ARGS(a, b) [a|b]
EMPTY_ARGS(,) EMPTY_ARGS( , )
#define NEST(x) ID(ID(x))
NEST(NEST(7))
#define PR _Pragma("unroll") after_pragma
PR
  ID(PR)
#define LONG(a) a a a a a a a a a a
LONG(long_token_value_here)
  #  define   INDENTED  1
INDENTED
#define AB(a, b) a##b
AB(A, B) AB(, ID)(q)
#define EXPAND_LATE(f) f(1)
EXPAND_LATE(ID) EXPAND_LATE(STR)
    tail_tokens_with_indent
	tab_indent
  /* c */ after_comment
#define X_LIST(X) X(one) X(two) X(three)
#define AS_ENUM(n) E_##n,
enum { X_LIST(AS_ENUM) };
#define AS_STR(n) #n,
const char *names[] = { X_LIST(AS_STR) };
