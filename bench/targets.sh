#!/bin/bash
# The figures of the performance targets (bench/README.md, "Targets"), side by side in one run:
# the baseline-size run, the sweep at 1 and 2 threads (the engine alone and through the CLI,
# which also commits every run to its files), and scale_1000's tick and record.
# Usage: make bench (or cmake --preset bench && cmake --build build/bench), then bench/targets.sh
# (M=micro benchmark binary, G=geosim binary, REPS=3).
set -e
M=${M:-build/bench/bench/micro/geosim_micro_bench}
G=${G:-build/bench/bin/geosim}
REPS=${REPS:-3}
echo "== micro: baseline-size runs (one thread) and scale_1000 phases (all threads), medians of 5"
$M --benchmark_filter='BM_Run_.*/20/5|BM_(P4_Affinity|P8_Record|Tick)/1000/8' --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true 2>/dev/null | grep median
echo "== geosim bench: the yearly sweep and the baseline runs (engine only, no files)"
$G bench baseline_expected baseline_yearly_sweep --repetitions $REPS
echo "== geosim sweep: 1,000 runs, 80 ticks recorded every 4, stochastic (wall, with the files)"
for rep in $(seq $REPS); do
  for t in 1 2; do
    s=$(date +%s.%N)
    $G sweep scenarios/baseline_2013.yaml --mode stochastic --runs 1000 --ticks 80 --record-every 4 \
      --threads $t --out /tmp/geosim_targets_$t --force -q --no-report
    e=$(date +%s.%N)
    echo "rep $rep threads $t: $(echo "$e - $s" | bc) s"
  done
done
cmp /tmp/geosim_targets_1/runs.csv /tmp/geosim_targets_2/runs.csv && echo "runs.csv identical at 1 and 2 threads"
