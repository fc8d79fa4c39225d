/* test_sock.c - socket pointers: bpf_sk_lookup_tcp/udp and bpf_skc_lookup_tcp results
 * are references that bpf_sk_release must drop on every path, __sk_buff.sk is a
 * sock_common or NULL, bpf_sk_fullsock / bpf_tcp_sock cast it, and loads through each
 * kind follow the kernel's field rules. Verdicts and key lines are the real kernel's
 * (checked when run as root); test runs compare the socket test_run attaches and a
 * lookup of a listening socket with the kernel's. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "ebpf/emu.h"
#include "vcheck.h"

/* The tuple {saddr 0, daddr 127.0.0.1, sport 0, dport PORT} at fp-16, ctx in r6. */
#define TUPLE(port)                                                                     \
	"r6 = r1\nr1 = 0\n*(u64 *)(r10 - 16) = r1\n*(u64 *)(r10 - 8) = r1\n"               \
	"r1 = 16777343\n*(u32 *)(r10 - 12) = r1\nr1 = " port "\n*(u16 *)(r10 - 6) = r1\n" \
	"r1 = r6\nr2 = r10\nr2 += -16\nr3 = 12\nr4 = -1\nr5 = 0\n"
/* insn 14 is the lookup call */
#define LOOKUP(helper, port) TUPLE(port) "call " helper "\n"

static void expect_tc(const char *text, int err, const char *line)
{
	expect_type(BPF_PROG_TYPE_SCHED_CLS, text, err, line);
}

START_TEST(lookup_result_is_released_on_every_path)
{
	expect_tc(LOOKUP("bpf_sk_lookup_tcp", "256") "if r0 == 0 goto +5\n"
		  "r6 = *(u32 *)(r0 + 44)\nr1 = r0\ncall bpf_sk_release\nr0 = r6\nexit\n"
		  "r0 = 0\nexit", 0, NULL);
	expect_tc(LOOKUP("bpf_sk_lookup_tcp", "256") "if r0 == 0 goto +2\n"
		  "r0 = *(u32 *)(r0 + 44)\nexit\nr0 = 0\nexit", EINVAL,
		  "Unreleased reference id=2 alloc_insn=14");
	expect_tc(LOOKUP("bpf_sk_lookup_tcp", "256") "if r0 == 0 goto +2\n"
		  "r0 = *(u32 *)(r0 + 44)\nexit\nr0 = 0\nexit", EINVAL,
		  "R0=sock_or_null(id=2,ref_obj_id=2) refs=2");
}
END_TEST

START_TEST(lookup_result_may_be_null)
{
	expect_tc(LOOKUP("bpf_sk_lookup_udp", "256") "r6 = *(u32 *)(r0 + 44)\n"
		  "if r0 == 0 goto +2\nr1 = r0\ncall bpf_sk_release\nr0 = 0\nexit", EACCES,
		  "R0 invalid mem access 'sock_or_null'");
}
END_TEST

START_TEST(released_socket_is_gone)
{
	expect_tc(LOOKUP("bpf_sk_lookup_tcp", "256") "if r0 == 0 goto +4\nr6 = r0\nr1 = r0\n"
		  "call bpf_sk_release\nr0 = *(u32 *)(r6 + 44)\nexit", EACCES,
		  "R6 invalid mem access 'scalar'");
}
END_TEST

START_TEST(release_needs_an_acquired_socket)
{
	expect_tc("r1 = *(u64 *)(r1 + 168)\nif r1 == 0 goto +1\ncall bpf_sk_release\nr0 = 0\n"
		  "exit", EINVAL, "R1 must be referenced when passed to release function");
	expect_tc("r1 = *(u32 *)(r1 + 0)\ncall bpf_sk_release\nr0 = 0\nexit", EACCES,
		  "R1 type=scalar expected=sock_common, sock, tcp_sock, xdp_sock, ptr_, "
		  "trusted_ptr_");
}
END_TEST

START_TEST(skb_sk_is_sock_common_or_null)
{
	expect_tc("r1 = *(u64 *)(r1 + 168)\nr0 = *(u32 *)(r1 + 4)\nexit", EACCES,
		  "R1 invalid mem access 'sock_common_or_null'");
	expect_tc("r1 = *(u64 *)(r1 + 168)\ncall bpf_sk_fullsock\nr0 = 0\nexit", EACCES,
		  "R1 type=sock_common_or_null expected=sock_common, sock, tcp_sock, xdp_sock");
	expect_tc("r1 = *(u64 *)(r1 + 168)\nif r1 == 0 goto +1\nr0 = *(u32 *)(r1 + 8)\nr0 = 0\n"
		  "exit", EACCES, "R1 invalid sock_common access off=8 size=4");
	expect_tc("r1 = *(u64 *)(r1 + 168)\nif r1 == 0 goto +2\nr2 = 1\n*(u32 *)(r1 + 16) = r2\n"
		  "r0 = 0\nexit", EACCES, "R1 cannot write into sock_common");
	expect_tc("r1 = *(u64 *)(r1 + 168)\nif r1 == 0 goto +1\nr1 += 4\nr0 = 0\nexit", EACCES,
		  "R1 pointer arithmetic on sock_common prohibited");
}
END_TEST

