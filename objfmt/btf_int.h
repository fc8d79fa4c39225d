/* btf_int.h - internals of the BTF part of libobjfmt: the type graph storage and the
 * string table shared by .BTF and .BTF.ext. Never installed, never included outside
 * objfmt/.
 */
#ifndef OBJFMT_BTF_INT_H
#define OBJFMT_BTF_INT_H

#include <stddef.h>
#include <stdint.h>

#include "ebpf/objfmt.h"

/* On-disk constants (kernel UAPI linux/btf.h). */
#define BTF_MAGIC_VALUE 0xeB9F
#define BTF_VERSION_VALUE 1
#define BTF_HEADER_LEN 24
#define BTF_TYPE_LEN 12
#define BTF_MAX_VLEN 0xffff
#define BTF_MAX_KIND OBJFMT_BTF_ENUM64

/* Content index: string text -> offset in the table (open addressing; the hash only
 * places entries, it never shows in what is encoded). */
struct btf_strhash_entry {
	const char *text; /* NUL-terminated; borrowed from the table's stable storage */
	uint32_t offset;  /* byte offset in the string table */
	uint32_t hash;    /* btf_strhash_hash(text) */
};
struct btf_strhash {
	struct btf_strhash_entry *slots; /* capacity entries; text == NULL when empty */
	size_t capacity;                 /* power of two, or 0 */
	size_t count;                    /* used slots */
};

/* Block of stable storage for strings appended after decoding. */
struct btf_arena_block {
	struct btf_arena_block *next; /* older block */
	size_t used;                  /* bytes used in data */
	size_t capacity;              /* bytes available in data */
	char data[];                  /* string copies */
};

/* The string table. Offsets below base_len address the decoded string section, which
 * is kept verbatim (so decode->encode reproduces it byte for byte, duplicates and
 * suffix references included); later strings are appended after it. Pointers handed
 * out (type and member names) stay valid until the BTF is freed. */
struct btf_strtab {
	char *base;                    /* decoded string section (never reallocated) */
	uint32_t base_len;             /* its length */
	char *tail;                    /* bytes appended after base (offsets base_len..) */
	uint32_t tail_len;             /* bytes used in tail */
	uint32_t tail_capacity;        /* bytes allocated for tail */
	struct btf_strhash index;      /* text -> first offset, for base and tail */
	bool base_indexed;             /* base is in index (built on the first intern:
					  decoding vmlinux need not hash 100k names) */
	struct btf_arena_block *arena; /* stable copies of appended strings */
};

/* What the library keeps per type beside the public struct. */
struct btf_type_extra {
	uint32_t member_capacity; /* allocated entries of members[] */
	uint8_t int_spare;        /* INT: bits 8-15 of the data word; the kernel ignores
				     them, we keep them so re-encoding is lossless */
};

/* The type graph: types[1..count]; types[0] is unused (void). */
struct objfmt_btf {
	struct objfmt_btf_type *types;  /* count + 1 entries */
	struct btf_type_extra *extra;   /* count + 1 entries, parallel to types */
	uint32_t count;                 /* number of types */
	uint32_t capacity;              /* allocated entries of types[] */
	struct btf_strtab strings;      /* names of types and members, .BTF.ext strings */
};

/* Growable little-endian output buffer used by the encoders. `failed` latches the
 * first allocation failure so callers check once at the end. */
struct btf_buffer {
	uint8_t *data;   /* malloc'ed bytes */
	size_t len;      /* bytes written */
	size_t capacity; /* bytes allocated */
	int failed;      /* nonzero after an allocation failure */
};
void btf_buffer_put(struct btf_buffer *buf, const void *bytes, size_t len);
void btf_buffer_put_u32(struct btf_buffer *buf, uint32_t value);
void btf_buffer_put_u16(struct btf_buffer *buf, uint16_t value);
void btf_buffer_put_u8(struct btf_buffer *buf, uint8_t value);
/* Overwrite 4 bytes at `at` (already written). */
void btf_buffer_patch_u32(struct btf_buffer *buf, size_t at, uint32_t value);

/* Read a little-endian u32/u16 from unaligned bytes. */
static inline uint32_t btf_read_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}
static inline uint16_t btf_read_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* Make room for `more` types in btf->types and btf->extra (btf.c). */
int btf_reserve(struct objfmt_btf *btf, uint32_t more);

/* String table operations (btf_strings.c). */
void btf_strtab_init(struct btf_strtab *tab);
void btf_strtab_release(struct btf_strtab *tab);
/* Take over `data` (size bytes, validated: starts and ends with NUL) as the base. */
int btf_strtab_set_base(struct btf_strtab *tab, char *data, uint32_t size);
/* Offset of `text` if the table holds it (pointer into base first, then by content);
 * -1 if absent. */
int64_t btf_strtab_find(const struct btf_strtab *tab, const char *text);
/* Offset of `text`, appending it if absent; *stable receives the table's own copy.
 * Returns the offset or a negative errno. */
int64_t btf_strtab_intern(struct btf_strtab *tab, const char *text, const char **stable);
/* String at `offset`, or NULL if out of range / not terminated inside the table. */
const char *btf_strtab_at(const struct btf_strtab *tab, uint32_t offset);
/* Total table size in bytes (base + tail). */
uint32_t btf_strtab_size(const struct btf_strtab *tab);

/* Index helpers, also used by the encoder for strings it must add to a copy. */
uint32_t btf_strhash_hash(const char *text);
const struct btf_strhash_entry *btf_strhash_get(const struct btf_strhash *hash,
						const char *text);
int btf_strhash_put(struct btf_strhash *hash, const char *text, uint32_t offset);
void btf_strhash_release(struct btf_strhash *hash);

/* Validator internals (btf_validate.c, btf_resolve.c). fault: fill diag for type
 * `id` ("BTF type [7] STRUCT 'node'"), return -EINVAL. has_name: the name's offset in
 * the string table is not 0 (the kernel's test for "named"). resolve_all: the
 * kernel's resolve pass; meta rules must have passed (ids in range). */
int btf_validate_fault(const struct objfmt_btf *btf, uint32_t id, struct objfmt_diag *diag,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int btf_validate_has_name(const struct objfmt_btf *btf, const char *name);
int btf_resolve_all(const struct objfmt_btf *btf, struct objfmt_diag *diag);

/* Name of a kind as bpftool prints it ("STRUCT"), "UNKN" for unknown kinds. */
const char *btf_kind_name(enum objfmt_btf_kind kind);
/* True if kind stores its target in `type` (PTR, TYPEDEF, CV, FUNC, VAR, tags). */
int btf_kind_has_target(enum objfmt_btf_kind kind);
/* True for kinds whose members[] are struct/union fields. */
int btf_kind_is_composite(enum objfmt_btf_kind kind);

#endif /* OBJFMT_BTF_INT_H */
