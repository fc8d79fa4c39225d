/* libbpf.h - the libbpf 1.x object API subset of libebpfemu: open an object file or
 * buffer, load it (maps, relocations, programs) and reach its programs and maps, with
 * libbpf's names, signatures and error conventions (NULL with errno set, or a negative
 * errno). Objects load into the emulated kernel, the one <bpf/bpf.h> talks to.
 * Attach calls have no meaning without kernel hooks: they
 * fail with EOPNOTSUPP and say so through the print callback.
 */
#ifndef EBPF_BPF_LIBBPF_H
#define EBPF_BPF_LIBBPF_H

#include <linux/bpf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <bpf/libbpf_common.h>
#include <bpf/ringbuf.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- messages ---- */

enum libbpf_print_level {
	LIBBPF_WARN,
	LIBBPF_INFO,
	LIBBPF_DEBUG,
};
typedef int (*libbpf_print_fn_t)(enum libbpf_print_level level, const char *format,
				 va_list args);
/* Install a print callback (NULL silences); returns the previous one. The default
 * prints warnings and info to stderr, like libbpf's. */
LIBBPF_API libbpf_print_fn_t libbpf_set_print(libbpf_print_fn_t fn);
/* Message for a (positive or negative) errno value; 0 or -EINVAL/-ERANGE. */
LIBBPF_API int libbpf_strerror(int err, char *buf, size_t size);
/* -errno for a NULL pointer from this API, else 0 (libbpf's legacy check). */
LIBBPF_API long libbpf_get_error(const void *ptr);
/* Accepted for compatibility; libbpf 1.x behaviour is the only mode. Returns 0. */
LIBBPF_API int libbpf_set_strict_mode(int mode);

/* ---- objects ---- */

struct bpf_object;
struct bpf_program;
struct bpf_map;
struct bpf_link;

struct bpf_object_open_opts {
	size_t sz;               /* sizeof(struct bpf_object_open_opts) */
	const char *object_name; /* overrides the name taken from the file name */
	bool relaxed_maps;       /* accepted, unused */
	const char *pin_root_path; /* directory of LIBBPF_PIN_BY_NAME maps (/sys/fs/bpf) */
	uint32_t :32;
	const char *kconfig;     /* must be NULL: no Kconfig externs */
	const char *btf_custom_path; /* must be NULL */
	char *kernel_log_buf;    /* verifier log buffer for every program, or NULL */
	size_t kernel_log_size;
	uint32_t kernel_log_level;
	size_t :0;
};
#define bpf_object_open_opts__last_field kernel_log_level

LIBBPF_API struct bpf_object *bpf_object__open(const char *path);
LIBBPF_API struct bpf_object *bpf_object__open_file(const char *path,
						    const struct bpf_object_open_opts *opts);
LIBBPF_API struct bpf_object *bpf_object__open_mem(const void *obj_buf, size_t obj_buf_sz,
						   const struct bpf_object_open_opts *opts);
/* Create maps, load programs, fill static prog-array/map-in-map slots. 0 or -errno. */
LIBBPF_API int bpf_object__load(struct bpf_object *obj);
/* Release everything; closes the fds of maps and programs. Accepts NULL. */
LIBBPF_API void bpf_object__close(struct bpf_object *obj);
LIBBPF_API const char *bpf_object__name(const struct bpf_object *obj);
LIBBPF_API unsigned int bpf_object__kversion(const struct bpf_object *obj);
LIBBPF_API int bpf_object__btf_fd(const struct bpf_object *obj);

LIBBPF_API struct bpf_program *
bpf_object__find_program_by_name(const struct bpf_object *obj, const char *name);
LIBBPF_API struct bpf_map *bpf_object__find_map_by_name(const struct bpf_object *obj,
							const char *name);
LIBBPF_API int bpf_object__find_map_fd_by_name(const struct bpf_object *obj,
					       const char *name);
LIBBPF_API struct bpf_program *bpf_object__next_program(const struct bpf_object *obj,
							struct bpf_program *prog);
LIBBPF_API struct bpf_program *bpf_object__prev_program(const struct bpf_object *obj,
							struct bpf_program *prog);
LIBBPF_API struct bpf_map *bpf_object__next_map(const struct bpf_object *obj,
						const struct bpf_map *map);
