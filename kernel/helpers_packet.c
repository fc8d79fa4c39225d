/* helpers_packet.c - packet helpers of XDP and __sk_buff programs: head/tail/meta
 * adjustment, byte loads and stores, checksum updates, redirects. The packet lives
 * in the run's buffer; the ctx pointers (progtype.h layouts) say where data starts
 * and ends, as in the kernel's xdp_buff and sk_buff. */
#include <errno.h>
#include <linux/pkt_cls.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "progtype.h"

#define PTR(r) ((void *)(uintptr_t)(r))
#define ETH_HLEN 14
#define XDP_FRAME_SIZE 40         /* sizeof(struct xdp_frame): reserved at the head */
#define XDP_TAILROOM 320          /* SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) */
#define XDP_META_MAX 255          /* type_max(skb_shared_info.meta_len), 4-byte aligned */
#define CSUM_MANGLED_0 0xffff

static uint64_t buf_start(const struct emu_run *run)
{
	return (uint64_t)(uintptr_t)run->buf;
}

EMU_HELPER(xdp_adjust_head)
{
	struct emu_ctx_xdp *xdp = PTR(r1);
	struct emu_run *run = emu_run_current();
	uint64_t metalen = xdp->data - xdp->data_meta;
	uint64_t data = xdp->data + (int64_t)(int32_t)r2;

	if (data < buf_start(run) + XDP_FRAME_SIZE + metalen || data > xdp->data_end - ETH_HLEN)
		return (uint64_t)-EINVAL;
	if (metalen)
		memmove(PTR(xdp->data_meta + (int64_t)(int32_t)r2), PTR(xdp->data_meta), metalen);
	xdp->data_meta += (int64_t)(int32_t)r2;
	xdp->data = data;
	return 0;
}

EMU_HELPER(xdp_adjust_meta)
{
	struct emu_ctx_xdp *xdp = PTR(r1);
	struct emu_run *run = emu_run_current();
	uint64_t meta = xdp->data_meta + (int64_t)(int32_t)r2;
	uint64_t metalen = xdp->data - meta;

	if (meta < buf_start(run) + XDP_FRAME_SIZE || meta > xdp->data)
		return (uint64_t)-EINVAL;
	if ((metalen & 3) || metalen > XDP_META_MAX)
		return (uint64_t)-EACCES;
	xdp->data_meta = meta;
	return 0;
}

EMU_HELPER(xdp_adjust_tail)
{
	struct emu_ctx_xdp *xdp = PTR(r1);
	struct emu_run *run = emu_run_current();
	int64_t offset = (int32_t)r2;
	uint64_t data_end = xdp->data_end + offset;

	if (data_end > buf_start(run) + run->buf_size - XDP_TAILROOM)
		return (uint64_t)-EINVAL;
	if (data_end < xdp->data + ETH_HLEN)
		return (uint64_t)-EINVAL;
	if (offset > 0)
		memset(PTR(xdp->data_end), 0, (size_t)offset);
	xdp->data_end = data_end;
	return 0;
}

/* Linear bytes [offset, offset + len) of the skb, or NULL. */
static uint8_t *skb_bytes(const struct emu_ctx_skb *skb, uint64_t offset, uint64_t len)
{
	if (offset > 0xffff || offset + len > skb->data_end - skb->data)
		return NULL;
	return (uint8_t *)(uintptr_t)(skb->data + offset);
}

EMU_HELPER(skb_load_bytes)
{
	const uint8_t *p = skb_bytes(PTR(r1), (uint32_t)r2, (uint32_t)r4);

	if (!p) {
		memset(PTR(r3), 0, (uint32_t)r4);
		return (uint64_t)-EFAULT;
	}
	memcpy(PTR(r3), p, (uint32_t)r4);
	return 0;
}

uint16_t emu_csum_add(uint16_t a, uint16_t b)
{
	uint32_t s = (uint32_t)a + b;

	return (uint16_t)(s + (s >> 16));
}

