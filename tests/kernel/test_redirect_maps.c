/* test_redirect_maps.c - DEVMAP, DEVMAP_HASH, CPUMAP and XSKMAP: creation, the syscall
 * element commands, the verifier's map/helper rules and bpf_redirect_map under
 * BPF_PROG_TEST_RUN. Every expectation is the 6.18 kernel's answer: the tables run
 * through the emulator always and, as root, through the real bpf(2) too, which must
 * give the same answers (the kernel half is skipped, with a note, without bpf(2)).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "emu_test.h"

#ifndef AF_XDP
#define AF_XDP 44
#endif

enum backend { EMU, KERNEL, BACKENDS };

static bool kernel_usable;

static int sys_bpf(enum backend side, int cmd, union bpf_attr *attr)
{
	if (side == EMU)
		return emu_bpf(cmd, attr, sizeof(*attr));
	return (int)syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

/* 0 or the errno of a failed call; fds are closed. */
static int create_errno(enum backend side, uint32_t type, uint32_t key, uint32_t value,
			uint32_t max, uint32_t flags)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = type;
	attr.key_size = key;
	attr.value_size = value;
	attr.max_entries = max;
	attr.map_flags = flags;
	fd = sys_bpf(side, BPF_MAP_CREATE, &attr);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* NR_CPUS of the running kernel (kernel_max + 1): the CPUMAP size limit. */
static uint32_t host_nr_cpus(void)
{
	unsigned int kernel_max = 8191;
	FILE *f = fopen("/sys/devices/system/cpu/kernel_max", "r");

	if (f) {
		if (fscanf(f, "%u", &kernel_max) != 1)
			kernel_max = 8191;
		fclose(f);
	}
	return kernel_max + 1;
}

struct create_case {
	uint32_t type, key, value, max, flags;
	int err;
};

static const struct create_case create_cases[] = {
	{ BPF_MAP_TYPE_DEVMAP, 4, 4, 4, 0, 0 },
	{ BPF_MAP_TYPE_DEVMAP, 4, 8, 4, 0, 0 },
	{ BPF_MAP_TYPE_DEVMAP, 4, 12, 4, 0, EINVAL },
	{ BPF_MAP_TYPE_DEVMAP, 8, 4, 4, 0, EINVAL },
	{ BPF_MAP_TYPE_DEVMAP, 4, 4, 0, 0, EINVAL },
	{ BPF_MAP_TYPE_DEVMAP, 4, 4, 4, BPF_F_RDONLY_PROG, EINVAL },
	{ BPF_MAP_TYPE_DEVMAP, 4, 4, 4, BPF_F_NO_PREALLOC, EINVAL },
	{ BPF_MAP_TYPE_DEVMAP, 4, 4, 4, BPF_F_RDONLY, 0 },
	{ BPF_MAP_TYPE_DEVMAP_HASH, 4, 8, 4, 0, 0 },
	{ BPF_MAP_TYPE_DEVMAP_HASH, 4, 8, 0x80000001u, 0, EINVAL },
	{ BPF_MAP_TYPE_DEVMAP_HASH, 4, 2, 4, 0, EINVAL },
	{ BPF_MAP_TYPE_CPUMAP, 4, 4, 4, 0, 0 },
	{ BPF_MAP_TYPE_CPUMAP, 4, 8, 4, 0, 0 },
	{ BPF_MAP_TYPE_CPUMAP, 4, 12, 4, 0, EINVAL },
	{ BPF_MAP_TYPE_CPUMAP, 4, 4, 4, BPF_F_RDONLY, EINVAL },
	{ BPF_MAP_TYPE_CPUMAP, 4, 4, 0, 0, EINVAL },
	{ BPF_MAP_TYPE_XSKMAP, 4, 4, 4, 0, 0 },
	{ BPF_MAP_TYPE_XSKMAP, 4, 8, 4, 0, EINVAL },
	{ BPF_MAP_TYPE_XSKMAP, 4, 4, 4, BPF_F_WRONLY, 0 },
	{ BPF_MAP_TYPE_XSKMAP, 4, 4, 4, BPF_F_RDONLY_PROG, EINVAL },
};

static void check_creates(enum backend side)
{
	uint32_t nr_cpus = host_nr_cpus();

	for (size_t i = 0; i < sizeof(create_cases) / sizeof(create_cases[0]); i++) {
		const struct create_case *c = &create_cases[i];

		ck_assert_msg(create_errno(side, c->type, c->key, c->value, c->max, c->flags) == c->err,
			      "%s: create case %zu: errno %d, want %d", side ? "kernel" : "emu", i,
			      errno, c->err);
	}
	ck_assert_int_eq(create_errno(side, BPF_MAP_TYPE_CPUMAP, 4, 4, nr_cpus, 0), 0);
	ck_assert_int_eq(create_errno(side, BPF_MAP_TYPE_CPUMAP, 4, 4, nr_cpus + 1, 0), E2BIG);
}

/* ---- element commands: one script, the same answers from both kernels ---- */

enum map_slot { M_DEV, M_DEV4, M_HASH, M_CPU, M_XSK, MAP_SLOTS };
enum fd_slot { F_NONE, F_DEVPROG, F_CPUPROG, F_XDPPROG, F_MAP, F_XSK, F_XSK2, F_INET, F_SLOTS };
enum op { UPD, LOOK, DEL, NEXT, NEXT_FIRST, LOOK_DEL };

#define KEY_NCPUS 0xfffffff0u /* stands for the possible CPU count */
#define IFINDEX_ABSENT 0x7ffffff0u

struct step {
	enum op op;
	enum map_slot map;
	uint32_t key;
	uint32_t value[2];
	enum fd_slot fd;   /* replaces value[1] (value[0] for XSKMAP) with this fd */
	uint64_t flags;
	int err;           /* errno wanted, 0 for success */
	uint32_t out[2];   /* LOOK: value wanted (value[1] 0xffffffff: the id of fd out_fd) */
};

