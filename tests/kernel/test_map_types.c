/* test_map_types.c - map types beyond hash and array: map-in-map references, LPM
 * longest-prefix lookup, QUEUE/STACK, BLOOM_FILTER, LRU eviction, per-CPU value sizes,
 * RINGBUF records through the ring_buffer__ consumer, ids and object info.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <time.h>

#include "bpf/bpf.h"
#include "bpf/ringbuf.h"
#include "emu_test.h"
#include "map_int.h"

START_TEST(test_inner_map_outlives_its_fd)
{
	int inner = bpf_map_create(BPF_MAP_TYPE_HASH, "inner", 4, 4, 8, NULL);
	LIBBPF_OPTS(bpf_map_create_opts, opts, .inner_map_fd = (uint32_t)inner);
	int outer = bpf_map_create(BPF_MAP_TYPE_ARRAY_OF_MAPS, "outer", 4, 4, 2, &opts);
	int wrong = bpf_map_create(BPF_MAP_TYPE_HASH, "wrong", 4, 8, 8, NULL);
	uint32_t key = 0, id = 0, inner_id, k = 5, v = 50, out = 0;
	struct bpf_map_info info = { 0 };
	uint32_t len = sizeof(info);
	int again;

	ck_assert_int_ge(outer, 0);
	ck_assert_int_eq(bpf_map_update_elem(inner, &k, &v, BPF_ANY), 0);
	ck_assert_int_eq(bpf_map_update_elem(outer, &key, &inner, BPF_ANY), 0);
	ck_assert_int_eq(bpf_map_update_elem(outer, &key, &wrong, BPF_ANY), -EINVAL);
	ck_assert_int_eq(bpf_obj_get_info_by_fd(inner, &info, &len), 0);
	inner_id = info.id;
	ck_assert_int_eq(bpf_map_lookup_elem(outer, &key, &id), 0);
	ck_assert_uint_eq(id, inner_id);
	close(inner);
	again = bpf_map_get_fd_by_id(inner_id);
	ck_assert_int_ge(again, 0);
	ck_assert_int_eq(bpf_map_lookup_elem(again, &k, &out), 0);
	ck_assert_uint_eq(out, 50);
	close(again);
	ck_assert_int_eq(bpf_map_delete_elem(outer, &key), 0);
	ck_assert_int_eq(bpf_map_get_fd_by_id(inner_id), -ENOENT);
	ck_assert_int_eq(bpf_map_create(BPF_MAP_TYPE_ARRAY_OF_MAPS, "noinner", 4, 4, 2, NULL),
			 -EINVAL); /* fd 0 is open but not a map */
	close(outer);
	close(wrong);
}
END_TEST

static void lpm_key(unsigned char key[8], uint32_t plen, unsigned a, unsigned b,
		    unsigned c, unsigned d)
{
	memcpy(key, &plen, 4);
	key[4] = (unsigned char)a;
	key[5] = (unsigned char)b;
	key[6] = (unsigned char)c;
	key[7] = (unsigned char)d;
}

