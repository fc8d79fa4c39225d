/* map_cpumap.c - CPUMAP (kernel/bpf/cpumap.c): bpf_redirect_map targets that are
 * CPUs, indexed by CPU number; a value (struct bpf_cpumap_val) is the queue size and an
 * optional BPF_XDP_CPUMAP program. The emulator keeps no queue or kthread: an entry is
 * its value and its program.
 */
#include <errno.h>
#include <stdio.h>

#include "map_int.h"

#define CPUMAP_OWNER_BYTES 16u      /* emu_prog_array_compatible's owner record */
#define CPUMAP_QSIZE_MAX 16384u     /* cpu_map_update_elem's sanity limit */
#define CPUMAP_NR_CPUS_DEFAULT 8192u /* CONFIG_NR_CPUS of distribution x86-64 kernels */

/* One entry; a lookup returns &qsize (value_size bytes: qsize, prog id). */
struct cpumap_entry {
	uint32_t qsize;   /* 0 when the slot is empty */
	uint32_t prog_id; /* bpf_prog.id of the cpumap program, or 0 */
};

/* NR_CPUS of the kernel the emulator stands for: the host's (kernel_max + 1), at
 * least the possible CPUs. */
static uint32_t cpumap_nr_cpus(void)
{
	static uint32_t nr_cpus;
	unsigned int kernel_max;
	FILE *f;

	if (!nr_cpus) {
		nr_cpus = CPUMAP_NR_CPUS_DEFAULT;
		f = fopen("/sys/devices/system/cpu/kernel_max", "re");
		if (f && fscanf(f, "%u", &kernel_max) == 1 && kernel_max < UINT32_MAX)
			nr_cpus = kernel_max + 1;
		if (f)
			fclose(f);
	}
	return nr_cpus > emu_config_possible_cpus() ? nr_cpus : emu_config_possible_cpus();
}

static int cpu_map_alloc_check(const union bpf_attr *attr)
{
	if (attr->max_entries == 0 || attr->key_size != 4 ||
	    (attr->value_size != 4 && attr->value_size != 8) ||
	    attr->map_flags & ~BPF_F_NUMA_NODE)
		return -EINVAL;
	if (attr->max_entries > cpumap_nr_cpus())
		return -E2BIG;
	return 0;
}

static uint64_t cpu_map_data_size(const struct emu_map *map)
{
	return CPUMAP_OWNER_BYTES + (uint64_t)map->desc.max_entries * sizeof(struct cpumap_entry);
}

static struct cpumap_entry *cpu_map_entry(struct emu_map *map, uint32_t index)
{
	return (struct cpumap_entry *)(map->data + CPUMAP_OWNER_BYTES) + index;
}

static void cpu_map_entry_set(struct emu_map *map, uint32_t index, uint32_t qsize,
			      struct emu_prog *prog)
{
	struct cpumap_entry *entry = cpu_map_entry(map, index);

	if (map->slots && map->slots[index])
		emu_prog_put(map->slots[index]);
	if (map->slots)
		map->slots[index] = prog;
	entry->qsize = qsize;
	entry->prog_id = prog ? prog->id : 0;
}

static void cpu_map_free(struct emu_map *map)
{
	if (!map->slots)
		return;
	for (uint32_t i = 0; i < map->desc.max_entries; i++)
		if (map->slots[i])
			emu_prog_put(map->slots[i]);
}

static void *cpu_map_lookup(struct emu_map *map, const void *key)
{
	uint32_t index = emu_map_load_u32(key);
	struct cpumap_entry *entry;

	if (index >= map->desc.max_entries)
		return NULL;
	entry = cpu_map_entry(map, index);
	return entry->qsize ? &entry->qsize : NULL;
}

/* __cpu_map_load_bpf_program: an XDP program loaded for BPF_XDP_CPUMAP that the map
 * accepts. Its failure makes the entry allocation fail, which update reports as
 * ENOMEM whatever the cause. */
static struct emu_prog *cpu_map_get_prog(struct emu_map *map, int fd)
{
	struct emu_prog *prog = emu_prog_get_by_fd(fd);

	if (prog && prog->type == BPF_PROG_TYPE_XDP &&
	    prog->expected_attach_type == BPF_XDP_CPUMAP && emu_prog_array_compatible(map, prog))
		return prog;
	if (prog)
		emu_prog_put(prog);
	return NULL;
}

/* cpu_map_update_elem: qsize 0 empties the slot; the key must be a possible CPU. */
static int cpu_map_sys_update(struct emu_map *map, const void *key, const void *value,
			      uint64_t flags)
{
	uint32_t index = emu_map_load_u32(key), val[2] = { 0, 0 };
	struct emu_prog *prog = NULL;

	memcpy(val, value, map->desc.value_size);
	if (flags > BPF_EXIST)
		return -EINVAL;
	if (index >= map->desc.max_entries)
		return -E2BIG;
	if (flags == BPF_NOEXIST)
		return -EEXIST;
	if (val[0] > CPUMAP_QSIZE_MAX)
		return -EOVERFLOW;
	if (index >= emu_config_possible_cpus())
		return -ENODEV;
	if (val[0] && (int)val[1] > 0) {
		prog = cpu_map_get_prog(map, (int)val[1]);
		if (!prog || !emu_map_slots(map)) {
			if (prog)
				emu_prog_put(prog);
			return -ENOMEM;
		}
	}
	cpu_map_entry_set(map, index, val[0], prog);
	return 0;
}

static long cpu_map_delete(struct emu_map *map, const void *key)
{
	uint32_t index = emu_map_load_u32(key);

	if (index >= map->desc.max_entries)
		return -EINVAL;
	cpu_map_entry_set(map, index, 0, NULL);
	return 0;
}

const struct emu_map_ops emu_cpumap_ops = {
	.alloc_check = cpu_map_alloc_check,
	.data_size = cpu_map_data_size,
	.free = cpu_map_free,
	.lookup = cpu_map_lookup,
	.delete = cpu_map_delete,
	.get_next_key = emu_array_get_next_key,
	.sys_update = cpu_map_sys_update,
	.refuses_btf = true,
};
