/* syscall_obj.c - object commands: OBJ_PIN / OBJ_GET on the emulated bpffs,
 * *_GET_NEXT_ID, *_GET_FD_BY_ID and OBJ_GET_INFO_BY_FD for maps, programs and BTF.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bpffs_int.h"
#include "syscall_int.h"

#define OBJ_FLAG_MASK (BPF_F_RDONLY | BPF_F_WRONLY)

/* Pins keep a user reference for as long as this process lives (bpffs pins live
 * until unlinked; the process cannot see an unlink, so it keeps the object). */
struct pin_ref {
	enum emu_obj_kind kind;
	void *obj;
	struct pin_ref *next;
};
static struct pin_ref *pin_refs;
static pthread_mutex_t pin_lock = PTHREAD_MUTEX_INITIALIZER;

static void pin_keep(enum emu_obj_kind kind, void *obj)
{
	struct pin_ref *ref = malloc(sizeof(*ref));

	if (!ref)
		return;
	if (kind == EMU_OBJ_MAP)
		emu_map_get_uref(obj);
	else
		emu_prog_get(obj);
	pthread_mutex_lock(&pin_lock);
	*ref = (struct pin_ref){ kind, obj, pin_refs };
	pin_refs = ref;
	pthread_mutex_unlock(&pin_lock);
}

static int mode_from_flags(uint32_t flags, unsigned int *mode)
{
	if ((flags & BPF_F_RDONLY) && (flags & BPF_F_WRONLY))
		return -EINVAL;
	*mode = flags & BPF_F_RDONLY ? EMU_FMODE_READ
		: flags & BPF_F_WRONLY ? EMU_FMODE_WRITE : EMU_FMODE_RW;
	return 0;
}

static int pin_prog(struct emu_prog *prog, const char *path)
{
	int err = emu_prog_pin_write(prog, path);

	if (!err)
		pin_keep(EMU_OBJ_PROG, prog);
	return err;
}

int emu_cmd_obj_pin(union bpf_attr *attr)
{
	char path[PATH_MAX];
	bool is_prog = false;
	void *obj;
	int err = 0, fd = (int)attr->bpf_fd;

	if (EMU_ATTR_TAIL_NONZERO(attr, file_flags) || attr->file_flags)
		return -EINVAL;
	if (!attr->pathname)
		return -EFAULT;
	/* bpf_fd_probe_obj: a map, else a program; anything else (a closed fd too) is
	 * EINVAL */
	obj = emu_sys_get(fd, EMU_OBJ_MAP, &err, NULL);
	if (!obj) {
		obj = emu_sys_get(fd, EMU_OBJ_PROG, &err, NULL);
		is_prog = obj != NULL;
	}
	if (!obj)
		return -EINVAL;
	err = emu_bpffs_resolve((const char *)(uintptr_t)attr->pathname, path, sizeof(path), 1);
	if (err)
		return err;
	if (is_prog)
		return pin_prog(obj, path);
	err = emu_bpffs_link_fd(fd, path);
	if (!err)
		pin_keep(EMU_OBJ_MAP, obj);
	return err;
}

static int get_map(int fd, unsigned int mode)
{
	struct emu_map *map;
	struct stat st;
	int attach_fd;

	if (fstat(fd, &st) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	map = emu_map_get_by_inode(st.st_dev, st.st_ino);
	if (map) {
		emu_map_get_uref(map);
		emu_map_put(map);
		return emu_fd_install(EMU_OBJ_MAP, map, fd, mode);
	}
	map = emu_map_attach(fd, &attach_fd);
	if (!map)
		return -errno;
	return emu_fd_install(EMU_OBJ_MAP, map, attach_fd, mode);
}

int emu_obj_get_map_path(const char *path, unsigned int mode)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (!emu_map_file_probe(fd)) {
		close(fd);
		return -EACCES;
	}
	return get_map(fd, mode);
}

int emu_cmd_obj_get(union bpf_attr *attr)
{
	char path[PATH_MAX], magic[8];
	unsigned int mode;
	int err, fd;

	if (EMU_ATTR_TAIL_NONZERO(attr, file_flags) || attr->bpf_fd ||
	    attr->file_flags & ~(uint32_t)OBJ_FLAG_MASK)
		return -EINVAL;
	if (mode_from_flags(attr->file_flags, &mode))
		return -EINVAL;
	if (!attr->pathname)
		return -EFAULT;
	err = emu_bpffs_resolve((const char *)(uintptr_t)attr->pathname, path, sizeof(path), 0);
	if (err)
		return err;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errno == EISDIR ? -EACCES : -errno;
	if (pread(fd, magic, sizeof(magic), 0) != (ssize_t)sizeof(magic)) {
		close(fd);
		return -EACCES;
	}
	if (emu_map_file_probe(fd))
		return get_map(fd, mode);
	if (emu_prog_pin_probe(magic))
		return emu_prog_pin_open(fd, path);
	close(fd);
	return -EACCES;
}

