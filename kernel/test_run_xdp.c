/* test_run_xdp.c - BPF_PROG_TEST_RUN of XDP programs as net/bpf/test_run.c (6.18)
 * does it: a page with 256 bytes of headroom, metadata taken from the front of
 * data_in when ctx_in says so, a linear part of ctx_in's data_end bytes (all of
 * data_in by default, at most what fits the page) with the rest kept as fragments,
 * and live-frames mode. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "progtype.h"
#include "test_run.h"

#define PTR(x) ((void *)(uintptr_t)(x))
#define ETH_HLEN 14
#define XDP_HEADROOM 256      /* XDP_PACKET_HEADROOM */
#define XDP_TAILROOM 320      /* SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) */
#define XDP_FRAME_SIZE 40     /* sizeof(struct xdp_frame) */
#define XDP_PAGE_HEAD 152     /* sizeof(struct xdp_page_head): live frames only */
#define XDP_META_MAX 255      /* type_max(skb_shared_info.meta_len), 4-byte aligned */
#define XDP_MAX_BATCH 256     /* TEST_XDP_MAX_BATCH */
#define LOOPBACK_IFINDEX 1
#define MAX_SKB_FRAGS 17

/* The frame as the run sees it. */
struct xdp_frame_setup {
	uint32_t headroom;  /* bytes before the metadata */
	uint32_t meta;      /* metadata bytes at the front of data_in */
	uint32_t linear;    /* data_in bytes in the page (metadata included) */
	uint32_t frags;     /* data_in bytes past the page, kept as fragments */
};

/* bpf_prog_test_run_xdp's checks of ctx_in and sizes, then the frame layout. */
static int xdp_layout(const union bpf_attr *attr, const struct xdp_md *c, bool live,
		      struct xdp_frame_setup *f)
{
	uint32_t size = attr->test.data_size_in, max_linear;

	f->headroom = XDP_HEADROOM;
	f->meta = 0;
	f->linear = size;
	if (c) {
		if (c->data_meta || c->data_end > size || c->data > c->data_end ||
		    (live && (attr->test.data_out || attr->test.ctx_out)))
			return -EINVAL;
		f->meta = c->data;
		if ((f->meta & 3) || f->meta > XDP_META_MAX ||
		    f->meta > XDP_HEADROOM - XDP_FRAME_SIZE)
			return -EINVAL;
		f->headroom -= f->meta;
		f->linear = c->data_end;
	}
	if (live)
		f->headroom += XDP_PAGE_HEAD;
	max_linear = TEST_RUN_PAGE_SIZE - f->headroom - XDP_TAILROOM;
	if (f->linear > max_linear)
		f->linear = max_linear;
	if (live && size > f->linear)
		return -EINVAL;
	if (size - f->meta < ETH_HLEN)
		return -EINVAL;
	f->frags = size - f->linear;
	if (f->frags > (uint64_t)MAX_SKB_FRAGS * TEST_RUN_PAGE_SIZE)
		return -ENOMEM;
	return 0;
}

/* xdp_convert_md_to_buff's checks of the queue fields. */
static int xdp_queue_check(const struct xdp_md *c)
{
	if (!c)
		return 0;
	if (c->egress_ifindex)
		return -EINVAL;
	if (!c->ingress_ifindex && c->rx_queue_index)
		return -EINVAL;
	if (c->ingress_ifindex && c->ingress_ifindex != LOOPBACK_IFINDEX)
		return -ENODEV;
	if (c->ingress_ifindex && c->rx_queue_index >= 1)
		return -EINVAL;
	return 0;
}

/* Fill the page and the ctx pointers for one run. */
static void xdp_fill(struct emu_ctx_xdp *ctx, uint8_t *page, const uint8_t *data_in,
		     const struct xdp_frame_setup *f)
{
	memset(page, 0, TEST_RUN_PAGE_SIZE);
	memcpy(page + f->headroom, data_in, f->linear);
	memset(ctx, 0, sizeof(*ctx));
	ctx->data_meta = (uint64_t)(uintptr_t)(page + f->headroom);
	ctx->data = ctx->data_meta + f->meta;
	ctx->data_end = ctx->data_meta + f->linear;
	ctx->uapi.ingress_ifindex = LOOPBACK_IFINDEX;
}

