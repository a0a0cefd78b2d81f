#include <gtest/gtest.h>

#include <queue>

#include "geosim/metrics.h"
#include "geosim/parallel.h"
#include "geosim/rng.h"
#include "support/bits.h"
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

// A random (not symmetric) affinity matrix with entries in [-1, 1).
Matrix random_affinity(int n, std::uint64_t seed) {
  const Rng rng(Rng::key_for(seed, 0, 0));
  Matrix m(n, n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) m(i, j) = i == j ? 0.0 : 2 * test::uniform(rng, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j)) - 1;
  }
  return m;
}

// The order balance_index documents, written out. Up to kRowBlock agents: for each j, u_k =
// sum_{i<j} S_ij S_ik in increasing i, and u_k S_jk added to partial sum (k - j - 1) mod 4 in
// increasing j and k, the four added as (p0 + p1) + (p2 + p3). Larger worlds: per row block of
// kRowBlock rows, in block order, sum_i (2 sum_{j<i} (S^2)_ij S_ij + (S^2)_ii S_ii), each
// (S^2)_ij summed over m from zero.
double reference_triads(const Eigen::MatrixXd& S) {
  const Eigen::Index n = S.rows();
  if (n <= kRowBlock) {
    double partial[4] = {0, 0, 0, 0};
    for (Eigen::Index j = 1; j + 1 < n; ++j) {
      for (Eigen::Index k = j + 1; k < n; ++k) {
        double u = 0;
        for (Eigen::Index i = 0; i < j; ++i) u += S(i, j) * S(i, k);
        partial[(k - j - 1) % 4] += u * S(j, k);
      }
    }
    return (partial[0] + partial[1]) + (partial[2] + partial[3]);
  }
  double total = 0;
  for (Eigen::Index first = 0; first < n; first += kRowBlock) {
    double block = 0;
    for (Eigen::Index i = first; i < std::min<Eigen::Index>(n, first + kRowBlock); ++i) {
      const auto square = [&](Eigen::Index j) {
        double sum = 0;
        for (Eigen::Index m = 0; m < n; ++m) sum = sum + S(i, m) * S(m, j);
        return sum;
      };
      double off_diagonal = 0;
      for (Eigen::Index j = 0; j < i; ++j) off_diagonal += square(j) * S(j, i);
      block += 2 * off_diagonal + square(i) * S(i, i);
    }
    total += block;
  }
  return total;
}

// With four lanes (where the processor has AVX2) and with two.
TEST(Balance, FollowsItsDocumentedOrderToTheBit) {
  for (const bool two_lanes : {false, true}) {
    const test::ScopedTwoLanes lanes(two_lanes);
    for (int n : {1, 2, 3, 4, 5, 6, 7, 12, 13, 20, 25, 63, 64, 65, 100, 127, 128, 129, 200}) {
      const Matrix A = random_affinity(n, static_cast<std::uint64_t>(n));
      const Eigen::MatrixXd bar = (A + A.transpose()) / 2.0;
      const double signed_sum = reference_triads(bar);
      const double absolute_sum = reference_triads(bar.cwiseAbs());
      const double expected = absolute_sum != 0 ? signed_sum / absolute_sum : 0.0;
      EXPECT_TRUE(test::same_bits(balance_index(A), expected)) << n << ", two lanes: " << two_lanes;
    }
  }
}

// Breadth-first search from each agent not yet reached, in index order: every component is named
// by its smallest member.
std::vector<int> reference_blocs(const Matrix& A, double threshold) {
  const auto n = static_cast<int>(A.rows());
  std::vector<int> ids(static_cast<std::size_t>(n), -1);
  for (int start = 0; start < n; ++start) {
    if (ids[static_cast<std::size_t>(start)] >= 0) continue;
    std::queue<int> pending;
    pending.push(start);
    ids[static_cast<std::size_t>(start)] = start;
    while (!pending.empty()) {
      const int agent = pending.front();
      pending.pop();
      for (int other = 0; other < n; ++other) {
        if (ids[static_cast<std::size_t>(other)] < 0 && std::min(A(agent, other), A(other, agent)) > threshold) {
          ids[static_cast<std::size_t>(other)] = start;
          pending.push(other);
        }
      }
    }
  }
  return ids;
}

// Up to 64 agents (bit masks, four lanes where the processor has AVX2, and two) and above
// (disjoint sets).
TEST(Blocs, AreTheConnectedComponentsOfRandomWorlds) {
  for (const bool two_lanes : {false, true}) {
    const test::ScopedTwoLanes lanes(two_lanes);
    for (int n : {1, 2, 3, 7, 30, 63, 64, 65, 90}) {
      const Matrix A = random_affinity(n, 40 + static_cast<std::uint64_t>(n));
      for (double threshold : {-0.5, 0.0, 0.5, 0.8, 0.95}) {
        EXPECT_EQ(bloc_ids(A, threshold), reference_blocs(A, threshold)) << n << " " << threshold << ", two lanes: " << two_lanes;
      }
    }
  }
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

// The order cooperation_index documents, written out, with four lanes (where the processor has
// AVX2) and with two.
TEST(CooperationIndex, FollowsItsDocumentedOrderToTheBit) {
  for (const bool two_lanes : {false, true}) {
    const test::ScopedTwoLanes lanes(two_lanes);
    for (int n : {1, 2, 3, 4, 5, 6, 7, 8, 9, 20, 37}) {
      const Matrix w = random_affinity(n, 1000 + static_cast<std::uint64_t>(n)).cwiseAbs();
      const Matrix o = random_affinity(n, 2000 + static_cast<std::uint64_t>(n));
      TickScratch scratch(n, 1);
      scratch.w = (w + w.transpose()) / 2.0;
      scratch.o = (o + o.transpose()) / 2.0;
      double weighted[4] = {0, 0, 0, 0}, weights[4] = {0, 0, 0, 0};
      for (int i = 0; i < n; ++i) {
        for (int j = i + 1; j < n; ++j) {
          weighted[(j - i - 1) % 4] += scratch.w(i, j) * scratch.o(i, j);
          weights[(j - i - 1) % 4] += scratch.w(i, j);
        }
      }
      const double numerator = (weighted[0] + weighted[1]) + (weighted[2] + weighted[3]);
      const double denominator = (weights[0] + weights[1]) + (weights[2] + weights[3]);
      const double expected = denominator != 0 ? numerator / denominator : 0.0;
      EXPECT_TRUE(test::same_bits(cooperation_index(scratch), expected)) << n << ", two lanes: " << two_lanes;
    }
  }
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
