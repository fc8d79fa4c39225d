/* prog_pin.c - pinned programs that another process can open: what PROG_LOAD received
 * (instructions, license, BTF and its records, and which maps the ld_imm64 fds named)
 * is kept with the program; OBJ_PIN writes it to the pin file and links the maps' own
 * storage files beside it, and OBJ_GET in another process loads it again (verifier
 * included) against those very maps.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpffs_int.h"
#include "syscall_int.h"

#define PROG_PIN_MAGIC "EBPFPRG2"

/* One ld_imm64 that named a map by fd. */
struct prog_map_ref {
	uint32_t insn;  /* instruction index */
	uint32_t map;   /* index into the record's maps */
};

struct prog_load_record {
	union bpf_attr attr;        /* the load attr; pointers cleared */
	char *license;              /* NUL-terminated */
	void *btf;                  /* raw program BTF, or NULL */
	uint32_t btf_size;
	struct prog_map_ref *refs;  /* ld_imm64 map fds, in instruction order */
	uint32_t ref_count;
	struct emu_map **maps;      /* distinct maps (references held) */
	uint32_t map_count;
};

/* Pin file layout: this header, then insns, license, btf, func_info, line_info, refs. */
struct prog_pin_header {
	char magic[8];
	uint32_t pid;        /* process that loaded the program */
	uint32_t prog_id;    /* its id there */
	uint32_t license_len;
	uint32_t btf_size;
	uint32_t ref_count;
	uint32_t map_count;
	union bpf_attr attr; /* load attributes, pointers cleared */
};

void emu_prog_record_free(void *record)
{
	struct prog_load_record *rec = record;

	if (!rec)
		return;
	for (uint32_t i = 0; i < rec->map_count; i++)
		emu_map_put(rec->maps[i]);
	free(rec->maps);
	free(rec->refs);
	free(rec->license);
	free(rec->btf);
	free(rec);
}

static bool insn_names_map(const struct objfmt_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW) &&
	       (insn->src_reg == BPF_PSEUDO_MAP_FD || insn->src_reg == BPF_PSEUDO_MAP_VALUE);
}

static int record_map(struct prog_load_record *rec, uint32_t insn, int fd)
{
	struct emu_map *map = emu_map_get_by_fd(fd);
	uint32_t index;

	if (!map)
		return 0; /* the verifier reports the bad fd */
	for (index = 0; index < rec->map_count && rec->maps[index] != map; index++)
		;
	if (index == rec->map_count) {
		struct emu_map **grown = realloc(rec->maps, (index + 1) * sizeof(*grown));

		if (!grown) {
			emu_map_put(map);
			return -ENOMEM;
		}
		rec->maps = grown;
		rec->maps[rec->map_count++] = map;
	} else {
		emu_map_put(map);
	}
	rec->refs[rec->ref_count++] = (struct prog_map_ref){ insn, index };
	return 0;
}

static int record_btf(struct prog_load_record *rec, int fd)
{
	int err = 0;
	struct emu_btf *btf = emu_btf_get_by_fd(fd, &err);

	if (!btf)
		return 0; /* prog_fill reports it */
	rec->btf = malloc(btf->raw_size);
	if (rec->btf) {
		memcpy(rec->btf, btf->raw, btf->raw_size);
		rec->btf_size = btf->raw_size;
	}
	emu_btf_put(btf);
	return rec->btf ? 0 : -ENOMEM;
}

int emu_prog_record_load(struct emu_prog *prog, const union bpf_attr *attr)
{
	const struct objfmt_insn *insns = prog->orig_insns;
	struct prog_load_record *rec = calloc(1, sizeof(*rec));
	int err = 0;

	if (!rec)
		return -ENOMEM;
	rec->attr = *attr;
	rec->license = strndup((const char *)(uintptr_t)attr->license, 127);
	rec->refs = calloc(prog->orig_insn_cnt, sizeof(*rec->refs));
	if (!rec->license || !rec->refs)
		err = -ENOMEM;
	for (uint32_t i = 0; !err && i + 1 < prog->orig_insn_cnt; i++) {
		if (!insn_names_map(&insns[i]))
			continue;
		err = record_map(rec, i, insns[i].imm);
		i++; /* second half of the ld_imm64 */
	}
	if (!err && attr->prog_btf_fd)
		err = record_btf(rec, (int)attr->prog_btf_fd);
	if (err) {
		emu_prog_record_free(rec);
		return err;
	}
	prog->load_record = rec;
	return 0;
}

