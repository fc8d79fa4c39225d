/* libbpf_skeleton.c - the skeleton API that `bpftool gen skeleton` headers call: open
 * the embedded object and hand out its maps and programs, load it and map global data
 * into memory (skel->bss, skel->rodata, ...), refuse to auto-attach, destroy.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libbpf_int.h"

static struct bpf_map_skeleton *map_skel(const struct bpf_object_skeleton *s, int i)
{
	return (struct bpf_map_skeleton *)((char *)s->maps + (size_t)i * (size_t)s->map_skel_sz);
}

static struct bpf_prog_skeleton *prog_skel(const struct bpf_object_skeleton *s, int i)
{
	return (struct bpf_prog_skeleton *)((char *)s->progs + (size_t)i * (size_t)s->prog_skel_sz);
}

int bpf_object__open_skeleton(struct bpf_object_skeleton *s,
			      const struct bpf_object_open_opts *opts)
{
	LIBBPF_OPTS(bpf_object_open_opts, named, .object_name = s ? s->name : NULL);
	struct bpf_object *obj;

	if (!s || !s->data || !s->obj)
		return libbpf_error(-EINVAL);
	if (opts) { /* the skeleton's name wins unless the caller sets one */
		memcpy(&named, opts, opts->sz < sizeof(named) ? opts->sz : sizeof(named));
		named.sz = sizeof(named);
		if (!named.object_name)
			named.object_name = s->name;
	}
	obj = bpf_object__open_mem(s->data, s->data_sz, &named);
	if (!obj)
		return libbpf_error(-errno);
	*s->obj = obj;
	for (int i = 0; i < s->map_cnt; i++) {
		struct bpf_map_skeleton *m = map_skel(s, i);
		*m->map = bpf_object__find_map_by_name(obj, m->name);
		if (!*m->map) {
			libbpf_print(LIBBPF_WARN, "libbpf: failed to find skeleton map '%s'\n", m->name);
			return libbpf_error(-ESRCH);
		}
		if (m->mmaped) /* before load: the initial image, which may still be edited */
			*m->mmaped = bpf_map__initial_value(*m->map, NULL);
	}
	for (int i = 0; i < s->prog_cnt; i++) {
		struct bpf_prog_skeleton *p = prog_skel(s, i);
		*p->prog = bpf_object__find_program_by_name(obj, p->name);
		if (!*p->prog) {
			libbpf_print(LIBBPF_WARN, "libbpf: failed to find skeleton program '%s'\n", p->name);
			return libbpf_error(-ESRCH);
		}
	}
	return 0;
}

int bpf_object__load_skeleton(struct bpf_object_skeleton *s)
{
	int err = s && s->obj && *s->obj ? bpf_object__load(*s->obj) : -EINVAL;

	for (int i = 0; !err && i < s->map_cnt; i++) {
		struct bpf_map_skeleton *m = map_skel(s, i);
		if (!m->mmaped || !bpf_map__is_internal(*m->map))
			continue;
		err = libbpf_map_mmap(*m->map);
		if (err)
			libbpf_print(LIBBPF_WARN, "libbpf: failed to mmap map '%s': %s\n",
				     m->name, strerror(-err));
		else
			*m->mmaped = libbpf_map_mmaped(*m->map);
	}
	return libbpf_error(err);
}

/* Program types whose sections name an attach point libbpf would attach to itself. */
static bool auto_attachable(const struct bpf_program *prog)
{
	const char *section = bpf_program__section_name(prog);

	switch (bpf_program__type(prog)) {
	case BPF_PROG_TYPE_KPROBE:
	case BPF_PROG_TYPE_TRACEPOINT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE:
	case BPF_PROG_TYPE_TRACING:
	case BPF_PROG_TYPE_LSM:
		return strchr(section, '/') != NULL;
	default:
		return false;
	}
}

int bpf_object__attach_skeleton(struct bpf_object_skeleton *s)
{
	for (int i = 0; s && i < s->prog_cnt; i++) {
		struct bpf_prog_skeleton *p = prog_skel(s, i);
		if (!bpf_program__autoload(*p->prog) || !auto_attachable(*p->prog))
			continue;
		*p->link = bpf_program__attach(*p->prog);
		if (!*p->link)
			return libbpf_error(-errno);
	}
	return s ? 0 : libbpf_error(-EINVAL);
}

void bpf_object__detach_skeleton(struct bpf_object_skeleton *s)
{
	for (int i = 0; s && i < s->prog_cnt; i++) {
		struct bpf_prog_skeleton *p = prog_skel(s, i);
		if (p->link && *p->link) {
			bpf_link__destroy(*p->link);
			*p->link = NULL;
		}
	}
}

void bpf_object__destroy_skeleton(struct bpf_object_skeleton *s)
{
	if (!s)
		return;
	bpf_object__detach_skeleton(s);
	if (s->obj)
		bpf_object__close(*s->obj);
	free(s->maps);
	free(s->progs);
	free(s);
}
