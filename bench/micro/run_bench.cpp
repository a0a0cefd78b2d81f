// Whole runs of a synthetic world through the serial reference path.
// Items processed = dyad-issue updates (N (N - 1) / 2 * K per tick).
#include <benchmark/benchmark.h>

#include "synthetic_world.h"

namespace geosim {
namespace {

void BM_Run(benchmark::State& bench, Mode mode) {
  const int agents = static_cast<int>(bench.range(0));
  const int issues = static_cast<int>(bench.range(1));
  const ScenarioSpec spec = micro::synthetic_world(agents, issues, 80);
  const RuleSet rules = test::default_rules();
  RunOptions options = RunOptions::from(spec);
  options.mode = mode;
  double checksum = 0;
  for (auto _ : bench) {
    const RunResult result = run_scenario(spec, rules, options);
    checksum += result.series.rows.back()[1];
    benchmark::DoNotOptimize(checksum);
  }
  bench.SetItemsProcessed(bench.iterations() * 80 * micro::dyad_issue_updates(agents, issues));
  bench.counters["cooperation"] = checksum / static_cast<double>(bench.iterations());
}

void BM_Run_Expected(benchmark::State& bench) { BM_Run(bench, Mode::kExpected); }
void BM_Run_Stochastic(benchmark::State& bench) { BM_Run(bench, Mode::kStochastic); }

BENCHMARK(BM_Run_Expected)->Args({20, 5})->Args({100, 5})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Run_Stochastic)->Args({20, 5})->Args({100, 5})->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace geosim

BENCHMARK_MAIN();
