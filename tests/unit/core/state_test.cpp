#include <gtest/gtest.h>

#include "geosim/state.h"
#include "support/world.h"

namespace geosim {
namespace {

// Three agents: trade 0-1 = 10, 0-2 = 5; affinity 0-1 = 0.5, 0-2 = -0.5; 0 and 1 share an
// institution of two members.
ScenarioSpec three_agents() {
  ScenarioSpec spec = test::tiny_world(3, 1);
  test::set_trade(spec, 0, 1, 10);
  test::set_trade(spec, 0, 2, 5);
  test::set_affinity(spec, 0, 1, 0.5);
  test::set_affinity(spec, 0, 2, -0.5);
  spec.institutions.push_back({"G", "", {0, 1}});
  return spec;
}

TEST(DefaultAttention, WeighsTradeShareAndAffinityThenNormalises) {
  const WorldState state = make_initial_state(three_agents());
  // MODEL.md P1 by hand: d_ij = (0.05 + e_ij / sum_m e_im) (1 + A_ij) / 2.
  const double d01 = (0.05 + 10.0 / 15.0) * 1.5 / 2, d02 = (0.05 + 5.0 / 15.0) * 0.5 / 2;
  EXPECT_DOUBLE_EQ(state.a(0, 1), d01 / (d01 + d02));
  EXPECT_DOUBLE_EQ(state.a(0, 2), d02 / (d01 + d02));
  const double d10 = (0.05 + 1.0) * 1.5 / 2, d12 = 0.05 * 1.0 / 2;
  EXPECT_DOUBLE_EQ(state.a(1, 0), d10 / (d10 + d12));
  EXPECT_DOUBLE_EQ(state.a(1, 2), d12 / (d10 + d12));
  const double d20 = (0.05 + 1.0) * 0.5 / 2, d21 = 0.05 * 1.0 / 2;
  EXPECT_DOUBLE_EQ(state.a(2, 0), d20 / (d20 + d21));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(state.a(i, i), 0.0);
}

TEST(DefaultAttention, IsUniformWhenEveryWeightIsZero) {
  ScenarioSpec spec = test::tiny_world(4, 1);
  spec.params.attention_floor = 0;
  const WorldState state = make_initial_state(spec);
  EXPECT_DOUBLE_EQ(state.a(2, 0), 1.0 / 3);
  EXPECT_DOUBLE_EQ(state.a(2, 3), 1.0 / 3);
  EXPECT_EQ(state.a(2, 2), 0.0);
}

TEST(Interaction, AddsSharedInstitutionsAndSaturates) {
  const WorldState state = make_initial_state(three_agents());
  TickScratch scratch(3, 1);
  compute_interaction(state, scratch);
  // MODEL.md P2 by hand: w_ij = sqrt(a_ij a_ji) + iota sum_g M_ig M_jg / n_g.
  const double w01 = std::sqrt(state.a(0, 1) * state.a(1, 0)) + 0.05 * 1.0 / 2;
  const double w02 = std::sqrt(state.a(0, 2) * state.a(2, 0));
  EXPECT_DOUBLE_EQ(scratch.w(0, 1), w01);
  EXPECT_DOUBLE_EQ(scratch.w(1, 0), w01);
  EXPECT_DOUBLE_EQ(scratch.w(0, 2), w02);
  EXPECT_DOUBLE_EQ(scratch.h(0, 1), w01 / (w01 + 1.0 / 3));
  EXPECT_DOUBLE_EQ(scratch.h(2, 0), w02 / (w02 + 1.0 / 3));
  EXPECT_EQ(scratch.w(1, 1), 0.0);
}

TEST(Logistic, NeverOverflowsAndIsSymmetric) {
  EXPECT_EQ(logistic(1000), 1.0);
  EXPECT_EQ(logistic(-1000), 0.0);
  EXPECT_DOUBLE_EQ(logistic(0), 0.5);
  EXPECT_DOUBLE_EQ(logistic(2.5) + logistic(-2.5), 1.0);
  EXPECT_DOUBLE_EQ(logistic(1.0), 1.0 / (1.0 + std::exp(-1.0)));
}

}  // namespace
}  // namespace geosim
