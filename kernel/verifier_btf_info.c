/* verifier_btf_info.c - the checks of a program's BTF line info at load (the kernel's
 * check_btf_line): record size, insn offsets strictly increasing inside the program
 * and on real instructions, line and file names in the BTF string section, and a
 * record at the first instruction of every subprogram. */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "verifier_int.h"

#define LINE_INFO_MIN_SIZE ((uint32_t)sizeof(struct bpf_line_info))
#define LINE_INFO_MAX_SIZE 252u /* the kernel's MAX_LINEINFO_REC_SIZE */

/* Bytes of a record past the fields we know must be zero (bpf_check_uarg_tail_zero). */
static bool tail_is_zero(const unsigned char *record, uint32_t rec_size)
{
	for (uint32_t i = LINE_INFO_MIN_SIZE; i < rec_size; i++)
		if (record[i])
			return false;
	return true;
}

int verifier_check_btf_line(struct verifier_env *env)
{
	const struct emu_prog *prog = env->prog;
	uint32_t count = prog->line_info_cnt, rec_size = prog->line_info_rec_size;
	uint32_t prev_offset = 0, s = 0;

	if (!count)
		return 0;
	if (count > INT_MAX / LINE_INFO_MIN_SIZE || rec_size < LINE_INFO_MIN_SIZE ||
	    rec_size > LINE_INFO_MAX_SIZE || rec_size % 4 || !prog->line_info)
		return -EINVAL;
	for (uint32_t i = 0; i < count; i++) {
		const unsigned char *record = (const unsigned char *)prog->line_info +
					      (size_t)i * rec_size;
		struct bpf_line_info li;

		if (!tail_is_zero(record, rec_size)) {
			verbose(env, "nonzero tailing record in line_info");
			return -E2BIG;
		}
		memcpy(&li, record, sizeof(li));
		if ((i && li.insn_off <= prev_offset) || li.insn_off >= env->insn_cnt) {
			verbose(env, "Invalid line_info[%u].insn_off:%u (prev_offset:%u prog->len:%u)\n",
				i, li.insn_off, prev_offset, env->insn_cnt);
			return -EINVAL;
		}
		if (!prog->insns[li.insn_off].code) {
			verbose(env, "Invalid insn code at line_info[%u].insn_off\n", i);
			return -EINVAL;
		}
		if (!prog->btf || !objfmt_btf__string(prog->btf, li.line_off) ||
		    !objfmt_btf__string(prog->btf, li.file_name_off)) {
			verbose(env, "Invalid line_info[%u].line_off or .file_name_off\n", i);
			return -EINVAL;
		}
		if (s != env->subprog_cnt) {
			if (li.insn_off == env->subprogs[s].start) {
				s++;
			} else if (env->subprogs[s].start < li.insn_off) {
				verbose(env, "missing bpf_line_info for func#%u\n", s);
				return -EINVAL;
			}
		}
		prev_offset = li.insn_off;
	}
	if (s != env->subprog_cnt) {
		verbose(env, "missing bpf_line_info for %u funcs starting from func#%u\n",
			env->subprog_cnt - s, s);
		return -EINVAL;
	}
	return 0;
}
