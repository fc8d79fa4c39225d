// module_kfunc.bpf.c - __ksym externs that only a kernel module's BTF has (the made-up
// module "modfoo" of core_module_btf): a kfunc and a typed variable, next to a vmlinux
// type; ksym.sh loads it through ksym_module.
#include "ksym.h"

struct modfoo_state { int pad; long count; };

extern long modfoo_kfunc(struct modfoo_state *state) __ksym;
extern const long modfoo_counter __ksym;

SEC("tc")
int module_kfunc(struct __sk_buff *skb)
{
	return (int)modfoo_kfunc((void *)&modfoo_counter) + (int)modfoo_kfunc(0);
}

char LICENSE[] SEC("license") = "GPL";
