/* map_ringbuf.c - RINGBUF: a power-of-two byte ring shared by all CPUs. Records carry
 * the kernel's 8-byte header (length with BUSY/DISCARD bits, page offset); the data
 * pages are mapped twice back to back so every record is contiguous, as in the kernel.
 *
 * The map's file is laid out as user space sees an mmap of the kernel's ringbuf fd:
 * the consumer position's page, the producer position's page, the data, then the data
 * again (a copy the producer keeps of the part of a record that wraps), and the
 * emulator's header page last. libbpf-style code maps the fd as it maps the kernel's;
 * mmap() below refuses what the kernel's ringbuf_map_mmap_kern refuses.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <string.h>
#include <sys/mman.h>

#include "map_int.h"

#define RINGBUF_BUSY_BIT (1u << 31)
#define RINGBUF_DISCARD_BIT (1u << 30)
#define RINGBUF_HDR_SZ 8u
#define RINGBUF_MAX_RECORD_SZ (UINT32_MAX / 4)
/* Pages before the data: the consumer and producer positions. The kernel's struct
 * bpf_ringbuf has one more page in front (RINGBUF_PGOFF) that an mmap never shows,
 * and record headers count pages from there. */
#define RINGBUF_POS_PAGES 2u
#define RINGBUF_PGOFF 1u

enum { RB_CONSUMER_POS, RB_PRODUCER_POS }; /* page of each position */

struct ringbuf_hdr {
	uint32_t len;    /* record length | BUSY | DISCARD */
	uint32_t pg_off; /* pages from the start of the ring (the kernel's use) */
};

static int ringbuf_alloc_check(const union bpf_attr *attr)
{
	uint32_t size = attr->max_entries;

	if (attr->map_flags & ~(uint32_t)BPF_F_NUMA_NODE)
		return -EINVAL;
	if (attr->key_size || attr->value_size || !size || (size & (size - 1)) ||
	    size % EMU_PAGE_SIZE)
		return -EINVAL;
	return 0;
}

/* The position pages, the data and its copy (the header page comes on top). */
static uint64_t ringbuf_data_size(const struct emu_map *map)
{
	return RINGBUF_POS_PAGES * EMU_PAGE_SIZE + 2 * (uint64_t)map->desc.max_entries;
}

static unsigned char *ringbuf_copy(const struct emu_map *map)
{
	return map->data + RINGBUF_POS_PAGES * EMU_PAGE_SIZE + map->desc.max_entries;
}

/* Rings mapped in this process, so a commit (which only has the record) finds its map
 * and wakes the consumers waiting on the map's eventfd. */
struct ring_entry {
	struct emu_map *map;     /* not referenced: removed when the map goes */
	int notify_fd;           /* eventfd consumers poll, -1 until asked for */
	dev_t dev;               /* identity of the map's file, for mmap() */
	ino_t ino;
	struct ring_entry *next;
};
static struct ring_entry *rings;
static pthread_mutex_t rings_lock = PTHREAD_MUTEX_INITIALIZER;

static void ring_register(struct emu_map *map)
{
	struct ring_entry *entry = malloc(sizeof(*entry));

	if (!entry)
		return; /* commits then wake nobody; consumers still see the data */
	pthread_mutex_lock(&rings_lock);
	*entry = (struct ring_entry){ map, -1, map->dev, map->ino, rings };
	rings = entry;
	pthread_mutex_unlock(&rings_lock);
}

static void ring_unregister(struct emu_map *map)
{
	struct ring_entry **link, *gone = NULL;

	pthread_mutex_lock(&rings_lock);
	for (link = &rings; *link; link = &(*link)->next) {
		if ((*link)->map == map) {
			gone = *link;
			*link = gone->next;
			break;
		}
	}
	pthread_mutex_unlock(&rings_lock);
	if (gone && gone->notify_fd >= 0)
		close(gone->notify_fd);
	free(gone);
}

