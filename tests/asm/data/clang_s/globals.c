/* globals.c - clang -S sample: global data in .rodata/.data/.bss, strings, a
 * bpf_printk-style helper call, static and global subprograms, a BTF-defined map. */
typedef unsigned int u32;
typedef unsigned long long u64;

#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name
#define SEC(name) __attribute__((section(name), used))

struct {
	__uint(type, 2);
	__uint(max_entries, 4);
	__type(key, u32);
	__type(value, u64);
} stats SEC(".maps");

static long (*trace_printk)(const char *fmt, u32 fmt_size, ...) = (void *)6;
static void *(*map_lookup_elem)(void *map, const void *key) = (void *)1;

const volatile u32 limit = 10;
u64 total = 3;
u64 hits;
static const char greeting[] = "seen %llu\n";

static __attribute__((noinline)) u64 scale(u64 x)
{
	return x * limit + total;
}

__attribute__((noinline)) int bump(u32 slot)
{
	u64 *value = map_lookup_elem(&stats, &slot);

	if (!value)
		return 0;
	*value += scale(slot);
	return 1;
}

SEC("tracepoint/syscalls/sys_enter_execve") int on_exec(void *ctx)
{
	hits++;
	if (bump(hits & 3))
		trace_printk(greeting, sizeof(greeting), hits);
	return 0;
}

char _license[] SEC("license") = "GPL";