struct world {
	int maps[MAP_SLOTS];
	int fds[F_SLOTS];
	uint32_t prog_ids[F_SLOTS];
	uint32_t ncpus;
};

#define PROG_ID_OF_DEVPROG 0xffffffffu

static const struct step steps[] = {
	/* DEVMAP: every slot exists, so NOEXIST never succeeds; ifindex 0 empties */
	{ UPD, M_DEV, 0, { 1, 0 }, F_NONE, BPF_ANY, 0, { 0 } },
	{ LOOK, M_DEV, 0, { 0 }, F_NONE, 0, 0, { 1, 0 } },
	{ UPD, M_DEV, 0, { IFINDEX_ABSENT, 0 }, F_NONE, BPF_ANY, EINVAL, { 0 } },
	{ UPD, M_DEV, 0, { 1, 0 }, F_NONE, BPF_NOEXIST, EEXIST, { 0 } },
	{ UPD, M_DEV, 1, { 1, 0 }, F_NONE, BPF_EXIST, 0, { 0 } },
	{ UPD, M_DEV, 1, { 1, (uint32_t)-1 }, F_NONE, BPF_ANY, 0, { 0 } },
	{ UPD, M_DEV, 1, { 0, 0 }, F_NONE, BPF_ANY, 0, { 0 } },
	{ LOOK, M_DEV, 1, { 0 }, F_NONE, 0, ENOENT, { 0 } },
	{ UPD, M_DEV, 1, { 0, 5 }, F_NONE, BPF_ANY, EINVAL, { 0 } },
	{ UPD, M_DEV, 1, { 1, 0 }, F_MAP, BPF_ANY, EINVAL, { 0 } },
	{ UPD, M_DEV, 1, { 1, 0 }, F_XDPPROG, BPF_ANY, EINVAL, { 0 } },
	{ UPD, M_DEV, 1, { 1, 0 }, F_CPUPROG, BPF_ANY, EINVAL, { 0 } },
	{ UPD, M_DEV, 2, { 1, 0 }, F_DEVPROG, BPF_ANY, 0, { 0 } },
	{ LOOK, M_DEV, 2, { 0 }, F_NONE, 0, 0, { 1, PROG_ID_OF_DEVPROG } },
	{ UPD, M_DEV, 7, { 1, 0 }, F_NONE, BPF_ANY, E2BIG, { 0 } },
	{ UPD, M_DEV, 0, { 1, 0 }, F_NONE, 3, EINVAL, { 0 } },
	{ LOOK, M_DEV, 7, { 0 }, F_NONE, 0, ENOENT, { 0 } },
	{ DEL, M_DEV, 3, { 0 }, F_NONE, 0, 0, { 0 } },
	{ DEL, M_DEV, 9, { 0 }, F_NONE, 0, EINVAL, { 0 } },
	{ DEL, M_DEV, 0, { 0 }, F_NONE, 0, 0, { 0 } },
	{ LOOK, M_DEV, 0, { 0 }, F_NONE, 0, ENOENT, { 0 } },
	{ NEXT_FIRST, M_DEV, 0, { 0 }, F_NONE, 0, 0, { 0 } },
	{ NEXT, M_DEV, 2, { 0 }, F_NONE, 0, 0, { 3 } },
	{ NEXT, M_DEV, 3, { 0 }, F_NONE, 0, ENOENT, { 0 } },
	{ NEXT, M_DEV, 70, { 0 }, F_NONE, 0, 0, { 0 } },
	{ LOOK_DEL, M_DEV, 2, { 0 }, F_NONE, 0, 524, { 0 } },
	/* a 4-byte value is the ifindex alone */
	{ UPD, M_DEV4, 3, { 1 }, F_NONE, BPF_ANY, 0, { 0 } },
	{ LOOK, M_DEV4, 3, { 0 }, F_NONE, 0, 0, { 1 } },
	{ UPD, M_DEV4, 3, { 0 }, F_NONE, BPF_ANY, 0, { 0 } },
	/* DEVMAP_HASH (2 entries, 2 buckets): the device is checked before fullness */
	{ UPD, M_HASH, 100, { 1, 0 }, F_NONE, BPF_EXIST, 0, { 0 } },
	{ UPD, M_HASH, 100, { 1, 0 }, F_NONE, BPF_NOEXIST, EEXIST, { 0 } },
	{ UPD, M_HASH, 5, { 1, 0 }, F_DEVPROG, BPF_ANY, 0, { 0 } },
	{ UPD, M_HASH, 6, { 1, 0 }, F_NONE, BPF_ANY, E2BIG, { 0 } },
	{ UPD, M_HASH, 6, { IFINDEX_ABSENT, 0 }, F_NONE, BPF_ANY, EINVAL, { 0 } },
	{ UPD, M_HASH, 100, { 0, 0 }, F_NONE, BPF_ANY, EINVAL, { 0 } },
	{ UPD, M_HASH, 100, { 1, 0 }, F_NONE, 4, EINVAL, { 0 } },
	{ LOOK, M_HASH, 5, { 0 }, F_NONE, 0, 0, { 1, PROG_ID_OF_DEVPROG } },
	{ NEXT_FIRST, M_HASH, 0, { 0 }, F_NONE, 0, 0, { 100 } },
	{ NEXT, M_HASH, 100, { 0 }, F_NONE, 0, 0, { 5 } },
	{ NEXT, M_HASH, 5, { 0 }, F_NONE, 0, ENOENT, { 0 } },
	{ NEXT, M_HASH, 12345, { 0 }, F_NONE, 0, 0, { 100 } },
	{ DEL, M_HASH, 12345, { 0 }, F_NONE, 0, ENOENT, { 0 } },
	{ DEL, M_HASH, 100, { 0 }, F_NONE, 0, 0, { 0 } },
	{ UPD, M_HASH, 6, { 1, 0 }, F_NONE, BPF_ANY, 0, { 0 } },
	{ UPD, M_HASH, 8, { 1, 0 }, F_NONE, BPF_ANY, E2BIG, { 0 } },
	/* 6 and 8 share bucket 0 with 100: newest first, a replaced entry moves to the front */
	{ DEL, M_HASH, 5, { 0 }, F_NONE, 0, 0, { 0 } },
	{ UPD, M_HASH, 8, { 1, 0 }, F_NONE, BPF_ANY, 0, { 0 } },
	{ NEXT_FIRST, M_HASH, 0, { 0 }, F_NONE, 0, 0, { 8 } },
	{ UPD, M_HASH, 6, { 1, 0 }, F_NONE, BPF_EXIST, 0, { 0 } },
	{ NEXT_FIRST, M_HASH, 0, { 0 }, F_NONE, 0, 0, { 6 } },
	{ NEXT, M_HASH, 6, { 0 }, F_NONE, 0, 0, { 8 } },
	{ NEXT, M_HASH, 8, { 0 }, F_NONE, 0, ENOENT, { 0 } },
	/* CPUMAP (64 slots): qsize 0 empties, the key must be a possible CPU, a bad program
	 * fails the entry allocation (ENOMEM) */
	{ UPD, M_CPU, 0, { 128, 0 }, F_NONE, BPF_ANY, 0, { 0 } },
	{ LOOK, M_CPU, 0, { 0 }, F_NONE, 0, 0, { 128, 0 } },
	{ UPD, M_CPU, KEY_NCPUS, { 128, 0 }, F_NONE, BPF_ANY, ENODEV, { 0 } },
	{ UPD, M_CPU, 64, { 128, 0 }, F_NONE, BPF_ANY, E2BIG, { 0 } },
	{ UPD, M_CPU, 0, { 16385, 0 }, F_NONE, BPF_ANY, EOVERFLOW, { 0 } },
	{ UPD, M_CPU, 0, { 16384, 0 }, F_NONE, BPF_NOEXIST, EEXIST, { 0 } },
	{ UPD, M_CPU, 0, { 16, 0 }, F_MAP, BPF_ANY, ENOMEM, { 0 } },
	{ UPD, M_CPU, 0, { 16, 0 }, F_DEVPROG, BPF_ANY, ENOMEM, { 0 } },
	{ UPD, M_CPU, 0, { 16, (uint32_t)-5 }, F_NONE, BPF_ANY, 0, { 0 } },
	{ UPD, M_CPU, 0, { 16, 0 }, F_CPUPROG, BPF_ANY, 0, { 0 } },
	{ LOOK, M_CPU, 0, { 0 }, F_NONE, 0, 0, { 16, PROG_ID_OF_DEVPROG } },
	{ UPD, M_CPU, 0, { 0, 0 }, F_NONE, BPF_EXIST, 0, { 0 } },
	{ LOOK, M_CPU, 0, { 0 }, F_NONE, 0, ENOENT, { 0 } },
	{ DEL, M_CPU, 3, { 0 }, F_NONE, 0, 0, { 0 } },
	{ DEL, M_CPU, 64, { 0 }, F_NONE, 0, EINVAL, { 0 } },
	{ NEXT, M_CPU, 62, { 0 }, F_NONE, 0, 0, { 63 } },
	/* XSKMAP: AF_XDP sockets only; user space cannot read them back */
	{ UPD, M_XSK, 0, { 0 }, F_INET, BPF_ANY, EOPNOTSUPP, { 0 } },
	{ UPD, M_XSK, 0, { 0 }, F_MAP, BPF_ANY, ENOTSOCK, { 0 } },
	{ UPD, M_XSK, 0, { 999 }, F_NONE, BPF_ANY, EBADF, { 0 } },
	{ UPD, M_XSK, 0, { 0 }, F_XSK, BPF_EXIST, ENOENT, { 0 } },
	{ UPD, M_XSK, 0, { 0 }, F_XSK, BPF_ANY, 0, { 0 } },
	{ UPD, M_XSK, 0, { 0 }, F_XSK, BPF_NOEXIST, 0, { 0 } },
	{ UPD, M_XSK, 0, { 0 }, F_XSK2, BPF_NOEXIST, EEXIST, { 0 } },
	{ UPD, M_XSK, 0, { 0 }, F_XSK2, BPF_EXIST, 0, { 0 } },
	{ UPD, M_XSK, 4, { 0 }, F_XSK, BPF_ANY, E2BIG, { 0 } },
	{ UPD, M_XSK, 1, { 0 }, F_XSK, 3, EINVAL, { 0 } },
	{ LOOK, M_XSK, 0, { 0 }, F_NONE, 0, EOPNOTSUPP, { 0 } },
	{ LOOK, M_XSK, 2, { 0 }, F_NONE, 0, EOPNOTSUPP, { 0 } },
	{ DEL, M_XSK, 0, { 0 }, F_NONE, 0, 0, { 0 } },
	{ DEL, M_XSK, 0, { 0 }, F_NONE, 0, 0, { 0 } },
	{ DEL, M_XSK, 4, { 0 }, F_NONE, 0, EINVAL, { 0 } },
	{ NEXT_FIRST, M_XSK, 0, { 0 }, F_NONE, 0, 0, { 0 } },
};

