/* fdtable.c - the emulated kernel's file table: every bpf object is reached through a
 * real fd of this process, and close() (interposed here) drops the object's user
 * reference exactly when the kernel would drop the file's.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "map_int.h"

struct fd_entry {
	void *obj;              /* the object, NULL when the slot is free */
	enum emu_obj_kind kind; /* what obj is */
	unsigned int mode;      /* EMU_FMODE_* */
	dev_t dev;              /* identity of the file behind the fd */
	ino_t ino;
};

static struct fd_entry *fd_table;
static int fd_table_len;
static pthread_mutex_t fd_table_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t fd_table_atfork_once = PTHREAD_ONCE_INIT;

/* fork() copies the table with its fds; a child forked while another thread held the
 * lock must not inherit it locked. */
static void fd_table_lock_all(void)
{
	pthread_mutex_lock(&fd_table_lock);
}

static void fd_table_unlock_all(void)
{
	pthread_mutex_unlock(&fd_table_lock);
}

static void fd_table_register_atfork(void)
{
	pthread_atfork(fd_table_lock_all, fd_table_unlock_all, fd_table_unlock_all);
}

void emu_obj_release(enum emu_obj_kind kind, void *obj)
{
	switch (kind) {
	case EMU_OBJ_MAP: emu_map_release_object(obj); break;
	case EMU_OBJ_PROG: emu_prog_release_object(obj); break;
	case EMU_OBJ_BTF: emu_btf_release_object(obj); break;
	default: break;
	}
}

