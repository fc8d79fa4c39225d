# helpers.s - `call NAME` of a UAPI helper is the helper call `call ID`; this file is
# assembled by llvm-mc from data/helpers_numbers.s to make helpers.expected.
	.text
prog:
	call bpf_map_lookup_elem
	call map_update_elem
	call bpf_trace_printk
	call bpf_ktime_get_ns
	call bpf_redirect_map
	call bpf_ringbuf_output
	call bpf_tail_call
	exit
