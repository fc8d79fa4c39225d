/* libbpf_int.h - shared by the libbpf-compatible layer (libbpf_*.c) of libebpfload. */
#ifndef EBPF_LD_LIBBPF_INT_H
#define EBPF_LD_LIBBPF_INT_H

#include "bpf/libbpf.h"
#include "ebpf/load.h"

/* Send a message to the installed print callback. */
void libbpf_print(enum libbpf_print_level level, const char *format, ...)
	__attribute__((format(printf, 2, 3)));
/* libbpf 1.x convention: negative errno returned and also stored in errno. */
int libbpf_error(int err);
/* Skeleton support: map an internal map's value (0 or -errno) / the mapping or NULL. */
int libbpf_map_mmap(struct bpf_map *map);
void *libbpf_map_mmaped(const struct bpf_map *map);

/* Backend the object API loads into: the emulated kernel. */
const struct ld_backend *libbpf_backend(void);

#endif /* EBPF_LD_LIBBPF_INT_H */
