/* map_int.h - the map side's internals: struct emu_map, the per-type operation table,
 * the shared storage file every map lives in, and the object/fd table. Never leaves
 * kernel/; the verifier and exec use only what emu_int.h declares.
 *
 * Storage model: a map's whole state (header, lock, type data) lives in one file that
 * is mmap'ed MAP_SHARED: an O_TMPFILE in the bpffs root (memfd when that fails). Type
 * data is addressed by offsets, never pointers, so another process that opens a pinned
 * map maps the same pages and both see every update; a process-shared robust mutex in
 * the header serialises writers across processes.
 */
#ifndef EBPF_KERNEL_MAP_INT_H
#define EBPF_KERNEL_MAP_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/types.h>

#include "ebpf/emu.h"
#include "emu_int.h"

#define EMU_MAP_FILE_MAGIC "EBPFMAP1"
#define EMU_MAP_FILE_VERSION 2u
#define EMU_ROUND_UP(x, a) (((x) + (a) - 1) / (a) * (a))

/* Kernel limits the map side checks against. */
#define EMU_KMALLOC_MAX_SIZE (4u << 20)   /* KMALLOC_MAX_SIZE with 4K pages, order 10 */
#define EMU_PCPU_MIN_UNIT_SIZE 32768u     /* largest per-CPU value */
#define EMU_MAX_BPF_STACK 512u
#define EMU_PAGE_SIZE 4096u
#define EMU_ENOTSUPP 524                  /* kernel-internal ENOTSUPP, seen by user space */

/* Header at offset 0 of every map file (one page). */
struct emu_map_file {
	char magic[8];             /* EMU_MAP_FILE_MAGIC */
	uint32_t version;          /* EMU_MAP_FILE_VERSION */
	uint32_t ready;            /* 1 once fully initialised (set last) */
	uint64_t file_size;        /* bytes of the whole file */
	uint64_t data_offset;      /* start of the type data */
	uint64_t header_offset;    /* where this header is: 0, or the last page for
				      BPF_F_MMAPABLE arrays whose values start at 0 */
	uint32_t type, key_size, value_size, max_entries, map_flags;
	uint32_t ncpus;            /* CPUs the per-CPU layout was built for */
	uint64_t map_extra;        /* attr map_extra (bloom filter hashes) */
	uint32_t btf_key_type_id;
	uint32_t btf_value_type_id;
	uint32_t frozen;           /* MAP_FREEZE done */
	uint32_t creator_pid;      /* process whose fd-holding slots are meaningful */
	int32_t spin_lock_off;     /* offset of struct bpf_spin_lock in the value, or -1 */
	int32_t timer_off;         /* offset of struct bpf_timer in the value, or -1 */
	uint32_t btf_id;           /* BTF object the key/value types came from, or 0 */
	char name[BPF_OBJ_NAME_LEN];
	pthread_mutex_t lock;      /* robust, process-shared, recursive */
	uint64_t state[16];        /* type-specific counters (free lists, positions, ...) */
};

struct emu_map;

/* Operations of one map type. Program-side ops run with the map lock held by the
 * emu_map_* wrappers in map_core.c; NULL means "not supported by this type". */
struct emu_map_ops {
	/* Validate the create attr (the type's alloc_check): 0 or -errno. */
	int (*alloc_check)(const union bpf_attr *attr);
	/* Bytes of type data for this desc (deterministic: attach recomputes it). */
	uint64_t (*data_size)(const struct emu_map *map);
	/* Storage was just mapped from fd (created or attached): extra mappings. */
	int (*mapped)(struct emu_map *map, int fd);
	/* Initialise fresh, zeroed type data. */
	int (*init)(struct emu_map *map);
	/* Release process-local resources (slots) before the storage goes away. */
	void (*free)(struct emu_map *map);
	/* The last user reference went away (PROG_ARRAY clears its slots). */
	void (*release_uref)(struct emu_map *map);
	void *(*lookup)(struct emu_map *map, const void *key);
	long (*update)(struct emu_map *map, const void *key, const void *value,
		       uint64_t flags);
	long (*delete)(struct emu_map *map, const void *key);
	int (*get_next_key)(struct emu_map *map, const void *key, void *next_key);
	/* Syscall side: copy the user's view of a value out / in (per-CPU: all CPUs;
	 * fd maps: ids and fds). NULL: lookup+memcpy / update. */
	int (*sys_lookup)(struct emu_map *map, const void *key, void *value, uint64_t flags);
	int (*sys_update)(struct emu_map *map, const void *key, const void *value,
			  uint64_t flags);
	int (*sys_lookup_and_delete)(struct emu_map *map, const void *key, void *value,
				     uint64_t flags);
	long (*push)(struct emu_map *map, const void *value, uint64_t flags);
	long (*pop)(struct emu_map *map, void *value);
	long (*peek)(struct emu_map *map, void *value);
	long (*for_each)(struct emu_map *map,
			 long (*cb)(struct emu_map *map, void *key, void *value, void *ctx),
			 void *ctx);
	void *(*direct_value)(struct emu_map *map, uint32_t off);
	/* LOOKUP(_AND_DELETE)_BATCH with the type's own cursor (hash: bucket index).
	 * NULL: the generic cursor, a key walked with get_next_key. */
	int (*lookup_batch)(struct emu_map *map, const void *in_batch, void *out_batch,
			    void *keys, void *values, uint32_t *count, uint64_t elem_flags,
			    bool do_delete);
	/* Bytes of the batch cursor (NULL: key_size). */
	uint32_t (*batch_cursor_size)(const struct emu_map *map);
	/* Bytes of one value as user space sees it (per-CPU: all CPUs). NULL: value_size. */
	uint32_t (*user_value_size)(const struct emu_map *map);
	/* BTF key/value types are refused with ENOTSUPP (the kernel's map_check_no_btf). */
	bool refuses_btf;
};

