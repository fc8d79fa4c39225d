/* libbpf_prog.c - a user-space program written for libbpf 1.x only (<bpf/bpf.h>,
 * <bpf/libbpf.h>): map commands on a map it creates, then open, load and test-run the
 * XDP program of an object and read back its maps. Usage: libbpf_prog OBJECT. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void report(const char *what, int ret)
{
	if (ret < 0)
		printf("%s: %s\n", what, strerror(errno));
	else
		printf("%s: ok\n", what);
}

static int map_commands(void)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_HASH, "flows", sizeof(int), sizeof(long long),
				4, NULL);
	long long value, sum = 0;
	int key, next, count = 0;

	if (fd < 0) {
		printf("map create: %s\n", strerror(errno));
		return 1;
	}
	for (key = 1; key <= 4; key++) {
		value = key * 100;
		report("update", bpf_map_update_elem(fd, &key, &value, BPF_NOEXIST));
	}
	report("update a fifth key", bpf_map_update_elem(fd, &key, &value, BPF_ANY));
	key = 2;
	report("update existing with BPF_NOEXIST", bpf_map_update_elem(fd, &key, &value,
								  BPF_NOEXIST));
	report("lookup key 2", bpf_map_lookup_elem(fd, &key, &value));
	printf("key 2 = %lld\n", value);
	report("delete key 2", bpf_map_delete_elem(fd, &key));
	report("lookup key 2 again", bpf_map_lookup_elem(fd, &key, &value));
	for (int err = bpf_map_get_next_key(fd, NULL, &next); err == 0;
	     err = bpf_map_get_next_key(fd, &key, &next)) {
		key = next;
		if (bpf_map_lookup_elem(fd, &key, &value) == 0)
			sum += value;
		count++;
	}
	printf("iteration: %d keys, sum %lld, ends with %s\n", count, sum, strerror(errno));
	close(fd);
	return 0;
}

static int run_frame(struct bpf_program *prog, unsigned int size)
{
	unsigned char frame[64] = { [12] = 0x08, [13] = 0x00 };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = size);
	int err;

	if (size > 40)
		frame[12] = 0x86, frame[13] = 0xdd;
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
	printf("test_run %u bytes: err %d retval %u\n", size, err, opts.retval);
	return err;
}

static void print_maps(struct bpf_object *obj)
{
	int verdicts = bpf_object__find_map_fd_by_name(obj, "verdicts");
	struct bpf_map *ethertypes = bpf_object__find_map_by_name(obj, "ethertypes");
	unsigned long long count;
	unsigned int key;

	for (key = 0; key < 3; key++)
		if (bpf_map_lookup_elem(verdicts, &key, &count) == 0)
			printf("verdict %u: %llu\n", key, count);
	for (key = 0x0800; key <= 0x86dd; key += 0x86dd - 0x0800)
		if (bpf_map__lookup_elem(ethertypes, &key, sizeof(key), &count, sizeof(count),
					 0) == 0)
			printf("ethertype 0x%04x: %llu\n", key, count);
}

static int object_commands(const char *path)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *prog;
	unsigned int zero = 0, min_len = 40;
	int err;

	if (!obj) {
		printf("open: %s\n", strerror(errno));
		return 1;
	}
	err = bpf_object__load(obj);
	printf("load: %d\n", err);
	prog = bpf_object__find_program_by_name(obj, "count_frames");
	if (err || !prog) {
		bpf_object__close(obj);
		return 1;
	}
	printf("program %s, section %s\n", bpf_program__name(prog),
	       bpf_program__section_name(prog));
	report("set min_len", bpf_map_update_elem(bpf_object__find_map_fd_by_name(obj, "config"),
						  &zero, &min_len, BPF_ANY));
	err = run_frame(prog, 14) || run_frame(prog, 60) || run_frame(prog, 64) ||
	      run_frame(prog, 20);
	print_maps(obj);
	bpf_object__close(obj);
	return err != 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s OBJECT\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	return map_commands() || object_commands(argv[1]);
}
