/* btf_tool.c - test driver for the BTF part: round trips, dumps, validation, dedup
 * counts and kernel loads of raw .BTF/.BTF.ext files, for the shell tests. */
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ebpf/objfmt.h"

static void *read_all(const char *path, size_t *size)
{
	FILE *file = fopen(path, "rb");
	if (!file) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		exit(2);
	}
	size_t capacity = 4096, len = 0;
	char *data = malloc(capacity);
	size_t got;
	while (data && (got = fread(data + len, 1, capacity - len, file)) > 0) {
		len += got;
		if (len == capacity)
			data = realloc(data, capacity *= 2);
	}
	fclose(file);
	if (!data)
		exit(2);
	*size = len;
	return data;
}

static struct objfmt_btf *load(const char *path)
{
	size_t size;
	void *data = read_all(path, &size);
	struct objfmt_diag diag = { 0 };
	struct objfmt_btf *btf = objfmt_btf__decode(data, size, &diag);
	free(data);
	if (!btf) {
		fprintf(stderr, "%s: %s: %s\n", path, diag.where, diag.message);
		exit(1);
	}
	return btf;
}

static int same(const char *what, const void *a, size_t a_size, const void *b, size_t b_size)
{
	if (a_size == b_size && memcmp(a, b, a_size) == 0)
		return 1;
	fprintf(stderr, "%s: re-encoded %zu bytes differ from the %zu input bytes\n", what,
		a_size, b_size);
	return 0;
}

/* roundtrip BTF [EXT]: decode, encode (.BTF.ext first), compare bytes. */
static int round_trip(int argc, char **argv)
{
	size_t btf_size, ext_size = 0, out_size;
	void *btf_bytes = read_all(argv[2], &btf_size), *ext_bytes = NULL, *out;
	struct objfmt_btf *btf = load(argv[2]);
	int ok = 1;
	if (argc > 3) {
		struct objfmt_diag diag = { 0 };
		ext_bytes = read_all(argv[3], &ext_size);
		struct objfmt_btf_ext *ext = objfmt_btf_ext__decode(ext_bytes, ext_size, btf, &diag);
		if (!ext) {
			fprintf(stderr, "%s: %s: %s\n", argv[3], diag.where, diag.message);
			return 1;
		}
		if (objfmt_btf_ext__encode(ext, btf, &out, &out_size))
			return 1;
		ok &= same(argv[3], out, out_size, ext_bytes, ext_size);
		free(out);
		objfmt_btf_ext__free(ext);
	}
	if (objfmt_btf__encode(btf, &out, &out_size))
		return 1;
	ok &= same(argv[2], out, out_size, btf_bytes, btf_size);
	free(out);
	free(btf_bytes);
	free(ext_bytes);
	objfmt_btf__free(btf);
	return ok ? 0 : 1;
}

/* dedup-count A [B]: types left after appending B to A and deduplicating, not
 * counting VAR and DATASEC (which a linker merges by section, not by structure). */
static int dedup_count(int argc, char **argv)
{
	struct objfmt_btf *a = load(argv[2]), *b = argc > 3 ? load(argv[3]) : NULL;
	if ((b && objfmt_btf__append(a, b) < 0) || objfmt_btf__dedup(a, NULL) < 0)
		return 1;
	uint32_t n = 0;
	for (uint32_t id = 1; id <= objfmt_btf__type_count(a); id++) {
		enum objfmt_btf_kind kind = objfmt_btf__type(a, id)->kind;
		n += kind != OBJFMT_BTF_VAR && kind != OBJFMT_BTF_DATASEC;
	}
	printf("%u\n", n);
	objfmt_btf__free(a);
	objfmt_btf__free(b);
	return 0;
}

/* kernel BTF: load raw BTF with BPF_BTF_LOAD; prints "accepted" or "rejected". */
static int kernel_load(char **argv)
{
	size_t size;
	void *data = read_all(argv[2], &size);
	char log[4096] = "";
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.btf = (uint64_t)(uintptr_t)data;
	attr.btf_size = (uint32_t)size;
	attr.btf_log_buf = (uint64_t)(uintptr_t)log;
	attr.btf_log_size = sizeof(log);
	attr.btf_log_level = 1;
	/* verdict without a log (a full log buffer alone fails the load with ENOSPC),
	 * then the log for the message */
	attr.btf_log_level = 0;
	attr.btf_log_buf = 0;
	attr.btf_log_size = 0;
	long fd = syscall(__NR_bpf, BPF_BTF_LOAD, &attr, sizeof(attr));
	if (fd < 0 && errno == EINVAL) {
		attr.btf_log_buf = (uint64_t)(uintptr_t)log;
		attr.btf_log_size = sizeof(log);
		attr.btf_log_level = 1;
		syscall(__NR_bpf, BPF_BTF_LOAD, &attr, sizeof(attr));
		errno = EINVAL;
	}
	free(data);
	if (fd >= 0) {
		close((int)fd);
		printf("accepted\n");
		return 0;
	}
	if (errno == EPERM || errno == ENOSYS || errno == EACCES)
		return 77;
	const char *last = log;
	for (const char *p = log; *p; p++)
		if (*p == '\n' && p[1])
			last = p + 1;
	printf("rejected: %s", last);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "roundtrip") == 0)
		return round_trip(argc, argv);
	if (argc == 3 && strcmp(argv[1], "dump") == 0) {
		struct objfmt_btf *btf = load(argv[2]);
		int err = objfmt_btf__dump(btf, stdout);
		objfmt_btf__free(btf);
		return err ? 1 : 0;
	}
	if (argc == 3 && strcmp(argv[1], "validate") == 0) {
		struct objfmt_diag diag = { 0 };
		struct objfmt_btf *btf = load(argv[2]);
		if (objfmt_btf__validate(btf, &diag) == 0)
			printf("accepted\n");
		else
			printf("rejected: %s: %s\n", diag.where, diag.message);
		objfmt_btf__free(btf);
		return 0;
	}
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "dedup-count") == 0)
		return dedup_count(argc, argv);
	if (argc == 3 && strcmp(argv[1], "kernel") == 0)
		return kernel_load(argv);
	fprintf(stderr, "usage: btf_tool roundtrip BTF [EXT] | dump BTF | validate BTF |\n"
			"       dedup-count BTF [BTF] | kernel BTF\n");
	return 2;
}