START_TEST(test_lpm_longest_prefix_and_order)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_NO_PREALLOC);
	int fd = bpf_map_create(BPF_MAP_TYPE_LPM_TRIE, "lpm", 8, 4, 16, &opts);
	unsigned char key[8], next[8];
	uint32_t value;
	static const uint32_t order[][2] = { { 24, 0 }, { 24, 1 }, { 24, 128 }, { 16, 0 } };

	ck_assert_int_eq(bpf_map_create(BPF_MAP_TYPE_LPM_TRIE, "lpm", 8, 4, 16, NULL), -EINVAL);
	lpm_key(key, 16, 192, 168, 0, 0);
	ck_assert_int_eq(bpf_map_update_elem(fd, key, &(uint32_t){ 16 }, BPF_ANY), 0);
	lpm_key(key, 24, 192, 168, 0, 0);
	ck_assert_int_eq(bpf_map_update_elem(fd, key, &(uint32_t){ 240 }, BPF_ANY), 0);
	lpm_key(key, 24, 192, 168, 1, 0);
	ck_assert_int_eq(bpf_map_update_elem(fd, key, &(uint32_t){ 241 }, BPF_ANY), 0);
	lpm_key(key, 24, 192, 168, 128, 0);
	ck_assert_int_eq(bpf_map_update_elem(fd, key, &(uint32_t){ 242 }, BPF_ANY), 0);
	lpm_key(key, 32, 192, 168, 1, 77);
	ck_assert_int_eq(bpf_map_lookup_elem(fd, key, &value), 0);
	ck_assert_uint_eq(value, 241);
	lpm_key(key, 32, 192, 168, 200, 1);
	ck_assert_int_eq(bpf_map_lookup_elem(fd, key, &value), 0);
	ck_assert_uint_eq(value, 16);
	lpm_key(key, 32, 10, 0, 0, 1);
	ck_assert_int_eq(bpf_map_lookup_elem(fd, key, &value), -ENOENT);
	lpm_key(key, 33, 10, 0, 0, 1);
	ck_assert_int_eq(bpf_map_update_elem(fd, key, &value, BPF_ANY), -EINVAL);
	ck_assert_int_eq(bpf_map_get_next_key(fd, NULL, next), 0);
	for (int i = 0; i < 4; i++) {
		uint32_t plen;

		memcpy(&plen, next, 4);
		ck_assert_uint_eq(plen, order[i][0]);
		ck_assert_uint_eq(next[6], order[i][1]);
		memcpy(key, next, 8);
		ck_assert_int_eq(bpf_map_get_next_key(fd, key, next), i == 3 ? -ENOENT : 0);
	}
	close(fd);
}
END_TEST

START_TEST(test_queue_and_stack)
{
	int q = bpf_map_create(BPF_MAP_TYPE_QUEUE, "q", 0, 4, 2, NULL);
	int s = bpf_map_create(BPF_MAP_TYPE_STACK, "s", 0, 4, 2, NULL);
	uint32_t v;

	for (uint32_t i = 1; i <= 2; i++) {
		ck_assert_int_eq(bpf_map_update_elem(q, NULL, &i, BPF_ANY), 0);
		ck_assert_int_eq(bpf_map_update_elem(s, NULL, &i, BPF_ANY), 0);
	}
	v = 3;
	ck_assert_int_eq(bpf_map_update_elem(q, NULL, &v, BPF_ANY), -E2BIG);
	ck_assert_int_eq(bpf_map_update_elem(q, NULL, &v, BPF_EXIST), 0);
	ck_assert_int_eq(bpf_map_lookup_elem(q, NULL, &v), 0);
	ck_assert_uint_eq(v, 2);
	ck_assert_int_eq(bpf_map_lookup_and_delete_elem(q, NULL, &v), 0);
	ck_assert_uint_eq(v, 2);
	ck_assert_int_eq(bpf_map_lookup_and_delete_elem(s, NULL, &v), 0);
	ck_assert_uint_eq(v, 2);
	ck_assert_int_eq(bpf_map_lookup_and_delete_elem(s, NULL, &v), 0);
	ck_assert_uint_eq(v, 1);
	ck_assert_int_eq(bpf_map_lookup_and_delete_elem(s, NULL, &v), -ENOENT);
	ck_assert_int_eq(bpf_map_delete_elem(q, NULL), -EINVAL);
	close(q);
	close(s);
}
END_TEST

START_TEST(test_bloom_filter)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_BLOOM_FILTER, "bloom", 0, 8, 100, NULL);
	uint64_t v = 42;

	ck_assert_int_eq(bpf_map_lookup_elem(fd, NULL, &v), -ENOENT);
	ck_assert_int_eq(bpf_map_update_elem(fd, NULL, &v, BPF_ANY), 0);
	ck_assert_int_eq(bpf_map_lookup_elem(fd, NULL, &v), 0);
	ck_assert_int_eq(bpf_map_update_elem(fd, NULL, &v, BPF_EXIST), -EINVAL);
	ck_assert_int_eq(bpf_map_delete_elem(fd, NULL), -EOPNOTSUPP);
	close(fd);
}
END_TEST

