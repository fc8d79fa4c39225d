/* map_xskmap.c - XSKMAP (net/xdp/xskmap.c): bpf_redirect_map targets that are AF_XDP
 * sockets. User space stores socket fds; the emulator checks them as the kernel does
 * (a socket, of family AF_XDP) and keeps a duplicate of each fd in a process-local slot.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "map_int.h"

#ifndef AF_XDP
#define AF_XDP 44
#endif

#define XSK_CREATE_FLAG_MASK (BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY)

/* Shared part of an entry; a program's lookup returns &queue_id, which stands for the
 * kernel's struct bpf_xdp_sock (queue_id is 0 until the socket is bound, and the
 * emulator does not see binds). */
struct xsk_entry {
	uint32_t used;     /* a socket is stored */
	uint32_t queue_id; /* struct bpf_xdp_sock.queue_id */
};

/* Process-local part: the socket, identified by its inode. */
struct xsk_slot {
	int fd;    /* duplicate of the fd user space stored */
	dev_t dev; /* identity of the socket */
	ino_t ino;
};

static int xsk_map_alloc_check(const union bpf_attr *attr)
{
	if (attr->max_entries == 0 || attr->key_size != 4 || attr->value_size != 4 ||
	    attr->map_flags & ~XSK_CREATE_FLAG_MASK)
		return -EINVAL;
	return 0;
}

static uint64_t xsk_map_data_size(const struct emu_map *map)
{
	return (uint64_t)map->desc.max_entries * sizeof(struct xsk_entry);
}

static struct xsk_entry *xsk_entry(struct emu_map *map, uint32_t index)
{
	return (struct xsk_entry *)map->data + index;
}

static void xsk_slot_clear(struct emu_map *map, uint32_t index)
{
	struct xsk_slot *slot = map->slots ? map->slots[index] : NULL;

	xsk_entry(map, index)->used = 0;
	if (!slot)
		return;
	map->slots[index] = NULL;
	close(slot->fd);
	free(slot);
}

static void xsk_map_free(struct emu_map *map)
{
	if (!map->slots)
		return;
	for (uint32_t i = 0; i < map->desc.max_entries; i++)
		if (map->slots[i])
			xsk_slot_clear(map, i);
}

static void *xsk_map_lookup(struct emu_map *map, const void *key)
{
	uint32_t index = emu_map_load_u32(key);

	if (index >= map->desc.max_entries || !xsk_entry(map, index)->used)
		return NULL;
	return &xsk_entry(map, index)->queue_id;
}

/* xsk_map_lookup_elem_sys_only: user space cannot read sockets back. */
static int xsk_map_sys_lookup(struct emu_map *map, const void *key, void *value,
			      uint64_t flags)
{
	return -EOPNOTSUPP;
}

/* sockfd_lookup then the family check: EBADF, ENOTSOCK, EOPNOTSUPP. */
static int xsk_socket_check(int fd, struct stat *st)
{
	int domain = 0;
	socklen_t len = sizeof(domain);

	if (fd < 0 || fstat(fd, st) < 0)
		return -EBADF;
	if (!S_ISSOCK(st->st_mode))
		return -ENOTSOCK;
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0 || domain != AF_XDP)
		return -EOPNOTSUPP;
	return 0;
}

static int xsk_slot_store(struct emu_map *map, uint32_t index, int fd, const struct stat *st)
{
	struct xsk_slot *slot = calloc(1, sizeof(*slot));

	if (!slot)
		return -ENOMEM;
	slot->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (slot->fd < 0) {
		free(slot);
		return -EMFILE;
	}
	slot->dev = st->st_dev;
	slot->ino = st->st_ino;
	xsk_slot_clear(map, index);
	map->slots[index] = slot;
	xsk_entry(map, index)->used = 1;
	xsk_entry(map, index)->queue_id = 0;
	return 0;
}

/* xsk_map_update_elem: storing the socket already there succeeds whatever the flags. */
static int xsk_map_sys_update(struct emu_map *map, const void *key, const void *value,
			      uint64_t flags)
{
	uint32_t index = emu_map_load_u32(key);
	struct xsk_slot *old;
	struct stat st;
	int err;

	if (flags > BPF_EXIST)
		return -EINVAL;
	if (index >= map->desc.max_entries)
		return -E2BIG;
	err = xsk_socket_check((int)emu_map_load_u32(value), &st);
	if (err)
		return err;
	if (!emu_map_slots(map))
		return -ENOMEM;
	old = xsk_entry(map, index)->used ? map->slots[index] : NULL;
	if (old && old->dev == st.st_dev && old->ino == st.st_ino)
		return 0;
	if (xsk_entry(map, index)->used && flags == BPF_NOEXIST)
		return -EEXIST;
	if (!xsk_entry(map, index)->used && flags == BPF_EXIST)
		return -ENOENT;
	return xsk_slot_store(map, index, (int)emu_map_load_u32(value), &st);
}

static long xsk_map_delete(struct emu_map *map, const void *key)
{
	uint32_t index = emu_map_load_u32(key);

	if (index >= map->desc.max_entries)
		return -EINVAL;
	xsk_slot_clear(map, index);
	return 0;
}

const struct emu_map_ops emu_xskmap_ops = {
	.alloc_check = xsk_map_alloc_check,
	.data_size = xsk_map_data_size,
	.free = xsk_map_free,
	.lookup = xsk_map_lookup,
	.delete = xsk_map_delete,
	.get_next_key = emu_array_get_next_key,
	.sys_lookup = xsk_map_sys_lookup,
	.sys_update = xsk_map_sys_update,
	.refuses_btf = true,
};
