/* objdump_labels.c - the symbols llvm-objdump uses to head and to name code in one
 * section: sorted by (address, name, type), section and file symbols left out, a
 * label named after the section at offset 0 when no symbol is there. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "objdump_int.h"

static int compare_labels(const void *a, const void *b)
{
	const struct objdump_label *x = a, *y = b;
	int by_name;

	if (x->address != y->address)
		return x->address < y->address ? -1 : 1;
	by_name = strcmp(x->name, y->name);
	if (by_name)
		return by_name;
	return x->type - y->type;
}

static bool labels_code_symbol(const struct objfmt_symbol *sym, size_t section)
{
	return sym->section == section && sym->type != OBJFMT_SYM_SECTION &&
	       sym->type != OBJFMT_SYM_FILE && sym->name && sym->name[0] != '\0';
}

int objdump_labels_build(const struct objfmt_object *obj, size_t section,
			 struct objdump_labels *labels)
{
	size_t count = objfmt_object__symbol_count(obj), i, n = 0;
	const struct objfmt_section *sec = objfmt_object__section(obj, section);

	labels->items = calloc(count + 1, sizeof(*labels->items));
	labels->count = 0;
	if (!labels->items)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		const struct objfmt_symbol *sym = objfmt_object__symbol(obj, i);

		if (!labels_code_symbol(sym, section))
			continue;
		labels->items[n++] = (struct objdump_label){ sym->name, sym->value, sym->type };
	}
	qsort(labels->items, n, sizeof(*labels->items), compare_labels);
	if (n == 0 || labels->items[0].address != 0) {
		memmove(labels->items + 1, labels->items, n * sizeof(*labels->items));
		labels->items[0] = (struct objdump_label){ sec->name, 0, OBJFMT_SYM_FUNC };
		n++;
	}
	labels->count = n;
	return 0;
}

void objdump_labels_free(struct objdump_labels *labels)
{
	free(labels->items);
	labels->items = NULL;
	labels->count = 0;
}

const struct objdump_label *objdump_labels_find(const struct objdump_labels *labels,
					       uint64_t address)
{
	size_t low = 0, high = labels->count;

	/* first label above address, then step back one */
	while (low < high) {
		size_t mid = low + (high - low) / 2;

		if (labels->items[mid].address <= address)
			low = mid + 1;
		else
			high = mid;
	}
	return low == 0 ? NULL : &labels->items[low - 1];
}