START_TEST(test_lru_evicts_least_recently_used)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_LRU_HASH, "lru", 4, 4, 3, NULL);
	uint32_t k, v = 1;

	for (k = 0; k < 3; k++)
		ck_assert_int_eq(bpf_map_update_elem(fd, &k, &v, BPF_ANY), 0);
	k = 0;
	ck_assert_int_eq(emu_map_lookup_elem(emu_fd_lookup(fd, EMU_OBJ_MAP, &(int){ 0 }), &k) != NULL, 1);
	k = 3;
	ck_assert_int_eq(bpf_map_update_elem(fd, &k, &v, BPF_ANY), 0);
	k = 1;
	ck_assert_int_eq(bpf_map_lookup_elem(fd, &k, &v), -ENOENT);
	k = 0;
	ck_assert_int_eq(bpf_map_lookup_elem(fd, &k, &v), 0);
	close(fd);
}
END_TEST

START_TEST(test_percpu_user_value_size)
{
	int fd;
	uint32_t key = 0, cpus;
	uint64_t *values;

	ck_assert_int_eq(emu_config_set_cpus(4), 0);
	cpus = emu_config_cpus();
	fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "pcpu", 4, 4, 1, NULL);
	values = calloc(cpus, 8);
	for (uint32_t i = 0; i < cpus; i++)
		values[i] = 100 + i;
	ck_assert_int_eq(bpf_map_update_elem(fd, &key, values, BPF_ANY), 0);
	ck_assert_int_eq(emu_config_set_current_cpu(2), 0);
	ck_assert_uint_eq(*(uint32_t *)emu_map_lookup_elem(
				  emu_fd_lookup(fd, EMU_OBJ_MAP, &(int){ 0 }), &key), 102);
	memset(values, 0, cpus * 8);
	ck_assert_int_eq(bpf_map_lookup_elem(fd, &key, values), 0);
	ck_assert_uint_eq(values[3], 103);
	emu_config_set_current_cpu(0);
	free(values);
	close(fd);
}
END_TEST

static int collect(void *ctx, void *data, size_t size)
{
	uint32_t *sum = ctx;

	*sum += (uint32_t)size * 1000 + *(uint32_t *)data;
	return 0;
}

START_TEST(test_ringbuf_records_reach_the_consumer)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "rb", 0, 0, 4096, NULL);
	struct emu_map *map = emu_fd_lookup(fd, EMU_OBJ_MAP, &(int){ 0 });
	struct ring_buffer *rb;
	uint32_t sum = 0, payload = 7;
	void *rec;

	ck_assert_int_eq(bpf_map_create(BPF_MAP_TYPE_RINGBUF, "rb", 0, 0, 4000, NULL), -EINVAL);
	ck_assert_int_eq(emu_ringbuf_output(map, &payload, 4, 0), 0);
	rec = emu_ringbuf_reserve(map, 8, 0);
	ck_assert_ptr_nonnull(rec);
	*(uint32_t *)rec = 9;
	emu_ringbuf_commit(rec, false, 0);
	rec = emu_ringbuf_reserve(map, 8, 0);
	emu_ringbuf_commit(rec, true, 0);
	ck_assert_uint_eq(emu_ringbuf_query(map, BPF_RB_AVAIL_DATA), 16 + 16 + 16);
	ck_assert_ptr_null(emu_ringbuf_reserve(map, 5000, 0));
	rb = ring_buffer__new(fd, collect, &sum, NULL);
	ck_assert_ptr_nonnull(rb);
	ck_assert_int_eq(ring_buffer__consume(rb), 2);
	ck_assert_uint_eq(sum, 4007 + 8009);
	ck_assert_uint_eq(emu_ringbuf_query(map, BPF_RB_AVAIL_DATA), 0);
	for (int i = 0; i < 300; i++) /* wraps around the 4 KiB ring */
		ck_assert_int_eq(emu_ringbuf_output(map, &payload, 4, 0) == 0 ||
				 ring_buffer__consume(rb) > 0, 1);
	ring_buffer__free(rb);
	ck_assert_int_eq(bpf_map_lookup_elem(fd, NULL, &sum), -524);
	close(fd);
}
END_TEST