int emu_ringbuf_notify_fd(struct emu_map *map)
{
	int fd = -ENOENT;

	pthread_mutex_lock(&rings_lock);
	for (struct ring_entry *e = rings; e; e = e->next) {
		if (e->map != map)
			continue;
		if (e->notify_fd < 0)
			e->notify_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		fd = e->notify_fd < 0 ? -errno : e->notify_fd;
		break;
	}
	pthread_mutex_unlock(&rings_lock);
	return fd;
}

/* The entry of the ring whose data pages start at `ring`; rings_lock held. */
static struct ring_entry *ring_find_locked(const unsigned char *ring)
{
	for (struct ring_entry *e = rings; e; e = e->next)
		if (e->map->ring == ring)
			return e;
	return NULL;
}

void *emu_mmap_raw(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
	return (void *)syscall(SYS_mmap, addr, length, prot, flags, fd, offset);
}

/* Data bytes of the ring whose file is (dev, ino), or 0 when no ring of ours has it. */
static uint64_t ring_size_of_file(dev_t dev, ino_t ino)
{
	uint64_t size = 0;

	pthread_mutex_lock(&rings_lock);
	for (struct ring_entry *e = rings; e && !size; e = e->next)
		if (e->dev == dev && e->ino == ino)
			size = e->map->desc.max_entries;
	pthread_mutex_unlock(&rings_lock);
	return size;
}

/* The kernel's bpf_map_mmap and ringbuf_map_mmap_kern for a user mapping of a ringbuf
 * fd: shared only; writable only as the consumer position's page; within the position
 * pages and the data mapped twice (remap_vmalloc_range). 0 or a negative errno. */
static int ringbuf_mmap_check(uint64_t size, size_t length, int prot, int flags, off_t offset)
{
	int type = flags & MAP_TYPE;

	if (type != MAP_SHARED && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if ((prot & PROT_WRITE) && (offset != 0 || length != EMU_PAGE_SIZE))
		return -EPERM;
	if (offset < 0 || (uint64_t)offset + EMU_ROUND_UP(length, EMU_PAGE_SIZE) >
				  RINGBUF_POS_PAGES * EMU_PAGE_SIZE + 2 * size)
		return -EINVAL;
	return 0;
}

/* mmap(2) as seen by programs linked with libebpfemu: a ringbuf map's fd maps as the
 * kernel's does (layout above, checks of ringbuf_mmap_check), every other mapping
 * goes straight to the system call. A read-only mapping of a ring is made through a
 * read-only open of the file, so that mprotect() cannot make it writable later (the
 * kernel clears VM_MAYWRITE). The emulator maps its files with emu_mmap_raw. */
void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
	struct stat st;
	uint64_t size;
	int err, read_only_fd;
	char path[64];

	if (fd < 0 || (flags & MAP_ANONYMOUS) || fstat(fd, &st) < 0 ||
	    !(size = ring_size_of_file(st.st_dev, st.st_ino)))
		return emu_mmap_raw(addr, length, prot, flags, fd, offset);
	err = ringbuf_mmap_check(size, length, prot, flags, offset);
	if (err) {
		errno = -err;
		return MAP_FAILED;
	}
	if (prot & PROT_WRITE)
		return emu_mmap_raw(addr, length, prot, flags, fd, offset);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	read_only_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (read_only_fd < 0)
		return emu_mmap_raw(addr, length, prot, flags, fd, offset);
	void *mapped = emu_mmap_raw(addr, length, prot, flags, read_only_fd, offset);
	err = errno;
	syscall(SYS_close, read_only_fd);
	errno = err;
	return mapped;
}

