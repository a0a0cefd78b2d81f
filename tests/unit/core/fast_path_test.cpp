// The fast paths against the serial reference: the logistic block, P5 and stochastic P3 bit for
// bit (their reference formulas are written out here as MODEL.md states them), expected P3 and
// the leading eigenvector of the camps within their documented tolerances.
#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "geosim/engine.h"
#include "geosim/metrics.h"
#include "geosim/rng.h"
#include "geosim/simd.h"
#include "rules.h"
#include "support/bits.h"
#include "support/world.h"

namespace geosim {
namespace {

using test::same_bits;
using test::uniform;

std::vector<double> logistic_arguments() {
  const Rng rng(Rng::key_for(7, 0, 0));
  std::vector<double> z;
  for (std::uint32_t draw = 0; draw < 200000; ++draw) z.push_back(80 * uniform(rng, draw, 0) - 40);
  for (std::uint32_t draw = 0; draw < 20000; ++draw) z.push_back(1600 * uniform(rng, draw, 1) - 800);
  for (double special : {0.0, -0.0, 1e-300, -1e-300, 1e-17, -1e-17, 36.5, 37.0, 37.5, 700.0, -700.0, 707.9,
                         -707.9, 708.0, -708.0, 708.1, -708.1, 750.0, -750.0, 1e308, -1e308,
                         std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()}) {
    z.push_back(special);
  }
  return z;
}

using BlockFunction = void (*)(const double*, double*, std::size_t);

void expect_scalar_bits(BlockFunction block, const char* name) {
  const std::vector<double> z = logistic_arguments();
  std::vector<double> fast(z.size());
  block(z.data(), fast.data(), z.size());
  for (std::size_t index = 0; index < z.size(); ++index) {
    ASSERT_TRUE(same_bits(fast[index], logistic(z[index]))) << name << ", z = " << z[index];
  }
}

TEST(LogisticBlock, EqualsTheScalarLogisticToTheBit) {
  expect_scalar_bits(&logistic_block, "dispatched");
  expect_scalar_bits(&logistic_detail::block_baseline, "two lanes");
  if (!cpu_has_avx2()) GTEST_SKIP() << "no AVX2 here: the four-lane block is not run";
  expect_scalar_bits(&logistic_detail::block_avx2, "four lanes");
}

TEST(LogisticBlock, HandlesEveryLengthAndWorksInPlace) {
  for (std::size_t count = 0; count < 11; ++count) {
    std::vector<double> z(count);
    for (std::size_t index = 0; index < count; ++index) z[index] = 0.37 * static_cast<double>(index) - 1.5;
    std::vector<double> expected(count);
    for (std::size_t index = 0; index < count; ++index) expected[index] = logistic(z[index]);
    logistic_block(z.data(), z.data(), count);
    for (std::size_t index = 0; index < count; ++index) EXPECT_TRUE(same_bits(z[index], expected[index]));
  }
}

// Distance in units in the last place between two finite doubles of the same sign.
std::int64_t ulps(double a, double b) {
  std::int64_t x = 0, y = 0;
  std::memcpy(&x, &a, sizeof a);
  std::memcpy(&y, &b, sizeof b);
  return x > y ? x - y : y - x;
}

TEST(Logistic, OwnExponentialIsWithinTwoUlpsOfTheLibrary) {
  using logistic_detail::exp_capped;
  const Rng rng(Rng::key_for(11, 0, 0));
  std::int64_t worst = 0;
  for (std::uint32_t draw = 0; draw < 200000; ++draw) {
    const double y = -708 * uniform(rng, draw, 0);
    worst = std::max(worst, ulps(exp_capped<double>(y), std::exp(y)));
  }
  // Positive arguments up to the cap (P3 multiplies two exponentials of either sign).
  for (std::uint32_t draw = 0; draw < 200000; ++draw) {
    const double y = logistic_detail::kHighest * uniform(rng, draw, 1);
    worst = std::max(worst, ulps(exp_capped<double>(y), std::exp(y)));
  }
  EXPECT_LE(worst, 2);
  EXPECT_EQ(exp_capped<double>(0.0), 1.0);
  EXPECT_EQ(exp_capped<double>(-708.5), 0.0);
  EXPECT_TRUE(std::isfinite(exp_capped<double>(logistic_detail::kHighest)));
  EXPECT_LE(ulps(exp_capped<double>(logistic_detail::kHighest), std::exp(logistic_detail::kHighest)), 2);
  EXPECT_TRUE(std::isnan(exp_capped<double>(std::nan(""))));
}

// Without its clamps, for arguments in [kLowest, kHighest] (P3's dyad factors and tables):
// exp_capped's bits, at one and two lanes (P3's four-lane uses are covered by its oracle tests).
TEST(Logistic, ExponentialInRangeGivesTheCappedOnesBits) {
  using logistic_detail::exp_capped;
  using logistic_detail::exp_in_range;
  const Rng rng(Rng::key_for(12, 0, 0));
  const double width = logistic_detail::kHighest - logistic_detail::kLowest;
  for (std::uint32_t draw = 0; draw < 100000; ++draw) {
    const double a = logistic_detail::kLowest + width * uniform(rng, draw, 0);
    const double b = logistic_detail::kLowest + width * uniform(rng, draw, 1);
    EXPECT_EQ(std::bit_cast<std::uint64_t>(exp_in_range<double>(a)), std::bit_cast<std::uint64_t>(exp_capped<double>(a))) << a;
    const logistic_detail::Doubles2 pair{a, b};
    const logistic_detail::Doubles2 in_range = exp_in_range(pair), capped = exp_capped(pair);
    EXPECT_EQ(std::bit_cast<std::uint64_t>(in_range[1]), std::bit_cast<std::uint64_t>(capped[1])) << b;
  }
  for (const double edge : {logistic_detail::kLowest, 0.0, -0.0, logistic_detail::kHighest}) {
    EXPECT_EQ(std::bit_cast<std::uint64_t>(exp_in_range<double>(edge)), std::bit_cast<std::uint64_t>(exp_capped<double>(edge))) << edge;
  }
}

TEST(Logistic, ExponentialPairGivesTheInRangeBitsOfBothSigns) {
  using logistic_detail::exp_in_range;
  using logistic_detail::exp_pair_in_range;
  const Rng rng(Rng::key_for(14, 0, 0));
  const auto same = [](double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); };
  std::vector<double> values = {0.0, -0.0, 1e-300, -1e-300, 700.0, -700.0};
  for (std::uint32_t draw = 0; draw < 100000; ++draw) values.push_back(1400 * uniform(rng, draw, 0) - 700);
  for (std::uint32_t draw = 0; draw < 10000; ++draw) values.push_back(uniform(rng, draw, 1) - 0.5);
  for (std::size_t at = 0; at + 1 < values.size(); ++at) {
    const double y = values[at];
    double up = 0, down = 0;
    exp_pair_in_range<double>(y, up, down);
    EXPECT_TRUE(same(up, exp_in_range<double>(y)) && same(down, exp_in_range<double>(-y))) << y;
    const logistic_detail::Doubles2 pair{y, values[at + 1]};
    logistic_detail::Doubles2 ups, downs;
    exp_pair_in_range(pair, ups, downs);
    EXPECT_TRUE(same(ups[1], exp_in_range<double>(values[at + 1])) && same(downs[1], exp_in_range<double>(-values[at + 1])))
        << values[at + 1];
  }
}

TEST(Logistic, IsWithinFourUlpsOfAnExtendedPrecisionReference) {
  const Rng rng(Rng::key_for(13, 0, 0));
  std::int64_t worst = 0;
  for (std::uint32_t draw = 0; draw < 200000; ++draw) {
    const double z = 80 * uniform(rng, draw, 0) - 40;
    const auto exact = static_cast<double>(1.0L / (1.0L + std::exp(-static_cast<long double>(z))));
    worst = std::max(worst, ulps(logistic(z), exact));
  }
  EXPECT_LE(worst, 4);
}

// MODEL.md P3 as the serial reference states it.
void reference_cooperation(const WorldState& state, TickScratch& scratch, Mode mode, const Rng& rng, int tick) {
  const Params& p = state.params;
  const int n = state.agents();
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      double o = 0, x_i = 0, x_j = 0;
      for (int k = 0; k < state.issues(); ++k) {
        const double u = 1.0 - std::abs(state.x(i, k) - state.x(j, k));
        const double sig = (state.s(i, k) + state.s(j, k)) / 2.0;
        const double p_i = logistic(p.coop_steepness * (u - p.coop_threshold) + p.coop_affinity_weight * state.A(i, j));
        const double p_j = logistic(p.coop_steepness * (u - p.coop_threshold) + p.coop_affinity_weight * state.A(j, i));
        double m = p_i * p_j, d = (1 - p_i) * (1 - p_j), xi = p_i * (1 - p_j), xj = p_j * (1 - p_i);
        if (mode == Mode::kStochastic) {
          const auto draw = rng.uniform2(static_cast<std::uint32_t>(tick), Stream::kCooperation, static_cast<std::uint32_t>(k),
                                         static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j));
          const bool ci = draw[0] < p_i, cj = draw[1] < p_j;
          m = double(ci && cj), d = double(!ci && !cj), xi = double(ci && !cj), xj = double(cj && !ci);
        }
        o += sig * (m - d);
        x_i += sig * xi;
        x_j += sig * xj;
      }
      scratch.o(i, j) = scratch.o(j, i) = o;
      scratch.X(i, j) = x_i;
      scratch.X(j, i) = x_j;
    }
  }
}

