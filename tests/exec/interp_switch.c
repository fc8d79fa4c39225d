/* interp_switch.c - the interpreter built with its portable switch dispatch, so that
 * test_interp_switch runs the instruction tests against that variant too. */
#define EMU_INTERP_SWITCH 1
#include "../../kernel/interp.c"
