#include <algorithm>
#include <cmath>
#include <limits>

#include "geosim/lanes.h"
#include "geosim/philox_lanes.h"
#include "geosim/simd.h"
#include "per_agent.h"
#include "rules.h"

// The four-lane code is inlined into the AVX2 function only (see geosim/logistic.h).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

namespace geosim::agents {
namespace {

using namespace lanes;

// The factored form of the propensities (play_factored) is used where every exponent it takes
// is at most kFactoredExponentLimit in magnitude, and exp(+-beta x) at most kTableExponentLimit:
// then no exponential, product or sum in it overflows or underflows, and its relative rounding
// errors stay below 2^-42 (about 1,000 units in the last place; at the default parameters, a few).
inline constexpr double kFactoredExponentLimit = 200.0;
inline constexpr double kTableExponentLimit = 300.0;
// Stochastic mode: a decision w < logistic(z) is taken from the factored form where
// |w (1 + e) - 1| exceeds this, which is more than 100 times the largest relative error of the
// factored form and of logistic(z) together; closer to the boundary it is taken from
// logistic(z) itself.
inline constexpr double kDecisionMargin = 0x1p-36;

// What agent i's row of P3 (the pairs (i, j > i)) reads, with j contiguous in every array.
struct Row {
  int i = 0;
  int n = 0;
  int issues = 0;
  double steepness = 0, threshold = 0, affinity_weight = 0;  ///< beta, theta, kappa
  /// |beta| (max x - min x) + |beta (1 - theta)| over this tick's positions: with |kappa A|, a
  /// bound on the factored form's exponents (infinite or NaN where it must not be used).
  double reach = 0;
  double offset = 0;  ///< beta (1 - theta)
  double decision_margin = kDecisionMargin;
  const double* x_i = nullptr;  ///< x_ik over k
  const double* s_i = nullptr;  ///< s_ik over k
  const double* x_by_issue = nullptr;  ///< x_jk at [k n + j]
  const double* s_by_issue = nullptr;  ///< s_jk at [k n + j]
  const double* rise_by_issue = nullptr;  ///< exp(beta x_jk) at [k n + j]
  const double* fall_by_issue = nullptr;  ///< exp(-beta x_jk) at [k n + j]
  const double* a_ij = nullptr;  ///< A_ij over j (row i of A)
  const Matrix* A = nullptr;  ///< for A_ji (column i)
  bool drawn = false;  ///< stochastic mode: the decisions are drawn with the run's key at this tick
  std::uint64_t key = 0;
  std::uint32_t tick = 0;
};

// The outcome sums of the pairs in the lanes, over the issues k = 0, 1, ... in order.
template <class Lane> struct Outcomes {
  Lane net{}, exploited_i{}, exploited_j{};
};

// Stochastic mode: the Philox words of the pairs (i, j) in the lanes that depend on j only
// (geosim/philox_lanes.h), computed once for all the issues.
template <class Lane> using PairWords = philox::SecondWords<philox::Words<Lane>>;

template <class Lane> [[gnu::always_inline]] inline PairWords<Lane> pair_words(const Row& row, int first) {
  using Words = philox::Words<Lane>;
  Words j = Words{} + static_cast<std::uint64_t>(first);
  if constexpr (kWidth<Lane> > 1) {
    for (int lane = 0; lane < kWidth<Lane>; ++lane) j[lane] += static_cast<std::uint64_t>(lane);
  }
  return philox::second_words<Lane>(row.key, row.tick, static_cast<std::uint32_t>(row.i), j);
}

// Stochastic mode: the Philox block of each pair in the lanes for issue k (words 0 and 1 make
// i's draw, words 2 and 3 j's), Rng::uniform2(tick, kCooperation, k, i, j)'s to the bit, made in
// the lanes that use them.
template <class Lane> struct Block {
  philox::Words<Lane> word[4][1];
};

template <class Lane> [[gnu::always_inline]] inline Block<Lane> block_of(const Row& row, const PairWords<Lane>& pair, int k) {
  const philox::FirstWords issue[1] = {philox::first_words(row.key, row.tick, static_cast<std::uint32_t>(row.i),
                                                           static_cast<std::uint32_t>(philox::stream_word(Stream::kCooperation, static_cast<std::uint32_t>(k))))};
  Block<Lane> block;
  philox::rest_of_rounds_words<Lane, 1>(issue, pair, row.key, block.word[0], block.word[1], block.word[2], block.word[3]);
  return block;
}

// The block's two draws, i's and j's.
template <class Lane> [[gnu::always_inline]] inline void draws_of(const Block<Lane>& block, Lane& w_i, Lane& w_j) {
  Lane u0[1], u1[1];
  philox::to_uniforms<Lane, 1>(block.word[0], block.word[1], block.word[2], block.word[3], u0, u1);
  w_i = u0[0];
  w_j = u1[0];
}

// Stochastic mode: the 0/1 outcomes of the decisions c_i, c_j (1 = cooperate), summed. With
// 0/1 values, m - d = c_i c_j - (1 - c_i)(1 - c_j) is c_i + c_j - 1, exactly.
template <class Lane>
[[gnu::always_inline]] inline void add_decisions(Outcomes<Lane>& sums, Lane sig, Lane c_i, Lane c_j) {
  sums.net += sig * ((c_i + c_j) - 1.0);
  sums.exploited_i += sig * (c_i * (1.0 - c_j));
  sums.exploited_j += sig * (c_j * (1.0 - c_i));
}

// Stochastic mode, as the formula states it: c = (w < logistic(z)) for i and j, with
// logistic(z) = n / D (logistic_parts) to the bit, and their outcomes added to the sums.
template <class Lane>
[[gnu::always_inline]] inline void add_drawn_decisions(Outcomes<Lane>& sums, Lane sig, const logistic_detail::LogisticParts<Lane>& part_i,
                                                       const logistic_detail::LogisticParts<Lane>& part_j, const Block<Lane>& block) {
  const Lane zero{};
  const Lane one = zero + 1.0;
  Lane w_i, w_j;
  draws_of(block, w_i, w_j);
  add_decisions(sums, sig, select(w_i < part_i.numerator / part_i.denominator, one, zero),
                select(w_j < part_j.numerator / part_j.denominator, one, zero));
}

// MODEL.md P3 for the pairs (i, j), j = first, ..., first + lanes - 1, one pair per lane, as the
// formula states it: z_ij = beta (u - theta) + kappa A_ij, p = logistic(z) (logistic_parts),
// each lane the same operations in the same order, so the bits do not depend on the lane width.
// - Expected mode: with p = n_i / D_i, 1 - p = c_i / D_i and r = 1 / (D_i D_j),
//   m = n_i n_j r, d = c_i c_j r, x_ij = n_i c_j r, x_ji = n_j c_i r: one division per
//   dyad-issue.
// - Stochastic mode: p = n / D is logistic(z) to the bit, so the decisions (w < p) and the 0/1
//   outcomes are the serial reference's.
template <class Lane, bool kDrawn>
[[gnu::always_inline]] inline Outcomes<Lane> play_direct(const Row& row, int first, Lane a_ij, Lane a_ji, const PairWords<Lane>& pair) {
  const Lane zero{};
  const Lane one = zero + 1.0;
  Outcomes<Lane> sums;
  for (int k = 0; k < row.issues; ++k) {
    const std::size_t column = static_cast<std::size_t>(k) * static_cast<std::size_t>(row.n) + static_cast<std::size_t>(first);
    const Lane u = 1.0 - magnitude<Lane>(row.x_i[k] - load<Lane>(row.x_by_issue + column));
    const auto part_i = logistic_detail::logistic_parts<Lane>(row.steepness * (u - row.threshold) + row.affinity_weight * a_ij);
    const auto part_j = logistic_detail::logistic_parts<Lane>(row.steepness * (u - row.threshold) + row.affinity_weight * a_ji);
    const Lane sig = (row.s_i[k] + load<Lane>(row.s_by_issue + column)) / 2.0;
    if constexpr (kDrawn) {
      add_drawn_decisions(sums, sig, part_i, part_j, block_of<Lane>(row, pair, k));
    } else {
      const Lane r = one / (part_i.denominator * part_j.denominator);
      const Lane mutual = part_i.numerator * part_j.numerator * r;
      const Lane defection = part_i.complement * part_j.complement * r;
      sums.net += sig * (mutual - defection);
      sums.exploited_i += sig * (part_i.numerator * part_j.complement * r);
      sums.exploited_j += sig * (part_j.numerator * part_i.complement * r);
    }
  }
  return sums;
}

// The same pairs with the propensities factored. With u = 1 - |x_i - x_j|,
// exp(-z_ij) = exp(beta |x_i - x_j|) exp(-(beta (1 - theta) + kappa A_ij)) = D g_ij, where
// D = exp(beta x_hi) exp(-beta x_lo) (x_hi, x_lo the larger and the smaller of x_i, x_j; for
// beta >= 0 the larger of the two products, so no comparison of positions) comes from the per
// agent-issue exponentials exp(+-beta x) made once per tick, and g_ij is one exponential per
// dyad. So a dyad-issue takes no exponential at all: e_i = D g_ij, and
// p_i = 1 / (1 + e_i), 1 - p_i = e_i / (1 + e_i).
// - Expected mode: with r = 1 / ((1 + e_i)(1 + e_j)), m - d = (1 - e_i e_j) r, x_ij = e_j r,
//   x_ji = e_i r: one division per dyad-issue. Each term is taken as ((s_i + s_j) r) times
//   (1 - e_i e_j), e_j or e_i, and the three sums are halved after the last issue (exactly).
//   The bits differ from play_direct's in the last places; o and X stay within 1e-14 of the
//   serial reference at the default parameters (tested), and o stays exactly symmetric.
// - Stochastic mode: c_i = (w_i < p_i) is w_i (1 + e_i) < 1 wherever that product is further
//   than the decision margin from 1 (bounded from the draw's leading 32 bits); otherwise the
//   lanes are decided by play_direct's propensities, so every decision, and so every outcome,
//   is the serial reference's.
template <class Lane, bool kDrawn>
[[gnu::always_inline]] inline Outcomes<Lane> play_factored(const Row& row, int first, Lane a_ij, Lane a_ji, const PairWords<Lane>& pair) {
  using logistic_detail::exp_capped;
  const Lane zero{};
  const Lane one = zero + 1.0;
  // Within the factored form's limit, so exp_capped's clamps are not needed (the same bits).
  const Lane g_ij = logistic_detail::exp_in_range<Lane>(-(row.offset + row.affinity_weight * a_ij));
  const Lane g_ji = logistic_detail::exp_in_range<Lane>(-(row.offset + row.affinity_weight * a_ji));
  Outcomes<Lane> sums;
  for (int k = 0; k < row.issues; ++k) {
    const std::size_t own = static_cast<std::size_t>(k) * static_cast<std::size_t>(row.n) + static_cast<std::size_t>(row.i);
    const std::size_t column = static_cast<std::size_t>(k) * static_cast<std::size_t>(row.n) + static_cast<std::size_t>(first);
    const Lane x_j = load<Lane>(row.x_by_issue + column);
    // exp(beta |x_i - x_j|) is the larger of exp(beta x_i) exp(-beta x_j) and exp(beta x_j)
    // exp(-beta x_i) (beta >= 0 here).
    const Lane spread = larger(splat<Lane>(row.rise_by_issue[own]) * load<Lane>(row.fall_by_issue + column),
                               load<Lane>(row.rise_by_issue + column) * splat<Lane>(row.fall_by_issue[own]));
    const Lane e_i = spread * g_ij;
    const Lane e_j = spread * g_ji;
    const Lane stakes = row.s_i[k] + load<Lane>(row.s_by_issue + column);  // 2 sig
    if constexpr (kDrawn) {
      const Lane sig = stakes / 2.0;
      // w lies in [w_lead, w_lead + 2^-32) (philox::leading_part), so w (1 + e) lies between
      // the two bounds below: a decision is certain where both are on one side of 1, by more
      // than the margin.
      const Block<Lane> block = block_of<Lane>(row, pair, k);
      const Lane lead_i = philox::leading_part<Lane>(block.word[0][0]);
      const Lane lead_j = philox::leading_part<Lane>(block.word[2][0]);
      const Lane scale_i = one + e_i, scale_j = one + e_j;
      const auto cooperates_i = (lead_i + 0x1.0p-32) * scale_i < 1.0 - row.decision_margin;
      const auto cooperates_j = (lead_j + 0x1.0p-32) * scale_j < 1.0 - row.decision_margin;
      const auto defects_i = lead_i * scale_i > 1.0 + row.decision_margin;
      const auto defects_j = lead_j * scale_j > 1.0 + row.decision_margin;
      if (any_lane(!((cooperates_i | defects_i) & (cooperates_j | defects_j)))) [[unlikely]] {
        const Lane u = 1.0 - magnitude<Lane>(row.x_i[k] - x_j);
        add_drawn_decisions(sums, sig,
                            logistic_detail::logistic_parts<Lane>(row.steepness * (u - row.threshold) + row.affinity_weight * a_ij),
                            logistic_detail::logistic_parts<Lane>(row.steepness * (u - row.threshold) + row.affinity_weight * a_ji), block);
      } else {
        add_decisions(sums, sig, where(cooperates_i, one), where(cooperates_j, one));
      }
    } else {
      // 2 sig r, times (m - d), x_ij and x_ji; the sums are halved once, after the issues.
      const Lane weight = stakes * (one / ((one + e_i) * (one + e_j)));
      sums.net += weight * (one - e_i * e_j);
      sums.exploited_i += weight * e_j;
      sums.exploited_j += weight * e_i;
    }
  }
  if constexpr (!kDrawn) {
    sums.net *= 0.5;
    sums.exploited_i *= 0.5;
    sums.exploited_j *= 0.5;
  }
  return sums;
}

// The pairs (i, j), j = first, ..., first + lanes - 1: factored where its exponents are small
// enough (every parameter value a scenario would use), else as the formula states it.
template <class Lane, bool kDrawn>
[[gnu::always_inline]] inline void play_pairs(const Row& row, int first, double* o_row, double* X_row, Matrix& o, Matrix& X) {
  const Lane a_ij = load<Lane>(row.a_ij + first);
  const Lane a_ji = lanes_of<Lane>([&](int lane) { return (*row.A)(first + lane, row.i); });
  const Lane reach = row.reach + std::abs(row.affinity_weight) * larger(magnitude(a_ij), magnitude(a_ji));
  PairWords<Lane> pair{};
  if constexpr (kDrawn) pair = pair_words<Lane>(row, first);
  const Outcomes<Lane> sums = any_lane(!(reach <= kFactoredExponentLimit)) ? play_direct<Lane, kDrawn>(row, first, a_ij, a_ji, pair)
                                                                            : play_factored<Lane, kDrawn>(row, first, a_ij, a_ji, pair);
  store(o_row + first, sums.net);
  store(X_row + first, sums.exploited_i);
  for (int lane = 0; lane < kWidth<Lane>; ++lane) {
    o(first + lane, row.i) = lane_of(sums.net, lane);
    X(first + lane, row.i) = lane_of(sums.exploited_j, lane);
  }
}

// Row i's pairs (i, j > i), groups of pairs overlapping at the row's end
// (for_each_overlapping_group: a pair played twice is played to the same bits, by the same row).
template <bool kDrawn> struct RowPairs {
  const Row& row;
  double* o_row;
  double* X_row;
  Matrix& o;
  Matrix& X;

  template <class Lane> [[gnu::always_inline]] inline void run(int first) {
    play_pairs<Lane, kDrawn>(row, first, o_row, X_row, o, X);
  }
};

template <class Lane> [[gnu::always_inline]] inline void play_row_as(const Row& row, Matrix& o, Matrix& X) {
  double* o_row = o.row(row.i).data();
  double* X_row = X.row(row.i).data();
  if (row.drawn) {
    RowPairs<true> pairs{row, o_row, X_row, o, X};
    for_each_overlapping_group<Lane>(row.i + 1, row.n, pairs);
  } else {
    RowPairs<false> pairs{row, o_row, X_row, o, X};
    for_each_overlapping_group<Lane>(row.i + 1, row.n, pairs);
  }
}

// rise[c] = exp(beta x[c]) and fall[c] = exp(-beta x[c]) for c < count.
struct Exponentials {
  const double* x;
  double* rise;
  double* fall;
  double beta;

