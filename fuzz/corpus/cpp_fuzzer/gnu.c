#define A(x, ...) x __VA_OPT__(, ) __VA_ARGS__
#define B(a, args...) f(a, ## args)
#if defined A && __has_include("nope") == 0
A(1) A(1, 2) B(3) B(4, 5)
#endif
#define S(x) #x
_Pragma(S(unroll)) S(  a  "b\n" c )
#line 40 "x.c"
__LINE__ __FILE__ __COUNTER__
