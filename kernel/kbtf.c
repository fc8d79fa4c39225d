/* kbtf.c - which BTF the emulated kernel has: $EBPF_EMU_KERNEL_BTF (a file, or
 * "builtin"), else the host's /sys/kernel/btf/vmlinux, else the built-in subset of
 * kbtf_builtin.c. Read and decoded once per process; CO-RE relocations for the
 * emulator resolve against it and kernel objects are laid out by it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ebpf/emu.h"
#include "kbtf_int.h"

#define HOST_BTF "/sys/kernel/btf/vmlinux"

static struct {
	bool tried;
	int error;
	uint8_t *raw;               /* encoded bytes, owned */
	size_t raw_size;
	struct objfmt_btf *btf;     /* decoded, owned */
	char source[256];           /* "builtin" or the file's path */
} kernel_btf;

/* The whole file, in a buffer sized by fstat (sysfs reports BTF files' sizes) so
 * that vmlinux's 5 MB are read once, not copied through a growing buffer. */
static int read_file(const char *path, uint8_t **out, size_t *out_size)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	size_t size = 0, cap, n;
	uint8_t *buf;

	if (!f)
		return -errno;
	cap = fstat(fileno(f), &st) == 0 && st.st_size > 0 ? (size_t)st.st_size + 1 : 1 << 20;
	buf = malloc(cap);
	while (buf && (n = fread(buf + size, 1, cap - size, f)) > 0) {
		size += n;
		if (size == cap) {
			uint8_t *bigger = realloc(buf, cap *= 2);
			if (!bigger)
				free(buf);
			buf = bigger;
		}
	}
	fclose(f);
	if (!buf)
		return -ENOMEM;
	*out = buf;
	*out_size = size;
	return 0;
}

static int load_builtin(void)
{
	void *raw;
	size_t size;

	kernel_btf.btf = emu_kbtf_builtin();
	if (!kernel_btf.btf || objfmt_btf__encode(kernel_btf.btf, &raw, &size))
		return -ENOMEM;
	kernel_btf.raw = raw;
	kernel_btf.raw_size = size;
	snprintf(kernel_btf.source, sizeof(kernel_btf.source), "builtin");
	return 0;
}

static int load_file(const char *path)
{
	struct objfmt_diag diag = {{0}, {0}};
	int err = read_file(path, &kernel_btf.raw, &kernel_btf.raw_size);

	if (err)
		return err;
	kernel_btf.btf = objfmt_btf__decode(kernel_btf.raw, kernel_btf.raw_size, &diag);
	if (!kernel_btf.btf) {
		free(kernel_btf.raw);
		kernel_btf.raw = NULL;
		return -EINVAL;
	}
	snprintf(kernel_btf.source, sizeof(kernel_btf.source), "%s", path);
	return 0;
}

static void load_once(void)
{
	const char *choice = getenv("EBPF_EMU_KERNEL_BTF");

	if (kernel_btf.tried)
		return;
	kernel_btf.tried = true;
	if (choice && *choice)
		kernel_btf.error = strcmp(choice, "builtin") ? load_file(choice) : load_builtin();
	else if (load_file(HOST_BTF))
		kernel_btf.error = load_builtin();
}

const struct objfmt_btf *emu_kbtf_get(void)
{
	load_once();
	return kernel_btf.btf;
}

const struct objfmt_btf *emu_kbtf_loaded(void)
{
	return kernel_btf.btf;
}

const struct objfmt_btf *emu_kernel_btf_model(void)
{
	return emu_kbtf_get();
}

int emu_kernel_btf(const void **data, unsigned long *size, const char **source)
{
	load_once();
	if (kernel_btf.error)
		return kernel_btf.error;
	*data = kernel_btf.raw;
	*size = kernel_btf.raw_size;
	if (source)
		*source = kernel_btf.source;
	return 0;
}
