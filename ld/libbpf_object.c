/* libbpf_object.c - libbpf's object API (bpf_object__*, bpf_program__*, bpf_map__*)
 * as a thin layer over the loader: each bpf_ object wraps its ld_ counterpart; errors
 * go to the print callback as "libbpf: ..." and come back as NULL/errno or -errno.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bpf/libbpf.h"
#include "ebpf/emu.h"
#include "libbpf_int.h"

struct bpf_program {
	struct ld_program *ld;
	struct bpf_object *obj;
};

struct bpf_map {
	struct ld_map *ld;
	struct bpf_object *obj;
	char name[BPF_OBJ_NAME_LEN]; /* libbpf's name: "minimal.rodata" for internal maps */
	void *mmaped;                /* skeleton: the map's memory mapped after load */
	size_t mmap_size;
};

struct bpf_object {
	struct ld_object *ld;
	char name[64];
	struct bpf_program *programs;
	size_t program_count;
	struct bpf_map *maps;
	size_t map_count;
	struct ld_load_opts load_opts;
	char *user_log_buf; /* opts->kernel_log_buf: every program's log is copied there */
	size_t user_log_size;
};

static void object_name(struct bpf_object *obj, const char *path, const char *given)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char *dot;

	snprintf(obj->name, sizeof(obj->name), "%s", given ? given : base);
	if (!given && (dot = strchr(obj->name, '.'))) /* libbpf: "minimal.bpf.o" -> "minimal" */
		*dot = '\0';
}

static int wrap_members(struct bpf_object *obj)
{
	obj->program_count = ld_object__program_count(obj->ld);
	obj->map_count = ld_object__map_count(obj->ld);
	obj->programs = calloc(obj->program_count + 1, sizeof(*obj->programs));
	obj->maps = calloc(obj->map_count + 1, sizeof(*obj->maps));
	if (!obj->programs || !obj->maps)
		return -ENOMEM;
	for (size_t i = 0; i < obj->program_count; i++)
		obj->programs[i] = (struct bpf_program){ ld_object__program(obj->ld, i), obj };
	for (size_t i = 0; i < obj->map_count; i++)
		obj->maps[i] = (struct bpf_map){ ld_object__map(obj->ld, i), obj, "", NULL, 0 };
	return 0;
}

/* libbpf names global-data maps "<object prefix><section>", the prefix cut so that it
 * would fit a 7-character section ("minimal.rodata", "ex_tc_co.bss"); a section with a
 * second dot (".rodata.str1.1") keeps its name. */
static void name_maps(struct bpf_object *obj)
{
	for (size_t i = 0; i < obj->map_count; i++) {
		struct bpf_map *map = &obj->maps[i];
		const char *real = ld_map__name(map->ld);
		size_t suffix = strlen(real) > 7 ? strlen(real) : 7, prefix = 0; /* libbpf: >= 7 */
		if (bpf_map__is_internal(map) && !strchr(real + 1, '.') &&
		    suffix < BPF_OBJ_NAME_LEN - 1) {
			prefix = BPF_OBJ_NAME_LEN - 1 - suffix;
			if (prefix > strlen(obj->name))
				prefix = strlen(obj->name);
		}
		snprintf(map->name, sizeof(map->name), "%.*s%s", (int)prefix, obj->name, real);
		if (!bpf_map__is_internal(map))
			map->name[0] = '\0'; /* user maps: the full name, however long */
	}
}

static int check_open_opts(const struct bpf_object_open_opts *opts)
{
	if (!opts)
		return 0;
	if (opts->sz < offsetof(struct bpf_object_open_opts, object_name) + sizeof(void *))
		return -EINVAL;
	for (size_t i = sizeof(*opts); i < opts->sz; i++) /* unknown tail bytes must be 0 */
		if (((const char *)opts)[i])
			return -EINVAL;
	if (opts->sz >= offsetof(struct bpf_object_open_opts, btf_custom_path) + sizeof(void *) &&
	    (opts->kconfig || opts->btf_custom_path))
		return -EOPNOTSUPP;
	return 0;
}

#define OPT(opts, field, fallback)                                                      \
	((opts) && (opts)->sz >= offsetof(struct bpf_object_open_opts, field) + sizeof((opts)->field) \
	 ? (opts)->field : (fallback))

