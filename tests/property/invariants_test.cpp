// Invariants after every tick on random worlds, and structural balance on complete graphs.
#include <gtest/gtest.h>

#include <random>

#include "geosim/metrics.h"
#include "support/world.h"

namespace geosim {
namespace {

// A random world from a fixed seed (std::mt19937 is fine here: it builds test inputs, not model draws).
ScenarioSpec random_world(unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  const int n = 3 + static_cast<int>(gen() % 8);
  const int k = 1 + static_cast<int>(gen() % 4);
  ScenarioSpec spec = test::tiny_world(n, k);
  for (auto& agent : spec.agents) {
    agent.capability = 0.1 + unit(gen);
    agent.susceptibility = 0.95 * unit(gen);
    agent.growth = 0.02 * unit(gen) - 0.01;
    double total = 0;
    for (auto& interest : agent.interests) {
      interest = {unit(gen), unit(gen), unit(gen)};
      total += interest.salience;
    }
    for (auto& interest : agent.interests) interest.salience /= total;
  }
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      test::set_affinity(spec, i, j, 2 * unit(gen) - 1);
      test::set_trade(spec, i, j, gen() % 3 == 0 ? 0.0 : 100 * unit(gen));
    }
  }
  spec.institutions.push_back({"G", "", {0, 1, 2}});
  spec.regions.push_back({"R", "", 0, 0.5, std::vector<double>(static_cast<std::size_t>(n), 1.0)});
  spec.policies.push_back({2, PivotPolicy{1, {{0, 0.7}}}, {}});
  spec.policies.push_back({3, SaliencePolicy{2, {{0, 0.9}}}, {}});
  spec.events.push_back({"shock", std::nullopt, 0.3, 3, {AffinityEffect{0, 2, -0.8, false}}, {}});
  spec.params.balance_rate = 0.5 * unit(gen);
  spec.run.ticks = 30;
  return spec;
}

void expect_invariants(const WorldState& state, const TickScratch& scratch, int tick) {
  SCOPED_TRACE(::testing::Message() << "after tick " << tick);
  ASSERT_TRUE(state.x.allFinite() && state.A.allFinite() && state.a.allFinite() && state.e.allFinite());
  ASSERT_TRUE(state.S.allFinite() && scratch.o.allFinite() && scratch.w.allFinite());
  for (int i = 0; i < state.agents(); ++i) {
    EXPECT_NEAR(state.s.row(i).sum(), 1.0, 1e-12);
    EXPECT_NEAR(state.a.row(i).sum(), 1.0, 1e-12);
    EXPECT_EQ(state.A(i, i), 0.0);
    EXPECT_EQ(state.a(i, i), 0.0);
  }
  EXPECT_GE(state.x.minCoeff(), 0.0);
  EXPECT_LE(state.x.maxCoeff(), 1.0);
  EXPECT_GE(state.A.minCoeff(), -1.0);
  EXPECT_LE(state.A.maxCoeff(), 1.0);
  EXPECT_GE(state.e.minCoeff(), 0.0);
  EXPECT_GE(state.S.minCoeff(), 0.0);
  EXPECT_LE(scratch.o.cwiseAbs().maxCoeff(), 1.0 + 1e-12);
}

class RandomWorld : public ::testing::TestWithParam<std::tuple<unsigned, Mode>> {};

TEST_P(RandomWorld, KeepsEveryInvariantAfterEveryTick) {
  const ScenarioSpec spec = random_world(std::get<0>(GetParam()));
  const RuleSet rules = test::default_rules();
  RunOptions options = RunOptions::from(spec);
  options.mode = std::get<1>(GetParam());
  Simulation simulation(spec, rules, options);
  expect_invariants(simulation.state(), simulation.scratch(), 0);
  while (simulation.ticks_done() < options.ticks) {
    simulation.step();
    expect_invariants(simulation.state(), simulation.scratch(), simulation.ticks_done());
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, RandomWorld,
                         ::testing::Combine(::testing::Range(1u, 21u),
                                            ::testing::Values(Mode::kExpected, Mode::kStochastic)));

// Cartwright-Harary: with only the balance term active, a complete signed graph of random
// affinities settles into two camps: friends within, enemies across, balance index 1.
TEST(StructuralBalance, DrivesACompleteSignedGraphTowardTwoCamps) {
  for (unsigned seed = 1; seed <= 10; ++seed) {
    SCOPED_TRACE(seed);
    std::mt19937 gen(seed);
    std::uniform_real_distribution<double> unit(-0.5, 0.5);
    ScenarioSpec spec = test::tiny_world(8, 1);
    for (int i = 0; i < 8; ++i) {
      for (int j = i + 1; j < 8; ++j) test::set_affinity(spec, i, j, unit(gen));
    }
    spec.params.affinity_rate = 0;
    spec.params.exploitation_penalty = 0;
    spec.params.affinity_reversion = 0;
    spec.params.balance_rate = 1.0;
    spec.run.ticks = 400;
    RuleSet rules;
    rules.affinity = test::default_rules().affinity;
    Simulation simulation(spec, rules, RunOptions::from(spec));
    const double start = balance_index(simulation.state().A);
    while (simulation.ticks_done() < spec.run.ticks) simulation.step();
    const Matrix& A = simulation.state().A;
    EXPECT_LT(start, 0.9);
    EXPECT_GT(balance_index(A), 0.999);
    const std::vector<int> camp = camps(A, {});
    for (int i = 0; i < 8; ++i) {
      for (int j = i + 1; j < 8; ++j) {
        EXPECT_EQ(A(i, j) > 0, camp[static_cast<std::size_t>(i)] == camp[static_cast<std::size_t>(j)]) << i << "," << j;
      }
    }
  }
}

}  // namespace
}  // namespace geosim
