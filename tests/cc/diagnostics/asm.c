int f(void)
{
	asm volatile("r0 = 1");
	return 0;
}