/* Map the data pages twice in a row inside one reserved range. */
static int ringbuf_mapped(struct emu_map *map, int fd)
{
	size_t size = map->desc.max_entries;
	off_t off = (off_t)(map->file->data_offset + RINGBUF_POS_PAGES * EMU_PAGE_SIZE);
	unsigned char *base = emu_mmap_raw(NULL, 2 * size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
				       -1, 0);

	if (base == MAP_FAILED)
		return -ENOMEM;
	if (emu_mmap_raw(base, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, off) ==
		    MAP_FAILED ||
	    emu_mmap_raw(base + size, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd,
		     off) == MAP_FAILED) {
		munmap(base, 2 * size);
		return -ENOMEM;
	}
	map->ring = base;
	ring_register(map);
	return 0;
}

static void ringbuf_free(struct emu_map *map)
{
	ring_unregister(map);
	if (map->ring)
		munmap(map->ring, 2 * (size_t)map->desc.max_entries);
	map->ring = NULL;
}

static void *ringbuf_lookup_unsupported(struct emu_map *map, const void *key)
{
	return NULL;
}

static int ringbuf_sys_unsupported(struct emu_map *map, const void *key, void *value,
				   uint64_t flags)
{
	return -EMU_ENOTSUPP;
}

static int ringbuf_sys_update_unsupported(struct emu_map *map, const void *key,
					  const void *value, uint64_t flags)
{
	return -EMU_ENOTSUPP;
}

static int ringbuf_get_next_key(struct emu_map *map, const void *key, void *next_key)
{
	return -EMU_ENOTSUPP;
}

static long ringbuf_delete(struct emu_map *map, const void *key)
{
	return -EMU_ENOTSUPP;
}

static uint64_t *ringbuf_pos(struct emu_map *map, int which)
{
	return (uint64_t *)(map->data + (size_t)which * EMU_PAGE_SIZE);
}

void *emu_ringbuf_reserve(struct emu_map *map, uint64_t size, uint64_t flags)
{
	uint64_t mask = map->desc.max_entries - 1, cons, prod, len;
	struct ringbuf_hdr *hdr;

	if (flags || size > RINGBUF_MAX_RECORD_SZ)
		return NULL;
	len = EMU_ROUND_UP(size + RINGBUF_HDR_SZ, 8);
	if (len > mask + 1)
		return NULL;
	emu_map_lock(map);
	cons = atomic_load((_Atomic uint64_t *)ringbuf_pos(map, RB_CONSUMER_POS));
	prod = *ringbuf_pos(map, RB_PRODUCER_POS);
	if (prod + len - cons > mask + 1) {
		emu_map_unlock(map);
		return NULL;
	}
	hdr = (struct ringbuf_hdr *)(map->ring + (prod & mask));
	hdr->len = (uint32_t)size | RINGBUF_BUSY_BIT;
	/* pages from the kernel's struct bpf_ringbuf to the header */
	hdr->pg_off = (uint32_t)((prod & mask) / EMU_PAGE_SIZE) + RINGBUF_PGOFF + RINGBUF_POS_PAGES;
	atomic_store((_Atomic uint64_t *)ringbuf_pos(map, RB_PRODUCER_POS), prod + len);
	emu_map_unlock(map);
	return hdr + 1;
}

void emu_ringbuf_commit(void *sample, bool discard, uint64_t flags)
{
	struct ringbuf_hdr *hdr = (struct ringbuf_hdr *)sample - 1;
	uint32_t len = hdr->len & ~RINGBUF_BUSY_BIT;
	uintptr_t page = (uintptr_t)hdr & ~(uintptr_t)(EMU_PAGE_SIZE - 1);
	const unsigned char *ring = (const unsigned char *)(page - (uintptr_t)(hdr->pg_off -
					RINGBUF_PGOFF - RINGBUF_POS_PAGES) * EMU_PAGE_SIZE);
	uint64_t end = (uint64_t)((const unsigned char *)hdr - ring) + RINGBUF_HDR_SZ + len;
	bool wake = (!discard && !(flags & BPF_RB_NO_WAKEUP)) || (flags & BPF_RB_FORCE_WAKEUP);
	uint64_t one = 1;

	pthread_mutex_lock(&rings_lock);
	struct ring_entry *e = ring_find_locked(ring);
	/* the part that wrapped past the end reaches the data's copy (read by user-space
	 * mappings of the fd) before the record is marked complete */
	if (e && !discard && end > e->map->desc.max_entries)
		memcpy(ringbuf_copy(e->map), ring, end - e->map->desc.max_entries);
	if (discard)
		len |= RINGBUF_DISCARD_BIT;
	atomic_store((_Atomic uint32_t *)&hdr->len, len);
	if (e && wake && e->notify_fd >= 0)
		(void)!write(e->notify_fd, &one, sizeof(one));
	pthread_mutex_unlock(&rings_lock);
}

