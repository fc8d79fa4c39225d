/* helper_names.c - helper id <-> name, generated from the UAPI header's helper list
 * (__BPF_FUNC_MAPPER), plus the helpers newer kernels added after that header. */
#include <string.h>

#include <linux/bpf.h>

#include "ebpf/objfmt.h"

/* The mapper expands FN(name) followed by a comma for every helper, in id order. */
#define OBJFMT_HELPER_NAME(name) #name
static const char *const helper_names[] = {
	__BPF_FUNC_MAPPER(OBJFMT_HELPER_NAME)
};
#undef OBJFMT_HELPER_NAME

#define HELPER_TABLE_COUNT ((int32_t)(sizeof(helper_names) / sizeof(helper_names[0])))

/* Helpers added by kernels newer than the installed header (ids are UAPI facts). */
static const struct {
	int32_t id;
	const char *name;
} helper_extra[] = {
	{ 210, "cgrp_storage_get" },
	{ 211, "cgrp_storage_delete" },
};

const char *objfmt_helper_name(int32_t id)
{
	size_t i;

	if (id > 0 && id < HELPER_TABLE_COUNT)
		return helper_names[id];
	for (i = 0; i < sizeof(helper_extra) / sizeof(helper_extra[0]); i++)
		if (helper_extra[i].id == id && id >= HELPER_TABLE_COUNT)
			return helper_extra[i].name;
	return NULL;
}

int32_t objfmt_helper_id(const char *name)
{
	int32_t id;
	size_t i;

	if (!name)
		return -1;
	if (strncmp(name, "bpf_", 4) == 0)
		name += 4;
	for (id = 1; id < HELPER_TABLE_COUNT; id++)
		if (strcmp(helper_names[id], name) == 0)
			return id;
	for (i = 0; i < sizeof(helper_extra) / sizeof(helper_extra[0]); i++)
		if (helper_extra[i].id >= HELPER_TABLE_COUNT &&
		    strcmp(helper_extra[i].name, name) == 0)
			return helper_extra[i].id;
	return -1;
}
