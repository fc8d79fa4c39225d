#!/usr/bin/env bash
# test.sh: set up (see setup.sh) and run the whole test suite; ends with the line
# "N passed, N failed, N skipped" and a non-zero status if anything failed.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bash "$top/scripts/setup.sh" --enable-werror "$@" || exit 1
cd "$top/build"
make -s -k -j"$(nproc)" check >check.out 2>&1
status=$?
grep -E '^(PASS|FAIL|SKIP|XFAIL|XPASS|ERROR):' check.out || true
if [ $status -ne 0 ]; then
	for log in $(grep -l -E '^:test-result: (FAIL|ERROR)' $(find . -name '*.trs') 2>/dev/null); do
		echo "===== ${log%.trs}.log"; tail -40 "${log%.trs}.log"
	done
	tail -30 check.out
fi
sh "$top/scripts/test-summary.sh" . || status=1
exit $status
