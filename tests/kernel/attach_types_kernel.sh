#!/bin/sh
# attach_types_kernel.sh - program types x attach types: the emulator's PROG_LOAD errno
# equals the running kernel's; SKIP (77) without the bpf() syscall.
exec "${top_builddir:-../..}/tests/kernel/test_attach_types" --kernel