/* r0 = 2; exit, as an XDP program with this expected attach type. */
static int load_xdp(enum backend side, uint32_t attach)
{
	struct bpf_insn insns[2] = { { .code = BPF_ALU64 | BPF_MOV | BPF_K, .imm = 2 },
				     { .code = BPF_JMP | BPF_EXIT } };
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_XDP;
	attr.expected_attach_type = attach;
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = 2;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	return sys_bpf(side, BPF_PROG_LOAD, &attr);
}

static uint32_t prog_id(enum backend side, int fd)
{
	struct bpf_prog_info info;
	union bpf_attr attr;

	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (uint32_t)fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = (uint64_t)(uintptr_t)&info;
	ck_assert_int_eq(sys_bpf(side, BPF_OBJ_GET_INFO_BY_FD, &attr), 0);
	return info.id;
}

static int create_map(enum backend side, uint32_t type, uint32_t value, uint32_t max)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = type;
	attr.key_size = 4;
	attr.value_size = value;
	attr.max_entries = max;
	return sys_bpf(side, BPF_MAP_CREATE, &attr);
}

static void world_open(struct world *w, enum backend side)
{
	w->maps[M_DEV] = create_map(side, BPF_MAP_TYPE_DEVMAP, 8, 4);
	w->maps[M_DEV4] = create_map(side, BPF_MAP_TYPE_DEVMAP, 4, 4);
	w->maps[M_HASH] = create_map(side, BPF_MAP_TYPE_DEVMAP_HASH, 8, 2);
	w->maps[M_CPU] = create_map(side, BPF_MAP_TYPE_CPUMAP, 8, 64);
	w->maps[M_XSK] = create_map(side, BPF_MAP_TYPE_XSKMAP, 4, 4);
	for (int m = 0; m < MAP_SLOTS; m++)
		ck_assert_int_ge(w->maps[m], 0);
	w->fds[F_NONE] = -1;
	w->fds[F_DEVPROG] = load_xdp(side, BPF_XDP_DEVMAP);
	w->fds[F_CPUPROG] = load_xdp(side, BPF_XDP_CPUMAP);
	w->fds[F_XDPPROG] = load_xdp(side, BPF_XDP);
	w->fds[F_MAP] = w->maps[M_DEV4];
	w->fds[F_XSK] = socket(AF_XDP, SOCK_RAW, 0);
	w->fds[F_XSK2] = socket(AF_XDP, SOCK_RAW, 0);
	w->fds[F_INET] = socket(AF_INET, SOCK_DGRAM, 0);
	for (int f = F_DEVPROG; f < F_SLOTS; f++)
		ck_assert_msg(w->fds[f] >= 0, "fd slot %d: %s", f, strerror(errno));
	w->prog_ids[F_DEVPROG] = prog_id(side, w->fds[F_DEVPROG]);
	w->prog_ids[F_CPUPROG] = prog_id(side, w->fds[F_CPUPROG]);
	w->ncpus = side == EMU ? emu_config_cpus() : (uint32_t)sysconf(_SC_NPROCESSORS_CONF);
}

