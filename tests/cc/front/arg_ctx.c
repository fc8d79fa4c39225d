/* CHECK: run decl_tags
 * A global function whose `void *` argument is the program's context because of its
 * btf_decl_tag("arg:ctx") (libbpf's __arg_ctx): the verifier checks it on its own and
 * lets it pass ctx to a helper only with the tag in BTF (bpf_xdp_adjust_head fails
 * when fewer than 14 bytes would remain).
 * RUN: --data-hex 000102030405060708090a0b0c0d0e0f10111213
 * RUN: --data-hex 000102030405060708090a0b0c0d0e0f
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#ifndef NO_TAG
#define __arg_ctx __attribute__((btf_decl_tag("arg:ctx")))
#else
#define __arg_ctx
#endif

__attribute__((noinline)) int drop_head(void *ctx __arg_ctx, int bytes)
{
	return bpf_xdp_adjust_head(ctx, bytes);
}

SEC("xdp")
int argctx(struct xdp_md *ctx)
{
	return drop_head(ctx, 4) == 0 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