long emu_ringbuf_output(struct emu_map *map, const void *data, uint64_t size,
			uint64_t flags)
{
	void *rec;

	if (flags & ~(uint64_t)(BPF_RB_NO_WAKEUP | BPF_RB_FORCE_WAKEUP))
		return -EINVAL;
	rec = emu_ringbuf_reserve(map, size, 0);
	if (!rec)
		return -EAGAIN;
	memcpy(rec, data, size);
	emu_ringbuf_commit(rec, false, flags);
	return 0;
}

uint64_t emu_ringbuf_query(struct emu_map *map, uint64_t flags)
{
	uint64_t cons = *ringbuf_pos(map, RB_CONSUMER_POS);
	uint64_t prod = *ringbuf_pos(map, RB_PRODUCER_POS);

	switch (flags) {
	case BPF_RB_AVAIL_DATA: return prod - cons;
	case BPF_RB_RING_SIZE: return map->desc.max_entries;
	case BPF_RB_CONS_POS: return cons;
	case BPF_RB_PROD_POS: return prod;
	default: return 0;
	}
}

/* Consumer side: hand committed records to cb until it returns non-zero or the ring
 * is drained up to a busy record. Returns records consumed or cb's negative value. */
int emu_ringbuf_consume(struct emu_map *map, int (*cb)(void *ctx, void *data, size_t size),
			void *ctx)
{
	uint64_t mask = map->desc.max_entries - 1, cons, prod;
	int count = 0;

	cons = atomic_load((_Atomic uint64_t *)ringbuf_pos(map, RB_CONSUMER_POS));
	for (;;) {
		struct ringbuf_hdr *hdr;
		uint32_t len;

		prod = atomic_load((_Atomic uint64_t *)ringbuf_pos(map, RB_PRODUCER_POS));
		if (cons >= prod)
			break;
		hdr = (struct ringbuf_hdr *)(map->ring + (cons & mask));
		len = atomic_load((_Atomic uint32_t *)&hdr->len);
		if (len & RINGBUF_BUSY_BIT)
			break;
		cons += EMU_ROUND_UP((len & ~RINGBUF_DISCARD_BIT) + RINGBUF_HDR_SZ, 8);
		if (!(len & RINGBUF_DISCARD_BIT)) {
			int err = cb(ctx, hdr + 1, len & ~RINGBUF_DISCARD_BIT);

			atomic_store((_Atomic uint64_t *)ringbuf_pos(map, RB_CONSUMER_POS), cons);
			if (err < 0)
				return err;
			if (count < INT32_MAX)
				count++;
			continue;
		}
		atomic_store((_Atomic uint64_t *)ringbuf_pos(map, RB_CONSUMER_POS), cons);
	}
	return count;
}

const struct emu_map_ops emu_ringbuf_ops = {
	.alloc_check = ringbuf_alloc_check,
	.data_size = ringbuf_data_size,
	.mapped = ringbuf_mapped,
	.free = ringbuf_free,
	.lookup = ringbuf_lookup_unsupported,
	.delete = ringbuf_delete,
	.get_next_key = ringbuf_get_next_key,
	.sys_lookup = ringbuf_sys_unsupported,
	.sys_update = ringbuf_sys_update_unsupported,
};
