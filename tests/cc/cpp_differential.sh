#!/bin/sh
# cpp_differential.sh - the integrated preprocessor against the system one (gcc -E with
# the same flags, through ebpf-cc -no-integrated-cpp): every test program and example,
# each libbpf header, the Linux UAPI headers BPF programs include, and a vmlinux.h
# dumped by bpftool. Both texts must give the same tokens (cpp_tokens.awk) and, where
# the text compiles, byte-identical objects. Parts whose oracle is missing are skipped.
. "$top_srcdir/tests/cc/lib.sh"
command -v gcc >/dev/null 2>&1 || skip "gcc (the system preprocessor) is not installed"
TOK="$top_srcdir/tests/cc/cpp_tokens.awk"
DEFS=-D__TARGET_ARCH_x86
total=0 same_tokens=0 same_bytes=0 same_objects=0 compiled=0 fail=0

# compare NAME SOURCE [ebpf-cc flags]: preprocess both ways, compare, compile both.
compare() {
	name=$1 src=$2
	shift 2
	total=$((total + 1))
	"$EBPF_CC" $DEFS "$@" -E "$src" > "$WORK/$name.ours.i" 2> "$WORK/$name.ours.err"
	ours=$?
	"$EBPF_CC" -no-integrated-cpp $DEFS "$@" -E "$src" > "$WORK/$name.gcc.i" 2> "$WORK/$name.gcc.err"
	theirs=$?
	if [ $ours -ne 0 ] || [ $theirs -ne 0 ]; then
		if [ $ours -ne 0 ] && [ $theirs -ne 0 ]; then
			same_tokens=$((same_tokens + 1))
			echo "ok $name: both preprocessors reject it"
		else
			echo "FAIL $name: exit $ours (ours) vs $theirs (gcc -E)"
			head -3 "$WORK/$name.ours.err" "$WORK/$name.gcc.err"
			fail=1
		fi
		return
	fi
	awk -f "$TOK" "$WORK/$name.ours.i" > "$WORK/$name.ours.tok"
	awk -f "$TOK" "$WORK/$name.gcc.i" > "$WORK/$name.gcc.tok"
	if ! cmp -s "$WORK/$name.ours.tok" "$WORK/$name.gcc.tok"; then
		echo "FAIL $name: token streams differ"
		diff "$WORK/$name.ours.tok" "$WORK/$name.gcc.tok" | head -10
		fail=1
		return
	fi
	same_tokens=$((same_tokens + 1))
	cmp -s "$WORK/$name.ours.i" "$WORK/$name.gcc.i" && same_bytes=$((same_bytes + 1))
	"$EBPF_CC" -O2 -g -fno-verify -c "$WORK/$name.ours.i" -o "$WORK/$name.ours.o" 2>/dev/null
	ours=$?
	"$EBPF_CC" -O2 -g -fno-verify -c "$WORK/$name.gcc.i" -o "$WORK/$name.gcc.o" 2>/dev/null
	theirs=$?
	if [ $ours -ne $theirs ]; then
		echo "FAIL $name: the .i files compile differently (exit $ours vs $theirs)"
		fail=1
	elif [ $ours -eq 0 ]; then
		compiled=$((compiled + 1))
		if cmp -s "$WORK/$name.ours.o" "$WORK/$name.gcc.o"; then
			same_objects=$((same_objects + 1))
		else
			echo "FAIL $name: objects from the two .i files differ"
			fail=1
			return
		fi
	fi
	echo "ok $name"
}

for src in "$PROGS"/*.bpf.c "$top_srcdir"/examples/*.bpf.c; do
	case "$src" in */examples/*) name=ex_$(basename "$src" .bpf.c) ;;
	*) name=$(basename "$src" .bpf.c) ;; esac
	compare "$name" "$src"
done

# Each libbpf header, after the UAPI header it expects, in a file of its own.
if ls /usr/include/bpf/*.h >/dev/null 2>&1; then
	for h in /usr/include/bpf/*.h; do
		base=$(basename "$h" .h)
		printf '#include <linux/bpf.h>\n#include <bpf/%s.h>\n' "$base" > "$WORK/bpf_$base.c"
		compare "bpf_$base" "$WORK/bpf_$base.c"
	done
else
	echo "skip: libbpf headers (/usr/include/bpf) not installed"
fi

# UAPI headers BPF programs include.
for h in linux/bpf.h linux/if_ether.h linux/ip.h linux/ipv6.h linux/tcp.h linux/udp.h \
	linux/in.h linux/in6.h linux/icmp.h linux/icmpv6.h linux/pkt_cls.h linux/ptrace.h \
	linux/if_packet.h linux/if_vlan.h linux/types.h linux/swab.h linux/stddef.h \
	linux/errno.h linux/perf_event.h linux/bpf_perf_event.h linux/socket.h \
	linux/netfilter.h linux/seccomp.h linux/filter.h linux/limits.h stddef.h stdbool.h \
	stdint.h; do
	[ -r "/usr/include/$h" ] || [ "${h%%/*}" = "$h" ] || { echo "skip: $h not installed"; continue; }
	name=uapi_$(echo "$h" | tr '/.' '__')
	printf '#include <%s>\n' "$h" > "$WORK/$name.c"
	compare "$name" "$WORK/$name.c"
done

# A vmlinux.h of the running kernel and a program using it.
if command -v bpftool >/dev/null 2>&1 && [ -r /sys/kernel/btf/vmlinux ] &&
	bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$WORK/vmlinux.h" 2>/dev/null; then
	cat > "$WORK/use_vmlinux.c" <<'PROG'
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
SEC("raw_tp/sys_enter") int on_enter(void *ctx) { return 0; }
char LICENSE[] SEC("license") = "GPL";
PROG
	compare vmlinux "$WORK/use_vmlinux.c"
else
	echo "skip: vmlinux.h (needs bpftool and /sys/kernel/btf/vmlinux)"
fi

echo "cpp differential: $same_tokens/$total same tokens, $same_bytes/$total byte-identical" \
	"text, $same_objects/$compiled identical objects"
exit $fail
