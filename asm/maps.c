/* maps.c - the .map directive: a libbpf BTF-defined map in .maps (the struct of
 * __uint(type/key_size/value_size/max_entries/map_flags/pinning) pointers, and
 * __array(values, ...) with static initializers relocated through .rel.maps as clang
 * does) plus the .BTF types and DATASEC that describe it. */
#include <config.h>

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm_int.h"

enum { MAP_FIELDS = 6 }; /* type, key_size, value_size, max_entries, map_flags, pinning */

static const char *const field_names[MAP_FIELDS] = {
	"type", "key_size", "value_size", "max_entries", "map_flags", "pinning",
};

struct asm_map_def {
	const char *name;
	int64_t fields[MAP_FIELDS];   /* values; -1 = not given */
	const char *inner;            /* inner_map=NAME */
	size_t value_count;           /* values=... entries */
	uint64_t offset;              /* offset in .maps */
	uint32_t btf_struct;          /* STRUCT id once emitted */
	struct asm_loc loc;
};

/* UAPI enum bpf_map_type, in order (index = value). */
static const char *const map_types[] = {
	"unspec", "hash", "array", "prog_array", "perf_event_array", "percpu_hash",
	"percpu_array", "stack_trace", "cgroup_array", "lru_hash", "lru_percpu_hash",
	"lpm_trie", "array_of_maps", "hash_of_maps", "devmap", "sockmap", "cpumap", "xskmap",
	"sockhash", "cgroup_storage", "reuseport_sockarray", "percpu_cgroup_storage", "queue",
	"stack", "sk_storage", "devmap_hash", "struct_ops", "ringbuf", "inode_storage",
	"task_storage", "bloom_filter", "user_ringbuf", "cgrp_storage", "arena",
};
#define MAP_TYPE_COUNT (sizeof(map_types) / sizeof(map_types[0]))

static int map_type_value(const char *word)
{
	char lower[64];
	size_t n = 0;

	if (!strncmp(word, "BPF_MAP_TYPE_", 13))
		word += 13;
	for (; *word && n + 1 < sizeof(lower); word++)
		lower[n++] = (char)(*word >= 'A' && *word <= 'Z' ? *word + 32 : *word);
	lower[n] = '\0';
	for (size_t i = 0; i < MAP_TYPE_COUNT; i++)
		if (!strcmp(map_types[i], lower))
			return (int)i;
	return -1;
}

static bool type_field(struct asm_context *ctx, const struct asm_arg *arg, int64_t *out)
{
	struct asm_value v;
	int type;

	if (arg->expr->kind == ASM_EXPR_SYMBOL && !arg->expr->right) {
		type = map_type_value(arg->expr->name);
		if (type < 0) {
			const char *guess = asm_nearest(arg->expr->name, map_types, MAP_TYPE_COUNT);

			asm_error(ctx, arg->expr->loc, "unknown map type '%s'%s%s%s", arg->expr->name,
				  guess ? "; did you mean '" : "", guess ? guess : "", guess ? "'?" : "");
			return false;
		}
		*out = type;
		return true;
	}
	if (asm_expr_eval(ctx, arg->expr, &v))
		return false;
	*out = v.addend;
	return !v.symbol;
}

static bool number_field(struct asm_context *ctx, const struct asm_arg *arg, int64_t *out)
{
	struct asm_value v;

	if (!strcmp(arg->text, "pinning") && arg->expr->kind == ASM_EXPR_SYMBOL) {
		if (!strcmp(arg->expr->name, "by_name") || !strcmp(arg->expr->name, "none")) {
			*out = arg->expr->name[0] == 'b';
			return true;
		}
		asm_error(ctx, arg->expr->loc, "unknown pinning '%s': expected by_name or none",
			  arg->expr->name);
		return false;
	}
	if (arg->expr->right || asm_expr_eval(ctx, arg->expr, &v))
		return false;
	if (v.symbol || v.addend < 0 || v.addend > UINT32_MAX) {
		asm_error(ctx, arg->expr->loc, "'%s' must be a number from 0 to 4294967295",
			  arg->text);
		return false;
	}
	*out = v.addend;
	return true;
}

