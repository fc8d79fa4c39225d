// core_target.bpf.c - not a program: its BTF is a made-up target kernel for
// core_narrow.bpf.c, with two flavors of struct foo that disagree on member y.
struct foo___a { int x; int y; };
struct foo___b { int y; };
struct foo___a a_instance;
struct foo___b b_instance;
