/* test_run_packet.c - BPF_PROG_TEST_RUN of packet types as net/bpf/test_run.c does
 * it: __sk_buff types on a loopback skb (eth_type_trans, L2 or L3 start, ctx_in/out
 * field rules) and the flow dissector with struct bpf_flow_keys as output (XDP is in
 * test_run_xdp.c). */
#include <errno.h>
#include <linux/if_packet.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "progtype.h"
#include "test_run.h"

#define PTR(x) ((void *)(uintptr_t)(x))
#define ETH_HLEN 14
#define SKB_HEADROOM 64            /* NET_SKB_PAD + NET_IP_ALIGN on x86-64 */
#define SKB_TAILROOM 320           /* SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) */
#define LOOPBACK_IFINDEX 1
#define GSO_MAX_SEGS 65535
#define GSO_LEGACY_MAX_SIZE 65536u
#define ETH_P_802_3_MIN 0x0600
#ifndef BPF_F_TEST_SKB_CHECKSUM_COMPLETE
#define BPF_F_TEST_SKB_CHECKSUM_COMPLETE (1U << 2) /* newer than the host's UAPI */
#endif

#define SKB_ZERO(skb, from, to) \
	bytes_zero((const uint8_t *)(skb) + (from), (to) - (from))
#define END_OF(member) (offsetof(struct __sk_buff, member) + \
			sizeof(((struct __sk_buff *)0)->member))

static bool bytes_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* convert___skb_to_skb's rule: only mark, priority, ingress_ifindex, ifindex, cb,
 * tstamp, wire_len, gso_segs, gso_size and hwtstamp may be set. */
static int skb_ctx_check(const struct __sk_buff *c, uint32_t len)
{
	if (!SKB_ZERO(c, 0, offsetof(struct __sk_buff, mark)) ||
	    !SKB_ZERO(c, END_OF(mark), offsetof(struct __sk_buff, priority)) ||
	    !SKB_ZERO(c, END_OF(ifindex), offsetof(struct __sk_buff, cb)) ||
	    !SKB_ZERO(c, END_OF(cb), offsetof(struct __sk_buff, tstamp)) ||
	    !SKB_ZERO(c, END_OF(gso_segs), offsetof(struct __sk_buff, gso_size)) ||
	    !SKB_ZERO(c, END_OF(gso_size), offsetof(struct __sk_buff, hwtstamp)) ||
	    !SKB_ZERO(c, END_OF(hwtstamp), sizeof(struct __sk_buff)))
		return -EINVAL;
	if (c->wire_len && (c->wire_len < len || c->wire_len > GSO_LEGACY_MAX_SIZE))
		return -EINVAL;
	if (c->gso_segs > GSO_MAX_SEGS)
		return -EINVAL;
	return 0;
}

/* eth_type_trans on the loopback device (address 00:00:00:00:00:00). */
static void skb_eth_type_trans(const uint8_t *frame, struct __sk_buff *skb)
{
	static const uint8_t zero[6];
	uint16_t proto = (uint16_t)(frame[12] << 8 | frame[13]);
	uint16_t be;

	/* loopback: address and "broadcast" address are both all zeros */
	if (!memcmp(frame, zero, 6))
		skb->pkt_type = PACKET_HOST;
	else
		skb->pkt_type = (frame[0] & 1) ? PACKET_MULTICAST : PACKET_OTHERHOST;
	if (proto < ETH_P_802_3_MIN)
		proto = (frame[14] == 0xff && frame[15] == 0xff) ? 0x0001 : 0x0004;
	be = __builtin_bswap16(proto);
	skb->protocol = be;
}

/* The dummy socket test_run attaches: family and addresses from the IP header,
 * which must be complete (-EINVAL otherwise). */
static int skb_fill_sock(struct bpf_sock *sk, struct __sk_buff *skb, const uint8_t *l3,
			 uint32_t l3_len)
{
	memset(sk, 0, sizeof(*sk));
	sk->state = 7;                   /* TCP_CLOSE, as sock_init_data leaves it */
	sk->rx_queue_mapping = UINT32_MAX; /* no queue recorded: the kernel reads -1 */
	if (skb->protocol == __builtin_bswap16(0x0800)) {
		if (l3_len < 20)
			return -EINVAL;
		sk->family = 2; /* AF_INET */
		memcpy(&sk->src_ip4, l3 + 12, 4);
		memcpy(&sk->dst_ip4, l3 + 16, 4);
	} else if (skb->protocol == __builtin_bswap16(0x86dd)) {
		if (l3_len < 40)
			return -EINVAL;
		sk->family = 10; /* AF_INET6 */
		memcpy(sk->src_ip6, l3 + 8, 16);
		memcpy(sk->dst_ip6, l3 + 24, 16);
	}
	skb->family = sk->family;
	skb->local_ip4 = sk->src_ip4;
	skb->remote_ip4 = sk->dst_ip4;
	memcpy(skb->local_ip6, sk->src_ip6, 16);
	memcpy(skb->remote_ip6, sk->dst_ip6, 16);
	return 0;
}

