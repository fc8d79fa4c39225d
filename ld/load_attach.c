/* load_attach.c - tracing and LSM programs name their hook in the section
 * ("fentry/tcp_connect", "tp_btf/sched_switch", "lsm/file_open"); PROG_LOAD needs the
 * hook's id in the kernel's BTF as attach_btf_id, found by libbpf's naming rules.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ld_int.h"

/* The BTF name and kind that a program's hook has in the kernel, from its section. */
static bool hook_name(const struct ld_program *prog, char *name, size_t size,
		      enum objfmt_btf_kind *kind)
{
	const char *section = prog->obj->codes[prog->code].name;
	const char *hook = strchr(section, '/');

	if (!hook || !hook[1])
		return false;
	hook++;
	*kind = OBJFMT_BTF_FUNC;
	if (prog->type == BPF_PROG_TYPE_LSM)
		snprintf(name, size, "bpf_lsm_%s", hook);
	else if (prog->expected_attach_type == BPF_TRACE_RAW_TP) {
		snprintf(name, size, "btf_trace_%s", hook);
		*kind = OBJFMT_BTF_TYPEDEF;
	} else if (prog->expected_attach_type == BPF_TRACE_ITER)
		snprintf(name, size, "bpf_iter_%s", hook);
	else
		snprintf(name, size, "%s", hook);
	return true;
}

bool ld_program_needs_kernel_btf(const struct ld_program *prog)
{
	return prog->type == BPF_PROG_TYPE_TRACING || prog->type == BPF_PROG_TYPE_LSM;
}

int ld_attach_resolve(struct ld_object *obj, const struct objfmt_btf *kernel,
		      struct ld_diag *diag)
{
	for (size_t i = 0; i < obj->program_count; i++) {
		struct ld_program *prog = obj->programs[i];
		enum objfmt_btf_kind kind;
		char name[160];
		int id;
		if (!prog->autoload || !ld_program_needs_kernel_btf(prog) ||
		    !hook_name(prog, name, sizeof(name), &kind))
			continue;
		id = objfmt_btf__find(kernel, kind, name);
		if (id <= 0)
			return ld_diag_set(diag, -ESRCH, "%s: section '%s': program '%s': no %s "
					   "'%s' in the kernel's BTF to attach to", obj->name,
					   obj->codes[prog->code].name, prog->name,
					   kind == OBJFMT_BTF_TYPEDEF ? "typedef" : "function", name);
		prog->attach_btf_id = (uint32_t)id;
	}
	return 0;
}