struct emu_map {
	struct emu_map_desc desc;      /* attributes (mirrors the file header) */
	const struct emu_map_ops *ops; /* per-type operations */
	atomic_int refcnt;             /* all references */
	atomic_int usercnt;            /* user references: fds and pins */
	unsigned char *base;           /* the whole storage file, mapped */
	uint64_t file_size;            /* bytes mapped */
	struct emu_map_file *file;     /* its header (base + header_offset) */
	unsigned char *data;           /* type data (file + data_offset) */
	uint32_t ncpus;                /* per-CPU slots per value */
	uint64_t map_extra;            /* bloom filter: hash count */
	int storage_fd;                /* fd kept for pinning (-1 once handed to user) */
	dev_t dev;                     /* identity of the storage file */
	ino_t ino;
	void **slots;                  /* process-local objects of fd maps (maps, progs) */
	struct emu_map *inner_meta;    /* map-in-map template (owned), else NULL */
	bool attached;                 /* opened from a pin made by another map object */
	unsigned char *ring;           /* RINGBUF: data pages mapped twice in a row */
	struct emu_map *id_next;       /* link in the id registry */
};

/* ---- map_core.c ---- */
const struct emu_map_ops *emu_map_ops_of(uint32_t type);
/* Create from a MAP_CREATE attr; returns the map (refcnt 1, usercnt 1) or NULL+errno
 * (errno carries the kernel's answer). `storage_fd` receives the backing file fd. */
struct emu_map *emu_map_create(const union bpf_attr *attr, int *storage_fd);
/* Does fd hold a map storage file (header at the start or in the last page)? */
bool emu_map_file_probe(int fd);
/* Build a map object over an existing storage file (OBJ_GET of a pin). Takes over fd,
 * which is handed back in *attach_fd for installing (usercnt 1) on success. */
struct emu_map *emu_map_attach(int fd, int *attach_fd);
void emu_map_lock(struct emu_map *map);
void emu_map_unlock(struct emu_map *map);
uint32_t emu_map_user_value_size(const struct emu_map *map);
void emu_map_get_uref(struct emu_map *map);
void emu_map_put_uref(struct emu_map *map);
/* Syscall-side operations (lock taken inside). */
int emu_map_sys_lookup(struct emu_map *map, const void *key, void *value, uint64_t flags);
int emu_map_sys_update(struct emu_map *map, const void *key, const void *value,
		       uint64_t flags);
int emu_map_sys_delete(struct emu_map *map, const void *key);
int emu_map_sys_get_next_key(struct emu_map *map, const void *key, void *next_key);
/* Special fields as the syscall sees them: a bpf_spin_lock reads as zero and is never
 * overwritten from user space. */
void emu_map_clear_special(const struct emu_map *map, void *value);
int emu_map_sys_lookup_and_delete(struct emu_map *map, const void *key, void *value,
				  uint64_t flags);
/* Map-in-map: true if `inner` may be stored in a map whose template is `meta`. */
bool emu_map_meta_equal(const struct emu_map *meta, const struct emu_map *inner);
/* Process-local slot array of an fd map (max_entries pointers), NULL if out of memory. */
void **emu_map_slots(struct emu_map *map);
/* The template for map-in-map (copy of the inner map's attributes, no storage). */
struct emu_map *emu_map_meta_new(const struct emu_map *inner);
/* Per-CPU value slot helpers. */
static inline uint32_t emu_map_value_stride(const struct emu_map *map)
{
	return EMU_ROUND_UP(map->desc.value_size, 8);
}

/* A u32 held in a key, value or batch buffer. Programs pass keys at any alignment
 * (a map value + 1, an odd stack slot), syscall callers too: read and write through
 * memcpy, never through a uint32_t pointer. */
static inline uint32_t emu_map_load_u32(const void *from)
{
	uint32_t value;

	memcpy(&value, from, sizeof(value));
	return value;
}

