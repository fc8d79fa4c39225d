int f(void)
{
	int x = 2;

	asm volatile("%0 = 1" : "=m"(x));
	return x;
}
