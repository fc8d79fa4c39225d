/* btf_dedup.c - structural deduplication of a BTF type graph. Types are grouped by
 * partition refinement (the coarsest grouping in which grouped types have the same
 * shape and reference grouped types), which also merges identical cyclic structures;
 * a FWD stands for the STRUCT/UNION of its name when that is consistent, and the
 * graph is rebuilt with one type per group. VAR and DATASEC are never merged (as in
 * libbpf).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btf_int.h"

/* Interns byte strings: equal strings get the same small number (from 1). */
struct interner {
	struct btf_buffer bytes; /* all interned strings back to back */
	size_t *offsets;         /* per class: offset of its string in bytes */
	size_t *lengths;         /* per class: length */
	uint32_t *slots;         /* hash slots holding class numbers, 0 = empty */
	size_t slot_count;       /* power of two */
	uint32_t count;          /* classes handed out */
};

static uint64_t bytes_hash(const uint8_t *p, size_t len)
{
	uint64_t hash = 1469598103934665603ull;
	for (size_t i = 0; i < len; i++)
		hash = (hash ^ p[i]) * 1099511628211ull;
	return hash;
}

static int interner_init(struct interner *in, uint32_t expected)
{
	memset(in, 0, sizeof(*in));
	in->slot_count = 64;
	while (in->slot_count < (size_t)expected * 2)
		in->slot_count *= 2;
	in->slots = calloc(in->slot_count, sizeof(*in->slots));
	in->offsets = malloc(((size_t)expected + 1) * sizeof(*in->offsets));
	in->lengths = malloc(((size_t)expected + 1) * sizeof(*in->lengths));
	return in->slots && in->offsets && in->lengths ? 0 : -ENOMEM;
}

static void interner_release(struct interner *in)
{
	free(in->bytes.data);
	free(in->offsets);
	free(in->lengths);
	free(in->slots);
}

/* Class of `key` (the last `len` bytes of in->bytes), dropping them if known. At most
 * `expected` distinct keys may be interned. */
static uint32_t interner_take(struct interner *in, size_t start)
{
	const uint8_t *key = in->bytes.data + start;
	size_t len = in->bytes.len - start;
	size_t mask = in->slot_count - 1;

	for (size_t i = bytes_hash(key, len) & mask;; i = (i + 1) & mask) {
		uint32_t class = in->slots[i];
		if (class == 0) {
			in->count++;
			in->slots[i] = in->count;
			in->offsets[in->count] = start;
			in->lengths[in->count] = len;
			return in->count;
		}
		if (in->lengths[class] == len &&
		    memcmp(in->bytes.data + in->offsets[class], key, len) == 0) {
			in->bytes.len = start;
			return class;
		}
	}
}

static void put_text(struct btf_buffer *buf, const char *text)
{
	btf_buffer_put(buf, text ? text : "", strlen(text ? text : "") + 1);
}

/* Everything about a type except the ids it references. */
static void put_shape(struct btf_buffer *buf, const struct objfmt_btf *btf, uint32_t id)
{
	const struct objfmt_btf_type *t = &btf->types[id];
	uint32_t scalars[] = { t->kind, t->kind_flag, t->size, t->int_encoding, t->int_offset,
			       t->int_bits, btf->extra[id].int_spare, t->array_nelems,
			       t->linkage, (uint32_t)t->component_idx, t->vlen };

	btf_buffer_put(buf, scalars, sizeof(scalars));
	if (t->kind == OBJFMT_BTF_ARRAY || t->kind == OBJFMT_BTF_FWD)
		btf_buffer_put_u32(buf, t->type); /* not a reference for these kinds */
	if (t->kind == OBJFMT_BTF_VAR || t->kind == OBJFMT_BTF_DATASEC)
		btf_buffer_put_u32(buf, id); /* never merged */
	put_text(buf, t->name);
	for (uint32_t i = 0; i < t->vlen; i++) {
		const struct objfmt_btf_member *m = &t->members[i];
		uint32_t fields[] = { m->bit_offset, m->bitfield, m->offset, m->size };
		btf_buffer_put(buf, fields, sizeof(fields));
		btf_buffer_put(buf, &m->value, sizeof(m->value));
		put_text(buf, m->name);
	}
}

/* Reference `i` of type t (in a fixed order per kind), or -1 past the last. */
static int64_t type_ref(const struct objfmt_btf_type *t, uint32_t i)
{
	switch (t->kind) {
	case OBJFMT_BTF_ARRAY:
		return i == 0 ? t->array_elem : i == 1 ? (int64_t)t->array_index : -1;
	case OBJFMT_BTF_STRUCT: case OBJFMT_BTF_UNION: case OBJFMT_BTF_DATASEC:
		return i < t->vlen ? (int64_t)t->members[i].type : -1;
	case OBJFMT_BTF_FUNC_PROTO:
		return i == 0 ? t->type : i <= t->vlen ? (int64_t)t->members[i - 1].type : -1;
	default:
		return btf_kind_has_target(t->kind) && i == 0 ? (int64_t)t->type : -1;
	}
}

