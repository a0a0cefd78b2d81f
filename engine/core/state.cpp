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

// Row i's pairs (i, j > i): it writes both (i, j) and (j, i), so no entry has two writers.
// (Flattened, so that the four-lane square root is inlined.)
[[gnu::flatten]] void interaction_row_baseline(InteractionPairs& pairs) {
  lanes::for_each_group<lanes::Doubles2>(pairs.i + 1, pairs.state.agents(), pairs);
}
GEOSIM_AVX2 [[gnu::flatten]] void interaction_row_avx2(InteractionPairs& pairs) {
  lanes::for_each_group<lanes::Doubles4>(pairs.i + 1, pairs.state.agents(), pairs);
}

// MODEL.md P1, default attention of the rows i[0], ..., i[kRows - 1], for j = first, ... (one
// per lane): d_ij into out[r] and each row's running sum over j in order. Rows side by side
// (each with its own sum, in its own order) let the processor overlap their chains of additions.
template <int kRows> struct AttentionWeights {
  const WorldState& state;
  int i[kRows];
  double trade_total[kRows];
  double* out[kRows];
  double total[kRows] = {};

  template <class Lane> [[gnu::always_inline]] inline void run(int first) {
    using namespace lanes;
    for (int r = 0; r < kRows; ++r) {
      const Lane e = load<Lane>(state.e.row(i[r]).data() + first);
      const Lane A = load<Lane>(state.A.row(i[r]).data() + first);
      const Lane d = (state.params.attention_floor + e / trade_total[r]) * (1.0 + A) / 2.0;
      const Lane kept = zero_lane_of(d, first, i[r]);
      store(out[r] + first, kept);
      for (int lane = 0; lane < kWidth<Lane>; ++lane) total[r] += lane_of(kept, lane);
    }
  }
};

// Then normalised over j != i (uniform when every d_ij is 0).
template <int kRows> struct AttentionShares {
  int i[kRows];
  double total[kRows];
  double uniform;  ///< 1 / (N - 1)
  double* out[kRows];

  template <class Lane> [[gnu::always_inline]] inline void run(int first) {
    using namespace lanes;
    for (int r = 0; r < kRows; ++r) {
      const Lane d = load<Lane>(out[r] + first);
      const Lane share = total[r] > 0 ? d / total[r] : splat<Lane>(uniform);
      store(out[r] + first, zero_lane_of(share, first, i[r]));
    }
  }
};

template <class Lane, int kRows>
[[gnu::always_inline]] inline void attention_in(const WorldState& state, const AgentIndex (&i)[kRows], double* const (&out)[kRows]) {
  const int n = state.agents();
  AttentionWeights<kRows> weights{state, {}, {}, {}};
  for (int r = 0; r < kRows; ++r) {
    weights.i[r] = i[r];
    weights.trade_total[r] = std::max(1e-12, state.e.row(i[r]).sum() - state.e(i[r], i[r]));
    weights.out[r] = out[r];
  }
  lanes::for_each_group<Lane>(0, n, weights);
  AttentionShares<kRows> shares{{}, {}, 1.0 / (n - 1), {}};
  for (int r = 0; r < kRows; ++r) {
    shares.i[r] = i[r];
    shares.total[r] = weights.total[r];
    shares.out[r] = out[r];
  }
  lanes::for_each_group<Lane>(0, n, shares);
}

void attention_baseline(const WorldState& state, AgentIndex i, double* out) { attention_in<lanes::Doubles2, 1>(state, {i}, {out}); }
GEOSIM_AVX2 void attention_avx2(const WorldState& state, AgentIndex i, double* out) {
  attention_in<lanes::Doubles4, 1>(state, {i}, {out});
}
void attention_pair_baseline(const WorldState& state, AgentIndex i, AgentIndex k, double* out_i, double* out_k) {
  attention_in<lanes::Doubles2, 2>(state, {i, k}, {out_i, out_k});
}
GEOSIM_AVX2 void attention_pair_avx2(const WorldState& state, AgentIndex i, AgentIndex k, double* out_i, double* out_k) {
  attention_in<lanes::Doubles4, 2>(state, {i, k}, {out_i, out_k});
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

// MODEL.md P1, default attention: formula letters (i, j, m) as in the text (AttentionWeights,
// AttentionShares).
void default_attention(const WorldState& state, AgentIndex i, Eigen::Ref<RowVector> out) {
  if (cpu_has_avx2()) {
    attention_avx2(state, i, out.data());
  } else {
    attention_baseline(state, i, out.data());
  }
}

// Two rows of default_attention at once: the same bits as two calls.
void default_attention_pair(const WorldState& state, AgentIndex i, AgentIndex k, Eigen::Ref<RowVector> out_i, Eigen::Ref<RowVector> out_k) {
  if (cpu_has_avx2()) {
    attention_pair_avx2(state, i, k, out_i.data(), out_k.data());
  } else {
    attention_pair_baseline(state, i, k, out_i.data(), out_k.data());
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
  for_each_index(n, [&](int i) {
    scratch.w(i, i) = 0;
    scratch.h(i, i) = 0;
    InteractionPairs pairs{state, inverse_size, members, scratch, i};
    if (wide) {
      interaction_row_avx2(pairs);
    } else {
      interaction_row_baseline(pairs);
    }
  });
}

}  // namespace geosim
