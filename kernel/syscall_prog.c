/* syscall_prog.c - BPF_PROG_LOAD and BPF_PROG_TEST_RUN: the kernel's structural checks
 * on the attr, a struct emu_prog built from it, then the verifier (emu_verifier_run)
 * and the execution side (emu_exec_prepare, emu_exec_test_run).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syscall_int.h"

#define EMU_COMPLEXITY_LIMIT_INSNS 1000000u
/* also BPF_F_XDP_DEV_BOUND_ONLY (1 << 6, UAPI 6.3) and BPF_F_TEST_REG_INVARIANTS
 * (1 << 7, 6.7), which the installed linux/bpf.h may predate: 6.18 takes both for any
 * type (a device-bound program without an ifindex is a plain one; the invariant checks
 * never fail for a verifier without bugs) */
#define EMU_PROG_FLAGS_KNOWN                                                          \
	(BPF_F_STRICT_ALIGNMENT | BPF_F_ANY_ALIGNMENT | BPF_F_TEST_STATE_FREQ |       \
	 BPF_F_SLEEPABLE | BPF_F_TEST_RND_HI32 | BPF_F_XDP_HAS_FRAGS | (1u << 6) |     \
	 (1u << 7))
/* BPF_LOG_LEVEL1 | BPF_LOG_LEVEL2 | BPF_LOG_STATS | BPF_LOG_FIXED (8, UAPI 6.4; the
 * installed linux/bpf.h may predate it); the verifier checks the combinations. */
#define EMU_LOG_LEVEL_MASK 15u

/* Program and attach types newer than some installed UAPI headers (6.1's). */
enum {
	EMU_PROG_TYPE_NETFILTER = 32,
	EMU_ATTACH_NETFILTER = 45,
	EMU_ATTACH_UNIX_CONNECT = 49,
	EMU_ATTACH_UNIX_SENDMSG = 50,
	EMU_ATTACH_UNIX_RECVMSG = 51,
	EMU_ATTACH_UNIX_GETPEERNAME = 52,
	EMU_ATTACH_UNIX_GETSOCKNAME = 53,
};
#define EMU_BTF_MAX_TYPE 0xfffff

int emu_obj_name_check(const char *name, size_t size);
void emu_prog_free(struct emu_prog *prog);

static bool prog_license_is_gpl(const char *license)
{
	static const char *const gpl[] = { "GPL", "GPL v2", "GPL and additional rights",
					   "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL" };

	for (size_t i = 0; i < sizeof(gpl) / sizeof(gpl[0]); i++)
		if (!strcmp(license, gpl[i]))
			return true;
	return false;
}

/* LIRC_MODE2 needs CONFIG_BPF_LIRC_MODE2 (off in 6.18 here: EINVAL) and an rc device,
 * which the emulator has neither of. */
static bool prog_type_known(uint32_t type)
{
	return type > BPF_PROG_TYPE_UNSPEC && type <= EMU_PROG_TYPE_NETFILTER &&
	       type != BPF_PROG_TYPE_STRUCT_OPS && type != BPF_PROG_TYPE_EXT &&
	       type != BPF_PROG_TYPE_LIRC_MODE2;
}


/* Kernel bpf_prog_load_fixup_attach_type: two types had their hook implied before
 * expected_attach_type existed, so 0 still selects it. */
static uint32_t prog_fixup_attach_type(uint32_t type, uint32_t attach)
{
	if (attach)
		return attach;
	if (type == BPF_PROG_TYPE_CGROUP_SOCK)
		return BPF_CGROUP_INET_SOCK_CREATE;
	if (type == BPF_PROG_TYPE_SK_REUSEPORT)
		return BPF_SK_REUSEPORT_SELECT;
	return 0;
}

static bool attach_in(uint32_t attach, const uint32_t *allowed, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (allowed[i] == attach)
			return true;
	return false;
}

