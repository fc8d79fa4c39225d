#pragma pack(push, 2)
struct g { char c; unsigned x : 7; unsigned y : 12; char z; };
#pragma pack(pop)
struct g value;