static struct bpf_object *finish_open(struct ld_object *ld, const char *path,
				      const struct bpf_object_open_opts *opts,
				      const struct ld_diag *diag)
{
	struct bpf_object *obj;
	int err;

	if (!ld) {
		err = errno ? errno : EINVAL;
		libbpf_print(LIBBPF_WARN, "libbpf: %s\n", diag->message);
		errno = err;
		return NULL;
	}
	obj = calloc(1, sizeof(*obj));
	if (!obj) {
		ld_object__free(ld);
		errno = ENOMEM;
		return NULL;
	}
	obj->ld = ld;
	if (wrap_members(obj)) {
		bpf_object__close(obj);
		errno = ENOMEM;
		return NULL;
	}
	object_name(obj, path, OPT(opts, object_name, NULL));
	name_maps(obj);
	if (OPT(opts, pin_root_path, NULL) && ld_object__set_pin_root(ld, OPT(opts, pin_root_path, NULL))) {
		bpf_object__close(obj);
		errno = ENOMEM;
		return NULL;
	}
	obj->load_opts = (struct ld_load_opts){ sizeof(obj->load_opts),
						OPT(opts, kernel_log_level, 0), 0, false, NULL };
	obj->user_log_buf = OPT(opts, kernel_log_buf, NULL);
	obj->user_log_size = OPT(opts, kernel_log_size, 0);
	return obj;
}

struct bpf_object *bpf_object__open_file(const char *path,
					 const struct bpf_object_open_opts *opts)
{
	struct ld_diag diag = {{0}};
	int err = check_open_opts(opts);

	if (!path || err) {
		errno = path ? -err : EINVAL;
		return NULL;
	}
	return finish_open(ld_object__open_file(path, &diag), path, opts, &diag);
}

struct bpf_object *bpf_object__open(const char *path)
{
	return bpf_object__open_file(path, NULL);
}

struct bpf_object *bpf_object__open_mem(const void *obj_buf, size_t obj_buf_sz,
					const struct bpf_object_open_opts *opts)
{
	struct ld_diag diag = {{0}};
	char name[64];
	int err = check_open_opts(opts);

	if (!obj_buf || !obj_buf_sz || err) {
		errno = err ? -err : EINVAL;
		return NULL;
	}
	/* libbpf names in-memory objects after their address, unless given a name */
	snprintf(name, sizeof(name), "%lx-%zx", (unsigned long)(uintptr_t)obj_buf, obj_buf_sz);
	if (OPT(opts, object_name, NULL))
		snprintf(name, sizeof(name), "%s", OPT(opts, object_name, NULL));
	return finish_open(ld_object__open_mem(obj_buf, obj_buf_sz, name, &diag), name, opts,
			   &diag);
}

/* opts->kernel_log_buf receives the logs of all programs, one after the other. */
static void copy_logs(struct bpf_object *obj)
{
	size_t used = 0;

	if (!obj->user_log_buf || !obj->user_log_size)
		return;
	obj->user_log_buf[0] = '\0';
	for (size_t i = 0; i < obj->program_count; i++) {
		const char *log = ld_program__log(obj->programs[i].ld);
		int n = snprintf(obj->user_log_buf + used, obj->user_log_size - used, "%s", log);
		if (n < 0 || (size_t)n >= obj->user_log_size - used)
			break;
		used += (size_t)n;
	}
}

int bpf_object__load(struct bpf_object *obj)
{
	struct ld_diag diag = {{0}};
	int err;

	if (!obj)
		return libbpf_error(-EINVAL);
	/* CO-RE and tracing programs resolve against the emulated kernel's BTF (core.md) */
	if (!obj->load_opts.core_target && ld_object__needs_kernel_btf(obj->ld))
		obj->load_opts.core_target = emu_kernel_btf_model();
	err = ld_object__load(obj->ld, libbpf_backend(), &obj->load_opts, &diag);
	copy_logs(obj);
	if (err) {
		libbpf_print(LIBBPF_WARN, "libbpf: %s\n", diag.message);
		for (size_t i = 0; i < obj->program_count; i++)
			if (ld_program__load_error(obj->programs[i].ld) && ld_program__log(obj->programs[i].ld)[0])
				libbpf_print(LIBBPF_WARN, "libbpf: prog '%s': -- BEGIN PROG LOAD LOG --\n%s"
					     "-- END PROG LOAD LOG --\n", ld_program__name(obj->programs[i].ld),
					     ld_program__log(obj->programs[i].ld));
	}
	return libbpf_error(err);
}