static void world_close(struct world *w)
{
	for (int m = 0; m < MAP_SLOTS; m++)
		close(w->maps[m]);
	for (int f = F_DEVPROG; f < F_SLOTS; f++)
		if (f != F_MAP)
			close(w->fds[f]);
}

static int step_run(enum backend side, const struct world *w, const struct step *s,
		    uint32_t out[2])
{
	uint32_t key = s->key == KEY_NCPUS ? w->ncpus : s->key, value[2];
	union bpf_attr attr;
	int cmd = s->op == UPD ? BPF_MAP_UPDATE_ELEM : s->op == LOOK ? BPF_MAP_LOOKUP_ELEM
		  : s->op == DEL ? BPF_MAP_DELETE_ELEM : s->op == LOOK_DEL
		  ? BPF_MAP_LOOKUP_AND_DELETE_ELEM : BPF_MAP_GET_NEXT_KEY;

	memcpy(value, s->value, sizeof(value));
	if (s->fd != F_NONE)
		value[s->map == M_XSK ? 0 : 1] = (uint32_t)w->fds[s->fd];
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)w->maps[s->map];
	attr.key = s->op == NEXT_FIRST ? 0 : (uint64_t)(uintptr_t)&key;
	attr.flags = s->flags;
	if (cmd == BPF_MAP_GET_NEXT_KEY)
		attr.next_key = (uint64_t)(uintptr_t)out;
	else if (cmd != BPF_MAP_DELETE_ELEM) /* delete: nothing past the key */
		attr.value = (uint64_t)(uintptr_t)(s->op == UPD ? value : out);
	return sys_bpf(side, cmd, &attr) < 0 ? errno : 0;
}

static void check_steps(enum backend side)
{
	const char *name = side == EMU ? "emu" : "kernel";
	struct world w;

	world_open(&w, side);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		const struct step *s = &steps[i];
		uint32_t out[2] = { 0xdeadbeef, 0xdeadbeef }, want1 = s->out[1];
		int err = step_run(side, &w, s, out);

		ck_assert_msg(err == s->err, "%s: step %zu: errno %d, want %d", name, i, err, s->err);
		if (err || (s->op != LOOK && s->op != NEXT && s->op != NEXT_FIRST))
			continue;
		if (want1 == PROG_ID_OF_DEVPROG)
			want1 = w.prog_ids[s->map == M_CPU ? F_CPUPROG : F_DEVPROG];
		ck_assert_msg(out[0] == s->out[0], "%s: step %zu: out %u, want %u", name, i, out[0],
			      s->out[0]);
		if (s->op == LOOK && s->map != M_DEV4)
			ck_assert_msg(out[1] == want1, "%s: step %zu: out[1] %u, want %u", name, i,
				      out[1], want1);
	}
	world_close(&w);
}

START_TEST(create_rules)
{
	if (kernel_usable) /* the kernel first: it vouches for the table */
		check_creates(KERNEL);
	check_creates(EMU);
}
END_TEST

START_TEST(element_commands)
{
	if (kernel_usable) /* the kernel first: it vouches for the table */
		check_steps(KERNEL);
	check_steps(EMU);
}
END_TEST

/* dev_map_init_map sets BPF_F_RDONLY_PROG: programs only read device entries. */
START_TEST(devmap_reports_rdonly_prog)
{
	for (int side = EMU; side < (kernel_usable ? BACKENDS : KERNEL); side++) {
		int fd = create_map(side, BPF_MAP_TYPE_DEVMAP_HASH, 4, 4);
		struct bpf_map_info info;
		union bpf_attr attr;

		memset(&info, 0, sizeof(info));
		memset(&attr, 0, sizeof(attr));
		attr.info.bpf_fd = (uint32_t)fd;
		attr.info.info_len = sizeof(info);
		attr.info.info = (uint64_t)(uintptr_t)&info;
		ck_assert_int_eq(sys_bpf(side, BPF_OBJ_GET_INFO_BY_FD, &attr), 0);
		ck_assert_uint_eq(info.map_flags, BPF_F_RDONLY_PROG);
		close(fd);
	}
}
END_TEST

