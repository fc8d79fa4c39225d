/* bpffs.c - the emulated bpf filesystem: a per-user directory standing for
 * /sys/fs/bpf, storage files that can be linked into it atomically, and the kernel's
 * path rules for pinning.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpffs_int.h"
#include "ebpf/emu.h"

#define BPFFS_KERNEL_ROOT "/sys/fs/bpf"

/* mkdir -p; the directory usually exists already (every map's storage file asks for
 * it), so try it first and walk the parents only when one is missing. */
static int bpffs_mkdir_p(char *path)
{
	if (mkdir(path, 0700) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return -errno;
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			*p = '/';
			return -errno;
		}
		*p = '/';
	}
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int emu_bpffs_root(char *buf, unsigned long size)
{
	const char *env = getenv("EBPF_BPFFS");
	const char *tmp = getenv("TMPDIR");
	struct stat st;
	int n;

	if (env && *env)
		n = snprintf(buf, size, "%s", env);
	else if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode))
		n = snprintf(buf, size, "/dev/shm/ebpfemu-%u/bpffs", (unsigned)getuid());
	else
		n = snprintf(buf, size, "%s/ebpfemu-%u/bpffs", tmp && *tmp ? tmp : "/tmp",
			     (unsigned)getuid());
	if (n < 0 || (unsigned long)n >= size)
		return -ENAMETOOLONG;
	while (n > 1 && buf[n - 1] == '/')
		buf[--n] = '\0';
	return bpffs_mkdir_p(buf);
}

int emu_bpffs_storage_file(void)
{
	char root[PATH_MAX];
	int fd = -1;

	if (emu_bpffs_root(root, sizeof(root)) == 0)
		fd = open(root, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		fd = memfd_create("bpf-map", MFD_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* Map /sys/fs/bpf[/rest] onto the root; anything else stays as given. */
static int bpffs_translate(const char *user_path, const char *root, char *out,
			   size_t out_size)
{
	size_t len = strlen(BPFFS_KERNEL_ROOT);
	int n;

	if (strncmp(user_path, BPFFS_KERNEL_ROOT, len) == 0 &&
	    (user_path[len] == '/' || user_path[len] == '\0'))
		n = snprintf(out, out_size, "%s%s", root, user_path + len);
	else
		n = snprintf(out, out_size, "%s", user_path);
	return n < 0 || (size_t)n >= out_size ? -ENAMETOOLONG : 0;
}

/* Is real directory `dir` the root or below it? */
static int bpffs_inside_root(const char *dir, const char *root)
{
	char real_dir[PATH_MAX], real_root[PATH_MAX];
	size_t len;

	if (!realpath(dir, real_dir))
		return -errno;
	if (!realpath(root, real_root))
		return -errno;
	len = strlen(real_root);
	if (strncmp(real_dir, real_root, len) != 0 ||
	    (real_dir[len] != '/' && real_dir[len] != '\0'))
		return -EPERM;
	return 0;
}

int emu_bpffs_resolve(const char *user_path, char *out, size_t out_size, int creating)
{
	char root[PATH_MAX], parent[PATH_MAX];
	const char *last;
	int err;

	if (!*user_path)
		return -ENOENT;
	err = emu_bpffs_root(root, sizeof(root));
	if (!err)
		err = bpffs_translate(user_path, root, out, out_size);
	if (err)
		return err;
	last = strrchr(out, '/');
	last = last ? last + 1 : out;
	snprintf(parent, sizeof(parent), "%.*s", (int)(last - out), out);
	if (!parent[0])
		strcpy(parent, ".");
	err = bpffs_inside_root(parent, root);
	if (err == -ENOENT || err == -ENOTDIR)
		return err;
	if (err)
		return creating ? -EPERM : err;
	if (strchr(last, '.'))
		return -EPERM;
	if (!*last)
		return creating ? -EEXIST : 0;
	return 0;
}

int emu_bpffs_link_fd(int fd, const char *path)
{
	char proc[64];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW) < 0)
		return errno == EXDEV ? -EPERM : -errno;
	return 0;
}

static int bpffs_write_all(int fd, const void *data, size_t size)
{
	const char *p = data;

	while (size) {
		ssize_t n = write(fd, p, size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		size -= (size_t)n;
	}
	return 0;
}

int emu_bpffs_write_file(const char *path, const void *data, size_t size)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd, err;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1,
		 slash ? path : ".");
	if (!dir[0])
		strcpy(dir, "/");
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	err = bpffs_write_all(fd, data, size);
	if (!err && fsync(fd) < 0)
		err = -errno;
	if (!err)
		err = emu_bpffs_link_fd(fd, path);
	close(fd);
	return err;
}