/* Dedup state: class per type id, and where each reference points (FWDs redirected). */
struct dedup {
	struct objfmt_btf *btf;
	uint32_t *class;     /* class[id], class[0] = 0 for void */
	uint32_t *redirect;  /* redirect[id]: id references to `id` are read as */
	uint32_t classes;    /* number of classes */
};

/* A reference as refinement sees it: the class of what it names; a dangling id
 * (past the last type) is kept as itself so different ones stay apart. */
static void put_ref(struct btf_buffer *buf, const struct dedup *d, int64_t ref)
{
	if (ref > d->btf->count) {
		btf_buffer_put_u32(buf, UINT32_MAX);
		btf_buffer_put_u32(buf, (uint32_t)ref);
		return;
	}
	btf_buffer_put_u32(buf, ref <= 0 ? 0 : d->class[d->redirect[ref]]);
}

static int initial_partition(struct dedup *d)
{
	struct interner in;
	int err = interner_init(&in, d->btf->count);

	for (uint32_t id = 1; !err && id <= d->btf->count; id++) {
		size_t start = in.bytes.len;
		put_shape(&in.bytes, d->btf, id);
		if (in.bytes.failed)
			err = -ENOMEM;
		else
			d->class[id] = interner_take(&in, start);
	}
	d->classes = in.count;
	interner_release(&in);
	return err;
}

/* Split classes by the classes their references fall in, until nothing splits. */
static int refine(struct dedup *d)
{
	uint32_t *next = malloc(((size_t)d->btf->count + 1) * sizeof(*next));
	int err = next ? 0 : -ENOMEM;

	while (!err) {
		struct interner in;
		err = interner_init(&in, d->btf->count);
		for (uint32_t id = 1; !err && id <= d->btf->count; id++) {
			const struct objfmt_btf_type *t = &d->btf->types[id];
			size_t start = in.bytes.len;
			btf_buffer_put_u32(&in.bytes, d->class[id]);
			for (uint32_t i = 0; type_ref(t, i) >= 0; i++)
				put_ref(&in.bytes, d, type_ref(t, i));
			if (in.bytes.failed)
				err = -ENOMEM;
			else
				next[id] = interner_take(&in, start);
		}
		uint32_t count = in.count;
		interner_release(&in);
		if (err)
			break;
		memcpy(d->class + 1, next + 1, (size_t)d->btf->count * sizeof(*next));
		if (count == d->classes)
			break;
		d->classes = count;
	}
	free(next);
	return err;
}

/* FWD resolution, optimistically: every FWD first stands for the first STRUCT/UNION
 * of its name and kind; after refinement, a name whose STRUCT/UNIONs did not all end
 * up in one class is ambiguous, its FWDs go back to standing for themselves, and
 * refinement runs again. Redirects only ever get removed, so this ends; what stays
 * is the largest set of FWDs that can be resolved consistently (as libbpf's
 * hypothetical FWD == STRUCT equivalence does). */
struct forward_index {
	struct btf_strhash first[2]; /* name -> first STRUCT / UNION id */
	uint8_t *ambiguous;          /* per first id: its name has differing types */
};

static int forward_index_build(struct forward_index *fi, const struct objfmt_btf *btf)
{
	memset(fi, 0, sizeof(*fi));
	fi->ambiguous = calloc((size_t)btf->count + 1, 1);
	if (!fi->ambiguous)
		return -ENOMEM;
	for (uint32_t id = 1; id <= btf->count; id++) {
		const struct objfmt_btf_type *t = &btf->types[id];
		if (!btf_kind_is_composite(t->kind) || !t->name || !*t->name)
			continue;
		struct btf_strhash *index = &fi->first[t->kind == OBJFMT_BTF_UNION];
		if (!btf_strhash_get(index, t->name) && btf_strhash_put(index, t->name, id))
			return -ENOMEM;
	}
	return 0;
}

static void forward_index_release(struct forward_index *fi)
{
	btf_strhash_release(&fi->first[0]);
	btf_strhash_release(&fi->first[1]);
	free(fi->ambiguous);
}

/* First STRUCT/UNION a FWD could stand for, or 0. */
static uint32_t forward_target(const struct forward_index *fi, const struct objfmt_btf_type *t)
{
	if (t->kind != OBJFMT_BTF_FWD || !t->name || !*t->name)
		return 0;
	const struct btf_strhash_entry *e = btf_strhash_get(&fi->first[t->kind_flag ? 1 : 0],
							     t->name);
	return e ? e->offset : 0;
}

/* Mark names whose STRUCT/UNIONs differ; undo their FWD redirects. Returns 1 if any
 * redirect was undone. */
