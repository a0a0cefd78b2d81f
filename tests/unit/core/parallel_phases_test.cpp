// The phases P1 (engagement), P2 (interaction) and P6 (economy), which large worlds run per
// agent or per row on oneTBB's threads (agents/per_agent.h, engine/core/state.cpp): against their
// serial references as MODEL.md states them, to the bit, and the same bits at one, two and four
// threads.
#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "geosim/engine.h"
#include "geosim/rng.h"
#include "per_agent.h"
#include "support/bits.h"
#include "support/world.h"

namespace geosim {
namespace {

using test::same_bits;
using test::on_threads;
using test::uniform;

// n agents and 3 issues with random capabilities, positions, affinities and trade; four
// institutions, two investment regions, and capital pools for every third agent.
ScenarioSpec random_world(int n) {
  ScenarioSpec spec = test::tiny_world(n, 3);
  const Rng rng(Rng::key_for(57, 0, 0));
  for (int i = 0; i < n; ++i) {
    auto& agent = spec.agents[static_cast<std::size_t>(i)];
    agent.capability = 0.2 + uniform(rng, static_cast<std::uint32_t>(i), 1000);
    if (i % 3 == 0) agent.capital = 0.5 * uniform(rng, static_cast<std::uint32_t>(i), 1001);
    for (int issue = 0; issue < 3; ++issue) {
      agent.interests[static_cast<std::size_t>(issue)].position = uniform(rng, static_cast<std::uint32_t>(i), 2000 + static_cast<std::uint32_t>(issue));
    }
    for (int j = i + 1; j < n; ++j) {
      test::set_affinity(spec, i, j, 2 * uniform(rng, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j)) - 1);
      test::set_trade(spec, i, j, 10 * uniform(rng, static_cast<std::uint32_t>(j), static_cast<std::uint32_t>(i)));
    }
  }
  for (int g = 0; g < 4; ++g) {
    InstitutionSpec institution{fmt::format("G{}", g), "", {}};
    for (int i = 0; i < n; ++i) {
      if ((i * (g + 3)) % 5 < 2) institution.members.push_back(i);
    }
    spec.institutions.push_back(institution);
  }
  spec.regions.push_back({"R", "", 0, 0.5, std::vector<double>(static_cast<std::size_t>(n), 1.0)});
  spec.regions.push_back({"Q", "", n / 2, 0.8, std::vector<double>(static_cast<std::size_t>(n), 2.0)});
  return spec;
}

// The state and scratch of a random world after three ticks, then with pivots (from ten agents:
// every fifth agent, every tenth with listed shares that leave nothing over) and sanctions (one
// in force, one overlapping it, one expired).
struct AdvancedWorld {
  RuleSet rules = test::default_rules();
  WorldState state;
  TickScratch scratch;

  explicit AdvancedWorld(int n) {
    const ScenarioSpec spec = random_world(n);
    Simulation simulation(spec, rules, RunOptions::from(spec));
    for (int tick = 0; tick < 3; ++tick) simulation.step();
    state = simulation.state();
    scratch = simulation.scratch();
    for (int i = 0; n >= 10 && i < n; i += 5) {
      const double first = i % 10 == 0 ? 0.6 : 0.3;
      state.pivot[static_cast<std::size_t>(i)] = {{(i + 1) % n, first}, {(i + 7) % n, 0.4}};
    }
    state.sanctions.push_back({{0, 1, 2, 3, 4, 5}, {10, 11, 12, 13, 14, 15, 16, 17}, 0.8, std::nullopt});
    state.sanctions.push_back({{12, 13}, {2, 3, 9}, 0.5, 7});
    state.sanctions.push_back({{1}, {2}, 0.0, 3});
  }

  // The state after `rule` of the rule set at tick 3.
  WorldState after(std::shared_ptr<const Rule> RuleSet::*slot) const {
    WorldState next = state;
    TickScratch work = scratch;
    const Rng rng(Rng::key_for(1, 0, 0));
    TickContext context{next, work, Mode::kExpected, rng, 3};
    (rules.*slot)->apply(context);
    return next;
  }

