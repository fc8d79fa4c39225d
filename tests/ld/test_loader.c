/* test_loader.c - Check tests of the loader (libebpfload) against checked-in clang
 * objects (data/NAME.bpf.c, rebuilt by data/regen.sh) and objects built in the test with
 * the objfmt builder: what open finds, the exact bpf() command sequence of a load
 * (through a recording backend), linked instructions, and one exact message per
 * kind of bad input. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "ebpf/load.h"
#include "recorder.h"

#ifndef LD_TEST_DATA
#define LD_TEST_DATA "data"
#endif

static struct ld_object *open_data(const char *name, struct ld_diag *diag)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", LD_TEST_DATA, name);
	return ld_object__open_file(path, diag);
}

static struct ld_object *open_ok(const char *name)
{
	struct ld_diag diag = {{0}};
	struct ld_object *obj = open_data(name, &diag);

	ck_assert_msg(obj != NULL, "open %s: %s", name, diag.message);
	return obj;
}

static struct ld_object *load_recorded(const char *name)
{
	struct ld_diag diag = {{0}};
	struct ld_object *obj = open_ok(name);

	recorder_reset(-1, 0);
	ck_assert_msg(ld_object__load(obj, &recorder_backend, NULL, &diag) == 0, "load %s: %s",
		      name, diag.message);
	return obj;
}

/* The PROG_LOAD command of program `name`. */
static const struct recorded_command *prog_load_of(const char *name)
{
	for (int i = 0; i < recorder_count; i++)
		if (recorder_log[i].cmd == BPF_PROG_LOAD && strcmp(recorder_log[i].name, name) == 0)
			return &recorder_log[i];
	ck_abort_msg("no PROG_LOAD of %s", name);
	return NULL;
}

/* The MAP_CREATE command that answered `fd`. */
static const struct recorded_command *create_of_fd(int fd)
{
	for (int i = 0; i < recorder_count; i++)
		if (recorder_log[i].cmd == BPF_MAP_CREATE && recorder_log[i].result == fd)
			return &recorder_log[i];
	ck_abort_msg("no MAP_CREATE answered %d", fd);
	return NULL;
}

static int map_fd(struct ld_object *obj, const char *name)
{
	struct ld_map *map = ld_object__find_map(obj, name);

	ck_assert_msg(map != NULL, "no map %s", name);
	return ld_map__fd(map);
}

/* ---- section table ---- */

