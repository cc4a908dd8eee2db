#!/usr/bin/env bash
# Instructions per unary call of the policy micro-harness (`policy-cost`), for each target: callgrind counts two runs
# of different lengths and the difference is divided by the extra calls, so start-up and JIT drop out. Deterministic to
# about ±30 instructions (tiering off, a fixed gen0 budget); clock reads are system calls under valgrind and not counted.
# Needs valgrind (apt-get install -y valgrind) and a Release build of tests/Mesh.Benchmarks.
set -euo pipefail
dll="$(dirname "$0")/bin/Release/net10.0/Mesh.Benchmarks.dll"
count() {
  DOTNET_TieredCompilation=0 DOTNET_GCgen0size=0x10000000 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    dotnet "$dll" policy-cost "$1" "$2" 1 2>&1 | grep "I *refs" | tr -d ',' | awk '{print $NF}'
}
for target in ${@:-inner floor mesh}; do
  short=$(count 100000 "$target"); long=$(count 300000 "$target")
  echo "$target $(( (long - short) / 200000 )) instructions/call"
done
