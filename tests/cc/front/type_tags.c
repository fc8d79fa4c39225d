/* CHECK: btf_types layout
 * btf_type_tag among the specifiers tags the type a pointer points to (libbpf's
 * __kptr, the kernel's __rcu/__user/__percpu), after a `*` it tags that pointer;
 * several nest with the last outermost, above const and volatile. */
#define __tag(x) __attribute__((btf_type_tag(x)))
struct foo { int a; };
struct holder {
	struct foo __tag("kptr") *p;
	int __tag("a") __tag("b") *q;
	const int __tag("c") *r;
	int __tag("user") * __tag("outer") *pp;
	__tag("first") volatile long *v;
};
struct holder h;
int __tag("percpu") *gp;
typedef struct foo __tag("rcu") *foo_rcu_ptr;
foo_rcu_ptr global_rcu;
int f(struct foo __tag("rcu") *arg, foo_rcu_ptr other)
{
	return arg->a + *h.q + other->a;
}