START_TEST(test_ids_walk_live_maps)
{
	int a = bpf_map_create(BPF_MAP_TYPE_ARRAY, "a", 4, 4, 1, NULL);
	int b = bpf_map_create(BPF_MAP_TYPE_ARRAY, "b", 4, 4, 1, NULL);
	struct bpf_map_info info = { 0 };
	uint32_t len = sizeof(info), id_a, id = 0, seen = 0;

	ck_assert_int_eq(bpf_obj_get_info_by_fd(a, &info, &len), 0);
	ck_assert_uint_eq(len, sizeof(info));
	ck_assert_uint_eq(info.type, BPF_MAP_TYPE_ARRAY);
	ck_assert_str_eq(info.name, "a");
	id_a = info.id;
	while (bpf_map_get_next_id(id, &id) == 0)
		seen += id >= id_a;
	ck_assert_uint_eq(seen, 2);
	ck_assert_int_eq(errno, ENOENT);
	close(b);
	id = id_a;
	ck_assert_int_eq(bpf_map_get_next_id(id, &id), -ENOENT);
	ck_assert_int_eq(bpf_obj_get_info_by_fd(b, &info, &len), -EBADFD);
	close(a);
}
END_TEST

/* As in the kernel, an mmap of a BPF_F_MMAPABLE array's fd shows its values. */
START_TEST(test_mmapable_array_maps_its_values)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_MMAPABLE);
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "data", 4, 8, 1024, &opts), again;
	uint32_t key = 700;
	uint64_t value = 0x1122334455667788ull, out = 0;
	uint64_t *values;
	char path[4200];

	ck_assert_int_eq(emu_bpffs_root(path, 4096), 0);
	strcat(path, "/mmapable");
	unlink(path); /* left by an earlier run */
	ck_assert_int_ge(fd, 0);
	values = mmap(NULL, 1024 * 8, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ck_assert_ptr_ne(values, MAP_FAILED);
	ck_assert_int_eq(bpf_map_update_elem(fd, &key, &value, BPF_ANY), 0);
	ck_assert_uint_eq(values[700], value);
	values[3] = 42;
	key = 3;
	ck_assert_int_eq(bpf_map_lookup_elem(fd, &key, &out), 0);
	ck_assert_uint_eq(out, 42);
	ck_assert_int_eq(bpf_obj_pin(fd, "/sys/fs/bpf/mmapable"), 0);
	close(fd);
	again = bpf_obj_get("/sys/fs/bpf/mmapable");
	ck_assert_int_ge(again, 0);
	ck_assert_int_eq(bpf_map_lookup_elem(again, &key, &out), 0);
	ck_assert_uint_eq(out, 42);
	munmap(values, 1024 * 8);
	close(again);
}
END_TEST

START_TEST(test_perf_event_output_and_read)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, "events", 4, 4, 2, NULL);
	struct emu_map *map = emu_fd_lookup(fd, EMU_OBJ_MAP, &(int){ 0 });
	uint32_t key = 1, slot_fd = 0, value;
	char buf[16];

	ck_assert_int_eq(emu_perf_event_output(map, 1, "abc", 3), -ENOENT);
	ck_assert_int_eq(bpf_map_update_elem(fd, &key, &slot_fd, BPF_ANY), 0);
	ck_assert_int_eq(bpf_map_lookup_elem(fd, &key, &value), -524);
	ck_assert_int_eq(emu_perf_event_output(map, 1, "abc", 3), 0);
	ck_assert_int_eq(emu_perf_event_output(map, 1, "hello", 5), 0);
	ck_assert_int_eq(emu_perf_event_output(map, 2, "x", 1), -E2BIG);
	ck_assert_int_eq(emu_perf_event_read(fd, 1, buf, 2), -ENOSPC);
	ck_assert_int_eq(emu_perf_event_read(fd, 1, buf, sizeof(buf)), 3);
	ck_assert_int_eq(memcmp(buf, "abc", 3), 0);
	ck_assert_int_eq(emu_perf_event_read(fd, 1, buf, sizeof(buf)), 5);
	ck_assert_int_eq(memcmp(buf, "hello", 5), 0);
	ck_assert_int_eq(emu_perf_event_read(fd, 1, buf, sizeof(buf)), -ENOENT);
	ck_assert_int_eq(emu_perf_event_read(fd, 0, buf, sizeof(buf)), -ENOENT);
	close(fd);
}
END_TEST

