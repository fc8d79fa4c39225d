/* CHECK: errors
 * Declarations without a type specifier: clang-19's default C mode (gnu17) reports
 * implicit int as an error at each declarator, and reads the declaration as int. */
static x;
const y = 3;
extern volatile z;
static *p, a[4];
f2(void) { return 1; }
static g(void) { register r = 2; auto q = 1; return r + q; }
int k(const v, const *) { static s; const c = 2; return s + c + x + y + v + g(); }
struct s { const m; volatile n : 3; };
int h(void *ptr) { return sizeof(const) + *(const *)ptr + (const)3; }
typedef int T;
static T ok1;                   /* T is a type here: no diagnostic */
int ok2(void) { __attribute__((unused)) T t = 1; static const T c = 2; return t + c; }
