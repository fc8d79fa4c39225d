/* load_progs.c - programs of an object: one per function symbol of a program section,
 * typed through the section-name table; at load each is linked and sent with
 * BPF_PROG_LOAD (license, version, BTF func/line info), its verifier log kept.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ld_int.h"

#define LD_DEFAULT_LOG_SIZE (1u << 20)

static struct ld_program *program_new(struct ld_object *obj, const char *name, size_t code,
				      size_t start, size_t length)
{
	struct ld_program *prog = calloc(1, sizeof(*prog));
	const char *section = obj->codes[code].name;
	/* libbpf: SEC("?xdp") is an xdp program that is not loaded unless asked for */
	bool optional = section[0] == '?';
	const struct ld_section_def *def = ld_section_find(section + optional);

	if (!prog || !(prog->name = ld_strdup(name)) || !(prog->log = ld_strdup(""))) {
		if (prog)
			free(prog->name);
		free(prog);
		return NULL;
	}
	prog->obj = obj;
	prog->code = code;
	prog->start = start;
	prog->length = length;
	prog->def = def;
	prog->type = def ? def->prog_type : BPF_PROG_TYPE_UNSPEC;
	prog->expected_attach_type = def ? def->expected_attach_type : 0;
	prog->prog_flags = def && def->sleepable ? BPF_F_SLEEPABLE : 0;
	if (def && def->xdp_frags)
		prog->prog_flags |= BPF_F_XDP_HAS_FRAGS;
	prog->autoload = !optional;
	prog->fd = -1;
	return prog;
}

void ld_program_free(struct ld_program *prog)
{
	if (!prog)
		return;
	if (prog->fd >= 0)
		close(prog->fd);
	free(prog->insns);
	free(prog->ext.funcs);
	free(prog->ext.lines);
	free(prog->log);
	free(prog->name);
	free(prog);
}

static int compare_symbols(const void *a, const void *b)
{
	const struct objfmt_symbol *x = *(const struct objfmt_symbol *const *)a;
	const struct objfmt_symbol *y = *(const struct objfmt_symbol *const *)b;
	return (x->value > y->value) - (x->value < y->value);
}

/* Function symbols of a code section sorted by offset (caller frees the array). */
static size_t section_functions(const struct ld_object *obj, size_t section,
				const struct objfmt_symbol ***out)
{
	size_t count = objfmt_object__symbol_count(obj->model), found = 0;
	const struct objfmt_symbol **syms = calloc(count ? count : 1, sizeof(*syms));

	for (size_t i = 0; syms && i < count; i++) {
		const struct objfmt_symbol *sym = objfmt_object__symbol(obj->model, i);
		if (sym->section == section && sym->type == OBJFMT_SYM_FUNC && sym->name &&
		    sym->name[0])
			syms[found++] = sym;
	}
	if (found > 1)
		qsort(syms, found, sizeof(*syms), compare_symbols);
	*out = syms;
	return syms ? found : 0;
}

static int collect_section_programs(struct ld_object *obj, size_t code,
				    struct ld_diag *diag)
{
	const struct ld_code *c = &obj->codes[code];
	const struct objfmt_symbol **syms;
	size_t count = section_functions(obj, c->section, &syms);
	int err = 0;

	if (!count)
		err = ld_diag_set(diag, -EINVAL,
				  "%s: section '%s': code without a function symbol", obj->name,
				  c->name);
	for (size_t i = 0; !err && i < count; i++) {
		size_t start = (size_t)(syms[i]->value / LD_INSN_SIZE);
		size_t end = i + 1 < count ? (size_t)(syms[i + 1]->value / LD_INSN_SIZE)
					   : c->insn_count;
		if (syms[i]->size)
			end = start + (size_t)(syms[i]->size / LD_INSN_SIZE);
		if (syms[i]->value % LD_INSN_SIZE || start >= end || end > c->insn_count) {
			err = ld_diag_set(diag, -EINVAL,
					  "%s: section '%s': function '%s' has a bad extent",
					  obj->name, c->name, syms[i]->name);
			break;
		}
		struct ld_program *prog = program_new(obj, syms[i]->name, code, start, end - start);
		if (!prog || ld_append((void **)&obj->programs, &obj->program_count,
				       sizeof(prog), &prog)) {
			ld_program_free(prog);
			err = -ENOMEM;
		}
	}
	free(syms);
	return err;
}

int ld_programs_collect(struct ld_object *obj, struct ld_diag *diag)
{
	for (size_t c = 0; c < obj->code_count; c++) {
		if ((ptrdiff_t)c == obj->text_code)
			continue;
		int err = collect_section_programs(obj, c, diag);
		if (err)
			return err;
	}
	return 0;
}

/* ---- PROG_LOAD ---------------------------------------------------------------------- */