START_TEST(field_rules_per_socket_kind)
{
	/* narrow loads of family and dst_port, none of dst_port's padding */
	expect_tc("r1 = *(u64 *)(r1 + 168)\nif r1 == 0 goto +2\nr0 = *(u8 *)(r1 + 4)\n"
		  "r0 = *(u16 *)(r1 + 48)\nr0 = 0\nexit", 0, NULL);
	expect_tc("r1 = *(u64 *)(r1 + 168)\nif r1 == 0 goto +1\nr0 = *(u16 *)(r1 + 50)\nr0 = 0\n"
		  "exit", EACCES, "R1 invalid sock_common access off=50 size=2");
	/* a full socket has type; bpf_tcp_sock's byte counters are 8 bytes */
	expect_tc("r1 = *(u64 *)(r1 + 168)\nif r1 == 0 goto +4\ncall bpf_sk_fullsock\n"
		  "if r0 == 0 goto +2\nr0 = *(u32 *)(r0 + 8)\nexit\nr0 = 0\nexit", 0, NULL);
	expect_tc("r1 = *(u64 *)(r1 + 168)\nif r1 == 0 goto +4\ncall bpf_tcp_sock\n"
		  "if r0 == 0 goto +2\nr0 = *(u64 *)(r0 + 88)\nexit\nr0 = 0\nexit", 0, NULL);
	expect_tc("r1 = *(u64 *)(r1 + 168)\nif r1 == 0 goto +4\ncall bpf_tcp_sock\n"
		  "if r0 == 0 goto +2\nr0 = *(u32 *)(r0 + 88)\nexit\nr0 = 0\nexit", EACCES,
		  "R0 invalid tcp_sock access off=88 size=4");
}
END_TEST

START_TEST(fullsock_keeps_the_lookup_reference)
{
	/* sk_fullsock's NULL does not release skc_lookup's reference */
	expect_tc(LOOKUP("bpf_skc_lookup_tcp", "256") "if r0 == 0 goto +6\nr6 = r0\nr1 = r0\n"
		  "call bpf_sk_fullsock\nif r0 == 0 goto +3\nr1 = r0\ncall bpf_sk_release\n"
		  "r0 = 0\nexit", EINVAL, "Unreleased reference id=2 alloc_insn=14");
	expect_tc(LOOKUP("bpf_skc_lookup_tcp", "256") "if r0 == 0 goto +4\nr6 = r0\nr1 = r0\n"
		  "call bpf_sk_release\nr0 = 0\nexit", 0, NULL);
}
END_TEST

START_TEST(lookups_belong_to_packet_types)
{
	expect_type(BPF_PROG_TYPE_SOCKET_FILTER, LOOKUP("bpf_sk_lookup_tcp", "256")
		    "r0 = 0\nexit", EINVAL,
		    "program of this type cannot use helper bpf_sk_lookup_tcp#84");
	expect_type(BPF_PROG_TYPE_XDP, LOOKUP("bpf_sk_lookup_tcp", "256")
		    "if r0 == 0 goto +2\nr1 = r0\ncall bpf_sk_release\nr0 = 2\nexit", 0, NULL);
}
END_TEST

/* Test-run `text` (tc) on an IPv4/TCP packet 1.2.3.4 -> 5.6.7.8 on `target`. */
static uint32_t run_tc(enum vt_target target, const char *text)
{
	static const uint8_t packet[54] = {
		[12] = 0x08, [14] = 0x45, [17] = 40, [22] = 64, [23] = 6,
		[26] = 1, 2, 3, 4, 5, 6, 7, 8,
	};
	static struct vt_prog prog;
	struct vt_result res;
	uint32_t retval = 0;

	vt_assemble(text, fixture_maps(target), &prog);
	vt_load(target, BPF_PROG_TYPE_SCHED_CLS, &prog, "GPL", 1, &res);
	ck_assert_msg(res.fd >= 0, "%s: errno %d:\n%s", target == VT_EMU ? "emulator" : "kernel",
		      res.err, res.log);
	ck_assert_int_eq(vt_test_run(target, res.fd, packet, sizeof(packet), &retval, NULL, NULL),
			 0);
	vt_close(target, res.fd);
	vt_result_free(&res);
	return retval;
}

