/* CHECK: layout
 * #pragma pack: pack(N), pack(push, N), pack(pop), pack(): the largest member
 * alignment of the records defined under it, aligned(N) on a member included;
 * pack(1) also packs bit-fields. */
#pragma pack(push, 2)
struct a { char c; int i; long l; };
struct b { char c; int i __attribute__((aligned(8))); };
#pragma pack(1)
struct c { char c; long l; short s; };
struct bits { char c; unsigned x : 7; unsigned y : 12; char z; };
#pragma pack(pop)
struct d { char c; int i; };
#pragma pack(4)
struct e { char c; long l; };
#pragma pack()
struct f { char c; long l; };
#pragma pack(push, 1)
struct hdr { unsigned char version; unsigned short length; unsigned int address; };
#pragma pack(pop)

#define SO(t, m) sizeof(struct t), __builtin_offsetof(struct t, m), _Alignof(struct t)
long v[] = { SO(a, i), SO(a, l), SO(b, i), SO(c, l), SO(c, s), SO(bits, z), SO(d, i),
	     SO(e, l), SO(f, l), SO(hdr, address) };
struct hdr h = { 4, 20, 0x0a000001 };
struct a packed_a = { 1, 2, 3 };