  // w and h after P2.
  TickScratch interaction() const {
    TickScratch work = scratch;
    compute_interaction(state, work);
    return work;
  }
};

// A row's sum in the phases' order (lanes.h, partial_sum): j = r mod 4 into partial sum r, in
// increasing j, the four added as (p0 + p1) + (p2 + p3).
double fixed_order_sum(const RowVector& row) {
  double partial[4] = {0, 0, 0, 0};
  for (Eigen::Index j = 0; j < row.size(); ++j) partial[j % 4] += row(j);
  return (partial[0] + partial[1]) + (partial[2] + partial[3]);
}

// MODEL.md P1, default attention d_i as the serial reference states it, with the phase's
// evaluation: the sums in the fixed order, and each division by a row's total a multiplication
// by its reciprocal.
RowVector reference_default_attention(const WorldState& state, int i) {
  const int n = state.agents();
  RowVector trade = state.e.row(i);
  trade(i) = 0;
  const double inverse_trade = 1.0 / std::max(1e-12, fixed_order_sum(trade));
  RowVector d(n);
  for (int j = 0; j < n; ++j) {
    d(j) = j == i ? 0.0 : (state.params.attention_floor + state.e(i, j) * inverse_trade) * (1.0 + state.A(i, j)) / 2.0;
  }
  const double total = fixed_order_sum(d);
  const double inverse_total = 1.0 / total;
  for (int j = 0; j < n; ++j) d(j) = j == i ? 0.0 : (total > 0 ? d(j) * inverse_total : 1.0 / (n - 1));
  return d;
}

// MODEL.md P1, the pivot target as the serial reference states it.
RowVector reference_pivot_target(const WorldState& state, int i) {
  const int n = state.agents();
  const auto& shares = state.pivot[static_cast<std::size_t>(i)];
  RowVector target = reference_default_attention(state, i);
  std::vector<bool> listed(static_cast<std::size_t>(n), false);
  double listed_total = 0;
  for (const auto& [partner, share] : shares) {
    listed[static_cast<std::size_t>(partner)] = true;
    listed_total += share;
  }
  double unlisted_d = 0;
  int unlisted = 0;
  for (int j = 0; j < n; ++j) {
    if (j == i || listed[static_cast<std::size_t>(j)]) continue;
    unlisted_d += target(j);
    ++unlisted;
  }
  const double remainder = std::max(0.0, 1.0 - listed_total);
  for (int j = 0; j < n; ++j) {
    if (j == i || listed[static_cast<std::size_t>(j)]) continue;
    target(j) = remainder * (unlisted_d > 0 ? target(j) / unlisted_d : 1.0 / unlisted);
  }
  target(i) = 0;
  for (const auto& [partner, share] : shares) target(partner) = share;
  return target;
}

// MODEL.md P1: a_i <- (1 - gamma) a_i + gamma a*_i.
Matrix reference_engagement(const WorldState& state) {
  const int n = state.agents();
  const double gamma = state.params.engagement_rate;
  Matrix next(n, n);
  for (int i = 0; i < n; ++i) {
    const RowVector target = state.pivot[static_cast<std::size_t>(i)].empty() ? reference_default_attention(state, i)
                                                                              : reference_pivot_target(state, i);
    for (int j = 0; j < n; ++j) next(i, j) = (1.0 - gamma) * state.a(i, j) + gamma * target(j);
  }
  return next;
}

// MODEL.md P2 as the serial reference states it: w and h, in that order.
std::pair<Matrix, Matrix> reference_interaction(const WorldState& state) {
  const int n = state.agents();
  const auto groups = state.M.cols();
  Matrix w = Matrix::Zero(n, n), h = Matrix::Zero(n, n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      if (i == j) continue;
      double shared = 0;
      for (Eigen::Index g = 0; g < groups; ++g) {
        double members = 0;
        for (int m = 0; m < n; ++m) members += state.M(m, g);
        shared += state.M(i, g) * state.M(j, g) * (members > 0 ? 1.0 / members : 0.0);
      }
      w(i, j) = std::sqrt(state.a(i, j) * state.a(j, i)) + state.params.institution_weight * shared;
      h(i, j) = w(i, j) / (w(i, j) + 1.0 / n);
    }
  }
  return {w, h};
}

bool sanctioned(const ActiveSanction& sanction, int i, int j) {
  const auto in = [](const std::vector<AgentIndex>& agents, int agent) {
    return std::find(agents.begin(), agents.end(), agent) != agents.end();
  };
  return (in(sanction.from, i) && in(sanction.to, j)) || (in(sanction.from, j) && in(sanction.to, i));
}

// MODEL.md P6 as the serial reference states it: trade, its sanctions, then investment.
WorldState reference_economy(WorldState state, int tick) {
  const Params& p = state.params;
  const int n = state.agents();
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      const double bar = (state.A(i, j) + state.A(j, i)) / 2.0;
      const double bar0 = (state.A0(i, j) + state.A0(j, i)) / 2.0;
      double e = state.e(i, j) * std::max(0.0, 1.0 + p.trade_growth + p.trade_affinity * (bar - bar0));
      for (const ActiveSanction& sanction : state.sanctions) {
        if ((!sanction.until || tick < *sanction.until) && sanctioned(sanction, i, j)) e = e * sanction.factor;
      }
      state.e(i, j) = state.e(j, i) = e;
    }
  }
  const Vector chat = state.capability_share();
  for (int r = 0; r < state.regions(); ++r) {
    const int h = state.host[static_cast<std::size_t>(r)];
    for (int j = 0; j < n; ++j) {
      if (j == h) continue;
      double U = 0;
      for (int k = 0; k < state.issues(); ++k) U += state.s(j, k) * (1.0 - std::abs(state.x(j, k) - state.x(h, k)));
      const auto& capital = state.capital[static_cast<std::size_t>(j)];
      const double K = capital ? *capital : p.capital_share * chat(j);
      const double F = p.invest_rate * K * state.q(r) *
                       logistic(p.invest_steepness * (U - p.invest_threshold) + p.invest_affinity_weight * state.A(j, h));
      state.S(r, j) = (1 - p.invest_depreciation) * state.S(r, j) + F;
    }
  }
  return state;
}