/* Run once per repetition on a fresh frame (live frames) or repeatedly on the same
 * frame; live mode reports retval 0 and the unmodified frame, as the kernel does. */
static int xdp_run(struct emu_run *run, struct emu_prog *prog, struct emu_ctx_xdp *ctx,
		   const uint8_t *data_in, const struct xdp_frame_setup *f, bool live,
		   uint32_t repeat, uint32_t *retval, uint32_t *duration)
{
	uint64_t total = 0;
	uint32_t one, ignored;
	int err = 0;

	if (!live)
		return test_run_loop(run, prog, ctx, repeat, retval, duration);
	repeat = repeat ? repeat : 1;
	for (uint32_t i = 0; i < repeat && !err; i++) {
		xdp_fill(ctx, run->buf, data_in, f);
		err = test_run_loop(run, prog, ctx, 1, &ignored, &one);
		total += one;
	}
	xdp_fill(ctx, run->buf, data_in, f);
	*retval = 0;
	*duration = (uint32_t)(total / repeat);
	return err;
}

/* data_out: the linear part from the metadata on, then the fragments. */
static int xdp_finish(union bpf_attr *attr, const struct emu_ctx_xdp *ctx,
		      const uint8_t *frags, uint32_t frags_size, uint32_t retval,
		      uint32_t duration)
{
	uint32_t linear = (uint32_t)(ctx->data_end - ctx->data_meta);
	uint8_t *out = malloc((size_t)linear + frags_size + 1);
	int err;

	if (!out)
		return -ENOMEM;
	memcpy(out, PTR(ctx->data_meta), linear);
	memcpy(out + linear, frags, frags_size);
	err = test_run_finish(attr, out, linear + frags_size, retval, duration);
	free(out);
	return err;
}

int test_run_xdp(struct emu_prog *prog, union bpf_attr *attr)
{
	bool live = attr->test.flags & BPF_F_TEST_XDP_LIVE_FRAMES;
	const uint8_t *data_in = PTR(attr->test.data_in);
	struct xdp_frame_setup f;
	struct emu_ctx_xdp ctx;
	uint32_t retval = 0, duration = 0;
	struct xdp_md *user;
	struct emu_run run;
	int err;

	if (prog->expected_attach_type == BPF_XDP_DEVMAP ||
	    prog->expected_attach_type == BPF_XDP_CPUMAP)
		return -EINVAL;
	if (attr->test.flags & ~(uint32_t)BPF_F_TEST_XDP_LIVE_FRAMES)
		return -EINVAL;
	if (live ? attr->test.batch_size > XDP_MAX_BATCH : attr->test.batch_size != 0)
		return live ? -E2BIG : -EINVAL;
	user = test_run_ctx_init(attr, sizeof(struct xdp_md), &err);
	if (err)
		return err;
	err = xdp_layout(attr, user, live, &f);
	if (!err)
		err = xdp_queue_check(user);
	memset(&run, 0, sizeof(run));
	run.buf_size = TEST_RUN_PAGE_SIZE;
	run.buf = err ? NULL : malloc(TEST_RUN_PAGE_SIZE);
	if (!err && !run.buf)
		err = -ENOMEM;
	if (!err) {
		xdp_fill(&ctx, run.buf, data_in, &f);
		err = xdp_run(&run, prog, &ctx, data_in, &f, live, attr->test.repeat, &retval,
			      &duration);
	}
	if (!err)
		err = xdp_finish(attr, &ctx, data_in + f.linear, f.frags, retval, duration);
	if (!err && user) {
		user->data = (uint32_t)(ctx.data - ctx.data_meta);
		user->data_end = (uint32_t)(ctx.data_end - ctx.data_meta);
		err = test_run_ctx_finish(attr, user, sizeof(*user));
	}
	free(run.buf);
	free(user);
	return err;
}
