/* emu.h - public contract of libebpfemu, the emulated kernel: one bpf() entry point
 * taking the UAPI `union bpf_attr`, and the emulator's configuration.
 *
 * Conventions: emu_bpf() behaves like the bpf(2) system call: it returns a value >= 0
 * on success (an fd for commands that create one) or -1 with errno set to the kernel's
 * answer. Every object (map, program, BTF) is a real fd of the calling process; close()
 * releases it. Configuration functions return 0 or a negative errno.
 */
#ifndef EBPF_EMU_H
#define EBPF_EMU_H

#include <linux/bpf.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The bpf() system call of the emulated kernel: `size` bytes of `attr` are read (bytes
 * past the fields this kernel knows must be zero: E2BIG otherwise), as the kernel does.
 * Commands: MAP_CREATE .. MAP_DELETE_BATCH, MAP_FREEZE, OBJ_PIN/OBJ_GET (bpffs, see
 * emu_bpffs_root), OBJ_GET_INFO_BY_FD, *_GET_NEXT_ID, *_GET_FD_BY_ID, BTF_LOAD,
 * PROG_LOAD and PROG_TEST_RUN. */
int emu_bpf(int cmd, union bpf_attr *attr, unsigned int size);

/* ------------------------------------------------------------------------------------
 * Emulator configuration (map side)
 * ---------------------------------------------------------------------------------- */

/* Number of possible CPUs: per-CPU maps hold this many values and user space reads and
 * writes round_up(value_size, 8) * cpus bytes. Default: the host's possible CPUs
 * (/sys/devices/system/cpu/possible, as libbpf_num_possible_cpus() counts them), or
 * the environment variable EBPF_EMU_CPUS. Changing it affects maps created afterwards.
 * Returns 0, or -EINVAL for 0 or more than EMU_MAX_CPUS. */
#define EMU_MAX_CPUS 4096
int emu_config_set_cpus(unsigned int cpus);
unsigned int emu_config_cpus(void);

/* The emulated CPU programs run on (per-CPU map slots, BPF_F_CURRENT_CPU, ring buffer
 * and perf output). Returns 0 or -EINVAL when cpu >= emu_config_cpus(). */
int emu_config_set_current_cpu(unsigned int cpu);
unsigned int emu_config_current_cpu(void);

/* The directory that stands for /sys/fs/bpf: $EBPF_BPFFS if set, else a per-user
 * directory (/dev/shm/ebpfemu-<uid>/bpffs, or $TMPDIR/ebpfemu-<uid>/bpffs without
 * /dev/shm), created on first use. Paths given to OBJ_PIN/OBJ_GET that start with
 * /sys/fs/bpf/ are taken relative to it; paths already inside it are accepted as they
 * are. Writes the path into buf (NUL-terminated); returns 0 or -ENAMETOOLONG/-errno. */
int emu_bpffs_root(char *buf, unsigned long size);

/* Records bpf_perf_event_output() wrote into slot `index` of the PERF_EVENT_ARRAY map
 * `map_fd` (the slot must hold an fd, as in the kernel), oldest first: copies the next
 * record into buf and returns its size; -ENOENT when none is left, -ENOSPC when size is
 * too small (the record stays), -E2BIG for an index past max_entries, -EBADF/-EINVAL
 * for a bad fd. */
int emu_perf_event_read(int map_fd, unsigned int index, void *buf, unsigned int size);

/* ------------------------------------------------------------------------------------
 * Run configuration (owned by the execution side: clock, seed, current task, ...)
 * ---------------------------------------------------------------------------------- */

/* What the helpers report about the world. Everything is deterministic by default so
 * that runs are reproducible; the CPU is emu_config_current_cpu() above. */
struct emu_run_config {
	unsigned long long clock_start_ns; /* first bpf_ktime_get_ns() (default 1e9) */
	unsigned long long clock_step_ns;  /* each clock read advances by this (default 1000) */
	unsigned long long boot_offset_ns; /* ktime_get_boot_ns - ktime_get_ns (default 0) */
	unsigned long long seed;           /* bpf_get_prandom_u32 sequence seed (default 1) */
	unsigned int numa_node;            /* bpf_get_numa_node_id (default 0) */
	unsigned int pid, tgid;            /* bpf_get_current_pid_tgid (default 4242, 4242) */
	unsigned int uid, gid;             /* bpf_get_current_uid_gid (default 0, 0) */
	char comm[16];                     /* bpf_get_current_comm (default "ebpf-run") */
	unsigned long long task;           /* bpf_get_current_task value (an opaque address) */
	int checked;                       /* checked execution (default 0; also the
					      environment variable EBPF_EMU_CHECKED=1): every
					      memory access and helper memory argument is checked
					      against the regions the program may touch; a
					      violation ends the run with -EFAULT */
};

/* Copy the current configuration out / replace it (which also restarts the clock and
 * the random sequence) / go back to the defaults. set returns 0 or -EINVAL (NULL). */
