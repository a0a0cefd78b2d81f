#!/bin/bash
# Micro benchmarks of two or more builds side by side: ROUNDS rounds, each running every binary
# once in turn (so that a slow spell of the shared machine falls on all of them), then the
# minimum and the median of each benchmark's wall time per binary.
# Usage: bench/interleave.sh FILTER ROUNDS BINARY...
#   bench/interleave.sh 'BM_Run_.*/20/5$' 3 /tmp/before/build/bench/bench/micro/geosim_micro_bench \
#     build/bench/bench/micro/geosim_micro_bench
set -euo pipefail
if [ $# -lt 3 ]; then
  sed -n '2,7p' "$0" >&2
  exit 2
fi
filter=$1
rounds=$2
shift 2
times=$(mktemp)
trap 'rm -f "$times"' EXIT
for round in $(seq "$rounds"); do
  for binary in "$@"; do
    "$binary" --benchmark_filter="$filter" --benchmark_min_time=0.1 --benchmark_format=csv 2>/dev/null |
      awk -F, -v binary="$binary" '/^"BM/ { gsub(/"/, "", $1); print binary, $1, $3 }' >> "$times"
  done
done
python3 - "$times" <<'PY'
import collections, statistics, sys
times = collections.defaultdict(list)
for line in open(sys.argv[1]):
    binary, name, wall = line.split()
    times[(name, binary)].append(float(wall))
for (name, binary), values in sorted(times.items()):
    print(f"{name:42s} {binary[-40:]:40s} min {min(values):11.3f}  median {statistics.median(values):11.3f}  ({len(values)})")
PY