// MODEL.md P5 as the serial reference states it, with v_ijk = (chat_j s_jk) (max(A_ij, 0) h_ij)
// and the phase's order for the sums over j != i: partial sum r over j = r mod 4 in increasing
// j, the four added as (p0 + p1) + (p2 + p3), then to the self term.
Matrix reference_positions(const WorldState& state, const Matrix& h) {
  Matrix next(state.agents(), state.issues());
  const Vector chat = state.capability_share();
  for (int i = 0; i < state.agents(); ++i) {
    for (int k = 0; k < state.issues(); ++k) {
      const double self = state.params.self_weight * chat(i) * state.s(i, k);
      double total[4] = {0, 0, 0, 0};
      double weighted[4] = {0, 0, 0, 0};
      for (int j = 0; j < state.agents(); ++j) {
        if (j == i) continue;
        const double v = chat(j) * state.s(j, k) * (std::max(state.A(i, j), 0.0) * h(i, j));
        total[j % 4] += v;
        weighted[j % 4] += v * state.x(j, k);
      }
      const double sum = self + ((total[0] + total[1]) + (total[2] + total[3]));
      const double weighted_sum = self * state.x(i, k) + ((weighted[0] + weighted[1]) + (weighted[2] + weighted[3]));
      const double social = sum > 0 ? weighted_sum / sum : state.x(i, k);
      next(i, k) = state.lam(i) * social + (1 - state.lam(i)) * state.x0(i, k);
    }
  }
  return next;
}

