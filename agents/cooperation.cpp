#include "geosim/lanes.h"
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

// What agent i's row of P3 (the pairs (i, j > i)) reads, with j contiguous in every array.
struct Row {
  int i = 0;
  int n = 0;
  int issues = 0;
  double steepness = 0, threshold = 0, affinity_weight = 0;  ///< beta, theta, kappa
  const double* x_i = nullptr;  ///< x_ik over k
  const double* s_i = nullptr;  ///< s_ik over k
  const double* x_by_issue = nullptr;  ///< x_jk at [k n + j]
  const double* s_by_issue = nullptr;  ///< s_jk at [k n + j]
  const double* a_ij = nullptr;  ///< A_ij over j (row i of A)
  const Matrix* A = nullptr;  ///< for A_ji (column i)
  const double* draws = nullptr;  ///< stochastic mode: uniform2_row's draws for j > i
};

// MODEL.md P3 for the pairs (i, j), j = first, ..., first + lanes - 1, one pair per lane:
// formula letters as in the text, each lane the same operations in the same order, so the bits
// do not depend on the lane width. The issues are summed in order k = 0, 1, ...
// - Expected mode: with p = n_i / D_i, 1 - p = c_i / D_i (logistic_parts) and r = 1 / (D_i D_j),
//   m = n_i n_j r, d = c_i c_j r, x_ij = n_i c_j r, x_ji = n_j c_i r: one division per
//   dyad-issue instead of two, and no cancellation in 1 - p. Within a few units in the last
//   place of the products of the propensities logistic(z); o and X within 1e-14 of the serial
//   reference (tested).
// - Stochastic mode: the propensities p = n / D are logistic(z) to the bit, and the decisions
//   (u < p) are the serial reference's; the 0/1 outcomes (C,C), (D,D), (C,D) are exact.
template <class Lane, bool kDrawn>
[[gnu::always_inline]] inline void play_pairs(const Row& row, int first, double* o_row, double* X_row, Matrix& o, Matrix& X) {
  const Lane zero{};
  const Lane one = zero + 1.0;
  const Lane a_ij = load<Lane>(row.a_ij + first);
  const Lane a_ji = lanes_of<Lane>([&](int lane) { return (*row.A)(first + lane, row.i); });
  Lane net = zero, exploited_i = zero, exploited_j = zero;
  for (int k = 0; k < row.issues; ++k) {
    const std::size_t column = static_cast<std::size_t>(k) * static_cast<std::size_t>(row.n) + static_cast<std::size_t>(first);
    const Lane u = 1.0 - magnitude<Lane>(row.x_i[k] - load<Lane>(row.x_by_issue + column));
    const auto part_i = logistic_detail::logistic_parts<Lane>(row.steepness * (u - row.threshold) + row.affinity_weight * a_ij);
    const auto part_j = logistic_detail::logistic_parts<Lane>(row.steepness * (u - row.threshold) + row.affinity_weight * a_ji);
    const Lane sig = (row.s_i[k] + load<Lane>(row.s_by_issue + column)) / 2.0;
    if constexpr (kDrawn) {
      // Draws at 2 ((j - i - 1) K + k) (i's) and the next (j's): Rng::uniform2_row's layout.
      const std::size_t stride = 2 * static_cast<std::size_t>(row.issues);
      const double* draw = row.draws + stride * static_cast<std::size_t>(first - row.i - 1) + 2 * static_cast<std::size_t>(k);
      const Lane u_i = lanes_of<Lane>([&](int lane) { return draw[static_cast<std::size_t>(lane) * stride]; });
      const Lane u_j = lanes_of<Lane>([&](int lane) { return draw[static_cast<std::size_t>(lane) * stride + 1]; });
      const Lane c_i = select(u_i < part_i.numerator / part_i.denominator, one, zero);
      const Lane c_j = select(u_j < part_j.numerator / part_j.denominator, one, zero);
      net += sig * (c_i * c_j - (1.0 - c_i) * (1.0 - c_j));
      exploited_i += sig * (c_i * (1.0 - c_j));
      exploited_j += sig * (c_j * (1.0 - c_i));
    } else {
      const Lane r = one / (part_i.denominator * part_j.denominator);
      const Lane mutual = part_i.numerator * part_j.numerator * r;
      const Lane defection = part_i.complement * part_j.complement * r;
      net += sig * (mutual - defection);
      exploited_i += sig * (part_i.numerator * part_j.complement * r);
      exploited_j += sig * (part_j.numerator * part_i.complement * r);
    }
  }
  store(o_row + first, net);
  store(X_row + first, exploited_i);
  for (int lane = 0; lane < kWidth<Lane>; ++lane) {
    o(first + lane, row.i) = lane_of(net, lane);
    X(first + lane, row.i) = lane_of(exploited_j, lane);
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
  if (row.draws != nullptr) {
    RowPairs<true> pairs{row, o_row, X_row, o, X};
    for_each_overlapping_group<Lane>(row.i + 1, row.n, pairs);
  } else {
    RowPairs<false> pairs{row, o_row, X_row, o, X};
    for_each_overlapping_group<Lane>(row.i + 1, row.n, pairs);
  }
}

// Two lanes (every processor) and four (AVX2, where cpu_has_avx2()): the same bits.
void play_row_baseline(const Row& row, Matrix& o, Matrix& X) { play_row_as<Doubles2>(row, o, X); }
GEOSIM_AVX2 void play_row_avx2(const Row& row, Matrix& o, Matrix& X) { play_row_as<Doubles4>(row, o, X); }

// MODEL.md P3. Agent i's row plays the pairs (i, j > i) with j in vector lanes. Positions and
// saliences are first copied issue-major (x_jk contiguous in j) for all rows; in stochastic
// mode each row draws its dyad-issues at once (Rng::uniform2_row, bit for bit Rng::uniform2)
// into its own lanes.
class PrisonersDilemma final : public Rule {
 public:
  std::string_view name() const override { return "prisoners_dilemma"; }

  // Rows are independent (row i writes the pairs (i, j > i) only): large worlds play them in
  // parallel, each with its own lanes.
  void apply(TickContext& context) const override {
    const WorldState& state = context.state;
    const int n = state.agents();
    const int issues = state.issues();
    const std::size_t cells = static_cast<std::size_t>(n) * static_cast<std::size_t>(issues);
    std::vector<double>& by_issue = context.scratch.lanes_out;
    if (by_issue.size() < 2 * cells) by_issue.resize(2 * cells);
    for (int j = 0; j < n; ++j) {
      for (int k = 0; k < issues; ++k) {
        by_issue[static_cast<std::size_t>(k) * static_cast<std::size_t>(n) + static_cast<std::size_t>(j)] = state.x(j, k);
        by_issue[cells + static_cast<std::size_t>(k) * static_cast<std::size_t>(n) + static_cast<std::size_t>(j)] = state.s(j, k);
      }
    }
    // Per row: 2 draws per dyad-issue.
    if (context.scratch.lanes.size() < 2 * cells) context.scratch.lanes.resize(2 * cells);
    const bool wide = cpu_has_avx2();
    for_each_agent(n, context.scratch.lanes, [&](int i, double* lanes) {
      if (i + 1 >= n) return;
      Row row;
      row.i = i;
      row.n = n;
      row.issues = issues;
      row.steepness = state.params.coop_steepness;
      row.threshold = state.params.coop_threshold;
      row.affinity_weight = state.params.coop_affinity_weight;
      row.x_i = state.x.row(i).data();
      row.s_i = state.s.row(i).data();
      row.x_by_issue = by_issue.data();
      row.s_by_issue = by_issue.data() + cells;
      row.a_ij = state.A.row(i).data();
      row.A = &state.A;
      if (context.mode == Mode::kStochastic) {
        context.rng.uniform2_row(static_cast<std::uint32_t>(context.tick), Stream::kCooperation, static_cast<std::uint32_t>(i),
                                 static_cast<std::uint32_t>(i + 1), static_cast<std::uint32_t>(n),
                                 static_cast<std::uint32_t>(issues), lanes);
        row.draws = lanes;
      }
      if (wide) {
        play_row_avx2(row, context.scratch.o, context.scratch.X);
      } else {
        play_row_baseline(row, context.scratch.o, context.scratch.X);
      }
    });
  }
};

}  // namespace

std::shared_ptr<const Rule> make_prisoners_dilemma() { return std::make_shared<PrisonersDilemma>(); }

}  // namespace geosim::agents