/* A BTF object with one type, [1] int (4 bytes). */
static int load_int_btf(enum backend side)
{
	static const unsigned char raw[] = {
		0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0, 16, 0, 0, 0, 5, 0, 0, 0,
		1, 0, 0, 0, 0, 0, 0, 1, 4, 0, 0, 0, 32, 0, 0, 1, /* INT "int" size 4, signed */
		0, 'i', 'n', 't', 0,
	};
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.btf = (uint64_t)(uintptr_t)raw;
	attr.btf_size = sizeof(raw);
	return sys_bpf(side, BPF_BTF_LOAD, &attr);
}

/* map_check_no_btf: sizes first (EINVAL), then ENOTSUPP (524) whatever the types. */
START_TEST(btf_types_refused)
{
	static const struct { uint32_t type, value, key_id; int err; } cases[] = {
		{ BPF_MAP_TYPE_DEVMAP, 4, 1, 524 }, { BPF_MAP_TYPE_DEVMAP, 4, 0, 524 },
		{ BPF_MAP_TYPE_DEVMAP, 8, 1, EINVAL }, { BPF_MAP_TYPE_DEVMAP_HASH, 4, 1, 524 },
		{ BPF_MAP_TYPE_CPUMAP, 4, 1, 524 }, { BPF_MAP_TYPE_XSKMAP, 4, 0, 524 },
		{ BPF_MAP_TYPE_ARRAY, 4, 1, 0 },
	};

	for (int side = kernel_usable ? KERNEL : EMU; side >= EMU; side--) {
		int btf = load_int_btf(side);

		ck_assert_int_ge(btf, 0);
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			union bpf_attr attr;
			int fd;

			memset(&attr, 0, sizeof(attr));
			attr.map_type = cases[i].type;
			attr.key_size = 4;
			attr.value_size = cases[i].value;
			attr.max_entries = 2;
			attr.btf_fd = (uint32_t)btf;
			attr.btf_key_type_id = cases[i].key_id;
			attr.btf_value_type_id = 1;
			fd = sys_bpf(side, BPF_MAP_CREATE, &attr);
			ck_assert_msg(fd >= 0 ? cases[i].err == 0 : errno == cases[i].err,
				      "%s: btf case %zu: %d errno %d", side == EMU ? "emu" : "kernel", i,
				      fd, errno);
			if (fd >= 0)
				close(fd);
		}
		close(btf);
	}
}
END_TEST

/* Redirect maps inside ARRAY_OF_MAPS: any size of the template's type, except that
 * an XSKMAP must also have the template's max_entries (xsk_map_meta_equal). */
START_TEST(inner_maps)
{
	static const struct { uint32_t type, template_max, inner_max; int err; } cases[] = {
		{ BPF_MAP_TYPE_DEVMAP, 4, 8, 0 }, { BPF_MAP_TYPE_DEVMAP_HASH, 4, 8, 0 },
		{ BPF_MAP_TYPE_CPUMAP, 4, 8, 0 }, { BPF_MAP_TYPE_XSKMAP, 4, 8, EINVAL },
		{ BPF_MAP_TYPE_XSKMAP, 4, 4, 0 },
	};

	for (int side = kernel_usable ? KERNEL : EMU; side >= EMU; side--) {
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			int template = create_map(side, cases[i].type, 4, cases[i].template_max);
			int inner = create_map(side, cases[i].type, 4, cases[i].inner_max);
			uint32_t key = 0, value = (uint32_t)inner;
			union bpf_attr attr;
			int outer;

			memset(&attr, 0, sizeof(attr));
			attr.map_type = BPF_MAP_TYPE_ARRAY_OF_MAPS;
			attr.key_size = 4;
			attr.value_size = 4;
			attr.max_entries = 1;
			attr.inner_map_fd = (uint32_t)template;
			outer = sys_bpf(side, BPF_MAP_CREATE, &attr);
			ck_assert_int_ge(outer, 0);
			memset(&attr, 0, sizeof(attr));
			attr.map_fd = (uint32_t)outer;
			attr.key = (uint64_t)(uintptr_t)&key;
			attr.value = (uint64_t)(uintptr_t)&value;
			ck_assert_msg((sys_bpf(side, BPF_MAP_UPDATE_ELEM, &attr) < 0 ? errno : 0) ==
				      cases[i].err, "%s: inner case %zu: errno %d",
				      side == EMU ? "emu" : "kernel", i, errno);
			close(outer);
			close(inner);
			close(template);
		}
	}
}
END_TEST

/* ---- programs: verifier verdicts and bpf_redirect_map results ---- */

#define LD_MAP(reg, fd)                                                                   \
	{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = reg, .src_reg = BPF_PSEUDO_MAP_FD,  \
	  .imm = fd },                                                                      \
	{ 0 }
#define MOV(reg, value) { .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = reg, .imm = value }
#define CALL(func) { .code = BPF_JMP | BPF_CALL, .imm = func }
#define EXIT { .code = BPF_JMP | BPF_EXIT }

/* r0 = bpf_redirect_map(map, 0, 0) (map_fd >= 0) or r0 = 2, loaded with these flags:
 * 0 or -errno. */
static int load_owner_prog(enum backend side, uint32_t attach, uint32_t flags, int map_fd)
{
	struct bpf_insn insns[] = { LD_MAP(1, map_fd), MOV(2, 0), MOV(3, 0),
				    CALL(BPF_FUNC_redirect_map), EXIT };
	struct bpf_insn pass[] = { MOV(0, 2), EXIT };
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_XDP;
	attr.expected_attach_type = attach;
	attr.prog_flags = flags;
	attr.insns = (uint64_t)(uintptr_t)(map_fd >= 0 ? insns : pass);
	attr.insn_cnt = map_fd >= 0 ? 6 : 2;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	fd = sys_bpf(side, BPF_PROG_LOAD, &attr);
	return fd < 0 ? -errno : fd;
}