// A random world of n agents and k issues, advanced a few ticks.
Simulation advanced(const ScenarioSpec& spec, const RuleSet& rules, const RunOptions& options) {
  Simulation simulation(spec, rules, options);
  for (int tick = 0; tick < 3; ++tick) simulation.step();
  return simulation;
}

ScenarioSpec random_world(int n, int k) {
  ScenarioSpec spec = test::tiny_world(n, k);
  const Rng rng(Rng::key_for(99, 0, 0));
  for (int i = 0; i < n; ++i) {
    auto& agent = spec.agents[static_cast<std::size_t>(i)];
    agent.capability = 0.2 + uniform(rng, static_cast<std::uint32_t>(i), 1000);
    for (int issue = 0; issue < k; ++issue) {
      agent.interests[static_cast<std::size_t>(issue)].position = uniform(rng, static_cast<std::uint32_t>(i), 2000 + static_cast<std::uint32_t>(issue));
    }
    for (int j = i + 1; j < n; ++j) {
      test::set_affinity(spec, i, j, 2 * uniform(rng, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j)) - 1);
      test::set_trade(spec, i, j, 10 * uniform(rng, static_cast<std::uint32_t>(j), static_cast<std::uint32_t>(i)));
    }
  }
  return spec;
}

// P3's o and X against the serial reference's: stochastic to the bit; expected within
// `tolerance` (the factored propensities and one division per dyad-issue, cooperation.cpp: a few
// units in the last place per term, and the saliences of the K terms sum to at most 1), with o
// exactly symmetric.
void expect_outcomes_match(const TickScratch& fast, const TickScratch& reference, Mode mode, double tolerance, bool two_lanes) {
  if (mode == Mode::kStochastic) {
    EXPECT_TRUE(same_bits(fast.o, reference.o)) << "two lanes: " << two_lanes;
    EXPECT_TRUE(same_bits(fast.X, reference.X)) << "two lanes: " << two_lanes;
  } else {
    EXPECT_LE((fast.o - reference.o).cwiseAbs().maxCoeff(), tolerance) << "two lanes: " << two_lanes;
    EXPECT_LE((fast.X - reference.X).cwiseAbs().maxCoeff(), tolerance) << "two lanes: " << two_lanes;
    EXPECT_TRUE(same_bits(Matrix(fast.o - fast.o.transpose()), Matrix::Zero(fast.o.rows(), fast.o.cols()))) << "o is symmetric";
  }
}

