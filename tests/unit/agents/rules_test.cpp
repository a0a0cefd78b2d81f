// Each behaviour rule against values computed by hand from MODEL.md on tiny worlds.
#include <gtest/gtest.h>

#include <limits>

#include "rules.h"
#include "support/world.h"

namespace geosim {
namespace {

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

struct Harness {
  ScenarioSpec spec;
  WorldState state;
  TickScratch scratch;
  Rng rng{Rng::key_for(7, 0, 0)};

  explicit Harness(ScenarioSpec s)
      : spec(std::move(s)), state(make_initial_state(spec)), scratch(spec.agent_count(), spec.issue_count()) {}

  void apply(const Rule& rule, Mode mode = Mode::kExpected, int tick = 0) {
    TickContext context{state, scratch, mode, rng, tick};
    rule.apply(context);
  }
};

// Two agents, two issues, asymmetric affinity (A01 = 0.5, A10 = -0.2).
ScenarioSpec duel() {
  ScenarioSpec spec = test::tiny_world(2, 2);
  spec.agents[0].interests = {{0.2, 0.2, 0.7}, {0.9, 0.9, 0.3}};
  spec.agents[1].interests = {{0.6, 0.6, 0.4}, {0.9, 0.9, 0.6}};
  spec.initial_affinity = {0, 0.5, -0.2, 0};
  return spec;
}

// The tick does not clear o and X before P3 (rule.h): the rule writes every entry, in both
// modes, whatever the previous tick left there.
TEST(PrisonersDilemma, WritesEveryEntryOfOAndX) {
  for (const Mode mode : {Mode::kExpected, Mode::kStochastic}) {
    for (const int n : {1, 2, 5, 9}) {
      Harness h(test::tiny_world(n, 3));
      h.scratch.o.setConstant(std::numeric_limits<double>::quiet_NaN());
      h.scratch.X.setConstant(std::numeric_limits<double>::quiet_NaN());
      h.apply(*agents::make_prisoners_dilemma(), mode, 4);
      EXPECT_TRUE(h.scratch.o.allFinite() && h.scratch.X.allFinite()) << n;
      EXPECT_EQ(h.scratch.o.diagonal().cwiseAbs().sum(), 0.0) << n;
      EXPECT_EQ(h.scratch.X.diagonal().cwiseAbs().sum(), 0.0) << n;
    }
  }
}

TEST(PrisonersDilemma, ExpectedModeGivesNetCooperationAndExploitationByHand) {
  Harness h(duel());
  h.apply(*agents::make_prisoners_dilemma());
  // Issue 0: u = 0.6, sig = 0.55; issue 1: u = 1, sig = 0.45. beta 6, theta 0.5, kappa 2.
  const double p0a = sigmoid(6 * 0.1 + 2 * 0.5), p1a = sigmoid(6 * 0.1 - 2 * 0.2);
  const double p0b = sigmoid(6 * 0.5 + 2 * 0.5), p1b = sigmoid(6 * 0.5 - 2 * 0.2);
  const double o = 0.55 * (p0a * p1a - (1 - p0a) * (1 - p1a)) + 0.45 * (p0b * p1b - (1 - p0b) * (1 - p1b));
  EXPECT_NEAR(h.scratch.o(0, 1), o, 1e-15);
  EXPECT_EQ(h.scratch.o(1, 0), h.scratch.o(0, 1));
  EXPECT_NEAR(h.scratch.X(0, 1), 0.55 * p0a * (1 - p1a) + 0.45 * p0b * (1 - p1b), 1e-15);
  EXPECT_NEAR(h.scratch.X(1, 0), 0.55 * p1a * (1 - p0a) + 0.45 * p1b * (1 - p0b), 1e-15);
}

TEST(PrisonersDilemma, StochasticModeCooperatesWhenTheDrawFallsBelowThePropensity) {
  Harness h(duel());
  h.apply(*agents::make_prisoners_dilemma(), Mode::kStochastic, 3);
  const double p[2][2] = {{sigmoid(6 * 0.1 + 1.0), sigmoid(6 * 0.1 - 0.4)}, {sigmoid(3 + 1.0), sigmoid(3 - 0.4)}};
  const double sig[2] = {0.55, 0.45};
  double o = 0, x01 = 0;
  for (std::uint32_t k = 0; k < 2; ++k) {
    const auto u = h.rng.uniform2(3, Stream::kCooperation, k, 0, 1);
    const bool ci = u[0] < p[k][0], cj = u[1] < p[k][1];
    o += sig[k] * (double(ci && cj) - double(!ci && !cj));
    x01 += sig[k] * double(ci && !cj);
  }
  EXPECT_DOUBLE_EQ(h.scratch.o(0, 1), o);
  EXPECT_DOUBLE_EQ(h.scratch.X(0, 1), x01);
}

TEST(StructuralBalance, TwoAgentsFollowCooperationExploitationAndBaseline) {
  ScenarioSpec spec = test::tiny_world(2, 1);
  spec.affinity0 = {0, 0.3, 0.3, 0};
  spec.initial_affinity = {0, 0.5, -0.2, 0};
  Harness h(spec);
  h.scratch.h(0, 1) = h.scratch.h(1, 0) = 0.4;
  h.scratch.o(0, 1) = h.scratch.o(1, 0) = 0.6;
  h.scratch.X(0, 1) = 0.1;
  h.scratch.X(1, 0) = 0.3;
  h.apply(*agents::make_structural_balance());
  // alpha 0.1, chi 0.05, rho 0.02; N = 2 so B = 0.
  EXPECT_DOUBLE_EQ(h.state.A(0, 1), 0.5 + 0.1 * 0.4 * (0.6 - 0.5) - 0.05 * 0.4 * 0.1 + 0.02 * (0.3 - 0.5));
  EXPECT_DOUBLE_EQ(h.state.A(1, 0), -0.2 + 0.1 * 0.4 * (0.6 + 0.2) - 0.05 * 0.4 * 0.3 + 0.02 * (0.3 + 0.2));
  EXPECT_EQ(h.state.A(0, 0), 0.0);
}

TEST(StructuralBalance, ThirdPartiesPullThroughTheBalanceTerm) {
  ScenarioSpec spec = test::tiny_world(3, 1);
  test::set_affinity(spec, 0, 1, 0.5);
  test::set_affinity(spec, 0, 2, -0.4);
  test::set_affinity(spec, 1, 2, 0.6);
  spec.params.affinity_rate = 0;
  spec.params.exploitation_penalty = 0;
  spec.params.affinity_reversion = 0;
  Harness h(spec);
  h.apply(*agents::make_structural_balance());
  // B_01 = A_02 A_21 / (N - 2) = -0.24; eta 0.05.
  EXPECT_DOUBLE_EQ(h.state.A(0, 1), 0.5 + 0.05 * (1 - 0.25) * (-0.4 * 0.6));
  EXPECT_DOUBLE_EQ(h.state.A(1, 2), 0.6 + 0.05 * (1 - 0.36) * (0.5 * -0.4));
}

TEST(StructuralBalance, ClipsToUnitInterval) {
  ScenarioSpec spec = test::tiny_world(2, 1);
  test::set_affinity(spec, 0, 1, 0.99);
  spec.params.affinity_rate = 1;
  Harness h(spec);
  h.scratch.h(0, 1) = h.scratch.h(1, 0) = 1;
  h.scratch.o(0, 1) = h.scratch.o(1, 0) = 1;
  h.state.A0.setZero();
  h.state.A0(0, 1) = h.state.A0(1, 0) = 1;
  h.state.params.affinity_reversion = 1;
  h.apply(*agents::make_structural_balance());
  EXPECT_EQ(h.state.A(0, 1), 1.0);
}

TEST(FriedkinJohnsen, AveragesPositivelyRegardedPartnersAndAnchors) {
  ScenarioSpec spec = test::tiny_world(3, 1);
  spec.agents[0].interests = {{0.2, 0.1, 1.0}};
  spec.agents[1].interests = {{0.8, 0.8, 1.0}};
  spec.agents[1].capability = 2;  // chat = (0.25, 0.5, 0.25)
  spec.agents[0].susceptibility = 0.6;
  spec.initial_affinity = {0, 0.5, -0.3, 0, 0, 0, 0, 0, 0};
  Harness h(spec);
  h.scratch.h(0, 1) = h.scratch.h(1, 0) = 0.4;
  h.scratch.h(0, 2) = h.scratch.h(2, 0) = 0.3;
  h.apply(*agents::make_friedkin_johnsen());
  // v_00 = omega chat_0 s = 0.25; v_01 = 0.5 * 1 * 0.5 * 0.4 = 0.1; v_02 = 0 (negative affinity).
  EXPECT_DOUBLE_EQ(h.state.x(0, 0), 0.6 * (0.25 * 0.2 + 0.1 * 0.8) / 0.35 + 0.4 * 0.1);
  // Agent 1 regards nobody: W is its own row, x = lam x + (1 - lam) x0 = 0.8.
  EXPECT_DOUBLE_EQ(h.state.x(1, 0), 0.8);
}

TEST(FriedkinJohnsen, KeepsPositionWhenEveryWeightIsZero) {
  ScenarioSpec spec = test::tiny_world(2, 1);
  spec.agents[0].interests = {{0.3, 0.9, 1.0}};
  spec.params.self_weight = 0;
  Harness h(spec);
  h.apply(*agents::make_friedkin_johnsen());
  EXPECT_DOUBLE_EQ(h.state.x(0, 0), 0.5 * 0.3 + 0.5 * 0.9);
}

TEST(PivotEngagement, MovesTowardListedSharesAndSpreadsTheRestByDefaultAttention) {
  ScenarioSpec spec = test::tiny_world(4, 1);
  test::set_trade(spec, 0, 2, 30);
  test::set_trade(spec, 0, 3, 10);
  Harness h(spec);
  const Matrix before = h.state.a;
  h.state.pivot[0] = {{1, 0.6}};
  h.apply(*agents::make_pivot_engagement());
  // Unlisted 2 and 3 share 0.4 in proportion to d_02 = 0.05 + 0.75 and d_03 = 0.05 + 0.25 (A = 0).
  const double d2 = 0.8 / 2, d3 = 0.3 / 2;
  EXPECT_DOUBLE_EQ(h.state.a(0, 1), 0.9 * before(0, 1) + 0.1 * 0.6);
  EXPECT_DOUBLE_EQ(h.state.a(0, 2), 0.9 * before(0, 2) + 0.1 * 0.4 * d2 / (d2 + d3));
  EXPECT_DOUBLE_EQ(h.state.a(0, 3), 0.9 * before(0, 3) + 0.1 * 0.4 * d3 / (d2 + d3));
  EXPECT_NEAR(h.state.a.row(0).sum(), 1.0, 1e-15);
  // Agent 1 has no pivot and its default attention does not change: a stays put.
  EXPECT_DOUBLE_EQ(h.state.a(1, 0), before(1, 0));
}

TEST(TradeInvestment, GrowsTradeWithAffinityAppliesSanctionsAndInvests) {
  ScenarioSpec spec = test::tiny_world(3, 1);
  test::set_trade(spec, 0, 1, 100);
  test::set_trade(spec, 1, 2, 50);
  spec.affinity0 = {0, 0.3, 0, 0.3, 0, 0, 0, 0, 0};
  spec.initial_affinity = {0, 0.5, 0, 0.5, 0, 0, 0, 0, 0};
  spec.agents[0].interests = {{0.2, 0.2, 1.0}};
  spec.agents[1].interests = {{0.6, 0.6, 1.0}};
  spec.agents[2].capital = 4.0;
  spec.regions.push_back({"R", "", 1, 0.5, {2.0, 10.0, 0.0}});
  Harness h(spec);
  h.state.sanctions.push_back({{0}, {1}, 0.9, std::nullopt});
  h.apply(*agents::make_trade_investment());
  EXPECT_DOUBLE_EQ(h.state.e(0, 1), 100 * (1 + 0.01 + 0.02 * 0.2) * 0.9);
  EXPECT_DOUBLE_EQ(h.state.e(1, 0), h.state.e(0, 1));
  EXPECT_DOUBLE_EQ(h.state.e(1, 2), 50 * 1.01);
  // Investor 0: U = 1 - 0.4 = 0.6, K = 50 * 1/3; investor 2: U = 1 - 0.1 = 0.9, K = 4.
  const double f0 = 0.01 * (50.0 / 3) * 0.5 * sigmoid(6 * 0.1 + 2 * 0.5);
  const double f2 = 0.01 * 4.0 * 0.5 * sigmoid(6 * 0.4 + 0);
  EXPECT_DOUBLE_EQ(h.state.S(0, 0), 0.98 * 2.0 + f0);
  EXPECT_DOUBLE_EQ(h.state.S(0, 2), f2);
  EXPECT_EQ(h.state.S(0, 1), 10.0);  // the host's own stock stays
}

TEST(TradeInvestment, SanctionsLapseAtTheirEndTick) {
  ScenarioSpec spec = test::tiny_world(2, 1);
  test::set_trade(spec, 0, 1, 100);
  Harness h(spec);
  h.state.sanctions.push_back({{0}, {1}, 0.5, 3});
  h.apply(*agents::make_trade_investment(), Mode::kExpected, 3);
  EXPECT_DOUBLE_EQ(h.state.e(0, 1), 101.0);
}

}  // namespace
}  // namespace geosim
