/* Cases sharing their code (`case A: case B: case C:`, three values or more within 64)
 * are tested as one bit test, as LLVM lowers them: the switch value stays unknown to
 * the verifier in the case's code, where a compare chain makes it a constant on each
 * edge (one state per case, multiplied by every copy of an unrolled loop: the
 * extension-header walker below needed 6x the processed insns of clang's object).
 * 64-bit masks are tested bit-reversed (shifted to the sign bit), small ones as they
 * are; 32-bit and 64-bit, signed and unsigned switch values, a base other than 0.
 * RUN: --data-hex 00fd0201aa00000000000000000000
 * RUN: --data-hex 2bff03022c00000000000000000000
 * RUN: --data-hex 3c020a081100000000000000000000
 * RUN: --data-hex 060501040700000000000000000000
 * RUN: --data-hex 11fc01103b00000000000000000000
 * RUN: --data-hex 2c8009203c00000000000000000000
 * RUN: --data-hex 002b3c2c0000000000000000000000
 * NOSHAPE: == 60 goto
 * NOSHAPE: == 43 goto
 * PROCESSED: clang
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __always_inline int kind(__u8 proto)
{
	switch (proto) {
	case 0:
	case 43:
	case 44:
	case 60:
		return 1;
	case 6:
	case 17:
		return 2;
	default:
		return 3;
	}
}

static __always_inline int sign_class(int v)
{
	switch (v) {
	case -3:
	case -1:
	case 2:
	case 5:
		return 10;
	default:
		return 20;
	}
}

static __always_inline int wide_class(__u64 v)
{
	switch (v) {
	case 1000:
	case 1003:
	case 1010:
	case 1060:
		return 100;
	case 1001:
		return 200;
	}
	return 300;
}

static __always_inline int small_class(__u32 v)
{
	switch (v) {
	case 1:
	case 2:
	case 4:
	case 8:
	case 16:
	case 30:
		return 1000;
	default:
		return 2000;
	}
}

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u8 *p = data;
	__u32 off = 0, walked = 0;

	if (data + 5 > end)
		return XDP_ABORTED;
	int r = kind(p[0]) + sign_class((signed char)p[1]) + wide_class(p[2] + 1000ull) +
		small_class(p[3]);
	/* an extension-header style walk: each step's protocol byte is the next offset */
	__u8 proto = p[4];
	for (int i = 0; i < 6; i++) {
		switch (proto) {
		case 0:
		case 43:
		case 44:
		case 60:
			break;
		default:
			goto done;
		}
		off &= 7;
		if (data + off + 2 > end)
			return XDP_DROP;
		__u8 *h = data + off;
		if (proto == 43 && h[1] == 0xee)
			return XDP_DROP;
		off += proto == 44 ? 1 : h[1] + 2;
		proto = h[0];
		walked++;
	}
done:
	return r * 10 + walked;
}

char LICENSE[] SEC("license") = "GPL";