  template <class L> [[gnu::always_inline]] inline void run(int c) {
    const L y = beta * load<L>(x + c);
    L up, down;
    logistic_detail::exp_pair_in_range<L>(y, up, down);  // |y| <= kTableExponentLimit
    store(rise + c, up);
    store(fall + c, down);
  }
};

[[gnu::flatten]] void exponentials_baseline(Exponentials body, int count) { for_each_group<Doubles2>(0, count, body); }
GEOSIM_AVX2 [[gnu::flatten]] void exponentials_avx2(Exponentials body, int count) {
  for_each_group<Doubles4>(0, count, body);
}

// Two lanes (every processor) and four (AVX2, where cpu_has_avx2(); with AVX-512's three-input
// logic for Philox's exclusive ors and its masks, where cpu_has_avx512vl(): P3 10 % faster in
// stochastic mode): the same bits.
// flatten: Philox's products (geosim/philox_lanes.h) are inlined with the rest.
[[gnu::flatten]] void play_row_baseline(const Row& row, Matrix& o, Matrix& X) { play_row_as<Doubles2>(row, o, X); }
GEOSIM_AVX2 [[gnu::flatten]] void play_row_avx2(const Row& row, Matrix& o, Matrix& X) { play_row_as<Doubles4>(row, o, X); }
GEOSIM_AVX512VL [[gnu::flatten]] void play_row_avx512vl(const Row& row, Matrix& o, Matrix& X) { play_row_as<Doubles4>(row, o, X); }

// MODEL.md P3. Agent i's row plays the pairs (i, j > i) with j in vector lanes. Positions and
// saliences are first copied issue-major (x_jk contiguous in j) for all rows; in stochastic
// mode the lanes draw their decisions themselves (Philox in the same lanes, bit for bit
// Rng::uniform2).
class PrisonersDilemma final : public Rule {
 public:
  explicit PrisonersDilemma(double decision_margin) : decision_margin_(decision_margin) {}

