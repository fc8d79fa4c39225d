/* libbpf_misc.c - the libbpf-compatible layer's small pieces: print callback, error
 * helpers, CPU count, element access through struct bpf_map, and the attach calls,
 * which fail loudly because the emulator has no kernel hooks to attach to.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ebpf/emu.h"
#include "libbpf_int.h"

static int default_print(enum libbpf_print_level level, const char *format, va_list args)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, format, args);
}

static libbpf_print_fn_t print_fn = default_print;

libbpf_print_fn_t libbpf_set_print(libbpf_print_fn_t fn)
{
	libbpf_print_fn_t old = print_fn;
	print_fn = fn;
	return old;
}

void libbpf_print(enum libbpf_print_level level, const char *format, ...)
{
	va_list args;
	int saved = errno; /* printing must not disturb the caller's errno */

	if (!print_fn)
		return;
	va_start(args, format);
	print_fn(level, format, args);
	va_end(args);
	errno = saved;
}

int libbpf_error(int err)
{
	if (err < 0)
		errno = -err;
	return err;
}

/* Always the emulator: the low-level calls of <bpf/bpf.h> (bpf_prog_test_run_opts, ...)
 * reach it too, so fds from both layers name the same objects. */
const struct ld_backend *libbpf_backend(void)
{
	return &ld_backend_emulator;
}

int libbpf_strerror(int err, char *buf, size_t size)
{
	int n;

	if (!buf || !size)
		return libbpf_error(-EINVAL);
	n = snprintf(buf, size, "%s", strerror(err < 0 ? -err : err));
	return n < 0 || (size_t)n >= size ? libbpf_error(-ERANGE) : 0;
}

long libbpf_get_error(const void *ptr)
{
	return ptr ? 0 : -errno;
}

int libbpf_set_strict_mode(int mode)
{
	(void)mode;
	return 0;
}

int libbpf_num_possible_cpus(void)
{
	return (int)emu_config_cpus();
}

/* ---- element access ---- */

static bool per_cpu(enum bpf_map_type type)
{
	return type == BPF_MAP_TYPE_PERCPU_ARRAY || type == BPF_MAP_TYPE_PERCPU_HASH ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

static int check_sizes(const struct bpf_map *map, size_t key_sz, size_t value_sz,
		       bool check_value)
{
	size_t want = bpf_map__value_size(map);

	if (bpf_map__fd(map) < 0)
		return -ENOENT;
	if (key_sz != bpf_map__key_size(map))
		return -EINVAL;
	if (check_value && per_cpu(bpf_map__type(map))) {
		int cpus = libbpf_num_possible_cpus();
		if (cpus < 0)
			return cpus;
		want = (want + 7) / 8 * 8 * (size_t)cpus;
	}
	return check_value && value_sz != want ? -EINVAL : 0;
}

static int element_command(const struct bpf_map *map, int cmd, const void *key,
			   const void *value, uint64_t flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)bpf_map__fd(map);
	attr.key = (uint64_t)(uintptr_t)key;
	attr.value = (uint64_t)(uintptr_t)value;
	attr.flags = flags;
	return libbpf_error((int)ld_bpf(libbpf_backend(), cmd, &attr, sizeof(attr)));
}

int bpf_map__lookup_elem(const struct bpf_map *map, const void *key, size_t key_sz,
			 void *value, size_t value_sz, uint64_t flags)
{
	int err = check_sizes(map, key_sz, value_sz, true);
	return err ? libbpf_error(err) : element_command(map, BPF_MAP_LOOKUP_ELEM, key, value, flags);
}

int bpf_map__update_elem(const struct bpf_map *map, const void *key, size_t key_sz,
			 const void *value, size_t value_sz, uint64_t flags)
{
	int err = check_sizes(map, key_sz, value_sz, true);
	return err ? libbpf_error(err) : element_command(map, BPF_MAP_UPDATE_ELEM, key, value, flags);
}

int bpf_map__delete_elem(const struct bpf_map *map, const void *key, size_t key_sz,
			 uint64_t flags)
{
	int err = check_sizes(map, key_sz, 0, false);
	return err ? libbpf_error(err) : element_command(map, BPF_MAP_DELETE_ELEM, key, NULL, flags);
}

int bpf_map__get_next_key(const struct bpf_map *map, const void *cur_key, void *next_key,
			  size_t key_sz)
{
	int err = check_sizes(map, key_sz, 0, false);
	return err ? libbpf_error(err)
		   : element_command(map, BPF_MAP_GET_NEXT_KEY, cur_key, next_key, 0);
}

/* ---- attach: no kernel hooks ---- */

static struct bpf_link *attach_unsupported(const struct bpf_program *prog, const char *how)
{
	libbpf_print(LIBBPF_WARN,
		     "libbpf: prog '%s': %s is not supported by ebpf-toolchain's loader: the "
		     "emulated kernel has no hooks to attach to; run the program with "
		     "bpf_prog_test_run_opts() instead\n",
		     prog ? bpf_program__name(prog) : "(null)", how);
	errno = EOPNOTSUPP;
	return NULL;
}

struct bpf_link *bpf_program__attach(const struct bpf_program *prog)
{
	return attach_unsupported(prog, "auto-attach");
}
struct bpf_link *bpf_program__attach_xdp(const struct bpf_program *prog, int ifindex)
{
	(void)ifindex;
	return attach_unsupported(prog, "attaching to an XDP interface");
}
struct bpf_link *bpf_program__attach_kprobe(const struct bpf_program *prog, bool retprobe,
					    const char *func_name)
{
	(void)func_name;
	return attach_unsupported(prog, retprobe ? "attaching a kretprobe" : "attaching a kprobe");
}
struct bpf_link *bpf_program__attach_tracepoint(const struct bpf_program *prog,
						const char *tp_category, const char *tp_name)
{
	(void)tp_category;
	(void)tp_name;
	return attach_unsupported(prog, "attaching to a tracepoint");
}
struct bpf_link *bpf_program__attach_raw_tracepoint(const struct bpf_program *prog,
						    const char *tp_name)
{
	(void)tp_name;
	return attach_unsupported(prog, "attaching to a raw tracepoint");
}
struct bpf_link *bpf_program__attach_cgroup(const struct bpf_program *prog, int cgroup_fd)
{
	(void)cgroup_fd;
	return attach_unsupported(prog, "attaching to a cgroup");
}
struct bpf_link *bpf_program__attach_perf_event(const struct bpf_program *prog, int pfd)
{
	(void)pfd;
	return attach_unsupported(prog, "attaching to a perf event");
}
struct bpf_link *bpf_program__attach_trace(const struct bpf_program *prog)
{
	return attach_unsupported(prog, "attaching a tracing program");
}
struct bpf_link *bpf_program__attach_lsm(const struct bpf_program *prog)
{
	return attach_unsupported(prog, "attaching an LSM program");
}
struct bpf_link *bpf_program__attach_netns(const struct bpf_program *prog, int netns_fd)
{
	(void)netns_fd;
	return attach_unsupported(prog, "attaching to a network namespace");
}

int bpf_link__destroy(struct bpf_link *link)
{
	return link ? libbpf_error(-EINVAL) : 0;
}