static int field_index(const char *key)
{
	for (int i = 0; i < MAP_FIELDS; i++)
		if (!strcmp(field_names[i], key))
			return i;
	return -1;
}

static bool parse_key(struct asm_context *ctx, struct asm_map_def *map,
		      const struct asm_arg *arg, struct asm_expr **values)
{
	static const char *const keys[] = { "type", "key_size", "value_size", "max_entries",
					    "map_flags", "pinning", "inner_map", "values" };
	int field = field_index(arg->text);

	if (field == 0)
		return type_field(ctx, arg, &map->fields[0]);
	if (field > 0)
		return number_field(ctx, arg, &map->fields[field]);
	if (!strcmp(arg->text, "inner_map") && arg->expr->kind == ASM_EXPR_SYMBOL) {
		map->inner = arg->expr->name;
		return true;
	}
	if (!strcmp(arg->text, "values")) {
		*values = arg->expr;
		return true;
	}
	const char *guess = asm_nearest(arg->text, keys, sizeof(keys) / sizeof(keys[0]));
	asm_error(ctx, arg->loc, "unknown .map attribute '%s'%s%s%s", arg->text,
		  guess ? "; did you mean '" : "", guess ? guess : "", guess ? "'?" : "");
	return false;
}

static struct asm_map_def *new_map(struct asm_context *ctx)
{
	ctx->retain = true; /* names and value expressions stay referenced */
	if (ctx->map_count == ctx->map_capacity) {
		size_t cap = ctx->map_capacity ? ctx->map_capacity * 2 : 8;
		struct asm_map_def *grown = realloc(ctx->maps, cap * sizeof(*grown));

		if (!grown)
			return NULL;
		ctx->maps = grown;
		ctx->map_capacity = cap;
	}
	memset(&ctx->maps[ctx->map_count], 0, sizeof(ctx->maps[0]));
	return &ctx->maps[ctx->map_count++];
}

static size_t member_count(const struct asm_map_def *map)
{
	size_t n = 0;

	for (int i = 0; i < MAP_FIELDS; i++)
		n += map->fields[i] >= 0;
	return n;
}

/* Lay the map out in .maps: one 8-byte slot per __uint member, then values[]. */
static void place_map(struct asm_context *ctx, struct asm_map_def *map, struct asm_expr *values)
{
	size_t previous = ctx->current, count = 0;
	struct asm_expr *list[1024];
	struct asm_symbol *sym;

	for (struct asm_expr *v = values; v && count < 1024; v = v->right)
		list[count++] = v;
	map->value_count = count;
	asm_section_switch(ctx, ".maps", map->loc);
	asm_current_section(ctx)->flags = SHF_ALLOC | SHF_WRITE;
	while (asm_current_section(ctx)->size % 8)
		asm_section_append(ctx, NULL, 1);
	if (asm_current_section(ctx)->align < 8)
		asm_current_section(ctx)->align = 8;
	map->offset = asm_current_section(ctx)->size;
	asm_define_label(ctx, map->name, map->loc);
	asm_section_append(ctx, NULL, 8 * member_count(map));
	for (size_t i = 0; i < count; i++) { /* the list is reversed */
		struct asm_fixup fixup = { ASM_FIX_DATA, ctx->current, asm_current_section(ctx)->size,
					   8, false, list[count - 1 - i], list[count - 1 - i]->loc };
		asm_add_fixup(ctx, &fixup);
		asm_section_append(ctx, NULL, 8);
	}
	sym = asm_symbol_find(ctx, map->name);
	if (sym) {
		sym->bind = OBJFMT_BIND_GLOBAL;
		sym->type = OBJFMT_SYM_OBJECT;
		sym->size = asm_expr_number(ctx, 8 * (member_count(map) + count), map->loc);
	}
	ctx->current = previous;
}

