#!/bin/sh
# unroll.sh - full unrolling of counted loops (cc/unroll.c). Which loops: ebpf-cc -O2
# keeps a loop in exactly the programs of unroll/decisions.bpf.c where clang -O2 keeps
# one (a backward jump in the program's code). How: an unrolled skb->cb[i] loop stores
# at constant offsets from the unmodified ctx register, at -O2 and, under
# `#pragma unroll`, at -O0; `#pragma nounroll` keeps the loop. (tests/cc/progs/
# unroll.bpf.c checks the semantics against clang's twin.) SKIP without clang.
. "$top_srcdir/tests/cc/lib.sh"
OBJDUMP="$top_builddir/objfmt/ebpf-objdump"
command -v clang >/dev/null 2>&1 || command -v clang-19 >/dev/null 2>&1 ||
	{ echo "SKIP: no clang"; exit 77; }
fail=0

# `PROGRAM kept|unrolled` for each program of an object: kept when its control flow
# has a cycle (a backward jump whose target reaches the jump again; clang also jumps
# back to a shared exit block). Clang's block labels (LBB*) belong to their program.
loops() {
	"$OBJDUMP" -d "$1" | awk -F '\t' '
		function report(   i, j, t, head, tail, queue, seen, found) {
			found = 0
			for (i = 0; i < n && !found; i++) {
				if (target[i] == "" || target[i] > at[i])
					continue
				delete seen; head = tail = 0; queue[tail++] = slot[target[i]]
				while (head < tail && !found) {
					j = queue[head++]
					if (j == "" || j in seen)
						continue
					seen[j] = 1
					if (j == i)
						found = 1
					if (!stop[j] && j + 1 < n)
						queue[tail++] = j + 1
					if (target[j] != "")
						queue[tail++] = slot[target[j]]
				}
			}
			print name, found ? "kept" : "unrolled"
		}
		/^[0-9a-f]+ <[^>]*>:$/ && !/<(LBB|\.L)/ {
			if (name != "")
				report()
			split($0, w, " "); name = w[2]; gsub(/[<>:]/, "", name); n = 0
			delete slot; delete target; delete stop; delete at
		}
		/^ *[0-9]+:\t/ {
			text = $NF; at[n] = $1 + 0; slot[at[n]] = n; target[n] = ""
			stop[n] = text ~ /^(goto|exit)/
			if (match(text, /goto [+-][0-9]+/))
				target[n] = at[n] + 1 + substr(text, RSTART + 5, RLENGTH - 5)
			n++
		}
		END { if (name != "") report() }'
}

src="$top_srcdir/tests/cc/unroll/decisions.bpf.c"
"$EBPF_CC" -O2 -g -c "$src" -o "$WORK/ours.o" || exit 1
clang_twin "$src" "$WORK/clang.o" 2>/dev/null || { echo "FAIL: clang twin"; exit 1; }
loops "$WORK/ours.o" > "$WORK/ours"
loops "$WORK/clang.o" > "$WORK/clang"
[ "$(wc -l < "$WORK/clang")" -ge 16 ] || { echo "FAIL: programs missing"; cat "$WORK/clang"; fail=1; }
if diff -u "$WORK/clang" "$WORK/ours"; then
	echo "ok decisions: $(grep -c unrolled "$WORK/ours") unrolled, $(grep -c kept "$WORK/ours") kept, as clang"
else
	echo "FAIL decisions differ from clang's (- clang, + ebpf-cc)"; fail=1
fi

# skb->cb[i] = ...: five stores at ctx + 48 ... 64, no pointer arithmetic on ctx
cat > "$WORK/cb.c" <<'C'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
SEC("tc")
int cb(struct __sk_buff *skb)
{
	PRAGMA
	for (int i = 0; i < 5; i++)
		skb->cb[i] = skb->len * (i + 1);
	return skb->cb[2];
}
char LICENSE[] SEC("license") = "GPL";
C
shape() { # FLAGS PRAGMA -> the program's assembly
	sed "s/PRAGMA/$2/" "$WORK/cb.c" > "$WORK/cb_case.c"
	"$EBPF_CC" $1 -S "$WORK/cb_case.c" -o "$WORK/cb.s"
}
for case in "-O2|" "-O0|#pragma unroll" "-O2|#pragma clang loop unroll(full)"; do
	flags=${case%%|*} pragma=${case#*|}
	if ! shape "$flags" "$pragma"; then
		echo "FAIL cb $flags $pragma: not compiled"; fail=1; continue
	fi
	stores=$(grep -cE '^	\*\(u32 \*\)\(r[0-9] \+ (48|52|56|60|64)\) = ' "$WORK/cb.s")
	if [ "$stores" != 5 ] || grep -qE '^	r[0-9] \+= 48$|goto -' "$WORK/cb.s"; then
		echo "FAIL cb $flags $pragma: not five constant-offset stores"; cat "$WORK/cb.s"; fail=1
	else
		echo "ok cb $flags $pragma: five stores at ctx+48..64"
	fi
done
for pragma in "#pragma nounroll" "#pragma GCC unroll 1"; do
	sed "s/PRAGMA/$pragma/" "$WORK/cb.c" > "$WORK/cb_case.c"
	if "$EBPF_CC" -O2 -c "$WORK/cb_case.c" -o "$WORK/cb.o" 2>"$WORK/err"; then
		echo "FAIL cb $pragma: unrolled (the loop's ctx access verified)"; fail=1
	elif grep -q "dereference of modified ctx ptr" "$WORK/err"; then
		echo "ok cb $pragma: kept, refused by the verifier as clang's is"
	else
		echo "FAIL cb $pragma: unexpected error"; cat "$WORK/err"; fail=1
	fi
done
exit $fail
