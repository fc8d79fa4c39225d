/* ringbuf_consumer.c - libbpf's ring_buffer__* consumer API over emulated RINGBUF
 * maps: one or more rings, each drained through map_ringbuf.c's consumer position.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "bpf/ringbuf.h"
#include "map_int.h"

int emu_ringbuf_consume(struct emu_map *map, int (*cb)(void *ctx, void *data, size_t size),
			void *ctx);
int emu_ringbuf_notify_fd(struct emu_map *map);

#define RING_POLL_SLICE_MS 10 /* producers in other processes do not signal us */

struct ring_buffer_ring {
	struct emu_map *map;      /* reference held */
	ring_buffer_sample_fn cb; /* user callback */
	void *ctx;                /* its context */
};

struct ring_buffer {
	struct ring_buffer_ring *rings;
	size_t count;
	int epoll_fd;  /* watches every ring's eventfd */
};

int ring_buffer__add(struct ring_buffer *rb, int map_fd, ring_buffer_sample_fn sample_cb,
		     void *ctx)
{
	struct ring_buffer_ring *grown;
	struct emu_map *map = emu_map_get_by_fd(map_fd);

	if (!map)
		return -errno;
	if (map->desc.type != BPF_MAP_TYPE_RINGBUF) {
		emu_map_put(map);
		return -EINVAL;
	}
	int notify = emu_ringbuf_notify_fd(map);
	struct epoll_event event = { .events = EPOLLIN, .data.u64 = rb->count };

	if (notify < 0 || epoll_ctl(rb->epoll_fd, EPOLL_CTL_ADD, notify, &event) < 0) {
		int err = notify < 0 ? notify : -errno;

		emu_map_put(map);
		return err;
	}
	grown = realloc(rb->rings, (rb->count + 1) * sizeof(*grown));
	if (!grown) {
		epoll_ctl(rb->epoll_fd, EPOLL_CTL_DEL, notify, NULL);
		emu_map_put(map);
		return -ENOMEM;
	}
	rb->rings = grown;
	rb->rings[rb->count++] = (struct ring_buffer_ring){ map, sample_cb, ctx };
	return 0;
}

struct ring_buffer *ring_buffer__new(int map_fd, ring_buffer_sample_fn sample_cb,
				     void *ctx, const struct ring_buffer_opts *opts)
{
	struct ring_buffer *rb;
	int err;

	if (opts && opts->sz < sizeof(size_t)) {
		errno = EINVAL;
		return NULL;
	}
	rb = calloc(1, sizeof(*rb));
	if (!rb) {
		errno = ENOMEM;
		return NULL;
	}
	rb->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (rb->epoll_fd < 0) {
		err = -errno;
		free(rb);
		errno = -err;
		return NULL;
	}
	err = ring_buffer__add(rb, map_fd, sample_cb, ctx);
	if (err) {
		ring_buffer__free(rb);
		errno = -err;
		return NULL;
	}
	return rb;
}

int ring_buffer__consume(struct ring_buffer *rb)
{
	int64_t total = 0;

	for (size_t i = 0; i < rb->count; i++) {
		struct ring_buffer_ring *r = &rb->rings[i];
		int n = emu_ringbuf_consume(r->map, r->cb, r->ctx);

		if (n < 0)
			return n;
		total += n;
		if (total > INT32_MAX)
			return INT32_MAX;
	}
	return (int)total;
}

static bool ring_buffer_pending(struct ring_buffer *rb)
{
	for (size_t i = 0; i < rb->count; i++)
		if (emu_ringbuf_query(rb->rings[i].map, BPF_RB_AVAIL_DATA))
			return true;
	return false;
}

/* Empty the eventfds that woke us (their counts carry no information). */
static void ring_buffer_drain_events(struct ring_buffer *rb)
{
	uint64_t count;

	for (size_t i = 0; i < rb->count; i++) {
		int fd = emu_ringbuf_notify_fd(rb->rings[i].map);

		while (fd >= 0 && read(fd, &count, sizeof(count)) == sizeof(count))
			;
	}
}

/* Wait for a commit in this process (eventfd) or data from another process sharing a
 * pinned ring (checked every slice), up to timeout_ms (< 0: forever). */
int ring_buffer__poll(struct ring_buffer *rb, int timeout_ms)
{
	struct epoll_event events[8];
	int waited = 0;

	while (!ring_buffer_pending(rb) && (timeout_ms < 0 || waited < timeout_ms)) {
		int slice = RING_POLL_SLICE_MS;

		if (timeout_ms >= 0 && timeout_ms - waited < slice)
			slice = timeout_ms - waited;
		if (epoll_wait(rb->epoll_fd, events, 8, slice) < 0 && errno == EINTR)
			return -EINTR;
		waited += slice;
	}
	ring_buffer_drain_events(rb);
	return ring_buffer__consume(rb);
}

int ring_buffer__epoll_fd(const struct ring_buffer *rb)
{
	return rb->epoll_fd;
}

void ring_buffer__free(struct ring_buffer *rb)
{
	if (!rb)
		return;
	for (size_t i = 0; i < rb->count; i++)
		emu_map_put(rb->rings[i].map);
	if (rb->epoll_fd >= 0)
		close(rb->epoll_fd);
	free(rb->rings);
	free(rb);
}
