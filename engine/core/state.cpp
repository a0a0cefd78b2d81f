#include "geosim/state.h"

#include <algorithm>
#include <cmath>

#include "geosim/lanes.h"
#include "geosim/parallel.h"
#include "geosim/simd.h"

// The four-lane code is inlined into the AVX2 functions only (see geosim/logistic.h).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

namespace geosim {
namespace {

Matrix square_from(const std::vector<double>& values, int n) {
  Matrix m(n, n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) m(i, j) = values[static_cast<std::size_t>(i * n + j)];
  }
  return m;
}

void fill_agents(const ScenarioSpec& spec, WorldState& state) {
  const int n = spec.agent_count();
  const int k = spec.issue_count();
  state.x.resize(n, k);
  state.x0.resize(n, k);
  state.s.resize(n, k);
  state.c.resize(n);
  state.lam.resize(n);
  state.g.resize(n);
  for (int agent = 0; agent < n; ++agent) {
    const AgentSpec& a = spec.agents[static_cast<std::size_t>(agent)];
    for (int issue = 0; issue < k; ++issue) {
      const InterestSpec& interest = a.interests[static_cast<std::size_t>(issue)];
      state.x(agent, issue) = interest.position;
      state.x0(agent, issue) = interest.anchor;
      state.s(agent, issue) = interest.salience;
    }
    state.c(agent) = a.capability;
    state.lam(agent) = a.susceptibility;
    state.g(agent) = a.growth;
    state.capital.push_back(a.capital);
  }
}

void fill_institutions(const ScenarioSpec& spec, WorldState& state) {
  state.M = Matrix::Zero(spec.agent_count(), static_cast<Eigen::Index>(spec.institutions.size()));
  for (std::size_t g = 0; g < spec.institutions.size(); ++g) {
    for (AgentIndex member : spec.institutions[g].members) {
      state.M(member, static_cast<Eigen::Index>(g)) = 1.0;
    }
  }
}

void fill_regions(const ScenarioSpec& spec, WorldState& state) {
  const auto r = static_cast<Eigen::Index>(spec.regions.size());
  state.S = Matrix::Zero(r, spec.agent_count());
  state.q.resize(r);
  for (Eigen::Index region = 0; region < r; ++region) {
    const RegionSpec& spec_region = spec.regions[static_cast<std::size_t>(region)];
    for (int agent = 0; agent < spec.agent_count(); ++agent) {
      state.S(region, agent) = spec_region.stock[static_cast<std::size_t>(agent)];
    }
    state.q(region) = spec_region.climate;
    state.host.push_back(spec_region.host);
  }
}

// MODEL.md P2 for the pairs (i, j), j = first, ..., first + lanes - 1, one per lane: formula
// letters as in the text, each shared-institution sum in the order g = 0, 1, ..., with the serial
// formula's operations in its order (the same bits at every lane width).
struct InteractionPairs {
  const WorldState& state;
  const double* inverse_size;  ///< 1 / n_g
  const double* members;  ///< M_jg at [g N + j]
  TickScratch& scratch;
  int i;

