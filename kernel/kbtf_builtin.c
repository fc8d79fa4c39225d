/* kbtf_builtin.c - the emulated kernel's own BTF when the host has none: the kernel
 * types tracing programs read (task_struct, cred, mm_struct, pt_regs, the raw records
 * of common tracepoints), declared member by member and laid out with the C rules of
 * x86_64 as the kernel's compiler lays them out.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kbtf_int.h"

/* One declaration: "struct NAME", "union NAME", "enum NAME", "typedef NAME" followed
 * by member lines "TYPE NAME" (TYPE: a base name, "struct X", pointers "*", arrays
 * "[N]", bitfields ":BITS"), or enumerators "NAME=VALUE". A struct named "X@" is
 * anonymous in the result (typedef struct { ... } X, as the kernel's kuid_t). */
static const char *const builtin_declarations[] = {
	"typedef __u8 = unsigned char", "typedef __u16 = unsigned short",
	"typedef __u32 = unsigned int", "typedef __u64 = unsigned long long",
	"typedef __s32 = int", "typedef __s64 = long long",
	"typedef u8 = __u8", "typedef u16 = __u16", "typedef u32 = __u32", "typedef u64 = __u64",
	"typedef s32 = __s32", "typedef s64 = __s64", "typedef bool = _Bool",
	"typedef pid_t = int", "typedef uid_t = unsigned int", "typedef gid_t = unsigned int",
	"struct kuid_t@|uid_t val", "typedef kuid_t = struct kuid_t@",
	"struct kgid_t@|gid_t val", "typedef kgid_t = struct kgid_t@",
	"struct list_head|struct list_head *next|struct list_head *prev",
	"struct pt_regs|unsigned long r15|unsigned long r14|unsigned long r13|unsigned long r12"
	"|unsigned long bp|unsigned long bx|unsigned long r11|unsigned long r10"
	"|unsigned long r9|unsigned long r8|unsigned long ax|unsigned long cx|unsigned long dx"
	"|unsigned long si|unsigned long di|unsigned long orig_ax|unsigned long ip"
	"|unsigned long cs|unsigned long flags|unsigned long sp|unsigned long ss",
	"struct cred|long usage|kuid_t uid|kgid_t gid|kuid_t suid|kgid_t sgid|kuid_t euid"
	"|kgid_t egid|kuid_t fsuid|kgid_t fsgid",
	"struct mm_struct|unsigned long start_code|unsigned long end_code|unsigned long start_data"
	"|unsigned long end_data|unsigned long start_brk|unsigned long brk|unsigned long start_stack"
	"|unsigned long arg_start|unsigned long arg_end|unsigned long env_start|unsigned long env_end",
	"struct pid_namespace|unsigned int pid_allocated|unsigned int level",
	"struct nsproxy|long count|struct pid_namespace *pid_ns_for_children",
	"struct qstr|u32 hash|u32 len|const unsigned char *name",
	"struct inode|unsigned short i_mode|unsigned int i_flags|unsigned long i_ino|long i_size",
	"struct path|void *mnt|struct dentry *dentry",
	"struct dentry|unsigned int d_flags|struct dentry *d_parent|struct qstr d_name"
	"|struct inode *d_inode",
	"struct file|struct path f_path|struct inode *f_inode|unsigned int f_flags",
	"struct linux_binprm|struct mm_struct *mm|unsigned long p|struct file *file"
	"|int argc|int envc|const char *filename|const char *interp",
	"struct task_struct|unsigned int __state|unsigned int flags|int on_cpu|int prio"
	"|int static_prio|int normal_prio|unsigned int policy|struct mm_struct *mm"
	"|int exit_state|int exit_code|int exit_signal|unsigned int in_execve:1"
	"|unsigned int in_iowait:1|unsigned int sched_reset_on_fork:1|pid_t pid|pid_t tgid"
	"|struct task_struct *real_parent|struct task_struct *parent|struct list_head children"
	"|struct list_head sibling|struct task_struct *group_leader|u64 utime|u64 stime"
	"|u64 start_time|u64 start_boottime|const struct cred *real_cred|const struct cred *cred"
	"|char comm[16]|struct nsproxy *nsproxy",
	"enum pid_type|PIDTYPE_PID=0|PIDTYPE_TGID=1|PIDTYPE_PGID=2|PIDTYPE_SID=3|PIDTYPE_MAX=4",
	"struct trace_entry|unsigned short type|unsigned char flags|unsigned char preempt_count"
	"|int pid",
	"struct trace_event_raw_sys_enter|struct trace_entry ent|long id|unsigned long args[6]"
	"|char __data[0]",
	"struct trace_event_raw_sys_exit|struct trace_entry ent|long id|long ret|char __data[0]",
	"struct trace_event_raw_sched_process_exec|struct trace_entry ent"
	"|u32 __data_loc_filename|pid_t pid|pid_t old_pid|char __data[0]",
	"struct trace_event_raw_sched_process_template|struct trace_entry ent|char comm[16]"
	"|pid_t pid|int prio|char __data[0]",
	"struct trace_event_raw_sched_process_fork|struct trace_entry ent|char parent_comm[16]"
	"|pid_t parent_pid|char child_comm[16]|pid_t child_pid|char __data[0]",
	"struct trace_event_raw_sched_switch|struct trace_entry ent|char prev_comm[16]"
	"|pid_t prev_pid|int prev_prio|long prev_state|char next_comm[16]|pid_t next_pid"
	"|int next_prio|char __data[0]",
	/* attach points: functions for fentry/fexit, btf_trace_* for tp_btf */
	"struct filename|const char *name",
	"func do_unlinkat|int|int dfd|struct filename *name",
	"func do_nanosleep|int|void *t|int mode",
	"func wake_up_new_task|void|struct task_struct *p",
	"func do_exit|void|long code",
	"tracepoint sched_switch|bool preempt|struct task_struct *prev"
	"|struct task_struct *next|unsigned int prev_state",
	"tracepoint sched_process_exec|struct task_struct *p|pid_t old_pid"
	"|struct linux_binprm *bprm",
	"tracepoint sched_process_fork|struct task_struct *parent|struct task_struct *child",
	"tracepoint sched_process_exit|struct task_struct *p",
	/* cgroups as kfuncs hand them out (last, so that the ids above stay stable) */
	"struct kernfs_node|int count|int active|struct kernfs_node *__parent|const char *name"
	"|u64 id",
	"struct cgroup_subsys_state|struct cgroup *cgroup|void *ss|long refcnt"
	"|struct cgroup_subsys_state *parent",
	"struct cgroup|struct cgroup_subsys_state self|unsigned long flags|int level"
	"|int max_depth|int nr_descendants|int nr_dying_descendants|int max_descendants"
	"|struct kernfs_node *kn|struct cgroup *ancestors[0]",
	/* the generic kfuncs the verifier knows (verifier_kfunc.c), static as in vmlinux */
	"kfunc bpf_rcu_read_lock|void", "kfunc bpf_rcu_read_unlock|void",
	"kfunc bpf_task_acquire|struct task_struct *|struct task_struct *p",
	"kfunc bpf_task_release|void|struct task_struct *p",
	"kfunc bpf_task_from_pid|struct task_struct *|s32 pid",
	"kfunc bpf_cgroup_acquire|struct cgroup *|struct cgroup *cgrp",
	"kfunc bpf_cgroup_release|void|struct cgroup *cgrp",
};

