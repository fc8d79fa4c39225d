/* libbpf_user.c - a user-space program written for libbpf (only <bpf/bpf.h> and
 * <bpf/libbpf.h>): map commands with their results printed in a stable order. Built
 * against libebpfemu and, when available, against the real libbpf; both runs must
 * print the same text.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void result(const char *what, int ret)
{
	if (ret < 0)
		printf("%s: error %s (ret %d)\n", what, strerror(errno), ret);
	else
		printf("%s: ok\n", what);
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void hash_demo(void)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_HASH, "hash_map_example", sizeof(int),
				sizeof(int), 1024, NULL);
	int keys[9], values[9], got_keys[16], got_values[16], n = 0, key, value;
	__u32 count, out_batch, *in_batch = NULL;
	int err;

	printf("hash map created with fd: %d\n", fd);
	for (int i = 0; i < 9; i++) {
		keys[i] = (i + 1) * 10;
		values[i] = keys[i] * 10;
	}
	count = 9;
	result("update batch", bpf_map_update_batch(fd, keys, values, &count, NULL));
	printf("updated %u\n", count);
	key = 5;
	value = 100;
	result("update NOEXIST new", bpf_map_update_elem(fd, &key, &value, BPF_NOEXIST));
	result("update NOEXIST again", bpf_map_update_elem(fd, &key, &value, BPF_NOEXIST));
	key = 4;
	result("update EXIST missing", bpf_map_update_elem(fd, &key, &value, BPF_EXIST));
	key = 5;
	result("lookup and delete", bpf_map_lookup_and_delete_elem(fd, &key, &value));
	printf("value %d\n", value);
	result("lookup deleted", bpf_map_lookup_elem(fd, &key, &value));
	do {
		__u32 batch = 2;
		int k[64], v[64];

		err = bpf_map_lookup_batch(fd, in_batch, &out_batch, k, v, &batch, NULL);
		for (__u32 i = 0; i < batch && n < 16; i++, n++) {
			got_keys[n] = k[i];
			got_values[n] = v[i];
		}
		in_batch = &out_batch;
	} while (!err);
	printf("batch walk ended with %s after %d elements\n", strerror(errno), n);
	qsort(got_keys, (size_t)n, sizeof(int), cmp_int);
	qsort(got_values, (size_t)n, sizeof(int), cmp_int);
	for (int i = 0; i < n; i++)
		printf("  key %d value %d\n", got_keys[i], got_values[i]);
	result("freeze", bpf_map_freeze(fd));
	result("update frozen", bpf_map_update_elem(fd, &key, &value, BPF_ANY));
	result("delete frozen", bpf_map_delete_elem(fd, &keys[0]));
	close(fd);
}

static void array_demo(void)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "array_map_example", sizeof(int),
				sizeof(long), 4, NULL);
	int key = 2, next;
	long value = 7;

	printf("array map created with fd: %d\n", fd);
	result("array update", bpf_map_update_elem(fd, &key, &value, BPF_ANY));
	result("array NOEXIST", bpf_map_update_elem(fd, &key, &value, BPF_NOEXIST));
	result("array delete", bpf_map_delete_elem(fd, &key));
	key = 4;
	result("array past the end", bpf_map_update_elem(fd, &key, &value, BPF_ANY));
	result("array lookup past the end", bpf_map_lookup_elem(fd, &key, &value));
	result("array next after the end", bpf_map_get_next_key(fd, &key, &next));
	printf("next %d\n", next);
	key = 3;
	result("array next after the last", bpf_map_get_next_key(fd, &key, &next));
	close(fd);
}

static void lpm_demo(void)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_NO_PREALLOC);
	struct { __u32 prefixlen; unsigned char addr[4]; } key, next;
	int fd = bpf_map_create(BPF_MAP_TYPE_LPM_TRIE, "lpm_trie_example", sizeof(key),
				sizeof(long), 1024, &opts);
	static const unsigned char prefixes[][5] = {
		{ 16, 192, 168, 0, 0 }, { 24, 192, 168, 0, 0 }, { 24, 192, 168, 1, 0 },
		{ 24, 192, 168, 128, 0 }, { 8, 10, 0, 0, 0 },
	};
	long value;
	int err;

	printf("lpm trie created with fd: %d\n", fd);
	result("lpm without NO_PREALLOC",
	       bpf_map_create(BPF_MAP_TYPE_LPM_TRIE, "x", sizeof(key), 8, 16, NULL));
	for (int i = 0; i < 5; i++) {
		key.prefixlen = prefixes[i][0];
		memcpy(key.addr, &prefixes[i][1], 4);
		value = i;
		bpf_map_update_elem(fd, &key, &value, BPF_ANY);
	}
	key.prefixlen = 32;
	memcpy(key.addr, (unsigned char[]){ 192, 168, 1, 9 }, 4);
	result("lpm lookup 192.168.1.9", bpf_map_lookup_elem(fd, &key, &value));
	printf("matched entry %ld\n", value);
	for (err = bpf_map_get_next_key(fd, NULL, &next); !err;
	     err = bpf_map_get_next_key(fd, &key, &next)) {
		printf("  %u.%u.%u.%u/%u\n", next.addr[0], next.addr[1], next.addr[2],
		       next.addr[3], next.prefixlen);
		key = next;
	}
	close(fd);
}

static void queue_demo(void)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_QUEUE, "queue", 0, sizeof(int), 2, NULL);
	int value;

	for (value = 1; value <= 3; value++)
		result("push", bpf_map_update_elem(fd, NULL, &value, BPF_ANY));
	value = 9;
	result("push with overwrite", bpf_map_update_elem(fd, NULL, &value, BPF_EXIST));
	while (bpf_map_lookup_and_delete_elem(fd, NULL, &value) == 0)
		printf("pop %d\n", value);
	printf("empty: %s\n", strerror(errno));
	close(fd);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	hash_demo();
	array_demo();
	lpm_demo();
	queue_demo();
	return 0;
}
