/* report.c - the report model of ebpf-run and its text form, the stable format that
 * golden files hold (documented in doc/run.md): header, verifier verdicts, runs,
 * maps, trace output and ring buffer records, in that order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "run_int.h"

void hex_bytes(FILE *out, const uint8_t *data, size_t size)
{
	for (size_t i = 0; i < size; i++)
		fprintf(out, "%02x", data[i]);
}

/* Classic hex dump: offset, 16 bytes per line in two groups of 8. */
static void hex_dump(FILE *out, const uint8_t *data, size_t size, const char *indent)
{
	for (size_t line = 0; line < size; line += 16) {
		fprintf(out, "%s%04zx:", indent, line);
		for (size_t i = line; i < line + 16 && i < size; i++)
			fprintf(out, "%s%02x", i == line + 8 ? "  " : " ", data[i]);
		fputc('\n', out);
	}
}

static const char *const xdp_names[] = { "XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX",
					 "XDP_REDIRECT" };
static const char *const tc_names[] = { "TC_ACT_OK", "TC_ACT_RECLASSIFY", "TC_ACT_SHOT",
					"TC_ACT_PIPE", "TC_ACT_STOLEN", "TC_ACT_QUEUED",
					"TC_ACT_REPEAT", "TC_ACT_REDIRECT", "TC_ACT_TRAP" };

const char *report_retval_name(uint32_t prog_type, uint32_t retval)
{
	switch (prog_type) {
	case BPF_PROG_TYPE_XDP:
		return retval < 5 ? xdp_names[retval] : NULL;
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
		if (retval == (uint32_t)-1)
			return "TC_ACT_UNSPEC";
		return retval < 9 ? tc_names[retval] : NULL;
	case BPF_PROG_TYPE_CGROUP_SKB:
	case BPF_PROG_TYPE_CGROUP_SOCK:
	case BPF_PROG_TYPE_CGROUP_SOCK_ADDR:
	case BPF_PROG_TYPE_CGROUP_DEVICE:
	case BPF_PROG_TYPE_CGROUP_SYSCTL:
	case BPF_PROG_TYPE_CGROUP_SOCKOPT:
		return retval == 1 ? "allow" : retval == 0 ? "deny" : NULL;
	case BPF_PROG_TYPE_SK_SKB:
	case BPF_PROG_TYPE_SK_MSG:
	case BPF_PROG_TYPE_SK_REUSEPORT:
	case BPF_PROG_TYPE_SK_LOOKUP:
		return retval == 1 ? "SK_PASS" : retval == 0 ? "SK_DROP" : NULL;
	case BPF_PROG_TYPE_SOCKET_FILTER:
		return retval == 0 ? "drop" : "accept";
	case BPF_PROG_TYPE_FLOW_DISSECTOR:
	case BPF_PROG_TYPE_LWT_IN:
	case BPF_PROG_TYPE_LWT_OUT:
	case BPF_PROG_TYPE_LWT_XMIT:
	case BPF_PROG_TYPE_LWT_SEG6LOCAL:
		return retval == 0 ? "BPF_OK" : retval == 2 ? "BPF_DROP"
		       : retval == 7 ? "BPF_REDIRECT" : NULL;
	case 32: /* BPF_PROG_TYPE_NETFILTER */
		return retval == 0 ? "NF_DROP" : retval == 1 ? "NF_ACCEPT" : NULL;
	default:
		return NULL;
	}
}

static const char *errno_name(int err)
{
	switch (-err) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case E2BIG: return "E2BIG";
	case EINVAL: return "EINVAL";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case ENOSPC: return "ENOSPC";
	case ENOMEM: return "ENOMEM";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case 524: return "ENOTSUPP";
	default: return "error";
	}
}

static void print_log(FILE *out, const char *log)
{
	const char *line = log;

	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		fprintf(out, "    | %.*s\n", (int)len, line);
		line += len + (end ? 1 : 0);
	}
}

static void print_program(FILE *out, const struct report *r, const struct report_program *p)
{
	fprintf(out, "program %s: section %s, type %s\n", p->name, p->section,
		ld_prog_type_name(p->type));
	if (!p->loaded)
		fprintf(out, "  verifier: not loaded\n");
	else if (p->refused)
		fprintf(out, "  verifier: not loaded (loader error %s)\n", errno_name(p->error));
	else if (p->error == 0 && (r->comparable || r->no_insn_counts || !p->processed))
		fprintf(out, "  verifier: accepted\n");
	else if (p->error == 0)
		fprintf(out, "  verifier: accepted, %u insns processed\n", p->processed);
	else
		fprintf(out, "  verifier: rejected (%s)\n", errno_name(p->error));
	if (p->log && p->log[0] && !r->comparable && (p->error || r->log_level)) {
		fprintf(out, "  log:\n");
		print_log(out, p->log);
	}
}