/* Base integer types: name, size, encoding. */
static const struct { const char *name; uint32_t size, encoding; } base_ints[] = {
	{ "char", 1, OBJFMT_BTF_INT_SIGNED }, { "unsigned char", 1, 0 },
	{ "short", 2, OBJFMT_BTF_INT_SIGNED }, { "unsigned short", 2, 0 },
	{ "int", 4, OBJFMT_BTF_INT_SIGNED }, { "unsigned int", 4, 0 },
	{ "long", 8, OBJFMT_BTF_INT_SIGNED }, { "unsigned long", 8, 0 },
	{ "long long", 8, OBJFMT_BTF_INT_SIGNED }, { "unsigned long long", 8, 0 },
	{ "_Bool", 1, OBJFMT_BTF_INT_BOOL },
};

struct builder {
	struct objfmt_btf *btf;
	int error;
};

/* Id of a named struct/union/enum/typedef/int, added (empty) on first mention. */
static uint32_t named_type(struct builder *b, const char *text)
{
	enum objfmt_btf_kind kind = OBJFMT_BTF_TYPEDEF;
	const char *name = text;
	int id;

	if (strcmp(text, "void") == 0)
		return 0;
	if (strncmp(text, "struct ", 7) == 0)
		kind = OBJFMT_BTF_STRUCT, name = text + 7;
	else if (strncmp(text, "union ", 6) == 0)
		kind = OBJFMT_BTF_UNION, name = text + 6;
	else if (strncmp(text, "enum ", 5) == 0)
		kind = OBJFMT_BTF_ENUM, name = text + 5;
	for (size_t i = 0; kind == OBJFMT_BTF_TYPEDEF && i < sizeof(base_ints) / sizeof(base_ints[0]); i++)
		if (strcmp(text, base_ints[i].name) == 0) {
			id = objfmt_btf__find(b->btf, OBJFMT_BTF_INT, name);
			if (id > 0)
				return (uint32_t)id;
			id = objfmt_btf__add_int(b->btf, name, base_ints[i].size, base_ints[i].encoding);
			b->error = id < 0 ? id : b->error;
			return id < 0 ? 0 : (uint32_t)id;
		}
	id = objfmt_btf__find(b->btf, kind, name);
	if (id > 0)
		return (uint32_t)id;
	struct objfmt_btf_type t = { .kind = kind, .name = name, .size = kind == OBJFMT_BTF_ENUM ? 4 : 0 };
	id = objfmt_btf__add(b->btf, &t);
	b->error = id < 0 ? id : b->error;
	return id < 0 ? 0 : (uint32_t)id;
}

