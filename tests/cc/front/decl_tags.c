/* CHECK: decl_tags layout
 * btf_decl_tag on records, members, typedefs, variables, functions and their
 * parameters (also of an extern kfunc, and repeated across a prototype and its
 * definition): the DECL_TAG records of clang's BTF, on the same types and components. */
#define __tag(x) __attribute__((btf_decl_tag(x)))
struct node { int v; };
struct __tag("s:before") holder {
	int a __tag("m:a");
	struct node n __tag("m:n") __tag("m:n2");
	__tag("m:spec") unsigned flags : 3;
} __tag("s:holder");
typedef int tint __tag("td");
struct holder h __tag("var:h") = { 1 };
tint t1 = 3;
__attribute__((noinline)) int helper(struct holder *p __tag("arg:nonnull"), int x __tag("p1")) __tag("fn:helper");
__attribute__((noinline)) int helper(struct holder *p __tag("arg:nonnull"), int x) { return p->a + x; }
extern int kf(int a __tag("kfarg")) __attribute__((section(".ksyms"))) __tag("kf");
__attribute__((section("xdp"))) int prog(void *ctx __tag("arg:ctx"))
{
	static int count __tag("static");
	return helper(&h, t1) + kf(1) + count++;
}
char LICENSE[] __attribute__((section("license"))) = "GPL";
