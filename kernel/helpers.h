/* helpers.h - internals shared by the helper implementations (helpers*.c): the run
 * configuration accessors of helpers_config.c and one declaration per helper, named
 * emu_helper_<UAPI name without bpf_>. */
#ifndef EBPF_KERNEL_HELPERS_H
#define EBPF_KERNEL_HELPERS_H

#include <stdbool.h>
#include <stdint.h>

#include "interp.h"

/* helpers_config.c */
const struct emu_run_config *emu_helpers_config(void);
uint64_t emu_helpers_clock_read(void);      /* monotonic ns, advancing per read */
uint32_t emu_helpers_prandom(void);         /* next value of the seeded sequence */
int emu_helpers_trace_append(const char *text, size_t len);
const uint8_t *emu_helpers_memory(uint64_t addr, bool user, uint64_t *avail);

/* helpers_format.c: the kernel's bpf_bprintf rules. Formats `fmt` (fmt_size bytes,
 * NUL-terminated inside) with `args` (num_args u64 values) into out (out_size bytes,
 * always NUL-terminated when out_size > 0). Returns the length of the full output or
 * -EINVAL for a format the kernel refuses. */
int emu_helpers_format(char *out, uint32_t out_size, const char *fmt, uint32_t fmt_size,
		       const uint64_t *args, uint32_t num_args);
/* Copy up to `size` bytes of a string at emulated/host address `addr` (no fault):
 * returns the length copied incl. NUL, or -EFAULT. */
long emu_helpers_read_str(char *dst, uint32_t size, uint64_t addr, bool user);
/* Copy `size` bytes at `addr`; -EFAULT (dst zeroed) when unreadable. */
long emu_helpers_read_mem(void *dst, uint32_t size, uint64_t addr, bool user);
/* Host bytes of a read-only memory argument of `size` bytes at `addr`: the pointer
 * itself, or for a kernel object (PTR_TO_BTF_ID, an address in the kernel half) its
 * bytes in the emulated kernel memory, copied into *copy (zeros where nothing is
 * emulated; the caller frees *copy, NULL when no copy was made). NULL when out of
 * memory. */
const void *emu_helpers_input(uint64_t addr, uint64_t size, void **copy);

/* helpers_packet.c: 16-bit ones' complement sum of `len` bytes taken as little-endian
 * words, as if they started `position` bytes into a checksummed region (an odd
 * position swaps the bytes of the sum); add two such sums. */
uint16_t emu_csum_block(const uint8_t *p, size_t len, uint64_t position);
uint16_t emu_csum_add(uint16_t a, uint16_t b);

#define EMU_HELPER(name)                                                                \
	uint64_t emu_helper_##name(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,     \
				   uint64_t r5)

/* helpers.c: maps, time, random, task, tail calls */
EMU_HELPER(map_lookup_elem);
EMU_HELPER(map_update_elem);
EMU_HELPER(map_delete_elem);
EMU_HELPER(map_push_elem);
EMU_HELPER(map_pop_elem);
EMU_HELPER(map_peek_elem);
EMU_HELPER(ktime_get_ns);
EMU_HELPER(ktime_get_boot_ns);
EMU_HELPER(ktime_get_coarse_ns);
EMU_HELPER(jiffies64);
EMU_HELPER(get_prandom_u32);
EMU_HELPER(get_smp_processor_id);
EMU_HELPER(get_numa_node_id);
EMU_HELPER(get_current_pid_tgid);
EMU_HELPER(get_current_uid_gid);
EMU_HELPER(get_current_comm);
EMU_HELPER(get_current_task);
EMU_HELPER(get_current_task_btf);
EMU_HELPER(tail_call);
EMU_HELPER(spin_lock);
EMU_HELPER(spin_unlock);
/* helpers_trace.c: output and memory reads */
EMU_HELPER(trace_printk);
EMU_HELPER(trace_vprintk);
EMU_HELPER(snprintf);
EMU_HELPER(probe_read);
EMU_HELPER(probe_read_str);
EMU_HELPER(probe_read_kernel);
EMU_HELPER(probe_read_user);
EMU_HELPER(probe_read_kernel_str);
EMU_HELPER(probe_read_user_str);
EMU_HELPER(perf_event_output);
EMU_HELPER(ringbuf_output);
EMU_HELPER(ringbuf_reserve);
EMU_HELPER(ringbuf_submit);
EMU_HELPER(ringbuf_discard);
EMU_HELPER(ringbuf_query);
/* helpers_packet.c: packet access and rewriting */
EMU_HELPER(xdp_adjust_head);
EMU_HELPER(xdp_adjust_tail);
EMU_HELPER(xdp_adjust_meta);
EMU_HELPER(skb_load_bytes);
EMU_HELPER(skb_store_bytes);
EMU_HELPER(l3_csum_replace);
EMU_HELPER(l4_csum_replace);
EMU_HELPER(csum_diff);
/* ring buffer dynptrs (helpers_trace.c) */
EMU_HELPER(ringbuf_reserve_dynptr);
EMU_HELPER(ringbuf_submit_dynptr);
EMU_HELPER(ringbuf_discard_dynptr);
EMU_HELPER(dynptr_read);
EMU_HELPER(dynptr_write);
EMU_HELPER(dynptr_data);
/* bpf_timer (helpers_misc.c); emu_timers_fire runs the armed timers of run->prog,
 * earliest first, when a test run ends (the kernel's fire later, asynchronously) */
EMU_HELPER(timer_init);
EMU_HELPER(timer_set_callback);
EMU_HELPER(timer_start);
EMU_HELPER(timer_cancel);
void emu_timers_fire(struct emu_run *run);
/* `prog` is being freed: its timers lose their callback and are disarmed (an emulated
 * timer fires only when its program's run ends, which can no longer happen). */
void emu_timers_forget_prog(const struct emu_prog *prog);
/* sockets (helpers_packet.c): lookups in the emulated socket table */
EMU_HELPER(sk_lookup_tcp);
EMU_HELPER(sk_lookup_udp);
EMU_HELPER(skc_lookup_tcp);
EMU_HELPER(sk_release);
EMU_HELPER(sk_fullsock);
EMU_HELPER(tcp_sock);
EMU_HELPER(redirect);
EMU_HELPER(redirect_map);
/* helpers_misc.c: callbacks and string parsing */
EMU_HELPER(loop);
EMU_HELPER(for_each_map_elem);
EMU_HELPER(strtol);
EMU_HELPER(strtoul);

#endif /* EBPF_KERNEL_HELPERS_H */
