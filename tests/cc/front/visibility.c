/* CHECK: layout
 * visibility("hidden") (libbpf's __hidden) and weak: symbol binding and visibility
 * as clang writes them; attributes clang ignores for BPF are accepted here too. */
#define __hidden __attribute__((visibility("hidden")))
int hidden_counter __hidden = 1;
int __attribute__((visibility("default"))) shown = 2;
__attribute__((weak)) int weak_value = 3;
__hidden __attribute__((noinline)) int hidden_sub(int x)
{
	return x + hidden_counter++;
}
__attribute__((noinline, cold, warn_unused_result, nonnull(1))) int plain(int *p)
{
	return *p + shown + weak_value;
}
__attribute__((format(printf, 1, 2))) static int logf(const char *fmt, ...);
__attribute__((section("xdp"), deprecated("old"))) int prog(void *ctx)
{
	int v = 1;

	return hidden_sub(2) + plain(&v);
}
char LICENSE[] __attribute__((section("license"), used)) = "GPL";
