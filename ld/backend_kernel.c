/* backend_kernel.c - the real kernel as a loader backend: syscall(__NR_bpf). */
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ebpf/load.h"

static long kernel_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	long ret;
	int tries = 0;

	/* PROG_LOAD may fail transiently with EAGAIN; libbpf retries it too */
	do
		ret = syscall(__NR_bpf, cmd, attr, size);
	while (ret < 0 && errno == EAGAIN && ++tries < 5);
	return ret < 0 ? -errno : ret;
}

const struct ld_backend ld_backend_kernel = { "kernel", kernel_bpf };
