# maps.s - an assembly-only XDP program with BTF-defined maps.
	.license "GPL"
	.map counts, type=hash, key_size=4, value_size=8, max_entries=128
	.map inner, type=array, key_size=4, value_size=4, max_entries=1
	.map outer, type=BPF_MAP_TYPE_ARRAY_OF_MAPS, key_size=4, value_size=4, max_entries=2, inner_map=inner, values=inner
	.map jumps, type=prog_array, key_size=4, value_size=4, max_entries=4, values=tail
	.map events, type=ringbuf, key_size=0, value_size=0, max_entries=4096
	.map flagged, type=2, key_size=4, value_size=16, max_entries=8, map_flags=0x400

	.section xdp,"ax",@progbits
	.globl prog
	.type prog,@function
prog:
	r1 = 0
	*(u32 *)(r10 - 4) = r1
	r2 = r10
	r2 += -4
	r1 = counts ll
	call bpf_map_lookup_elem
	if r0 == 0 goto .Lout
	r1 = 1
	lock *(u64 *)(r0 + 0) += r1
.Lout:
	r0 = 2
	exit
	.size prog, .-prog

	.section xdp,"ax",@progbits
	.globl tail
	.type tail,@function
tail:
	r0 = 1
	exit
