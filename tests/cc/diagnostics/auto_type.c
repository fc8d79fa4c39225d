typedef int T;
int f(void)
{
	T x = 1;
	__auto_type y;
	return x;
}
