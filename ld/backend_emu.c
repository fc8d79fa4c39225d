/* backend_emu.c - the emulated kernel (libebpfemu's emu_bpf) as a loader backend. */
#include <errno.h>

#include "ebpf/emu.h"
#include "ebpf/load.h"

static long emulator_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	int ret = emu_bpf(cmd, attr, size);
	return ret < 0 ? -errno : ret;
}

const struct ld_backend ld_backend_emulator = { "emulator", emulator_bpf };
