/* verify.c - verification at compile time: the object ebpf-cc produced is loaded into
 * the emulated kernel (libebpfload + libebpfemu, program types from the SEC names) and
 * a program the verifier rejects becomes a compile error at the C line of the
 * instruction it rejected, with the verifier's message. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ebpf/cc.h>
#include <ebpf/emu.h>
#include <ebpf/load.h>

#include "driver_int.h"

/* Index of the last instruction the log shows ("12: (79) r1 = ..."), or -1. */
static long failing_insn(const char *log)
{
	long last = -1;

	for (const char *p = log; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		char *end;
		long n = strtol(p, &end, 10);

		if (end != p && end[0] == ':' && end[1] == ' ' && end[2] == '(')
			last = n;
	}
	return last;
}

/* The verifier's verdict: the last log line that is not the statistics line. */
static void verdict(const char *log, char *out, size_t size)
{
	const char *best = NULL, *p = log;
	size_t best_len = 0;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len && strncmp(p, "processed ", 10) && strncmp(p, "verification time", 17)) {
			best = p;
			best_len = len;
		}
		p = nl ? nl + 1 : NULL;
	}
	if (!best) {
		snprintf(out, size, "rejected");
		return;
	}
	snprintf(out, size, "%.*s", (int)(best_len < size ? best_len : size - 1), best);
}

/* Source position of the instruction at byte `offset` of section `section`. */
static bool source_of(const struct objfmt_object *obj, const char *section, uint64_t offset,
		      struct cc_diagnostic *d)
{
	const struct objfmt_btf_ext *ext = objfmt_object__btf_ext(obj);
	const struct objfmt_btf_ext_line *best = NULL;

	for (size_t s = 0; ext && s < objfmt_btf_ext__section_count(ext); s++) {
		if (strcmp(objfmt_btf_ext__section_name(ext, s), section))
			continue;
		for (size_t i = 0; i < objfmt_btf_ext__line_count(ext, s); i++) {
			const struct objfmt_btf_ext_line *l = objfmt_btf_ext__line(ext, s, i);

			if (l->insn_off <= offset && (!best || l->insn_off >= best->insn_off))
				best = l;
		}
	}
	if (!best)
		return false;
	d->file = best->file;
	d->line = best->line_num;
	d->column = best->line_col;
	return true;
}

/* Whether two instructions are the same apart from what relocation patches. */
static bool same_shape(const struct objfmt_insn *a, const struct objfmt_insn *b)
{
	bool patched = a->code == 0x18 || a->code == 0x85 || a->code == 0x00;

	return a->code == b->code && a->dst_reg == b->dst_reg && a->off == b->off &&
	       (patched || (a->src_reg == b->src_reg && a->imm == b->imm));
}

/* The loader appends the subprograms a program calls after its own code. Find which
 * function of the object holds loaded instruction `insn`: the function whose code
 * matches the loaded instructions around it; *offset receives the byte offset of that
 * instruction in *section. */
static bool subprogram_of(const struct objfmt_object *obj, struct ld_program *prog,
			  size_t insn, const char **section, uint64_t *offset)
{
	const struct objfmt_insn *loaded = ld_program__insns(prog);
	size_t count = ld_program__insn_count(prog);

	for (size_t i = 0; loaded && i < objfmt_object__symbol_count(obj); i++) {
		struct objfmt_symbol *s = objfmt_object__symbol(obj, i);
		struct objfmt_section *sec;
		size_t n;

		if (s->type != OBJFMT_SYM_FUNC || s->section >= objfmt_object__section_count(obj))
			continue;
		sec = objfmt_object__section(obj, s->section);
		n = (size_t)(s->size / 8);
		for (size_t at = insn >= n ? insn - n + 1 : 0; at <= insn && at + n <= count; at++) {
			const struct objfmt_insn *code = (const struct objfmt_insn *)(sec->data +
										     s->value);
			size_t k = 0;

			while (k < n && same_shape(&code[k], &loaded[at + k]))
				k++;
			if (k == n) {
				*section = sec->name;
				*offset = s->value + (insn - at) * 8;
				return true;
			}
		}
	}
	return false;
}

/* A rejection shows the end of the verifier's log, where it says why: a complexity
 * rejection's log runs to megabytes. */
#define LOG_LINES_SHOWN 200

/* The last `lines` lines of `log`; a note on stderr says how many came before. */
static const char *log_tail(const char *log, size_t lines)
{
	size_t total = 0, skip;
	const char *p = log;

	for (const char *q = log; *q; q++)
		total += *q == '\n' || !q[1];
	if (total <= lines)
		return log;
	skip = total - lines;
	for (size_t n = 0; n < skip; n++)
		p = strchr(p, '\n') + 1;
	fprintf(stderr, "  | ... (%zu earlier lines not shown; ebpf-run --verify-only prints the whole log)\n",
		skip);
	return p;
}

