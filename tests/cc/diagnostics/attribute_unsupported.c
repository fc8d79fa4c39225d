static void release(int *p) { (void)p; }
typedef int four_ints __attribute__((vector_size(16)));
typedef int wide_int __attribute__((mode(DI)));
int g(void) __attribute__((alias("f")));
__attribute__((frobnicate, cold, nonnull)) int f(void)
{
	int x __attribute__((cleanup(release))) = 1;
	return x;
}
