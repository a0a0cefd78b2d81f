// The N^3 products of large worlds by fixed row blocks: P4's B = A A (agents/per_agent.h,
// agents/affinity.cpp) and the balance metric (engine/core/metrics.cpp), against their serial
// references (the textbook loops of MODEL.md P4, to the bit; the triple sum of section 4), and
// the same bits at one thread and at two or more.
#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "geosim/engine.h"
#include "geosim/metrics.h"
#include "geosim/rng.h"
#include "per_agent.h"
#include "support/bits.h"
#include "support/world.h"

namespace geosim {
namespace {

using test::same_bits;
using test::on_threads;
using test::uniform;

// Random affinities in (-1, 1) (not symmetric), zero diagonal.
Matrix random_affinity(int n, std::uint64_t seed) {
  const Rng rng(Rng::key_for(seed, 0, 0));
  Matrix A(n, n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) A(i, j) = i == j ? 0.0 : 2 * uniform(rng, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j)) - 1;
  }
  return A;
}

// A world of n agents and 3 issues with random affinities, positions and trade.
ScenarioSpec random_world(int n) {
  ScenarioSpec spec = test::tiny_world(n, 3);
  const Rng rng(Rng::key_for(41, 0, 0));
  for (int i = 0; i < n; ++i) {
    auto& agent = spec.agents[static_cast<std::size_t>(i)];
    agent.capability = 0.2 + uniform(rng, static_cast<std::uint32_t>(i), 1000);
    for (int issue = 0; issue < 3; ++issue) {
      agent.interests[static_cast<std::size_t>(issue)].position = uniform(rng, static_cast<std::uint32_t>(i), 2000 + static_cast<std::uint32_t>(issue));
    }
    for (int j = i + 1; j < n; ++j) {
      test::set_affinity(spec, i, j, 2 * uniform(rng, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j)) - 1);
      test::set_trade(spec, i, j, 10 * uniform(rng, static_cast<std::uint32_t>(j), static_cast<std::uint32_t>(i)));
    }
  }
  return spec;
}

// The state and scratch of a random world after three ticks: h, o and X are those of a tick.
struct AdvancedWorld {
  ScenarioSpec spec;
  RuleSet rules = test::default_rules();
  WorldState state;
  TickScratch scratch;

  explicit AdvancedWorld(int n) : spec(random_world(n)) {
    Simulation simulation(spec, rules, RunOptions::from(spec));
    for (int tick = 0; tick < 3; ++tick) simulation.step();
    state = simulation.state();
    scratch = simulation.scratch();
  }

  // The new A after P4 of the rule set.
  Matrix affinity_after_p4() const {
    WorldState after = state;
    TickScratch work = scratch;
    const Rng rng(Rng::key_for(1, 0, 0));
    TickContext context{after, work, Mode::kExpected, rng, 3};
    rules.affinity->apply(context);
    return after.A;
  }
};

// B = A A as the textbook loop sums it: B_ij = A_i0 A_0j + A_i1 A_1j + ..., from zero, in order.
Matrix textbook_square(const Matrix& A) {
  const auto n = A.rows();
  Matrix B(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j) {
      double sum = 0;
      for (Eigen::Index m = 0; m < n; ++m) sum = sum + A(i, m) * A(m, j);
      B(i, j) = sum;
    }
  }
  return B;
}

// MODEL.md P4 as the serial reference states it.
Matrix reference_affinity(const WorldState& state, const TickScratch& scratch) {
  const Params& p = state.params;
  const int n = state.agents();
  Matrix B = Matrix::Zero(n, n);
  if (n > 2) B = textbook_square(state.A) / static_cast<double>(n - 2);
  Matrix next(n, n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      if (i == j) {
        next(i, j) = 0;
        continue;
      }
      const double a = state.A(i, j);
      const double h = scratch.h(i, j);
      const double updated = a + p.affinity_rate * h * (scratch.o(i, j) - a) - p.exploitation_penalty * h * scratch.X(i, j) +
                             p.balance_rate * (1 - a * a) * B(i, j) + p.affinity_reversion * (state.A0(i, j) - a);
      next(i, j) = std::clamp(updated, -1.0, 1.0);
    }
  }
  return next;
}

TEST(BlockedProduct, RowBlocksGiveTheTextbookSquareToTheBit) {
  for (int n : {3, 20, kRowBlock, 65, 300}) {
    const Matrix A = random_affinity(n, 3);
    Matrix blocked(n, n);
    for_each_row_block(n, [&](int, int first, int rows) { agents::square_rows(A, blocked, first, rows); });
    EXPECT_TRUE(same_bits(blocked, textbook_square(A))) << n;
  }
}