/* convert_skb_to___skb: the fields ctx_out reports. */
static void skb_ctx_out(struct __sk_buff *out, const struct __sk_buff *rt)
{
	memset(out, 0, sizeof(*out));
	out->mark = rt->mark;
	out->priority = rt->priority;
	out->ingress_ifindex = rt->ingress_ifindex;
	out->ifindex = rt->ifindex;
	out->tstamp = rt->tstamp;
	memcpy(out->cb, rt->cb, sizeof(out->cb));
	out->wire_len = rt->wire_len;
	out->gso_segs = rt->gso_segs;
	out->hwtstamp = rt->hwtstamp;
}

struct skb_setup {
	struct emu_ctx_skb ctx;
	struct bpf_sock sock;
	uint8_t *buf;
	uint32_t size;
	bool is_l2;
};

static int skb_prepare(struct emu_prog *prog, const union bpf_attr *attr,
		       const struct __sk_buff *user, struct skb_setup *s)
{
	uint32_t size = attr->test.data_size_in;
	uint8_t *frame;

	s->is_l2 = prog->type == BPF_PROG_TYPE_SCHED_CLS || prog->type == BPF_PROG_TYPE_SCHED_ACT;
	if (size < ETH_HLEN || size > TEST_RUN_PAGE_SIZE - SKB_HEADROOM - SKB_TAILROOM)
		return -EINVAL;
	if (user && user->ifindex > LOOPBACK_IFINDEX)
		return -ENODEV;
	s->buf = calloc(1, TEST_RUN_PAGE_SIZE);
	if (!s->buf)
		return -ENOMEM;
	frame = s->buf + SKB_HEADROOM;
	memcpy(frame, PTR(attr->test.data_in), size);
	memset(&s->ctx, 0, sizeof(s->ctx));
	skb_eth_type_trans(frame, &s->ctx.uapi);
	if (skb_fill_sock(&s->sock, &s->ctx.uapi, frame + ETH_HLEN, size - ETH_HLEN))
		return -EINVAL;
	s->ctx.uapi.sk = &s->sock;
	s->ctx.uapi.ifindex = LOOPBACK_IFINDEX;
	s->ctx.data = (uint64_t)(uintptr_t)(s->is_l2 ? frame : frame + ETH_HLEN);
	s->ctx.data_end = (uint64_t)(uintptr_t)(frame + size);
	s->ctx.data_meta = s->ctx.data;
	s->ctx.uapi.len = (uint32_t)(s->ctx.data_end - s->ctx.data);
	/* The kernel sets the qdisc pkt_len behind wire_len only from a ctx_in. */
	if (user) {
		int err = skb_ctx_check(user, s->ctx.uapi.len);

		if (err)
			return err;
		s->ctx.uapi.mark = user->mark;
		s->ctx.uapi.priority = user->priority;
		s->ctx.uapi.ingress_ifindex = user->ingress_ifindex;
		memcpy(s->ctx.uapi.cb, user->cb, sizeof(user->cb));
		s->ctx.uapi.tstamp = user->tstamp;
		s->ctx.uapi.wire_len = user->wire_len ? user->wire_len : s->ctx.uapi.len;
		s->ctx.uapi.gso_segs = user->gso_segs;
		s->ctx.uapi.gso_size = user->gso_size;
		s->ctx.uapi.hwtstamp = user->hwtstamp;
	}
	return 0;
}

/* CHECKSUM_COMPLETE: skb->csum covers the packet from the network header; helpers
 * that rewrite bytes with BPF_F_RECOMPUTE_CSUM keep it current. */
static void skb_csum_start(struct emu_run *run, const struct skb_setup *s)
{
	const uint8_t *l3 = s->buf + SKB_HEADROOM + ETH_HLEN;

	run->csum_complete = true;
	run->csum_start = (uint64_t)(uintptr_t)l3;
	run->skb_csum = emu_csum_block(l3, (size_t)(s->ctx.data_end - run->csum_start), 0);
}

/* After the run the packet must still sum to skb->csum (-EBADMSG otherwise). */
static bool skb_csum_ok(const struct emu_run *run, const struct skb_setup *s)
{
	uint16_t now = emu_csum_block((const uint8_t *)(uintptr_t)run->csum_start,
				      (size_t)(s->ctx.data_end - run->csum_start), 0);
	uint16_t kept = run->skb_csum;

	/* ones' complement has two zeros */
	return (now == 0xffff ? 0 : now) == (kept == 0xffff ? 0 : kept);
}

