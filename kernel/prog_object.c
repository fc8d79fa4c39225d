/* prog_object.c - program objects as the map side sees them: lookup by fd, reference
 * counting and release (the loading itself is in syscall_prog.c).
 */
#include <errno.h>
#include <stdlib.h>

#include "syscall_int.h"

struct emu_prog *emu_prog_get_by_fd(int fd)
{
	int err = 0;
	struct emu_prog *prog = emu_fd_get(fd, EMU_OBJ_PROG, &err, NULL);

	if (!prog)
		errno = -err;
	return prog;
}

void emu_prog_get(struct emu_prog *prog)
{
	__atomic_fetch_add(&prog->refcnt, 1, __ATOMIC_SEQ_CST);
}

/* Frees everything the dispatcher, verifier and exec attached to the program. */
void emu_prog_free(struct emu_prog *prog)
{
	emu_id_prog_remove(prog);
	if (prog->exec)
		emu_exec_release(prog);
	for (uint32_t i = 0; i < prog->used_map_cnt; i++)
		emu_map_put(prog->used_maps[i]);
	free(prog->used_maps);
	objfmt_btf__free(prog->btf);
	free(prog->insns);
	free(prog->orig_insns);
	free(prog->line_info);
	free(prog->func_info);
	free(prog->verifier_aux);
	emu_prog_record_free(prog->load_record);
	free(prog);
}

void emu_prog_put(struct emu_prog *prog)
{
	if (prog && __atomic_fetch_sub(&prog->refcnt, 1, __ATOMIC_SEQ_CST) == 1)
		emu_prog_free(prog);
}

void emu_prog_release_object(void *obj)
{
	emu_prog_put(obj);
}
