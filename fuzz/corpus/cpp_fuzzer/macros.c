/* macros.c - directed cases for the integrated preprocessor: the mechanisms the C
 * standard's macro replacement examples exercise (rescanning, painting, # and ##,
 * placemarkers, variadics), written afresh, plus the GNU extensions BPF headers use.
 * Expected tokens: macros.expected, checked against gcc -E by cpp_directed.sh. */

/* rescanning: a macro's own name is not replaced again, an argument is expanded first */
#define seven 7
#define twice(v) twice(seven + (v))
#undef seven
#define seven 8
#define alias twice
#define arr arr[1]
#define neg alias(-
#define call_w(fn) fn(pair)
#define pair 2,3
#define id(v) v
#define ty() long
#define one(v) v
#define join(l, r) l ## r
#define quote(v) # v
twice(k*2) - twice(twice(arr)) ^ id(id(alias)(1) + id)(4);
alias(seven-(5,6)+pair) & neg 9) | call_w
(twice)%call_w(call_w);
ty() n[one()] = { one(4), join(5,6), join(7,), join(,8), join(,) };
char s[2][8] = { quote(abc), quote() };

/* stringizing inside strings keeps escapes; spacing collapses to one blank */
#define str(s) # s
#define xstr(s) str(s)
#define dbg(a, b) show("a" #a "=%d, b" #b "=%d\n", a, b)
#define glue(a, b) a ## b
#define xglue(a, b) glue(a, b)
#define HI_LO "hi"
#define LO LO ", there"
dbg(1, 2); dbg(x  +   y, "q\"z");
glue(HI_, LO); xglue(HI_, LO)
str( strncmp("abc\0d", "abc", '\4') == 0 ) str(: @\n);
xstr(glue(ab, cd)) str(   leading and   trailing   )

/* placemarkers: empty arguments around ## vanish */
#define three(a, b, c) a ## b ## c
int list[] = { three(1,2,3), three(,4,5), three(6,,7), three(8,9,),
	three(10,,), three(,11,), three(,,12), three(,,) };

/* variadic macros: standard, GNU named, `, ## __VA_ARGS__`, __VA_OPT__ */
#define note(...) fprintf(stderr, __VA_ARGS__)
#define show_all(...) puts(#__VA_ARGS__)
#define check(x, ...) ((x) ? puts(#x) : printf(__VA_ARGS__))
#define gnu(fmt, args...) out(fmt, ## args)
#define opt(fmt, ...) out(fmt __VA_OPT__(,) __VA_ARGS__)
#define comma(fmt, ...) out(fmt, ##__VA_ARGS__)
note("Flag"); note("X = %d\n", x);
show_all(The first, second, and third items.);
check(x>y, "x is %d but y is %d", x, y);
gnu("a"); gnu("b", 1, 2); opt("c"); opt("d", 3); comma("e"); comma("f", 4);

/* painted names stay unexpanded; a function-like name without ( is left alone */
#define self self + 1
#define f(a) a*g
#define g(a) f(a)
self; f(2)(9); id(f)(3); g;

/* #if arithmetic: unsigned promotion, short circuit, character constants, defined */
#define ZERO 0
#if -1 > 0u && (1 || 1 / ZERO) && '\377' < 0 && defined(ZERO) && !defined ONE
int arithmetic_ok;
#endif
#if (2 + 3 * 4 == 14) && (-8 >> 1 == -4) && (1 ? 2 : (1/0)) == 2 && 0x10 == 16 && 010 == 8
int precedence_ok;
#elif 1
int precedence_wrong;
#else
int never;
#endif
#define IS_DEF defined(ZERO)
#ifdef ZERO
#ifndef ONE
int nested_ok;
#else
#error not reached
#endif
#endif

/* __COUNTER__, __LINE__ inside a macro, #line renaming __FILE__ */
int c0 = __COUNTER__, c1 = __COUNTER__;
#define here __LINE__
int line = here;
#line 500 "renamed.c"
const char *file = __FILE__; int line_after = here;

/* _Pragma and #pragma reach the compiler on lines of their own */
#define loop_hint _Pragma("unroll")
void fn(void) { loop_hint for (;;) ; }
#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)
#pragma clang attribute pop

/* tokens that would paste if printed side by side get a blank */
#define plus +
#define minus -
int p = 1 plus+1, m = 2 minus-1, d = id(-)-1;