static void fill_load_attr(const struct ld_program *prog, union bpf_attr *attr,
			   char *log, uint32_t log_size, uint32_t log_level)
{
	const struct ld_object *obj = prog->obj;
	size_t i;

	memset(attr, 0, sizeof(*attr));
	attr->prog_type = prog->type;
	attr->expected_attach_type = prog->expected_attach_type;
	attr->insns = (uint64_t)(uintptr_t)prog->insns;
	attr->insn_cnt = (uint32_t)prog->insn_count;
	attr->license = (uint64_t)(uintptr_t)obj->license;
	attr->kern_version = obj->kern_version;
	attr->prog_flags = prog->prog_flags;
	attr->attach_btf_id = prog->attach_btf_id;
	if (obj->fd_array_count) /* module kfuncs: insn off indexes it */
		attr->fd_array = (uint64_t)(uintptr_t)obj->fd_array;
	for (i = 0; i < BPF_OBJ_NAME_LEN - 1 && prog->name[i]; i++)
		attr->prog_name[i] = prog->name[i];
	if (log_level) {
		attr->log_level = log_level;
		attr->log_buf = (uint64_t)(uintptr_t)log;
		attr->log_size = log_size;
	}
	if (obj->btf_fd >= 0 && prog->ext.func_count) {
		attr->prog_btf_fd = (uint32_t)obj->btf_fd;
		attr->func_info_rec_size = sizeof(struct bpf_func_info);
		attr->func_info = (uint64_t)(uintptr_t)prog->ext.funcs;
		attr->func_info_cnt = (uint32_t)prog->ext.func_count;
		if (prog->ext.line_count) {
			attr->line_info_rec_size = sizeof(struct bpf_line_info);
			attr->line_info = (uint64_t)(uintptr_t)prog->ext.lines;
			attr->line_info_cnt = (uint32_t)prog->ext.line_count;
		}
	}
}

/* processed-insn count: from prog info, else from the log's last summary line. */
static uint32_t verified_insns(const struct ld_program *prog)
{
	struct bpf_prog_info info;
	union bpf_attr attr;
	const char *p;
	unsigned int n = 0;

	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (uint32_t)prog->fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = (uint64_t)(uintptr_t)&info;
	if (prog->obj->backend->bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr)) == 0 &&
	    info.verified_insns)
		return info.verified_insns;
	p = strstr(prog->log, "processed ");
	if (p && sscanf(p, "processed %u insns", &n) == 1)
		return n;
	return 0;
}

/* The reason in a verifier log: its last line, skipping the "processed N insns"
 * summary the kernel prints after a rejection. */
static const char *log_reason(const char *log, char *buf, size_t size)
{
	const char *end = log + strlen(log), *start;

	for (;;) {
		while (end > log && (end[-1] == '\n' || end[-1] == ' '))
			end--;
		start = end;
		while (start > log && start[-1] != '\n')
			start--;
		if (start == log || strncmp(start, "processed ", 10) != 0)
			break;
		end = start;
	}
	snprintf(buf, size, "%.*s", (int)(end - start), start);
	return buf;
}

static long prog_load(struct ld_program *prog, const struct ld_load_opts *opts,
		      char *log, uint32_t log_size)
{
	union bpf_attr attr;
	long fd;

	log[0] = '\0';
	fill_load_attr(prog, &attr, log, log_size, opts->log_level);
	fd = prog->obj->backend->bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd < 0 && opts->log_level == 0) {
		/* retry for the log, as libbpf does, so a rejection can be explained */
		fill_load_attr(prog, &attr, log, log_size, 1);
		long again = prog->obj->backend->bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
		if (again >= 0)
			fd = again;
	}
	return fd;
}

static int load_program(struct ld_program *prog, const struct ld_load_opts *opts,
			char *log, uint32_t log_size, struct ld_diag *diag)
{
	struct ld_object *obj = prog->obj;
	const char *section = obj->codes[prog->code].name;
	char reason[256];
	long fd;
	int err;

	if (prog->type == BPF_PROG_TYPE_UNSPEC)
		return prog->load_error = ld_diag_set(diag, -EINVAL,
			"%s: section '%s': program '%s': unknown section name, no program type "
			"(use libbpf's names: xdp, tc, socket, kprobe/<fn>, tracepoint/<c>/<n>, ...)",
			obj->name, section, prog->name);
	if ((err = ld_program_link(prog, diag)))
		return prog->load_error = err;
	prog->submitted = true;
	fd = prog_load(prog, opts, log, log_size);
	free(prog->log);
	prog->log = ld_strdup(log);
	if (!prog->log)
		return -ENOMEM;
	if (fd < 0) {
		prog->load_error = (int)fd;
		return ld_diag_set(diag, (int)fd, "%s: section '%s': program '%s': %s: %s",
				   obj->name, section, prog->name, strerror((int)-fd),
				   log[0] ? log_reason(log, reason, sizeof(reason))
					  : "PROG_LOAD failed");
	}
	prog->fd = (int)fd;
	prog->load_error = 0;
	prog->verified_insns = verified_insns(prog);
	return 0;
}

int ld_programs_load(struct ld_object *obj, const struct ld_load_opts *opts,
		     struct ld_diag *diag)
{
	uint32_t log_size = opts->log_size ? opts->log_size : LD_DEFAULT_LOG_SIZE;
	char *log = malloc(log_size);
	struct ld_diag first = {{0}};
	int first_err = 0;

	if (!log)
		return -ENOMEM;
	for (size_t i = 0; i < obj->program_count; i++) {
		struct ld_program *prog = obj->programs[i];
		if (!prog->autoload)
			continue;
		int err = load_program(prog, opts, log, log_size, diag);
		if (err && !first_err) {
			first_err = err;
			if (diag)
				first = *diag;
		}
		if (err && !opts->keep_going)
			break;
	}
	free(log);
	if (first_err && diag)
		*diag = first;
	return first_err;
}
