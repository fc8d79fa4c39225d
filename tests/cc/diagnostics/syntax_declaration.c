int f(void)
{
	int a = 1
	return a;
}
