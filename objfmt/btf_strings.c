/* btf_strings.c - the BTF string table: the decoded section kept verbatim, strings
 * appended after it, and a content index so each text is stored once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btf_int.h"

#define ARENA_BLOCK_MIN 4096

/* Eight bytes at a time (line_info texts are whole source lines): multiply and fold
 * each word, then the tail and the length. */
static uint32_t hash_bytes(const char *text, size_t len)
{
	const uint64_t k = 0xff51afd7ed558ccdull;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ len, word;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&word, text + i, 8);
		h = (h ^ word) * k;
		h ^= h >> 32;
	}
	word = 0;
	memcpy(&word, text + i, len - i);
	h = (h ^ word) * k;
	h ^= h >> 29;
	return (uint32_t)(h ^ (h >> 32));
}

uint32_t btf_strhash_hash(const char *text)
{
	return hash_bytes(text, strlen(text));
}

static const struct btf_strhash_entry *strhash_find(const struct btf_strhash *hash,
						    const char *text, uint32_t h)
{
	if (hash->capacity == 0)
		return NULL;
	size_t mask = hash->capacity - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		const struct btf_strhash_entry *slot = &hash->slots[i];
		if (!slot->text)
			return NULL;
		if (slot->hash == h && strcmp(slot->text, text) == 0)
			return slot;
	}
}

const struct btf_strhash_entry *btf_strhash_get(const struct btf_strhash *hash,
						const char *text)
{
	return hash->capacity ? strhash_find(hash, text, btf_strhash_hash(text)) : NULL;
}

static void strhash_insert_slot(struct btf_strhash_entry *slots, size_t capacity,
				const struct btf_strhash_entry *entry)
{
	size_t mask = capacity - 1;
	size_t i = entry->hash & mask;

	while (slots[i].text)
		i = (i + 1) & mask;
	slots[i] = *entry;
}

static int strhash_grow(struct btf_strhash *hash)
{
	size_t capacity = hash->capacity ? hash->capacity * 2 : 64;
	struct btf_strhash_entry *slots = calloc(capacity, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < hash->capacity; i++)
		if (hash->slots[i].text)
			strhash_insert_slot(slots, capacity, &hash->slots[i]);
	free(hash->slots);
	hash->slots = slots;
	hash->capacity = capacity;
	return 0;
}

/* Add text (hash h, known absent) -> offset. */
static int strhash_add(struct btf_strhash *hash, const char *text, uint32_t offset,
		       uint32_t h)
{
	struct btf_strhash_entry entry = { .text = text, .offset = offset, .hash = h };

	if ((hash->count + 1) * 4 > hash->capacity * 3) {
		int err = strhash_grow(hash);
		if (err)
			return err;
	}
	strhash_insert_slot(hash->slots, hash->capacity, &entry);
	hash->count++;
	return 0;
}

/* Record text -> offset unless the text is already indexed (first offset wins). */
int btf_strhash_put(struct btf_strhash *hash, const char *text, uint32_t offset)
{
	uint32_t h = btf_strhash_hash(text);

	if (strhash_find(hash, text, h))
		return 0;
	return strhash_add(hash, text, offset, h);
}

void btf_strhash_release(struct btf_strhash *hash)
{
	free(hash->slots);
	memset(hash, 0, sizeof(*hash));
}

void btf_strtab_init(struct btf_strtab *tab)
{
	memset(tab, 0, sizeof(*tab));
}

void btf_strtab_release(struct btf_strtab *tab)
{
	struct btf_arena_block *block = tab->arena;

	while (block) {
		struct btf_arena_block *next = block->next;
		free(block);
		block = next;
	}
	free(tab->base);
	free(tab->tail);
	btf_strhash_release(&tab->index);
	btf_strtab_init(tab);
}

/* The decoded section is indexed only when a string is first interned: names of
 * decoded types point into it, so reading a big BTF never needs the index. */
int btf_strtab_set_base(struct btf_strtab *tab, char *data, uint32_t size)
{
	btf_strtab_release(tab);
	tab->base = data;
	tab->base_len = size;
	tab->base_indexed = size == 0;
	return 0;
}

/* Index every string that starts the base or follows a NUL in it (before any
 * appended string, so the base's offsets win). */
static int strtab_index_base(struct btf_strtab *tab)
{
	for (uint32_t off = 0; !tab->base_indexed && off < tab->base_len;
	     off += strlen(tab->base + off) + 1) {
		int err = btf_strhash_put(&tab->index, tab->base + off, off);
		if (err)
			return err;
	}
	tab->base_indexed = true;
	return 0;
}

/* First string of the unindexed base equal to text, as the index would find it. */
static int64_t base_scan(const struct btf_strtab *tab, const char *text)
{
	for (uint32_t off = 0; off < tab->base_len; off += strlen(tab->base + off) + 1)
		if (strcmp(tab->base + off, text) == 0)
			return off;
	return -1;
}

int64_t btf_strtab_find(const struct btf_strtab *tab, const char *text)
{
	if (!text)
		text = "";
	if (tab->base && text >= tab->base && text < tab->base + tab->base_len)
		return text - tab->base;
	if (!tab->base_indexed) {
		int64_t off = base_scan(tab, text);
		if (off >= 0)
			return off;
	}
	const struct btf_strhash_entry *entry = btf_strhash_get(&tab->index, text);
	return entry ? (int64_t)entry->offset : -1;
}

