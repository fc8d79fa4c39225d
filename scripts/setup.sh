#!/usr/bin/env bash
# setup.sh: install what a fresh Debian machine lacks (as root, non-interactive), then
# bootstrap, configure and build the tree in ./build. Extra arguments go to configure.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

need_pkgs=(build-essential autoconf automake flex bison pkg-config libelf-dev zlib1g-dev
	   check libpcap-dev linux-libc-dev
	   clang llvm llvm-19 clang-19 bpftool libbpf-dev libclang-rt-14-dev)
missing=()
for p in "${need_pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	echo "setup: installing ${missing[*]}"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cd "$top"
[ -x configure ] && [ configure -nt configure.ac ] || autoreconf -fi >/dev/null 2>&1
mkdir -p build
cd build
if [ ! -f Makefile ] || [ "$#" -gt 0 ]; then
	../configure -q "$@"
fi
make -s -j"$(nproc)"
