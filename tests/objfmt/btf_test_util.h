/* btf_test_util.h - shared helpers of the BTF Check suites: read a test data file
 * from the source tree's btf/ folder. */
#ifndef BTF_TEST_UTIL_H
#define BTF_TEST_UTIL_H

#include <stddef.h>

/* Contents of BTF_TEST_DATA "/" name (malloc'ed, caller frees); aborts the test on
 * failure. */
void *btf_test_read(const char *name, size_t *size);

#endif
