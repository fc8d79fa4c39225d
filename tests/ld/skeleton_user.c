/* skeleton_user.c - a user program on a `bpftool gen skeleton` header of
 * data/globals.bpf.o: edit .rodata/.data before load, run programs, read and write
 * .bss through the skeleton's memory mapping, attach. skeleton_compat.sh builds it
 * against our headers and against the system libbpf; both must print the same. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "globals.skel.h"
static int quiet(enum libbpf_print_level level, const char *format, va_list args)
{
	(void)level;
	(void)format;
	(void)args;
	return 0;
}

int main(void)
{
	unsigned char packet[15] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 8, 0, 0xaa };
	unsigned char tcp[] = { /* Ethernet + IPv4 + TCP: skb programs need whole headers */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00,
		0x00, 0x01, 0x08, 0x00, 0x45, 0x00, 0x00, 0x28, 0x00, 0x01,
		0x00, 0x00, 0x40, 0x06, 0x66, 0xcd, 0x0a, 0x00, 0x00, 0x01,
		0x0a, 0x00, 0x00, 0x02, 0x04, 0xd2, 0x00, 0x50, 0x00, 0x00,
		0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x50, 0x02, 0xff, 0xff,
		0x00, 0x00, 0x00, 0x00,
	};
	__u32 zero = 0;
	__u64 hits = 0;
	int err;

	libbpf_set_print(quiet);
	struct globals *skel = globals__open();
	if (!skel) {
		printf("open failed %d\n", errno);
		return 1;
	}
	printf("rodata answer before load %u, data generation %u\n", skel->rodata->answer,
	       skel->data->generation);
	skel->rodata->answer = 43;
	skel->data->generation = 6;
	bpf_program__set_autoload(skel->progs.first, false); /* bpf_loop: not in the emulator yet */
	err = globals__load(skel);
	printf("load %d\n", err);
	if (err)
		return 1;
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = packet, .data_size_in = sizeof(packet),
		    .repeat = 2);
	err = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.second), &opts);
	printf("second: err %d retval %u\n", err, opts.retval);
	LIBBPF_OPTS(bpf_test_run_opts, tc_opts, .data_in = tcp, .data_size_in = sizeof(tcp),
		    .repeat = 3);
	err = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.third), &tc_opts);
	printf("third: err %d retval %u\n", err, tc_opts.retval);
	printf("bss hits via mmap %llu, rodata answer %u, data generation %u\n",
	       (unsigned long long)skel->bss->hits, skel->rodata->answer, skel->data->generation);
	skel->bss->hits = 100;
	bpf_map_lookup_elem(bpf_map__fd(skel->maps.bss), &zero, &hits);
	printf("hits written through mmap, read by lookup: %llu\n", (unsigned long long)hits);
	printf("attach %d\n", globals__attach(skel));
	globals__destroy(skel);
	return 0;
}