/* [1] int: the smallest valid .BTF. */
static size_t btf_int_blob(uint8_t *out)
{
	static const uint32_t types[] = { 1, 0x01000000, 4, 0x01000020 };
	static const char strings[] = "\0int";
	uint32_t hdr[6] = { 0xeb9f | (1u << 16), 24, 0, sizeof(types), sizeof(types),
			    sizeof(strings) };

	memcpy(out, hdr, sizeof(hdr));
	memcpy(out + 24, types, sizeof(types));
	memcpy(out + 24 + sizeof(types), strings, sizeof(strings));
	return 24 + sizeof(types) + sizeof(strings);
}

START_TEST(test_btf_ids_and_info)
{
	uint8_t blob[64], raw[64];
	size_t size = btf_int_blob(blob);
	int fd = bpf_btf_load(blob, size, NULL), again;
	struct bpf_btf_info info;
	uint32_t len = sizeof(info), id = 0;

	ck_assert_int_ge(fd, 0);
	memset(&info, 0, sizeof(info));
	info.btf = (uint64_t)(uintptr_t)raw;
	info.btf_size = sizeof(raw);
	ck_assert_int_eq(bpf_obj_get_info_by_fd(fd, &info, &len), 0);
	ck_assert_uint_eq(info.btf_size, size);
	ck_assert_int_eq(memcmp(raw, blob, size), 0);
	ck_assert_int_eq(bpf_btf_get_next_id(0, &id), 0);
	ck_assert_uint_eq(id, info.id);
	again = bpf_btf_get_fd_by_id(info.id);
	ck_assert_int_ge(again, 0);
	close(fd);
	close(again);
	ck_assert_int_eq(bpf_btf_get_fd_by_id(info.id), -ENOENT);
	blob[0] = 0;
	ck_assert_int_eq(bpf_btf_load(blob, size, NULL), -EINVAL);
}
END_TEST

struct writer_arg {
	int fd;       /* shared map */
	uint32_t id;  /* thread number: keys id * 2000 .. id * 2000 + 1999 */
	int failures; /* calls that did not succeed */
};

static void *writer_thread(void *arg)
{
	struct writer_arg *w = arg;

	for (uint32_t i = 0; i < 2000; i++) {
		uint32_t key = w->id * 2000 + i, value = key * 3, out = 0;
		int scratch = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL);

		w->failures += bpf_map_update_elem(w->fd, &key, &value, BPF_NOEXIST) != 0;
		w->failures += bpf_map_lookup_elem(w->fd, &key, &out) != 0 || out != key * 3;
		close(scratch); /* fds come and go in every thread meanwhile */
	}
	return NULL;
}

/* Threads of one process share maps and the fd table. */
START_TEST(test_threads_share_a_map)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_HASH, "threads", 4, 4, 8000, NULL);
	struct writer_arg args[4];
	pthread_t threads[4];
	uint32_t key, next, count = 0;

	for (uint32_t t = 0; t < 4; t++) {
		args[t] = (struct writer_arg){ fd, t, 0 };
		ck_assert_int_eq(pthread_create(&threads[t], NULL, writer_thread, &args[t]), 0);
	}
	for (int t = 0; t < 4; t++) {
		pthread_join(threads[t], NULL);
		ck_assert_int_eq(args[t].failures, 0);
	}
	for (int err = bpf_map_get_next_key(fd, NULL, &next); !err;
	     err = bpf_map_get_next_key(fd, &key, &next)) {
		key = next;
		count++;
	}
	ck_assert_uint_eq(count, 8000);
	close(fd);
}
END_TEST

/* The tag is the first 8 bytes of SHA-256 over the insns (the kernel 6.18 reports
 * 59f4a931744dcdc6 for this program; sha256sum of its 16 bytes agrees). */
