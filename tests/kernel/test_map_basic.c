/* test_map_basic.c - HASH and ARRAY through emu_bpf(): every update flag, lookup,
 * delete, lookup-and-delete, get-next-key iteration, full maps, freeze, and real fds.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "emu_test.h"

START_TEST(test_first_map_gets_lowest_fd_and_close_frees_it)
{
	int fd = t_map_create(BPF_MAP_TYPE_HASH, 4, 4, 8);
	int next;

	ck_assert_int_ge(fd, 3);
	ck_assert_int_ne(fcntl(fd, F_GETFD), -1);
	close(fd);
	next = t_map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 8);
	ck_assert_int_eq(next, fd);
	close(next);
	ck_assert_int_eq(T_ERRNO(t_lookup(fd, &(int){ 0 }, &(int){ 0 })), EBADF);
}
END_TEST

START_TEST(test_hash_update_flags)
{
	int fd = t_map_create(BPF_MAP_TYPE_HASH, 4, 8, 4);
	uint32_t key = 5;
	uint64_t value = 100, out = 0;

	ck_assert_int_eq(t_update(fd, &key, &value, BPF_ANY), 0);
	value = 200;
	ck_assert_int_eq(t_update(fd, &key, &value, BPF_EXIST), 0);
	ck_assert_int_eq(T_ERRNO(t_update(fd, &key, &value, BPF_NOEXIST)), EEXIST);
	key = 4;
	ck_assert_int_eq(T_ERRNO(t_update(fd, &key, &value, BPF_EXIST)), ENOENT);
	ck_assert_int_eq(T_ERRNO(t_update(fd, &key, &value, 3)), EINVAL);
	ck_assert_int_eq(T_ERRNO(t_update(fd, &key, &value, BPF_F_LOCK)), EINVAL);
	key = 5;
	ck_assert_int_eq(t_lookup(fd, &key, &out), 0);
	ck_assert_uint_eq(out, 200);
	close(fd);
}
END_TEST

START_TEST(test_hash_full_answers_e2big_but_replaces)
{
	int fd = t_map_create(BPF_MAP_TYPE_HASH, 4, 4, 2);
	uint32_t key, value = 1;

	for (key = 0; key < 2; key++)
		ck_assert_int_eq(t_update(fd, &key, &value, BPF_ANY), 0);
	ck_assert_int_eq(T_ERRNO(t_update(fd, &key, &value, BPF_ANY)), E2BIG);
	key = 1;
	value = 9;
	ck_assert_int_eq(t_update(fd, &key, &value, BPF_ANY), 0);
	ck_assert_int_eq(t_delete(fd, &key), 0);
	key = 7;
	ck_assert_int_eq(t_update(fd, &key, &value, BPF_NOEXIST), 0);
	close(fd);
}
END_TEST

START_TEST(test_hash_delete_and_lookup_and_delete)
{
	int fd = t_map_create(BPF_MAP_TYPE_HASH, 4, 4, 16);
	uint32_t key = 10, value = 100, out = 0;

	ck_assert_int_eq(t_update(fd, &key, &value, BPF_ANY), 0);
	ck_assert_int_eq(t_elem(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, &key, &out, 0), 0);
	ck_assert_uint_eq(out, 100);
	ck_assert_int_eq(T_ERRNO(t_lookup(fd, &key, &out)), ENOENT);
	ck_assert_int_eq(T_ERRNO(t_delete(fd, &key)), ENOENT);
	ck_assert_int_eq(T_ERRNO(t_elem(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, &key, &out, 0)),
			 ENOENT);
	close(fd);
}
END_TEST

START_TEST(test_hash_get_next_key_visits_every_key_once)
{
	int fd = t_map_create(BPF_MAP_TYPE_HASH, 4, 4, 64);
	uint32_t key, next, seen[64] = { 0 }, count = 0;
	int err;

	for (key = 0; key < 40; key++)
		ck_assert_int_eq(t_update(fd, &key, &key, BPF_ANY), 0);
	err = t_next_key(fd, NULL, &next);
	while (err == 0) {
		ck_assert_uint_lt(next, 40);
		seen[next]++;
		count++;
		key = next;
		err = t_next_key(fd, &key, &next);
	}
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_uint_eq(count, 40);
	for (key = 0; key < 40; key++)
		ck_assert_uint_eq(seen[key], 1);
	key = 1000; /* a missing key restarts at the first one */
	ck_assert_int_eq(t_next_key(fd, &key, &next), 0);
	close(fd);
}
END_TEST

START_TEST(test_array_semantics)
{
	int fd = t_map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 3);
	uint32_t key = 1, value = 7, out = 1, next;

	ck_assert_int_eq(t_lookup(fd, &key, &out), 0);
	ck_assert_uint_eq(out, 0);
	ck_assert_int_eq(t_update(fd, &key, &value, BPF_ANY), 0);
	ck_assert_int_eq(t_update(fd, &key, &value, BPF_EXIST), 0);
	ck_assert_int_eq(T_ERRNO(t_update(fd, &key, &value, BPF_NOEXIST)), EEXIST);
	ck_assert_int_eq(T_ERRNO(t_delete(fd, &key)), EINVAL);
	key = 3;
	ck_assert_int_eq(T_ERRNO(t_update(fd, &key, &value, BPF_ANY)), E2BIG);
	ck_assert_int_eq(T_ERRNO(t_lookup(fd, &key, &out)), ENOENT);
	ck_assert_int_eq(t_next_key(fd, &key, &next), 0);
	ck_assert_uint_eq(next, 0);
	key = 1;
	ck_assert_int_eq(t_next_key(fd, &key, &next), 0);
	ck_assert_uint_eq(next, 2);
	key = 2;
	ck_assert_int_eq(T_ERRNO(t_next_key(fd, &key, &next)), ENOENT);
	ck_assert_int_eq(T_ERRNO(t_elem(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, &key, &out, 0)),
			 524);
	close(fd);
}
END_TEST