/* "const struct cred *" -> id: base, then "const" and pointer levels. */
static uint32_t type_of(struct builder *b, const char *text)
{
	char base[96];
	size_t length = strcspn(text, "*");
	int is_const = strncmp(text, "const ", 6) == 0;
	const char *start = is_const ? text + 6 : text;

	length -= (size_t)(start - text);
	while (length && start[length - 1] == ' ')
		length--;
	if (length >= sizeof(base)) {
		b->error = -ENAMETOOLONG;
		return 0;
	}
	memcpy(base, start, length);
	base[length] = '\0';
	uint32_t id = named_type(b, base);
	if (is_const) {
		struct objfmt_btf_type t = { .kind = OBJFMT_BTF_CONST, .name = "", .type = id };
		int cid = objfmt_btf__add(b->btf, &t);
		id = cid < 0 ? 0 : (uint32_t)cid;
	}
	for (const char *p = strchr(text, '*'); p && *p == '*'; p++) {
		int pid = objfmt_btf__add_ptr(b->btf, id);
		b->error = pid < 0 ? pid : b->error;
		id = pid < 0 ? 0 : (uint32_t)pid;
	}
	return id;
}

/* Size and alignment of a (resolved) member type. */
static void size_align(const struct objfmt_btf *btf, uint32_t id, uint32_t *size, uint32_t *align)
{
	int64_t s = objfmt_btf__size(btf, id);
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, objfmt_btf__resolve(btf, id));

	*size = s > 0 ? (uint32_t)s : 0;
	*align = 1;
	while (t && t->kind == OBJFMT_BTF_ARRAY)
		t = objfmt_btf__type(btf, objfmt_btf__resolve(btf, t->array_elem));
	if (t && (t->kind == OBJFMT_BTF_STRUCT || t->kind == OBJFMT_BTF_UNION)) {
		for (uint32_t i = 0; i < t->vlen; i++) {
			uint32_t ms, ma;
			size_align(btf, t->members[i].type, &ms, &ma);
			*align = ma > *align ? ma : *align;
		}
	} else if (t)
		*align = t->kind == OBJFMT_BTF_PTR ? 8 : t->size ? t->size : 1;
}

/* A member line "TYPE NAME", "TYPE *NAME", "TYPE NAME[N]" or "TYPE NAME:BITS". */
struct member_decl {
	char type[96];
	char name[64];
	uint32_t count;  /* array elements, or UINT32_MAX for no array */
	uint32_t bits;   /* bitfield width, 0 for none */
};

static int parse_member(const char *line, size_t length, struct member_decl *out)
{
	const char *space = NULL, *end = line + length;

	for (const char *p = line; p < end; p++)
		if (*p == ' ')
			space = p;
	if (!space || (size_t)(space - line) >= sizeof(out->type) - 8)
		return -EINVAL;
	const char *decl = space + 1;
	size_t stars = strspn(decl, "*");
	size_t type_length = (size_t)(space - line);
	memcpy(out->type, line, type_length);
	memset(out->type + type_length, '*', stars);
	out->type[type_length + stars] = '\0';
	decl += stars;
	size_t name_length = strcspn(decl, "[:|");
	if (decl + name_length > end)
		name_length = (size_t)(end - decl);
	if (!name_length || name_length >= sizeof(out->name))
		return -EINVAL;
	memcpy(out->name, decl, name_length);
	out->name[name_length] = '\0';
	out->count = decl[name_length] == '[' ? (uint32_t)strtoul(decl + name_length + 1, NULL, 10)
					      : UINT32_MAX;
	out->bits = decl[name_length] == ':' ? (uint32_t)strtoul(decl + name_length + 1, NULL, 10) : 0;
	return 0;
}

