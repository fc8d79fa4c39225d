/* btf_libbpf_diff.c - differential test of BTF dedup against libbpf's btf__dedup
 * (loaded with dlopen, so the build does not need libbpf): a BTF merged with a
 * randomly mutated copy of itself must keep as many types (VAR and DATASEC aside)
 * after our dedup as after libbpf's. Rounds that add forward declarations are only
 * counted (the FWD rules differ, see below). Exits 77 without libbpf.so.1. */
#include <dlfcn.h>
#include <linux/btf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ebpf/objfmt.h"

struct libbpf {
	void *(*btf_new)(const void *data, uint32_t size);
	int (*btf_dedup)(void *btf, const void *opts);
	uint32_t (*btf_type_cnt)(const void *btf);
	const struct btf_type *(*btf_type_by_id)(const void *btf, uint32_t id);
	void (*btf_free)(void *btf);
};

static int load_libbpf(struct libbpf *lib)
{
	void *handle = dlopen("libbpf.so.1", RTLD_NOW);
	if (!handle)
		return -1;
	*(void **)&lib->btf_new = dlsym(handle, "btf__new");
	*(void **)&lib->btf_dedup = dlsym(handle, "btf__dedup");
	*(void **)&lib->btf_type_cnt = dlsym(handle, "btf__type_cnt");
	*(void **)&lib->btf_type_by_id = dlsym(handle, "btf__type_by_id");
	*(void **)&lib->btf_free = dlsym(handle, "btf__free");
	return lib->btf_new && lib->btf_dedup && lib->btf_type_cnt && lib->btf_type_by_id &&
	       lib->btf_free ? 0 : -1;
}

static int counted(unsigned kind)
{
	return kind != OBJFMT_BTF_VAR && kind != OBJFMT_BTF_DATASEC;
}

/* Types libbpf keeps after dedup, or -1 if it refuses the input. */
static long libbpf_count(const struct libbpf *lib, const void *bytes, size_t size)
{
	void *btf = lib->btf_new(bytes, (uint32_t)size);
	long n = 0;
	if (!btf || ((long)btf < 0 && (long)btf > -4096))
		return -1;
	if (lib->btf_dedup(btf, NULL)) {
		lib->btf_free(btf);
		return -1;
	}
	for (uint32_t id = 1; id < lib->btf_type_cnt(btf); id++)
		n += counted(BTF_INFO_KIND(lib->btf_type_by_id(btf, id)->info));
	lib->btf_free(btf);
	return n;
}

static long our_count(struct objfmt_btf *btf)
{
	long n = 0;
	if (objfmt_btf__dedup(btf, NULL))
		return -1;
	for (uint32_t id = 1; id <= objfmt_btf__type_count(btf); id++)
		n += counted(objfmt_btf__type(btf, id)->kind);
	return n;
}

static uint32_t rng_state;
static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return n ? (rng_state >> 8) % n : 0;
}

static int btf_kind_named_composite(const struct objfmt_btf_type *t)
{
	return (t->kind == OBJFMT_BTF_STRUCT || t->kind == OBJFMT_BTF_UNION) && t->name &&
	       *t->name;
}

/* One small change that keeps the BTF well formed, so libbpf accepts it too.
 * Returns 1 if it introduced a forward declaration. */