static int fd_table_grow(int fd)
{
	int len = fd_table_len ? fd_table_len : 64;
	struct fd_entry *grown;

	while (len <= fd)
		len *= 2;
	if (len == fd_table_len)
		return 0;
	grown = realloc(fd_table, (size_t)len * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	for (int i = fd_table_len; i < len; i++)
		grown[i] = (struct fd_entry){ 0 };
	fd_table = grown;
	fd_table_len = len;
	return 0;
}

static const char *fd_kind_name(enum emu_obj_kind kind)
{
	switch (kind) {
	case EMU_OBJ_MAP: return "bpf-map";
	case EMU_OBJ_PROG: return "bpf-prog";
	default: return "btf";
	}
}

/* Put `obj` at slot `fd`; a leftover entry there belonged to an fd that was closed
 * behind our back (close_range, fclose of an fdopen'ed map fd) and is released. */
static int fd_table_set(int fd, enum emu_obj_kind kind, void *obj, unsigned int mode)
{
	struct fd_entry stale = { 0 };
	struct stat st;
	int err;

	if (fstat(fd, &st) < 0)
		return -errno;
	pthread_once(&fd_table_atfork_once, fd_table_register_atfork);
	pthread_mutex_lock(&fd_table_lock);
	err = fd_table_grow(fd);
	if (!err) {
		stale = fd_table[fd];
		fd_table[fd] = (struct fd_entry){ obj, kind, mode, st.st_dev, st.st_ino };
	}
	pthread_mutex_unlock(&fd_table_lock);
	if (stale.obj)
		emu_obj_release(stale.kind, stale.obj);
	return err;
}

int emu_fd_install(enum emu_obj_kind kind, void *obj, int file_fd, unsigned int mode)
{
	int fd = file_fd, err;

	if (fd < 0)
		fd = memfd_create(fd_kind_name(kind), MFD_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		emu_obj_release(kind, obj);
		return err == -EMFILE ? -EMFILE : err;
	}
	err = fd_table_set(fd, kind, obj, mode);
	if (err) {
		syscall(SYS_close, fd);
		emu_obj_release(kind, obj);
		return err;
	}
	return fd;
}

/* An fd we have no entry for may be a dup() of one we have: same file identity. */
static struct fd_entry *fd_adopt_dup(int fd, struct fd_entry *out)
{
	struct stat st;
	int i;

	if (fstat(fd, &st) < 0)
		return NULL;
	for (i = 0; i < fd_table_len; i++) {
		if (fd_table[i].obj && fd_table[i].dev == st.st_dev &&
		    fd_table[i].ino == st.st_ino)
			break;
	}
	if (i == fd_table_len || fd_table_grow(fd))
		return NULL;
	*out = fd_table[i];
	fd_table[fd] = *out;
	return &fd_table[fd];
}

static void fd_take_user_ref(enum emu_obj_kind kind, void *obj)
{
	switch (kind) {
	case EMU_OBJ_MAP: emu_map_get_uref(obj); break;
	case EMU_OBJ_PROG: emu_prog_get(obj); break;
	case EMU_OBJ_BTF: atomic_fetch_add(&((struct emu_btf *)obj)->refcnt, 1); break;
	default: break;
	}
}

/* The lookup itself; the caller holds fd_table_lock. */
static void *emu_fd_lookup_locked(int fd, enum emu_obj_kind want, int *err,
				  unsigned int *mode)
{
	struct fd_entry *entry = NULL, adopted;

	if (fd < 0) {
		*err = -EBADF;
		return NULL;
	}
	if (fd < fd_table_len && fd_table[fd].obj)
		entry = &fd_table[fd];
	if (!entry && fcntl(fd, F_GETFD) >= 0) {
		entry = fd_adopt_dup(fd, &adopted);
		if (entry)
			fd_take_user_ref(entry->kind, entry->obj);
	}
	if (!entry) {
		*err = fcntl(fd, F_GETFD) < 0 ? -EBADF : -EINVAL;
		return NULL;
	}
	if (entry->kind != want) {
		*err = -EINVAL;
		return NULL;
	}
	if (mode)
		*mode = entry->mode;
	return entry->obj;
}

void *emu_fd_lookup_mode(int fd, enum emu_obj_kind want, int *err, unsigned int *mode)
{
	void *obj;

	pthread_mutex_lock(&fd_table_lock);
	obj = emu_fd_lookup_locked(fd, want, err, mode);
	pthread_mutex_unlock(&fd_table_lock);
	return obj;
}

void *emu_fd_lookup(int fd, enum emu_obj_kind want, int *err)
{
	return emu_fd_lookup_mode(fd, want, err, NULL);
}

static void fd_take_ref(enum emu_obj_kind kind, void *obj)
{
	switch (kind) {
	case EMU_OBJ_MAP: emu_map_get(obj); break;
	case EMU_OBJ_PROG: emu_prog_get(obj); break;
	case EMU_OBJ_BTF: atomic_fetch_add(&((struct emu_btf *)obj)->refcnt, 1); break;
	default: break;
	}
}

void emu_obj_put(enum emu_obj_kind kind, void *obj)
{
	switch (kind) {
	case EMU_OBJ_MAP: emu_map_put(obj); break;
	case EMU_OBJ_PROG: emu_prog_put(obj); break;
	case EMU_OBJ_BTF: emu_btf_put(obj); break;
	default: break;
	}
}

/* As emu_fd_lookup_mode, with a reference taken before the table lock is dropped, so
 * a close() racing in another thread cannot free the object under the caller. */
void *emu_fd_get(int fd, enum emu_obj_kind want, int *err, unsigned int *mode)
{
	void *obj;

	pthread_mutex_lock(&fd_table_lock);
	obj = emu_fd_lookup_locked(fd, want, err, mode);
	if (obj)
		fd_take_ref(want, obj);
	pthread_mutex_unlock(&fd_table_lock);
	return obj;
}

/* Any fd of ours that refers to `obj`, or -1. */
static int fd_find_object(const void *obj)
{
	int found = -1;

	pthread_mutex_lock(&fd_table_lock);
	for (int i = 0; i < fd_table_len && found < 0; i++)
		if (fd_table[i].obj == obj)
			found = i;
	pthread_mutex_unlock(&fd_table_lock);
	return found;
}

int emu_fd_reopen(enum emu_obj_kind kind, void *obj, int storage_fd, unsigned int mode)
{
	char path[64];
	int src = storage_fd >= 0 ? storage_fd : fd_find_object(obj);
	int fd;

	fd_take_user_ref(kind, obj);
	if (src < 0)
		return emu_fd_install(kind, obj, -1, mode);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", src);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		fd = fcntl(src, F_DUPFD_CLOEXEC, 0);
	if (fd < 0) {
		int err = -errno;

		emu_obj_release(kind, obj);
		return err;
	}
	return emu_fd_install(kind, obj, fd, mode);
}

/* Before the last fd of a map goes, keep a private dup so the storage file stays
 * reachable for MAP_GET_FD_BY_ID while programs or outer maps still hold the map. */
static void fd_keep_storage(const struct fd_entry *entry, int fd)
{
	struct emu_map *map = entry->obj;

	if (entry->kind != EMU_OBJ_MAP || map->storage_fd >= 0 ||
	    atomic_load(&map->refcnt) <= 1)
		return;
	for (int i = 0; i < fd_table_len; i++)
		if (i != fd && fd_table[i].obj == map)
			return;
	map->storage_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
}

bool emu_fd_release(int fd)
{
	struct fd_entry entry = { 0 };

	pthread_mutex_lock(&fd_table_lock);
	if (fd >= 0 && fd < fd_table_len && fd_table[fd].obj) {
		entry = fd_table[fd];
		fd_keep_storage(&entry, fd);
		fd_table[fd] = (struct fd_entry){ 0 };
	}
	pthread_mutex_unlock(&fd_table_lock);
	if (!entry.obj)
		return false;
	emu_obj_release(entry.kind, entry.obj);
	return true;
}

/* close(2) as seen by programs linked with libebpfemu: the real close plus the
 * release of the bpf object behind the fd, as the kernel's file release does. */
int close(int fd)
{
	long ret;

	emu_fd_release(fd);
	ret = syscall(SYS_close, fd);
	return (int)ret;
}