static bool check_map(struct asm_context *ctx, const struct asm_map_def *map, bool has_values)
{
	static const char *const required[] = { "type", "key_size", "value_size", "max_entries" };
	bool ok = true;

	for (int i = 0; i < 4; i++) {
		if (map->fields[i] < 0) {
			asm_error(ctx, map->loc, "map '%s': missing %s=", map->name, required[i]);
			ok = false;
		}
	}
	if (has_values && !map->inner && map->fields[0] != 3 /* prog_array */ && ok) {
		asm_error(ctx, map->loc, "map '%s': values= needs a prog_array or an inner_map=",
			  map->name);
		ok = false;
	}
	return ok;
}

void asm_map_directive(struct asm_context *ctx, struct asm_loc loc, struct asm_arg **args,
		       size_t count)
{
	struct asm_map_def *map;
	struct asm_expr *values = NULL;
	bool ok = true;

	if (count == 0 || args[0]->kind != ASM_ARG_EXPR || args[0]->expr->kind != ASM_EXPR_SYMBOL) {
		asm_error(ctx, loc, "'.map' expects NAME, type=T, key_size=K, value_size=V, "
			  "max_entries=M");
		return;
	}
	map = new_map(ctx);
	if (!map)
		return;
	map->name = args[0]->expr->name;
	map->loc = args[0]->loc;
	for (int i = 0; i < MAP_FIELDS; i++)
		map->fields[i] = -1;
	for (size_t i = 1; i < count; i++) {
		if (args[i]->kind != ASM_ARG_KEY) {
			asm_error(ctx, args[i]->loc, "expected KEY=VALUE in '.map'");
			ok = false;
			continue;
		}
		ok &= parse_key(ctx, map, args[i], &values);
	}
	if (!ok || !check_map(ctx, map, values != NULL)) {
		ctx->map_count--;
		return;
	}
	place_map(ctx, map, values);
}

/* ---- BTF for the maps: int, __ARRAY_SIZE_TYPE__, one struct per map, VARs, DATASEC */

struct btf_ids {
	int int_id;
	int index_id;
	int func_ptr_id; /* pointer to int (void *) for prog arrays, 0 until needed */
};

/* int (*name)[value]: PTR -> ARRAY[value] of int */
static int uint_member(struct objfmt_btf *btf, const struct btf_ids *ids, uint32_t value)
{
	int array = objfmt_btf__add_array(btf, (uint32_t)ids->int_id, (uint32_t)ids->index_id, value);

	return array < 0 ? array : objfmt_btf__add_ptr(btf, (uint32_t)array);
}

static int func_ptr(struct objfmt_btf *btf, struct btf_ids *ids)
{
	struct objfmt_btf_type proto = { .kind = OBJFMT_BTF_FUNC_PROTO, .name = "",
					 .type = (uint32_t)ids->int_id };
	struct objfmt_btf_member param = { .name = "", .type = 0 };
	int void_ptr, id;

	if (ids->func_ptr_id)
		return ids->func_ptr_id;
	void_ptr = objfmt_btf__add_ptr(btf, 0);
	id = objfmt_btf__add(btf, &proto);
	if (void_ptr < 0 || id < 0)
		return -ENOMEM;
	param.type = (uint32_t)void_ptr;
	if (objfmt_btf__add_member(btf, (uint32_t)id, &param))
		return -ENOMEM;
	ids->func_ptr_id = objfmt_btf__add_ptr(btf, (uint32_t)id);
	return ids->func_ptr_id;
}

/* T *values[]: ARRAY[0] of PTR -> T */
static int values_member(struct asm_context *ctx, struct objfmt_btf *btf, struct btf_ids *ids,
			 const struct asm_map_def *map)
{
	int elem;

	if (map->inner) {
		const struct asm_map_def *inner = NULL;

		for (size_t i = 0; i < ctx->map_count; i++)
			if (!strcmp(ctx->maps[i].name, map->inner) && ctx->maps[i].btf_struct)
				inner = &ctx->maps[i];
		if (!inner) {
			asm_error(ctx, map->loc, "map '%s': inner_map '%s' must be a .map defined "
				  "before it", map->name, map->inner);
			return -EINVAL;
		}
		elem = objfmt_btf__add_ptr(btf, inner->btf_struct);
	} else {
		elem = func_ptr(btf, ids);
	}
	return elem < 0 ? elem : objfmt_btf__add_array(btf, (uint32_t)elem,
						       (uint32_t)ids->index_id, 0);
}

