/* sockets.c - ebpf-run --socket: sockets that bpf_sk_lookup_tcp/udp can find. In the
 * emulator they go into its socket table (emu_socket_add); with --kernel they are real
 * sockets of this process (bound with IP_FREEBIND so any address works), open while
 * the programs run.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ebpf/emu.h"
#include "run_int.h"

#define STATE_ESTABLISHED 1 /* TCP_ESTABLISHED */
#define STATE_CLOSE 7       /* TCP_CLOSE: an unconnected UDP socket */
#define STATE_LISTEN 10     /* TCP_LISTEN */
#define FREEBIND_V4 15      /* IP_FREEBIND */
#define FREEBIND_V6 78      /* IPV6_FREEBIND */

/* "ADDR:PORT" or "[ADDR6]:PORT" into family, address (network order) and port. */
static int parse_endpoint(const char *text, size_t length, uint32_t *family, uint32_t ip[4],
			  uint16_t *port)
{
	char buffer[80], *colon, *end;
	const char *address = buffer;

	if (length >= sizeof(buffer))
		return -1;
	memcpy(buffer, text, length);
	buffer[length] = '\0';
	colon = strrchr(buffer, ':');
	if (!colon || colon == buffer)
		return -1;
	*colon = '\0';
	unsigned long value = strtoul(colon + 1, &end, 10);
	if (!colon[1] || *end || value == 0 || value > 65535)
		return -1;
	*port = (uint16_t)value;
	if (buffer[0] == '[' && colon[-1] == ']') {
		colon[-1] = '\0';
		address = buffer + 1;
		*family = AF_INET6;
		return inet_pton(AF_INET6, address, ip) == 1 ? 0 : -1;
	}
	*family = AF_INET;
	return inet_pton(AF_INET, address, ip) == 1 ? 0 : -1;
}

int sockets_parse(const char *spec, struct bpf_sock *out, char *err, size_t errlen)
{
	const char *local = strchr(spec, ':'), *remote;
	uint32_t remote_family, remote_ip[4] = { 0 };
	uint16_t remote_port = 0, local_port;
	bool tcp;

	memset(out, 0, sizeof(*out));
	if (!local || ((tcp = !strncmp(spec, "tcp:", 4)) == false && strncmp(spec, "udp:", 4)))
		goto bad;
	local++;
	remote = strchr(local, ',');
	if (parse_endpoint(local, remote ? (size_t)(remote - local) : strlen(local),
			   &out->family, out->src_ip6, &local_port) ||
	    (remote && (parse_endpoint(remote + 1, strlen(remote + 1), &remote_family,
				       remote_ip, &remote_port) || remote_family != out->family)))
		goto bad;
	if (out->family == AF_INET)
		out->src_ip4 = out->src_ip6[0], out->src_ip6[0] = 0;
	out->type = tcp ? SOCK_STREAM : SOCK_DGRAM;
	out->protocol = tcp ? IPPROTO_TCP : IPPROTO_UDP;
	out->state = remote ? STATE_ESTABLISHED : tcp ? STATE_LISTEN : STATE_CLOSE;
	out->src_port = local_port;
	out->dst_port = htons(remote_port);
	if (out->family == AF_INET)
		out->dst_ip4 = remote_ip[0];
	else
		memcpy(out->dst_ip6, remote_ip, sizeof(remote_ip));
	return 0;
bad:
	snprintf(err, errlen, "'%s' is not tcp:ADDR:PORT[,ADDR:PORT] or udp:... (IPv6 "
		 "addresses in brackets)", spec);
	return -1;
}

int sockets_install_emulator(const struct run_options *opts)
{
	emu_socket_clear();
	for (size_t i = 0; i < opts->socket_count; i++) {
		int err = emu_socket_add(&opts->sockets[i]);
		if (err)
			return err;
	}
	return 0;
}

/* The socket address of one end of `sk`: local (src) or remote (dst). */
static socklen_t socket_address(const struct bpf_sock *sk, bool local,
				struct sockaddr_storage *out)
{
	memset(out, 0, sizeof(*out));
	if (sk->family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)out;
		in->sin_family = AF_INET;
		in->sin_port = local ? htons((uint16_t)sk->src_port) : (uint16_t)sk->dst_port;
		in->sin_addr.s_addr = local ? sk->src_ip4 : sk->dst_ip4;
		return sizeof(*in);
	}
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)out;
	in6->sin6_family = AF_INET6;
	in6->sin6_port = local ? htons((uint16_t)sk->src_port) : (uint16_t)sk->dst_port;
	memcpy(&in6->sin6_addr, local ? sk->src_ip6 : sk->dst_ip6, 16);
	return sizeof(*in6);
}

/* One real socket like `sk`; its fd or -errno. */
static int open_kernel_socket(const struct bpf_sock *sk)
{
	struct sockaddr_storage address;
	int fd = socket((int)sk->family, (int)sk->type, (int)sk->protocol), on = 1;
	bool v4 = sk->family == AF_INET;

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) ||
	    setsockopt(fd, v4 ? IPPROTO_IP : IPPROTO_IPV6, v4 ? FREEBIND_V4 : FREEBIND_V6, &on,
		       sizeof(on)) ||
	    bind(fd, (struct sockaddr *)&address, socket_address(sk, true, &address)) ||
	    (sk->state == STATE_LISTEN && listen(fd, 1)) ||
	    (sk->state == STATE_ESTABLISHED &&
	     connect(fd, (struct sockaddr *)&address, socket_address(sk, false, &address)))) {
		int err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int sockets_open_kernel(const struct run_options *opts, int *fds, char *err, size_t errlen)
{
	for (size_t i = 0; i < opts->socket_count; i++) {
		const struct bpf_sock *sk = &opts->sockets[i];
		if (sk->protocol == IPPROTO_TCP && sk->state == STATE_ESTABLISHED) {
			snprintf(err, errlen, "--socket %s: an established TCP socket exists only in "
				 "the emulator", opts->socket_specs[i]);
			sockets_close_kernel(fds, i);
			return -EINVAL;
		}
		fds[i] = open_kernel_socket(sk);
		if (fds[i] < 0) {
			int error = fds[i];
			snprintf(err, errlen, "--socket %s: %s", opts->socket_specs[i],
				 strerror(-error));
			sockets_close_kernel(fds, i);
			return error;
		}
	}
	return 0;
}

void sockets_close_kernel(int *fds, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}
