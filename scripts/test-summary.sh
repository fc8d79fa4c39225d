#!/bin/sh
# Sums the automake test logs under a build tree into one closing line:
# "N passed, N failed, N skipped" (exit status 1 when anything failed or errored).
root=${1:-.}
pass=0; fail=0; skip=0
for trs in $(find "$root" -name '*.trs'); do
  r=$(sed -n 's/^:test-result: //p' "$trs")
  for x in $r; do
    case $x in
      PASS|XFAIL) pass=$((pass+1));;
      SKIP) skip=$((skip+1));;
      *) fail=$((fail+1));;
    esac
  done
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