  template <class Lane> [[gnu::always_inline]] inline void run(int first) {
    using namespace lanes;
    const int n = state.agents();
    const auto groups = state.M.cols();
    Lane shared{};
    for (Eigen::Index g = 0; g < groups; ++g) {
      shared += state.M(i, g) * load<Lane>(members + g * n + first) * inverse_size[g];
    }
    const Lane a_ij = load<Lane>(state.a.row(i).data() + first);
    const Lane a_ji = lanes_of<Lane>([&](int lane) { return state.a(first + lane, i); });
    const Lane w = square_root(a_ij * a_ji) + state.params.institution_weight * shared;
    const Lane h = w / (w + 1.0 / n);
    store(scratch.w.row(i).data() + first, w);
    store(scratch.h.row(i).data() + first, h);
    for (int lane = 0; lane < kWidth<Lane>; ++lane) {
      scratch.w(first + lane, i) = lane_of(w, lane);
      scratch.h(first + lane, i) = lane_of(h, lane);
    }
  }
};

// Rows i in [first, first + rows), each with its pairs (i, j > i): row i writes both (i, j) and
// (j, i), so no entry has two writers. (Flattened, so that the four-lane square root is inlined.)
template <class Lane> [[gnu::always_inline]] inline void interaction_rows_in(InteractionPairs& pairs, int first, int rows) {
  for (int i = first; i < first + rows; ++i) {
    pairs.scratch.w(i, i) = 0;
    pairs.scratch.h(i, i) = 0;
    pairs.i = i;
    lanes::for_each_group<Lane>(i + 1, pairs.state.agents(), pairs);
  }
}
[[gnu::flatten]] void interaction_rows_baseline(InteractionPairs& pairs, int first, int rows) {
  interaction_rows_in<lanes::Doubles2>(pairs, first, rows);
}
GEOSIM_AVX2 [[gnu::flatten]] void interaction_rows_avx2(InteractionPairs& pairs, int first, int rows) {
  interaction_rows_in<lanes::Doubles4>(pairs, first, rows);
}

// 1 / max(1e-12, value[r]) for r in [0, count) into inverse[r], `width` rows at a time (a lane's
// division gives the scalar one's bits); both arrays hold count rounded up to four.
template <class Lane> [[gnu::always_inline]] inline void inverses(const double* value, double* inverse, int count) {
  using namespace lanes;
  for (int r = 0; r < count; r += kWidth<Lane>) {
    const Lane v = load<Lane>(value + r), floor = splat<Lane>(1e-12);
    store(inverse + r, splat<Lane>(1.0) / larger(v, floor));
  }
}

// MODEL.md P1, default attention, for the rows i = first, ..., first + rows - 1 (rows <= kRowBlock)
// that take(i) selects, into out(i) (the row's n entries): formula letters as in the text. Every
// sum over a row is a partial_sum (lanes.h, four interleaved partial sums), and divisions by a
// row's total are multiplications by its reciprocal:
//   t_i = sum_{m != i} e_im,  d_ij = (eps_a + e_ij (1 / max(1e-12, t_i))) (1 + A_ij) / 2,
//   a*_ij = d_ij (1 / sum_j d_ij), or 1 / (N - 1) when that sum is 0; a*_ii = 0.
// With `blend`, out(i) gets (1 - gamma) a_ij + gamma a*_ij instead of a*_ij. Each pass runs over
// all the rows, which are independent, so their chains of operations overlap.
template <class Lane, class Take, class Out>
[[gnu::always_inline]] inline void attention_rows(const WorldState& state, int first, int rows, Take take, Out out, bool blend) {
  using namespace lanes;
  constexpr int width = kWidth<Lane>;
  const int n = state.agents();
  alignas(32) double trade[kRowBlock], inverse_trade[kRowBlock], total[kRowBlock], inverse_total[kRowBlock];
  const int padded = (rows + 3) / 4 * 4;
  std::fill(trade, trade + padded, 1.0);
  std::fill(total, total + padded, 1.0);
  const Lane index = lanes_of<Lane>([](int lane) { return static_cast<double>(lane); });
  // Lanes j >= n of a group that ends past the row hold 0.
  const auto inside = [&](Lane v, int from, bool whole) {
    return whole ? v : select(index + static_cast<double>(from) < static_cast<double>(n), v, Lane{});
  };
  for (int r = 0; r < rows; ++r) {
    const int i = first + r;
    if (!take(i)) continue;
    trade[r] = row_sum<Lane>(0, n, [&](int from, bool whole) __attribute__((always_inline)) {
      return zero_lane_of(row_lane<Lane>(state.e.row(i).data(), from, n, whole), from, i);
    });
  }
  inverses<Lane>(trade, inverse_trade, rows);
  for (int r = 0; r < rows; ++r) {
    const int i = first + r;
    if (!take(i)) continue;
    double* row = out(i);
    total[r] = row_sum<Lane>(0, n, [&](int from, bool whole) __attribute__((always_inline)) {
      const Lane e = row_lane<Lane>(state.e.row(i).data(), from, n, whole);
      const Lane A = row_lane<Lane>(state.A.row(i).data(), from, n, whole);
      const Lane d = inside(zero_lane_of((state.params.attention_floor + e * inverse_trade[r]) * (1.0 + A) / 2.0, from, i), from, whole);
      store_row_lane(row, from, n, whole, d);
      return d;
    });
  }
  for (int r = 0; r < rows; r += width) store(inverse_total + r, splat<Lane>(1.0) / load<Lane>(total + r));
  const double uniform = 1.0 / (n - 1);
  const double gamma = state.params.engagement_rate;
  for (int r = 0; r < rows; ++r) {
    const int i = first + r;
    if (!take(i)) continue;
    double* row = out(i);
    for_each_part<Lane>(0, n, [&](int, int from, bool whole) __attribute__((always_inline)) {
      const Lane d = row_lane<Lane>(row, from, n, whole);
      Lane share = zero_lane_of(total[r] > 0 ? d * inverse_total[r] : splat<Lane>(uniform), from, i);
      if (blend) share = (1.0 - gamma) * row_lane<Lane>(state.a.row(i).data(), from, n, whole) + gamma * share;
      store_row_lane(row, from, n, whole, share);
    });
  }
}

struct Everyone {
  bool operator()(int) const { return true; }
};
struct RowOf {
  double* out;
  double* operator()(int) const { return out; }
};
// Agents without a pivot, into their rows of `next`.
struct DefaultOnly {
  const WorldState& state;
  bool operator()(int i) const { return state.pivot[static_cast<std::size_t>(i)].empty(); }
};
struct NextRow {
  Matrix& next;
  double* operator()(int i) const { return next.row(i).data(); }
};

void attention_baseline(const WorldState& state, AgentIndex i, double* out) {
  attention_rows<lanes::Doubles2>(state, i, 1, Everyone{}, RowOf{out}, false);
}
GEOSIM_AVX2 [[gnu::flatten]] void attention_avx2(const WorldState& state, AgentIndex i, double* out) {
  attention_rows<lanes::Doubles4>(state, i, 1, Everyone{}, RowOf{out}, false);
}
void engagement_baseline(const WorldState& state, int first, int rows, Matrix& next) {
  attention_rows<lanes::Doubles2>(state, first, rows, DefaultOnly{state}, NextRow{next}, true);
}
GEOSIM_AVX2 [[gnu::flatten]] void engagement_avx2(const WorldState& state, int first, int rows, Matrix& next) {
  attention_rows<lanes::Doubles4>(state, first, rows, DefaultOnly{state}, NextRow{next}, true);
}

}  // namespace