static void print_run(FILE *out, const struct report_run *run, size_t index)
{
	const char *name;

	fprintf(out, "run %zu: program %s, input %s (%zu bytes)\n", index + 1, run->program,
		run->input, run->input_size);
	if (run->error) {
		fprintf(out, "  error: %s (%s)\n", errno_name(run->error),
			run->error == -524 ? "test run not supported for this program type"
					   : strerror(-run->error));
		return;
	}
	name = report_retval_name(run->prog_type, run->retval);
	fprintf(out, "  retval: %d%s%s\n", (int32_t)run->retval, name ? " " : "",
		name ? name : "");
	if (!run->input_size)
		return;
	if (!run->data_changed) {
		fprintf(out, "  data_out: unchanged\n");
		return;
	}
	fprintf(out, "  data_out: %zu bytes\n", run->data_out_size);
	hex_dump(out, run->data_out, run->data_out_size, "    ");
}

static void print_entry(FILE *out, const struct report_map *m, const struct report_entry *e)
{
	fputs("  ", out);
	hex_bytes(out, e->key, m->key_size);
	fputs(" =>", out);
	if (!e->value_size) { /* prog array / map-in-map slot: the object's name */
		fprintf(out, " %s\n", e->pretty ? e->pretty : "?");
		return;
	}
	if (m->cpus) {
		size_t stride = (m->value_size + 7) / 8 * 8;
		for (uint32_t cpu = 0; cpu < m->cpus; cpu++) {
			fprintf(out, " cpu%u:", cpu);
			hex_bytes(out, e->value + cpu * stride, m->value_size);
		}
	} else {
		fputc(' ', out);
		hex_bytes(out, e->value, e->value_size);
	}
	fputc('\n', out);
	if (e->pretty)
		fprintf(out, "    %s\n", e->pretty);
}

static void print_map(FILE *out, const struct report_map *m)
{
	fprintf(out, "map %s: %s, key %u, value %u, max_entries %u\n", m->name,
		ld_map_type_name(m->type), m->key_size, m->value_size, m->max_entries);
	if (m->error) {
		fprintf(out, "  error: %s\n", strerror(-m->error));
		return;
	}
	for (size_t i = 0; i < m->entry_count; i++)
		print_entry(out, m, &m->entries[i]);
	if (m->zero_omitted)
		fprintf(out, "  (%zu all-zero entries not shown)\n", m->zero_omitted);
	if (!m->entry_count && !m->zero_omitted)
		fprintf(out, "  (empty)\n");
}

char *report_text(const struct report *r)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	if (!out)
		return NULL;
	fprintf(out, "ebpf-run report v1\n");
	fprintf(out, "object: %s\n", r->object);
	if (!r->comparable)
		fprintf(out, "backend: %s\n", r->backend);
	for (size_t i = 0; i < r->program_count; i++)
		print_program(out, r, &r->programs[i]);
	for (size_t i = 0; i < r->run_count; i++)
		print_run(out, &r->runs[i], i);
	for (size_t i = 0; i < r->map_count; i++)
		print_map(out, &r->maps[i]);
	if (r->trace && r->trace[0]) {
		fprintf(out, "trace:\n");
		print_log(out, r->trace);
	}
	for (size_t i = 0; i < r->record_count; i++) {
		bool perf = strncmp(r->records[i].map, "perf ", 5) == 0;
		fprintf(out, "%s %s: record %zu, %zu bytes\n", perf ? "perf" : "ringbuf",
			r->records[i].map + (perf ? 5 : 0), i + 1, r->records[i].size);
		hex_dump(out, r->records[i].data, r->records[i].size, "    ");
	}
	fclose(out);
	return text;
}

void report_free(struct report *r)
{
	for (size_t i = 0; i < r->program_count; i++) {
		free(r->programs[i].name);
		free(r->programs[i].section);
		free(r->programs[i].log);
	}
	for (size_t i = 0; i < r->run_count; i++) {
		free(r->runs[i].program);
		free(r->runs[i].input);
		free(r->runs[i].data_out);
	}
	for (size_t i = 0; i < r->map_count; i++) {
		for (size_t j = 0; j < r->maps[i].entry_count; j++) {
			free(r->maps[i].entries[j].key);
			free(r->maps[i].entries[j].value);
			free(r->maps[i].entries[j].pretty);
		}
		free(r->maps[i].entries);
		free(r->maps[i].name);
	}
	for (size_t i = 0; i < r->record_count; i++) {
		free(r->records[i].map);
		free(r->records[i].data);
	}
	free(r->programs);
	free(r->runs);
	free(r->maps);
	free(r->records);
	free(r->trace);
	free(r->object);
	memset(r, 0, sizeof(*r));
}
