// ksym.h - what the ksym tests take from libbpf's bpf_helpers.h, so that they need
// only the UAPI header: section, __ksym/__weak and the one helper they call.
#include <linux/bpf.h>

#define SEC(name) __attribute__((section(name), used))
#define __ksym __attribute__((section(".ksyms")))
#define __weak __attribute__((weak))

static void *(*bpf_per_cpu_ptr)(const void *percpu_ptr, __u32 cpu) = (void *)153;
