int g(void)
{
	asm volatile("r0 = frob 1");
	return 0;
}