void emu_run_config_get(struct emu_run_config *out);
int emu_run_config_set(const struct emu_run_config *config);
void emu_run_config_reset(void);

/* Checked-execution violations found in this process so far (each also ended its run
 * with -EFAULT and "checked execution: insn N: ... out of bounds"). */
unsigned long emu_checked_violations(void);
/* The report of the last violation ("" when none), borrowed. */
const char *emu_checked_last_report(void);

/* bpf_trace_printk / bpf_trace_vprintk output captured since the last clear, one
 * formatted message per call exactly as the kernel writes it to trace_pipe after the
 * "task-pid [cpu] ..." prefix. Borrowed text, NUL-terminated; *len (if non-NULL) gets
 * its length. */
const char *emu_trace_output(unsigned long *len);
void emu_trace_clear(void);

/* Emulated memory that bpf_probe_read_{kernel,user}[_str] read: `size` bytes at
 * address `addr` (copied), in the kernel or the user address space. Reads outside any
 * range fail with -EFAULT and zero the destination, as on a real fault. Returns 0,
 * -EINVAL (empty or wrapping range) or -ENOMEM. clear drops every range. */
int emu_memory_add(unsigned long long addr, const void *data, unsigned long size,
		   int user);
void emu_memory_clear(void);

/* ------------------------------------------------------------------------------------
 * Emulated kernel BTF and kernel objects (CO-RE and tracing side)
 * ---------------------------------------------------------------------------------- */

/* The emulated kernel's BTF, target of CO-RE relocations for the emulator and layout of
 * its kernel objects: $EBPF_EMU_KERNEL_BTF (a file, or "builtin"), else the host's
 * /sys/kernel/btf/vmlinux, else a built-in subset (task_struct, cred, mm_struct,
 * pt_regs, trace_event_raw_* of common tracepoints; doc/core.md lists it). Sets the
 * raw .BTF bytes (borrowed, valid for the process), their size and their source
 * ("builtin" or the path; source may be NULL). Returns 0, or -errno of an unreadable
 * file, -EINVAL for bytes that do not decode, -ENOMEM. */
int emu_kernel_btf(const void **data, unsigned long *size, const char **source);
/* The same BTF decoded by libobjfmt (include/ebpf/objfmt.h), borrowed and valid for
 * the process, or NULL when emu_kernel_btf fails: decoded once, shared. */
struct objfmt_btf;
const struct objfmt_btf *emu_kernel_btf_model(void);

/* Kernel objects that bpf_probe_read_kernel reads: the current task_struct (at the run
 * configuration's `task` address, created with its pid, tgid and comm) and the objects
 * it points to. "PATH=VALUE" sets a member: PATH is member names joined by '.', found
 * through anonymous members ("pid", "comm", "real_parent.tgid", "cred.uid.val"); a NULL
 * pointer to a struct on the path gets a new zeroed object. VALUE is a number (decimal,
 * 0x hex, negative) for integer, enum, bitfield and pointer members, text for a char
 * array or a char pointer (which then points to a new string object).
 * "STRUCT@ADDRESS:PATH=VALUE" does the same from a zeroed struct STRUCT placed at
 * ADDRESS (for hook arguments: "filename@0xffff888007000000:name=/tmp/x").
 * Returns 0, or -EINVAL (syntax, value or type), -ENOENT (no such member or struct),
 * -ERANGE (value too large), -EEXIST (another object at ADDRESS), -ENOSPC (too many
 * objects), with a message in `error`. */
int emu_kobj_assign(const char *assignment, char *error, unsigned long error_size);
/* Hand every object to emu_memory_add and make the run configuration agree with the
 * task (pid, tgid, comm, task address); without assignments, the default task (pid,
 * tgid, comm of the run configuration) exists once emu_kernel_btf was asked for. Call
 * after emu_run_config_reset and emu_memory_clear; objects stay until emu_kobj_clear.
 * Returns 0 or a negative errno. */
int emu_kobj_install(void);
void emu_kobj_clear(void);

/* ------------------------------------------------------------------------------------
 * Emulated sockets (bpf_sk_lookup_tcp/udp, bpf_skc_lookup_tcp)
 * ---------------------------------------------------------------------------------- */

/* Add a socket the lookups can find, described as the program reads it (struct
 * bpf_sock of <linux/bpf.h>: family, type, protocol, state, src_ip4/6 and src_port
 * (host order) local, dst_ip4/6 and dst_port (network order) remote). A socket in
 * state 10 (TCP_LISTEN) or with no remote address matches any remote end. Copied;
 * returns 0, -EINVAL (family not AF_INET/AF_INET6) or -ENOSPC (64 sockets). Without
 * any, every lookup returns NULL, as in a kernel where nothing listens there. */
struct bpf_sock;
int emu_socket_add(const struct bpf_sock *sock);
void emu_socket_clear(void);

#ifdef __cplusplus
}
#endif

#endif /* EBPF_EMU_H */