void bpf_object__close(struct bpf_object *obj)
{
	if (!obj)
		return;
	for (size_t i = 0; i < obj->map_count; i++)
		if (obj->maps[i].mmaped)
			munmap(obj->maps[i].mmaped, obj->maps[i].mmap_size);
	ld_object__free(obj->ld);
	free(obj->programs);
	free(obj->maps);
	free(obj);
}

const char *bpf_object__name(const struct bpf_object *obj) { return obj ? obj->name : NULL; }
unsigned int bpf_object__kversion(const struct bpf_object *obj)
{
	return obj ? ld_object__kern_version(obj->ld) : 0;
}
int bpf_object__btf_fd(const struct bpf_object *obj)
{
	return obj ? ld_object__btf_fd(obj->ld) : -1;
}

struct bpf_program *bpf_object__find_program_by_name(const struct bpf_object *obj,
						     const char *name)
{
	for (size_t i = 0; obj && name && i < obj->program_count; i++)
		if (strcmp(ld_program__name(obj->programs[i].ld), name) == 0)
			return &obj->programs[i];
	errno = ENOENT;
	return NULL;
}

struct bpf_map *bpf_object__find_map_by_name(const struct bpf_object *obj, const char *name)
{
	/* ".rodata"-style names find internal maps by section, as libbpf does */
	for (size_t i = 0; obj && name && i < obj->map_count; i++)
		if (strcmp(name[0] == '.' ? ld_map__name(obj->maps[i].ld) : bpf_map__name(&obj->maps[i]),
			   name) == 0)
			return &obj->maps[i];
	errno = ENOENT;
	return NULL;
}

int bpf_object__find_map_fd_by_name(const struct bpf_object *obj, const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);
	return map ? bpf_map__fd(map) : libbpf_error(-ENOENT);
}

struct bpf_program *bpf_object__next_program(const struct bpf_object *obj,
					     struct bpf_program *prog)
{
	size_t next = prog ? (size_t)(prog - obj->programs) + 1 : 0;
	return obj && next < obj->program_count ? &obj->programs[next] : NULL;
}

struct bpf_program *bpf_object__prev_program(const struct bpf_object *obj,
					     struct bpf_program *prog)
{
	size_t index = prog ? (size_t)(prog - obj->programs) : obj->program_count;
	return obj && index > 0 ? &obj->programs[index - 1] : NULL;
}

struct bpf_map *bpf_object__next_map(const struct bpf_object *obj, const struct bpf_map *map)
{
	size_t next = map ? (size_t)(map - obj->maps) + 1 : 0;
	return obj && next < obj->map_count ? &obj->maps[next] : NULL;
}

struct bpf_map *bpf_object__prev_map(const struct bpf_object *obj, const struct bpf_map *map)
{
	size_t index = map ? (size_t)(map - obj->maps) : obj->map_count;
	return obj && index > 0 ? &obj->maps[index - 1] : NULL;
}

/* ---- programs ---- */

int bpf_program__fd(const struct bpf_program *prog)
{
	if (!prog)
		return libbpf_error(-EINVAL);
	int fd = ld_program__fd(prog->ld);
	return fd >= 0 ? fd : libbpf_error(-ENOENT); /* not loaded */
}
const char *bpf_program__name(const struct bpf_program *prog) { return ld_program__name(prog->ld); }
const char *bpf_program__section_name(const struct bpf_program *prog)
{
	return ld_program__section_name(prog->ld);
}
bool bpf_program__autoload(const struct bpf_program *prog) { return ld_program__autoload(prog->ld); }
int bpf_program__set_autoload(struct bpf_program *prog, bool autoload)
{
	return libbpf_error(ld_program__set_autoload(prog->ld, autoload));
}
enum bpf_prog_type bpf_program__type(const struct bpf_program *prog)
{
	return (enum bpf_prog_type)ld_program__type(prog->ld);
}
int bpf_program__set_type(struct bpf_program *prog, enum bpf_prog_type type)
{
	return libbpf_error(ld_program__set_type(prog->ld, type));
}
enum bpf_attach_type bpf_program__expected_attach_type(const struct bpf_program *prog)
{
	return (enum bpf_attach_type)ld_program__expected_attach_type(prog->ld);
}
int bpf_program__set_expected_attach_type(struct bpf_program *prog, enum bpf_attach_type type)
{
	return libbpf_error(ld_program__set_expected_attach_type(prog->ld, type));
}
const struct bpf_insn *bpf_program__insns(const struct bpf_program *prog)
{
	return (const struct bpf_insn *)ld_program__insns(prog->ld);
}
size_t bpf_program__insn_cnt(const struct bpf_program *prog)
{
	return ld_program__insn_count(prog->ld);
}
const char *bpf_program__log_buf(const struct bpf_program *prog, size_t *log_size)
{
	const char *log = ld_program__log(prog->ld);

	if (log_size)
		*log_size = log && log[0] ? strlen(log) + 1 : 0;
	return log && log[0] ? log : NULL;
}