TickScratch::TickScratch(int agents, int issues)
    : w(Matrix::Zero(agents, agents)),
      h(Matrix::Zero(agents, agents)),
      o(Matrix::Zero(agents, agents)),
      X(Matrix::Zero(agents, agents)),
      next(Matrix::Zero(agents, agents)),
      next_positions(Matrix::Zero(agents, issues)),
      // P3 puts the positions, the saliences and exp(+-beta x) issue-major in `lanes_out`.
      lanes(2 * static_cast<std::size_t>(std::max(agents, 1)) * static_cast<std::size_t>(std::max(issues, 1))),
      lanes_out(4 * static_cast<std::size_t>(std::max(agents, 1)) * static_cast<std::size_t>(std::max(issues, 1))) {}

WorldState make_initial_state(const ScenarioSpec& spec) {
  WorldState state;
  const int n = spec.agent_count();
  fill_agents(spec, state);
  state.A = square_from(spec.initial_affinity, n);
  state.A0 = square_from(spec.affinity0, n);
  state.e = square_from(spec.trade, n);
  fill_institutions(spec, state);
  fill_regions(spec, state);
  state.pivot.resize(static_cast<std::size_t>(n));
  state.hazard_fired.assign(spec.events.size(), 0);
  state.params = spec.params;
  state.a = Matrix::Zero(n, n);
  for (int agent = 0; agent < n; ++agent) default_attention(state, agent, state.a.row(agent));
  return state;
}

// MODEL.md P1, default attention: formula letters (i, j, m) as in the text (attention_rows).
void default_attention(const WorldState& state, AgentIndex i, Eigen::Ref<RowVector> out) {
  if (cpu_has_avx2()) {
    attention_avx2(state, i, out.data());
  } else {
    attention_baseline(state, i, out.data());
  }
}

void default_engagement(const WorldState& state, int first, int rows, Matrix& next) {
  if (cpu_has_avx2()) {
    engagement_avx2(state, first, rows, next);
  } else {
    engagement_baseline(state, first, rows, next);
  }
}

// MODEL.md P2: formula letters as in the text. Row i computes the pairs (i, j > i) and writes
// both (i, j) and (j, i): no entry has two writers, so large worlds run the rows in parallel.
void compute_interaction(const WorldState& state, TickScratch& scratch) {
  const int n = state.agents();
  const auto groups = state.M.cols();
  // 1 / n_g, then M group-major (M_jg contiguous in j), in the scratch lanes: a tick allocates
  // nothing once they have their size.
  const std::size_t cells = static_cast<std::size_t>(groups) * static_cast<std::size_t>(n);
  if (scratch.lanes.size() < static_cast<std::size_t>(groups) + cells) scratch.lanes.resize(static_cast<std::size_t>(groups) + cells);
  double* inverse_size = scratch.lanes.data();
  double* members = inverse_size + groups;
  for (Eigen::Index g = 0; g < groups; ++g) {
    const double count = state.M.col(g).sum();
    inverse_size[g] = count > 0 ? 1.0 / count : 0.0;
    for (int j = 0; j < n; ++j) members[g * n + j] = state.M(j, g);
  }
  const bool wide = cpu_has_avx2();
  const auto rows = [&](int first, int count) {
    InteractionPairs pairs{state, inverse_size, members, scratch, first};
    if (wide) {
      interaction_rows_avx2(pairs, first, count);
    } else {
      interaction_rows_baseline(pairs, first, count);
    }
  };
  // Small worlds in one call; large ones row by row in parallel (rows of unequal length, so
  // small tasks balance the threads).
  if (n < kParallelAgentsFrom) {
    rows(0, n);
  } else {
    for_each_index(n, [&](int i) { rows(i, 1); });
  }
}

}  // namespace geosim
