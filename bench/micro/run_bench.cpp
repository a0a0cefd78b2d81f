// Whole runs of a synthetic world through the serial reference path.
// Items processed = dyad-issue updates (N (N - 1) / 2 * K per tick).
#include <benchmark/benchmark.h>

#include "geosim/rng.h"
#include "support/world.h"

namespace geosim {
namespace {

// A deterministic synthetic world: N agents, K issues, every dyad with affinity and trade,
// drawn from Philox so that the world is the same on every machine.
ScenarioSpec synthetic_world(int agents, int issues, int ticks) {
  ScenarioSpec spec = test::tiny_world(agents, issues);
  const Rng rng(Rng::key_for(2013, 0, 0));
  for (int i = 0; i < agents; ++i) {
    auto& agent = spec.agents[static_cast<std::size_t>(i)];
    agent.capability = 0.1 + rng.uniform2(0, Stream::kHazard, 0, static_cast<std::uint32_t>(i), 0)[0];
    agent.susceptibility = 0.5;
    double total = 0;
    for (int k = 0; k < issues; ++k) {
      const auto u = rng.uniform2(1, Stream::kHazard, static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(i), 0);
      agent.interests[static_cast<std::size_t>(k)] = {u[0], u[0], 0.05 + u[1]};
      total += 0.05 + u[1];
    }
    for (auto& interest : agent.interests) interest.salience /= total;
    for (int j = i + 1; j < agents; ++j) {
      const auto u = rng.uniform2(2, Stream::kHazard, 0, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j));
      test::set_affinity(spec, i, j, 2 * u[0] - 1);
      test::set_trade(spec, i, j, 100 * u[1]);
    }
  }
  spec.regions.push_back({"R", "", 0, 0.5, std::vector<double>(static_cast<std::size_t>(agents), 1.0)});
  spec.track = {{{0, 1}, {1, 2}}, {0, 1}};
  spec.run.ticks = ticks;
  spec.run.record_every = 4;
  return spec;
}

void BM_Run(benchmark::State& bench, Mode mode) {
  const int agents = static_cast<int>(bench.range(0));
  const int issues = static_cast<int>(bench.range(1));
  const ScenarioSpec spec = synthetic_world(agents, issues, 80);
  const RuleSet rules = test::default_rules();
  RunOptions options = RunOptions::from(spec);
  options.mode = mode;
  double checksum = 0;
  for (auto _ : bench) {
    const RunResult result = run_scenario(spec, rules, options);
    checksum += result.series.rows.back()[1];
    benchmark::DoNotOptimize(checksum);
  }
  bench.SetItemsProcessed(bench.iterations() * 80LL * agents * (agents - 1) / 2 * issues);
  bench.counters["cooperation"] = checksum / static_cast<double>(bench.iterations());
}

void BM_Run_Expected(benchmark::State& bench) { BM_Run(bench, Mode::kExpected); }
void BM_Run_Stochastic(benchmark::State& bench) { BM_Run(bench, Mode::kStochastic); }

BENCHMARK(BM_Run_Expected)->Args({20, 5})->Args({100, 5})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Run_Stochastic)->Args({20, 5})->Args({100, 5})->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace geosim

BENCHMARK_MAIN();