/* bpf_prog_map_compatible: the first program that uses a DEVMAP or CPUMAP, or is
 * stored in it, fixes the frags flag for all others; the attach type is not compared
 * (prog arrays only). */
START_TEST(program_owner)
{
	for (int side = kernel_usable ? KERNEL : EMU; side >= EMU; side--) {
		for (int cpu = 0; cpu < 2; cpu++) {
			uint32_t type = cpu ? BPF_MAP_TYPE_CPUMAP : BPF_MAP_TYPE_DEVMAP;
			uint32_t attach = cpu ? BPF_XDP_CPUMAP : BPF_XDP_DEVMAP;
			int map = create_map(side, type, 8, 4);
			int user = load_owner_prog(side, BPF_XDP, 0, map);
			int entry = load_owner_prog(side, attach, 0, -1);
			int frags = load_owner_prog(side, attach, BPF_F_XDP_HAS_FRAGS, -1);
			uint32_t key = 0, value[2] = { cpu ? 16 : 1, 0 };
			union bpf_attr attr;

			ck_assert_int_ge(user, 0);
			ck_assert_int_eq(load_owner_prog(side, BPF_XDP, BPF_F_XDP_HAS_FRAGS, map), -EINVAL);
			ck_assert_int_ge(entry, 0);
			memset(&attr, 0, sizeof(attr));
			attr.map_fd = (uint32_t)map;
			attr.key = (uint64_t)(uintptr_t)&key;
			attr.value = (uint64_t)(uintptr_t)value;
			value[1] = (uint32_t)frags;
			ck_assert_int_eq(sys_bpf(side, BPF_MAP_UPDATE_ELEM, &attr) < 0 ? errno : 0,
					 cpu ? ENOMEM : EINVAL);
			value[1] = (uint32_t)entry;
			ck_assert_int_eq(sys_bpf(side, BPF_MAP_UPDATE_ELEM, &attr), 0);
			close(frags);
			close(entry);
			close(user);
			close(map);
		}
	}
}
END_TEST

/* Load a program; returns the fd or -errno, with the verifier log in log. */
static int load_prog(enum backend side, uint32_t type, const struct bpf_insn *insns,
		     uint32_t count, char *log, uint32_t log_size)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = type;
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = count;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	attr.log_buf = (uint64_t)(uintptr_t)log;
	attr.log_size = log_size;
	attr.log_level = 1;
	log[0] = '\0';
	fd = sys_bpf(side, BPF_PROG_LOAD, &attr);
	return fd < 0 ? -errno : fd;
}

/* r0 = bpf_redirect_map(map, key, flags); exit */
static int load_redirect(enum backend side, int map_fd, int32_t key, int32_t flags,
			 uint32_t type, char *log, uint32_t log_size)
{
	struct bpf_insn insns[] = { LD_MAP(1, map_fd), MOV(2, key), MOV(3, flags),
				    CALL(BPF_FUNC_redirect_map), EXIT };

	return load_prog(side, type, insns, sizeof(insns) / sizeof(insns[0]), log, log_size);
}

/* BPF_PROG_TEST_RUN on a 64-byte frame: the retval. */
static uint32_t test_run(enum backend side, int prog_fd)
{
	unsigned char frame[64] = { 0 };
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = (uint32_t)prog_fd;
	attr.test.data_in = (uint64_t)(uintptr_t)frame;
	attr.test.data_size_in = sizeof(frame);
	attr.test.repeat = 1;
	ck_assert_int_eq(sys_bpf(side, BPF_PROG_TEST_RUN, &attr), 0);
	return attr.test.retval;
}

struct redirect_case {
	uint32_t type;   /* map type */
	bool filled;     /* key 1 holds an entry */
	int32_t key, flags;
	uint32_t retval; /* what the program returns */
};

static const struct redirect_case redirect_cases[] = {
	{ BPF_MAP_TYPE_DEVMAP, true, 1, 0, XDP_REDIRECT },
	{ BPF_MAP_TYPE_DEVMAP, true, 2, 0, XDP_ABORTED },
	{ BPF_MAP_TYPE_DEVMAP, true, 2, XDP_PASS, XDP_PASS },
	{ BPF_MAP_TYPE_DEVMAP, true, 2, XDP_TX, XDP_TX },
	{ BPF_MAP_TYPE_DEVMAP, true, 2, XDP_DROP | 4, XDP_ABORTED },
	{ BPF_MAP_TYPE_DEVMAP, false, 2, BPF_F_BROADCAST, XDP_REDIRECT },
	{ BPF_MAP_TYPE_DEVMAP, false, 2, BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS, XDP_REDIRECT },
	{ BPF_MAP_TYPE_DEVMAP, false, 2, BPF_F_EXCLUDE_INGRESS | XDP_PASS, XDP_PASS },
	{ BPF_MAP_TYPE_DEVMAP, true, 1, 1 << 5, XDP_ABORTED },
	{ BPF_MAP_TYPE_DEVMAP, true, 100, XDP_DROP, XDP_DROP },
	{ BPF_MAP_TYPE_DEVMAP_HASH, true, 1, XDP_DROP, XDP_REDIRECT },
	{ BPF_MAP_TYPE_DEVMAP_HASH, true, 3, XDP_DROP, XDP_DROP },
	{ BPF_MAP_TYPE_DEVMAP_HASH, false, 3, BPF_F_BROADCAST, XDP_REDIRECT },
	{ BPF_MAP_TYPE_CPUMAP, true, 1, XDP_PASS, XDP_REDIRECT },
	{ BPF_MAP_TYPE_CPUMAP, true, 0, XDP_PASS, XDP_PASS },
	{ BPF_MAP_TYPE_CPUMAP, true, 1, BPF_F_BROADCAST, XDP_ABORTED },
	{ BPF_MAP_TYPE_XSKMAP, true, 1, XDP_PASS, XDP_REDIRECT },
	{ BPF_MAP_TYPE_XSKMAP, true, 2, XDP_PASS, XDP_PASS },
	{ BPF_MAP_TYPE_XSKMAP, true, 1, BPF_F_EXCLUDE_INGRESS, XDP_ABORTED },
};

