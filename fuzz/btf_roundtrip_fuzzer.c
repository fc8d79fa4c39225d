/* btf_roundtrip_fuzzer.c - libFuzzer target for the BTF part with round-trip oracles:
 * input = 2-byte split, .BTF bytes, .BTF.ext bytes. Whatever decodes must re-encode
 * to bytes that decode again and re-encode identically; validate, dump, size,
 * resolve and dedup must not fault on any decoded graph. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ebpf/objfmt.h"

static void check_btf_round_trip(const struct objfmt_btf *btf)
{
	void *first, *second;
	size_t first_size, second_size;

	if (objfmt_btf__encode(btf, &first, &first_size))
		return;
	struct objfmt_btf *again = objfmt_btf__decode(first, first_size, NULL);
	if (!again || objfmt_btf__encode(again, &second, &second_size))
		abort();
	if (second_size != first_size || memcmp(first, second, first_size))
		abort();
	free(second);
	objfmt_btf__free(again);
	free(first);
}

static void check_ext_round_trip(const unsigned char *data, size_t size,
				 struct objfmt_btf *btf)
{
	struct objfmt_diag diag;
	struct objfmt_btf_ext *ext = objfmt_btf_ext__decode(data, size, btf, &diag);
	void *out;
	size_t out_size;

	if (!ext)
		return;
	if (objfmt_btf_ext__encode(ext, btf, &out, &out_size) == 0) {
		struct objfmt_btf_ext *again = objfmt_btf_ext__decode(out, out_size, btf, &diag);
		if (!again)
			abort();
		objfmt_btf_ext__free(again);
		free(out);
	}
	objfmt_btf_ext__free(ext);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static FILE *sink;
	struct objfmt_diag diag;

	if (size < 4)
		return 0;
	if (!sink)
		sink = fopen("/dev/null", "w");
	size_t split = (size_t)(data[0] | data[1] << 8) % size;
	size_t btf_size = split > 2 ? split - 2 : 0;
	struct objfmt_btf *btf = objfmt_btf__decode(data + 2, btf_size, &diag);
	if (!btf)
		return 0;
	objfmt_btf__dump(btf, sink);
	objfmt_btf__validate(btf, &diag);
	for (uint32_t id = 0; id <= objfmt_btf__type_count(btf) + 1; id++) {
		objfmt_btf__size(btf, id);
		objfmt_btf__resolve(btf, id);
	}
	check_ext_round_trip(data + split, size - split, btf);
	check_btf_round_trip(btf);
	uint32_t *remap = NULL;
	if (objfmt_btf__dedup(btf, &remap) == 0)
		objfmt_btf__validate(btf, &diag);
	free(remap);
	objfmt_btf__free(btf);
	return 0;
}