LIBBPF_API struct bpf_map *bpf_object__prev_map(const struct bpf_object *obj,
						const struct bpf_map *map);

#define bpf_object__for_each_program(pos, obj)                  \
	for ((pos) = bpf_object__next_program((obj), NULL);     \
	     (pos) != NULL;                                     \
	     (pos) = bpf_object__next_program((obj), (pos)))
#define bpf_object__for_each_map(pos, obj)                      \
	for ((pos) = bpf_object__next_map((obj), NULL);         \
	     (pos) != NULL;                                     \
	     (pos) = bpf_object__next_map((obj), (pos)))

/* ---- programs ---- */

LIBBPF_API int bpf_program__fd(const struct bpf_program *prog);
LIBBPF_API const char *bpf_program__name(const struct bpf_program *prog);
LIBBPF_API const char *bpf_program__section_name(const struct bpf_program *prog);
LIBBPF_API bool bpf_program__autoload(const struct bpf_program *prog);
LIBBPF_API int bpf_program__set_autoload(struct bpf_program *prog, bool autoload);
LIBBPF_API enum bpf_prog_type bpf_program__type(const struct bpf_program *prog);
LIBBPF_API int bpf_program__set_type(struct bpf_program *prog, enum bpf_prog_type type);
LIBBPF_API enum bpf_attach_type
bpf_program__expected_attach_type(const struct bpf_program *prog);
LIBBPF_API int bpf_program__set_expected_attach_type(struct bpf_program *prog,
						     enum bpf_attach_type type);
LIBBPF_API const struct bpf_insn *bpf_program__insns(const struct bpf_program *prog);
LIBBPF_API size_t bpf_program__insn_cnt(const struct bpf_program *prog);
/* Verifier log of the last load (NULL when none). */
LIBBPF_API const char *bpf_program__log_buf(const struct bpf_program *prog,
					    size_t *log_size);

/* Attaching needs kernel hooks the emulator does not have: these return NULL with
 * errno = EOPNOTSUPP (and print why); run programs with bpf_prog_test_run_opts(). */
LIBBPF_API struct bpf_link *bpf_program__attach(const struct bpf_program *prog);
LIBBPF_API struct bpf_link *bpf_program__attach_xdp(const struct bpf_program *prog,
						    int ifindex);
LIBBPF_API struct bpf_link *bpf_program__attach_kprobe(const struct bpf_program *prog,
						       bool retprobe, const char *func_name);
LIBBPF_API struct bpf_link *bpf_program__attach_tracepoint(const struct bpf_program *prog,
							   const char *tp_category,
							   const char *tp_name);
LIBBPF_API struct bpf_link *
bpf_program__attach_raw_tracepoint(const struct bpf_program *prog, const char *tp_name);
LIBBPF_API struct bpf_link *bpf_program__attach_cgroup(const struct bpf_program *prog,
						       int cgroup_fd);
LIBBPF_API struct bpf_link *bpf_program__attach_perf_event(const struct bpf_program *prog,
							   int pfd);
LIBBPF_API struct bpf_link *bpf_program__attach_trace(const struct bpf_program *prog);
LIBBPF_API struct bpf_link *bpf_program__attach_lsm(const struct bpf_program *prog);
LIBBPF_API struct bpf_link *bpf_program__attach_netns(const struct bpf_program *prog,
						      int netns_fd);
/* Links from the calls above never exist; destroying NULL returns 0. */
LIBBPF_API int bpf_link__destroy(struct bpf_link *link);

/* ---- maps ---- */

