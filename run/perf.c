/* perf.c - perf event records of PERF_EVENT_ARRAY maps (bpf_perf_event_output).
 * --kernel: before the runs each map's slot for CPU 0 (where ebpf-run runs) gets a
 * software BPF-output perf event with a mmap'ed ring, after them the ring's samples
 * are read into the report, as libbpf's perf_buffer would deliver them.
 * Emulator: slot 0 gets a placeholder fd (the emulator keeps the records itself) and
 * the records are read back with emu_perf_event_read().
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ebpf/emu.h"
#include "run_int.h"

#define PERF_RING_PAGES 8 /* data pages, a power of two */

struct perf_ring {
	const char *map;  /* borrowed map name */
	int fd;           /* perf event fd */
	void *base;       /* metadata page + data pages */
	size_t size;
};

static struct perf_ring rings[16];
static size_t ring_count;

static int open_output_event(void)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_BPF_OUTPUT;
	attr.sample_type = PERF_SAMPLE_RAW;
	attr.sample_period = 1;
	attr.wakeup_events = 1;
	return (int)syscall(__NR_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
}

static int attach_ring(struct ld_object *obj, const struct ld_map *map)
{
	struct perf_ring *ring = &rings[ring_count];
	long page = sysconf(_SC_PAGESIZE);
	uint32_t cpu0 = 0;
	union bpf_attr attr;

	ring->map = ld_map__name(map);
	ring->size = (size_t)page * (1 + PERF_RING_PAGES);
	ring->fd = open_output_event();
	if (ring->fd < 0)
		return -errno;
	ring->base = mmap(NULL, ring->size, PROT_READ | PROT_WRITE, MAP_SHARED, ring->fd, 0);
	if (ring->base == MAP_FAILED || ioctl(ring->fd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
		int err = -errno;
		if (ring->base != MAP_FAILED)
			munmap(ring->base, ring->size);
		close(ring->fd);
		return err;
	}
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)ld_map__fd(map);
	attr.key = (uint64_t)(uintptr_t)&cpu0;
	attr.value = (uint64_t)(uintptr_t)&ring->fd;
	ring_count++;
	return (int)ld_bpf(ld_object__backend(obj), BPF_MAP_UPDATE_ELEM, &attr, sizeof(attr));
}

int perf_attach_kernel(struct ld_object *obj)
{
	for (size_t i = 0; i < ld_object__map_count(obj) && ring_count < 16; i++) {
		const struct ld_map *map = ld_object__map(obj, i);
		if (ld_map__type(map) != BPF_MAP_TYPE_PERF_EVENT_ARRAY || ld_map__fd(map) < 0)
			continue;
		int err = attach_ring(obj, map);
		if (err)
			return err;
	}
	return 0;
}

static int add_record(struct report *r, const char *map, const uint8_t *data, size_t size)
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
	char *name = malloc(strlen(map) + 6);
	if (name)
		strcat(strcpy(name, "perf "), map);
	grown[r->record_count++] = (struct report_record){ name, copy, size };
	return 0;
}

/* Copy `size` bytes at ring offset `pos` (the data area wraps). */
static void ring_copy(const uint8_t *data, size_t data_size, uint64_t pos, void *out, size_t size)
{
	for (size_t i = 0; i < size; i++)
		((uint8_t *)out)[i] = data[(pos + i) & (data_size - 1)];
}

static int drain_ring(struct perf_ring *ring, struct report *r)
{
	struct perf_event_mmap_page *meta = ring->base;
	const uint8_t *data = (const uint8_t *)ring->base + meta->data_offset;
	size_t data_size = meta->data_size;
	uint64_t head = __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE), tail = meta->data_tail;
	int err = 0;

	while (!err && tail < head) {
		struct perf_event_header header;
		ring_copy(data, data_size, tail, &header, sizeof(header));
		if (header.size < sizeof(header))
			break;
		if (header.type == PERF_RECORD_SAMPLE) {
			uint32_t raw_size;
			ring_copy(data, data_size, tail + sizeof(header), &raw_size, 4);
			uint8_t *raw = malloc(raw_size ? raw_size : 1);
			if (!raw)
				return -ENOMEM;
			ring_copy(data, data_size, tail + sizeof(header) + 4, raw, raw_size);
			err = add_record(r, ring->map, raw, raw_size);
			free(raw);
		}
		tail += header.size;
	}
	__atomic_store_n(&meta->data_tail, tail, __ATOMIC_RELEASE);
	return err;
}

int perf_drain_kernel(struct report *r)
{
	int err = 0;

	for (size_t i = 0; i < ring_count; i++) {
		if (r && !err) /* without a report the rings are only released */
			err = drain_ring(&rings[i], r);
		munmap(rings[i].base, rings[i].size);
		close(rings[i].fd);
	}
	ring_count = 0;
	return err;
}

/* Emulator side: the fds placed in slot 0 of each PERF_EVENT_ARRAY map. */
static int emulator_slot_fds[16];
static const struct ld_map *emulator_maps[16];
static size_t emulator_map_count;

int perf_attach_emulator(struct ld_object *obj)
{
	for (size_t i = 0; i < ld_object__map_count(obj) && emulator_map_count < 16; i++) {
		const struct ld_map *map = ld_object__map(obj, i);
		if (ld_map__type(map) != BPF_MAP_TYPE_PERF_EVENT_ARRAY || ld_map__fd(map) < 0)
			continue;
		int slot_fd = eventfd(0, EFD_CLOEXEC);
		if (slot_fd < 0)
			return -errno;
		uint32_t cpu0 = 0;
		union bpf_attr attr;
		memset(&attr, 0, sizeof(attr));
		attr.map_fd = (uint32_t)ld_map__fd(map);
		attr.key = (uint64_t)(uintptr_t)&cpu0;
		attr.value = (uint64_t)(uintptr_t)&slot_fd;
		emulator_slot_fds[emulator_map_count] = slot_fd;
		emulator_maps[emulator_map_count++] = map;
		int err = (int)ld_bpf(ld_object__backend(obj), BPF_MAP_UPDATE_ELEM, &attr, sizeof(attr));
		if (err < 0)
			return err;
	}
	return 0;
}

int perf_drain_emulator(struct report *r)
{
	static uint8_t record[65536 + 8];
	int err = 0;

	for (size_t i = 0; i < emulator_map_count; i++) {
		int size;
		while (r && !err &&
		       (size = emu_perf_event_read(ld_map__fd(emulator_maps[i]), 0, record,
						   65536)) >= 0) {
			/* The kernel pads a raw sample so that its u32 size field plus the data
			 * end on 8 bytes; perf_buffer consumers see the padded size, so do we. */
			size_t padded = (((size_t)size + 4 + 7) & ~(size_t)7) - 4;
			memset(record + size, 0, padded - (size_t)size);
			err = add_record(r, ld_map__name(emulator_maps[i]), record, padded);
		}
		close(emulator_slot_fds[i]);
	}
	emulator_map_count = 0;
	return err;
}