// Small worlds (one block, serial) and large ones (blocks in parallel) alike, with four lanes
// (where the processor has AVX2) and with two.
TEST(AffinityPhase, MatchesTheTextbookReferenceToTheBit) {
  for (const bool two_lanes : {false, true}) {
    const test::ScopedTwoLanes lanes(two_lanes);
    for (int n : {2, 3, 5, 6, 7, 20, 37, kRowBlock, 65, 300}) {
      const AdvancedWorld world(n);
      const Matrix fast = world.affinity_after_p4();
      EXPECT_TRUE(same_bits(fast, reference_affinity(world.state, world.scratch))) << n << ", two lanes: " << two_lanes;
      EXPECT_EQ(fast.diagonal().cwiseAbs().maxCoeff(), 0.0) << n;
    }
  }
}

TEST(AffinityPhase, LargeWorldsGiveTheSameBitsAtOneAndTwoThreads) {
  const AdvancedWorld world(300);
  const Matrix one = on_threads(1, [&] { return world.affinity_after_p4(); });
  for (int threads : {2, 4}) {
    EXPECT_TRUE(same_bits(one, on_threads(threads, [&] { return world.affinity_after_p4(); }))) << threads;
  }
}

// MODEL.md section 4, balance, as written: the triple sum over i < j < k, in long double so
// that its own rounding is negligible next to the fast path's.
double reference_balance(const Matrix& A) {
  const Matrix bar = (A + A.transpose()) / 2.0;
  const auto n = bar.rows();
  long double balanced = 0;
  long double total = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = i + 1; j < n; ++j) {
      for (Eigen::Index k = j + 1; k < n; ++k) {
        const long double triad = static_cast<long double>(bar(i, j)) * bar(j, k) * bar(k, i);
        balanced += triad;
        total += std::abs(triad);
      }
    }
  }
  return total != 0 ? static_cast<double>(balanced / total) : 0.0;
}

// The fast path's sums, relative to the sum D of the triads' magnitudes: each entry of Abar^2
// is a sum of N terms (within N u of its magnitudes' sum), then N^2 / 2 of them are added, so the
// worst case is about 6 (N + N^2 / 2) u D (6: ordered against unordered triads), 1.2e-12 at
// N = 60; rounding errors of mixed signs add like a random walk, sqrt of that count: about
// 3e-14 at N = 60 and 1e-13 at N = 200, well inside 1e-12 on the ratio.
TEST(Balance, MatchesTheTripleSumOverTriads) {
  for (int n : {3, 4, 40, 60, 200}) {
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      const Matrix A = random_affinity(n, seed);
      EXPECT_NEAR(balance_index(A), reference_balance(A), 1e-12) << n << " " << seed;
    }
  }
}

TEST(Balance, TwoCampsAreFullyBalancedAtEverySize) {
  for (int n : {5, 64, 65, 300}) {
    Matrix A(n, n);
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < n; ++j) A(i, j) = i == j ? 0.0 : ((i < n / 3) == (j < n / 3) ? 0.5 : -0.25);
    }
    EXPECT_DOUBLE_EQ(balance_index(A), 1.0) << n;
  }
}

TEST(Balance, LargeWorldsGiveTheSameBitsAtOneAndTwoThreads) {
  static_assert(300 >= kParallelAgentsFrom, "the blocks run in parallel");
  const Matrix A = random_affinity(300, 9);
  const double one = on_threads(1, [&] { return balance_index(A); });
  for (int threads : {2, 4}) EXPECT_TRUE(same_bits(one, on_threads(threads, [&] { return balance_index(A); }))) << threads;
}

// A whole run of a world above the Lanczos size (camps from Lanczos with its row-block
// products), every agent tracked: the same recorded bits at one, two and four threads.
TEST(Record, LargeWorldsGiveTheSameBitsAtOneAndTwoThreads) {
  constexpr int n = 210;
  static_assert(n >= kIterativeEigenFrom, "the camps come from Lanczos");
  ScenarioSpec spec = random_world(n);
  for (int agent = 0; agent < n; agent += 7) spec.track.agents.push_back(agent);
  const RuleSet rules = test::default_rules();
  RunOptions options = RunOptions::from(spec);
  options.ticks = 3;
  test::expect_same_run_at_any_thread_count(spec, rules, options);
}

}  // namespace
}  // namespace geosim
