#!/bin/sh
# regen.sh - rebuild the checked-in CO-RE test objects with clang (run by hand).
set -e
cd "$(dirname "$0")"
${CLANG:-clang-19} -O2 -g -target bpf -D__TARGET_ARCH_x86 -I. \
	-I/usr/include/"$(cc -print-multiarch)" -c task_tracer.bpf.c -o task_tracer.bpf.o
${CLANG:-clang-19} -O2 -g -target bpf -D__TARGET_ARCH_x86 -I. \
	-I/usr/include/"$(cc -print-multiarch)" -c bootstrap.bpf.c -o bootstrap.bpf.o
${CLANG:-clang-19} -O2 -g -target bpf -D__TARGET_ARCH_x86 -I. \
	-I/usr/include/"$(cc -print-multiarch)" -c btf_ptr.bpf.c -o btf_ptr.bpf.o
