/* helpers_config.c - the world the helpers report: run configuration (clock, random
 * seed, current task), the trace_printk capture buffer and the emulated memory that
 * probe_read reads. Process-wide, like the emulated kernel itself. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define CONFIG_DEFAULTS                                                                \
	{                                                                              \
		.clock_start_ns = 1000000000ull, .clock_step_ns = 1000, .boot_offset_ns = 0, \
		.seed = 1, .numa_node = 0, .pid = 4242, .tgid = 4242, .uid = 0, .gid = 0,    \
		.comm = "ebpf-run", .task = 0xffff888004242000ull,                            \
	}

static const struct emu_run_config config_defaults = CONFIG_DEFAULTS;
static struct emu_run_config config = CONFIG_DEFAULTS;
static uint64_t clock_now;      /* last value returned; 0 = not started */
static uint64_t prandom_state;  /* 0 = not seeded */

/* Emulated memory ranges for probe_read. */
struct memory_range {
	uint64_t addr;
	uint64_t size;
	bool user;
	uint8_t *data;
};
static struct memory_range *memory;
static size_t memory_cnt;

/* Captured trace text. */
static char *trace_text;
static size_t trace_len, trace_cap;

const struct emu_run_config *emu_helpers_config(void)
{
	return &config;
}

void emu_run_config_get(struct emu_run_config *out)
{
	*out = config;
}

int emu_run_config_set(const struct emu_run_config *c)
{
	if (!c)
		return -EINVAL;
	config = *c;
	config.comm[sizeof(config.comm) - 1] = '\0';
	clock_now = 0;
	prandom_state = 0;
	return 0;
}

void emu_run_config_reset(void)
{
	emu_run_config_set(&config_defaults);
}

uint64_t emu_helpers_clock_read(void)
{
	clock_now = clock_now ? clock_now + config.clock_step_ns : config.clock_start_ns;
	return clock_now;
}

/* xorshift64*: deterministic for a given seed, never stuck at 0. */
uint32_t emu_helpers_prandom(void)
{
	if (!prandom_state)
		prandom_state = config.seed ? config.seed : 0x9e3779b97f4a7c15ull;
	prandom_state ^= prandom_state >> 12;
	prandom_state ^= prandom_state << 25;
	prandom_state ^= prandom_state >> 27;
	return (uint32_t)((prandom_state * 0x2545f4914f6cdd1dull) >> 32);
}

int emu_helpers_trace_append(const char *text, size_t len)
{
	if (trace_len + len + 1 > trace_cap) {
		size_t cap = trace_cap ? trace_cap : 256;
		char *p;

		while (cap < trace_len + len + 1)
			cap *= 2;
		p = realloc(trace_text, cap);
		if (!p)
			return -ENOMEM;
		trace_text = p;
		trace_cap = cap;
	}
	memcpy(trace_text + trace_len, text, len);
	trace_len += len;
	trace_text[trace_len] = '\0';
	return 0;
}

const char *emu_trace_output(unsigned long *len)
{
	if (len)
		*len = trace_len;
	return trace_text ? trace_text : "";
}

void emu_trace_clear(void)
{
	trace_len = 0;
	if (trace_text)
		trace_text[0] = '\0';
}

int emu_memory_add(unsigned long long addr, const void *data, unsigned long size, int user)
{
	struct memory_range *m;

	if (!data || !size || addr + size < addr)
		return -EINVAL;
	m = realloc(memory, (memory_cnt + 1) * sizeof(*m));
	if (!m)
		return -ENOMEM;
	memory = m;
	m[memory_cnt].data = malloc(size);
	if (!m[memory_cnt].data)
		return -ENOMEM;
	memcpy(m[memory_cnt].data, data, size);
	m[memory_cnt].addr = addr;
	m[memory_cnt].size = size;
	m[memory_cnt].user = user != 0;
	memory_cnt++;
	return 0;
}

void emu_memory_clear(void)
{
	for (size_t i = 0; i < memory_cnt; i++)
		free(memory[i].data);
	free(memory);
	memory = NULL;
	memory_cnt = 0;
}

/* Host bytes of emulated address range [addr, addr + size) in the given space, or
 * NULL; *avail receives how many bytes the range holds from addr on. */
const uint8_t *emu_helpers_memory(uint64_t addr, bool user, uint64_t *avail)
{
	for (size_t i = 0; i < memory_cnt; i++) {
		const struct memory_range *m = &memory[i];

		if (m->user == user && addr >= m->addr && addr - m->addr < m->size) {
			*avail = m->size - (addr - m->addr);
			return m->data + (addr - m->addr);
		}
	}
	return NULL;
}
