/* test_attach_types.c - BPF_PROG_LOAD's expected_attach_type rules (kernel
 * bpf_prog_load_fixup_attach_type + bpf_prog_load_check_attach) in the emulated kernel.
 * With `--kernel`: every program type loadable without BTF x attach types 0..70 swept
 * through both kernels, whose errno must agree (exit 77 without the bpf() syscall). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>

#include "ebpf/objfmt.h"
#include "emu_test.h"

#define SWEEP_ATTACH_MAX 70
#define BPF_F_SLEEPABLE_FLAG (1u << 4)

/* r0 = ret; exit - through the emulator or the real kernel: an fd (closed) as 0, or
 * -errno. */
static int load(bool kernel, uint32_t type, uint32_t attach, uint32_t btf_id, int32_t ret,
		uint32_t flags)
{
	struct objfmt_insn insns[2] = { { .code = 0xb7, .imm = ret }, { .code = 0x95 } };
	union bpf_attr attr;
	long fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = type;
	attr.expected_attach_type = attach;
	attr.attach_btf_id = btf_id;
	attr.prog_flags = flags;
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = 2;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	fd = kernel ? syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof(attr))
		    : emu_bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd < 0)
		return -errno;
	close((int)fd);
	return 0;
}

static int emu_load(uint32_t type, uint32_t attach)
{
	return load(false, type, attach, 0, 1, 0);
}

START_TEST(sockopt_needs_its_hook)
{
	ck_assert_int_eq(emu_load(BPF_PROG_TYPE_CGROUP_SOCKOPT, 0), -EINVAL);
	ck_assert_int_eq(emu_load(BPF_PROG_TYPE_CGROUP_SOCKOPT, BPF_CGROUP_INET_EGRESS), -EINVAL);
	ck_assert_int_eq(emu_load(BPF_PROG_TYPE_CGROUP_SOCKOPT, BPF_CGROUP_SETSOCKOPT), 0);
	ck_assert_int_eq(emu_load(BPF_PROG_TYPE_CGROUP_SOCKOPT, BPF_CGROUP_GETSOCKOPT), 0);
}
END_TEST

START_TEST(sk_lookup_needs_its_hook)
{
	ck_assert_int_eq(emu_load(BPF_PROG_TYPE_SK_LOOKUP, 0), -EINVAL);
	ck_assert_int_eq(emu_load(BPF_PROG_TYPE_SK_LOOKUP, BPF_SK_LOOKUP), 0);
}
END_TEST

START_TEST(cgroup_hooks)
{
	ck_assert_int_eq(emu_load(BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_INGRESS), 0);
	ck_assert_int_eq(emu_load(BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_EGRESS), 0);
	ck_assert_int_eq(emu_load(BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_SOCK_CREATE), -EINVAL);
	ck_assert_int_eq(emu_load(BPF_PROG_TYPE_CGROUP_SOCK_ADDR, 0), -EINVAL);
	ck_assert_int_eq(emu_load(BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT), 0);
	ck_assert_int_eq(emu_load(BPF_PROG_TYPE_CGROUP_SOCK_ADDR, 49), 0); /* UNIX_CONNECT */
	ck_assert_int_eq(emu_load(BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_SYSCTL), -EINVAL);
	ck_assert_int_eq(emu_load(BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET4_POST_BIND), 0);
	ck_assert_int_eq(emu_load(BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_EGRESS), -EINVAL);
}
END_TEST

/* 0 still selects the hook these types had before expected_attach_type existed */
START_TEST(implied_hooks)
{
	ck_assert_int_eq(emu_load(BPF_PROG_TYPE_CGROUP_SOCK, 0), 0);
	ck_assert_int_eq(emu_load(BPF_PROG_TYPE_SK_REUSEPORT, 0), 0);
	ck_assert_int_eq(emu_load(BPF_PROG_TYPE_SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT_OR_MIGRATE), 0);
	ck_assert_int_eq(emu_load(BPF_PROG_TYPE_SK_REUSEPORT, BPF_SK_LOOKUP), -EINVAL);
}
END_TEST