uint16_t emu_csum_block(const uint8_t *p, size_t len, uint64_t position)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += (uint32_t)p[i] << (8 * (i & 1));
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (position & 1) ? (uint16_t)(sum << 8 | sum >> 8) : (uint16_t)sum;
}

/* skb->csum under CHECKSUM_COMPLETE: take out (or put back) the bytes at p. */
static void skb_csum_update(struct emu_run *run, const uint8_t *p, size_t len, bool add)
{
	uint64_t position = (uint64_t)(uintptr_t)p - run->csum_start;
	uint16_t block = emu_csum_block(p, len, position);

	if (run->csum_complete && (uint64_t)(uintptr_t)p >= run->csum_start)
		run->skb_csum = emu_csum_add(run->skb_csum, add ? block : (uint16_t)~block);
}

EMU_HELPER(skb_store_bytes)
{
	struct emu_ctx_skb *skb = PTR(r1);
	struct emu_run *run = emu_run_current();
	bool recompute = r5 & BPF_F_RECOMPUTE_CSUM;
	uint8_t *p;

	if (r5 & ~(uint64_t)(BPF_F_RECOMPUTE_CSUM | BPF_F_INVALIDATE_HASH))
		return (uint64_t)-EINVAL;
	p = skb_bytes(skb, (uint32_t)r2, (uint32_t)r4);
	if (!p)
		return (uint64_t)-EFAULT;
	if (recompute)
		skb_csum_update(run, p, (uint32_t)r4, false);
	void *copy;
	const void *from = emu_helpers_input(r3, (uint32_t)r4, &copy);
	if (!from)
		return (uint64_t)-ENOMEM;
	memmove(p, from, (uint32_t)r4);
	free(copy);
	if (recompute)
		skb_csum_update(run, p, (uint32_t)r4, true);
	if (r5 & BPF_F_INVALIDATE_HASH)
		skb->uapi.hash = 0;
	return 0;
}

/* Ones' complement arithmetic (RFC 1624) on values as they sit in memory. */
static uint32_t csum_add32(uint32_t a, uint32_t b)
{
	uint64_t s = (uint64_t)a + b;

	return (uint32_t)(s + (s >> 32));
}

