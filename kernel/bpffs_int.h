/* bpffs_int.h - the emulated bpf filesystem: where map storage files are created and
 * how /sys/fs/bpf paths map onto the per-user root directory.
 */
#ifndef EBPF_KERNEL_BPFFS_INT_H
#define EBPF_KERNEL_BPFFS_INT_H

#include <stddef.h>

/* A new unnamed storage file (O_TMPFILE in the bpffs root, so a pin can link it into
 * place; memfd when the root does not support that). Returns the fd or -errno. */
int emu_bpffs_storage_file(void);
/* Translate a user path to a real one and check the kernel's rules for creating it
 * (parent exists: ENOENT; parent inside the root: EPERM; no '.' in the last
 * component: EPERM). `creating` false: only translate (for OBJ_GET). */
int emu_bpffs_resolve(const char *user_path, char *out, size_t out_size, int creating);
/* Link the file behind `fd` at real path `path` (EEXIST if taken). */
int emu_bpffs_link_fd(int fd, const char *path);
/* Write `size` bytes into a new file at `path`: temporary file, fsync, link into
 * place, so the path holds either nothing or the whole file. */
int emu_bpffs_write_file(const char *path, const void *data, size_t size);

#endif /* EBPF_KERNEL_BPFFS_INT_H */
