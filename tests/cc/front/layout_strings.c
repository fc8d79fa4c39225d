/* CHECK: layout
 * String literals: one array per distinct string in .rodata.str1.1, however often it
 * is written (also when the same string initializes a char array elsewhere), in the
 * order clang creates them (the right side of `=` before the left side's data). */
const char *names[6];
char copy[8];
__attribute__((noinline)) int pick(int x)
{
	names[0] = "hello";
	names[1] = x ? "world" : "hello";
	names[2] = &"xyz"[1];
	names[3] = "world";
	copy[x & 7] = names[0][x & 3];
	return copy[1];
}
__attribute__((section("xdp"))) int prog(void *ctx)
{
	static const char fmt[] = "xyz";

	names[4] = "fresh";
	names[5] = "hello";
	return pick(1) + fmt[1];
}
char LICENSE[] __attribute__((section("license"))) = "GPL";
