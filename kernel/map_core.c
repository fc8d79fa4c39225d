/* map_core.c - map objects independent of their type: creation over a shared storage
 * file, attaching to a pinned file, the cross-process lock, reference counts, and the
 * program-side operations of emu_int.h that dispatch to the type's table.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpffs_int.h"
#include "map_int.h"

#define EMU_MAP_HEADER_SIZE EMU_PAGE_SIZE

extern const struct emu_map_ops emu_array_ops, emu_percpu_array_ops, emu_prog_array_ops,
	emu_perf_event_array_ops, emu_array_of_maps_ops, emu_hash_ops, emu_percpu_hash_ops,
	emu_lru_hash_ops, emu_lru_percpu_hash_ops, emu_hash_of_maps_ops, emu_lpm_trie_ops,
	emu_queue_ops, emu_stack_ops, emu_bloom_filter_ops, emu_ringbuf_ops;
extern const struct emu_map_ops emu_devmap_ops, emu_devmap_hash_ops, emu_cpumap_ops,
	emu_xskmap_ops;

const struct emu_map_ops *emu_map_ops_of(uint32_t type)
{
	switch (type) {
	case BPF_MAP_TYPE_HASH: return &emu_hash_ops;
	case BPF_MAP_TYPE_ARRAY: return &emu_array_ops;
	case BPF_MAP_TYPE_PROG_ARRAY: return &emu_prog_array_ops;
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY: return &emu_perf_event_array_ops;
	case BPF_MAP_TYPE_PERCPU_HASH: return &emu_percpu_hash_ops;
	case BPF_MAP_TYPE_PERCPU_ARRAY: return &emu_percpu_array_ops;
	case BPF_MAP_TYPE_LRU_HASH: return &emu_lru_hash_ops;
	case BPF_MAP_TYPE_LRU_PERCPU_HASH: return &emu_lru_percpu_hash_ops;
	case BPF_MAP_TYPE_LPM_TRIE: return &emu_lpm_trie_ops;
	case BPF_MAP_TYPE_ARRAY_OF_MAPS: return &emu_array_of_maps_ops;
	case BPF_MAP_TYPE_HASH_OF_MAPS: return &emu_hash_of_maps_ops;
	case BPF_MAP_TYPE_QUEUE: return &emu_queue_ops;
	case BPF_MAP_TYPE_STACK: return &emu_stack_ops;
	case BPF_MAP_TYPE_RINGBUF: return &emu_ringbuf_ops;
	case BPF_MAP_TYPE_BLOOM_FILTER: return &emu_bloom_filter_ops;
	case BPF_MAP_TYPE_DEVMAP: return &emu_devmap_ops;
	case BPF_MAP_TYPE_DEVMAP_HASH: return &emu_devmap_hash_ops;
	case BPF_MAP_TYPE_CPUMAP: return &emu_cpumap_ops;
	case BPF_MAP_TYPE_XSKMAP: return &emu_xskmap_ops;
	default: return NULL;
	}
}

static bool map_is_percpu(uint32_t type)
{
	return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

static void map_desc_from_file(struct emu_map *map)
{
	const struct emu_map_file *f = map->file;

	map->desc.type = f->type;
	map->desc.key_size = f->key_size;
	map->desc.value_size = f->value_size;
	map->desc.max_entries = f->max_entries;
	map->desc.map_flags = f->map_flags;
	map->desc.btf_key_type_id = f->btf_key_type_id;
	map->desc.btf_value_type_id = f->btf_value_type_id;
	memcpy(map->desc.name, f->name, sizeof(map->desc.name));
	map->desc.frozen = f->frozen != 0;
	map->ncpus = f->ncpus;
	map->map_extra = f->map_extra;
}

static int map_init_lock(struct emu_map_file *f)
{
	pthread_mutexattr_t attr;
	int err;

	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	err = pthread_mutex_init(&f->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	return -err;
}

static struct emu_map *map_alloc_object(void)
{
	struct emu_map *map = calloc(1, sizeof(*map));

	if (!map)
		return NULL;
	atomic_init(&map->refcnt, 1);
	atomic_init(&map->usercnt, 0);
	map->storage_fd = -1;
	return map;
}

/* Map `size` bytes of `fd` shared and remember the file's identity. */
static int map_mmap(struct emu_map *map, int fd, uint64_t size)
{
	struct stat st;
	void *base;

	if (fstat(fd, &st) < 0)
		return -errno;
	base = emu_mmap_raw(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (base == MAP_FAILED)
		return -ENOMEM;
	map->base = base;
	map->file_size = size;
	map->dev = st.st_dev;
	map->ino = st.st_ino;
	return 0;
}

static void map_fill_header(struct emu_map *map, const union bpf_attr *attr,
			    uint64_t file_size, uint64_t header_offset)
{
	struct emu_map_file *f = map->file;

	memcpy(f->magic, EMU_MAP_FILE_MAGIC, sizeof(f->magic));
	f->version = EMU_MAP_FILE_VERSION;
	f->file_size = file_size;
	f->header_offset = header_offset;
	f->data_offset = header_offset ? 0 : EMU_MAP_HEADER_SIZE;
	f->type = attr->map_type;
	f->key_size = attr->key_size;
	f->value_size = attr->value_size;
	f->max_entries = map->desc.max_entries;
	f->map_flags = attr->map_flags;
	f->ncpus = map->ncpus;
	f->map_extra = attr->map_extra;
	f->btf_key_type_id = attr->btf_key_type_id;
	f->btf_value_type_id = attr->btf_value_type_id;
	f->creator_pid = (uint32_t)getpid();
	f->spin_lock_off = -1;
	f->timer_off = -1;
	memcpy(f->name, attr->map_name, sizeof(f->name));
}

/* htab_map_alloc: an LRU map with per-CPU lists gets the same number of elements per
 * CPU, so max_entries is rounded up to a multiple of the CPU count. */
static uint32_t map_max_entries(const union bpf_attr *attr)
{
	uint64_t cpus = emu_config_possible_cpus(), max = attr->max_entries;
	bool lru = attr->map_type == BPF_MAP_TYPE_LRU_HASH ||
		   attr->map_type == BPF_MAP_TYPE_LRU_PERCPU_HASH;

	if (!lru || !(attr->map_flags & BPF_F_NO_COMMON_LRU))
		return attr->max_entries;
	max = (max + cpus - 1) / cpus * cpus;
	if (max > UINT32_MAX)
		max = attr->max_entries / cpus * cpus;
	return (uint32_t)max;
}

/* Size the storage before it exists: ops->data_size reads only desc and ncpus. */
static void map_desc_from_attr(struct emu_map *map, const union bpf_attr *attr)
{
	map->desc.type = attr->map_type;
	map->desc.key_size = attr->key_size;
	map->desc.value_size = attr->value_size;
	map->desc.max_entries = map_max_entries(attr);
	map->desc.map_flags = attr->map_flags;
	map->ncpus = map_is_percpu(attr->map_type) ? emu_config_possible_cpus() : 1;
	map->map_extra = attr->map_extra;
}

/* bpf_map_meta_alloc: the template of a map-in-map from attr->inner_map_fd. */
static int map_make_inner_meta(struct emu_map *map, const union bpf_attr *attr)
{
	struct emu_map *inner;

	if (attr->map_type != BPF_MAP_TYPE_ARRAY_OF_MAPS &&
	    attr->map_type != BPF_MAP_TYPE_HASH_OF_MAPS)
		return 0;
	inner = emu_map_get_by_fd((int)attr->inner_map_fd);
	if (!inner)
		return -errno;
	if (inner->inner_meta) {
		emu_map_put(inner);
		return -EINVAL;
	}
	map->inner_meta = emu_map_meta_new(inner);
	emu_map_put(inner);
	if (!map->inner_meta)
		return -ENOMEM;
	map->desc.inner_map_meta = map->inner_meta;
	return 0;
}

/* Create, size and map the storage file of a new map and write its header; the fd is
 * returned in *fd (or -1). Layout: header page then data, except BPF_F_MMAPABLE arrays
 * and ring buffers whose data start at offset 0 (as an mmap of the kernel's map fd
 * shows them) with the header in the last page. */
static int map_storage_new(struct emu_map *map, const union bpf_attr *attr, int *fd)
{
	uint64_t data_size = EMU_ROUND_UP(map->ops->data_size(map), EMU_PAGE_SIZE);
	uint64_t file_size = EMU_MAP_HEADER_SIZE + data_size;
	uint64_t header_offset = (attr->map_flags & BPF_F_MMAPABLE) ||
				 attr->map_type == BPF_MAP_TYPE_RINGBUF ? data_size : 0;
	int err;

	*fd = -1;
	if (file_size > (1ull << 40))
		return -ENOMEM;
	*fd = emu_bpffs_storage_file();
	if (*fd < 0)
		return *fd;
	if (ftruncate(*fd, (off_t)file_size) < 0)
		return -ENOMEM;
	err = map_mmap(map, *fd, file_size);
	if (err)
		return err;
	map->file = (struct emu_map_file *)(map->base + header_offset);
	map_fill_header(map, attr, file_size, header_offset);
	map->data = map->base + map->file->data_offset;
	return map_init_lock(map->file);
}

static void map_create_undo(struct emu_map *map, int fd)
{
	if (map->file && map->ops->free)
		map->ops->free(map);
	if (map->base)
		munmap(map->base, map->file_size);
	if (fd >= 0)
		close(fd);
	if (map->inner_meta)
		emu_map_put(map->inner_meta);
	free(map);
}

struct emu_map *emu_map_create(const union bpf_attr *attr, int *storage_fd)
{
	const struct emu_map_ops *ops = emu_map_ops_of(attr->map_type);
	struct emu_map *map;
	int fd = -1, err;

	if (!ops) {
		errno = EINVAL;
		return NULL;
	}
	err = ops->alloc_check ? ops->alloc_check(attr) : 0;
	map = err ? NULL : map_alloc_object();
	if (!map) {
		errno = err ? -err : ENOMEM;
		return NULL;
	}
	map->ops = ops;
	map_desc_from_attr(map, attr);
	err = map_make_inner_meta(map, attr);
	if (!err)
		err = map_storage_new(map, attr, &fd);
	if (!err) {
		map_desc_from_file(map);
		err = ops->mapped ? ops->mapped(map, fd) : 0;
	}
	if (!err && ops->init)
		err = ops->init(map);
	if (!err)
		err = emu_id_map_add(map);
	if (err) {
		map_create_undo(map, fd);
		errno = -err;
		return NULL;
	}
	__atomic_store_n(&map->file->ready, 1, __ATOMIC_RELEASE);
	atomic_store(&map->usercnt, 1);
	*storage_fd = fd;
	return map;
}

/* A complete header for a file of `size` bytes found at `offset`. */
static bool map_header_valid(const struct emu_map_file *f, uint64_t size, uint64_t offset)
{
	uint64_t data = offset ? 0 : EMU_MAP_HEADER_SIZE;

	return !memcmp(f->magic, EMU_MAP_FILE_MAGIC, sizeof(f->magic)) &&
	       f->version == EMU_MAP_FILE_VERSION &&
	       __atomic_load_n(&f->ready, __ATOMIC_ACQUIRE) && f->file_size == size &&
	       f->header_offset == offset && f->data_offset == data &&
	       emu_map_ops_of(f->type) != NULL;
}

/* Where the header of a mapped file of `size` bytes is, or -EINVAL. */
static int64_t map_find_header(const unsigned char *base, uint64_t size)
{
	if (size < EMU_MAP_HEADER_SIZE || size % EMU_PAGE_SIZE)
		return -EINVAL;
	if (map_header_valid((const struct emu_map_file *)base, size, 0))
		return 0;
	if (map_header_valid((const void *)(base + size - EMU_MAP_HEADER_SIZE), size,
			     size - EMU_MAP_HEADER_SIZE))
		return (int64_t)(size - EMU_MAP_HEADER_SIZE);
	return -EINVAL;
}

bool emu_map_file_probe(int fd)
{
	struct stat st;
	void *base;
	bool found;

	if (fstat(fd, &st) < 0 || st.st_size < (off_t)EMU_MAP_HEADER_SIZE)
		return false;
	base = emu_mmap_raw(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (base == MAP_FAILED)
		return false;
	found = map_find_header(base, (uint64_t)st.st_size) >= 0;
	munmap(base, (size_t)st.st_size);
	return found;
}

struct emu_map *emu_map_attach(int fd, int *attach_fd)
{
	struct emu_map *map = map_alloc_object();
	struct stat st;
	int err;

	if (!map) {
		close(fd);
		errno = ENOMEM;
		return NULL;
	}
	err = fstat(fd, &st) < 0 ? -errno : 0;
	if (!err)
		err = map_mmap(map, fd, (uint64_t)st.st_size);
	if (!err) {
		int64_t header = map_find_header(map->base, map->file_size);

		err = header < 0 ? (int)header : 0;
		if (!err)
			map->file = (struct emu_map_file *)(map->base + header);
	}
	if (err)
		goto fail;
	map->data = map->base + map->file->data_offset;
	map->ops = emu_map_ops_of(map->file->type);
	map_desc_from_file(map);
	map->attached = true;
	if (map->ops->data_size(map) + EMU_MAP_HEADER_SIZE > map->file_size) {
		err = -EINVAL;
		goto fail;
	}
	err = map->ops->mapped ? map->ops->mapped(map, fd) : 0;
	if (err)
		goto fail;
	err = emu_id_map_add(map);
	if (err)
		goto fail;
	atomic_store(&map->usercnt, 1);
	*attach_fd = fd;
	return map;
fail:
	if (map->base)
		munmap(map->base, map->file_size);
	close(fd);
	free(map);
	errno = -err;
	return NULL;
}

void emu_map_lock(struct emu_map *map)
{
	if (pthread_mutex_lock(&map->file->lock) == EOWNERDEAD)
		pthread_mutex_consistent(&map->file->lock);
}

void emu_map_unlock(struct emu_map *map)
{
	pthread_mutex_unlock(&map->file->lock);
}

uint32_t emu_map_user_value_size(const struct emu_map *map)
{
	if (map->ops->user_value_size)
		return map->ops->user_value_size(map);
	return map->desc.value_size;
}

/* ---- references ---- */

void emu_map_get(struct emu_map *map)
{
	atomic_fetch_add(&map->refcnt, 1);
}

void emu_map_put(struct emu_map *map)
{
	if (!map || atomic_fetch_sub(&map->refcnt, 1) != 1)
		return;
	emu_id_map_remove(map);
	if (map->ops && map->ops->free && map->file)
		map->ops->free(map);
	if (map->inner_meta)
		emu_map_put(map->inner_meta);
	if (map->base)
		munmap(map->base, map->file_size);
	if (map->storage_fd >= 0)
		close(map->storage_fd);
	free(map->slots);
	free(map);
}

void emu_map_get_uref(struct emu_map *map)
{
	atomic_fetch_add(&map->usercnt, 1);
	emu_map_get(map);
}

void emu_map_put_uref(struct emu_map *map)
{
	if (atomic_fetch_sub(&map->usercnt, 1) == 1 && map->ops->release_uref)
		map->ops->release_uref(map);
	emu_map_put(map);
}

void emu_map_release_object(void *obj)
{
	emu_map_put_uref(obj);
}

struct emu_map *emu_map_get_by_fd(int fd)
{
	int err = 0;
	struct emu_map *map = emu_fd_get(fd, EMU_OBJ_MAP, &err, NULL);

	if (!map)
		errno = -err;
	return map;
}

const struct emu_map_desc *emu_map_desc(const struct emu_map *map)
{
	struct emu_map *mutable_map = (struct emu_map *)map;

	/* another process sharing a pinned map may have frozen it since */
	if (map->file)
		mutable_map->desc.frozen = map->file->frozen != 0;
	return &map->desc;
}

/* ---- map-in-map templates ---- */

struct emu_map *emu_map_meta_new(const struct emu_map *inner)
{
	struct emu_map *meta = map_alloc_object();

	if (!meta)
		return NULL;
	meta->desc = inner->desc;
	meta->desc.id = 0;
	meta->desc.frozen = false;
	meta->desc.inner_map_meta = NULL;
	meta->ops = inner->ops;
	meta->ncpus = inner->ncpus;
	return meta;
}

/* The kernel's bpf_map_meta_equal: same type, sizes, flags (minus BPF_F_INNER_MAP
 * differences in max_entries). */
bool emu_map_meta_equal(const struct emu_map *meta, const struct emu_map *inner)
{
	const struct emu_map_desc *a = &meta->desc, *b = &inner->desc;

	if (a->type != b->type || a->key_size != b->key_size ||
	    a->value_size != b->value_size || a->map_flags != b->map_flags)
		return false;
	if (a->type == BPF_MAP_TYPE_XSKMAP) /* xsk_map_meta_equal */
		return a->max_entries == b->max_entries;
	if (a->type != BPF_MAP_TYPE_ARRAY && a->type != BPF_MAP_TYPE_PERCPU_ARRAY)
		return true;
	return (a->map_flags & BPF_F_INNER_MAP) || a->max_entries == b->max_entries;
}

void **emu_map_slots(struct emu_map *map)
{
	if (!map->slots)
		map->slots = calloc(map->desc.max_entries ? map->desc.max_entries : 1,
				    sizeof(void *));
	return map->slots;
}

/* ---- program-side operations (emu_int.h) ---- */

void *emu_map_lookup_elem(struct emu_map *map, const void *key)
{
	void *value;

	if (!map->ops->lookup)
		return NULL;
	emu_map_lock(map);
	value = map->ops->lookup(map, key);
	emu_map_unlock(map);
	return value;
}

long emu_map_update_elem(struct emu_map *map, const void *key, const void *value,
			 uint64_t flags)
{
	long ret;

	if (!map->ops->update)
		return -EINVAL;
	emu_map_lock(map);
	ret = map->ops->update(map, key, value, flags);
	emu_map_unlock(map);
	return ret;
}

long emu_map_delete_elem(struct emu_map *map, const void *key)
{
	long ret;

	if (!map->ops->delete)
		return -EINVAL;
	emu_map_lock(map);
	ret = map->ops->delete(map, key);
	emu_map_unlock(map);
	return ret;
}

long emu_map_push_elem(struct emu_map *map, const void *value, uint64_t flags)
{
	long ret;

	if (!map->ops->push)
		return -EINVAL;
	emu_map_lock(map);
	ret = map->ops->push(map, value, flags);
	emu_map_unlock(map);
	return ret;
}

long emu_map_pop_elem(struct emu_map *map, void *value)
{
	long ret;

	if (!map->ops->pop)
		return -EINVAL;
	emu_map_lock(map);
	ret = map->ops->pop(map, value);
	emu_map_unlock(map);
	return ret;
}

long emu_map_peek_elem(struct emu_map *map, void *value)
{
	long ret;

	if (!map->ops->peek)
		return -EINVAL;
	emu_map_lock(map);
	ret = map->ops->peek(map, value);
	emu_map_unlock(map);
	return ret;
}

long emu_map_for_each(struct emu_map *map,
		      long (*cb)(struct emu_map *map, void *key, void *value, void *cb_ctx),
		      void *cb_ctx)
{
	long ret;

	if (!map->ops->for_each)
		return -EINVAL;
	emu_map_lock(map);
	ret = map->ops->for_each(map, cb, cb_ctx);
	emu_map_unlock(map);
	return ret;
}

void *emu_map_direct_value(struct emu_map *map, uint32_t off)
{
	if (!map->ops->direct_value)
		return NULL;
	return map->ops->direct_value(map, off);
}

/* ---- syscall-side operations ---- */

void emu_map_clear_special(const struct emu_map *map, void *value)
{
	if (map->file->spin_lock_off >= 0)
		memset((unsigned char *)value + map->file->spin_lock_off, 0, 4);
}

/* Keep the stored spin lock word across an update from user space (a new element
 * starts with it zeroed). */
static int map_update_keep_lock(struct emu_map *map, const void *key, const void *value,
				uint64_t flags)
{
	int32_t off = map->file->spin_lock_off;
	unsigned char *slot = map->ops->lookup(map, key);
	uint32_t lock = 0;
	int ret;

	if (slot)
		memcpy(&lock, slot + off, sizeof(lock));
	ret = (int)map->ops->update(map, key, value, flags);
	slot = ret ? NULL : map->ops->lookup(map, key);
	if (slot)
		memcpy(slot + off, &lock, sizeof(lock));
	return ret;
}

int emu_map_sys_lookup(struct emu_map *map, const void *key, void *value, uint64_t flags)
{
	void *slot;
	int ret = 0;

	emu_map_lock(map);
	if (map->ops->sys_lookup) {
		ret = map->ops->sys_lookup(map, key, value, flags);
	} else if (!map->ops->lookup) {
		ret = -EMU_ENOTSUPP;
	} else {
		slot = map->ops->lookup(map, key);
		if (slot)
			memcpy(value, slot, map->desc.value_size);
		else
			ret = -ENOENT;
	}
	if (!ret)
		emu_map_clear_special(map, value);
	emu_map_unlock(map);
	return ret;
}

int emu_map_sys_update(struct emu_map *map, const void *key, const void *value,
		       uint64_t flags)
{
	int ret;

	emu_map_lock(map);
	if (map->file->spin_lock_off >= 0)
		ret = map_update_keep_lock(map, key, value, flags);
	else if (map->ops->sys_update)
		ret = map->ops->sys_update(map, key, value, flags);
	else if (map->ops->update)
		ret = (int)map->ops->update(map, key, value, flags);
	else
		ret = -EMU_ENOTSUPP;
	emu_map_unlock(map);
	return ret;
}

int emu_map_sys_delete(struct emu_map *map, const void *key)
{
	int ret;

	emu_map_lock(map);
	ret = map->ops->delete ? (int)map->ops->delete(map, key) : -EMU_ENOTSUPP;
	emu_map_unlock(map);
	return ret;
}

int emu_map_sys_get_next_key(struct emu_map *map, const void *key, void *next_key)
{
	int ret;

	emu_map_lock(map);
	ret = map->ops->get_next_key ? map->ops->get_next_key(map, key, next_key)
				     : -EMU_ENOTSUPP;
	emu_map_unlock(map);
	return ret;
}

int emu_map_sys_lookup_and_delete(struct emu_map *map, const void *key, void *value,
				  uint64_t flags)
{
	int ret;

	emu_map_lock(map);
	if (map->ops->sys_lookup_and_delete)
		ret = map->ops->sys_lookup_and_delete(map, key, value, flags);
	else
		ret = -EMU_ENOTSUPP;
	if (!ret)
		emu_map_clear_special(map, value);
	emu_map_unlock(map);
	return ret;
}
