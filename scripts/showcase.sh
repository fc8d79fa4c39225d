#!/usr/bin/env bash
# showcase.sh: set up (see setup.sh), then walk one example through the whole pipeline:
# compile C (ebpf-cc) and assembly (ebpf-as), link (ebpf-ld), inspect (ebpf-objdump),
# then load, verify and run on a pcap in the emulated kernel (ebpf-run) and compare the
# report with the example's golden file.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bash "$top/scripts/setup.sh"
b="$top/build"
ex="$top/examples"
out="$b/showcase"
mkdir -p "$out"
cd "$out"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

step "$b/cc/ebpf-cc" -O2 -g -c "$ex/xdp_parser.bpf.c" -o xdp_parser.o
step "$b/asm/ebpf-as" -o asm_counter.o "$ex/asm_counter.s"
step "$b/ld/ebpf-ld" -o app.o xdp_parser.o asm_counter.o
printf '\n\033[1m$ ebpf-objdump -d app.o | head -24\033[0m\n'
"$b/objfmt/ebpf-objdump" -d app.o | head -24
step "$b/run/ebpf-run" app.o --prog xdp_parse --pcap "$ex/xdp_parser.pcap"
printf '\n\033[1m$ ebpf-run xdp_parser.o --pcap xdp_parser.pcap  (vs examples/xdp_parser.golden)\033[0m\n'
cp "$ex/xdp_parser.pcap" .
"$b/run/ebpf-run" xdp_parser.o --pcap xdp_parser.pcap > xdp_parser.report
# The golden file was produced from clang's object of the same source; the report of
# ebpf-cc's object must match it except for the object name and processed-insn count.
if diff <(sed -e 's/^object: .*/object: X/' -e 's/^\(  verifier: accepted\).*/\1/' "$ex/xdp_parser.golden") \
	<(sed -e 's/^object: .*/object: X/' -e 's/^\(  verifier: accepted\).*/\1/' xdp_parser.report); then
	echo "same results as the clang-built object's golden report"
else
	echo "showcase: report differs from the golden file" >&2
	exit 1
fi
