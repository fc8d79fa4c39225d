/* syscall_int.h - the per-command handlers behind emu_bpf() (syscall.c), each taking
 * the kernel-side copy of the attr and the caller's attr for results. Handlers return
 * >= 0 or a negative errno.
 */
#ifndef EBPF_KERNEL_SYSCALL_INT_H
#define EBPF_KERNEL_SYSCALL_INT_H

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "map_int.h"

/* The kernel's CHECK_ATTR: non-zero bytes after the last field a command uses. */
#define EMU_ATTR_TAIL_NONZERO(attr, last_field)                                        \
	emu_attr_tail_nonzero((attr), offsetof(union bpf_attr, last_field) +           \
					      sizeof((attr)->last_field))
bool emu_attr_tail_nonzero(const union bpf_attr *attr, size_t end);

/* Write `len` bytes at offset `off` of the caller's attr if they are within `size`. */
void emu_attr_put(union bpf_attr *uattr, unsigned int size, size_t off, const void *src,
		  size_t len);
#define EMU_ATTR_PUT(uattr, size, field, value)                                        \
	do {                                                                           \
		__typeof__((uattr)->field) v_ = (value);                               \
		emu_attr_put((uattr), (size), offsetof(union bpf_attr, field), &v_,    \
			     sizeof(v_));                                              \
	} while (0)

/* The object behind fd, referenced until the current emu_bpf() call returns: what
 * the kernel's fdget() gives a command (safe against a concurrent close()). */
void *emu_sys_get(int fd, enum emu_obj_kind want, int *err, unsigned int *mode);

/* Map behind attr fd with the access the fd grants after freeze (map_get_sys_perms). */
struct emu_map *emu_sys_map_get(int fd, unsigned int *mode, int *err);

int emu_cmd_map_create(union bpf_attr *attr);
int emu_cmd_map_lookup(union bpf_attr *attr);
int emu_cmd_map_update(union bpf_attr *attr);
int emu_cmd_map_delete(union bpf_attr *attr);
int emu_cmd_map_get_next_key(union bpf_attr *attr);
int emu_cmd_map_lookup_and_delete(union bpf_attr *attr);
int emu_cmd_map_freeze(union bpf_attr *attr);
int emu_cmd_map_batch(int cmd, union bpf_attr *attr, union bpf_attr *uattr,
		      unsigned int size);
int emu_cmd_obj_pin(union bpf_attr *attr);
int emu_cmd_obj_get(union bpf_attr *attr);
int emu_cmd_get_next_id(int cmd, union bpf_attr *attr, union bpf_attr *uattr,
			unsigned int size);
int emu_cmd_get_fd_by_id(int cmd, union bpf_attr *attr);
int emu_cmd_obj_get_info(union bpf_attr *attr, union bpf_attr *uattr, unsigned int size);
int emu_cmd_btf_load(union bpf_attr *attr);
int emu_cmd_prog_load(union bpf_attr *attr, union bpf_attr *uattr, unsigned int size);
int emu_cmd_prog_test_run(union bpf_attr *attr, union bpf_attr *uattr, unsigned int size);

/* The kernel's program tag: SHA-256 of the loaded insns, map immediates zeroed. */
int emu_prog_tag(const struct emu_prog *prog, unsigned char tag[BPF_TAG_SIZE]);

/* Program pins (prog_pin.c): keep what PROG_LOAD got, write it to a pin, reload it. */
int emu_prog_record_load(struct emu_prog *prog, const union bpf_attr *attr);
void emu_prog_record_free(void *record);
int emu_prog_pin_write(struct emu_prog *prog, const char *path);
bool emu_prog_pin_probe(const void *magic);
int emu_prog_pin_open(int fd, const char *path);
/* A new fd for the map stored in the file at real path `path` (syscall_obj.c). */
int emu_obj_get_map_path(const char *path, unsigned int mode);

/* Copy user memory the way copy_from_user fails: NULL with a non-zero size is EFAULT. */
static inline int emu_copy_in(void *dst, uint64_t src, size_t len)
{
	if (!len)
		return 0;
	if (!src)
		return -EFAULT;
	memcpy(dst, (const void *)(uintptr_t)src, len);
	return 0;
}

static inline int emu_copy_out(uint64_t dst, const void *src, size_t len)
{
	if (!len)
		return 0;
	if (!dst)
		return -EFAULT;
	memcpy((void *)(uintptr_t)dst, src, len);
	return 0;
}

#endif /* EBPF_KERNEL_SYSCALL_INT_H */