START_TEST(section_table_matches_libbpf_rules)
{
	static const struct { const char *name; uint32_t type, attach; } cases[] = {
		{"xdp", BPF_PROG_TYPE_XDP, BPF_XDP},
		{"xdp.frags", BPF_PROG_TYPE_XDP, BPF_XDP},
		{"socket", BPF_PROG_TYPE_SOCKET_FILTER, 0},
		{"tc", BPF_PROG_TYPE_SCHED_CLS, 0},
		{"classifier", BPF_PROG_TYPE_SCHED_CLS, 0},
		{"kprobe/do_sys_open", BPF_PROG_TYPE_KPROBE, 0},
		{"kretprobe/do_sys_open", BPF_PROG_TYPE_KPROBE, 0},
		{"kprobe", BPF_PROG_TYPE_KPROBE, 0},
		{"tracepoint/syscalls/sys_enter_open", BPF_PROG_TYPE_TRACEPOINT, 0},
		{"raw_tp/sched_switch", BPF_PROG_TYPE_RAW_TRACEPOINT, 0},
		{"raw_tp.w/sched_switch", BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, 0},
		{"perf_event", BPF_PROG_TYPE_PERF_EVENT, 0},
		{"cgroup_skb/ingress", BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_INGRESS},
		{"cgroup/connect4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT},
		{"cgroup/sendmsg6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_SENDMSG},
		{"flow_dissector", BPF_PROG_TYPE_FLOW_DISSECTOR, BPF_FLOW_DISSECTOR},
		{"lsm/file_open", BPF_PROG_TYPE_LSM, BPF_LSM_MAC},
		{"fentry/tcp_connect", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY},
		{"netfilter", 32, 45},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct ld_section_def *def = ld_section_find(cases[i].name);
		ck_assert_msg(def != NULL, "%s not found", cases[i].name);
		ck_assert_msg(def->prog_type == cases[i].type, "%s: type %u", cases[i].name,
			      def->prog_type);
		ck_assert_msg(def->expected_attach_type == cases[i].attach, "%s: attach %u",
			      cases[i].name, def->expected_attach_type);
	}
	ck_assert(ld_section_find("xdp.frags")->xdp_frags);
	ck_assert(ld_section_find("fentry.s/x")->sleepable);
}
END_TEST

START_TEST(section_table_rejects_near_misses)
{
	/* exact names take no suffix; "+" names need a '/' before the suffix */
	ck_assert_ptr_null(ld_section_find("xdpfoo"));
	ck_assert_ptr_null(ld_section_find("socket/1"));
	ck_assert_ptr_null(ld_section_find("kprobefoo"));
	ck_assert_ptr_null(ld_section_find("frobnicate/now"));
	ck_assert_ptr_null(ld_section_find(""));
	ck_assert_str_eq(ld_prog_type_name(BPF_PROG_TYPE_XDP), "xdp");
	ck_assert_str_eq(ld_map_type_name(BPF_MAP_TYPE_LPM_TRIE), "lpm_trie");
	ck_assert_str_eq(ld_map_type_name(999), "unknown");
}
END_TEST

/* ---- open ---- */

START_TEST(open_finds_programs_in_section_order)
{
	struct ld_object *obj = open_ok("globals.bpf.o");

	ck_assert_uint_eq(ld_object__program_count(obj), 3);
	ck_assert_str_eq(ld_program__name(ld_object__program(obj, 0)), "first");
	ck_assert_str_eq(ld_program__name(ld_object__program(obj, 1)), "second");
	ck_assert_str_eq(ld_program__name(ld_object__program(obj, 2)), "third");
	ck_assert_str_eq(ld_program__section_name(ld_object__program(obj, 1)), "xdp");
	ck_assert_str_eq(ld_program__section_name(ld_object__program(obj, 2)), "tc");
	ck_assert_uint_eq(ld_program__type(ld_object__program(obj, 2)), BPF_PROG_TYPE_SCHED_CLS);
	ck_assert_uint_eq(ld_program__insn_count(ld_object__program(obj, 0)), 14);
	ck_assert_str_eq(ld_object__license(obj), "GPL");
	ld_object__free(obj);
}
END_TEST

START_TEST(open_reads_btf_defined_maps)
{
	struct ld_object *obj = open_ok("globals.bpf.o");
	struct ld_map *counters = ld_object__find_map(obj, "counters");
	struct ld_map *table = ld_object__find_map(obj, "table");
	const struct objfmt_btf *btf = ld_object__btf(obj);

	ck_assert_ptr_nonnull(counters);
	ck_assert_uint_eq(ld_map__type(counters), BPF_MAP_TYPE_ARRAY);
	ck_assert_uint_eq(ld_map__key_size(counters), 4);
	ck_assert_uint_eq(ld_map__value_size(counters), 8);
	ck_assert_uint_eq(ld_map__max_entries(counters), 4);
	ck_assert_uint_eq(ld_map__type(table), BPF_MAP_TYPE_HASH);
	ck_assert_uint_eq(ld_map__key_size(table), 8);
	ck_assert_uint_eq(ld_map__value_size(table), 4);
	/* BTF ids name the key and value types (__u64 / __u32 typedefs) */
	ck_assert_str_eq(objfmt_btf__type(btf, ld_map__btf_key_type_id(table))->name, "__u64");
	ck_assert_str_eq(objfmt_btf__type(btf, ld_map__btf_value_type_id(table))->name, "__u32");
	ld_object__free(obj);
}
END_TEST

START_TEST(open_makes_global_data_maps)
{
	struct ld_object *obj = open_ok("globals.bpf.o");
	struct ld_map *rodata = ld_object__find_map(obj, ".rodata");
	struct ld_map *bss = ld_object__find_map(obj, ".bss");
	struct ld_map *strings = ld_object__find_map(obj, ".rodata.str1.1");
	const struct objfmt_btf *btf = ld_object__btf(obj);
	size_t size;
	uint32_t answer;

	ck_assert_uint_eq(ld_map__origin(rodata), LD_MAP_RODATA);
	ck_assert_uint_eq(ld_map__flags(rodata), BPF_F_RDONLY_PROG | BPF_F_MMAPABLE);
	ck_assert_uint_eq(ld_map__flags(bss), BPF_F_MMAPABLE);
	ck_assert_uint_eq(ld_map__max_entries(rodata), 1);
	memcpy(&answer, ld_map__initial_value(rodata, &size), 4);
	ck_assert_uint_eq(size, 4);
	ck_assert_uint_eq(answer, 42);
	ck_assert_uint_eq(ld_map__origin(bss), LD_MAP_BSS);
	ck_assert_uint_eq(ld_map__value_size(bss), 8);
	ck_assert_mem_eq(ld_map__initial_value(strings, &size), "loader", 7);
	/* the value type of .rodata is its DATASEC, sized and laid out by the loader */
	const struct objfmt_btf_type *datasec = objfmt_btf__type(btf, ld_map__btf_value_type_id(rodata));
	ck_assert_int_eq(datasec->kind, OBJFMT_BTF_DATASEC);
	ck_assert_uint_eq(datasec->size, 4);
	ck_assert_uint_eq(ld_map__btf_value_type_id(strings), 0); /* literals have no BTF */
	ld_object__free(obj);
}
END_TEST

START_TEST(open_reads_legacy_maps_and_version)
{
	struct ld_object *obj = open_ok("legacy.bpf.o");
	struct ld_map *events = ld_object__find_map(obj, "events_count");
	struct ld_map *slots = ld_object__find_map(obj, "slots");

	ck_assert_uint_eq(ld_map__origin(events), LD_MAP_LEGACY);
	ck_assert_uint_eq(ld_map__type(events), BPF_MAP_TYPE_HASH);
	ck_assert_uint_eq(ld_map__value_size(events), 8);
	ck_assert_uint_eq(ld_map__max_entries(events), 16);
	ck_assert_uint_eq(ld_map__type(slots), BPF_MAP_TYPE_ARRAY);
	ck_assert_uint_eq(ld_map__max_entries(slots), 2);
	ck_assert_uint_eq(ld_object__kern_version(obj), 0x060100);
	ck_assert_uint_eq(ld_program__type(ld_object__program(obj, 0)), BPF_PROG_TYPE_KPROBE);
	ld_object__free(obj);
}
END_TEST

START_TEST(open_reads_inner_map_templates)
{
	struct ld_object *obj = open_ok("mapinmap.bpf.o");
	const struct ld_map *inner = ld_map__inner(ld_object__find_map(obj, "outer"));

	ck_assert_ptr_nonnull(inner);
	ck_assert_uint_eq(ld_map__type(inner), BPF_MAP_TYPE_ARRAY);
	ck_assert_uint_eq(ld_map__value_size(inner), 4);
	ck_assert_uint_eq(ld_map__value_size(ld_object__find_map(obj, "outer")), 4);
	ck_assert_ptr_null(ld_map__inner(ld_object__find_map(obj, "jumps")));
	ld_object__free(obj);
}
END_TEST

/* ---- load: the command sequence ---- */

START_TEST(load_sends_btf_then_maps_then_programs)
{
	struct ld_object *obj = load_recorded("globals.bpf.o");
	int btf = recorder_find(BPF_BTF_LOAD, 0), first_map = recorder_find(BPF_MAP_CREATE, 0);
	int first_prog = recorder_find(BPF_PROG_LOAD, 0);

	ck_assert_int_eq(btf, 0);
	ck_assert_int_gt(first_map, btf);
	ck_assert_int_gt(first_prog, first_map);
	ck_assert_int_eq(recorder_find(BPF_MAP_CREATE, 6), -1); /* 2 maps + 4 data sections */
	ck_assert_int_ne(recorder_find(BPF_MAP_CREATE, 5), -1);
	ck_assert_int_eq(recorder_find(BPF_PROG_LOAD, 3), -1);
	ck_assert_int_eq(ld_object__btf_fd(obj), RECORDER_FIRST_FD);
	ld_object__free(obj);
}
END_TEST

START_TEST(load_writes_and_freezes_global_data)
{
	struct ld_object *obj = load_recorded("globals.bpf.o");
	int rodata = map_fd(obj, ".rodata"), bss = map_fd(obj, ".bss");
	int updates = 0, freezes = 0, rodata_frozen = 0;

	for (int i = 0; i < recorder_count; i++) {
		const struct recorded_command *r = &recorder_log[i];
		if (r->cmd == BPF_MAP_UPDATE_ELEM) {
			updates++;
			ck_assert_int_ne((int)r->attr.map_fd, bss); /* .bss stays zero */
			if ((int)r->attr.map_fd == rodata)
				ck_assert_mem_eq(r->value, "\x2a\0\0\0", 4);
		}
		if (r->cmd == BPF_MAP_FREEZE) {
			freezes++;
			rodata_frozen += (int)r->attr.map_fd == rodata;
		}
	}
	ck_assert_int_eq(updates, 3); /* .rodata, .data, .rodata.str1.1 */
	ck_assert_int_eq(freezes, 2); /* both read-only sections */
	ck_assert_int_eq(rodata_frozen, 1);
	ld_object__free(obj);
}
END_TEST

START_TEST(load_creates_maps_with_btf_ids)
{
	struct ld_object *obj = load_recorded("globals.bpf.o");
	int fd = map_fd(obj, "table");

	ck_assert_int_ge(fd, RECORDER_FIRST_FD);
	const struct recorded_command *create = create_of_fd(fd);
	ck_assert_str_eq(create->name, "table");
	ck_assert_uint_eq(create->attr.map_type, BPF_MAP_TYPE_HASH);
	ck_assert_uint_eq(create->attr.btf_fd, RECORDER_FIRST_FD);
	ck_assert_uint_eq(create->attr.btf_key_type_id, ld_map__btf_key_type_id(ld_object__find_map(obj, "table")));
	ck_assert_uint_ne(create->attr.btf_value_type_id, 0);
	ld_object__free(obj);
}
END_TEST

START_TEST(load_links_subprograms_and_callbacks)
{
	struct ld_object *obj = load_recorded("globals.bpf.o");
	const struct recorded_command *first = prog_load_of("first");

	/* first (14 insns) + loop_step (9, callback) + bump (12, called) */
	ck_assert_uint_eq(first->insn_count, 35);
	ck_assert_uint_eq(first->insns[1].src_reg, 4); /* BPF_PSEUDO_FUNC */
	ck_assert_int_eq(first->insns[1].imm, 14 - 1 - 1);
	ck_assert_uint_eq(first->insns[7].src_reg, 1); /* BPF_PSEUDO_CALL */
	ck_assert_int_eq(first->insns[7].imm, 23 - 7 - 1);
	ck_assert_uint_eq(first->insns[8].src_reg, 2); /* .rodata value */
	ck_assert_int_eq(first->insns[8].imm, map_fd(obj, ".rodata"));
	ck_assert_int_eq(first->insns[9].imm, 0);
	ck_assert_uint_eq(first->insns[16].src_reg, 2); /* loop_step's .bss access */
	ck_assert_int_eq(first->insns[16].imm, map_fd(obj, ".bss"));
	ck_assert_uint_eq(first->insns[26].src_reg, 1); /* bump's map: BPF_PSEUDO_MAP_FD */
	ck_assert_int_eq(first->insns[26].imm, map_fd(obj, "counters"));
	/* one func_info record per function, in instruction order */
	ck_assert_uint_eq(first->func_count, 3);
	ck_assert_uint_eq(first->funcs[0].insn_off, 0);
	ck_assert_uint_eq(first->funcs[1].insn_off, 14);
	ck_assert_uint_eq(first->funcs[2].insn_off, 23);
	ck_assert_uint_eq(first->attr.prog_type, BPF_PROG_TYPE_XDP);
	ck_assert_uint_eq(first->attr.expected_attach_type, BPF_XDP);
	ld_object__free(obj);
}
END_TEST

START_TEST(load_links_each_program_separately)
{
	struct ld_object *obj = load_recorded("globals.bpf.o");
	const struct recorded_command *second = prog_load_of("second");

	/* second (27) + global_double (3) + bump (12) */
	ck_assert_uint_eq(second->insn_count, 42);
	ck_assert_int_eq(second->insns[5].imm, 27 - 5 - 1);
	ck_assert_int_eq(second->insns[16].imm, 30 - 16 - 1);
	ck_assert_uint_eq(second->insns[0].src_reg, 2);
	ck_assert_int_eq(second->insns[0].imm, map_fd(obj, ".data"));
	ck_assert_uint_eq(second->insns[19].src_reg, 2);
	ck_assert_int_eq(second->insns[19].imm, map_fd(obj, ".rodata.str1.1"));
	ck_assert_uint_eq(prog_load_of("third")->insn_count, 7);
	ck_assert_uint_eq(prog_load_of("third")->attr.prog_type, BPF_PROG_TYPE_SCHED_CLS);
	ld_object__free(obj);
}
END_TEST

START_TEST(load_fills_prog_array_and_map_in_map_slots)
{
	struct ld_object *obj = load_recorded("mapinmap.bpf.o");
	int outer = map_fd(obj, "outer"), jumps = map_fd(obj, "jumps");
	int leaf = ld_program__fd(ld_object__find_program(obj, "leaf"));
	int inner_a = map_fd(obj, "inner_a"), inner_b = map_fd(obj, "inner_b");
	int seen = 0;

	for (int i = 0; i < recorder_count; i++) {
		const struct recorded_command *r = &recorder_log[i];
		uint32_t key, value;
		if (r->cmd != BPF_MAP_UPDATE_ELEM)
			continue;
		memcpy(&key, r->key, 4);
		memcpy(&value, r->value, 4);
		if ((int)r->attr.map_fd == outer) {
			ck_assert((key == 0 && (int)value == inner_a) || (key == 2 && (int)value == inner_b));
			seen++;
		} else if ((int)r->attr.map_fd == jumps) {
			ck_assert_uint_eq(key, 3);
			ck_assert_int_eq((int)value, leaf);
			seen++;
			ck_assert_int_gt(i, recorder_find(BPF_PROG_LOAD, 1)); /* after all programs */
		}
	}
	ck_assert_int_eq(seen, 3);
	ld_object__free(obj);
}
END_TEST

START_TEST(load_creates_inner_template_before_outer)
{
	struct ld_object *obj = load_recorded("mapinmap.bpf.o");
	int outer = map_fd(obj, "outer");
	const struct recorded_command *create = create_of_fd(outer);
	const struct recorded_command *before = create - 1;

	ck_assert_uint_eq(create->attr.map_type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	ck_assert_int_eq(before->cmd, BPF_MAP_CREATE);
	ck_assert_uint_eq(before->attr.map_type, BPF_MAP_TYPE_ARRAY);
	ck_assert_uint_eq(create->attr.inner_map_fd, (uint32_t)before->result);
	ld_object__free(obj);
}
END_TEST

START_TEST(load_reports_rejection_with_object_section_program)
{
	struct ld_diag diag = {{0}};
	struct ld_object *obj = open_ok("globals.bpf.o");

	char expected[600];

	recorder_reset(BPF_PROG_LOAD, -EACCES);
	ck_assert_int_eq(ld_object__load(obj, &recorder_backend, NULL, &diag), -EACCES);
	snprintf(expected, sizeof(expected), "%s/globals.bpf.o: section 'xdp': program 'first': "
		 "Permission denied: PROG_LOAD failed", LD_TEST_DATA);
	ck_assert_str_eq(diag.message, expected);
	ck_assert_int_eq(ld_program__load_error(ld_object__program(obj, 0)), -EACCES);
	ck_assert(ld_program__submitted(ld_object__program(obj, 0)));
	ck_assert_int_eq(ld_program__fd(ld_object__program(obj, 0)), -1);
	ld_object__free(obj);
}
END_TEST

START_TEST(load_pins_by_name_when_nothing_is_pinned)
{
	struct ld_diag diag = {{0}};
	struct ld_object *obj = open_ok("pinned.bpf.o");

	recorder_reset(BPF_OBJ_GET, -ENOENT); /* nothing pinned yet */
	ck_assert_int_eq(ld_object__load(obj, &recorder_backend, NULL, &diag), 0);
	int get = recorder_find(BPF_OBJ_GET, 0), pin = recorder_find(BPF_OBJ_PIN, 0);
	ck_assert_int_ge(get, 0);
	ck_assert_str_eq(recorder_log[get].path, "/sys/fs/bpf/pinned_counts");
	ck_assert_int_gt(pin, recorder_find(BPF_MAP_CREATE, 0));
	ck_assert_str_eq(recorder_log[pin].path, "/sys/fs/bpf/pinned_counts");
	ck_assert_int_eq((int)recorder_log[pin].attr.bpf_fd, map_fd(obj, "pinned_counts"));
	ld_object__free(obj);
}
END_TEST

START_TEST(load_pins_under_the_chosen_root)
{
	struct ld_diag diag = {{0}};
	struct ld_object *obj = open_ok("pinned.bpf.o");

	ck_assert_int_eq(ld_object__set_pin_root(obj, "/sys/fs/bpf/tenant1"), 0);
	recorder_reset(BPF_OBJ_GET, -ENOENT);
	ck_assert_int_eq(ld_object__load(obj, &recorder_backend, NULL, &diag), 0);
	ck_assert_str_eq(recorder_log[recorder_find(BPF_OBJ_PIN, 0)].path,
			 "/sys/fs/bpf/tenant1/pinned_counts");
	ck_assert_int_eq(ld_object__set_pin_root(obj, NULL), -EBUSY);
	ld_object__free(obj);
}
END_TEST

START_TEST(load_refuses_an_incompatible_pinned_map)
{
	struct ld_diag diag = {{0}};
	struct ld_object *obj = open_ok("pinned.bpf.o");
	char expected[600];

	recorder_reset(-1, 0); /* OBJ_GET "finds" a map whose info cannot be read */
	ck_assert_int_eq(ld_object__load(obj, &recorder_backend, NULL, &diag), -EINVAL);
	snprintf(expected, sizeof(expected), "%s/pinned.bpf.o: map 'pinned_counts': the map "
		 "pinned at /sys/fs/bpf/pinned_counts has a different definition", LD_TEST_DATA);
	ck_assert_str_eq(diag.message, expected);
	ck_assert_int_eq(recorder_find(BPF_MAP_CREATE, 0), -1);
	ld_object__free(obj);
}
END_TEST

START_TEST(question_mark_sections_are_not_autoloaded)
{
	struct ld_object *obj = load_recorded("optional.bpf.o");
	struct ld_program *optional = ld_object__find_program(obj, "on_request");

	ck_assert(!ld_program__autoload(optional));
	ck_assert_uint_eq(ld_program__type(optional), BPF_PROG_TYPE_SCHED_CLS);
	ck_assert_str_eq(ld_program__section_name(optional), "?tc");
	ck_assert_int_ne(recorder_find(BPF_PROG_LOAD, 0), -1);
	ck_assert_int_eq(recorder_find(BPF_PROG_LOAD, 1), -1); /* only "always" */
	ck_assert_int_eq(ld_program__fd(optional), -1);
	ld_object__free(obj);
}
END_TEST

START_TEST(kconfig_externs_live_in_a_frozen_map)
{
	struct ld_object *obj = load_recorded("kconfig.bpf.o");
	struct ld_map *kconfig = ld_object__find_map(obj, ".kconfig");
	const struct recorded_command *prog = prog_load_of("read_config");
	unsigned major = 0, minor = 0, patch = 0;
	struct utsname uts;
	uint32_t version;
	size_t size;
	int frozen = 0;

	ck_assert_ptr_nonnull(kconfig);
	ck_assert_uint_eq(ld_map__origin(kconfig), LD_MAP_RODATA);
	ck_assert_uint_eq(ld_map__flags(kconfig), BPF_F_RDONLY_PROG | BPF_F_MMAPABLE);
	uname(&uts);
	sscanf(uts.release, "%u.%u.%u", &major, &minor, &patch);
	const uint8_t *image = ld_map__initial_value(kconfig, &size);
	memcpy(&version, image, 4); /* LINUX_KERNEL_VERSION comes first */
	ck_assert_uint_eq(version, (major << 16) + (minor << 8) + (patch > 255 ? 255 : patch));
	ck_assert_uint_eq(size, 16); /* u32 at 0, bool at 4, int at 8: 12 bytes, rounded up */
	/* the weak option nobody sets reads 0; its ld_imm64 points into the map */
	ck_assert_uint_eq(prog->insns[0].src_reg, 2);
	ck_assert_int_eq(prog->insns[0].imm, ld_map__fd(kconfig));
	for (int i = 0; i < recorder_count; i++)
		frozen += recorder_log[i].cmd == BPF_MAP_FREEZE &&
			  (int)recorder_log[i].attr.map_fd == ld_map__fd(kconfig);
	ck_assert_int_eq(frozen, 1);
	ld_object__free(obj);
}
END_TEST

/* ---- bad input: one exact message each ---- */

static void expect_open_error(const char *name, int err, const char *message)
{
	struct ld_diag diag = {{0}};
	char expected[600];

	errno = 0;
	ck_assert_ptr_null(open_data(name, &diag));
	ck_assert_int_eq(errno, err);
	snprintf(expected, sizeof(expected), "%s/%s: %s", LD_TEST_DATA, name, message);
	ck_assert_str_eq(diag.message, expected);
}

START_TEST(bad_maps_btf_is_named)
{
	expect_open_error("bad_map.bpf.o", EINVAL,
			  "section '.maps': map 'not_a_map': BTF type [0] is not a struct "
			  "describing a map");
}
END_TEST

START_TEST(unknown_symbol_is_named)
{
	expect_open_error("extern_sym.bpf.o", ENOENT,
			  "section 'xdp': insn 0: relocation against unknown symbol "
			  "'missing_counter'");
}
END_TEST

START_TEST(unknown_section_fails_at_load)
{
	struct ld_diag diag = {{0}};
	struct ld_object *obj = open_ok("unknown_section.bpf.o");
	char expected[600];

	recorder_reset(-1, 0);
	ck_assert_int_eq(ld_object__load(obj, &recorder_backend, NULL, &diag), -EINVAL);
	snprintf(expected, sizeof(expected), "%s/unknown_section.bpf.o: section 'frobnicate/now': "
		 "program 'prog': unknown section name, no program type (use libbpf's names: "
		 "xdp, tc, socket, kprobe/<fn>, tracepoint/<c>/<n>, ...)", LD_TEST_DATA);
	ck_assert_str_eq(diag.message, expected);
	ck_assert_int_eq(recorder_find(BPF_PROG_LOAD, 0), -1);
	ck_assert(!ld_program__submitted(ld_object__program(obj, 0)));
	ld_object__free(obj);
}
END_TEST

START_TEST(maps_only_object_has_no_programs)
{
	struct ld_object *obj = open_ok("maps_only.bpf.o");

	ck_assert_uint_eq(ld_object__program_count(obj), 0);
	ck_assert_uint_eq(ld_object__map_count(obj), 1);
	ld_object__free(obj);
}
END_TEST

/* An object built with the objfmt builder: `maps` reference on a plain load. */
static struct objfmt_object *object_with_map_on_ldx(void)
{
	struct objfmt_object *obj = objfmt_object__new();
	struct objfmt_insn code[2] = {
		{ .code = 0x61, .dst_reg = 0, .src_reg = 1, .off = 0, .imm = 0 }, /* r0 = *(u32 *)(r1 + 0) */
		{ .code = 0x95 },                                                 /* exit */
	};
	uint8_t def[20] = { 2, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0 }; /* array 4/4/1 */
	int text = objfmt_object__add_section(obj, "socket", OBJFMT_SEC_PROGBITS, 0x6, 8);
	int maps = objfmt_object__add_section(obj, "maps", OBJFMT_SEC_PROGBITS, 0x3, 4);
	struct objfmt_symbol prog = { "filter", OBJFMT_BIND_GLOBAL, OBJFMT_SYM_FUNC, OBJFMT_VIS_DEFAULT,
				      (size_t)text, 0, sizeof(code), 0 };
	struct objfmt_symbol map = { "table", OBJFMT_BIND_GLOBAL, OBJFMT_SYM_OBJECT, OBJFMT_VIS_DEFAULT,
				     (size_t)maps, 0, sizeof(def), 0 };

	objfmt_object__append(obj, (size_t)text, code, sizeof(code));
	objfmt_object__append(obj, (size_t)maps, def, sizeof(def));
	objfmt_object__add_symbol(obj, &prog);
	int sym = objfmt_object__add_symbol(obj, &map);
	struct objfmt_reloc rel = { (size_t)text, 0, OBJFMT_R_BPF_64_64, (size_t)sym, 0 };
	ck_assert_int_eq(objfmt_object__add_reloc(obj, &rel), 0);
	return obj;
}

START_TEST(map_on_non_ld_imm64_is_named)
{
	struct ld_diag diag = {{0}};

	ck_assert_ptr_null(ld_object__open_object(object_with_map_on_ldx(), "built.o", &diag));
	ck_assert_str_eq(diag.message, "built.o: section 'socket': insn 0: map 'table' "
				       "referenced from a non-ld_imm64 instruction (code 0x61)");
}
END_TEST

START_TEST(strong_kconfig_extern_without_value_is_named)
{
	expect_open_error("kconfig_strong.bpf.o", ENOENT,
			  "extern 'CONFIG_NO_SUCH_OPTION_FOR_LD_TESTS' (.kconfig): not set in the "
			  "kernel configuration (declare it __weak to read 0)");
}
END_TEST

START_TEST(missing_file_is_named)
{
	struct ld_diag diag = {{0}};

	ck_assert_ptr_null(ld_object__open_file("/nonexistent/x.o", &diag));
	ck_assert_ptr_nonnull(strstr(diag.message, "/nonexistent/x.o"));
}
END_TEST

START_TEST(setters_only_before_load)
{
	struct ld_object *obj = open_ok("globals.bpf.o");
	struct ld_map *counters = ld_object__find_map(obj, "counters");
	struct ld_diag diag = {{0}};

	ck_assert_int_eq(ld_map__set_max_entries(counters, 16), 0);
	ck_assert_int_eq(ld_map__set_value_size(ld_object__find_map(obj, ".bss"), 16), -EINVAL);
	ck_assert_int_eq(ld_program__set_autoload(ld_object__find_program(obj, "third"), false), 0);
	recorder_reset(-1, 0);
	ck_assert_int_eq(ld_object__load(obj, &recorder_backend, NULL, &diag), 0);
	ck_assert_uint_eq(create_of_fd(map_fd(obj, "counters"))->attr.max_entries, 16);
	ck_assert_int_eq(recorder_find(BPF_PROG_LOAD, 2), -1); /* third not loaded */
	ck_assert_int_eq(ld_map__set_max_entries(counters, 8), -EBUSY);
	ld_object__free(obj);
}
END_TEST

static Suite *loader_suite(void)
{
	Suite *suite = suite_create("loader");
	TCase *table = tcase_create("section_table"), *open = tcase_create("open");
	TCase *load = tcase_create("load"), *bad = tcase_create("bad_input");

	tcase_add_test(table, section_table_matches_libbpf_rules);
	tcase_add_test(table, section_table_rejects_near_misses);
	tcase_add_test(open, open_finds_programs_in_section_order);
	tcase_add_test(open, open_reads_btf_defined_maps);
	tcase_add_test(open, open_makes_global_data_maps);
	tcase_add_test(open, open_reads_legacy_maps_and_version);
	tcase_add_test(open, open_reads_inner_map_templates);
	tcase_add_test(load, load_sends_btf_then_maps_then_programs);
	tcase_add_test(load, load_writes_and_freezes_global_data);
	tcase_add_test(load, load_creates_maps_with_btf_ids);
	tcase_add_test(load, load_links_subprograms_and_callbacks);
	tcase_add_test(load, load_links_each_program_separately);
	tcase_add_test(load, load_fills_prog_array_and_map_in_map_slots);
	tcase_add_test(load, load_creates_inner_template_before_outer);
	tcase_add_test(load, load_reports_rejection_with_object_section_program);
	tcase_add_test(load, setters_only_before_load);
	tcase_add_test(load, load_pins_by_name_when_nothing_is_pinned);
	tcase_add_test(load, load_refuses_an_incompatible_pinned_map);
	tcase_add_test(load, load_pins_under_the_chosen_root);
	tcase_add_test(load, question_mark_sections_are_not_autoloaded);
	tcase_add_test(load, kconfig_externs_live_in_a_frozen_map);
	tcase_add_test(bad, bad_maps_btf_is_named);
	tcase_add_test(bad, unknown_symbol_is_named);
	tcase_add_test(bad, unknown_section_fails_at_load);
	tcase_add_test(bad, maps_only_object_has_no_programs);
	tcase_add_test(bad, map_on_non_ld_imm64_is_named);
	tcase_add_test(bad, missing_file_is_named);
	tcase_add_test(bad, strong_kconfig_extern_without_value_is_named);
	suite_add_tcase(suite, table);
	suite_add_tcase(suite, open);
	suite_add_tcase(suite, load);
	suite_add_tcase(suite, bad);
	return suite;
}

int main(void)
{
	SRunner *runner = srunner_create(loader_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
