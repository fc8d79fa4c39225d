/* config.c - emulator configuration of the map side: how many CPUs exist and which
 * one programs run on.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "ebpf/emu.h"
#include "map_int.h"

static unsigned int config_cpus;        /* 0 until first asked */
static unsigned int config_current_cpu; /* < config_cpus */

/* Count CPUs in a list like "0-3,8,10-11", as libbpf_num_possible_cpus() does. */
static unsigned int config_count_cpu_list(const char *list)
{
	unsigned int count = 0;
	const char *p = list;

	while (*p) {
		char *end;
		unsigned long first = strtoul(p, &end, 10), last = first;

		if (end == p)
			break;
		if (*end == '-')
			last = strtoul(end + 1, &end, 10);
		if (last >= first)
			count += (unsigned int)(last - first + 1);
		p = *end == ',' ? end + 1 : end;
		if (*p == '\n')
			break;
	}
	return count;
}

static unsigned int config_host_cpus(void)
{
	const char *env = getenv("EBPF_EMU_CPUS");
	char line[256];
	unsigned int count = 0;
	FILE *f;

	if (env && atoi(env) > 0 && atoi(env) <= EMU_MAX_CPUS)
		return (unsigned int)atoi(env);
	f = fopen("/sys/devices/system/cpu/possible", "re");
	if (f) {
		if (fgets(line, sizeof(line), f))
			count = config_count_cpu_list(line);
		fclose(f);
	}
	return count ? count : 1;
}

int emu_config_set_cpus(unsigned int cpus)
{
	if (cpus == 0 || cpus > EMU_MAX_CPUS)
		return -EINVAL;
	config_cpus = cpus;
	if (config_current_cpu >= cpus)
		config_current_cpu = 0;
	return 0;
}

unsigned int emu_config_cpus(void)
{
	if (!config_cpus)
		config_cpus = config_host_cpus();
	return config_cpus;
}

uint32_t emu_config_possible_cpus(void)
{
	return emu_config_cpus();
}

int emu_config_set_current_cpu(unsigned int cpu)
{
	if (cpu >= emu_config_cpus())
		return -EINVAL;
	config_current_cpu = cpu;
	return 0;
}

unsigned int emu_config_current_cpu(void)
{
	return config_current_cpu;
}