/* Lay a member out at *bit_position (C rules), appending it to composite `id`. */
static void add_member(struct builder *b, uint32_t id, const struct member_decl *m,
		       uint32_t *bit_position, uint32_t *max_align)
{
	uint32_t type = type_of(b, m->type), size, align;

	if (m->count != UINT32_MAX) {
		int array = objfmt_btf__add_array(b->btf, type, named_type(b, "int"), m->count);
		type = array < 0 ? 0 : (uint32_t)array;
		b->error = array < 0 ? array : b->error;
	}
	size_align(b->btf, type, &size, &align);
	uint32_t unit = (m->bits ? size : align) * 8;
	if (m->bits && *bit_position % unit + m->bits > unit)
		*bit_position = (*bit_position + unit - 1) / unit * unit;
	else if (!m->bits)
		*bit_position = (*bit_position + unit - 1) / unit * unit;
	struct objfmt_btf_member member = { .name = m->name, .type = type,
					    .bit_offset = *bit_position, .bitfield = m->bits };
	int err = objfmt_btf__add_member(b->btf, id, &member);
	b->error = err < 0 ? err : b->error;
	*bit_position += m->bits ? m->bits : size * 8;
	*max_align = align > *max_align ? align : *max_align;
}

static void add_composite(struct builder *b, const char *head, const char *rest)
{
	uint32_t id = named_type(b, head), bit_position = 0, max_align = 1;
	bool bitfields = false;

	while (*rest == '|') {
		struct member_decl m;
		size_t length = strcspn(++rest, "|");
		if (parse_member(rest, length, &m)) {
			b->error = -EINVAL;
			return;
		}
		add_member(b, id, &m, &bit_position, &max_align);
		bitfields |= m.bits != 0;
		rest += length;
	}
	struct objfmt_btf_type *t = objfmt_btf__type_mut(b->btf, id);
	if (t) {
		uint32_t unit = max_align * 8;
		t->size = (bit_position + unit - 1) / unit * unit / 8;
		t->kind_flag = bitfields;
	}
}

static void add_enum(struct builder *b, const char *head, const char *rest)
{
	uint32_t id = named_type(b, head);

	while (*rest == '|') {
		char name[64];
		size_t length = strcspn(++rest, "=|");
		if (length >= sizeof(name) || rest[length] != '=') {
			b->error = -EINVAL;
			return;
		}
		memcpy(name, rest, length);
		name[length] = '\0';
		struct objfmt_btf_member member = { .name = name, .value = strtol(rest + length + 1, NULL, 10) };
		int err = objfmt_btf__add_member(b->btf, id, &member);
		b->error = err < 0 ? err : b->error;
		rest += strcspn(rest, "|");
	}
}

/* "typedef NAME = TYPE" */
static void add_typedef(struct builder *b, const char *line)
{
	char name[64];
	const char *equals = strstr(line, " = ");
	size_t length = equals ? (size_t)(equals - line) - 8 : 0;

	if (!equals || !length || length >= sizeof(name)) {
		b->error = -EINVAL;
		return;
	}
	memcpy(name, line + 8, length);
	name[length] = '\0';
	uint32_t target = type_of(b, equals + 3);
	uint32_t id = named_type(b, name);
	struct objfmt_btf_type *t = objfmt_btf__type_mut(b->btf, id);
	if (t)
		t->type = target;
}

/* A FUNC_PROTO of "RET|TYPE NAME|..." (parameters after `rest`), its first parameter
 * `first` when not NULL ("void *__data" of tracepoints). */
