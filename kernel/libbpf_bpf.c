/* libbpf_bpf.c - libbpf 1.x's low-level API over emu_bpf(): each call fills the attr
 * exactly as libbpf does and returns >= 0 or -errno with errno set.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "bpf/bpf.h"
#include "ebpf/emu.h"

#define ATTR_END(field) (offsetof(union bpf_attr, field) + sizeof(((union bpf_attr *)0)->field))
#define PTR(p) ((__u64)(uintptr_t)(p))

/* libbpf_err_errno: negative errno from a -1 return, errno kept. */
static int result(int ret)
{
	return ret < 0 ? -errno : ret;
}

static int fail(int err)
{
	errno = -err;
	return err;
}

/* OPTS_VALID: NULL is fine; sz must cover the size field; bytes past what we know
 * must be zero. */
static bool opts_valid(const void *opts, size_t known)
{
	const unsigned char *p = opts;
	size_t sz;

	if (!opts)
		return true;
	memcpy(&sz, opts, sizeof(sz));
	if (sz < sizeof(size_t))
		return false;
	for (size_t i = known; i < sz; i++)
		if (p[i])
			return false;
	return true;
}

/* Field of an opts struct the caller's sz covers, else 0. */
#define OPT(opts, field)                                                               \
	((opts) && (opts)->sz >= offsetof(__typeof__(*(opts)), field) + sizeof((opts)->field) \
		 ? (opts)->field : (__typeof__((opts)->field))0)

static int sys_bpf(int cmd, union bpf_attr *attr, size_t size)
{
	return emu_bpf(cmd, attr, (unsigned int)size);
}

int bpf_map_create(enum bpf_map_type map_type, const char *map_name, __u32 key_size,
		   __u32 value_size, __u32 max_entries, const struct bpf_map_create_opts *opts)
{
	union bpf_attr attr;

	if (!opts_valid(opts, sizeof(*opts)))
		return fail(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.map_type = map_type;
	if (map_name)
		strncpy(attr.map_name, map_name, sizeof(attr.map_name) - 1);
	attr.key_size = key_size;
	attr.value_size = value_size;
	attr.max_entries = max_entries;
	attr.btf_fd = OPT(opts, btf_fd);
	attr.btf_key_type_id = OPT(opts, btf_key_type_id);
	attr.btf_value_type_id = OPT(opts, btf_value_type_id);
	attr.btf_vmlinux_value_type_id = OPT(opts, btf_vmlinux_value_type_id);
	attr.inner_map_fd = OPT(opts, inner_map_fd);
	attr.map_flags = OPT(opts, map_flags);
	attr.map_extra = OPT(opts, map_extra);
	attr.numa_node = OPT(opts, numa_node);
	attr.map_ifindex = OPT(opts, map_ifindex);
	return result(sys_bpf(BPF_MAP_CREATE, &attr, ATTR_END(map_extra)));
}

static int elem_cmd(int cmd, int fd, const void *key, void *value, __u64 flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (__u32)fd;
	attr.key = PTR(key);
	attr.value = PTR(value);
	attr.flags = flags;
	return result(sys_bpf(cmd, &attr, ATTR_END(flags)));
}

int bpf_map_update_elem(int fd, const void *key, const void *value, __u64 flags)
{
	return elem_cmd(BPF_MAP_UPDATE_ELEM, fd, key, (void *)value, flags);
}

int bpf_map_lookup_elem(int fd, const void *key, void *value)
{
	return elem_cmd(BPF_MAP_LOOKUP_ELEM, fd, key, value, 0);
}

int bpf_map_lookup_elem_flags(int fd, const void *key, void *value, __u64 flags)
{
	return elem_cmd(BPF_MAP_LOOKUP_ELEM, fd, key, value, flags);
}

int bpf_map_lookup_and_delete_elem(int fd, const void *key, void *value)
{
	return elem_cmd(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, key, value, 0);
}

int bpf_map_lookup_and_delete_elem_flags(int fd, const void *key, void *value, __u64 flags)
{
	return elem_cmd(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, key, value, flags);
}

int bpf_map_delete_elem(int fd, const void *key)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (__u32)fd;
	attr.key = PTR(key);
	return result(sys_bpf(BPF_MAP_DELETE_ELEM, &attr, ATTR_END(key)));
}