START_TEST(netfilter_and_syscall)
{
	ck_assert_int_eq(emu_load(32, 45), 0); /* BPF_PROG_TYPE_NETFILTER, BPF_NETFILTER */
	ck_assert_int_eq(emu_load(32, 0), -EINVAL);
	ck_assert_int_eq(load(false, BPF_PROG_TYPE_SYSCALL, 0, 0, 1, BPF_F_SLEEPABLE_FLAG), 0);
	ck_assert_int_eq(load(false, BPF_PROG_TYPE_SYSCALL, 1, 0, 1, BPF_F_SLEEPABLE_FLAG), -EINVAL);
}
END_TEST

/* other types take any attach type, and no attach_btf_id */
START_TEST(free_types_and_btf_ids)
{
	ck_assert_int_eq(emu_load(BPF_PROG_TYPE_XDP, BPF_SK_LOOKUP), 0);
	ck_assert_int_eq(emu_load(BPF_PROG_TYPE_SOCKET_FILTER, 70), 0);
	ck_assert_int_eq(load(false, BPF_PROG_TYPE_XDP, 0, 5, 1, 0), -EINVAL);
	ck_assert_int_eq(load(false, BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, 0x100000, 0, 0),
			 -EINVAL);
}
END_TEST

/* Types loadable without BTF on any kernel: TRACING, STRUCT_OPS, EXT and LSM need an
 * attach_btf_id (and this machine refuses trampolines), LIRC_MODE2 a kernel option. */
static bool swept(uint32_t type)
{
	return type != BPF_PROG_TYPE_LIRC_MODE2 && (type < BPF_PROG_TYPE_TRACING ||
						    type == BPF_PROG_TYPE_SK_LOOKUP ||
						    type == BPF_PROG_TYPE_SYSCALL || type == 32);
}

static int kernel_sweep(void)
{
	int agree = 0, differ = 0, accepted = 0;

	if (load(true, BPF_PROG_TYPE_SOCKET_FILTER, 0, 0, 0, 0) == -EPERM ||
	    load(true, BPF_PROG_TYPE_SOCKET_FILTER, 0, 0, 0, 0) == -ENOSYS) {
		printf("SKIP: no bpf() PROG_LOAD\n");
		return 77;
	}
	for (uint32_t type = 1; type <= 32; type++) {
		/* raw_tracepoint: 0 (the emulator checks R0 by attach type, not BTF id);
		 * syscall programs must be sleepable */
		int32_t ret = type == BPF_PROG_TYPE_RAW_TRACEPOINT ? 0 : 1;
		uint32_t flags = type == BPF_PROG_TYPE_SYSCALL ? BPF_F_SLEEPABLE_FLAG : 0;
		for (uint32_t attach = 0; swept(type) && attach <= SWEEP_ATTACH_MAX; attach++) {
			int k = load(true, type, attach, 0, ret, flags);
			int e = load(false, type, attach, 0, ret, flags);
			if (k == e) {
				agree++;
				accepted += k == 0;
				continue;
			}
			differ++;
			printf("FAIL: type %u attach %u: kernel %d, emulator %d\n", type, attach, k, e);
		}
	}
	printf("%s: %d of %d loads agree (%d accepted)\n", differ ? "FAIL" : "ok", agree,
	       agree + differ, accepted);
	return differ ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--kernel") == 0)
		return kernel_sweep();
	Suite *s = suite_create("attach_types");
	TCase *tc = tcase_create("prog_load");
	tcase_add_test(tc, sockopt_needs_its_hook);
	tcase_add_test(tc, sk_lookup_needs_its_hook);
	tcase_add_test(tc, cgroup_hooks);
	tcase_add_test(tc, implied_hooks);
	tcase_add_test(tc, netfilter_and_syscall);
	tcase_add_test(tc, free_types_and_btf_ids);
	suite_add_tcase(s, tc);
	SRunner *runner = srunner_create(s);
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
