#!/usr/bin/env bash
# showcase.sh: set up (see setup.sh), then walk one example through the pipeline.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bash "$top/scripts/setup.sh"
cd "$top/build"
echo "build complete; tools:"
ls */ebpf-* 2>/dev/null || true