  std::string_view name() const override { return "prisoners_dilemma"; }

  // Rows are independent (row i writes the pairs (i, j > i) only): large worlds play them in
  // parallel.
  void apply(TickContext& context) const override {
    const WorldState& state = context.state;
    const int n = state.agents();
    const int issues = state.issues();
    const std::size_t cells = static_cast<std::size_t>(n) * static_cast<std::size_t>(issues);
    std::vector<double>& by_issue = context.scratch.lanes_out;
    if (by_issue.size() < 4 * cells) by_issue.resize(4 * cells);
    // The positions' range (u >= 1 - (highest - lowest)) and whether one is NaN.
    double lowest = std::numeric_limits<double>::infinity(), highest = -lowest;
    bool unordered = false;
    for (int k = 0; k < issues; ++k) {
      double* x_k = by_issue.data() + static_cast<std::size_t>(k) * static_cast<std::size_t>(n);
      double* s_k = x_k + cells;
      for (int j = 0; j < n; ++j) {
        const double x = state.x(j, k);
        x_k[j] = x;
        s_k[j] = state.s(j, k);
        lowest = std::min(lowest, x);
        highest = std::max(highest, x);
        unordered |= x != x;
      }
    }
    const Params& params = state.params;
    const double beta = params.coop_steepness;
    // The factored form's bounds (play_factored); none of it where a position is NaN.
    const bool tables = !unordered && beta >= 0 && beta * std::max(std::abs(lowest), std::abs(highest)) <= kTableExponentLimit;
    const double reach = tables ? std::abs(beta) * (highest - lowest) + std::abs(beta * (1.0 - params.coop_threshold))
                                : std::numeric_limits<double>::infinity();
    double* rise = by_issue.data() + 2 * cells;
    double* fall = by_issue.data() + 3 * cells;
    const bool wide = cpu_has_avx2();
    const bool wider = cpu_has_avx512vl();
    if (tables) {
      if (wide) {
        exponentials_avx2({by_issue.data(), rise, fall, beta}, static_cast<int>(cells));
      } else {
        exponentials_baseline({by_issue.data(), rise, fall, beta}, static_cast<int>(cells));
      }
    }
    // What every row reads; each row adds its own.
    Row shared;
    shared.n = n;
    shared.issues = issues;
    shared.steepness = params.coop_steepness;
    shared.threshold = params.coop_threshold;
    shared.affinity_weight = params.coop_affinity_weight;
    shared.reach = reach;
    shared.offset = beta * (1.0 - params.coop_threshold);
    shared.decision_margin = decision_margin_;
    shared.x_by_issue = by_issue.data();
    shared.s_by_issue = by_issue.data() + cells;
    shared.rise_by_issue = rise;
    shared.fall_by_issue = fall;
    shared.A = &state.A;
    if (context.mode == Mode::kStochastic) {
      shared.drawn = true;
      shared.key = context.rng.key();
      shared.tick = static_cast<std::uint32_t>(context.tick);
    }
    // Every pair's entries are written below; the diagonal here (rule.h).
    context.scratch.o.diagonal().setZero();
    context.scratch.X.diagonal().setZero();
    for_each_agent(n, [&](int i) {
      if (i + 1 >= n) return;
      Row row = shared;
      row.i = i;
      row.x_i = state.x.row(i).data();
      row.s_i = state.s.row(i).data();
      row.a_ij = state.A.row(i).data();
      if (wider) {
        play_row_avx512vl(row, context.scratch.o, context.scratch.X);
      } else if (wide) {
        play_row_avx2(row, context.scratch.o, context.scratch.X);
      } else {
        play_row_baseline(row, context.scratch.o, context.scratch.X);
      }
    });
  }

 private:
  double decision_margin_;
};

}  // namespace

std::shared_ptr<const Rule> make_prisoners_dilemma() { return std::make_shared<PrisonersDilemma>(kDecisionMargin); }

std::shared_ptr<const Rule> make_prisoners_dilemma_with_margin(double decision_margin) {
  return std::make_shared<PrisonersDilemma>(decision_margin);
}

}  // namespace geosim::agents
