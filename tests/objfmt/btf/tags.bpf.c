/* tags.bpf.c - BTF test input: type and decl tags, signed and 64-bit enums, forward
 * unions, anonymous members, flexible arrays, extern kernel symbols and CO-RE. */
#define __tag(x) __attribute__((btf_decl_tag(x)))
#define __user __attribute__((btf_type_tag("user")))
#define __ksym __attribute__((section(".ksyms")))

enum level { LOW = -2, HIGH = 2 };
enum huge : long long { HUGE_NEG = -0x100000000LL, HUGE_POS = 0x7fffffffffffffffLL };

union later;

struct packet {
	int len __tag("length");
	union {
		struct { unsigned short a, b; };
		unsigned int ab;
	};
	union later *next;
	int __user *user_ptr;
	enum level lvl;
	enum huge big;
	unsigned char data[];
} __attribute__((preserve_access_index));

struct task_struct;
extern int bpf_nonexistent_kfunc(struct task_struct *t) __ksym __attribute__((weak));
extern const int linux_like_var __ksym __attribute__((weak));

static __attribute__((noinline)) int sum(int count, ...) { return count; }

int tagged(struct packet *p __tag("param"), int flags) __tag("func")
{
	return p->len + p->b + (p->lvl == LOW) + (int)(p->big >> 40) +
	       __builtin_preserve_field_info(p->ab, 1) + flags;
}

__attribute__((section("tc"), used)) int classify(struct packet *p)
{
	return tagged(p, 3) + sum(1) + linux_like_var + bpf_nonexistent_kfunc(0);
}
char _license[] __attribute__((section("license"), used)) = "GPL";
