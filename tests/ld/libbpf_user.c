/* libbpf_user.c - a user-space loader written against libbpf 1.x only (no ebpf-toolchain
 * header): open, inspect, resize a map, load, test-run, read maps, try to attach. It
 * is built twice, against libebpfemu's <bpf/libbpf.h> and against the system libbpf,
 * and both builds must print the same (libbpf_compat.sh). Usage: libbpf_user OBJ. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

static int quiet(enum libbpf_print_level level, const char *format, va_list args)
{
	(void)level;
	(void)format;
	(void)args;
	return 0;
}

static void list(struct bpf_object *obj)
{
	struct bpf_program *prog;
	struct bpf_map *map;

	printf("object %s\n", bpf_object__name(obj));
	bpf_object__for_each_program(prog, obj)
		printf("program %s section %s type %d attach %d\n", bpf_program__name(prog),
		       bpf_program__section_name(prog), bpf_program__type(prog),
		       bpf_program__expected_attach_type(prog));
	bpf_object__for_each_map(map, obj)
		printf("map %s type %d key %u value %u max %u internal %d\n", bpf_map__name(map),
		       bpf_map__type(map), bpf_map__key_size(map), bpf_map__value_size(map),
		       bpf_map__max_entries(map), bpf_map__is_internal(map));
}

static int run_second(struct bpf_object *obj)
{
	unsigned char packet[15] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 8, 0, 0xaa };
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "second");
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = packet, .data_size_in = sizeof(packet),
		    .repeat = 2);
	int err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);

	printf("test_run err %d retval %u\n", err, opts.retval);
	return err;
}

static void read_maps(struct bpf_object *obj)
{
	struct bpf_map *counters = bpf_object__find_map_by_name(obj, "counters");
	unsigned long long key = 5, value64 = 0;
	unsigned int slot = 2, value32 = 0;

	printf("counters[2] err %d", bpf_map__lookup_elem(counters, &slot, 4, &value64, 8, 0));
	printf(" = %llu\n", value64);
	printf("table[5] err %d", bpf_map__lookup_elem(bpf_object__find_map_by_name(obj, "table"),
						      &key, 8, &value32, 4, 0));
	printf(" = %u\n", value32);
	printf("wrong key size err %d\n", bpf_map__lookup_elem(counters, &slot, 8, &value64, 8, 0));
	printf("fd by name ok %d\n", bpf_object__find_map_fd_by_name(obj, "table") >= 0);
	struct bpf_map *missing = bpf_object__find_map_by_name(obj, "nope");
	printf("missing map %p\n", (void *)missing);
	printf(".rodata by section name: %s\n",
	       bpf_map__name(bpf_object__find_map_by_name(obj, ".rodata")));
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_link *link;
	int err;

	if (argc != 2)
		return 2;
	libbpf_set_print(quiet);
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		printf("open failed: errno %d\n", errno);
		return 1;
	}
	printf("before load fd %d\n", bpf_program__fd(bpf_object__find_program_by_name(obj, "first")));
	printf("set_max_entries %d\n", bpf_map__set_max_entries(bpf_object__find_map_by_name(obj, "counters"), 8));
	list(obj);
	/* "first" uses bpf_loop, which the emulator does not offer yet: leave it out */
	printf("set_autoload %d\n", bpf_program__set_autoload(bpf_object__find_program_by_name(obj, "first"), false));
	err = bpf_object__load(obj);
	printf("load %d\n", err);
	if (err)
		return 1;
	printf("set after load %d\n", bpf_map__set_max_entries(bpf_object__find_map_by_name(obj, "counters"), 9));
	printf("max_entries now %u\n", bpf_map__max_entries(bpf_object__find_map_by_name(obj, "counters")));
	run_second(obj);
	read_maps(obj);
	printf("unloaded program fd %d\n", bpf_program__fd(bpf_object__find_program_by_name(obj, "first")));
	link = bpf_program__attach_xdp(bpf_object__find_program_by_name(obj, "second"), 0);
	printf("attach_xdp(ifindex 0) %s\n", link ? "linked" : "failed");
	bpf_link__destroy(link);
	bpf_object__close(obj);
	return 0;
}