/* ---- writing a pin ---- */

static void put_bytes(unsigned char **p, const void *src, size_t len)
{
	if (len)
		memcpy(*p, src, len);
	*p += len;
}

static int pin_link_maps(const struct prog_load_record *rec, const char *path)
{
	char map_path[PATH_MAX + 16];

	for (uint32_t i = 0; i < rec->map_count; i++) {
		int fd = emu_fd_reopen(EMU_OBJ_MAP, rec->maps[i], rec->maps[i]->storage_fd,
				       EMU_FMODE_RW);
		int err;

		if (fd < 0)
			return fd;
		snprintf(map_path, sizeof(map_path), "%s.map%u", path, i);
		unlink(map_path); /* a leftover of an earlier pin at this path */
		err = emu_bpffs_link_fd(fd, map_path);
		close(fd);
		if (err)
			return err;
	}
	return 0;
}

int emu_prog_pin_write(struct emu_prog *prog, const char *path)
{
	const struct prog_load_record *rec = prog->load_record;
	struct prog_pin_header hdr;
	size_t size, func = (size_t)prog->func_info_cnt * prog->func_info_rec_size;
	size_t line = (size_t)prog->line_info_cnt * prog->line_info_rec_size;
	unsigned char *buf, *p;
	int err;

	if (!rec)
		return -EINVAL;
	memset(&hdr, 0, sizeof(hdr));
	memcpy(hdr.magic, PROG_PIN_MAGIC, sizeof(hdr.magic));
	hdr.pid = (uint32_t)getpid();
	hdr.prog_id = prog->id;
	hdr.license_len = (uint32_t)strlen(rec->license) + 1;
	hdr.btf_size = rec->btf_size;
	hdr.ref_count = rec->ref_count;
	hdr.map_count = rec->map_count;
	hdr.attr = rec->attr;
	size = sizeof(hdr) + prog->orig_insn_cnt * sizeof(struct objfmt_insn) +
	       hdr.license_len + rec->btf_size + func + line +
	       rec->ref_count * sizeof(struct prog_map_ref);
	p = buf = malloc(size);
	if (!buf)
		return -ENOMEM;
	put_bytes(&p, &hdr, sizeof(hdr));
	put_bytes(&p, prog->orig_insns, prog->orig_insn_cnt * sizeof(struct objfmt_insn));
	put_bytes(&p, rec->license, hdr.license_len);
	put_bytes(&p, rec->btf, rec->btf_size);
	put_bytes(&p, prog->func_info, func);
	put_bytes(&p, prog->line_info, line);
	put_bytes(&p, rec->refs, rec->ref_count * sizeof(struct prog_map_ref));
	err = pin_link_maps(rec, path);
	if (!err)
		err = emu_bpffs_write_file(path, buf, size);
	free(buf);
	return err;
}

/* ---- reading a pin ---- */

bool emu_prog_pin_probe(const void *magic)
{
	return !memcmp(magic, PROG_PIN_MAGIC, 8);
}

struct pin_image {
	unsigned char *data;
	size_t size;
	size_t pos;
};

static const void *take_bytes(struct pin_image *img, size_t len)
{
	const void *p = img->data + img->pos;

	if (len > img->size - img->pos)
		return NULL;
	img->pos += len;
	return p;
}

static int read_all(int fd, struct pin_image *img)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	img->size = (size_t)st.st_size;
	img->data = malloc(img->size ? img->size : 1);
	if (!img->data)
		return -ENOMEM;
	if (pread(fd, img->data, img->size, 0) != (ssize_t)img->size)
		return -EIO;
	return 0;
}

