// One phase of MODEL.md section 3 at a time, on the state of a synthetic world after 8 ticks.
// Items processed = dyad-issue updates, N (N - 1) / 2 * K per call, for every phase, so that
// the phases compare on one scale (bench/README.md relates each to its own operation count).
#include <benchmark/benchmark.h>

#include <memory>

#include "geosim/metrics.h"
#include "schedule.h"
#include "synthetic_world.h"

namespace geosim {
namespace {

/// A world advanced a few ticks, and the context a phase sees.
struct PhaseFixture {
  ScenarioSpec spec;
  RuleSet rules = test::default_rules();
  RunOptions options;
  std::unique_ptr<Simulation> simulation;
  WorldState state;
  TickScratch scratch;
  Rng rng{Rng::key_for(1, 0, 0)};

  PhaseFixture(int agents, int issues, Mode mode) : spec(micro::synthetic_world(agents, issues, 80)) {
    options = RunOptions::from(spec);
    options.mode = mode;
    simulation = std::make_unique<Simulation>(spec, rules, options);
    for (int tick = 0; tick < 8; ++tick) simulation->step();
    state = simulation->state();
    scratch = simulation->scratch();
  }
  TickContext context() { return {state, scratch, options.mode, rng, 8}; }
};

void set_items(benchmark::State& bench) {
  bench.SetItemsProcessed(bench.iterations() *
                          micro::dyad_issue_updates(static_cast<int>(bench.range(0)), static_cast<int>(bench.range(1))));
}

// Times `rule` of the fixture applied to its (evolving) state.
void time_rule(benchmark::State& bench, std::shared_ptr<const Rule> RuleSet::*slot, Mode mode) {
  PhaseFixture fixture(static_cast<int>(bench.range(0)), static_cast<int>(bench.range(1)), mode);
  const Rule& rule = *(fixture.rules.*slot);
  TickContext context = fixture.context();
  for (auto _ : bench) {
    rule.apply(context);
    benchmark::ClobberMemory();
  }
  set_items(bench);
}

void BM_P0_Schedule(benchmark::State& bench) {
  PhaseFixture fixture(static_cast<int>(bench.range(0)), static_cast<int>(bench.range(1)), Mode::kStochastic);
  for (auto _ : bench) apply_schedule(fixture.spec, fixture.state, 8, Mode::kStochastic, fixture.rng);
  set_items(bench);
}
void BM_P1_Engagement(benchmark::State& bench) { time_rule(bench, &RuleSet::engagement, Mode::kExpected); }
void BM_P2_Interaction(benchmark::State& bench) {
  PhaseFixture fixture(static_cast<int>(bench.range(0)), static_cast<int>(bench.range(1)), Mode::kExpected);
  for (auto _ : bench) {
    compute_interaction(fixture.state, fixture.scratch);
    benchmark::ClobberMemory();
  }
  set_items(bench);
}
void BM_P3_Cooperation_Expected(benchmark::State& bench) { time_rule(bench, &RuleSet::cooperation, Mode::kExpected); }
void BM_P3_Cooperation_Stochastic(benchmark::State& bench) {
  time_rule(bench, &RuleSet::cooperation, Mode::kStochastic);
}
void BM_P4_Affinity(benchmark::State& bench) { time_rule(bench, &RuleSet::affinity, Mode::kExpected); }
void BM_P5_Influence(benchmark::State& bench) { time_rule(bench, &RuleSet::influence, Mode::kExpected); }
void BM_P6_Economy(benchmark::State& bench) { time_rule(bench, &RuleSet::economy, Mode::kExpected); }
void BM_P8_Record(benchmark::State& bench) {
  PhaseFixture fixture(static_cast<int>(bench.range(0)), static_cast<int>(bench.range(1)), Mode::kExpected);
  const MetricRecorder recorder(fixture.spec);
  for (auto _ : bench) benchmark::DoNotOptimize(recorder.record(8, fixture.state, fixture.scratch));
  set_items(bench);
}
// A whole tick (P0-P7, no record), for the sum of the phases.
void BM_Tick(benchmark::State& bench) {
  PhaseFixture fixture(static_cast<int>(bench.range(0)), static_cast<int>(bench.range(1)), Mode::kExpected);
  for (auto _ : bench) fixture.simulation->step();
  set_items(bench);
}

// N = 20 (the baseline's size), 100 and 1000; K = 5 and 8.
void sizes(benchmark::internal::Benchmark* b) {
  for (int agents : {20, 100, 1000}) {
    for (int issues : {5, 8}) b->Args({agents, issues});
  }
  b->Unit(benchmark::kMicrosecond);
}

BENCHMARK(BM_P0_Schedule)->Apply(sizes);
BENCHMARK(BM_P1_Engagement)->Apply(sizes);
BENCHMARK(BM_P2_Interaction)->Apply(sizes);
BENCHMARK(BM_P3_Cooperation_Expected)->Apply(sizes);
BENCHMARK(BM_P3_Cooperation_Stochastic)->Apply(sizes);
BENCHMARK(BM_P4_Affinity)->Apply(sizes);
BENCHMARK(BM_P5_Influence)->Apply(sizes);
BENCHMARK(BM_P6_Economy)->Apply(sizes);
BENCHMARK(BM_P8_Record)->Apply(sizes);
BENCHMARK(BM_Tick)->Apply(sizes);

}  // namespace
}  // namespace geosim
