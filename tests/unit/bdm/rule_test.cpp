// The `bdm` rule inside a scenario (MODEL.md section 7): per issue, with c = chat, x = x_ik,
// s = s_ik, on ticks 0, n, 2n, ... (n = bdm_interval), bit-identical for any thread count.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include "bdm.h"
#include "bdm_table.h"
#include "geosim/rng.h"
#include "registry.h"
#include "support/files.h"
#include "support/world.h"

namespace geosim {
namespace {

RuleSet bdm_rules() {
  RuleSelection selection;
  selection.influence.name = "bdm";
  return agents::build_rules(selection);
}

// The EC example as issue 0 of a ten-state world (positions (x - 4) / 6, saliences s), with
// issue 1 holding the rest of each state's salience.
ScenarioSpec ec_world() {
  const auto table = agents::bdm::read_table(test::source_dir() / "tests/data/bdm/ec_emission_standards.csv",
                                             agents::bdm::Scale::kAuto);
  ScenarioSpec spec = test::tiny_world(10, 2);
  for (std::size_t i = 0; i < 10; ++i) {
    const double s = table.actors.salience[i], x = (table.actors.position[i] - 4) / 6;
    spec.agents[i].capability = table.actors.capability[i];
    spec.agents[i].interests = {{x, x, s}, {0.1 * static_cast<double>(i), 0.5, 1 - s}};
  }
  spec.run.ticks = 8;
  return spec;
}

// What a standalone round on each issue's table gives.
Matrix standalone_round(const WorldState& state) {
  Matrix next = state.x;
  const Vector chat = state.capability_share();
  for (int k = 0; k < state.issues(); ++k) {
    agents::bdm::Actors actors;
    for (int i = 0; i < state.agents(); ++i) {
      actors.capability.push_back(chat(i));
      actors.position.push_back(state.x(i, k));
      actors.salience.push_back(state.s(i, k));
    }
    const auto round = agents::bdm::play_round(actors);
    for (int i = 0; i < state.agents(); ++i) next(i, k) = round.position[static_cast<std::size_t>(i)];
  }
  return next;
}

TEST(BdmRule, IsRegisteredAsAnInfluenceRule) {
  const RuleCatalog catalog = agents::rule_catalog();
  const auto& influence = catalog.at("influence");
  EXPECT_NE(std::find(influence.begin(), influence.end(), "bdm"), influence.end());
  EXPECT_EQ(bdm_rules().influence->name(), "bdm");
}

TEST(BdmRule, FirstApplicationEqualsAStandaloneRoundOnEveryIssue) {
  const ScenarioSpec spec = ec_world();
  const RuleSet rules = bdm_rules();
  Simulation simulation(spec, rules, RunOptions::from(spec));
  const Matrix expected = standalone_round(simulation.state());
  simulation.step();
  EXPECT_EQ(simulation.state().x, expected);
  EXPECT_NE(simulation.state().x, make_initial_state(spec).x);
  // Capability shares instead of the table's capabilities change nothing but rounding: Belgium
  // makes the published compromise, on the [0, 1] scale.
  EXPECT_NEAR(simulation.state().x(1, 0), (8.415932315426764 - 4) / 6, 1e-12);
}

TEST(BdmRule, MovesOnlyEveryIntervalTicks) {
  ScenarioSpec spec = ec_world();
  spec.params.bdm_interval = 3;
  const RuleSet rules = bdm_rules();
  Simulation simulation(spec, rules, RunOptions::from(spec));
  Matrix expected = standalone_round(simulation.state());
  for (int tick = 0; tick < 7; ++tick) {
    const Matrix before = simulation.state().x;
    if (tick % 3 == 0) expected = standalone_round(simulation.state());
    simulation.step();
    if (tick % 3 == 0) EXPECT_EQ(simulation.state().x, expected) << tick;
    else EXPECT_EQ(simulation.state().x, before) << "positions moved on tick " << tick;
  }
}

TEST(BdmRule, UsesTheIntegerPartOfAFractionalInterval) {
  ScenarioSpec spec = ec_world();
  spec.params.bdm_interval = 2.5;
  const RuleSet rules = bdm_rules();
  Simulation simulation(spec, rules, RunOptions::from(spec));
  simulation.step();
  const Matrix after_tick0 = simulation.state().x;
  simulation.step();
  EXPECT_EQ(simulation.state().x, after_tick0);
  const Matrix expected = standalone_round(simulation.state());
  simulation.step();
  EXPECT_EQ(simulation.state().x, expected);
}

// Forty states, eight issues drawn from Philox, so that the issues run on several threads.
ScenarioSpec random_world() {
  ScenarioSpec spec = test::tiny_world(40, 8);
  const Rng rng(Rng::key_for(99, 0, 0));
  for (std::uint32_t i = 0; i < 40; ++i) {
    auto& agent = spec.agents[i];
    agent.capability = 0.1 + rng.uniform2(0, Stream::kHazard, 0, i, 0)[0];
    double total = 0;
    for (std::uint32_t k = 0; k < 8; ++k) {
      const auto u = rng.uniform2(1, Stream::kHazard, k, i, 0);
      agent.interests[k] = {u[0], u[0], 0.05 + u[1]};
      total += 0.05 + u[1];
    }
    for (auto& interest : agent.interests) interest.salience /= total;
  }
  spec.run.ticks = 5;
  return spec;
}

RunResult run_with_threads(const ScenarioSpec& spec, std::size_t threads) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  return run_scenario(spec, bdm_rules(), RunOptions::from(spec));
}

TEST(BdmRule, IsBitIdenticalForOneAndTwoThreads) {
  const ScenarioSpec spec = random_world();
  const RunResult one = run_with_threads(spec, 1);
  const RunResult two = run_with_threads(spec, 2);
  ASSERT_EQ(one.series.rows.size(), two.series.rows.size());
  EXPECT_EQ(one.series.rows, two.series.rows);  // exact: every outcome:K and dispersion:K
  EXPECT_NE(one.series.rows.front(), one.series.rows.back());
}

TEST(BdmRule, RunsFromAScenarioFile) {
  LoadOptions options;
  options.rules = agents::rule_catalog();
  const ScenarioSpec spec = load_scenario(test::source_dir() / "tests/data/bdm/bdm_world.yaml", options);
  EXPECT_EQ(spec.rules.influence.name, "bdm");
  EXPECT_EQ(spec.params.bdm_interval, 2.0);
  const RuleSet rules = agents::build_rules(spec.rules);
  Simulation simulation(spec, rules, RunOptions::from(spec));
  const Matrix expected = standalone_round(simulation.state());
  simulation.step();
  EXPECT_EQ(simulation.state().x, expected);
  const Matrix after_tick0 = simulation.state().x;
  simulation.step();
  EXPECT_EQ(simulation.state().x, after_tick0);
}

}  // namespace
}  // namespace geosim