static const char *arena_copy(struct btf_strtab *tab, const char *text, size_t len)
{
	struct btf_arena_block *block = tab->arena;

	if (!block || block->capacity - block->used < len + 1) {
		size_t capacity = len + 1 > ARENA_BLOCK_MIN ? len + 1 : ARENA_BLOCK_MIN;
		block = malloc(sizeof(*block) + capacity);
		if (!block)
			return NULL;
		block->next = tab->arena;
		block->used = 0;
		block->capacity = capacity;
		tab->arena = block;
	}
	char *copy = block->data + block->used;
	memcpy(copy, text, len + 1);
	block->used += len + 1;
	return copy;
}

static int tail_append(struct btf_strtab *tab, const char *text, size_t len)
{
	uint64_t need = (uint64_t)tab->tail_len + len + 1;

	if ((uint64_t)tab->base_len + need > UINT32_MAX)
		return -E2BIG;
	if (need > tab->tail_capacity) {
		uint64_t capacity = tab->tail_capacity ? tab->tail_capacity : 256;
		while (capacity < need)
			capacity *= 2;
		if (capacity > UINT32_MAX)
			capacity = UINT32_MAX;
		char *tail = realloc(tab->tail, capacity);
		if (!tail)
			return -ENOMEM;
		tab->tail = tail;
		tab->tail_capacity = (uint32_t)capacity;
	}
	memcpy(tab->tail + tab->tail_len, text, len + 1);
	tab->tail_len += (uint32_t)(len + 1);
	return 0;
}

/* A fresh table starts with the empty string at offset 0, as BTF requires. */
int64_t btf_strtab_intern(struct btf_strtab *tab, const char *text, const char **stable)
{
	if (!text)
		text = "";
	if (!tab->base && tab->tail_len == 0 && *text) {
		const char *empty;
		int64_t err = btf_strtab_intern(tab, "", &empty);
		if (err < 0)
			return err;
	}
	if (tab->base && text >= tab->base && text < tab->base + tab->base_len) {
		*stable = text;
		return text - tab->base;
	}
	int err = strtab_index_base(tab);
	if (err)
		return err;
	size_t len = strlen(text);
	uint32_t h = hash_bytes(text, len);
	const struct btf_strhash_entry *entry = strhash_find(&tab->index, text, h);
	if (entry) {
		*stable = entry->text;
		return entry->offset;
	}
	uint32_t offset = tab->base_len + tab->tail_len;
	const char *copy = arena_copy(tab, text, len);
	if (!copy)
		return -ENOMEM;
	err = tail_append(tab, text, len);
	if (!err)
		err = strhash_add(&tab->index, copy, offset, h);
	if (err)
		return err;
	*stable = copy;
	return offset;
}

const char *btf_strtab_at(const struct btf_strtab *tab, uint32_t offset)
{
	if (offset < tab->base_len)
		return tab->base + offset; /* base ends with NUL (checked when decoded) */
	offset -= tab->base_len;
	if (offset >= tab->tail_len)
		return NULL;
	/* Prefer the stable copy; a suffix of an appended string borrows the tail. */
	const char *text = tab->tail + offset;
	const struct btf_strhash_entry *entry = btf_strhash_get(&tab->index, text);
	if (entry && entry->offset == tab->base_len + offset)
		return entry->text;
	return text;
}

uint32_t btf_strtab_size(const struct btf_strtab *tab)
{
	return tab->base_len + tab->tail_len;
}

static int buffer_reserve(struct btf_buffer *buf, size_t extra)
{
	if (buf->failed)
		return -ENOMEM;
	if (buf->len + extra <= buf->capacity)
		return 0;
	size_t capacity = buf->capacity ? buf->capacity : 256;
	while (capacity < buf->len + extra)
		capacity *= 2;
	uint8_t *data = realloc(buf->data, capacity);
	if (!data) {
		buf->failed = 1;
		return -ENOMEM;
	}
	buf->data = data;
	buf->capacity = capacity;
	return 0;
}

void btf_buffer_put(struct btf_buffer *buf, const void *bytes, size_t len)
{
	if (len == 0 || buffer_reserve(buf, len))
		return;
	memcpy(buf->data + buf->len, bytes, len);
	buf->len += len;
}

void btf_buffer_put_u32(struct btf_buffer *buf, uint32_t value)
{
	uint8_t bytes[4] = { value, value >> 8, value >> 16, value >> 24 };
	btf_buffer_put(buf, bytes, 4);
}

void btf_buffer_put_u16(struct btf_buffer *buf, uint16_t value)
{
	uint8_t bytes[2] = { value, value >> 8 };
	btf_buffer_put(buf, bytes, 2);
}

void btf_buffer_put_u8(struct btf_buffer *buf, uint8_t value)
{
	btf_buffer_put(buf, &value, 1);
}

void btf_buffer_patch_u32(struct btf_buffer *buf, size_t at, uint32_t value)
{
	if (buf->failed || at + 4 > buf->len)
		return;
	uint8_t bytes[4] = { value, value >> 8, value >> 16, value >> 24 };
	memcpy(buf->data + at, bytes, 4);
}