#define ATTACH_IN(attach, ...) \
	attach_in(attach, (const uint32_t[]){ __VA_ARGS__ }, \
		  sizeof((const uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t))

/* Kernel bpf_prog_load_check_attach (6.18): types whose hook is fixed at load time
 * accept only their own attach types; attach_btf_id only for BTF-attached types. */
static int prog_check_attach(uint32_t type, uint32_t attach, uint32_t btf_id)
{
	bool btf_attached = type == BPF_PROG_TYPE_TRACING || type == BPF_PROG_TYPE_LSM ||
			    type == BPF_PROG_TYPE_STRUCT_OPS || type == BPF_PROG_TYPE_EXT;
	bool ok;

	if (btf_id && (btf_id > EMU_BTF_MAX_TYPE || !btf_attached))
		return -EINVAL;
	switch (type) {
	case BPF_PROG_TYPE_CGROUP_SOCK:
		ok = ATTACH_IN(attach, BPF_CGROUP_INET_SOCK_CREATE, BPF_CGROUP_INET_SOCK_RELEASE,
			       BPF_CGROUP_INET4_POST_BIND, BPF_CGROUP_INET6_POST_BIND);
		break;
	case BPF_PROG_TYPE_CGROUP_SOCK_ADDR:
		ok = ATTACH_IN(attach, BPF_CGROUP_INET4_BIND, BPF_CGROUP_INET6_BIND,
			       BPF_CGROUP_INET4_CONNECT, BPF_CGROUP_INET6_CONNECT,
			       EMU_ATTACH_UNIX_CONNECT, BPF_CGROUP_INET4_GETPEERNAME,
			       BPF_CGROUP_INET6_GETPEERNAME, EMU_ATTACH_UNIX_GETPEERNAME,
			       BPF_CGROUP_INET4_GETSOCKNAME, BPF_CGROUP_INET6_GETSOCKNAME,
			       EMU_ATTACH_UNIX_GETSOCKNAME, BPF_CGROUP_UDP4_SENDMSG,
			       BPF_CGROUP_UDP6_SENDMSG, EMU_ATTACH_UNIX_SENDMSG,
			       BPF_CGROUP_UDP4_RECVMSG, BPF_CGROUP_UDP6_RECVMSG,
			       EMU_ATTACH_UNIX_RECVMSG);
		break;
	case BPF_PROG_TYPE_CGROUP_SKB:
		ok = ATTACH_IN(attach, BPF_CGROUP_INET_INGRESS, BPF_CGROUP_INET_EGRESS);
		break;
	case BPF_PROG_TYPE_CGROUP_SOCKOPT:
		ok = ATTACH_IN(attach, BPF_CGROUP_SETSOCKOPT, BPF_CGROUP_GETSOCKOPT);
		break;
	case BPF_PROG_TYPE_SK_LOOKUP:
		ok = attach == BPF_SK_LOOKUP;
		break;
	case BPF_PROG_TYPE_SK_REUSEPORT:
		ok = ATTACH_IN(attach, BPF_SK_REUSEPORT_SELECT, BPF_SK_REUSEPORT_SELECT_OR_MIGRATE);
		break;
	case EMU_PROG_TYPE_NETFILTER:
		ok = attach == EMU_ATTACH_NETFILTER;
		break;
	case BPF_PROG_TYPE_SYSCALL:
	case BPF_PROG_TYPE_EXT:
		ok = attach == 0;
		break;
	default:
		ok = true;
	}
	return ok ? 0 : -EINVAL;
}

/* bpf_vlog_init / bpf_verifier_vlog: buffer and size both or neither, level known. */
static int prog_log_check(const union bpf_attr *attr)
{
	if (!!attr->log_buf != !!attr->log_size)
		return -EINVAL;
	if (attr->log_size > UINT32_MAX >> 2)
		return -EINVAL;
	if (attr->log_level & ~EMU_LOG_LEVEL_MASK)
		return -EINVAL;
	if (attr->log_buf && !attr->log_level)
		return -EINVAL;
	return 0;
}

static int prog_load_check(const union bpf_attr *attr)
{
	if (EMU_ATTR_TAIL_NONZERO(attr, core_relo_rec_size))
		return -EINVAL;
	if (attr->prog_flags & ~EMU_PROG_FLAGS_KNOWN)
		return -EINVAL;
	if (!attr->license)
		return -EFAULT;
	if (attr->insn_cnt == 0 || attr->insn_cnt > EMU_COMPLEXITY_LIMIT_INSNS)
		return -E2BIG;
	if (!attr->insns)
		return -EFAULT;
	if (!prog_type_known(attr->prog_type))
		return -EINVAL;
	int err = prog_check_attach(attr->prog_type,
				    prog_fixup_attach_type(attr->prog_type,
							   attr->expected_attach_type),
				    attr->attach_btf_id);
	return err ? err : prog_log_check(attr);
}

static void *prog_dup(uint64_t src, size_t count, size_t size)
{
	void *copy;

	if (!src || !count)
		return NULL;
	copy = calloc(count, size);
	if (copy)
		memcpy(copy, (const void *)(uintptr_t)src, count * size);
	return copy;
}

static int prog_fill(struct emu_prog *prog, const union bpf_attr *attr)
{
	char license[128];
	int err = 0;

	prog->refcnt = 1;
	prog->type = attr->prog_type;
	prog->expected_attach_type = prog_fixup_attach_type(attr->prog_type,
							    attr->expected_attach_type);
	prog->attach_btf_id = attr->attach_btf_id;
	prog->prog_flags = attr->prog_flags;
	memcpy(prog->name, attr->prog_name, sizeof(prog->name));
	snprintf(license, sizeof(license), "%s", (const char *)(uintptr_t)attr->license);
	prog->gpl_compatible = prog_license_is_gpl(license);
	prog->insn_cnt = prog->orig_insn_cnt = attr->insn_cnt;
	prog->insns = prog_dup(attr->insns, attr->insn_cnt, sizeof(struct objfmt_insn));
	prog->orig_insns = prog_dup(attr->insns, attr->insn_cnt, sizeof(struct objfmt_insn));
	if (!prog->insns || !prog->orig_insns)
		return -ENOMEM;
	prog->func_info_rec_size = attr->func_info_rec_size;
	prog->func_info_cnt = attr->func_info_cnt;
	prog->func_info = prog_dup(attr->func_info, attr->func_info_cnt, attr->func_info_rec_size);
	prog->line_info_rec_size = attr->line_info_rec_size;
	prog->line_info_cnt = attr->line_info_cnt;
	prog->line_info = prog_dup(attr->line_info, attr->line_info_cnt, attr->line_info_rec_size);
	if (attr->prog_btf_fd) {
		struct emu_btf *btf = emu_btf_get_by_fd((int)attr->prog_btf_fd, &err);

		if (!btf)
			return err;
		prog->btf = objfmt_btf__decode(btf->raw, btf->raw_size, NULL);
		emu_btf_put(btf);
		if (!prog->btf)
			return -EINVAL;
	}
	return 0;
}

static void prog_log_init(struct emu_log *log, const union bpf_attr *attr)
{
	memset(log, 0, sizeof(*log));
	log->buf = (char *)(uintptr_t)attr->log_buf;
	log->size = attr->log_size;
	log->level = attr->log_level;
	if (log->buf && log->size)
		log->buf[0] = '\0';
}

/* The kernel's map_type_contains_progs: maps whose entries hold programs. */
static bool map_contains_progs(uint32_t type)
{
	return type == BPF_MAP_TYPE_PROG_ARRAY || type == BPF_MAP_TYPE_DEVMAP ||
	       type == BPF_MAP_TYPE_DEVMAP_HASH || type == BPF_MAP_TYPE_CPUMAP;
}

/* After verification, as the kernel's bpf_check_tail_call: every map holding programs
 * that the program references must accept it (EINVAL, nothing in the log, otherwise). */
static int prog_check_tail_call_maps(const struct emu_prog *prog)
{
	for (uint32_t i = 0; i < prog->used_map_cnt; i++) {
		struct emu_map *map = prog->used_maps[i];

		if (map_contains_progs(emu_map_desc(map)->type) &&
		    !emu_prog_array_compatible(map, prog))
			return -EINVAL;
	}
	return 0;
}

int emu_cmd_prog_load(union bpf_attr *attr, union bpf_attr *uattr, unsigned int size)
{
	struct emu_prog *prog;
	struct emu_log log;
	int err = prog_load_check(attr);

	if (err)
		return err;
	prog = calloc(1, sizeof(*prog));
	if (!prog)
		return -ENOMEM;
	err = prog_fill(prog, attr);
	if (!err)
		err = emu_obj_name_check(attr->prog_name, sizeof(attr->prog_name));
	if (!err)
		err = emu_prog_record_load(prog, attr);
	prog_log_init(&log, attr);
	if (!err)
		err = emu_verifier_run(prog, attr, &log);
	if (!err)
		err = prog_check_tail_call_maps(prog);
	if (!err)
		err = emu_exec_prepare(prog);
	if (!err)
		err = emu_id_prog_add(prog);
	if (err) {
		emu_prog_free(prog);
		return err;
	}
	return emu_fd_install(EMU_OBJ_PROG, prog, -1, EMU_FMODE_RW);
}

int emu_cmd_prog_test_run(union bpf_attr *attr, union bpf_attr *uattr, unsigned int size)
{
	struct emu_prog *prog;
	int err = 0;

	if (EMU_ATTR_TAIL_NONZERO(attr, test.batch_size))
		return -EINVAL;
	prog = emu_sys_get((int)attr->test.prog_fd, EMU_OBJ_PROG, &err, NULL);
	if (!prog)
		return err;
	if ((attr->test.ctx_size_in && !attr->test.ctx_in) ||
	    (!attr->test.ctx_size_in && attr->test.ctx_in))
		return -EINVAL;
	if ((attr->test.ctx_size_out && !attr->test.ctx_out) ||
	    (!attr->test.ctx_size_out && attr->test.ctx_out))
		return -EINVAL;
	err = emu_exec_test_run(prog, attr);
	EMU_ATTR_PUT(uattr, size, test.retval, attr->test.retval);
	EMU_ATTR_PUT(uattr, size, test.duration, attr->test.duration);
	EMU_ATTR_PUT(uattr, size, test.data_size_out, attr->test.data_size_out);
	EMU_ATTR_PUT(uattr, size, test.ctx_size_out, attr->test.ctx_size_out);
	return err;
}
