/* syscall.c - emu_bpf(), the bpf() system call of the emulated kernel: copies the
 * attr as the kernel does (size checks, zero tail) and dispatches on the command.
 */
#include <errno.h>

#include "ebpf/emu.h"
#include "syscall_int.h"

#define EMU_ATTR_MAX_SIZE EMU_PAGE_SIZE
#define EMU_HELD_MAX 8

/* Objects the running command looked up, released when emu_bpf() returns. */
struct held_object {
	enum emu_obj_kind kind;
	void *obj;
};
static _Thread_local struct held_object held[EMU_HELD_MAX];
static _Thread_local unsigned int held_count;

void *emu_sys_get(int fd, enum emu_obj_kind want, int *err, unsigned int *mode)
{
	void *obj;

	if (held_count == EMU_HELD_MAX) { /* no command looks up this many objects */
		*err = -EMFILE;
		return NULL;
	}
	obj = emu_fd_get(fd, want, err, mode);
	if (obj)
		held[held_count++] = (struct held_object){ want, obj };
	return obj;
}

static void syscall_release_held(unsigned int base)
{
	while (held_count > base) {
		held_count--;
		emu_obj_put(held[held_count].kind, held[held_count].obj);
	}
}

bool emu_attr_tail_nonzero(const union bpf_attr *attr, size_t end)
{
	static const union bpf_attr zero;

	return end < sizeof(*attr) &&
	       memcmp((const unsigned char *)attr + end, (const unsigned char *)&zero + end,
		      sizeof(*attr) - end) != 0;
}

void emu_attr_put(union bpf_attr *uattr, unsigned int size, size_t off, const void *src,
		  size_t len)
{
	if (off + len <= size)
		memcpy((unsigned char *)uattr + off, src, len);
}

/* bpf_check_uarg_tail_zero: bytes the caller passed beyond our union must be zero. */
static int syscall_copy_attr(union bpf_attr *attr, const union bpf_attr *uattr,
			     unsigned int size)
{
	const unsigned char *tail = (const unsigned char *)uattr;

	if (size > EMU_ATTR_MAX_SIZE)
		return -E2BIG;
	if (size && !uattr)
		return -EFAULT;
	for (unsigned int i = sizeof(*attr); i < size; i++)
		if (tail[i])
			return -E2BIG;
	memset(attr, 0, sizeof(*attr));
	memcpy(attr, uattr, size < sizeof(*attr) ? size : sizeof(*attr));
	return 0;
}

static int syscall_dispatch(int cmd, union bpf_attr *attr, union bpf_attr *uattr,
			    unsigned int size)
{
	switch (cmd) {
	case BPF_MAP_CREATE: return emu_cmd_map_create(attr);
	case BPF_MAP_LOOKUP_ELEM: return emu_cmd_map_lookup(attr);
	case BPF_MAP_UPDATE_ELEM: return emu_cmd_map_update(attr);
	case BPF_MAP_DELETE_ELEM: return emu_cmd_map_delete(attr);
	case BPF_MAP_GET_NEXT_KEY: return emu_cmd_map_get_next_key(attr);
	case BPF_MAP_LOOKUP_AND_DELETE_ELEM: return emu_cmd_map_lookup_and_delete(attr);
	case BPF_MAP_FREEZE: return emu_cmd_map_freeze(attr);
	case BPF_MAP_LOOKUP_BATCH:
	case BPF_MAP_LOOKUP_AND_DELETE_BATCH:
	case BPF_MAP_UPDATE_BATCH:
	case BPF_MAP_DELETE_BATCH: return emu_cmd_map_batch(cmd, attr, uattr, size);
	case BPF_OBJ_PIN: return emu_cmd_obj_pin(attr);
	case BPF_OBJ_GET: return emu_cmd_obj_get(attr);
	case BPF_MAP_GET_NEXT_ID:
	case BPF_PROG_GET_NEXT_ID:
	case BPF_BTF_GET_NEXT_ID: return emu_cmd_get_next_id(cmd, attr, uattr, size);
	case BPF_MAP_GET_FD_BY_ID:
	case BPF_PROG_GET_FD_BY_ID:
	case BPF_BTF_GET_FD_BY_ID: return emu_cmd_get_fd_by_id(cmd, attr);
	case BPF_OBJ_GET_INFO_BY_FD: return emu_cmd_obj_get_info(attr, uattr, size);
	case BPF_BTF_LOAD: return emu_cmd_btf_load(attr);
	case BPF_PROG_LOAD: return emu_cmd_prog_load(attr, uattr, size);
	case BPF_PROG_TEST_RUN: return emu_cmd_prog_test_run(attr, uattr, size);
	case BPF_PROG_ATTACH:
	case BPF_PROG_DETACH:
	case BPF_PROG_QUERY:
	case BPF_RAW_TRACEPOINT_OPEN:
	case BPF_TASK_FD_QUERY:
	case BPF_LINK_CREATE:
	case BPF_LINK_UPDATE:
	case BPF_LINK_GET_FD_BY_ID:
	case BPF_LINK_GET_NEXT_ID:
	case BPF_ENABLE_STATS:
	case BPF_ITER_CREATE:
	case BPF_LINK_DETACH:
	case BPF_PROG_BIND_MAP:
		return -EOPNOTSUPP; /* known commands with no emulated attach points */
	default:
		return -EINVAL;
	}
}

int emu_bpf(int cmd, union bpf_attr *uattr, unsigned int size)
{
	unsigned int base = held_count;
	union bpf_attr attr;
	int ret = syscall_copy_attr(&attr, uattr, size);

	if (!ret)
		ret = syscall_dispatch(cmd, &attr, uattr, size);
	syscall_release_held(base);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}
