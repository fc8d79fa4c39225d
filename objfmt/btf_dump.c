/* btf_dump.c - readable BTF dump, one type per line with members indented, in the
 * layout `bpftool btf dump file X` prints (so the two can be diffed).
 */
#include <errno.h>
#include <inttypes.h>

#include "btf_int.h"

/* A name as bpftool shows it: "(anon)" for the string at offset 0. */
static const char *shown_name(const struct objfmt_btf *btf, const char *name)
{
	if (!name || btf_strtab_find(&btf->strings, name) == 0)
		return "(anon)";
	return name;
}

static const char *int_encoding_name(uint32_t encoding)
{
	switch (encoding) {
	case 0:
		return "(none)";
	case OBJFMT_BTF_INT_SIGNED:
		return "SIGNED";
	case OBJFMT_BTF_INT_CHAR:
		return "CHAR";
	case OBJFMT_BTF_INT_BOOL:
		return "BOOL";
	default:
		return "UNKN";
	}
}

static const char *linkage_name(uint32_t linkage)
{
	switch (linkage) {
	case OBJFMT_BTF_FUNC_STATIC:
		return "static";
	case OBJFMT_BTF_FUNC_GLOBAL:
		return "global";
	case OBJFMT_BTF_FUNC_EXTERN:
		return "extern";
	default:
		return "(unknown)";
	}
}

static void dump_composite(const struct objfmt_btf *btf, const struct objfmt_btf_type *t,
			   FILE *out)
{
	fprintf(out, " size=%" PRIu32 " vlen=%" PRIu32, t->size, t->vlen);
	for (uint32_t i = 0; i < t->vlen; i++) {
		const struct objfmt_btf_member *m = &t->members[i];
		fprintf(out, "\n\t'%s' type_id=%" PRIu32 " bits_offset=%" PRIu32,
			shown_name(btf, m->name), m->type, m->bit_offset);
		if (m->bitfield)
			fprintf(out, " bitfield_size=%" PRIu32, m->bitfield);
	}
}

static void dump_enum(const struct objfmt_btf *btf, const struct objfmt_btf_type *t,
		      FILE *out)
{
	fprintf(out, " encoding=%s size=%" PRIu32 " vlen=%" PRIu32,
		t->kind_flag ? "SIGNED" : "UNSIGNED", t->size, t->vlen);
	for (uint32_t i = 0; i < t->vlen; i++) {
		const struct objfmt_btf_member *m = &t->members[i];
		fprintf(out, "\n\t'%s' val=", shown_name(btf, m->name));
		if (t->kind == OBJFMT_BTF_ENUM64 && t->kind_flag)
			fprintf(out, "%" PRId64 "LL", m->value);
		else if (t->kind == OBJFMT_BTF_ENUM64)
			fprintf(out, "%" PRIu64 "ULL", (uint64_t)m->value);
		else if (t->kind_flag)
			fprintf(out, "%" PRId32, (int32_t)m->value);
		else
			fprintf(out, "%" PRIu32, (uint32_t)m->value);
	}
}

static void dump_datasec(const struct objfmt_btf *btf, const struct objfmt_btf_type *t,
			 FILE *out)
{
	fprintf(out, " size=%" PRIu32 " vlen=%" PRIu32, t->size, t->vlen);
	for (uint32_t i = 0; i < t->vlen; i++) {
		const struct objfmt_btf_member *m = &t->members[i];
		fprintf(out, "\n\ttype_id=%" PRIu32 " offset=%" PRIu32 " size=%" PRIu32, m->type,
			m->offset, m->size);
		const struct objfmt_btf_type *var = objfmt_btf__type(btf, m->type);
		if (m->type == 0) /* bpftool shows void like any other id in range */
			fprintf(out, " (UNKNOWN '(anon)')");
		else if (var)
			fprintf(out, " (%s '%s')", btf_kind_name(var->kind),
				shown_name(btf, var->name));
	}
}

static void dump_func_proto(const struct objfmt_btf *btf,
			    const struct objfmt_btf_type *t, FILE *out)
{
	fprintf(out, " ret_type_id=%" PRIu32 " vlen=%" PRIu32, t->type, t->vlen);
	for (uint32_t i = 0; i < t->vlen; i++)
		fprintf(out, "\n\t'%s' type_id=%" PRIu32, shown_name(btf, t->members[i].name),
			t->members[i].type);
}

/* The part after "[id] KIND 'name'", per kind. */
static void dump_details(const struct objfmt_btf *btf, const struct objfmt_btf_type *t,
			 FILE *out)
{
	switch (t->kind) {
	case OBJFMT_BTF_INT:
		fprintf(out, " size=%" PRIu32 " bits_offset=%" PRIu32 " nr_bits=%" PRIu32
			" encoding=%s", t->size, t->int_offset, t->int_bits,
			int_encoding_name(t->int_encoding));
		break;
	case OBJFMT_BTF_PTR: case OBJFMT_BTF_CONST: case OBJFMT_BTF_VOLATILE:
	case OBJFMT_BTF_RESTRICT: case OBJFMT_BTF_TYPEDEF: case OBJFMT_BTF_TYPE_TAG:
		fprintf(out, " type_id=%" PRIu32, t->type);
		break;
	case OBJFMT_BTF_ARRAY:
		fprintf(out, " type_id=%" PRIu32 " index_type_id=%" PRIu32 " nr_elems=%" PRIu32,
			t->array_elem, t->array_index, t->array_nelems);
		break;
	case OBJFMT_BTF_STRUCT: case OBJFMT_BTF_UNION:
		dump_composite(btf, t, out);
		break;
	case OBJFMT_BTF_ENUM: case OBJFMT_BTF_ENUM64:
		dump_enum(btf, t, out);
		break;
	case OBJFMT_BTF_FWD:
		fprintf(out, " fwd_kind=%s", t->kind_flag ? "union" : "struct");
		break;
	case OBJFMT_BTF_FUNC:
		fprintf(out, " type_id=%" PRIu32 " linkage=%s", t->type, linkage_name(t->linkage));
		break;
	case OBJFMT_BTF_FUNC_PROTO:
		dump_func_proto(btf, t, out);
		break;
	case OBJFMT_BTF_VAR:
		fprintf(out, " type_id=%" PRIu32 ", linkage=%s", t->type,
			linkage_name(t->linkage));
		break;
	case OBJFMT_BTF_DATASEC:
		dump_datasec(btf, t, out);
		break;
	case OBJFMT_BTF_FLOAT:
		fprintf(out, " size=%" PRIu32, t->size);
		break;
	case OBJFMT_BTF_DECL_TAG:
		fprintf(out, " type_id=%" PRIu32 " component_idx=%" PRId32, t->type,
			t->component_idx);
		break;
	default:
		break;
	}
}

int objfmt_btf__dump(const struct objfmt_btf *btf, FILE *out)
{
	if (!btf || !out)
		return -EINVAL;
	for (uint32_t id = 1; id <= btf->count; id++) {
		const struct objfmt_btf_type *t = &btf->types[id];
		fprintf(out, "[%" PRIu32 "] %s '%s'", id, btf_kind_name(t->kind),
			shown_name(btf, t->name));
		dump_details(btf, t, out);
		fputc('\n', out);
	}
	return ferror(out) ? -EIO : 0;
}
