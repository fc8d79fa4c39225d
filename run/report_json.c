/* report_json.c - the report model as one JSON object (--json), for tools: the same
 * facts as the text form, bytes as lowercase hex strings.
 */
#include <stdlib.h>
#include <string.h>

#include "run_int.h"

static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void json_hex(FILE *out, const uint8_t *data, size_t size)
{
	fputc('"', out);
	hex_bytes(out, data, size);
	fputc('"', out);
}

static void json_program(FILE *out, const struct report *r, const struct report_program *p)
{
	fputs("{\"name\":", out);
	json_string(out, p->name);
	fputs(",\"section\":", out);
	json_string(out, p->section);
	fputs(",\"type\":", out);
	json_string(out, ld_prog_type_name(p->type));
	fprintf(out, ",\"verdict\":\"%s\",\"error\":%d",
		!p->loaded || p->refused ? "not loaded" : p->error ? "rejected" : "accepted", p->error);
	if (!r->comparable && !r->no_insn_counts)
		fprintf(out, ",\"processed_insns\":%u", p->processed);
	if (!r->comparable && p->log && p->log[0]) {
		fputs(",\"log\":", out);
		json_string(out, p->log);
	}
	fputc('}', out);
}

static void json_run(FILE *out, const struct report_run *run)
{
	const char *name = report_retval_name(run->prog_type, run->retval);

	fputs("{\"program\":", out);
	json_string(out, run->program);
	fputs(",\"input\":", out);
	json_string(out, run->input);
	fprintf(out, ",\"input_size\":%zu,\"error\":%d,\"retval\":%d", run->input_size,
		run->error, (int32_t)run->retval);
	fputs(",\"retval_name\":", out);
	if (name)
		json_string(out, name);
	else
		fputs("null", out);
	fputs(",\"data_out\":", out);
	if (run->data_changed)
		json_hex(out, run->data_out, run->data_out_size);
	else
		fputs("null", out);
	fputc('}', out);
}

static void json_map(FILE *out, const struct report_map *m)
{
	fputs("{\"name\":", out);
	json_string(out, m->name);
	fprintf(out, ",\"type\":\"%s\",\"key_size\":%u,\"value_size\":%u,\"max_entries\":%u,"
		"\"cpus\":%u,\"zero_omitted\":%zu,\"error\":%d,\"entries\":[",
		ld_map_type_name(m->type), m->key_size, m->value_size, m->max_entries, m->cpus,
		m->zero_omitted, m->error);
	for (size_t i = 0; i < m->entry_count; i++) {
		const struct report_entry *e = &m->entries[i];
		fputs(i ? ",{\"key\":" : "{\"key\":", out);
		json_hex(out, e->key, m->key_size);
		fputs(",\"value\":", out);
		json_hex(out, e->value, e->value_size);
		if (e->pretty) {
			fputs(",\"pretty\":", out);
			json_string(out, e->pretty);
		}
		fputc('}', out);
	}
	fputs("]}", out);
}

char *report_json(const struct report *r)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	if (!out)
		return NULL;
	fputs("{\"format\":\"ebpf-run report v1\",\"object\":", out);
	json_string(out, r->object);
	if (!r->comparable) {
		fputs(",\"backend\":", out);
		json_string(out, r->backend);
	}
	fputs(",\"programs\":[", out);
	for (size_t i = 0; i < r->program_count; i++) {
		if (i) fputc(',', out);
		json_program(out, r, &r->programs[i]);
	}
	fputs("],\"runs\":[", out);
	for (size_t i = 0; i < r->run_count; i++) {
		if (i) fputc(',', out);
		json_run(out, &r->runs[i]);
	}
	fputs("],\"maps\":[", out);
	for (size_t i = 0; i < r->map_count; i++) {
		if (i) fputc(',', out);
		json_map(out, &r->maps[i]);
	}
	fputs("],\"trace\":", out);
	if (r->trace)
		json_string(out, r->trace);
	else
		fputs("null", out);
	fputs(",\"ringbuf\":[", out);
	for (size_t i = 0; i < r->record_count; i++) {
		fputs(i ? ",{\"map\":" : "{\"map\":", out);
		json_string(out, r->records[i].map);
		fputs(",\"data\":", out);
		json_hex(out, r->records[i].data, r->records[i].size);
		fputc('}', out);
	}
	fputs("]}\n", out);
	fclose(out);
	return text;
}