/* ---- ids ---- */

int emu_cmd_get_next_id(int cmd, union bpf_attr *attr, union bpf_attr *uattr,
			unsigned int size)
{
	uint32_t next = 0;

	if (EMU_ATTR_TAIL_NONZERO(attr, next_id) || attr->start_id >= INT_MAX)
		return -EINVAL;
	if (cmd == BPF_MAP_GET_NEXT_ID)
		next = emu_id_map_next(attr->start_id);
	else if (cmd == BPF_PROG_GET_NEXT_ID)
		next = emu_id_prog_next(attr->start_id);
	else
		next = emu_id_btf_next(attr->start_id);
	if (!next)
		return -ENOENT;
	EMU_ATTR_PUT(uattr, size, next_id, next);
	return 0;
}

int emu_cmd_get_fd_by_id(int cmd, union bpf_attr *attr)
{
	struct emu_btf *btf;
	unsigned int mode;
	int ret;

	if (cmd == BPF_MAP_GET_FD_BY_ID) {
		struct emu_map *map;

		if (EMU_ATTR_TAIL_NONZERO(attr, open_flags) ||
		    attr->open_flags & ~(uint32_t)OBJ_FLAG_MASK ||
		    mode_from_flags(attr->open_flags, &mode))
			return -EINVAL;
		map = emu_id_map_get(attr->map_id);
		if (!map)
			return -ENOENT;
		ret = emu_fd_reopen(EMU_OBJ_MAP, map, map->storage_fd, mode);
		emu_map_put(map);
		return ret;
	}
	if (cmd == BPF_PROG_GET_FD_BY_ID) {
		struct emu_prog *prog;

		if (EMU_ATTR_TAIL_NONZERO(attr, prog_id))
			return -EINVAL;
		prog = emu_id_prog_get(attr->prog_id);
		if (!prog)
			return -ENOENT;
		ret = emu_fd_reopen(EMU_OBJ_PROG, prog, -1, EMU_FMODE_RW);
		emu_prog_put(prog);
		return ret;
	}
	if (EMU_ATTR_TAIL_NONZERO(attr, btf_id))
		return -EINVAL;
	btf = emu_id_btf_get(attr->btf_id);
	if (!btf)
		return -ENOENT;
	ret = emu_fd_reopen(EMU_OBJ_BTF, btf, -1, EMU_FMODE_RW);
	emu_btf_put(btf);
	return ret;
}

/* ---- info ---- */

/* bpf_check_uarg_tail_zero on the user's info struct, then the copy-out length. */
static int info_prepare(const union bpf_attr *attr, size_t ours, uint32_t *len)
{
	const unsigned char *uinfo = (const unsigned char *)(uintptr_t)attr->info.info;

	*len = attr->info.info_len;
	if (*len && !uinfo)
		return -EFAULT;
	for (uint32_t i = (uint32_t)ours; i < *len; i++)
		if (uinfo[i])
			return -E2BIG;
	if (*len > ours)
		*len = (uint32_t)ours;
	return 0;
}

static int info_map(struct emu_map *map, union bpf_attr *attr, uint32_t *len)
{
	struct bpf_map_info info;
	int err = info_prepare(attr, sizeof(info), len);

	if (err)
		return err;
	memset(&info, 0, sizeof(info));
	info.type = map->desc.type;
	info.id = map->desc.id;
	info.key_size = map->desc.key_size;
	info.value_size = map->desc.value_size;
	info.max_entries = map->desc.max_entries;
	info.map_flags = map->desc.map_flags;
	memcpy(info.name, map->desc.name, sizeof(info.name));
	info.btf_key_type_id = map->desc.btf_key_type_id;
	info.btf_value_type_id = map->desc.btf_value_type_id;
	info.map_extra = map->map_extra;
	info.btf_id = map->file->btf_id;
	return emu_copy_out(attr->info.info, &info, *len);
}

static uint64_t info_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The program as xlated dumps show it: probe-mem loads (kernel object pointers) as the
 * plain loads they were, as the kernel's bpf_insn_prepare_dump does. */
