#include <gtest/gtest.h>

#include "geosim/metrics.h"
#include "support/world.h"

namespace geosim {
namespace {

Matrix symmetric(std::initializer_list<std::initializer_list<double>> rows) {
  Matrix m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.size()));
  Eigen::Index i = 0;
  for (const auto& row : rows) {
    Eigen::Index j = 0;
    for (double value : row) m(i, j++) = value;
    ++i;
  }
  return m;
}

TEST(Balance, IsOneForAllFriendsAndMinusOneForTwoFriendsOfAnEnemy) {
  EXPECT_DOUBLE_EQ(balance_index(symmetric({{0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}})), 1.0);
  EXPECT_DOUBLE_EQ(balance_index(symmetric({{0, .5, .5}, {.5, 0, -.5}, {.5, -.5, 0}})), -1.0);
  // Two triads: 0-1-2 balanced (weight 0.8*0.5*0.5 = 0.2), 0-1-3 unbalanced (0.8*0.5*0.25 = 0.1),
  // 0-2-3 and 1-2-3 have a zero edge (2-3 = 0).
  const Matrix m = symmetric({{0, .8, .5, .5}, {.8, 0, .5, -.25}, {.5, .5, 0, 0}, {.5, -.25, 0, 0}});
  EXPECT_DOUBLE_EQ(balance_index(m), (0.2 - 0.1) / (0.2 + 0.1));
  EXPECT_EQ(balance_index(Matrix::Zero(3, 3)), 0.0);
}

TEST(Blocs, AreComponentsAboveThresholdNamedByTheirSmallestMember) {
  Matrix m = symmetric({{0, .5, 0, 0}, {.5, 0, 0, 0}, {0, 0, 0, .3}, {0, 0, .3, 0}});
  m(3, 2) = 0.1;  // min(A_23, A_32) = 0.1 is not above 0.2
  EXPECT_EQ(bloc_ids(m, 0.2), (std::vector<int>{0, 0, 2, 3}));
  EXPECT_EQ(bloc_ids(m, 0.05), (std::vector<int>{0, 0, 2, 2}));
}

TEST(Camps, SplitTwoHostileGroupsAndOrientByTheFirstTrackedAgent) {
  const Matrix m = symmetric({{0, .8, -.6, -.5}, {.8, 0, -.7, -.4}, {-.6, -.7, 0, .9}, {-.5, -.4, .9, 0}});
  EXPECT_EQ(camps(m, {}), (std::vector<int>{1, 1, -1, -1}));
  EXPECT_EQ(camps(m, {3}), (std::vector<int>{-1, -1, 1, 1}));
}

TEST(CooperationIndex, WeighsNetCooperationByInteraction) {
  TickScratch scratch(3, 1);
  scratch.w(0, 1) = scratch.w(1, 0) = 0.5;
  scratch.w(0, 2) = scratch.w(2, 0) = 0.25;
  scratch.o(0, 1) = scratch.o(1, 0) = 0.4;
  scratch.o(0, 2) = scratch.o(2, 0) = -0.2;
  EXPECT_DOUBLE_EQ(cooperation_index(scratch), (0.5 * 0.4 + 0.25 * -0.2) / 0.75);
  EXPECT_EQ(cooperation_index(TickScratch(3, 1)), 0.0);
}

TEST(Metrics, RecordsOutcomeDispersionAlignmentAndInvestment) {
  ScenarioSpec spec = test::tiny_world(2, 2);
  spec.agents[0].capability = 3;  // chat = (0.75, 0.25)
  spec.agents[0].interests = {{0.2, 0.2, 0.6}, {1.0, 1.0, 0.4}};
  spec.agents[1].interests = {{0.6, 0.6, 0.5}, {0.0, 0.0, 0.5}};
  spec.track = {{{0, 1}}, {0}};
  spec.regions.push_back({"R", "", 1, 0.5, {3.0, 1.0}});
  const WorldState state = make_initial_state(spec);
  const MetricRecorder recorder(spec);
  const std::vector<double> row = recorder.record(0, state, TickScratch(2, 2));
  auto value = [&](const std::string& column) {
    const auto& c = recorder.columns();
    return row[static_cast<std::size_t>(std::find(c.begin(), c.end(), column) - c.begin())];
  };
  // outcome:k0 = (0.75*0.6*0.2 + 0.25*0.5*0.6) / (0.75*0.6 + 0.25*0.5)
  const double w0 = 0.75 * 0.6, w1 = 0.25 * 0.5, mean = (w0 * 0.2 + w1 * 0.6) / (w0 + w1);
  EXPECT_DOUBLE_EQ(value("outcome:k0"), mean);
  EXPECT_DOUBLE_EQ(value("dispersion:k0"),
                   std::sqrt((w0 * (0.2 - mean) * (0.2 - mean) + w1 * (0.6 - mean) * (0.6 - mean)) / (w0 + w1)));
  EXPECT_DOUBLE_EQ(value("alignment:A0:A1"), 0.55 * (1 - 0.4) + 0.45 * 0.0);
  EXPECT_DOUBLE_EQ(value("invest_total:R"), 4.0);
  EXPECT_DOUBLE_EQ(value("invest_hhi:R"), 0.75 * 0.75 + 0.25 * 0.25);
  EXPECT_DOUBLE_EQ(value("invest_share:R:A0"), 0.75);
  EXPECT_EQ(value("dependence:A0:A1"), 0.0);  // 0/0 is 0
  EXPECT_EQ(recorder.columns().size(), row.size());
}

}  // namespace
}  // namespace geosim