class PhaseOracle : public testing::TestWithParam<std::tuple<int, int, Mode>> {};

// A spec's world advanced three ticks in `mode`, with the serial reference's P3 at tick 3.
struct AdvancedCooperation {
  RuleSet rules = test::default_rules();
  RunOptions options;
  Simulation simulation;
  WorldState state;
  TickScratch reference;
  Rng rng;

  AdvancedCooperation(const ScenarioSpec& spec, Mode mode)
      : options(with_mode(RunOptions::from(spec), mode)),
        simulation(advanced(spec, rules, options)),
        state(simulation.state()),
        reference(simulation.scratch()),
        rng(Rng::key_for(options.seed, 0, 0)) {
    reference_cooperation(state, reference, mode, rng, 3);
  }

  static RunOptions with_mode(RunOptions options, Mode mode) {
    options.mode = mode;
    return options;
  }
};

// P5 and stochastic P3 to the bit, expected P3 within its documented tolerance.
TEST_P(PhaseOracle, CooperationAndPositionsMatchTheReference) {
  const auto [n, k, mode] = GetParam();
  const AdvancedCooperation world(random_world(n, k), mode);
  const Matrix expected = reference_positions(world.state, world.reference.h);
  // Four lanes (where the processor has AVX2), then two: both give the reference's bits.
  for (const bool two_lanes : {false, true}) {
    test::ScopedTwoLanes lanes(two_lanes);
    WorldState fast_state = world.state;
    TickScratch fast = world.simulation.scratch();
    TickContext context{fast_state, fast, mode, world.rng, 3};
    world.rules.cooperation->apply(context);
    expect_outcomes_match(fast, world.reference, mode, 1e-14, two_lanes);
    world.rules.influence->apply(context);
    EXPECT_TRUE(same_bits(fast_state.x, expected)) << "two lanes: " << two_lanes;
  }
}

INSTANTIATE_TEST_SUITE_P(Sizes, PhaseOracle,
                         testing::Values(std::tuple{2, 1, Mode::kExpected}, std::tuple{3, 4, Mode::kExpected},
                                         std::tuple{2, 1, Mode::kStochastic}, std::tuple{3, 4, Mode::kStochastic},
                                         std::tuple{6, 2, Mode::kStochastic},
                                         std::tuple{20, 5, Mode::kExpected}, std::tuple{20, 5, Mode::kStochastic},
                                         std::tuple{37, 8, Mode::kExpected}, std::tuple{37, 8, Mode::kStochastic},
                                         // From 128 agents the per-agent loops run on oneTBB's threads.
                                         std::tuple{150, 3, Mode::kExpected}, std::tuple{150, 3, Mode::kStochastic}));

// P3 (cooperation.cpp) with the given rule and parameters against the serial reference, at both
// lane widths: stochastic to the bit, expected within `tolerance`.
void expect_cooperation_matches(const Rule& cooperation, int n, int k, Mode mode, double steepness, double affinity_weight,
                                double tolerance) {
  ScenarioSpec spec = random_world(n, k);
  spec.params.coop_steepness = steepness;
  spec.params.coop_affinity_weight = affinity_weight;
  AdvancedCooperation world(spec, mode);
  for (const bool two_lanes : {false, true}) {
    test::ScopedTwoLanes lanes(two_lanes);
    TickScratch fast = world.simulation.scratch();
    TickContext context{world.state, fast, mode, world.rng, 3};
    cooperation.apply(context);
    expect_outcomes_match(fast, world.reference, mode, tolerance, two_lanes);
  }
}

