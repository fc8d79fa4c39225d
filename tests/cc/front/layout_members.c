/* CHECK: layout
 * Member attributes: aligned(N) and packed on members (also after a bit-field's
 * width), in the specifiers or after the declarator, and aligned(N) on typedefs
 * (which may also lower the alignment); sizes and offsets as clang's. */
struct s1 { char c; int i __attribute__((aligned(8))); };
struct s2 { char c; long l __attribute__((packed)); };
struct s3 { char c; int i; } __attribute__((aligned(16)));
struct s4 { char c; struct s3 x __attribute__((aligned(4))); };
struct s5 { char c; int i __attribute__((aligned(2))); };
struct s6 { char c; int i __attribute__((packed, aligned(2))); };
struct s7 { char c; __attribute__((aligned(16))) short s; };
struct __attribute__((packed)) s8 { char c; int i __attribute__((aligned(4))); long l; };
struct bits {
	unsigned a : 3 __attribute__((packed));
	unsigned b : 5 __attribute__((aligned(4))), c : 2;
	unsigned char d : 4 __attribute__((unused));
	int : 0 __attribute__((unused));
	char e;
	unsigned long f : 60 __attribute__((packed)), g : 9 __attribute__((packed));
	char h;
	long tail;              /* no tail padding: clang sizes such symbols without it */
};
union u1 { char c; int i __attribute__((aligned(8))); };
typedef int aint __attribute__((aligned(8)));
typedef long __attribute__((aligned(2))) plong;
typedef aint const caint;
struct t1 { char c; aint x; char d; plong l; caint y; };

#define SIZE_AND_OFFSET(t, m) sizeof(struct t), __builtin_offsetof(struct t, m), _Alignof(struct t)
long layout[] = {
	SIZE_AND_OFFSET(s1, i), SIZE_AND_OFFSET(s2, l), SIZE_AND_OFFSET(s4, x),
	SIZE_AND_OFFSET(s5, i), SIZE_AND_OFFSET(s6, i), SIZE_AND_OFFSET(s7, s),
	SIZE_AND_OFFSET(s8, i), SIZE_AND_OFFSET(s8, l), SIZE_AND_OFFSET(bits, e),
	SIZE_AND_OFFSET(bits, h), sizeof(union u1), _Alignof(union u1),
	SIZE_AND_OFFSET(t1, x), SIZE_AND_OFFSET(t1, l), SIZE_AND_OFFSET(t1, y),
	sizeof(aint), _Alignof(aint), _Alignof(plong), _Alignof(caint),
};
struct t1 typed = { 1, 2, 3, 4, 5 };
struct bits b = { 1, 2, 3, 4, 5, 0xfffffffffffffff, 0x1ff, 6, -1 };
struct s8 packed8 = { 1, 2, 3 };
