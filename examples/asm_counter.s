# asm_counter.s - an assembly-only XDP program (ebpf-as, LLVM dialect) with BTF-defined
# maps from .map: counts IPv4 packets per protocol in a hash map, then tail-calls a
# verdict program through a statically initialised prog array.
	.license "GPL"
	.map proto_count, type=hash, key_size=4, value_size=8, max_entries=256
	.map verdicts, type=prog_array, key_size=4, value_size=4, max_entries=2, values=verdict_pass

	.section xdp,"ax",@progbits
	.globl count_protocols
	.type count_protocols,@function
count_protocols:
	r6 = r1
	r2 = *(u32 *)(r6 + 0)          # data
	r3 = *(u32 *)(r6 + 4)          # data_end
	r1 = r2
	r1 += 34                       # Ethernet + IPv4 header
	if r1 > r3 goto .Lpass
	r1 = *(u16 *)(r2 + 12)         # EtherType, network order
	if r1 != 8 goto .Lpass         # 0x0800 read little-endian
	r1 = *(u8 *)(r2 + 23)          # IPv4 protocol
	*(u32 *)(r10 - 4) = r1
	r2 = r10
	r2 += -4
	r1 = proto_count ll
	call bpf_map_lookup_elem
	if r0 == 0 goto .Lnew
	r1 = 1
	lock *(u64 *)(r0 + 0) += r1
	goto .Ltail
.Lnew:
	r1 = 1
	*(u64 *)(r10 - 16) = r1
	r2 = r10
	r2 += -4
	r3 = r10
	r3 += -16
	r1 = proto_count ll
	r4 = 0
	call bpf_map_update_elem
.Ltail:
	r1 = r6
	r2 = verdicts ll
	r3 = 0
	call bpf_tail_call
.Lpass:
	r0 = 2                         # XDP_PASS when no tail call happened
	exit
	.size count_protocols, .-count_protocols

	.section xdp,"ax",@progbits
	.globl verdict_pass
	.type verdict_pass,@function
verdict_pass:
	r0 = 3                         # XDP_TX: proves the tail call ran
	exit
	.size verdict_pass, .-verdict_pass
