#include <linux/bpf.h>
int f(struct xdp_md *ctx)
{
	return ctx->foo;
}