// Draws within the decision margin of p are decided from logistic(z) itself. They are rare (about
// 2^-35 of the draws), so an infinite margin sends every draw that way: still the reference's bits.
TEST(StochasticCooperation, DrawsNearTheirPropensityAreDecidedByTheLogisticItself) {
  const auto every_draw_near = agents::make_prisoners_dilemma_with_margin(std::numeric_limits<double>::infinity());
  expect_cooperation_matches(*every_draw_near, 37, 5, Mode::kStochastic, 6.0, 2.0, 0.0);
  expect_cooperation_matches(*every_draw_near, 3, 2, Mode::kStochastic, 6.0, 2.0, 0.0);
}

// Steep propensities beyond the factored form's limit (exponents over 200) take the formula as
// stated, and those just within it the factored form: both keep their contracts.
TEST(StochasticCooperation, SteepPropensitiesKeepTheirContracts) {
  const auto rule = agents::make_prisoners_dilemma();
  for (const Mode mode : {Mode::kStochastic, Mode::kExpected}) {
    expect_cooperation_matches(*rule, 23, 3, mode, 500.0, 2.0, 1e-14);  // beta |u - theta| up to 250
    expect_cooperation_matches(*rule, 23, 3, mode, 6.0, -400.0, 1e-14);  // |kappa A_ij| up to 400
    expect_cooperation_matches(*rule, 23, 3, mode, 60.0, 30.0, 1e-13);  // factored, exponents up to 60
  }
}

// P3 compiled for AVX-512 (F, VL, DQ) runs the four-lane code with other instructions: o and X
// are the AVX2 path's to the bit, in both modes, at ordinary and at steep parameters (where
// groups of pairs take the formula as stated).
TEST(Cooperation, AvxFiveTwelveGivesTheAvx2PathsBits) {
  if (!cpu_has_avx512vl()) GTEST_SKIP() << "no AVX-512 here: only the AVX2 and two-lane paths run";
  const auto rule = agents::make_prisoners_dilemma();
  struct Case {
    int n, k;
    double steepness, affinity_weight;
  };
  for (const Case& c : {Case{2, 1, 6.0, 2.0}, Case{6, 2, 6.0, 2.0}, Case{20, 5, 6.0, 2.0}, Case{37, 8, 6.0, 2.0},
                        Case{23, 3, 500.0, 2.0}, Case{23, 3, 6.0, -400.0}}) {
    for (const Mode mode : {Mode::kExpected, Mode::kStochastic}) {
      ScenarioSpec spec = random_world(c.n, c.k);
      spec.params.coop_steepness = c.steepness;
      spec.params.coop_affinity_weight = c.affinity_weight;
      const AdvancedCooperation world(spec, mode);
      TickScratch paths[2] = {world.simulation.scratch(), world.simulation.scratch()};
      for (int path = 0; path < 2; ++path) {
        const test::ScopedNoAvx512 avx2_only(path == 1);
        WorldState state = world.state;
        TickContext context{state, paths[path], mode, world.rng, 3};
        rule->apply(context);
      }
      EXPECT_TRUE(same_bits(paths[0].o, paths[1].o)) << c.n << " " << c.steepness << " " << static_cast<int>(mode);
      EXPECT_TRUE(same_bits(paths[0].X, paths[1].X)) << c.n << " " << c.steepness << " " << static_cast<int>(mode);
    }
  }
}

// A large world's whole run gives the same bits on one thread and on four (and so on any
// number): the per-agent loops are independent and each is done in the reference's order.
TEST(PerAgentParallelism, LargeWorldsGiveTheSameBitsAtOneAndFourThreads) {
  const ScenarioSpec spec = random_world(140, 3);
  const RuleSet rules = test::default_rules();
  RunOptions options = RunOptions::from(spec);
  options.mode = Mode::kStochastic;
  options.ticks = 6;
  auto run_on = [&](int threads) {
    const tbb::global_control cap(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    tbb::task_arena arena(threads);
    RunResult result;
    arena.execute([&] { result = run_scenario(spec, rules, options); });
    return result;
  };
  const RunResult one = run_on(1), four = run_on(4);
  ASSERT_EQ(one.series.rows.size(), four.series.rows.size());
  for (std::size_t row = 0; row < one.series.rows.size(); ++row) {
    EXPECT_EQ(std::memcmp(one.series.rows[row].data(), four.series.rows[row].data(), one.series.rows[row].size() * sizeof(double)), 0) << row;
  }
  EXPECT_EQ(one.final_affinity, four.final_affinity);
}

Eigen::MatrixXd random_symmetric(int n, std::uint64_t seed) {
  const Rng rng(Rng::key_for(seed, 0, 0));
  Eigen::MatrixXd m(n, n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j <= i; ++j) m(i, j) = m(j, i) = i == j ? 0.0 : 2 * uniform(rng, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j)) - 1;
  }
  return m;
}