static int mutate(struct objfmt_btf *btf)
{
	static const char *const names[] = { "x", "renamed", "node", "value", "u32" };
	uint32_t id = 1 + rnd(objfmt_btf__type_count(btf));
	struct objfmt_btf_type *t = objfmt_btf__type_mut(btf, id);
	struct objfmt_btf_member *m = t->vlen ? &t->members[rnd(t->vlen)] : NULL;
	const struct objfmt_btf_type *target = objfmt_btf__type(btf, t->type);
	if (t->kind == OBJFMT_BTF_PTR && target && btf_kind_named_composite(target) && rnd(2)) {
		/* point at a forward declaration of the same struct instead */
		struct objfmt_btf_type fwd = { .kind = OBJFMT_BTF_FWD, .name = target->name,
					       .kind_flag = target->kind == OBJFMT_BTF_UNION };
		int fwd_id = objfmt_btf__add(btf, &fwd);
		if (fwd_id > 0)
			objfmt_btf__type_mut(btf, id)->type = (uint32_t)fwd_id;
		return 1;
	}
	switch (rnd(5)) {
	case 0:
		if (t->name && *t->name)
			t->name = names[rnd(5)];
		break;
	case 1:
		if (m && t->kind != OBJFMT_BTF_DATASEC && m->name && *m->name)
			m->name = names[rnd(5)];
		break;
	case 2:
		if (t->kind == OBJFMT_BTF_ENUM || t->kind == OBJFMT_BTF_ENUM64)
			m->value = (int64_t)((uint64_t)m->value + 1);
		break;
	case 3:
		if (t->kind == OBJFMT_BTF_ARRAY)
			t->array_nelems += 1;
		break;
	default:
		if (t->kind == OBJFMT_BTF_INT)
			t->int_encoding = t->int_encoding ? 0 : OBJFMT_BTF_INT_SIGNED;
		break;
	}
	return 0;
}

static void *read_file(const char *path, size_t *size)
{
	FILE *file = fopen(path, "rb");
	static char buf[1 << 20];
	if (!file)
		return NULL;
	*size = fread(buf, 1, sizeof(buf), file);
	fclose(file);
	void *copy = malloc(*size);
	memcpy(copy, buf, *size);
	return copy;
}

int main(int argc, char **argv)
{
	struct libbpf lib;
	size_t size;
	int rounds = argc > 2 ? atoi(argv[2]) : 200, agree = 0, total = 0, finer = 0;
	void *data = argc > 1 ? read_file(argv[1], &size) : NULL;
	if (!data) {
		fprintf(stderr, "usage: btf_libbpf_diff FILE.btf [ROUNDS [SEED]]\n");
		return 2;
	}
	if (load_libbpf(&lib)) {
		printf("SKIP: libbpf.so.1 not found\n");
		return 77;
	}
	rng_state = argc > 3 ? (uint32_t)atoi(argv[3]) : 1;
	for (int round = 0; round < rounds; round++) {
		struct objfmt_btf *btf = objfmt_btf__decode(data, size, NULL);
		struct objfmt_btf *copy = objfmt_btf__decode(data, size, NULL);
		int forwards = 0;
		for (int n = round ? 1 + (int)rnd(3) : 0; n > 0; n--)
			forwards |= mutate(copy);
		objfmt_btf__append(btf, copy);
		void *bytes;
		size_t len;
		objfmt_btf__encode(btf, &bytes, &len);
		if (getenv("BTF_DIFF_SAVE") && round == atoi(getenv("BTF_DIFF_ROUND"))) {
			FILE *out = fopen(getenv("BTF_DIFF_SAVE"), "wb");
			fwrite(bytes, 1, len, out);
			fclose(out);
		}
		long theirs = libbpf_count(&lib, bytes, len), ours = our_count(btf);
		free(bytes);
		objfmt_btf__free(btf);
		objfmt_btf__free(copy);
		if (theirs < 0)
			continue;
		total++;
		agree += theirs == ours;
		/* with forward declarations the two legitimately differ: libbpf matches a
		 * FWD to a same-named struct wherever it meets one (even when the name is
		 * ambiguous, and depending on its walk order); we resolve a FWD only when
		 * all structs of its name merge. Counted, not failed. */
		if (forwards && ours != theirs) {
			finer++;
			continue;
		}
		if (theirs != ours)
			printf("round %d: libbpf keeps %ld types, we keep %ld\n", round, theirs, ours);
	}
	printf("%s: %d/%d dedup results agree with libbpf; %d differ after FWD changes\n",
	       argv[1], agree, total, finer);
	free(data);
	return agree + finer == total && total > 0 ? 0 : 1;
}
