/* test_bpffs.c - OBJ_PIN / OBJ_GET on the emulated bpffs: path rules, a pinned map
 * outliving its process with its contents, and two processes updating one pinned map
 * at the same time without losing an update.
 */
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "bpf/bpf.h"
#include "emu_test.h"

static char root[PATH_MAX];

static void setup(void)
{
	char dir[] = "/tmp/emu-bpffs-XXXXXX";

	ck_assert_ptr_nonnull(mkdtemp(dir));
	setenv("EBPF_BPFFS", dir, 1);
	ck_assert_int_eq(emu_bpffs_root(root, sizeof(root)), 0);
	ck_assert_str_eq(root, dir);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

/* Pins outlive processes by design: remove this run's bpffs root. */
static void teardown(void)
{
	nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

START_TEST(test_pin_path_rules)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_HASH, "rules", 4, 4, 4, NULL);
	char sub[PATH_MAX + 8];

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bpf_obj_pin(fd, "/sys/fs/bpf/my_map"), 0);
	ck_assert_int_eq(bpf_obj_pin(fd, "/sys/fs/bpf/my_map"), -EEXIST);
	ck_assert_int_eq(errno, EEXIST);
	ck_assert_int_eq(bpf_obj_pin(fd, "/sys/fs/bpf/my.map"), -EPERM);
	ck_assert_int_eq(bpf_obj_pin(fd, "/sys/fs/bpf/nodir/x"), -ENOENT);
	ck_assert_int_eq(bpf_obj_pin(fd, "/tmp/not_bpffs_pin"), -EPERM);
	ck_assert_int_eq(bpf_obj_pin(fd, ""), -ENOENT);
	snprintf(sub, sizeof(sub), "%s/dir", root);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	ck_assert_int_eq(bpf_obj_pin(fd, "/sys/fs/bpf/dir/inner"), 0);
	ck_assert_int_eq(bpf_obj_get("/sys/fs/bpf/missing"), -ENOENT);
	ck_assert_int_eq(bpf_obj_get("/sys/fs/bpf/dir"), -EACCES);
	close(fd);
}
END_TEST

START_TEST(test_get_in_same_process_shares_the_map)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "same", 4, 8, 2, NULL);
	uint32_t key = 1;
	uint64_t value = 77, out = 0;
	struct bpf_map_info a = { 0 }, b = { 0 };
	uint32_t len = sizeof(a);
	int again;

	ck_assert_int_eq(bpf_obj_pin(fd, "/sys/fs/bpf/same"), 0);
	again = bpf_obj_get("/sys/fs/bpf/same");
	ck_assert_int_ge(again, 0);
	ck_assert_int_ne(again, fd);
	ck_assert_int_eq(bpf_map_update_elem(fd, &key, &value, BPF_ANY), 0);
	ck_assert_int_eq(bpf_map_lookup_elem(again, &key, &out), 0);
	ck_assert_uint_eq(out, 77);
	ck_assert_int_eq(bpf_obj_get_info_by_fd(fd, &a, &len), 0);
	len = sizeof(b);
	ck_assert_int_eq(bpf_obj_get_info_by_fd(again, &b, &len), 0);
	ck_assert_uint_eq(a.id, b.id);
	ck_assert_str_eq(b.name, "same");
	close(fd);
	close(again);
}
END_TEST

START_TEST(test_rdonly_get)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL);
	LIBBPF_OPTS(bpf_obj_get_opts, opts, .file_flags = BPF_F_RDONLY);
	uint32_t key = 0, value = 1;
	int ro;

	ck_assert_int_eq(bpf_obj_pin(fd, "/sys/fs/bpf/ro"), 0);
	ro = bpf_obj_get_opts("/sys/fs/bpf/ro", &opts);
	ck_assert_int_ge(ro, 0);
	ck_assert_int_eq(bpf_map_update_elem(ro, &key, &value, BPF_ANY), -EPERM);
	ck_assert_int_eq(bpf_map_lookup_elem(ro, &key, &value), 0);
	close(ro);
	close(fd);
}
END_TEST

/* Run `fn` in a child process; returns its exit status. */
static int in_child(int (*fn)(int arg), int arg)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn(arg));
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

static int child_create_and_pin(int arg)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_HASH, "survivor", 4, 4, 64, NULL);

	for (uint32_t k = 0; k < 10; k++) {
		uint32_t v = k * k;

		if (bpf_map_update_elem(fd, &k, &v, BPF_ANY))
			return 1;
	}
	return bpf_obj_pin(fd, "/sys/fs/bpf/survivor") ? 2 : 0;
}

START_TEST(test_pinned_map_survives_its_process)
{
	uint32_t k, v, next, count = 0;
	int fd;

	ck_assert_int_eq(in_child(child_create_and_pin, 0), 0);
	fd = bpf_obj_get("/sys/fs/bpf/survivor");
	ck_assert_int_ge(fd, 0);
	for (k = 0; k < 10; k++) {
		ck_assert_int_eq(bpf_map_lookup_elem(fd, &k, &v), 0);
		ck_assert_uint_eq(v, k * k);
	}
	for (int err = bpf_map_get_next_key(fd, NULL, &next); !err;
	     err = bpf_map_get_next_key(fd, &k, &next)) {
		k = next;
		count++;
	}
	ck_assert_uint_eq(count, 10);
	close(fd);
}
END_TEST

#define WRITES_PER_PROCESS 3000