// Up to sign, and entries within the tolerance the header documents.
double distance_up_to_sign(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  return std::min((a - b).norm(), (a + b).norm());
}

TEST(LeadingEigenvector, SmallWorldsMatchTheFullSolver) {
  for (int n : {3, 5, 20, 64, 150}) {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
      const Eigen::MatrixXd bar = random_symmetric(n, seed);
      EXPECT_LT(distance_up_to_sign(leading_eigenvector(bar), leading_eigenvector_exact(bar)), 1e-9) << n << " " << seed;
    }
  }
}

TEST(LeadingEigenvector, RepeatedLeadingEigenvaluesFallBackToTheFullSolver) {
  const Eigen::MatrixXd zero = Eigen::MatrixXd::Zero(6, 6);
  EXPECT_EQ(leading_eigenvector(zero), leading_eigenvector_exact(zero));
  Eigen::MatrixXd blocks = Eigen::MatrixXd::Zero(4, 4);
  blocks(0, 1) = blocks(1, 0) = blocks(2, 3) = blocks(3, 2) = 0.5;  // two equal camps apart
  EXPECT_EQ(leading_eigenvector(blocks), leading_eigenvector_exact(blocks));
}

// A matrix with the given eigenvalues (ascending) and eigenvectors from the QR factorisation of a
// random one.
Eigen::MatrixXd with_spectrum(const Eigen::VectorXd& eigenvalues, std::uint64_t seed) {
  const auto n = static_cast<int>(eigenvalues.size());
  const Eigen::MatrixXd basis = Eigen::HouseholderQR<Eigen::MatrixXd>(random_symmetric(n, seed)).householderQ();
  return basis * eigenvalues.asDiagonal() * basis.transpose();
}

// Every size of the small path and matrices of several kinds: random, two camps (positive within,
// negative across, as balanced worlds are), block diagonal (its tridiagonal form splits), a
// dominant negative eigenvalue, and extreme scales.
TEST(LeadingEigenvector, SmallWorldsOfEverySizeAndKindMatchTheFullSolver) {
  int cases = 0;
  int fast = 0;  // results that are not the full solver's bits: the fast path gave them
  for (int n = 3; n < 128; ++n) {
    for (std::uint64_t seed = 1; seed <= 2; ++seed) {
      const Eigen::MatrixXd random = random_symmetric(n, seed);
      Eigen::MatrixXd camps = random;
      Eigen::MatrixXd blocks = random;
      const int split = 1 + static_cast<int>(seed) * n / 3;
      for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) {
          if (i == j) continue;
          camps(i, j) = ((i < split) == (j < split) ? 0.5 : -0.5) + 0.1 * random(i, j);
          if (i / 5 != j / 5) blocks(i, j) = 0;
        }
      }
      const Eigen::MatrixXd negative = random - 2 * Eigen::MatrixXd::Ones(n, n);  // eigenvalue about -2n
      for (const auto& [kind, bar] : {std::pair{"random", random}, std::pair{"camps", camps}, std::pair{"blocks", blocks},
                                      std::pair{"negative", negative}, std::pair{"tiny", Eigen::MatrixXd(1e-100 * random)},
                                      std::pair{"huge", Eigen::MatrixXd(1e100 * random)}}) {
        const Eigen::VectorXd leading = leading_eigenvector(bar);
        const Eigen::VectorXd exact = leading_eigenvector_exact(bar);
        EXPECT_LT(distance_up_to_sign(leading, exact), 1e-9) << kind << " " << n << " " << seed;
        ++cases;
        fast += std::memcmp(leading.data(), exact.data(), sizeof(double) * static_cast<std::size_t>(n)) != 0;
      }
    }
  }
  // Matrices like these rarely have a nearly repeated leading eigenvalue: the comparison above is
  // of the fast path, not of the fallback.
  EXPECT_GT(fast, cases * 9 / 10) << fast << " of " << cases;
}

