/* dump_defines.c - -dD: every #define and #undef run kept in the text where it was,
 * spelled as gcc -dD spells them (gcc -dM's form); skipped ones left out. */
#define A 1
#define F(x, y) x ## y + #x
  #  define   SP   a   /* comment */   b
#undef A
#undef NEVER
A F(1,2)
#define A 2
#pragma push_macro("A")
#undef A
#pragma pop_macro("A")
A
#pragma push_macro("A")
#undef A
#define A 3
#pragma pop_macro("A")
A
#if 0
#define SKIPPED 1
#endif
#define V(fmt, args...) fmt, ##args
#define W(...) __VA_ARGS__
#define E
#define DG(x) %:x <: x %:%: x
#define LONG first \
	second
after_splice