static void expect_run(const char *text, uint32_t retval)
{
	ck_assert_uint_eq(run_tc(VT_EMU, text), retval);
	if (kernel_cross_check())
		ck_assert_uint_eq(run_tc(VT_KERNEL, text), retval);
}

START_TEST(test_run_attaches_a_closed_socket)
{
	const char *field = "r1 = *(u64 *)(r1 + 168)\nif r1 == 0 goto +2\nr0 = *(u32 *)(r1 + %d)\n"
			    "exit\nr0 = 12345\nexit";
	char text[256];
	static const struct { int off; uint32_t value; } fields[] = {
		{ 4, 2 },           /* family AF_INET */
		{ 72, 7 },          /* state TCP_CLOSE */
		{ 76, 0xffffffff }, /* rx_queue_mapping: none */
		{ 24, 0x04030201 }, /* src_ip4: the packet's source */
		{ 52, 0x08070605 }, /* dst_ip4 */
		{ 0, 0 },           /* bound_dev_if */
	};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		snprintf(text, sizeof(text), field, fields[i].off);
		expect_run(text, fields[i].value);
	}
	/* a full socket without TCP state */
	expect_run("r1 = *(u64 *)(r1 + 168)\nif r1 == 0 goto +10\nr6 = r1\ncall bpf_sk_fullsock\n"
		   "if r0 == 0 goto +7\nr1 = r6\ncall bpf_tcp_sock\nif r0 == 0 goto +2\nr0 = 5\n"
		   "exit\nr0 = 100\nexit\nr0 = 7\nexit", 100);
}
END_TEST

START_TEST(lookup_finds_a_listening_socket)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001) };
	socklen_t len = sizeof(addr);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	ck_assert_int_eq(listen(fd, 1), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
	uint16_t port = ntohs(addr.sin_port);
	struct bpf_sock listener = { .family = AF_INET, .type = SOCK_STREAM,
				     .protocol = IPPROTO_TCP, .state = 10,
				     .src_ip4 = htonl(0x7f000001), .src_port = port };
	ck_assert_int_eq(emu_socket_add(&listener), 0);
	char text[1024], port_be[16];
	snprintf(port_be, sizeof(port_be), "%u", htons(port));
	/* returns src_port (host order) | state << 16 of the socket found, else 1 */
	snprintf(text, sizeof(text), TUPLE("%s") "call bpf_sk_lookup_tcp\nif r0 == 0 goto +8\n"
		 "r6 = *(u32 *)(r0 + 44)\nr7 = *(u32 *)(r0 + 72)\nr7 <<= 16\nr6 |= r7\nr1 = r0\n"
		 "call bpf_sk_release\nr0 = r6\nexit\nr0 = 1\nexit", port_be);
	expect_run(text, port | 10u << 16);
	/* UDP finds nothing there */
	snprintf(text, sizeof(text), TUPLE("%s") "call bpf_sk_lookup_udp\nif r0 == 0 goto +4\n"
		 "r1 = r0\ncall bpf_sk_release\nr0 = 2\nexit\nr0 = 1\nexit", port_be);
	expect_run(text, 1);
	emu_socket_clear();
	close(fd);
}
END_TEST

/* Verdict of a load of `size` bytes at `off` through a socket of `kind` (0: skb->sk,
 * 1: its full socket, 2: its tcp_sock) on `target`. */
static int field_verdict(enum vt_target target, int kind, int off, int size)
{
	static const char *const get[3] = {
		"r1 = *(u64 *)(r1 + 168)\nif r1 == 0 goto +4\nr0 = r1\nr0 = r0\n",
		"r1 = *(u64 *)(r1 + 168)\nif r1 == 0 goto +4\ncall bpf_sk_fullsock\n"
		"if r0 == 0 goto +2\n",
		"r1 = *(u64 *)(r1 + 168)\nif r1 == 0 goto +4\ncall bpf_tcp_sock\n"
		"if r0 == 0 goto +2\n",
	};
	static const char *const width[9] = { [1] = "u8", [2] = "u16", [4] = "u32", [8] = "u64" };
	static struct vt_prog prog;
	char text[512];
	struct vt_result res;

	snprintf(text, sizeof(text), "%sr0 = *(%s *)(r0 + %d)\nexit\nr0 = 0\nexit", get[kind],
		 width[size], off);
	vt_assemble(text, fixture_maps(target), &prog);
	vt_load(target, BPF_PROG_TYPE_SCHED_CLS, &prog, "GPL", 0, &res);
	int err = res.err;
	vt_close(target, res.fd);
	vt_result_free(&res);
	return err;
}

