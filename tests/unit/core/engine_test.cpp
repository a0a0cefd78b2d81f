#include <gtest/gtest.h>

#include "geosim/engine.h"
#include "support/world.h"

namespace geosim {
namespace {

ScenarioSpec contested_world() {
  ScenarioSpec spec = test::tiny_world(5, 3);
  for (int i = 0; i < 5; ++i) {
    spec.agents[static_cast<std::size_t>(i)].interests = {
        {0.2 * i, 0.2 * i, 0.5}, {1 - 0.2 * i, 0.5, 0.3}, {0.1 + 0.15 * i, 0.3, 0.2}};
    for (int j = i + 1; j < 5; ++j) {
      test::set_affinity(spec, i, j, (i + j) % 2 ? -0.4 : 0.5);
      test::set_trade(spec, i, j, 10.0 * (i + 1));
    }
  }
  spec.events.push_back({"shock", std::nullopt, 0.2, 5, {AffinityEffect{0, 1, -0.3, false}}, {}});
  spec.track = {{{0, 1}}, {0, 2}};
  spec.run.ticks = 20;
  return spec;
}

RunResult run(const ScenarioSpec& spec, Mode mode, std::uint64_t seed) {
  RunOptions options = RunOptions::from(spec);
  options.mode = mode;
  options.seed = seed;
  return run_scenario(spec, test::default_rules(), options);
}

TEST(Determinism, SameSeedGivesIdenticalStochasticRuns) {
  const ScenarioSpec spec = contested_world();
  EXPECT_EQ(run(spec, Mode::kStochastic, 11).series.rows, run(spec, Mode::kStochastic, 11).series.rows);
}

TEST(Determinism, DifferentSeedsGiveDifferentStochasticRuns) {
  const ScenarioSpec spec = contested_world();
  EXPECT_NE(run(spec, Mode::kStochastic, 11).series.rows, run(spec, Mode::kStochastic, 12).series.rows);
}

// Expected mode draws nothing: neither the seed nor hazard events can change it.
TEST(Determinism, ExpectedModeIgnoresTheSeedAndHazards) {
  ScenarioSpec spec = contested_world();
  const auto base = run(spec, Mode::kExpected, 1).series.rows;
  EXPECT_EQ(base, run(spec, Mode::kExpected, 987654321).series.rows);
  spec.events.clear();
  EXPECT_EQ(base, run(spec, Mode::kExpected, 5).series.rows);
}

TEST(Engine, RecordsTickZeroEveryRTicksAndTheLastTick) {
  ScenarioSpec spec = contested_world();
  RunOptions options = RunOptions::from(spec);
  options.ticks = 10;
  options.record_every = 4;
  const RunResult result = run_scenario(spec, test::default_rules(), options);
  std::vector<double> ticks;
  for (const auto& row : result.series.rows) ticks.push_back(row[0]);
  EXPECT_EQ(ticks, (std::vector<double>{0, 4, 8, 10}));
}

TEST(Engine, SummarisesFinalValueAndMeanOverTheLastQuarter) {
  TimeSeries series{{"tick", "m"}, {{0, 1}, {2, 2}, {3, 4}, {4, 6}}};
  const auto summary = summarise(series, 4);
  ASSERT_EQ(summary.size(), 1u);
  EXPECT_EQ(summary[0].final_value, 6.0);
  EXPECT_EQ(summary[0].late_mean, 5.0);  // rows with tick >= 3
}

TEST(Engine, DisabledRulesLeaveTheirStateUntouched) {
  ScenarioSpec spec = contested_world();
  spec.events.clear();
  RuleSet rules = test::default_rules();
  rules.influence = nullptr;
  rules.affinity = nullptr;
  Simulation simulation(spec, rules, RunOptions::from(spec));
  const WorldState before = simulation.state();
  for (int t = 0; t < 5; ++t) simulation.step();
  EXPECT_EQ(simulation.state().x, before.x);
  EXPECT_EQ(simulation.state().A, before.A);
  EXPECT_NE(simulation.state().e, before.e);
}

TEST(Schedule, AppliesPoliciesAndEventsAtTheirTick) {
  ScenarioSpec spec = test::tiny_world(3, 2);
  spec.policies.push_back({1, SaliencePolicy{0, {{0, 0.0}}}, {}});
  spec.policies.push_back({1, SetParamsPolicy{{{"engagement_rate", 0.5}}}, {}});
  spec.policies.push_back({2, AnchorPolicy{1, {{1, 0.9}}}, {}});
  spec.events.push_back({"", 2, 0, 1, {AffinityEffect{0, 2, 0.4, true}, InterestEffect{InterestEffect::Field::kPosition, 2, 0, 0.7}}, {}});
  RuleSet none;
  Simulation simulation(spec, none, RunOptions::from(spec));
  simulation.step();
  EXPECT_EQ(simulation.state().s(0, 0), 0.5);
  simulation.step();
  EXPECT_EQ(simulation.state().s(0, 0), 0.0);
  EXPECT_EQ(simulation.state().s(0, 1), 1.0);
  EXPECT_EQ(simulation.state().params.engagement_rate, 0.5);
  EXPECT_EQ(simulation.state().x0(1, 1), 0.5);
  simulation.step();
  EXPECT_EQ(simulation.state().x0(1, 1), 0.9);
  EXPECT_EQ(simulation.state().A(0, 2), 0.4);
  EXPECT_EQ(simulation.state().A(2, 0), 0.0);
  EXPECT_EQ(simulation.state().x(2, 0), 1.0);  // 0.5 + 0.7, clipped
}

// A cooperation rule writes all of o and X (rule.h); with the slot disabled the tick sets them
// to 0, whatever an earlier tick left there.
TEST(Tick, WithoutACooperationRuleLeavesOAndXAtZero) {
  const ScenarioSpec spec = test::tiny_world(4, 2);
  RuleSet rules = test::default_rules();
  rules.cooperation = nullptr;
  Simulation simulation(spec, rules, RunOptions::from(spec));
  auto& scratch = const_cast<TickScratch&>(simulation.scratch());  // as a previous tick might leave it
  scratch.o.setConstant(0.5);
  scratch.X.setConstant(0.25);
  simulation.step();
  EXPECT_EQ(simulation.scratch().o.cwiseAbs().maxCoeff(), 0.0);
  EXPECT_EQ(simulation.scratch().X.cwiseAbs().maxCoeff(), 0.0);
}

TEST(Schedule, RejectsASalienceShiftThatZeroesEveryIssue) {
  ScenarioSpec spec = test::tiny_world(2, 1);
  spec.events.push_back({"", 0, 0, 1, {InterestEffect{InterestEffect::Field::kSalience, 0, 0, -1.0}}, {"s.yaml", 9, 5}});
  RuleSet none;
  Simulation simulation(spec, none, RunOptions::from(spec));
  try {
    simulation.step();
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "s.yaml:9:5: error: at tick 0 this change leaves every salience of A0 at 0");
  }
}

}  // namespace
}  // namespace geosim