static void report(const struct objfmt_object *obj, struct ld_program *prog, const char *input)
{
	const char *log = ld_program__log(prog);
	const char *name = ld_program__name(prog), *section = ld_program__section_name(prog);
	struct cc_diagnostic d = { .file = input, .severity = CC_SEVERITY_ERROR };
	long insn = failing_insn(log);
	int sym = objfmt_object__find_symbol(obj, name);
	uint64_t start = sym >= 0 ? objfmt_object__symbol(obj, (size_t)sym)->value : 0;
	uint64_t size = sym >= 0 ? objfmt_object__symbol(obj, (size_t)sym)->size : 0;
	char text[4096], why[160];

	verdict(log ? log : "", why, sizeof(why));
	if (insn >= 0 && (uint64_t)insn * 8 >= size &&
	    subprogram_of(obj, prog, (size_t)insn, &section, &start)) {
		/* in a subprogram the loader appended: its own code and lines */
		source_of(obj, section, start, &d);
	} else {
		if (insn < 0 || (uint64_t)insn * 8 >= size)
			insn = 0;
		source_of(obj, section, start + (uint64_t)insn * 8, &d);
	}
	snprintf(d.message, sizeof(d.message), "BPF verifier rejects program '%s' at insn %ld: %s",
		 name, insn, why);
	cc_diagnostic__format(&d, text, sizeof(text));
	fputs(text, stderr);
	if (log && *log) {
		fprintf(stderr, "note: verifier log of '%s' (-fno-verify skips verification):\n", name);
		log = log_tail(log, LOG_LINES_SHOWN);
		for (const char *p = log; *p;) {
			const char *nl = strchr(p, '\n');
			int len = nl ? (int)(nl - p) : (int)strlen(p);

			fprintf(stderr, "  | %.*s\n", len, p);
			p = nl ? nl + 1 : p + len;
		}
	}
}

/* Load the opened object into the emulated kernel and report every rejected program;
 * returns how many were rejected. */
static int load_and_report(const struct objfmt_object *obj, struct ld_object *lobj,
			   const char *input)
{
	struct ld_load_opts opts = { .size = sizeof(opts), .keep_going = true };
	struct ld_diag diag = { { 0 } };
	int rejected = 0;

	/* CO-RE relocations are resolved against the emulated kernel's BTF, as ebpf-run
	 * does: verifying the unrelocated offsets of a local header would reject correct
	 * programs */
	const void *kernel_btf;
	unsigned long kernel_btf_size;
	if (ld_object__needs_kernel_btf(lobj) &&
	    !emu_kernel_btf(&kernel_btf, &kernel_btf_size, NULL))
		opts.core_target = emu_kernel_btf_model();
	ld_object__load(lobj, &ld_backend_emulator, &opts, &diag);
	for (size_t i = 0; i < ld_object__program_count(lobj); i++) {
		struct ld_program *prog = ld_object__program(lobj, i);
		int err = ld_program__load_error(prog);

		const char *log = ld_program__log(prog);

		if (!ld_program__submitted(prog) || !log || !*log)
			continue;
		/* EINVAL also means "not supported by the emulator": only count it when the
		 * log names an instruction; E2BIG is the complexity limit (too many processed
		 * insns or jumps), a rejection the kernel gives too */
		if (err != -EACCES && err != -E2BIG &&
		    !(err == -EINVAL && (failing_insn(log) >= 0 || strstr(log, "insn"))))
			continue;
		report(obj, prog, input);
		rejected++;
	}
	return rejected;
}

/* Returns 0 when every program verifies (or the object cannot be loaded for reasons
 * that are not the verifier's, e.g. unresolved externs), 1 after reporting rejections.
 * With `image`, *image receives the ELF image that was verified when there is one
 * (the caller frees it), else NULL. */
int cc_driver_verify_image(const struct objfmt_object *obj, const char *input,
			   void **image_out, size_t *size_out)
{
	struct ld_diag diag = { { 0 } };
	struct ld_object *lobj;
	void *image = NULL;
	size_t size = 0;
	int rejected = 0;

	if (image_out)
		*image_out = NULL;
	if (objfmt_elf_write_mem(obj, &image, &size, NULL))
		return 0;
	lobj = ld_object__open_mem(image, size, input, &diag);
	if (lobj)
		rejected = load_and_report(obj, lobj, input);
	ld_object__free(lobj);
	if (image_out && !rejected) {
		*image_out = image;
		*size_out = size;
	} else {
		free(image);
	}
	return rejected ? 1 : 0;
}

int cc_driver_verify(const struct objfmt_object *obj, const char *input)
{
	return cc_driver_verify_image(obj, input, NULL, NULL);
}

/* Drop line_info (kept for the verifier's sake) from an object compiled without -g. */
int cc_driver_strip_lines(struct objfmt_object *obj)
{
	struct objfmt_btf_ext *ext = objfmt_object__btf_ext(obj), *copy;

	if (!ext)
		return 0;
	copy = objfmt_btf_ext__new();
	if (!copy)
		return -ENOMEM;
	for (size_t s = 0; s < objfmt_btf_ext__section_count(ext); s++)
		for (size_t i = 0; i < objfmt_btf_ext__func_count(ext, s); i++)
			if (objfmt_btf_ext__add_func(copy, objfmt_btf_ext__section_name(ext, s),
						     objfmt_btf_ext__func(ext, s, i))) {
				objfmt_btf_ext__free(copy);
				return -ENOMEM;
			}
	objfmt_object__set_btf_ext(obj, copy);
	return 0;
}