/* A map of `type` whose key 1 holds loopback / 16 slots of CPU 1 / an AF_XDP socket. */
static int redirect_map_new(enum backend side, uint32_t type, bool filled, int *xsk)
{
	int fd = create_map(side, type, 4, 4);
	uint32_t key = 1, value = 1;

	ck_assert_int_ge(fd, 0);
	*xsk = -1;
	if (type == BPF_MAP_TYPE_CPUMAP)
		value = 16;
	if (type == BPF_MAP_TYPE_XSKMAP) {
		*xsk = socket(AF_XDP, SOCK_RAW, 0);
		value = (uint32_t)*xsk;
	}
	if (filled) {
		union bpf_attr attr;

		memset(&attr, 0, sizeof(attr));
		attr.map_fd = (uint32_t)fd;
		attr.key = (uint64_t)(uintptr_t)&key;
		attr.value = (uint64_t)(uintptr_t)&value;
		ck_assert_int_eq(sys_bpf(side, BPF_MAP_UPDATE_ELEM, &attr), 0);
	}
	return fd;
}

static void check_redirects(enum backend side)
{
	static char log[4096];

	for (size_t i = 0; i < sizeof(redirect_cases) / sizeof(redirect_cases[0]); i++) {
		const struct redirect_case *c = &redirect_cases[i];
		int xsk, map = redirect_map_new(side, c->type, c->filled, &xsk);
		int prog = load_redirect(side, map, c->key, c->flags, BPF_PROG_TYPE_XDP, log,
					 sizeof(log));

		ck_assert_msg(prog >= 0, "case %zu: load: %d %s", i, prog, log);
		ck_assert_msg(test_run(side, prog) == c->retval, "%s: redirect case %zu: retval %u",
			      side == EMU ? "emu" : "kernel", i, test_run(side, prog));
		close(prog);
		close(map);
		if (xsk >= 0)
			close(xsk);
	}
}

START_TEST(redirect_map_results)
{
	if (kernel_usable) /* the kernel first: it vouches for the table */
		check_redirects(KERNEL);
	check_redirects(EMU);
}
END_TEST

struct verdict_case {
	uint32_t map_type, prog_type;
	int program;        /* 0: redirect_map, 1: lookup then write, 2: lookup then read,
			       3: update, 4: lookup then redirect, 5: lookup then a
			       2-byte read at 2, 6: lookup result as a key, 7: lookup
			       result + 4 */
	int err;            /* 0 or the load's errno */
	const char *message; /* in the log of a rejected load */
};

static const struct verdict_case verdict_cases[] = {
	{ BPF_MAP_TYPE_HASH, BPF_PROG_TYPE_XDP, 0, EINVAL,
	  "cannot pass map_type 1 into func bpf_redirect_map#51" },
	{ BPF_MAP_TYPE_DEVMAP, BPF_PROG_TYPE_SOCKET_FILTER, 0, EINVAL,
	  "program of this type cannot use helper bpf_redirect_map#51" },
	{ BPF_MAP_TYPE_DEVMAP, BPF_PROG_TYPE_SCHED_CLS, 0, EINVAL,
	  "program of this type cannot use helper bpf_redirect_map#51" },
	{ BPF_MAP_TYPE_DEVMAP, BPF_PROG_TYPE_XDP, 1, EACCES, "write into map forbidden" },
	{ BPF_MAP_TYPE_DEVMAP, BPF_PROG_TYPE_XDP, 2, 0, NULL },
	{ BPF_MAP_TYPE_DEVMAP_HASH, BPF_PROG_TYPE_SCHED_CLS, 2, 0, NULL },
	/* record_func_map refuses it first: every devmap is BPF_F_RDONLY_PROG */
	{ BPF_MAP_TYPE_DEVMAP, BPF_PROG_TYPE_XDP, 3, EACCES, "write into map forbidden\n" },
	{ BPF_MAP_TYPE_DEVMAP_HASH, BPF_PROG_TYPE_XDP, 3, EACCES, "write into map forbidden\n" },
	{ BPF_MAP_TYPE_CPUMAP, BPF_PROG_TYPE_XDP, 3, EINVAL,
	  "cannot pass map_type 16 into func bpf_map_update_elem#2" },
	{ BPF_MAP_TYPE_ARRAY, BPF_PROG_TYPE_XDP, 3, 0, NULL },
	{ BPF_MAP_TYPE_CPUMAP, BPF_PROG_TYPE_XDP, 2, EINVAL,
	  "cannot pass map_type 16 into func bpf_map_lookup_elem#1" },
	{ BPF_MAP_TYPE_XSKMAP, BPF_PROG_TYPE_XDP, 4, 0, NULL },
	{ BPF_MAP_TYPE_XSKMAP, BPF_PROG_TYPE_XDP, 2, 0, NULL },
	{ BPF_MAP_TYPE_XSKMAP, BPF_PROG_TYPE_XDP, 1, EACCES, "R0 cannot write into xdp_sock\n" },
	{ BPF_MAP_TYPE_XSKMAP, BPF_PROG_TYPE_XDP, 1, EACCES, "; R0=xdp_sock()\n" },
	{ BPF_MAP_TYPE_XSKMAP, BPF_PROG_TYPE_XDP, 5, EACCES,
	  "R0 invalid xdp_sock access off=2 size=2\n" },
	{ BPF_MAP_TYPE_XSKMAP, BPF_PROG_TYPE_XDP, 3, EINVAL,
	  "cannot pass map_type 17 into func bpf_map_update_elem#2" },
	{ BPF_MAP_TYPE_CPUMAP, BPF_PROG_TYPE_XDP, 0, 0, NULL },
	{ BPF_MAP_TYPE_XSKMAP, BPF_PROG_TYPE_XDP, 6, EACCES, "R2 type=xdp_sock expected=fp, "
	  "pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_\n" },
	{ BPF_MAP_TYPE_XSKMAP, BPF_PROG_TYPE_XDP, 7, EACCES,
	  "R0 pointer arithmetic on xdp_sock prohibited\n" },
	{ BPF_MAP_TYPE_DEVMAP, BPF_PROG_TYPE_XDP, 7, 0, NULL },
};