static int drop_ambiguous(struct dedup *d, struct forward_index *fi)
{
	int changed = 0;

	for (uint32_t id = 1; id <= d->btf->count; id++) {
		const struct objfmt_btf_type *t = &d->btf->types[id];
		if (!btf_kind_is_composite(t->kind) || !t->name || !*t->name)
			continue;
		const struct btf_strhash_entry *e =
			btf_strhash_get(&fi->first[t->kind == OBJFMT_BTF_UNION], t->name);
		if (e && d->class[e->offset] != d->class[id])
			fi->ambiguous[e->offset] = 1;
	}
	for (uint32_t id = 1; id <= d->btf->count; id++) {
		uint32_t target = forward_target(fi, &d->btf->types[id]);
		if (target && d->redirect[id] != id && fi->ambiguous[target]) {
			d->redirect[id] = id;
			changed = 1;
		}
	}
	return changed;
}

static int partition(struct dedup *d)
{
	int err = initial_partition(d);
	return err ? err : refine(d);
}

static int resolve_forwards(struct dedup *d)
{
	struct forward_index fi;
	int err = forward_index_build(&fi, d->btf);

	for (uint32_t id = 1; !err && id <= d->btf->count; id++) {
		uint32_t target = forward_target(&fi, &d->btf->types[id]);
		if (target)
			d->redirect[id] = target;
	}
	while (!err) {
		err = partition(d);
		if (err || !drop_ambiguous(d, &fi))
			break;
	}
	forward_index_release(&fi);
	return err;
}

static uint32_t remap_ref(const uint32_t *remap, uint32_t count, uint32_t ref)
{
	return ref <= count ? remap[ref] : ref;
}

static void remap_refs(struct objfmt_btf_type *t, const uint32_t *remap, uint32_t count)
{
	switch (t->kind) {
	case OBJFMT_BTF_ARRAY:
		t->array_elem = remap_ref(remap, count, t->array_elem);
		t->array_index = remap_ref(remap, count, t->array_index);
		return;
	case OBJFMT_BTF_FUNC_PROTO:
		t->type = remap_ref(remap, count, t->type);
		/* fall through */
	case OBJFMT_BTF_STRUCT: case OBJFMT_BTF_UNION: case OBJFMT_BTF_DATASEC:
		for (uint32_t i = 0; i < t->vlen; i++)
			t->members[i].type = remap_ref(remap, count, t->members[i].type);
		return;
	default:
		if (btf_kind_has_target(t->kind))
			t->type = remap_ref(remap, count, t->type);
		return;
	}
}

/* Number the first type of each class in id order; everything maps to its class's. */
static int build_remap(const struct dedup *d, uint32_t *remap, uint32_t *kept)
{
	uint32_t count = d->btf->count;
	uint32_t *first_of_class = calloc((size_t)d->classes + 1, sizeof(*first_of_class));

	if (!first_of_class)
		return -ENOMEM;
	*kept = 0;
	remap[0] = 0;
	for (uint32_t id = 1; id <= count; id++) {
		uint32_t class = d->class[id];
		if (d->redirect[id] != id)
			continue;
		if (!first_of_class[class])
			first_of_class[class] = ++*kept;
		remap[id] = first_of_class[class];
	}
	for (uint32_t id = 1; id <= count; id++)
		if (d->redirect[id] != id)
			remap[id] = remap[d->redirect[id]];
	free(first_of_class);
	return 0;
}

/* Move the kept types (first of their class, not a resolved FWD) down to their new
 * ids and free the others. */
static void compact(struct objfmt_btf *btf, const uint32_t *remap, const uint32_t *redirect,
		    uint32_t kept)
{
	uint32_t count = btf->count, next = 1;

	for (uint32_t id = 1; id <= count; id++) {
		if (redirect[id] == id && remap[id] == next && next <= kept) {
			struct objfmt_btf_type t = btf->types[id];
			struct btf_type_extra extra = btf->extra[id];
			remap_refs(&t, remap, count);
			btf->types[next] = t;
			btf->extra[next] = extra;
			next++;
		} else {
			free(btf->types[id].members);
		}
	}
	btf->count = kept;
}

int objfmt_btf__dedup(struct objfmt_btf *btf, uint32_t **remap_out)
{
	if (!btf)
		return -EINVAL;
	size_t n = (size_t)btf->count + 1;
	struct dedup d = { .btf = btf };
	uint32_t *remap = malloc(n * sizeof(*remap)), kept = 0;
	d.class = calloc(n, sizeof(*d.class));
	d.redirect = malloc(n * sizeof(*d.redirect));
	int err = remap && d.class && d.redirect ? 0 : -ENOMEM;

	for (size_t id = 0; !err && id < n; id++)
		d.redirect[id] = (uint32_t)id;
	if (!err)
		err = resolve_forwards(&d);
	if (!err)
		err = build_remap(&d, remap, &kept);
	if (!err)
		compact(btf, remap, d.redirect, kept);
	free(d.class);
	free(d.redirect);
	if (err || !remap_out)
		free(remap);
	else
		*remap_out = remap;
	return err;
}
