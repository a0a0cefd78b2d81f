#!/bin/bash
# Sweep throughput at 1 and 2 MPI ranks against one process, and the bytes each run costs on
# the wire (bench/README.md, "Sweeps on a cluster"). Usage: bench/mpi_throughput.sh
# (G=path/to/geosim RUNS=1000 SCENARIO=scenarios/baseline_2013.yaml REPS=3).
set -e
G=${G:-build/ci/bin/geosim}
S=${SCENARIO:-scenarios/baseline_2013.yaml}
RUNS=${RUNS:-1000}
M="mpirun --oversubscribe --allow-run-as-root"
F="--runs $RUNS --mode stochastic -q --no-report --force"
secs() { local s e; s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N); echo "$e - $s" | bc; }
for rep in $(seq 1 ${REPS:-3}); do
  a=$(secs $G sweep $S $F --threads 1 --out /tmp/mpi_bench/p1t1)
  b=$(secs $G sweep $S $F --threads 2 --out /tmp/mpi_bench/p1t2)
  c=$(secs $M -np 1 $G sweep $S $F --threads 2 --out /tmp/mpi_bench/mp1t2)
  d=$(secs $M -np 2 $G sweep $S $F --threads 1 --out /tmp/mpi_bench/mp2t1)
  echo "rep $rep runs/s: 1 process x 1 thread $(echo "$RUNS / $a" | bc); 1 process x 2 threads $(echo "$RUNS / $b" | bc);" \
       "mpirun -np 1 x 2 threads $(echo "$RUNS / $c" | bc) (incl. mpirun start); mpirun -np 2 x 1 thread $(echo "$RUNS / $d" | bc) (incl. mpirun start)"
done
cmp /tmp/mpi_bench/p1t1/runs.csv /tmp/mpi_bench/mp2t1/runs.csv && echo "runs.csv identical at 1 process and 2 ranks"
bytes=$(python3 -c "import json; print(json.load(open('/tmp/mpi_bench/mp2t1/manifest.json'))['mpi']['bytes_received'])")
echo "bytes received by rank 0 from rank 1: $bytes for $((RUNS / 2)) runs: $((bytes / (RUNS / 2))) bytes per run"
