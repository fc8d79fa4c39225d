/* ringbuf.c - ring buffer records produced during the runs: read through the
 * kernel's mmap layout (consumer page, producer page, data mapped twice) for --kernel,
 * and through libebpfemu's ring_buffer__consume for the emulator.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bpf/ringbuf.h>

#include "run_int.h"

#define RINGBUF_BUSY_BIT (1u << 31)
#define RINGBUF_DISCARD_BIT (1u << 30)
#define RINGBUF_HEADER_SIZE 8

static int add_record(struct report *r, const char *name, const void *data, size_t size)
{
	struct report_record *grown = realloc(r->records, (r->record_count + 1) * sizeof(*grown));
	uint8_t *copy = malloc(size ? size : 1);

	if (!grown || !copy) {
		free(copy);
		if (grown)
			r->records = grown;
		return -ENOMEM;
	}
	memcpy(copy, data, size);
	r->records = grown;
	grown[r->record_count++] = (struct report_record){ strdup(name), copy, size };
	return 0;
}

int dump_ringbuf_kernel(int map_fd, uint32_t size, const char *name, struct report *r)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t *consumer = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	uint8_t *producer;
	int err = 0;

	if (consumer == MAP_FAILED)
		return -errno;
	producer = mmap(NULL, (size_t)page + 2 * (size_t)size, PROT_READ, MAP_SHARED, map_fd, page);
	if (producer == MAP_FAILED) {
		err = -errno;
		munmap(consumer, (size_t)page);
		return err;
	}
	uint64_t cons = __atomic_load_n(consumer, __ATOMIC_ACQUIRE);
	uint64_t prod = __atomic_load_n((uint64_t *)producer, __ATOMIC_ACQUIRE);
	const uint8_t *data = producer + page;
	while (!err && cons < prod) {
		uint32_t len;
		memcpy(&len, data + (cons & (size - 1)), 4);
		if (len & RINGBUF_BUSY_BIT)
			break;
		uint32_t payload = len & ~(RINGBUF_BUSY_BIT | RINGBUF_DISCARD_BIT);
		if (!(len & RINGBUF_DISCARD_BIT))
			err = add_record(r, name, data + (cons & (size - 1)) + RINGBUF_HEADER_SIZE, payload);
		cons += (payload + RINGBUF_HEADER_SIZE + 7) / 8 * 8;
	}
	__atomic_store_n(consumer, cons, __ATOMIC_RELEASE);
	munmap(producer, (size_t)page + 2 * (size_t)size);
	munmap(consumer, (size_t)page);
	return err;
}

struct consume_ctx {
	struct report *report;
	const char *name;
	int err;
};

static int on_sample(void *ctx, void *data, size_t size)
{
	struct consume_ctx *c = ctx;
	c->err = add_record(c->report, c->name, data, size);
	return c->err;
}

static int dump_ringbuf_emulator(int map_fd, const char *name, struct report *r)
{
	struct consume_ctx ctx = { r, name, 0 };
	struct ring_buffer *rb = ring_buffer__new(map_fd, on_sample, &ctx, NULL);
	int ret;

	if (!rb)
		return -errno;
	ret = ring_buffer__consume(rb);
	ring_buffer__free(rb);
	return ret < 0 ? ret : ctx.err;
}

int dump_ringbufs(struct ld_object *obj, bool kernel, struct report *r)
{
	for (size_t i = 0; i < ld_object__map_count(obj); i++) {
		const struct ld_map *map = ld_object__map(obj, i);
		int err;
		if (ld_map__type(map) != BPF_MAP_TYPE_RINGBUF || ld_map__fd(map) < 0)
			continue;
		err = kernel ? dump_ringbuf_kernel(ld_map__fd(map), ld_map__max_entries(map),
						   ld_map__name(map), r)
			     : dump_ringbuf_emulator(ld_map__fd(map), ld_map__name(map), r);
		if (err)
			return err;
	}
	return 0;
}
