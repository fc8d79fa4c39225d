/* verifier_sock.c - socket pointers (kernel PTR_TO_SOCK_COMMON, PTR_TO_SOCKET,
 * PTR_TO_TCP_SOCK): which loads through them are allowed (bpf_sock_is_valid_access and
 * friends). At run time they point at a struct bpf_sock / bpf_tcp_sock in UAPI layout,
 * so an allowed load needs no rewrite. No stores, no pointer arithmetic. */
#include <errno.h>
#include <linux/bpf.h>
#include <stddef.h>

#include "verifier_int.h"

#define FIELD_END(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

bool verifier_is_sock_type(enum vreg_type type)
{
	return type == VREG_SOCK_COMMON || type == VREG_SOCK || type == VREG_TCP_SOCK;
}

/* Loads narrower than a 4-byte field: a power of two, at most the field. */
static bool narrow_ok(int size, int field)
{
	return size <= field && !(size & (size - 1));
}

static bool in_range(int32_t off, size_t start, size_t end)
{
	return off >= (int32_t)start && off < (int32_t)end;
}

/* Kernel bpf_sock_is_valid_access. */
static bool sock_access_ok(int32_t off, int size)
{
	if (off < 0 || off >= (int32_t)sizeof(struct bpf_sock) || off % size)
		return false;
	if (off == offsetof(struct bpf_sock, state) || off == offsetof(struct bpf_sock, family) ||
	    off == offsetof(struct bpf_sock, type) || off == offsetof(struct bpf_sock, protocol) ||
	    off == offsetof(struct bpf_sock, src_port) ||
	    off == offsetof(struct bpf_sock, rx_queue_mapping) ||
	    in_range(off, offsetof(struct bpf_sock, src_ip4), FIELD_END(struct bpf_sock, src_ip4)) ||
	    in_range(off, offsetof(struct bpf_sock, src_ip6), FIELD_END(struct bpf_sock, src_ip6)) ||
	    in_range(off, offsetof(struct bpf_sock, dst_ip4), FIELD_END(struct bpf_sock, dst_ip4)) ||
	    in_range(off, offsetof(struct bpf_sock, dst_ip6), FIELD_END(struct bpf_sock, dst_ip6)))
		return narrow_ok(size, 4);
	if (in_range(off, offsetof(struct bpf_sock, dst_port), FIELD_END(struct bpf_sock, dst_port)))
		return narrow_ok(size, size == 4 ? 4 : 2); /* __be16 and its zero padding */
	if (in_range(off, FIELD_END(struct bpf_sock, dst_port), offsetof(struct bpf_sock, dst_ip4)))
		return false;
	return size == 4;
}

/* Kernel bpf_sock_common_is_valid_access: type .. priority are not common fields. */
static bool sock_common_access_ok(int32_t off, int size)
{
	if (in_range(off, offsetof(struct bpf_sock, type), FIELD_END(struct bpf_sock, priority)))
		return false;
	return sock_access_ok(off, size);
}

/* Kernel bpf_tcp_sock_is_valid_access: whole fields, the two byte counters 8 bytes
 * (their upper halves pass as 4-byte fields, which the kernel then cannot convert). */
static bool tcp_sock_access_ok(struct verifier_env *env, int32_t off, int size)
{
	if (size == 4 && (off == offsetof(struct bpf_tcp_sock, bytes_received) + 4 ||
			  off == offsetof(struct bpf_tcp_sock, bytes_acked) + 4))
		env->ctx_conversion_bug = true;
	if (off < 0 || off >= (int32_t)FIELD_END(struct bpf_tcp_sock, icsk_retransmits) ||
	    off % size)
		return false;
	if (off == offsetof(struct bpf_tcp_sock, bytes_received) ||
	    off == offsetof(struct bpf_tcp_sock, bytes_acked))
		return size == 8;
	return size == 4;
}

/* Kernel check_mem_access for a socket pointer (check_sock_access). */
int verifier_sock_access(struct verifier_env *env, uint32_t regno, int32_t off, int size,
			 bool write, int value_regno)
{
	const struct vreg *reg = &vcur_regs(env)[regno];
	char name[48];
	bool ok;

	vreg_type_name(reg, name, sizeof(name));
	if (write) {
		verbose(env, "R%u cannot write into %s\n", regno, name);
		return -EACCES;
	}
	if (reg->type == VREG_SOCK_COMMON)
		ok = sock_common_access_ok(off, size);
	else if (reg->type == VREG_SOCK)
		ok = sock_access_ok(off, size);
	else
		ok = tcp_sock_access_ok(env, off, size);
	if (!ok) {
		verbose(env, "R%u invalid %s access off=%d size=%d\n", regno, name, off, size);
		return -EACCES;
	}
	if (value_regno >= 0) {
		struct vreg *dst = &vcur_regs(env)[value_regno];
		vreg_mark_unknown(dst);
		dst->written = true;
	}
	return 0;
}