int test_run_skb(struct emu_prog *prog, union bpf_attr *attr)
{
	struct skb_setup s = { 0 };
	struct __sk_buff *user = NULL;
	uint32_t retval, duration;
	struct emu_run run;
	uint8_t *out;
	int err;

	if ((attr->test.flags & ~BPF_F_TEST_SKB_CHECKSUM_COMPLETE) || attr->test.cpu ||
	    attr->test.batch_size)
		return -EINVAL;
	user = test_run_ctx_init(attr, sizeof(struct __sk_buff), &err);
	if (err)
		return err;
	err = skb_prepare(prog, attr, user, &s);
	if (err)
		goto out;
	memset(&run, 0, sizeof(run));
	run.buf = s.buf;
	run.buf_size = TEST_RUN_PAGE_SIZE;
	run.mac_header = (uint64_t)(uintptr_t)(s.buf + SKB_HEADROOM);
	run.network_header = run.mac_header + ETH_HLEN;
	run.ctx_mem[0].base = (uint64_t)(uintptr_t)&s.sock; /* ctx->sk, checked execution */
	run.ctx_mem[0].size = sizeof(s.sock);
	if (attr->test.flags & BPF_F_TEST_SKB_CHECKSUM_COMPLETE)
		skb_csum_start(&run, &s);
	err = test_run_loop(&run, prog, &s.ctx, attr->test.repeat, &retval, &duration);
	if (!err && run.csum_complete && !skb_csum_ok(&run, &s))
		err = -EBADMSG;
	if (err)
		goto out;
	/* L3 types: the Ethernet header is pushed back, zeroed, for data_out */
	out = (uint8_t *)(uintptr_t)s.ctx.data;
	if (!s.is_l2) {
		out -= ETH_HLEN;
		memset(out, 0, ETH_HLEN);
	}
	err = test_run_finish(attr, out, (uint32_t)((uint8_t *)(uintptr_t)s.ctx.data_end - out),
			      retval, duration);
	if (!err && user) {
		skb_ctx_out(user, &s.ctx.uapi);
		err = test_run_ctx_finish(attr, user, sizeof(*user));
	}
out:
	free(s.buf);
	free(user);
	return err;
}

/* verify_user_bpf_flow_keys: only flags may be set. */
static bool flow_keys_ok(const struct bpf_flow_keys *k)
{
	size_t flags_end = offsetof(struct bpf_flow_keys, flags) + sizeof(k->flags);

	return bytes_zero((const uint8_t *)k, offsetof(struct bpf_flow_keys, flags)) &&
	       bytes_zero((const uint8_t *)k + flags_end, sizeof(*k) - flags_end);
}

static uint16_t clamp16(uint32_t v, uint32_t lo, uint32_t hi)
{
	return (uint16_t)(v < lo ? lo : v > hi ? hi : v);
}

int test_run_flow_dissector(struct emu_prog *prog, union bpf_attr *attr)
{
	uint32_t size = attr->test.data_size_in, retval = 0, duration = 0, repeat;
	struct bpf_flow_keys keys, *user;
	struct emu_ctx_skb ctx = { 0 };
	struct emu_run run;
	uint8_t *data;
	int err;

	if (attr->test.flags || attr->test.cpu)
		return -EINVAL;
	if (size < ETH_HLEN || size > TEST_RUN_PAGE_SIZE)
		return -EINVAL;
	user = test_run_ctx_init(attr, sizeof(struct bpf_flow_keys), &err);
	if (err)
		return err;
	if (user && !flow_keys_ok(user)) {
		free(user);
		return -EINVAL;
	}
	data = malloc(size);
	if (!data) {
		free(user);
		return -ENOMEM;
	}
	memcpy(data, PTR(attr->test.data_in), size);
	ctx.uapi.flow_keys = &keys;
	ctx.data = (uint64_t)(uintptr_t)data;
	ctx.data_end = ctx.data + size;
	ctx.data_meta = ctx.data;
	memset(&run, 0, sizeof(run));
	run.ctx_mem[0].base = (uint64_t)(uintptr_t)&keys; /* checked execution */
	run.ctx_mem[0].size = sizeof(keys);
	repeat = attr->test.repeat ? attr->test.repeat : 1;
	for (uint32_t i = 0; i < repeat && !run.fault; i++) {
		uint32_t one;

		/* bpf_flow_dissect: fresh keys with n_proto, nhoff, thoff and flags */
		memset(&keys, 0, sizeof(keys));
		memcpy(&keys.n_proto, data + 12, 2);
		keys.nhoff = ETH_HLEN;
		keys.thoff = ETH_HLEN;
		keys.flags = user ? user->flags : 0;
		err = test_run_loop(&run, prog, &ctx, 1, &retval, &one);
		duration += one;
		keys.nhoff = clamp16(keys.nhoff, ETH_HLEN, size);
		keys.thoff = clamp16(keys.thoff, keys.nhoff, size);
	}
	duration /= repeat;
	if (!err)
		err = test_run_finish(attr, &keys, sizeof(keys), retval, duration);
	if (!err)
		err = test_run_ctx_finish(attr, user, sizeof(*user));
	free(data);
	free(user);
	return err;
}
