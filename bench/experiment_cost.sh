#!/bin/bash
# The cost of one experiment with V variants against V separate compare calls (bench/README.md,
# "Experiments"). Usage: bench/experiment_cost.sh (G=path/to/geosim RUNS=200 THREADS=2).
set -e
G=${G:-build/ci/bin/geosim}
B=scenarios/baseline_2013.yaml
V="scenarios/pivot_to_asia.yaml scenarios/us_inclusive.yaml scenarios/korea_infrastructure_deal.yaml scenarios/kurils_compromise.yaml scenarios/eas_centerpiece.yaml scenarios/freedom_of_navigation.yaml scenarios/pivot_to_china.yaml"
F="--runs ${RUNS:-200} --design lhs --seed 2013 --threads ${THREADS:-2} -q --no-report --force"
for rep in 1 2 3; do
  s=$(date +%s.%N); $G batch $B $V $F --out /tmp/eb/batch >/dev/null; e=$(date +%s.%N)
  t1=$(echo "$e - $s" | bc)
  s=$(date +%s.%N); i=0; for v in $V; do i=$((i+1)); $G compare $B $v $F --out /tmp/eb/c$i >/dev/null; done; e=$(date +%s.%N)
  t2=$(echo "$e - $s" | bc)
  echo "rep $rep: batch (1 baseline + 7 variants) ${t1}s; 7 compare calls ${t2}s; ratio $(echo "scale=2; $t2 / $t1" | bc)"
done