START_TEST(every_field_access_as_the_kernel_decides)
{
	static const int sizes[] = { 1, 2, 4, 8 };
	static const int ends[3] = { 84, 84, 116 }; /* a little past each struct */
	int checked = 0, mismatches = 0, accepted = 0;
	if (!kernel_cross_check())
		return; /* the kernel is the oracle of this sweep */
	for (int kind = 0; kind < 3; kind++)
		for (int off = 0; off < ends[kind]; off++)
			for (size_t s = 0; s < 4; s++) {
				int emu = field_verdict(VT_EMU, kind, off, sizes[s]);
				int kernel = field_verdict(VT_KERNEL, kind, off, sizes[s]);
				checked++;
				accepted += kernel == 0;
				if (emu != kernel) {
					mismatches++;
					fprintf(stderr, "kind %d off %d size %d: emulator %d, kernel %d\n",
						kind, off, sizes[s], emu, kernel);
				}
			}
	ck_assert_msg(mismatches == 0, "%d of %d field accesses disagree", mismatches, checked);
	ck_assert_int_gt(accepted, 50); /* the sweep saw both verdicts */
}
END_TEST

START_TEST(socket_helpers_per_program_type_as_the_kernel_decides)
{
	static const uint32_t types[] = {
		BPF_PROG_TYPE_SOCKET_FILTER, BPF_PROG_TYPE_KPROBE, BPF_PROG_TYPE_SCHED_CLS,
		BPF_PROG_TYPE_SCHED_ACT, BPF_PROG_TYPE_TRACEPOINT, BPF_PROG_TYPE_XDP,
		BPF_PROG_TYPE_PERF_EVENT, BPF_PROG_TYPE_CGROUP_SKB, BPF_PROG_TYPE_CGROUP_SOCK,
		BPF_PROG_TYPE_LWT_IN, BPF_PROG_TYPE_LWT_OUT, BPF_PROG_TYPE_LWT_XMIT,
		BPF_PROG_TYPE_SOCK_OPS, BPF_PROG_TYPE_SK_SKB, BPF_PROG_TYPE_CGROUP_DEVICE,
		BPF_PROG_TYPE_SK_MSG, BPF_PROG_TYPE_RAW_TRACEPOINT, BPF_PROG_TYPE_CGROUP_SYSCTL,
		BPF_PROG_TYPE_FLOW_DISSECTOR,
	};
	/* the helper is refused for the type (EINVAL) or its NULL argument is (EACCES) */
	static const char *const programs[] = {
		LOOKUP("bpf_sk_lookup_tcp", "256") "if r0 == 0 goto +2\nr1 = r0\n"
		"call bpf_sk_release\nr0 = 1\nexit",
		LOOKUP("bpf_skc_lookup_tcp", "256") "if r0 == 0 goto +2\nr1 = r0\n"
		"call bpf_sk_release\nr0 = 1\nexit",
		"r1 = 0\ncall bpf_sk_fullsock\nr0 = 1\nexit",
		"r1 = 0\ncall bpf_tcp_sock\nr0 = 1\nexit",
	};
	int mismatches = 0;
	if (!kernel_cross_check())
		return; /* the kernel is the oracle of this sweep */
	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++)
		for (size_t p = 0; p < sizeof(programs) / sizeof(programs[0]); p++) {
			int err[2];
			for (int target = VT_EMU; target <= VT_KERNEL; target++) {
				static struct vt_prog prog;
				struct vt_result res;
				vt_assemble(programs[p], fixture_maps((enum vt_target)target), &prog);
				vt_load((enum vt_target)target, types[t], &prog, "GPL", 0, &res);
				err[target] = res.err;
				vt_close((enum vt_target)target, res.fd);
				vt_result_free(&res);
			}
			if (err[VT_EMU] != err[VT_KERNEL]) {
				mismatches++;
				fprintf(stderr, "type %u program %zu: emulator %d, kernel %d\n", types[t],
					p, err[VT_EMU], err[VT_KERNEL]);
			}
		}
	ck_assert_int_eq(mismatches, 0);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		lookup_result_is_released_on_every_path, lookup_result_may_be_null,
		released_socket_is_gone, release_needs_an_acquired_socket,
		skb_sk_is_sock_common_or_null, field_rules_per_socket_kind,
		fullsock_keeps_the_lookup_reference, lookups_belong_to_packet_types,
		test_run_attaches_a_closed_socket, lookup_finds_a_listening_socket,
		every_field_access_as_the_kernel_decides,
		socket_helpers_per_program_type_as_the_kernel_decides, NULL,
	};
	return run_suite("verifier socket pointers", tests);
}
