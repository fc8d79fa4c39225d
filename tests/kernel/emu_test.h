/* emu_test.h - helpers shared by the emulated-kernel tests: one-line wrappers over
 * emu_bpf() for the commands the tests issue again and again.
 */
#ifndef EBPF_TESTS_KERNEL_EMU_TEST_H
#define EBPF_TESTS_KERNEL_EMU_TEST_H

#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "ebpf/emu.h"

static inline int t_bpf(int cmd, union bpf_attr *attr)
{
	return emu_bpf(cmd, attr, sizeof(*attr));
}

static inline int t_map_create_flags(uint32_t type, uint32_t key_size, uint32_t value_size,
				     uint32_t max_entries, uint32_t flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = type;
	attr.key_size = key_size;
	attr.value_size = value_size;
	attr.max_entries = max_entries;
	attr.map_flags = flags;
	return t_bpf(BPF_MAP_CREATE, &attr);
}

static inline int t_map_create(uint32_t type, uint32_t key_size, uint32_t value_size,
			       uint32_t max_entries)
{
	return t_map_create_flags(type, key_size, value_size, max_entries, 0);
}

static inline int t_elem(int cmd, int fd, const void *key, void *value, uint64_t flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)fd;
	attr.key = (uint64_t)(uintptr_t)key;
	attr.value = (uint64_t)(uintptr_t)value;
	attr.flags = flags;
	return t_bpf(cmd, &attr);
}

static inline int t_update(int fd, const void *key, const void *value, uint64_t flags)
{
	return t_elem(BPF_MAP_UPDATE_ELEM, fd, key, (void *)value, flags);
}

static inline int t_lookup(int fd, const void *key, void *value)
{
	return t_elem(BPF_MAP_LOOKUP_ELEM, fd, key, value, 0);
}

static inline int t_delete(int fd, const void *key)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)fd;
	attr.key = (uint64_t)(uintptr_t)key;
	return t_bpf(BPF_MAP_DELETE_ELEM, &attr);
}

static inline int t_next_key(int fd, const void *key, void *next)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)fd;
	attr.key = (uint64_t)(uintptr_t)key;
	attr.next_key = (uint64_t)(uintptr_t)next;
	return t_bpf(BPF_MAP_GET_NEXT_KEY, &attr);
}

/* errno of a call expected to fail, or 0 if it succeeded. */
#define T_ERRNO(call) ((call) < 0 ? errno : 0)

#endif /* EBPF_TESTS_KERNEL_EMU_TEST_H */
