/* bad_dup.bpf.c - a second strong definition of progs.bpf.c's shared_counter. */
int shared_counter = 1;
char LICENSE[] __attribute__((section("license"))) = "GPL";
