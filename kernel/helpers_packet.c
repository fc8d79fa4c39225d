/* helpers_packet.c - packet helpers of XDP and __sk_buff programs: head/tail/meta
 * adjustment, byte loads and stores, checksum updates, redirects, socket lookups in
 * the emulated socket table (emu_socket_add). The packet lives
 * in the run's buffer; the ctx pointers (progtype.h layouts) say where data starts
 * and ends, as in the kernel's xdp_buff and sk_buff. */
#include <errno.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ebpf/emu.h"
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

/* __bpf_xdp_redirect_map: the low two flag bits are the action when the key has no
 * entry; DEVMAP and DEVMAP_HASH also take BPF_F_BROADCAST (redirect to every entry,
 * even with none at the key) and BPF_F_EXCLUDE_INGRESS; any other bit aborts. */
EMU_HELPER(redirect_map)
{
	struct emu_run *run = emu_run_current();
	struct emu_map *map = PTR(r1);
	uint32_t key = (uint32_t)r2, type = emu_map_desc(map)->type;
	uint64_t allowed = 3;

	if (type == BPF_MAP_TYPE_DEVMAP || type == BPF_MAP_TYPE_DEVMAP_HASH)
		allowed |= BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS;
	if (r3 & ~allowed)
		return XDP_ABORTED;
	if (!emu_map_lookup_elem(map, &key) && !(r3 & BPF_F_BROADCAST))
		return r3 & 3;
	run->redirect_ifindex = key;
	run->redirect_flags = r3;
	return XDP_REDIRECT;
}

/* ---- sockets: the emulated socket table and the lookup helpers ---- */

#define SOCKET_MAX 64
#define TCP_LISTEN_STATE 10
#define TCP_TIME_WAIT_STATE 6
#define TCP_NEW_SYN_RECV_STATE 12

static struct bpf_sock sockets[SOCKET_MAX];
static uint32_t socket_count;

int emu_socket_add(const struct bpf_sock *sock)
{
	if (!sock || (sock->family != AF_INET && sock->family != AF_INET6))
		return -EINVAL;
	if (socket_count == SOCKET_MAX)
		return -ENOSPC;
	sockets[socket_count++] = *sock;
	return 0;
}

void emu_socket_clear(void)
{
	socket_count = 0;
}

static bool is_zero(const void *p, size_t n)
{
	static const uint8_t zero[16];
	return !memcmp(p, zero, n);
}

/* Whether `sk` receives the packet whose tuple is `t` (the packet's source is the
 * socket's remote end, its destination the socket's local end). */
static bool socket_matches(const struct bpf_sock *sk, const struct bpf_sock_tuple *t, bool v6)
{
	const void *local = v6 ? (const void *)sk->src_ip6 : &sk->src_ip4;
	const void *remote = v6 ? (const void *)sk->dst_ip6 : &sk->dst_ip4;
	const void *daddr = v6 ? (const void *)t->ipv6.daddr : &t->ipv4.daddr;
	const void *saddr = v6 ? (const void *)t->ipv6.saddr : &t->ipv4.saddr;
	size_t n = v6 ? 16 : 4;
	uint16_t dport = v6 ? t->ipv6.dport : t->ipv4.dport, sport = v6 ? t->ipv6.sport : t->ipv4.sport;

	if (sk->src_port != __builtin_bswap16(dport) || (!is_zero(local, n) && memcmp(local, daddr, n)))
		return false;
	if (sk->state == TCP_LISTEN_STATE || (is_zero(remote, n) && !sk->dst_port))
		return true;
	return !memcmp(remote, saddr, n) && sk->dst_port == sport;
}

/* Kernel bpf_sk_lookup: a connected socket before a listening (or unconnected) one;
 * a bad tuple size, flags or netns give NULL. */
static uint64_t socket_lookup(uint64_t tuple, uint64_t size, uint64_t netns, uint64_t flags,
			      uint32_t protocol, bool full)
{
	const struct bpf_sock_tuple *t = PTR(tuple);
	bool v6 = size == sizeof(t->ipv6);
	struct bpf_sock *found = NULL;

	if ((size != sizeof(t->ipv4) && !v6) || flags || (netns != (uint64_t)BPF_F_CURRENT_NETNS &&
							 (int64_t)netns < 0))
		return 0;
	for (uint32_t i = 0; i < socket_count; i++) {
		struct bpf_sock *sk = &sockets[i];
		if (sk->family != (v6 ? AF_INET6 : AF_INET) || sk->protocol != protocol ||
		    !socket_matches(sk, t, v6))
			continue;
		if (!found || found->state == TCP_LISTEN_STATE)
			found = sk;
	}
	if (found && full && (found->state == TCP_TIME_WAIT_STATE ||
			      found->state == TCP_NEW_SYN_RECV_STATE))
		return 0; /* bpf_sk_lookup_* only returns full sockets */
	return (uint64_t)(uintptr_t)found;
}

EMU_HELPER(sk_lookup_tcp)
{
	(void)r1;
	return socket_lookup(r2, r3, r4, r5, IPPROTO_TCP, true);
}

EMU_HELPER(sk_lookup_udp)
{
	(void)r1;
	return socket_lookup(r2, r3, r4, r5, IPPROTO_UDP, true);
}

EMU_HELPER(skc_lookup_tcp)
{
	(void)r1;
	return socket_lookup(r2, r3, r4, r5, IPPROTO_TCP, false);
}

/* The emulated sockets are not reference counted: releasing is a no-op. */
EMU_HELPER(sk_release)
{
	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
	return 0;
}

/* Kernel sk_fullsock: every socket but a time-wait or request socket. */
EMU_HELPER(sk_fullsock)
{
	const struct bpf_sock *sk = PTR(r1);
	(void)r2, (void)r3, (void)r4, (void)r5;
	if (sk->state == TCP_TIME_WAIT_STATE || sk->state == TCP_NEW_SYN_RECV_STATE)
		return 0;
	return r1;
}

/* No emulated socket carries TCP state (struct bpf_tcp_sock): always NULL, as for the
 * socket test_run attaches to an skb. */
EMU_HELPER(tcp_sock)
{
	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
	return 0;
}
