// ksym_typeless.bpf.c - typeless kernel symbols (`extern const void x __ksym`): their
// address comes from /proc/kallsyms, a missing __weak one is 0.
#include "ksym.h"

extern const void _stext __ksym;
extern const void bpf_no_such_symbol __ksym __weak;

unsigned long text_address, missing_address = 1;

SEC("tc")
int typeless(struct __sk_buff *skb)
{
	text_address = (unsigned long)&_stext;
	missing_address = (unsigned long)&bpf_no_such_symbol;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