// Serial worlds and, from kParallelAgentsFrom agents, parallel ones.
constexpr int kSizes[] = {2, 3, 6, 7, 20, 37, 150, 300};
static_assert(150 >= agents::kParallelAgentsFrom, "the large worlds run their rows in parallel");

// Each with four lanes (where the processor has AVX2) and with two.
TEST(EngagementPhase, MatchesTheReferenceToTheBit) {
  for (const bool two_lanes : {false, true}) {
    const test::ScopedTwoLanes lanes(two_lanes);
    for (int n : kSizes) {
      const AdvancedWorld world(n);
      EXPECT_TRUE(same_bits(world.after(&RuleSet::engagement).a, reference_engagement(world.state))) << n << ", two lanes: " << two_lanes;
    }
  }
}

TEST(InteractionPhase, MatchesTheReferenceToTheBit) {
  for (const bool two_lanes : {false, true}) {
    const test::ScopedTwoLanes lanes(two_lanes);
    for (int n : kSizes) {
      const AdvancedWorld world(n);
      const TickScratch fast = world.interaction();
      const auto [w, h] = reference_interaction(world.state);
      EXPECT_TRUE(same_bits(fast.w, w)) << n << ", two lanes: " << two_lanes;
      EXPECT_TRUE(same_bits(fast.h, h)) << n << ", two lanes: " << two_lanes;
    }
  }
}

TEST(EconomyPhase, MatchesTheReferenceToTheBit) {
  for (const bool two_lanes : {false, true}) {
    const test::ScopedTwoLanes lanes(two_lanes);
    for (int n : kSizes) {
      const AdvancedWorld world(n);
      const WorldState fast = world.after(&RuleSet::economy);
      const WorldState expected = reference_economy(world.state, 3);
      EXPECT_TRUE(same_bits(fast.e, expected.e)) << n << ", two lanes: " << two_lanes;
      EXPECT_TRUE(same_bits(fast.S, expected.S)) << n << ", two lanes: " << two_lanes;
    }
  }
}

TEST(EngagementPhase, LargeWorldsGiveTheSameBitsAtOneTwoAndFourThreads) {
  for (int n : {150, 300}) {
    const AdvancedWorld world(n);
    const Matrix one = on_threads(1, [&] { return world.after(&RuleSet::engagement).a; });
    for (int threads : {2, 4}) {
      EXPECT_TRUE(same_bits(one, on_threads(threads, [&] { return world.after(&RuleSet::engagement).a; }))) << n << " " << threads;
    }
  }
}

TEST(InteractionPhase, LargeWorldsGiveTheSameBitsAtOneTwoAndFourThreads) {
  for (int n : {150, 300}) {
    const AdvancedWorld world(n);
    const TickScratch one = on_threads(1, [&] { return world.interaction(); });
    for (int threads : {2, 4}) {
      const TickScratch many = on_threads(threads, [&] { return world.interaction(); });
      EXPECT_TRUE(same_bits(one.w, many.w)) << n << " " << threads;
      EXPECT_TRUE(same_bits(one.h, many.h)) << n << " " << threads;
    }
  }
}

TEST(EconomyPhase, LargeWorldsGiveTheSameBitsAtOneTwoAndFourThreads) {
  for (int n : {150, 300}) {
    const AdvancedWorld world(n);
    const WorldState one = on_threads(1, [&] { return world.after(&RuleSet::economy); });
    for (int threads : {2, 4}) {
      const WorldState many = on_threads(threads, [&] { return world.after(&RuleSet::economy); });
      EXPECT_TRUE(same_bits(one.e, many.e)) << n << " " << threads;
      EXPECT_TRUE(same_bits(one.S, many.S)) << n << " " << threads;
    }
  }
}

// A whole run of a large world with institutions, regions and capital pools: the same recorded
// bits at one, two and four threads.
TEST(ParallelPhases, LargeRunsGiveTheSameBitsAtOneTwoAndFourThreads) {
  const ScenarioSpec spec = random_world(150);
  const RuleSet rules = test::default_rules();
  RunOptions options = RunOptions::from(spec);
  options.ticks = 4;
  test::expect_same_run_at_any_thread_count(spec, rules, options);
}

}  // namespace
}  // namespace geosim