static int child_writer(int id)
{
	int fd = bpf_obj_get("/sys/fs/bpf/shared");

	if (fd < 0)
		return 1;
	for (uint32_t i = 0; i < WRITES_PER_PROCESS; i++) {
		uint32_t key = (uint32_t)id * WRITES_PER_PROCESS + i, value = key ^ 0x5a5a;

		if (bpf_map_update_elem(fd, &key, &value, BPF_NOEXIST))
			return 2;
	}
	return 0;
}

START_TEST(test_two_processes_lose_no_update)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_HASH, "shared", 4, 4, 4 * WRITES_PER_PROCESS, NULL);
	pid_t pids[2];
	uint32_t key, value, next, count = 0;
	int status;

	ck_assert_int_eq(bpf_obj_pin(fd, "/sys/fs/bpf/shared"), 0);
	close(fd);
	for (int i = 0; i < 2; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(child_writer(i));
	}
	for (int i = 0; i < 2; i++) {
		waitpid(pids[i], &status, 0);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	fd = bpf_obj_get("/sys/fs/bpf/shared");
	for (key = 0; key < 2 * WRITES_PER_PROCESS; key++) {
		ck_assert_int_eq(bpf_map_lookup_elem(fd, &key, &value), 0);
		ck_assert_uint_eq(value, key ^ 0x5a5a);
	}
	for (int err = bpf_map_get_next_key(fd, NULL, &next); !err;
	     err = bpf_map_get_next_key(fd, &key, &next)) {
		key = next;
		count++;
	}
	ck_assert_uint_eq(count, 2 * WRITES_PER_PROCESS);
	close(fd);
}
END_TEST

/* socket filter: (*(u64 *)lookup(map, &0))++ atomically; return 0. */
static int load_counter_prog(int map_fd)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 1, .imm = 0 },
		{ .code = BPF_STX | BPF_MEM | BPF_W, .dst_reg = 10, .src_reg = 1, .off = -4 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 2, .src_reg = 10 },
		{ .code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = 2, .imm = -4 },
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = 1, .src_reg = BPF_PSEUDO_MAP_FD,
		  .imm = map_fd },
		{ 0 },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_map_lookup_elem },
		{ .code = BPF_JMP | BPF_JEQ | BPF_K, .dst_reg = 0, .off = 2 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 1, .imm = 1 },
		{ .code = BPF_STX | BPF_ATOMIC | BPF_DW, .dst_reg = 0, .src_reg = 1, .imm = BPF_ADD },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	return bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "counter", "GPL", insns,
			     sizeof(insns) / sizeof(insns[0]), NULL);
}

static int child_load_and_pin_prog(int arg)
{
	int map = bpf_map_create(BPF_MAP_TYPE_ARRAY, "counts", 4, 8, 1, NULL);
	int prog = load_counter_prog(map);

	if (map < 0 || prog < 0)
		return 1;
	close(map); /* the program holds it */
	return bpf_obj_pin(prog, "/sys/fs/bpf/counter") ? 2 : 0;
}

static uint64_t run_and_count(int prog)
{
	unsigned char packet[64] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = packet, .data_size_in = sizeof(packet),
		    .repeat = 1);
	struct bpf_prog_info info;
	uint32_t len = sizeof(info), map_id = 0, key = 0;
	uint64_t count = 0;
	int map;

	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(bpf_prog_test_run_opts(prog, &opts), 0);
	memset(&info, 0, sizeof(info));
	info.nr_map_ids = 1;
	info.map_ids = (uint64_t)(uintptr_t)&map_id;
	ck_assert_int_eq(bpf_obj_get_info_by_fd(prog, &info, &len), 0);
	ck_assert_uint_eq(info.nr_map_ids, 1);
	map = bpf_map_get_fd_by_id(map_id);
	ck_assert_int_ge(map, 0);
	ck_assert_int_eq(bpf_map_lookup_elem(map, &key, &count), 0);
	close(map);
	return count;
}

/* A program pinned by a process that exits is loaded again, verified, by the next
 * process that opens the pin, against the same (shared) map. */
START_TEST(test_pinned_program_in_another_process)
{
	int prog, again;

	ck_assert_int_eq(in_child(child_load_and_pin_prog, 0), 0);
	prog = bpf_obj_get("/sys/fs/bpf/counter");
	ck_assert_int_ge(prog, 0);
	ck_assert_uint_eq(run_and_count(prog), 3);
	again = bpf_obj_get("/sys/fs/bpf/counter");
	ck_assert_int_ge(again, 0);
	ck_assert_uint_eq(run_and_count(again), 6);
	close(prog);
	close(again);
	/* as the kernel: anything but a map or program fd, a closed one too, is EINVAL */
	ck_assert_int_eq(bpf_obj_pin(load_counter_prog(-1), "/sys/fs/bpf/bad"), -EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bpffs");
	TCase *tc = tcase_create("pin");
	SRunner *runner;
	int failed;

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_pin_path_rules);
	tcase_add_test(tc, test_get_in_same_process_shares_the_map);
	tcase_add_test(tc, test_rdonly_get);
	tcase_add_test(tc, test_pinned_map_survives_its_process);
	tcase_add_test(tc, test_two_processes_lose_no_update);
	tcase_add_test(tc, test_pinned_program_in_another_process);
	suite_add_tcase(s, tc);
	runner = srunner_create(s);
	srunner_set_fork_status(runner, CK_NOFORK);
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