int bpf_map_delete_elem_flags(int fd, const void *key, __u64 flags)
{
	return elem_cmd(BPF_MAP_DELETE_ELEM, fd, key, NULL, flags);
}

int bpf_map_get_next_key(int fd, const void *key, void *next_key)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (__u32)fd;
	attr.key = PTR(key);
	attr.next_key = PTR(next_key);
	return result(sys_bpf(BPF_MAP_GET_NEXT_KEY, &attr, ATTR_END(next_key)));
}

int bpf_map_freeze(int fd)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (__u32)fd;
	return result(sys_bpf(BPF_MAP_FREEZE, &attr, ATTR_END(map_fd)));
}

static int batch_cmd(int cmd, int fd, void *in_batch, void *out_batch, void *keys,
		     void *values, __u32 *count, const struct bpf_map_batch_opts *opts)
{
	union bpf_attr attr;
	int ret;

	if (!opts_valid(opts, sizeof(*opts)))
		return fail(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.batch.map_fd = (__u32)fd;
	attr.batch.in_batch = PTR(in_batch);
	attr.batch.out_batch = PTR(out_batch);
	attr.batch.keys = PTR(keys);
	attr.batch.values = PTR(values);
	attr.batch.count = *count;
	attr.batch.elem_flags = OPT(opts, elem_flags);
	attr.batch.flags = OPT(opts, flags);
	ret = sys_bpf(cmd, &attr, ATTR_END(batch));
	*count = attr.batch.count;
	return result(ret);
}

int bpf_map_delete_batch(int fd, const void *keys, __u32 *count,
			 const struct bpf_map_batch_opts *opts)
{
	return batch_cmd(BPF_MAP_DELETE_BATCH, fd, NULL, NULL, (void *)keys, NULL, count, opts);
}

int bpf_map_lookup_batch(int fd, void *in_batch, void *out_batch, void *keys, void *values,
			 __u32 *count, const struct bpf_map_batch_opts *opts)
{
	return batch_cmd(BPF_MAP_LOOKUP_BATCH, fd, in_batch, out_batch, keys, values, count,
			 opts);
}

int bpf_map_lookup_and_delete_batch(int fd, void *in_batch, void *out_batch, void *keys,
				    void *values, __u32 *count,
				    const struct bpf_map_batch_opts *opts)
{
	return batch_cmd(BPF_MAP_LOOKUP_AND_DELETE_BATCH, fd, in_batch, out_batch, keys, values,
			 count, opts);
}

int bpf_map_update_batch(int fd, const void *keys, const void *values, __u32 *count,
			 const struct bpf_map_batch_opts *opts)
{
	return batch_cmd(BPF_MAP_UPDATE_BATCH, fd, NULL, NULL, (void *)keys, (void *)values,
			 count, opts);
}

int bpf_obj_pin_opts(int fd, const char *pathname, const struct bpf_obj_pin_opts *opts)
{
	union bpf_attr attr;

	if (!opts_valid(opts, sizeof(*opts)))
		return fail(-EINVAL);
	if (OPT(opts, path_fd))
		return fail(-EOPNOTSUPP);
	memset(&attr, 0, sizeof(attr));
	attr.bpf_fd = (__u32)fd;
	attr.pathname = PTR(pathname);
	attr.file_flags = OPT(opts, file_flags);
	return result(sys_bpf(BPF_OBJ_PIN, &attr, ATTR_END(file_flags)));
}

int bpf_obj_pin(int fd, const char *pathname)
{
	return bpf_obj_pin_opts(fd, pathname, NULL);
}

int bpf_obj_get_opts(const char *pathname, const struct bpf_obj_get_opts *opts)
{
	union bpf_attr attr;

	if (!opts_valid(opts, sizeof(*opts)))
		return fail(-EINVAL);
	if (OPT(opts, path_fd))
		return fail(-EOPNOTSUPP);
	memset(&attr, 0, sizeof(attr));
	attr.pathname = PTR(pathname);
	attr.file_flags = OPT(opts, file_flags);
	return result(sys_bpf(BPF_OBJ_GET, &attr, ATTR_END(file_flags)));
}

int bpf_obj_get(const char *pathname)
{
	return bpf_obj_get_opts(pathname, NULL);
}

static int next_id(int cmd, __u32 start_id, __u32 *next)
{
	union bpf_attr attr;
	int ret;

	memset(&attr, 0, sizeof(attr));
	attr.start_id = start_id;
	ret = sys_bpf(cmd, &attr, ATTR_END(next_id));
	if (!ret)
		*next = attr.next_id;
	return result(ret);
}

int bpf_prog_get_next_id(__u32 start_id, __u32 *next)
{
	return next_id(BPF_PROG_GET_NEXT_ID, start_id, next);
}

int bpf_map_get_next_id(__u32 start_id, __u32 *next)
{
	return next_id(BPF_MAP_GET_NEXT_ID, start_id, next);
}

int bpf_btf_get_next_id(__u32 start_id, __u32 *next)
{
	return next_id(BPF_BTF_GET_NEXT_ID, start_id, next);
}

static int fd_by_id(int cmd, __u32 id, const struct bpf_get_fd_by_id_opts *opts)
{
	union bpf_attr attr;

	if (!opts_valid(opts, sizeof(*opts)))
		return fail(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.map_id = id;
	attr.open_flags = OPT(opts, open_flags);
	return result(sys_bpf(cmd, &attr, ATTR_END(open_flags)));
}

int bpf_prog_get_fd_by_id_opts(__u32 id, const struct bpf_get_fd_by_id_opts *opts)
{
	return fd_by_id(BPF_PROG_GET_FD_BY_ID, id, opts);
}

int bpf_prog_get_fd_by_id(__u32 id)
{
	return fd_by_id(BPF_PROG_GET_FD_BY_ID, id, NULL);
}

int bpf_map_get_fd_by_id_opts(__u32 id, const struct bpf_get_fd_by_id_opts *opts)
{
	return fd_by_id(BPF_MAP_GET_FD_BY_ID, id, opts);
}

int bpf_map_get_fd_by_id(__u32 id)
{
	return fd_by_id(BPF_MAP_GET_FD_BY_ID, id, NULL);
}

int bpf_btf_get_fd_by_id(__u32 id)
{
	return fd_by_id(BPF_BTF_GET_FD_BY_ID, id, NULL);
}

int bpf_obj_get_info_by_fd(int bpf_fd, void *info, __u32 *info_len)
{
	union bpf_attr attr;
	int ret;

	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (__u32)bpf_fd;
	attr.info.info_len = *info_len;
	attr.info.info = PTR(info);
	ret = sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, ATTR_END(info));
	if (!ret)
		*info_len = attr.info.info_len;
	return result(ret);
}

int bpf_map_get_info_by_fd(int map_fd, struct bpf_map_info *info, __u32 *info_len)
{
	return bpf_obj_get_info_by_fd(map_fd, info, info_len);
}

int bpf_prog_get_info_by_fd(int prog_fd, struct bpf_prog_info *info, __u32 *info_len)
{
	return bpf_obj_get_info_by_fd(prog_fd, info, info_len);
}

int bpf_btf_get_info_by_fd(int btf_fd, struct bpf_btf_info *info, __u32 *info_len)
{
	return bpf_obj_get_info_by_fd(btf_fd, info, info_len);
}

int bpf_btf_load(const void *btf_data, size_t btf_size, const struct bpf_btf_load_opts *opts)
{
	union bpf_attr attr;

	if (!opts_valid(opts, sizeof(*opts)))
		return fail(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.btf = PTR(btf_data);
	attr.btf_size = (__u32)btf_size;
	attr.btf_log_buf = PTR(OPT(opts, log_buf));
	attr.btf_log_size = OPT(opts, log_size);
	attr.btf_log_level = OPT(opts, log_level);
	if (!!attr.btf_log_buf != !!attr.btf_log_size)
		return fail(-EINVAL);
	return result(sys_bpf(BPF_BTF_LOAD, &attr, ATTR_END(btf_log_level)));
}

static void prog_load_attr(union bpf_attr *attr, const struct bpf_prog_load_opts *opts)
{
	attr->expected_attach_type = OPT(opts, expected_attach_type);
	attr->prog_btf_fd = OPT(opts, prog_btf_fd);
	attr->prog_flags = OPT(opts, prog_flags);
	attr->prog_ifindex = OPT(opts, prog_ifindex);
	attr->kern_version = OPT(opts, kern_version);
	attr->attach_btf_id = OPT(opts, attach_btf_id);
	attr->attach_prog_fd = OPT(opts, attach_prog_fd);
	attr->fd_array = PTR(OPT(opts, fd_array));
	attr->func_info = PTR(OPT(opts, func_info));
	attr->func_info_cnt = OPT(opts, func_info_cnt);
	attr->func_info_rec_size = OPT(opts, func_info_rec_size);
	attr->line_info = PTR(OPT(opts, line_info));
	attr->line_info_cnt = OPT(opts, line_info_cnt);
	attr->line_info_rec_size = OPT(opts, line_info_rec_size);
	attr->log_level = OPT(opts, log_level);
	attr->log_size = OPT(opts, log_size);
	attr->log_buf = PTR(OPT(opts, log_buf));
}

int bpf_prog_load(enum bpf_prog_type prog_type, const char *prog_name, const char *license,
		  const struct bpf_insn *insns, size_t insn_cnt,
		  const struct bpf_prog_load_opts *opts)
{
	int attempts = OPT(opts, attempts) ? OPT(opts, attempts) : 5, ret;
	union bpf_attr attr;

	if (!opts_valid(opts, sizeof(*opts)) || attempts < 0)
		return fail(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = prog_type;
	if (prog_name)
		strncpy(attr.prog_name, prog_name, sizeof(attr.prog_name) - 1);
	attr.license = PTR(license);
	attr.insns = PTR(insns);
	attr.insn_cnt = (__u32)insn_cnt;
	prog_load_attr(&attr, opts);
	if (!!attr.log_buf != !!attr.log_size || attr.log_level > 7 ||
	    (attr.log_level && !attr.log_buf))
		return fail(-EINVAL);
	do
		ret = sys_bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
	while (ret < 0 && errno == EAGAIN && --attempts > 0);
	return result(ret);
}

int bpf_prog_test_run_opts(int prog_fd, struct bpf_test_run_opts *opts)
{
	union bpf_attr attr;
	int ret;

	if (!opts || !opts_valid(opts, sizeof(*opts)))
		return fail(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = (__u32)prog_fd;
	attr.test.batch_size = OPT(opts, batch_size);
	attr.test.cpu = OPT(opts, cpu);
	attr.test.flags = OPT(opts, flags);
	attr.test.repeat = (__u32)OPT(opts, repeat);
	attr.test.duration = OPT(opts, duration);
	attr.test.ctx_size_in = OPT(opts, ctx_size_in);
	attr.test.ctx_size_out = OPT(opts, ctx_size_out);
	attr.test.ctx_in = PTR(OPT(opts, ctx_in));
	attr.test.ctx_out = PTR(OPT(opts, ctx_out));
	attr.test.data_size_in = OPT(opts, data_size_in);
	attr.test.data_size_out = OPT(opts, data_size_out);
	attr.test.data_in = PTR(OPT(opts, data_in));
	attr.test.data_out = PTR(OPT(opts, data_out));
	ret = sys_bpf(BPF_PROG_TEST_RUN, &attr, ATTR_END(test));
	opts->data_size_out = attr.test.data_size_out;
	opts->ctx_size_out = attr.test.ctx_size_out;
	opts->retval = attr.test.retval;
	opts->duration = attr.test.duration;
	return result(ret);
}
