/* CHECK: layout
 * Static locals, file-scope statics and string literals: laid out in the order clang
 * creates them (body order of each function as it is emitted). */
int g1 = 1;
static int s1 = 2;
int z1;
static int sz1;
const char *names[2];
static __attribute__((noinline)) int helper(int x)
{
	static int hcount = 3, hzero;
	hcount += x;
	hzero++;
	names[1] = "helper";
	return hcount + hzero + s1;
}
static __attribute__((always_inline)) int inl(int x)
{
	static long icount = 4;
	icount += x;
	return icount;
}
int f(int x)
{
	static int a = 5, b;
	static long c = 7;
	static char d;
	names[0] = "f";
	if (x) {
		static int inner = 9;
		inner++;
		return inner + a++ + b++ + helper(x);
	}
	c++; d++; s1++; sz1++;
	return c + d + s1 + sz1 + inl(x);
}
static int s2 = 3;
int g2 = 4;
int h(void)
{
	static int e = 11, f0;
	const char *m = "h";
	e++; f0++; s2++;
	names[1] = m;
	return e + f0 + s2 + g2 + g1 + z1 + inl(2);
}
