/* driver_int.h - internals of the ebpf-cc driver (driver.c, predefs.c, asmout.c). */
#ifndef CC_DRIVER_INT_H
#define CC_DRIVER_INT_H

#include <stddef.h>
#include <stdio.h>

#include <ebpf/objfmt.h>

/* clang's predefined macros for -target bpf as "NAME=VALUE", NULL-terminated. */
extern const char *const cc_driver_predefined[];

/* Print `obj` as assembly that ebpf-as turns back into the same object. */
int cc_driver_write_assembly(const struct objfmt_object *obj, FILE *out);

#endif /* CC_DRIVER_INT_H */