static uint16_t csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* A 32-bit ones' complement sum folded to 16 bits, not inverted. */
static uint16_t csum_fold32(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* *field = fold(~field + diff), where diff already holds ~old + new. */
static void csum_apply(uint8_t *field, uint32_t diff)
{
	uint16_t sum;

	memcpy(&sum, field, 2);
	sum = csum_fold(csum_add32(diff, (uint16_t)~sum));
	memcpy(field, &sum, 2);
}

/* The diff for replacing `from` by `to` (field size 2 or 4, 0 = `to` is a diff). */
static int csum_diff_of(uint64_t from, uint64_t to, uint32_t size, uint32_t *diff)
{
	switch (size) {
	case 0:
		if (from)
			return -EINVAL;
		*diff = (uint32_t)to;
		return 0;
	case 2:
		*diff = csum_add32((uint16_t)~from, (uint16_t)to);
		return 0;
	case 4:
		*diff = csum_add32(~(uint32_t)from, (uint32_t)to);
		return 0;
	default:
		return -EINVAL;
	}
}

EMU_HELPER(l3_csum_replace)
{
	uint32_t diff;
	uint8_t *field;

	if (r5 & ~(uint64_t)BPF_F_HDR_FIELD_MASK)
		return (uint64_t)-EINVAL;
	if ((uint32_t)r2 > 0xffff || (r2 & 1))
		return (uint64_t)-EFAULT;
	field = skb_bytes(PTR(r1), (uint32_t)r2, 2);
	if (!field)
		return (uint64_t)-EFAULT;
	if (csum_diff_of(r3, r4, r5 & BPF_F_HDR_FIELD_MASK, &diff))
		return (uint64_t)-EINVAL;
	csum_apply(field, diff);
	return 0;
}

EMU_HELPER(l4_csum_replace)
{
	const uint64_t known = BPF_F_MARK_MANGLED_0 | BPF_F_MARK_ENFORCE | BPF_F_PSEUDO_HDR |
			       BPF_F_HDR_FIELD_MASK;
	bool mangled0 = r5 & BPF_F_MARK_MANGLED_0, enforce = r5 & BPF_F_MARK_ENFORCE;
	uint32_t diff;
	uint16_t sum;
	uint8_t *field;

	if (r5 & ~known)
		return (uint64_t)-EINVAL;
	if ((uint32_t)r2 > 0xffff || (r2 & 1))
		return (uint64_t)-EFAULT;
	field = skb_bytes(PTR(r1), (uint32_t)r2, 2);
	if (!field)
		return (uint64_t)-EFAULT;
	memcpy(&sum, field, 2);
	if (mangled0 && !enforce && !sum)
		return 0;
	if (csum_diff_of(r3, r4, r5 & BPF_F_HDR_FIELD_MASK, &diff))
		return (uint64_t)-EINVAL;
	csum_apply(field, diff);
	/* inet_proto_csum_replace*: with a pseudo-header change skb->csum loses diff */
	struct emu_run *run = emu_run_current();
	if ((r5 & BPF_F_PSEUDO_HDR) && run->csum_complete)
		run->skb_csum = emu_csum_add(run->skb_csum, (uint16_t)~csum_fold32(diff));
	memcpy(&sum, field, 2);
	if (mangled0 && !sum) {
		sum = CSUM_MANGLED_0;
		memcpy(field, &sum, 2);
	}
	return 0;
}

/* bpf_csum_diff(from, from_size, to, to_size, seed): ones' complement sum of the
 * ~from words and the to words, starting at seed, folded to 16 bits (not inverted),
 * as kernels since 6.13 return it on every architecture (checked against 6.18). */
EMU_HELPER(csum_diff)
{
	uint32_t from_size = (uint32_t)r2, to_size = (uint32_t)r4;
	uint64_t sum = (uint32_t)r5;

	if (((from_size | to_size) & 3) || (uint64_t)from_size + to_size > 512)
		return (uint64_t)-EINVAL;
	void *from_copy, *to_copy;
	const uint8_t *from = emu_helpers_input(r1, from_size, &from_copy);
	const uint8_t *to = emu_helpers_input(r3, to_size, &to_copy);
	for (uint32_t i = 0; from && i < from_size; i += 4) {
		uint32_t w;

		memcpy(&w, from + i, 4);
		sum += (uint32_t)~w;
	}
	for (uint32_t i = 0; to && i < to_size; i += 4) {
		uint32_t w;

		memcpy(&w, to + i, 4);
		sum += w;
	}
	free(from_copy);
	free(to_copy);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static bool run_is_xdp(void)
{
	struct emu_run *run = emu_run_current();

	return run && run->prog && run->prog->type == BPF_PROG_TYPE_XDP;
}

EMU_HELPER(redirect)
{
	struct emu_run *run = emu_run_current();

	if (run_is_xdp()) {
		if (r2)
			return XDP_ABORTED;
		run->redirect_ifindex = (uint32_t)r1;
		run->redirect_flags = 0;
		return XDP_REDIRECT;
	}
	if (r2 & ~(uint64_t)BPF_F_INGRESS)
		return TC_ACT_SHOT;
	run->redirect_ifindex = (uint32_t)r1;
	run->redirect_flags = r2;
	return TC_ACT_REDIRECT;
}

/* XDP: the low two flag bits are the action when the key has no entry. */
EMU_HELPER(redirect_map)
{
	struct emu_run *run = emu_run_current();
	uint32_t key = (uint32_t)r2;

	if (r3 & ~(uint64_t)(3 | BPF_F_BROADCAST))
		return XDP_ABORTED;
	if (!emu_map_lookup_elem((struct emu_map *)PTR(r1), &key))
		return r3 & 3;
	run->redirect_ifindex = key;
	run->redirect_flags = r3;
	return XDP_REDIRECT;
}
