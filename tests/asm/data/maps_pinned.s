# maps_pinned.s - .map with pinning=by_name and map_flags (BTF checked, not loaded:
# loading would pin under /sys/fs/bpf).
	.license "Dual BSD/GPL"
	.version 0x50a00
	.map shared, type=lru_hash, key_size=8, value_size=8, max_entries=64, map_flags=0, pinning=by_name
	.section socket,"ax",@progbits
	.globl filter
filter:
	r1 = shared ll
	r0 = 0
	exit
