/* types.bpf.c - BTF test input: every C construct clang turns into a BTF kind. */
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;

enum color { RED, GREEN = 5, BLUE = -3 };
enum big { BIG_SMALL = 1, BIG_LARGE = 0x1234567890ULL };

struct inner {
	u32 a;
	const volatile u64 b;
};

struct flags {
	unsigned int low : 3;
	unsigned int mid : 7;
	int signed_bits : 5;
	unsigned char byte;
	u64 wide : 40;
};

union value {
	u32 word;
	s8 bytes[4];
	struct inner nested;
	float real;
	double precise;
};

struct opaque;

struct node {
	struct node *next;
	struct opaque *hidden;
	union value v;
	struct flags f;
	enum color c;
	enum big g;
	char name[16];
	u32 matrix[2][3];
	void (*callback)(int, char *);
	_Bool ok;
	long long restrict_me;
};

struct {
	int type;
	int max_entries;
	u32 *key;
	struct node *value;
} node_map __attribute__((section(".maps"), used)) = { .type = 2, .max_entries = 4 };

#define __tag(x) __attribute__((btf_decl_tag(x)))

struct node global_node;
int counter = 7;
const int limit = 100;
static volatile u32 hits;
char _license[] __attribute__((section("license"), used)) = "GPL";

static __attribute__((noinline)) int helper(struct node *n, int x) __tag("helper_tag")
{
	hits++;
	return n->f.mid + x + (n->c == BLUE) + (int)n->g;
}

__attribute__((section("xdp"), used)) int prog(struct node *ctx)
{
	struct node *restrict p = ctx;
	counter += limit;
	global_node.v.word = counter;
	return helper(p, global_node.f.low) + global_node.matrix[1][2];
}