static uint32_t add_prototype(struct builder *b, const char *ret, const char *rest,
			      const char *first)
{
	struct objfmt_btf_type t = { .kind = OBJFMT_BTF_FUNC_PROTO, .name = "",
				     .type = type_of(b, ret) };
	int id = objfmt_btf__add(b->btf, &t);

	if (id < 0) {
		b->error = id;
		return 0;
	}
	if (first) {
		struct objfmt_btf_member p = { .name = "__data", .type = type_of(b, first) };
		objfmt_btf__add_member(b->btf, (uint32_t)id, &p);
	}
	while (*rest == '|') {
		struct member_decl m;
		size_t length = strcspn(++rest, "|");
		if (parse_member(rest, length, &m)) {
			b->error = -EINVAL;
			return 0;
		}
		struct objfmt_btf_member p = { .name = m.name, .type = type_of(b, m.type) };
		int err = objfmt_btf__add_member(b->btf, (uint32_t)id, &p);
		b->error = err < 0 ? err : b->error;
		rest += length;
	}
	return (uint32_t)id;
}

/* "func NAME|RET|params": FUNC_PROTO + global FUNC ("kfunc ...": static, as the
 * kernel's kfuncs are); "tracepoint NAME|params": the
 * typedef btf_trace_NAME, a pointer to void (void *__data, params). */
static void add_hook(struct builder *b, const char *line)
{
	bool is_kfunc = strncmp(line, "kfunc ", 6) == 0;
	bool is_function = is_kfunc || strncmp(line, "func ", 5) == 0;
	const char *name = line + (is_kfunc ? 6 : is_function ? 5 : 11);
	size_t length = strcspn(name, "|");
	char text[96], ret[48];
	const char *rest = name + length;
	uint32_t proto;

	if (length + 10 >= sizeof(text)) {
		b->error = -ENAMETOOLONG;
		return;
	}
	if (is_function) {
		size_t ret_length = strcspn(rest + 1, "|");
		if (ret_length >= sizeof(ret)) {
			b->error = -EINVAL;
			return;
		}
		memcpy(ret, rest + 1, ret_length);
		ret[ret_length] = '\0';
		proto = add_prototype(b, ret, rest + 1 + ret_length, NULL);
		snprintf(text, sizeof(text), "%.*s", (int)length, name);
		struct objfmt_btf_type f = { .kind = OBJFMT_BTF_FUNC, .name = text, .type = proto,
					     .linkage = is_kfunc ? OBJFMT_BTF_FUNC_STATIC
								 : OBJFMT_BTF_FUNC_GLOBAL };
		int id = objfmt_btf__add(b->btf, &f);
		b->error = id < 0 ? id : b->error;
		return;
	}
	proto = add_prototype(b, "void", rest, "void *");
	int pointer = objfmt_btf__add_ptr(b->btf, proto);
	snprintf(text, sizeof(text), "btf_trace_%.*s", (int)length, name);
	int id = objfmt_btf__add_typedef(b->btf, text, pointer < 0 ? 0 : (uint32_t)pointer);
	b->error = pointer < 0 ? pointer : id < 0 ? id : b->error;
}

struct objfmt_btf *emu_kbtf_builtin(void)
{
	struct builder b = { objfmt_btf__new(), 0 };

	for (size_t i = 0; b.btf && !b.error && i < sizeof(builtin_declarations) / sizeof(builtin_declarations[0]); i++) {
		const char *line = builtin_declarations[i];
		char head[96];
		size_t length = strcspn(line, "|");
		if (strncmp(line, "typedef ", 8) == 0) {
			add_typedef(&b, line);
			continue;
		}
		if (strncmp(line, "func ", 5) == 0 || strncmp(line, "kfunc ", 6) == 0 ||
		    strncmp(line, "tracepoint ", 11) == 0) {
			add_hook(&b, line);
			continue;
		}
		if (length >= sizeof(head)) {
			b.error = -EINVAL;
			break;
		}
		memcpy(head, line, length);
		head[length] = '\0';
		if (strncmp(head, "enum ", 5) == 0)
			add_enum(&b, head, line + length);
		else
			add_composite(&b, head, line + length);
	}
	for (uint32_t id = 1; !b.error && id <= objfmt_btf__type_count(b.btf); id++) {
		struct objfmt_btf_type *t = objfmt_btf__type_mut(b.btf, id);
		if (t->kind == OBJFMT_BTF_STRUCT && strchr(t->name, '@'))
			t->name = ""; /* "X@": the anonymous struct of typedef X */
	}
	if (!b.error)
		b.error = objfmt_btf__dedup(b.btf, NULL); /* one "int *", one "void *", ... */
	if (b.error) {
		objfmt_btf__free(b.btf);
		return NULL;
	}
	return b.btf;
}