#define JEQ0(reg, skip) { .code = BPF_JMP | BPF_JEQ | BPF_K, .dst_reg = reg, .off = skip }
#define KEY_ON_STACK                                                                      \
	{ .code = BPF_ST | BPF_MEM | BPF_W, .dst_reg = 10, .off = -4, .imm = 0 },          \
	{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 2, .src_reg = 10 },              \
	{ .code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = 2, .imm = -4 }

/* The programs of verdict_case.program over map_fd (key 0 at fp-4 for lookups). */
static int load_verdict_prog(enum backend side, const struct verdict_case *c, int map_fd,
			     char *log, uint32_t log_size)
{
	struct bpf_insn redirect[] = { LD_MAP(1, map_fd), MOV(2, 0), MOV(3, 0),
				       CALL(BPF_FUNC_redirect_map), EXIT };
	struct bpf_insn write[] = { KEY_ON_STACK, LD_MAP(1, map_fd), CALL(BPF_FUNC_map_lookup_elem),
		JEQ0(0, 1), { .code = BPF_ST | BPF_MEM | BPF_W, .dst_reg = 0, .imm = 1 },
		MOV(0, 2), EXIT };
	struct bpf_insn read[] = { KEY_ON_STACK, LD_MAP(1, map_fd), CALL(BPF_FUNC_map_lookup_elem),
		JEQ0(0, 1), { .code = BPF_LDX | BPF_MEM | BPF_W, .dst_reg = 0, .src_reg = 0 },
		EXIT };
	struct bpf_insn update[] = { KEY_ON_STACK, LD_MAP(1, map_fd),
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 3, .src_reg = 2 }, MOV(4, 0),
		CALL(BPF_FUNC_map_update_elem), EXIT };
	struct bpf_insn lookup_redirect[] = { KEY_ON_STACK, LD_MAP(1, map_fd),
		CALL(BPF_FUNC_map_lookup_elem), JEQ0(0, 5), LD_MAP(1, map_fd), MOV(2, 0),
		MOV(3, 0), CALL(BPF_FUNC_redirect_map), EXIT };
	struct bpf_insn half_read[] = { KEY_ON_STACK, LD_MAP(1, map_fd),
		CALL(BPF_FUNC_map_lookup_elem), JEQ0(0, 1),
		{ .code = BPF_LDX | BPF_MEM | BPF_H, .dst_reg = 0, .src_reg = 0, .off = 2 }, EXIT };
	struct bpf_insn as_key[] = { KEY_ON_STACK, LD_MAP(1, map_fd),
		CALL(BPF_FUNC_map_lookup_elem), JEQ0(0, 4),
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 2, .src_reg = 0 },
		LD_MAP(1, map_fd), CALL(BPF_FUNC_map_lookup_elem), MOV(0, 2), EXIT };
	struct bpf_insn moved[] = { KEY_ON_STACK, LD_MAP(1, map_fd),
		CALL(BPF_FUNC_map_lookup_elem), JEQ0(0, 1),
		{ .code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = 0, .imm = 4 }, MOV(0, 2), EXIT };
	const struct bpf_insn *programs[] = { redirect, write, read, update, lookup_redirect,
					      half_read, as_key, moved };
	const uint32_t counts[] = { 6, 10, 9, 9, 13, 9, 13, 10 };

	return load_prog(side, c->prog_type, programs[c->program], counts[c->program], log,
			 log_size);
}

static void check_verdicts(enum backend side)
{
	static char log[65536];

	for (size_t i = 0; i < sizeof(verdict_cases) / sizeof(verdict_cases[0]); i++) {
		const struct verdict_case *c = &verdict_cases[i];
		int map = create_map(side, c->map_type, 4, 4);
		int fd = load_verdict_prog(side, c, map, log, sizeof(log));

		ck_assert_msg(fd >= 0 ? c->err == 0 : -fd == c->err,
			      "%s: verdict case %zu: %d, want %d\n%s", side == EMU ? "emu" : "kernel",
			      i, fd, -c->err, log);
		if (c->message)
			ck_assert_msg(strstr(log, c->message), "%s: verdict case %zu: log lacks "
				      "'%s':\n%s", side == EMU ? "emu" : "kernel", i, c->message, log);
		if (fd >= 0)
			close(fd);
		close(map);
	}
}

START_TEST(verifier_map_helper_rules)
{
	if (kernel_usable) /* the kernel first: it vouches for the table */
		check_verdicts(KERNEL);
	check_verdicts(EMU);
}
END_TEST

static bool kernel_bpf_usable(void)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_DEVMAP;
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = 1;
	fd = (int)syscall(__NR_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));
	if (fd < 0)
		return false;
	close(fd);
	fd = socket(AF_XDP, SOCK_RAW, 0);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

int main(void)
{
	Suite *s = suite_create("redirect_maps");
	TCase *tc = tcase_create("core");
	SRunner *runner;
	int failed;

	kernel_usable = kernel_bpf_usable();
	if (!kernel_usable)
		printf("note: bpf(2) or AF_XDP unavailable: emulator half only\n");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, create_rules);
	tcase_add_test(tc, element_commands);
	tcase_add_test(tc, devmap_reports_rdonly_prog);
	tcase_add_test(tc, btf_types_refused);
	tcase_add_test(tc, inner_maps);
	tcase_add_test(tc, program_owner);
	tcase_add_test(tc, redirect_map_results);
	tcase_add_test(tc, verifier_map_helper_rules);
	suite_add_tcase(s, tc);
	runner = srunner_create(s);
	srunner_set_fork_status(runner, CK_NOFORK);
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
