/* ringbuf.h - libbpf's ring buffer consumer API (ring_buffer__*) over the emulated
 * kernel's RINGBUF maps; included by <bpf/libbpf.h>. Same signatures and conventions
 * as libbpf 1.x: NULL with errno, or a negative errno.
 */
#ifndef EBPF_BPF_RINGBUF_H
#define EBPF_BPF_RINGBUF_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ring_buffer;
typedef int (*ring_buffer_sample_fn)(void *ctx, void *data, size_t size);
struct ring_buffer_opts {
	size_t sz; /* size of this struct, for forward/backward compatibility */
};
#define ring_buffer_opts__last_field sz

/* Callbacks returning < 0 stop consumption and that value is returned; otherwise the
 * number of records consumed (capped at INT_MAX). Discarded records are skipped.
 * poll waits up to timeout_ms (< 0: forever) for data: commits in this process wake
 * the epoll fd (unless BPF_RB_NO_WAKEUP), producers in another process sharing a pinned
 * ring are noticed within 10 ms. epoll_fd is an epoll instance over all the rings, as
 * in libbpf. */
struct ring_buffer *ring_buffer__new(int map_fd, ring_buffer_sample_fn sample_cb,
				     void *ctx, const struct ring_buffer_opts *opts);
int ring_buffer__add(struct ring_buffer *rb, int map_fd, ring_buffer_sample_fn sample_cb,
		     void *ctx);
int ring_buffer__poll(struct ring_buffer *rb, int timeout_ms);
int ring_buffer__consume(struct ring_buffer *rb);
int ring_buffer__epoll_fd(const struct ring_buffer *rb);
void ring_buffer__free(struct ring_buffer *rb);

#ifdef __cplusplus
}
#endif

#endif /* EBPF_BPF_RINGBUF_H */