static int map_struct(struct asm_context *ctx, struct objfmt_btf *btf, struct btf_ids *ids,
		      struct asm_map_def *map)
{
	struct objfmt_btf_type st = { .kind = OBJFMT_BTF_STRUCT, .name = "" };
	uint32_t offset = 0;
	int id, member;

	st.size = (uint32_t)(8 * member_count(map));
	id = objfmt_btf__add(btf, &st);
	for (int i = 0; i < MAP_FIELDS && id > 0; i++, offset += 64) {
		struct objfmt_btf_member m = { .name = field_names[i], .bit_offset = offset };

		if (map->fields[i] < 0) {
			offset -= 64;
			continue;
		}
		if ((member = uint_member(btf, ids, (uint32_t)map->fields[i])) < 0)
			return member;
		m.type = (uint32_t)member;
		if (objfmt_btf__add_member(btf, (uint32_t)id, &m))
			return -ENOMEM;
	}
	if (id > 0 && (map->inner || map->value_count || map->fields[0] == 3)) {
		struct objfmt_btf_member m = { .name = "values", .bit_offset = offset };

		if (!map->inner && map->fields[0] != 3)
			return id;
		if ((member = values_member(ctx, btf, ids, map)) < 0)
			return member;
		m.type = (uint32_t)member;
		if (objfmt_btf__add_member(btf, (uint32_t)id, &m))
			return -ENOMEM;
	}
	if (id > 0)
		map->btf_struct = (uint32_t)id;
	return id;
}

static int add_datasec(struct asm_context *ctx, struct objfmt_btf *btf, const int *vars)
{
	struct objfmt_btf_type sec = { .kind = OBJFMT_BTF_DATASEC, .name = ".maps" };
	int id;

	for (size_t i = 0; i < ctx->section_count; i++)
		if (!strcmp(ctx->sections[i].name, ".maps"))
			sec.size = (uint32_t)ctx->sections[i].size;
	id = objfmt_btf__add(btf, &sec);
	for (size_t i = 0; i < ctx->map_count && id > 0; i++) {
		const struct asm_map_def *map = &ctx->maps[i];
		struct objfmt_btf_member m = {
			.name = "", .type = (uint32_t)vars[i], .offset = (uint32_t)map->offset,
			.size = (uint32_t)(8 * (member_count(map) + map->value_count)),
		};

		if (objfmt_btf__add_member(btf, (uint32_t)id, &m))
			return -ENOMEM;
	}
	return id < 0 ? id : 0;
}

static int build_btf(struct asm_context *ctx, struct objfmt_btf *btf, int *vars)
{
	struct btf_ids ids = { 0, 0, 0 };
	int err;

	ids.int_id = objfmt_btf__add_int(btf, "int", 4, OBJFMT_BTF_INT_SIGNED);
	ids.index_id = objfmt_btf__add_int(btf, "__ARRAY_SIZE_TYPE__", 4, 0);
	if (ids.int_id < 0 || ids.index_id < 0)
		return -ENOMEM;
	for (size_t i = 0; i < ctx->map_count; i++) {
		int st = map_struct(ctx, btf, &ids, &ctx->maps[i]);

		if (st < 0)
			return st;
		vars[i] = objfmt_btf__add_var(btf, ctx->maps[i].name, (uint32_t)st,
					      OBJFMT_BTF_VAR_GLOBAL);
		if (vars[i] < 0)
			return vars[i];
	}
	err = add_datasec(ctx, btf, vars);
	return err;
}

int asm_maps_emit(struct asm_context *ctx, struct objfmt_object *obj)
{
	struct objfmt_btf *btf;
	int *vars, err;

	if (ctx->map_count == 0)
		return 0;
	btf = objfmt_btf__new();
	vars = calloc(ctx->map_count, sizeof(*vars));
	err = btf && vars ? build_btf(ctx, btf, vars) : -ENOMEM;
	free(vars);
	if (err) {
		objfmt_btf__free(btf);
		return err;
	}
	objfmt_object__set_btf(obj, btf);
	return 0;
}
