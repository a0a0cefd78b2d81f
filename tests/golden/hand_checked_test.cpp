// The first tick of scenarios/tests/two_states.yaml, every phase computed by hand from MODEL.md.
#include <gtest/gtest.h>

#include "geosim/engine.h"
#include "registry.h"
#include "support/files.h"

namespace geosim {
namespace {

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

TEST(TwoStates, FirstTickMatchesTheHandComputation) {
  const ScenarioSpec spec = load_scenario(test::source_dir() / "scenarios/tests/two_states.yaml");
  const RuleSet rules = agents::build_rules(spec.rules);
  Simulation simulation(spec, rules, RunOptions::from(spec));
  simulation.step();
  const WorldState& s = simulation.state();
  // P1: each state's only partner gets all its attention.
  EXPECT_EQ(s.a(0, 1), 1.0);
  // P2: w = sqrt(1 * 1) + iota / 2 (one shared institution of two), h = w / (w + 1/2).
  const double w = 1.0 + 0.05 / 2, h = w / (w + 0.5);
  EXPECT_DOUBLE_EQ(simulation.scratch().w(0, 1), w);
  // P3: trade_rules u = 0.6, sig = 0.55; security u = 0.8, sig = 0.45; A = 0.4 both ways.
  const double p1 = sigmoid(6 * 0.1 + 2 * 0.4), p2 = sigmoid(6 * 0.3 + 2 * 0.4);
  const double o = 0.55 * (2 * p1 - 1) + 0.45 * (2 * p2 - 1);
  const double x = 0.55 * p1 * (1 - p1) + 0.45 * p2 * (1 - p2);
  EXPECT_NEAR(simulation.scratch().o(0, 1), o, 1e-15);
  // P4: N = 2, so no balance term; A0 = 0.2.
  const double a = 0.4 + 0.1 * h * (o - 0.4) - 0.05 * h * x + 0.02 * (0.2 - 0.4);
  EXPECT_NEAR(s.A(0, 1), a, 1e-15);
  EXPECT_NEAR(s.A(1, 0), a, 1e-15);
  // P5: chat = (0.75, 0.25) before growth; EAST on trade_rules: v_00 = 0.75 * 0.6, v_01 = 0.25 * 0.5 * a * h.
  const double v00 = 0.75 * 0.6, v01 = 0.25 * 0.5 * a * h;
  EXPECT_NEAR(s.x(0, 0), 0.4 * (v00 * 0.2 + v01 * 0.6) / (v00 + v01) + 0.6 * 0.1, 1e-15);
  // WEST (lam 0.5) on security: v_11 = 0.25 * 0.5, v_10 = 0.75 * 0.4 * a * h; anchor 1.0.
  const double v11 = 0.25 * 0.5, v10 = 0.75 * 0.4 * a * h;
  EXPECT_NEAR(s.x(1, 1), 0.5 * (v11 * 0.9 + v10 * 0.7) / (v11 + v10) + 0.5 * 1.0, 1e-15);
  // P6: trade grows by g_e + zeta (Abar - Abar0).
  EXPECT_NEAR(s.e(0, 1), 100 * (1 + 0.01 + 0.02 * (a - 0.2)), 1e-12);
  // P6 investment by EAST into WEST's region: U = sum_k s_0k (1 - |x_0k - x_1k|) after P5.
  const double u = 0.6 * (1 - std::abs(s.x(0, 0) - s.x(1, 0))) + 0.4 * (1 - std::abs(s.x(0, 1) - s.x(1, 1)));
  const double flow = 0.01 * (50 * 0.75) * 0.5 * sigmoid(6 * (u - 0.5) + 2 * a);
  EXPECT_NEAR(s.S(0, 0), 0.98 * 2 + flow, 1e-15);
  EXPECT_EQ(s.S(0, 1), 10.0);
  // P7: EAST grows 1 % a tick.
  EXPECT_DOUBLE_EQ(s.c(0), 3 * 1.01);
}

}  // namespace
}  // namespace geosim