/* ---- maps ---- */

int bpf_map__fd(const struct bpf_map *map)
{
	return map ? ld_map__fd(map->ld) : libbpf_error(-EINVAL); /* -1 before load */
}
const char *bpf_map__name(const struct bpf_map *map)
{
	if (!map)
		return NULL;
	return map->name[0] ? map->name : ld_map__name(map->ld);
}
enum bpf_map_type bpf_map__type(const struct bpf_map *map)
{
	return (enum bpf_map_type)ld_map__type(map->ld);
}
uint32_t bpf_map__max_entries(const struct bpf_map *map) { return ld_map__max_entries(map->ld); }
uint32_t bpf_map__key_size(const struct bpf_map *map) { return ld_map__key_size(map->ld); }
uint32_t bpf_map__value_size(const struct bpf_map *map) { return ld_map__value_size(map->ld); }
uint32_t bpf_map__map_flags(const struct bpf_map *map) { return ld_map__flags(map->ld); }
uint32_t bpf_map__btf_key_type_id(const struct bpf_map *map)
{
	return ld_map__btf_key_type_id(map->ld);
}
uint32_t bpf_map__btf_value_type_id(const struct bpf_map *map)
{
	return ld_map__btf_value_type_id(map->ld);
}
int bpf_map__set_type(struct bpf_map *map, enum bpf_map_type type)
{
	return libbpf_error(ld_map__set_type(map->ld, type));
}
int bpf_map__set_max_entries(struct bpf_map *map, uint32_t max_entries)
{
	return libbpf_error(ld_map__set_max_entries(map->ld, max_entries));
}
int bpf_map__set_key_size(struct bpf_map *map, uint32_t size)
{
	return libbpf_error(ld_map__set_key_size(map->ld, size));
}
int bpf_map__set_value_size(struct bpf_map *map, uint32_t size)
{
	return libbpf_error(ld_map__set_value_size(map->ld, size));
}
int bpf_map__set_map_flags(struct bpf_map *map, uint32_t flags)
{
	return libbpf_error(ld_map__set_flags(map->ld, flags));
}

bool bpf_map__is_internal(const struct bpf_map *map)
{
	enum ld_map_origin origin = ld_map__origin(map->ld);
	return origin == LD_MAP_DATA || origin == LD_MAP_RODATA || origin == LD_MAP_BSS;
}

void *bpf_map__initial_value(struct bpf_map *map, size_t *psize)
{
	return ld_map__initial_value(map->ld, psize);
}

/* Map an internal map's value into memory (skeleton); 0 or -errno. Read-only data is
 * frozen, so it is mapped read-only, as libbpf does. */
int libbpf_map_mmap(struct bpf_map *map)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t size = ((size_t)bpf_map__value_size(map) + (size_t)page - 1) / (size_t)page * (size_t)page;
	int prot = ld_map__origin(map->ld) == LD_MAP_RODATA ? PROT_READ : PROT_READ | PROT_WRITE;
	void *addr;

	if (map->mmaped)
		return 0;
	addr = mmap(NULL, size, prot, MAP_SHARED, bpf_map__fd(map), 0);
	if (addr == MAP_FAILED)
		return -errno;
	map->mmaped = addr;
	map->mmap_size = size;
	return 0;
}

void *libbpf_map_mmaped(const struct bpf_map *map)
{
	return map->mmaped;
}

int bpf_map__set_initial_value(struct bpf_map *map, const void *data, size_t size)
{
	size_t have;
	void *image = ld_map__initial_value(map->ld, &have);

	if (ld_map__fd(map->ld) >= 0)
		return libbpf_error(-EBUSY);
	if (!image || size != have)
		return libbpf_error(-EINVAL);
	memcpy(image, data, size);
	return 0;
}