/* Keys and next-key buffers at odd addresses, as programs pass them (a key inside a map
 * value, an odd stack offset): array maps read the index without assuming alignment.
 * Found by fuzz/load_fuzzer; fails under --enable-sanitizers without the fix. */
START_TEST(test_array_keys_at_any_alignment)
{
	int fd = t_map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 3);
	_Alignas(8) unsigned char key_buffer[8] = { 0 }, next_buffer[8] = { 0 };
	unsigned char *key = key_buffer + 1, *next = next_buffer + 3;
	uint32_t index = 2, value = 0x11223344, out = 0;

	memcpy(key, &index, sizeof(index));
	ck_assert_int_eq(t_update(fd, key, &value, BPF_ANY), 0);
	ck_assert_int_eq(t_lookup(fd, key, &out), 0);
	ck_assert_uint_eq(out, 0x11223344);
	ck_assert_int_eq(T_ERRNO(t_delete(fd, key)), EINVAL);
	index = 0;
	memcpy(key, &index, sizeof(index));
	ck_assert_int_eq(t_next_key(fd, key, next), 0);
	memcpy(&index, next, sizeof(index));
	ck_assert_uint_eq(index, 1);
	close(fd);
}
END_TEST

START_TEST(test_freeze_blocks_syscall_writes)
{
	int fd = t_map_create(BPF_MAP_TYPE_HASH, 4, 4, 4);
	uint32_t key = 10, value = 100, out = 0;
	union bpf_attr attr;

	ck_assert_int_eq(t_update(fd, &key, &value, BPF_ANY), 0);
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)fd;
	ck_assert_int_eq(t_bpf(BPF_MAP_FREEZE, &attr), 0);
	ck_assert_int_eq(T_ERRNO(t_update(fd, &key, &value, BPF_ANY)), EPERM);
	ck_assert_int_eq(T_ERRNO(t_delete(fd, &key)), EPERM);
	ck_assert_int_eq(t_lookup(fd, &key, &out), 0);
	ck_assert_uint_eq(out, 100);
	ck_assert_int_eq(T_ERRNO(t_bpf(BPF_MAP_FREEZE, &attr)), EPERM);
	close(fd);
}
END_TEST

START_TEST(test_rdonly_and_wronly_maps)
{
	int ro = t_map_create_flags(BPF_MAP_TYPE_ARRAY, 4, 4, 1, BPF_F_RDONLY);
	int wo = t_map_create_flags(BPF_MAP_TYPE_ARRAY, 4, 4, 1, BPF_F_WRONLY);
	uint32_t key = 0, value = 1;

	ck_assert_int_eq(T_ERRNO(t_update(ro, &key, &value, BPF_ANY)), EPERM);
	ck_assert_int_eq(t_lookup(ro, &key, &value), 0);
	ck_assert_int_eq(T_ERRNO(t_lookup(wo, &key, &value)), EPERM);
	ck_assert_int_eq(t_update(wo, &key, &value, BPF_ANY), 0);
	ck_assert_int_eq(T_ERRNO(t_map_create_flags(BPF_MAP_TYPE_ARRAY, 4, 4, 1,
						    BPF_F_RDONLY | BPF_F_WRONLY)),
			 EINVAL);
	close(ro);
	close(wo);
}
END_TEST

START_TEST(test_fd_errors)
{
	int fd = open("/dev/null", O_RDONLY);
	uint32_t key = 0, value = 0;

	ck_assert_int_eq(T_ERRNO(t_lookup(fd, &key, &value)), EINVAL);
	ck_assert_int_eq(T_ERRNO(t_lookup(-1, &key, &value)), EBADF);
	ck_assert_int_eq(T_ERRNO(t_lookup(1000, &key, &value)), EBADF);
	close(fd);
}
END_TEST

START_TEST(test_attr_size_and_unknown_command)
{
	union bpf_attr attr;
	unsigned char big[sizeof(attr) + 16];

	memset(&attr, 0, sizeof(attr));
	ck_assert_int_eq(T_ERRNO(emu_bpf(1000, &attr, sizeof(attr))), EINVAL);
	memset(big, 0, sizeof(big));
	big[sizeof(attr) + 3] = 1;
	ck_assert_int_eq(T_ERRNO(emu_bpf(BPF_MAP_CREATE, (union bpf_attr *)big, sizeof(big))),
			 E2BIG);
	ck_assert_int_eq(T_ERRNO(emu_bpf(BPF_MAP_CREATE, &attr, 8192)), E2BIG);
}
END_TEST

static Suite *basic_suite(void)
{
	Suite *s = suite_create("map_basic");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_first_map_gets_lowest_fd_and_close_frees_it);
	tcase_add_test(tc, test_hash_update_flags);
	tcase_add_test(tc, test_hash_full_answers_e2big_but_replaces);
	tcase_add_test(tc, test_hash_delete_and_lookup_and_delete);
	tcase_add_test(tc, test_hash_get_next_key_visits_every_key_once);
	tcase_add_test(tc, test_array_semantics);
	tcase_add_test(tc, test_array_keys_at_any_alignment);
	tcase_add_test(tc, test_freeze_blocks_syscall_writes);
	tcase_add_test(tc, test_rdonly_and_wronly_maps);
	tcase_add_test(tc, test_fd_errors);
	tcase_add_test(tc, test_attr_size_and_unknown_command);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(basic_suite());
	int failed;

	srunner_set_fork_status(runner, CK_NOFORK);
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