// Within 1e-6 of the spectral bound of the largest eigenvalue the fast path hands over to the
// full solver (the same bits); well apart it keeps its tolerance.
TEST(LeadingEigenvector, NearlyRepeatedLeadingEigenvaluesFallBackToTheFullSolver) {
  for (int n : {3, 4, 10, 50, 127}) {
    Eigen::VectorXd eigenvalues = Eigen::VectorXd::LinSpaced(n, -1.0, 0.5);
    eigenvalues(n - 1) = 1.0;
    for (double gap : {0.0, 1e-12, 1e-9, 1e-7}) {
      eigenvalues(n - 2) = 1.0 - gap;
      const Eigen::MatrixXd bar = with_spectrum(eigenvalues, 3);
      EXPECT_EQ(leading_eigenvector(bar), leading_eigenvector_exact(bar)) << n << " " << gap;
    }
    eigenvalues(n - 2) = 1.0 - 1e-3;
    const Eigen::MatrixXd apart = with_spectrum(eigenvalues, 3);
    EXPECT_LT(distance_up_to_sign(leading_eigenvector(apart), leading_eigenvector_exact(apart)), 1e-9) << n;
  }
}

// The small path's reduction runs four lanes wide under AVX2 and two wide elsewhere: the same bits.
TEST(LeadingEigenvector, SmallWorldsGiveTheSameBitsAtBothLaneWidths) {
  if (!cpu_has_avx2()) GTEST_SKIP() << "no AVX2 here: only the two-lane reduction runs";
  for (int n = 3; n < 128; ++n) {
    const Eigen::MatrixXd bar = random_symmetric(n, 11);
    const Eigen::VectorXd four = leading_eigenvector(bar);
    const Eigen::VectorXd two = [&] {
      const test::ScopedTwoLanes lanes(true);
      return leading_eigenvector(bar);
    }();
    ASSERT_EQ(four.size(), two.size());
    EXPECT_EQ(std::memcmp(four.data(), two.data(), sizeof(double) * static_cast<std::size_t>(n)), 0) << n;
  }
}

// The Lanczos residual bound |Abar v - theta v| <= 1e-10 |theta| bounds the error of v by
// 1e-10 |theta| / gap; random matrices of this size have gaps of order 1e-1 |theta|.
TEST(LeadingEigenvector, LargeWorldsMatchTheFullSolverWithinTheLanczosTolerance) {
  const Eigen::MatrixXd bar = random_symmetric(300, 5);
  Eigen::VectorXd warm;
  const Eigen::VectorXd cold = leading_eigenvector(bar, &warm);
  EXPECT_LT(distance_up_to_sign(cold, leading_eigenvector_exact(bar)), 1e-8);
  EXPECT_EQ(warm, cold);
  const Eigen::VectorXd again = leading_eigenvector(bar, &warm);
  EXPECT_LT(distance_up_to_sign(again, cold), 1e-8);
}

TEST(Camps, AgreeWithTheFullSolverAlongARun) {
  const ScenarioSpec spec = random_world(30, 4);
  const RuleSet rules = test::default_rules();
  Simulation simulation(spec, rules, RunOptions::from(spec));
  for (int tick = 0; tick < 40; ++tick) {
    simulation.step();
    const Matrix& A = simulation.state().A;
    const Eigen::MatrixXd bar = (A + A.transpose()) / 2.0;
    const Eigen::VectorXd exact = leading_eigenvector_exact(bar);
    std::vector<int> sign(30);
    for (int agent = 0; agent < 30; ++agent) sign[static_cast<std::size_t>(agent)] = exact(agent) > 1e-9 ? 1 : (exact(agent) < -1e-9 ? -1 : 0);
    const std::vector<int> fast = camps(A, {});
    const int flip = [&] {
      for (int agent = 0; agent < 30; ++agent) if (sign[static_cast<std::size_t>(agent)] != 0) return sign[static_cast<std::size_t>(agent)];
      return 1;
    }();
    for (int& value : sign) value *= flip;
    EXPECT_EQ(fast, sign) << "tick " << tick;
  }
}

}  // namespace
}  // namespace geosim
