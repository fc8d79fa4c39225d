/* ringbuf_consumer.c - libbpf's ring_buffer__* consumer API over emulated RINGBUF
 * maps: one or more rings, each drained through map_ringbuf.c's consumer position.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "bpf/ringbuf.h"
#include "map_int.h"

int emu_ringbuf_consume(struct emu_map *map, int (*cb)(void *ctx, void *data, size_t size),
			void *ctx);

struct ring_buffer_ring {
	struct emu_map *map;      /* reference held */
	ring_buffer_sample_fn cb; /* user callback */
	void *ctx;                /* its context */
};

struct ring_buffer {
	struct ring_buffer_ring *rings;
	size_t count;
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
	grown = realloc(rb->rings, (rb->count + 1) * sizeof(*grown));
	if (!grown) {
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

int ring_buffer__poll(struct ring_buffer *rb, int timeout_ms)
{
	struct timespec step = { 0, 1000000 };
	int waited = 0;

	while (!ring_buffer_pending(rb) && (timeout_ms < 0 || waited < timeout_ms)) {
		nanosleep(&step, NULL);
		waited++;
	}
	return ring_buffer__consume(rb);
}

int ring_buffer__epoll_fd(const struct ring_buffer *rb)
{
	return -EOPNOTSUPP;
}

void ring_buffer__free(struct ring_buffer *rb)
{
	if (!rb)
		return;
	for (size_t i = 0; i < rb->count; i++)
		emu_map_put(rb->rings[i].map);
	free(rb->rings);
	free(rb);
}