START_TEST(test_prog_info_tag)
{
	struct bpf_insn insns[2] = { { .code = BPF_ALU64 | BPF_MOV | BPF_K },
				     { .code = BPF_JMP | BPF_EXIT } };
	static const uint8_t expect[BPF_TAG_SIZE] = { 0x59, 0xf4, 0xa9, 0x31,
						      0x74, 0x4d, 0xcd, 0xc6 };
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);
	int fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "tagged", "GPL", insns, 2, NULL);

	ck_assert_int_ge(fd, 0);
	memset(&info, 0, sizeof(info));
	ck_assert_int_eq(bpf_obj_get_info_by_fd(fd, &info, &len), 0);
	ck_assert_int_eq(memcmp(info.tag, expect, BPF_TAG_SIZE), 0);
	ck_assert_str_eq(info.name, "tagged");
	ck_assert_uint_eq(info.type, BPF_PROG_TYPE_SOCKET_FILTER);
	ck_assert_uint_eq(info.xlated_prog_len, 16);
	close(fd);
}
END_TEST

static void *late_producer(void *arg)
{
	struct timespec pause = { 0, 50 * 1000000 };
	uint32_t payload = 11;

	nanosleep(&pause, NULL);
	emu_ringbuf_output(arg, &payload, sizeof(payload), 0);
	return NULL;
}

/* ring_buffer__poll sleeps on the epoll fd until a producer commits. */
START_TEST(test_ringbuf_poll_wakes_on_commit)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "rb", 0, 0, 4096, NULL);
	struct emu_map *map = emu_fd_lookup(fd, EMU_OBJ_MAP, &(int){ 0 });
	struct ring_buffer *rb = ring_buffer__new(fd, collect, &(uint32_t){ 0 }, NULL);
	struct epoll_event event;
	uint32_t payload = 5;
	pthread_t producer;

	ck_assert_ptr_nonnull(rb);
	ck_assert_int_ge(ring_buffer__epoll_fd(rb), 0);
	ck_assert_int_eq(epoll_wait(ring_buffer__epoll_fd(rb), &event, 1, 0), 0);
	ck_assert_int_eq(emu_ringbuf_output(map, &payload, 4, BPF_RB_NO_WAKEUP), 0);
	ck_assert_int_eq(epoll_wait(ring_buffer__epoll_fd(rb), &event, 1, 0), 0);
	ck_assert_int_eq(emu_ringbuf_output(map, &payload, 4, 0), 0);
	ck_assert_int_eq(epoll_wait(ring_buffer__epoll_fd(rb), &event, 1, 0), 1);
	ck_assert_int_eq(ring_buffer__poll(rb, 0), 2);
	ck_assert_int_eq(pthread_create(&producer, NULL, late_producer, map), 0);
	ck_assert_int_eq(ring_buffer__poll(rb, 5000), 1);
	pthread_join(producer, NULL);
	ck_assert_int_eq(ring_buffer__poll(rb, 20), 0);
	ring_buffer__free(rb);
	close(fd);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("map_types");
	TCase *tc = tcase_create("types");
	SRunner *runner;
	int failed;

	tcase_add_test(tc, test_inner_map_outlives_its_fd);
	tcase_add_test(tc, test_lpm_longest_prefix_and_order);
	tcase_add_test(tc, test_queue_and_stack);
	tcase_add_test(tc, test_bloom_filter);
	tcase_add_test(tc, test_lru_evicts_least_recently_used);
	tcase_add_test(tc, test_percpu_user_value_size);
	tcase_add_test(tc, test_ringbuf_records_reach_the_consumer);
	tcase_add_test(tc, test_ids_walk_live_maps);
	tcase_add_test(tc, test_mmapable_array_maps_its_values);
	tcase_add_test(tc, test_perf_event_output_and_read);
	tcase_add_test(tc, test_btf_ids_and_info);
	tcase_add_test(tc, test_threads_share_a_map);
	tcase_add_test(tc, test_prog_info_tag);
	tcase_add_test(tc, test_ringbuf_poll_wakes_on_commit);
	suite_add_tcase(s, tc);
	runner = srunner_create(s);
	srunner_set_fork_status(runner, CK_NOFORK);
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
