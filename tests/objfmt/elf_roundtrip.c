/* elf_roundtrip.c - test driver for the tool tests: read IN.o, write OUT.o, and check
 * read->write->read identity, byte-identical sections, clang's layout and that writing
 * again reproduces OUT.o exactly. Exit 0 when all hold, 1 with the first difference. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_test_util.h"

static int fail(const char *input, const char *what, const char *detail)
{
	fprintf(stderr, "%s: %s: %s\n", input, what, detail);
	return 1;
}

static int check(const char *input, const char *output)
{
	struct objfmt_diag diag = { { 0 }, { 0 } };
	char why[TEST_WHY_SIZE] = "";
	size_t size = 0, written_size = 0, again_size = 0;
	uint8_t *image = test_load_file(input, &size);
	struct objfmt_object *first = objfmt_elf_read_file(input, &diag);
	struct objfmt_object *second = NULL;
	uint8_t *written = NULL;
	void *again = NULL;
	int status = 1;

	if (!image || !first)
		status = fail(input, diag.where, diag.message);
	else if (!object_matches_file(first, image, why))
		status = fail(input, "read", why);
	else if (objfmt_elf_write_file(first, output, &diag) != 0)
		status = fail(input, diag.where, diag.message);
	else if (!(written = test_load_file(output, &written_size)))
		status = fail(input, output, "cannot load");
	else if (!(second = objfmt_elf_read_mem(written, written_size, output, &diag)))
		status = fail(input, diag.where, diag.message);
	else if (!objects_equal(first, second, why) || !object_matches_file(second, image, why))
		status = fail(input, "read->write->read", why);
	else if (!layout_is_clangs(written, written_size, why))
		status = fail(input, "layout", why);
	else if (objfmt_elf_write_mem(second, &again, &again_size, &diag) != 0)
		status = fail(input, diag.where, diag.message);
	else if (again_size != written_size || memcmp(again, written, written_size))
		status = fail(input, "rewrite", "second write differs from the first");
	else
		status = 0;
	free(again);
	free(written);
	free(image);
	objfmt_object__free(second);
	objfmt_object__free(first);
	return status;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: elf_roundtrip IN.o OUT.o\n");
		return 2;
	}
	return check(argv[1], argv[2]);
}
