/* btf_test_util.c - reading test data files for the BTF Check suites. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "btf_test_util.h"

void *btf_test_read(const char *name, size_t *size)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", BTF_TEST_DATA, name);
	FILE *file = fopen(path, "rb");
	ck_assert_msg(file != NULL, "cannot open %s", path);
	fseek(file, 0, SEEK_END);
	long len = ftell(file);
	fseek(file, 0, SEEK_SET);
	void *data = malloc(len ? (size_t)len : 1);
	ck_assert_ptr_nonnull(data);
	ck_assert_uint_eq(fread(data, 1, (size_t)len, file), (size_t)len);
	fclose(file);
	*size = (size_t)len;
	return data;
}
