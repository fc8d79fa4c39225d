/* digraphs.c - plain.c spelled with digraphs <: :> <% %> %: %:%: (handoff.sh) */
%:include <linux/bpf.h>
%:define SEC(name) __attribute__((section(name), used))
%:define CAT(a, b) a%:%:b
static int table<:4:> = <% 1, 2, 3, 4 %>;
SEC("xdp") int prog(struct xdp_md *ctx)
<%
	int CAT(sum, 0) = 0;
	for (int i = 0; i < 4; i++) <%
		sum0 += table<:i & 3:>;
	%>
	return sum0 > 5 ? XDP_PASS : XDP_DROP;
%>
char LICENSE<::> SEC("license") = "GPL";
