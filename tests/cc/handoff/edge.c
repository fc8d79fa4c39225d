/* edge.c - token hand-off edge cases: every construct here must give the same tokens,
 * positions and messages as lexing the printed `ebpf-cc -E` text (lexer.l). */
#include "lines.h"
#include "lines.h"
#ident "edge"
#pragma GCC diagnostic ignored "-Wunroll-loops"
#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)
struct rec { int a; };
#pragma clang attribute pop
#define PRAGMA(x) _Pragma(#x) int var_##x;
PRAGMA(unroll) PRAGMA(nounroll)
int $dollar = 1, a$b = 2;
int c1 = 'a', c2 = '\n', c3 = L'x', c4 = u'y', c5 = '\x41', c6 = '\101', c7 = '\'';
char s1[] = "a\tb" "c\"d" u8"utf" "\x41\101";
int bin = 0b1011; unsigned long long ull = 123ULL; long l = 5l;
#define STR(x) #x
#define XSTR(x) STR(x)
char fl[] = __FILE__, ln[] = XSTR(__LINE__);
#define LONG(a, b) a \
  + b \
  + a
int q = LONG(1,
   2);
#line 100 "renamed.c"
int after_line = __LINE__;
#line 200
int r = SPLIT(3);
#define HASH #
#define EMPTY
EMPTY HASH pragma unroll
int s = 1 + EMPTY + 2;
int far_away[3] = { 1, 2, 3 };







int after_gap = 1.5e+3 + .5 + 0x1p-3 + 1.0f + 0xffffffffffffffffff + 09 + 1 @ 2;
int ünicode;
int end = 1
