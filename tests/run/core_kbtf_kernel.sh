#!/bin/sh
# core_kbtf_kernel.sh - the running kernel accepts the emulator's built-in BTF (BTF_LOAD);
# SKIP (77) without the bpf() syscall.
exec "${top_builddir:-../..}/tests/run/core_kbtf" --kernel