/* Open the maps linked beside the pin; fds[i] receives a temporary fd of map i. */
static int open_pinned_maps(const char *path, uint32_t count, int *fds)
{
	char map_path[PATH_MAX + 16];

	for (uint32_t i = 0; i < count; i++) {
		snprintf(map_path, sizeof(map_path), "%s.map%u", path, i);
		fds[i] = emu_obj_get_map_path(map_path, EMU_FMODE_RW);
		if (fds[i] < 0)
			return fds[i];
	}
	return 0;
}

/* Load the program again from the image, its ld_imm64s naming the reopened maps. */
static int reload(struct pin_image *img, const struct prog_pin_header *hdr, const int *fds)
{
	union bpf_attr attr = hdr->attr, out;
	size_t func = (size_t)attr.func_info_cnt * attr.func_info_rec_size;
	size_t line = (size_t)attr.line_info_cnt * attr.line_info_rec_size;
	struct objfmt_insn *insns = (struct objfmt_insn *)take_bytes(img, attr.insn_cnt * 8ull);
	const char *license = take_bytes(img, hdr->license_len);
	const void *btf = take_bytes(img, hdr->btf_size);
	const void *func_info = take_bytes(img, func), *line_info = take_bytes(img, line);
	const struct prog_map_ref *refs = take_bytes(img, hdr->ref_count * sizeof(*refs));
	int btf_fd = -1, fd;

	if (!insns || !license || !btf || !func_info || !line_info || !refs ||
	    !hdr->license_len || license[hdr->license_len - 1])
		return -EINVAL;
	for (uint32_t i = 0; i < hdr->ref_count; i++) {
		if (refs[i].insn >= attr.insn_cnt || refs[i].map >= hdr->map_count)
			return -EINVAL;
		insns[refs[i].insn].imm = fds[refs[i].map];
	}
	if (hdr->btf_size) {
		union bpf_attr battr;

		memset(&battr, 0, sizeof(battr));
		battr.btf = (uint64_t)(uintptr_t)btf;
		battr.btf_size = hdr->btf_size;
		btf_fd = emu_cmd_btf_load(&battr);
		if (btf_fd < 0)
			return btf_fd;
	}
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.license = (uint64_t)(uintptr_t)license;
	attr.prog_btf_fd = btf_fd < 0 ? 0 : (uint32_t)btf_fd;
	attr.func_info = func ? (uint64_t)(uintptr_t)func_info : 0;
	attr.line_info = line ? (uint64_t)(uintptr_t)line_info : 0;
	attr.log_buf = 0;
	attr.log_size = 0;
	attr.log_level = 0;
	out = attr;
	fd = emu_cmd_prog_load(&attr, &out, sizeof(out));
	if (btf_fd >= 0)
		close(btf_fd);
	return fd;
}

int emu_prog_pin_open(int fd, const char *path)
{
	struct pin_image img = { NULL, 0, 0 };
	struct prog_pin_header hdr;
	int *map_fds = NULL, ret;
	struct emu_prog *prog;

	ret = read_all(fd, &img);
	close(fd);
	if (!ret && !take_bytes(&img, sizeof(hdr)))
		ret = -EINVAL;
	if (ret)
		goto out;
	memcpy(&hdr, img.data, sizeof(hdr));
	prog = hdr.pid == (uint32_t)getpid() ? emu_id_prog_get(hdr.prog_id) : NULL;
	if (prog) {
		ret = emu_fd_reopen(EMU_OBJ_PROG, prog, -1, EMU_FMODE_RW);
		emu_prog_put(prog);
		goto out;
	}
	map_fds = malloc((hdr.map_count + 1) * sizeof(int));
	if (!map_fds || hdr.map_count > img.size) {
		ret = map_fds ? -EINVAL : -ENOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < hdr.map_count; i++)
		map_fds[i] = -1;
	ret = open_pinned_maps(path, hdr.map_count, map_fds);
	if (!ret)
		ret = reload(&img, &hdr, map_fds);
	for (uint32_t i = 0; i < hdr.map_count; i++)
		if (map_fds[i] >= 0)
			close(map_fds[i]);
out:
	free(map_fds);
	free(img.data);
	return ret;
}