static inline void emu_map_store_u32(void *to, uint32_t value)
{
	memcpy(to, &value, sizeof(value));
}

/* Shared creation checks (map_array.c, map_hash.c). */
bool emu_map_flags_access_ok(uint32_t flags);
int emu_array_alloc_check(const union bpf_attr *attr);
int emu_htab_alloc_check(const union bpf_attr *attr);
long emu_array_delete(struct emu_map *map, const void *key);
int emu_array_get_next_key(struct emu_map *map, const void *key, void *next_key);

/* ---- network devices (map_devmap.c) ---- */
/* dev_get_by_index in the caller's network namespace: loopback (1) and the host's
 * interfaces exist. */
bool emu_netdev_exists(uint32_t ifindex);

/* ---- config / cpu ---- */
uint32_t emu_config_possible_cpus(void);

/* ---- object ids (object_id.c) ---- */
int emu_id_map_add(struct emu_map *map);
void emu_id_map_remove(struct emu_map *map);
/* Ids: the next one above `id` (0: none), and the object with a new reference (NULL
 * when absent or being freed). */
uint32_t emu_id_map_next(uint32_t id);
struct emu_map *emu_id_map_get(uint32_t id);
int emu_id_prog_add(struct emu_prog *prog);
void emu_id_prog_remove(struct emu_prog *prog);
uint32_t emu_id_prog_next(uint32_t id);
struct emu_prog *emu_id_prog_get(uint32_t id);
/* The live map over storage file dev/ino, with a new reference, or NULL. */
struct emu_map *emu_map_get_by_inode(dev_t dev, ino_t ino);
/* mmap(2) without the ringbuf checks of the interposed mmap() (map_ringbuf.c): the
 * emulator's own mappings of a map's whole file. */
void *emu_mmap_raw(void *addr, size_t length, int prot, int flags, int fd, off_t offset);
struct emu_btf;
int emu_id_btf_add(struct emu_btf *btf);
void emu_id_btf_remove(struct emu_btf *btf);
uint32_t emu_id_btf_next(uint32_t id);
struct emu_btf *emu_id_btf_get(uint32_t id);

/* ---- fd table (fdtable.c) ---- */
enum emu_obj_kind {
	EMU_OBJ_NONE = 0,
	EMU_OBJ_MAP,
	EMU_OBJ_PROG,
	EMU_OBJ_BTF,
};
/* Access an fd grants (the kernel's FMODE_READ / FMODE_WRITE of a map fd). */
#define EMU_FMODE_READ 1u
#define EMU_FMODE_WRITE 2u
#define EMU_FMODE_RW (EMU_FMODE_READ | EMU_FMODE_WRITE)
/* Install `obj` (one user reference handed over) behind a real fd. `file_fd` is the
 * fd to hand out (taken over), or -1 to make a fresh memfd. Returns the fd or -errno
 * (the reference is dropped on failure). */
int emu_fd_install(enum emu_obj_kind kind, void *obj, int file_fd, unsigned int mode);
/* Object behind fd (borrowed), or NULL with *err = -EBADF (not open) / -EINVAL (not
 * an object of that kind). `mode`, if non-NULL, receives the fd's EMU_FMODE_* bits. */
void *emu_fd_lookup(int fd, enum emu_obj_kind want, int *err);
void *emu_fd_lookup_mode(int fd, enum emu_obj_kind want, int *err, unsigned int *mode);
/* As emu_fd_lookup_mode, but with a reference the caller drops with emu_obj_put. */
void *emu_fd_get(int fd, enum emu_obj_kind want, int *err, unsigned int *mode);
void emu_obj_put(enum emu_obj_kind kind, void *obj);
/* A new real fd for an object that is already installed or has a storage fd:
 * reopens one of its files. Returns the fd (user reference taken) or -errno. */
int emu_fd_reopen(enum emu_obj_kind kind, void *obj, int storage_fd, unsigned int mode);
/* Release the table entry of `fd` (called by close()). Returns true if it was ours. */
bool emu_fd_release(int fd);
/* Drop a user reference of an object of `kind`. */
void emu_obj_release(enum emu_obj_kind kind, void *obj);

/* ---- btf objects (btf_object.c) ---- */
struct emu_btf {
	struct objfmt_btf *btf;  /* decoded type graph */
	void *raw;               /* bytes as loaded */
	uint32_t raw_size;
	uint32_t id;             /* BTF object id */
	atomic_int refcnt;
};
struct emu_btf *emu_btf_get_by_fd(int fd, int *err);
void emu_btf_put(struct emu_btf *btf);
void emu_btf_release_object(void *obj);

/* ---- programs (prog_object.c) ---- */
void emu_prog_release_object(void *obj);
void emu_map_release_object(void *obj);

#endif /* EBPF_KERNEL_MAP_INT_H */