LIBBPF_API int bpf_map__fd(const struct bpf_map *map);
LIBBPF_API const char *bpf_map__name(const struct bpf_map *map);
LIBBPF_API enum bpf_map_type bpf_map__type(const struct bpf_map *map);
LIBBPF_API int bpf_map__set_type(struct bpf_map *map, enum bpf_map_type type);
LIBBPF_API uint32_t bpf_map__max_entries(const struct bpf_map *map);
LIBBPF_API int bpf_map__set_max_entries(struct bpf_map *map, uint32_t max_entries);
LIBBPF_API uint32_t bpf_map__key_size(const struct bpf_map *map);
LIBBPF_API int bpf_map__set_key_size(struct bpf_map *map, uint32_t size);
LIBBPF_API uint32_t bpf_map__value_size(const struct bpf_map *map);
LIBBPF_API int bpf_map__set_value_size(struct bpf_map *map, uint32_t size);
LIBBPF_API uint32_t bpf_map__map_flags(const struct bpf_map *map);
LIBBPF_API int bpf_map__set_map_flags(struct bpf_map *map, uint32_t flags);
LIBBPF_API uint32_t bpf_map__btf_key_type_id(const struct bpf_map *map);
LIBBPF_API uint32_t bpf_map__btf_value_type_id(const struct bpf_map *map);
/* true for .data/.rodata/.bss maps made by the loader. */
LIBBPF_API bool bpf_map__is_internal(const struct bpf_map *map);
/* Global-data maps: the image written at load (set before load; size must match). */
LIBBPF_API int bpf_map__set_initial_value(struct bpf_map *map, const void *data,
					  size_t size);
LIBBPF_API void *bpf_map__initial_value(struct bpf_map *map, size_t *psize);
/* Element access through the map's fd, sizes checked against the definition first
 * (per-CPU maps: value_sz = round_up(value_size, 8) * possible CPUs). */
LIBBPF_API int bpf_map__lookup_elem(const struct bpf_map *map, const void *key,
				    size_t key_sz, void *value, size_t value_sz, uint64_t flags);
LIBBPF_API int bpf_map__update_elem(const struct bpf_map *map, const void *key,
				    size_t key_sz, const void *value, size_t value_sz,
				    uint64_t flags);
LIBBPF_API int bpf_map__delete_elem(const struct bpf_map *map, const void *key,
				    size_t key_sz, uint64_t flags);
LIBBPF_API int bpf_map__get_next_key(const struct bpf_map *map, const void *cur_key,
				     void *next_key, size_t key_sz);

/* ---- skeletons (bpftool gen skeleton) ---- */

struct bpf_map_skeleton {
	const char *name;       /* libbpf's map name ("minimal.bss") */
	struct bpf_map **map;   /* filled by open */
	void **mmaped;          /* global data: the initial image after open, the map's
				   memory after load */
};

struct bpf_prog_skeleton {
	const char *name;
	struct bpf_program **prog; /* filled by open */
	struct bpf_link **link;    /* filled by attach (never: see attach) */
};

struct bpf_object_skeleton {
	size_t sz;              /* sizeof(struct bpf_object_skeleton) */
	const char *name;       /* object name */
	const void *data;       /* the embedded ELF object */
	size_t data_sz;
	struct bpf_object **obj;
	int map_cnt;
	int map_skel_sz;        /* sizeof(struct bpf_map_skeleton) */
	struct bpf_map_skeleton *maps;
	int prog_cnt;
	int prog_skel_sz;       /* sizeof(struct bpf_prog_skeleton) */
	struct bpf_prog_skeleton *progs;
};

/* Open the embedded object and fill the map/program pointers; 0 or -errno. */
LIBBPF_API int bpf_object__open_skeleton(struct bpf_object_skeleton *s,
					 const struct bpf_object_open_opts *opts);
/* Load, then map global data into memory so that skel->bss etc. read the maps. */
LIBBPF_API int bpf_object__load_skeleton(struct bpf_object_skeleton *s);
/* Programs libbpf would auto-attach (kprobe/..., tracepoint/..., fentry/...) cannot be
 * attached here: -EOPNOTSUPP; sections without auto-attach (xdp, tc, socket) are
 * skipped as libbpf skips them, so 0. */
LIBBPF_API int bpf_object__attach_skeleton(struct bpf_object_skeleton *s);
LIBBPF_API void bpf_object__detach_skeleton(struct bpf_object_skeleton *s);
/* Close the object and free `s` with its arrays (accepts NULL). */
LIBBPF_API void bpf_object__destroy_skeleton(struct bpf_object_skeleton *s);

/* Number of possible CPUs of the emulated kernel (emu_config_cpus()). */
LIBBPF_API int libbpf_num_possible_cpus(void);

#ifdef __cplusplus
}
#endif
#endif /* EBPF_BPF_LIBBPF_H */