static int info_copy_xlated(uint64_t to, const struct emu_prog *prog, uint32_t bytes)
{
	struct objfmt_insn *copy = malloc(bytes ? bytes : 1);

	if (!copy)
		return -ENOMEM;
	memcpy(copy, prog->insns, bytes);
	for (uint32_t i = 0; i < bytes / sizeof(*copy); i++) {
		uint8_t mode = copy[i].code & 0xe0;
		if ((copy[i].code & 0x07) == BPF_LDX && (mode == 0x20 || mode == 0x40))
			copy[i].code = (uint8_t)((copy[i].code & ~0xe0) |
						 (mode == 0x20 ? BPF_MEM : OBJFMT_MODE_MEMSX));
	}
	int err = emu_copy_out(to, copy, bytes);
	free(copy);
	return err;
}

/* Arrays the caller asked for are filled up to the count it gave; counts report all. */
static int info_prog_arrays(const struct emu_prog *prog, struct bpf_prog_info *info)
{
	uint32_t xlated = prog->insn_cnt * 8, room;
	int err = 0;

	if (info->xlated_prog_len && info->xlated_prog_insns) {
		room = info->xlated_prog_len < xlated ? info->xlated_prog_len : xlated;
		err = info_copy_xlated(info->xlated_prog_insns, prog, room);
	}
	info->xlated_prog_len = xlated;
	if (!err && info->nr_map_ids && info->map_ids) {
		room = info->nr_map_ids < prog->used_map_cnt ? info->nr_map_ids : prog->used_map_cnt;
		for (uint32_t i = 0; i < room && !err; i++)
			err = emu_copy_out(info->map_ids + 4ull * i, &prog->used_maps[i]->desc.id, 4);
	}
	info->nr_map_ids = prog->used_map_cnt;
	return err;
}

static int info_prog(struct emu_prog *prog, union bpf_attr *attr, uint32_t *len)
{
	struct bpf_prog_info info;
	int err = info_prepare(attr, sizeof(info), len);

	if (err)
		return err;
	memset(&info, 0, sizeof(info));
	err = emu_copy_in(&info, attr->info.info, *len);
	if (err)
		return err;
	info.type = prog->type;
	info.id = prog->id;
	err = emu_prog_tag(prog, info.tag);
	if (err)
		return err;
	memcpy(info.name, prog->name, sizeof(info.name));
	info.gpl_compatible = prog->gpl_compatible;
	info.created_by_uid = (uint32_t)getuid();
	info.load_time = info_now_ns();
	info.verified_insns = prog->verified_insns;
	info.jited_prog_len = 0;
	info.nr_jited_ksyms = info.nr_jited_func_lens = 0;
	info.nr_func_info = prog->func_info_cnt;
	info.func_info_rec_size = prog->func_info_rec_size;
	info.nr_line_info = prog->line_info_cnt;
	info.line_info_rec_size = prog->line_info_rec_size;
	err = info_prog_arrays(prog, &info);
	if (err)
		return err;
	return emu_copy_out(attr->info.info, &info, *len);
}

static int info_btf(struct emu_btf *btf, union bpf_attr *attr, uint32_t *len)
{
	struct bpf_btf_info info;
	int err = info_prepare(attr, sizeof(info), len);

	if (err)
		return err;
	memset(&info, 0, sizeof(info));
	err = emu_copy_in(&info, attr->info.info, *len);
	if (err)
		return err;
	if (info.btf && info.btf_size)
		err = emu_copy_out(info.btf, btf->raw,
				   info.btf_size < btf->raw_size ? info.btf_size : btf->raw_size);
	info.btf_size = btf->raw_size;
	info.id = btf->id;
	info.name = 0;
	info.name_len = 0;
	info.kernel_btf = 0;
	return err ? err : emu_copy_out(attr->info.info, &info, *len);
}

int emu_cmd_obj_get_info(union bpf_attr *attr, union bpf_attr *uattr, unsigned int size)
{
	int fd = (int)attr->info.bpf_fd, err = 0;
	uint32_t len = 0;
	void *obj;

	if (EMU_ATTR_TAIL_NONZERO(attr, info.info))
		return -EINVAL;
	if (fcntl(fd, F_GETFD) < 0)
		return -EBADFD;
	if ((obj = emu_sys_get(fd, EMU_OBJ_MAP, &err, NULL)))
		err = info_map(obj, attr, &len);
	else if ((obj = emu_sys_get(fd, EMU_OBJ_PROG, &err, NULL)))
		err = info_prog(obj, attr, &len);
	else if ((obj = emu_sys_get(fd, EMU_OBJ_BTF, &err, NULL)))
		err = info_btf(obj, attr, &len);
	else
		return -EINVAL;
	if (!err)
		EMU_ATTR_PUT(uattr, size, info.info_len, len);
	return err;
}
