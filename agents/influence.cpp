#include <algorithm>
#include <type_traits>

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

// What P5 reads, row-major as the state holds it.
struct Inputs {
  int n = 0;
  int issues = 0;
  double omega = 0;
  const double* chat = nullptr;  ///< capability shares
  const double* x = nullptr;  ///< x_jk at [j K + k]
  const double* s = nullptr;
  const Matrix* A = nullptr;
  const Matrix* h = nullptr;  ///< symmetric: h(j, i) = h(i, j)
  const WorldState* state = nullptr;
  Matrix* next = nullptr;
};

// MODEL.md P5 for the agents i = first, ..., first + lanes - 1 (one per lane) and the issues
// k = issue, ..., issue + kIssues - 1: formula letters as in the text. Each lane sums its
// total_ik and weighted_ik in the serial reference's order (the self term, then j = 0, 1, ...
// skipping j = i) with the reference's operations, v = ((chat_j s_jk) max(A_ij, 0)) h_ij, so
// every lane's bits are the reference's.
template <class Lane, int kIssues>
[[gnu::always_inline]] inline void update_issues(const Inputs& in, int first, int issue) {
  constexpr int width = kWidth<Lane>;
  const std::size_t issues = static_cast<std::size_t>(in.issues);
  Lane total[kIssues], weighted[kIssues];
  for (int k = 0; k < kIssues; ++k) {
    auto at = [&](int lane) { return static_cast<std::size_t>(first + lane) * issues + static_cast<std::size_t>(issue + k); };
    total[k] = lanes_of<Lane>([&](int lane) { return in.omega * in.chat[first + lane] * in.s[at(lane)]; });
    weighted[k] = total[k] * lanes_of<Lane>([&](int lane) { return in.x[at(lane)]; });
  }
  const Matrix& A = *in.A;
  auto add_partner = [&](int j, auto is_self) {
    const Lane positive = lanes_of<Lane>([&](int lane) { return std::max(A(first + lane, j), 0.0); });
    const Lane intensity = load<Lane>(in.h->row(j).data() + first);
    for (int k = 0; k < kIssues; ++k) {
      const std::size_t at = static_cast<std::size_t>(j) * issues + static_cast<std::size_t>(issue + k);
      const Lane v = in.chat[j] * in.s[at] * positive * intensity;
      const Lane more_total = total[k] + v;
      const Lane more_weighted = weighted[k] + v * in.x[at];
      if constexpr (std::is_same_v<decltype(is_self), bool>) {
        total[k] = more_total;
        weighted[k] = more_weighted;
      } else {
        total[k] = select(is_self, total[k], more_total);
        weighted[k] = select(is_self, weighted[k], more_weighted);
      }
    }
  };
  for (int j = 0; j < first; ++j) add_partner(j, false);
  for (int j = first; j < first + width; ++j) {
    // The lane whose agent is j skips it (j != i in the sum).
    if constexpr (width == 1) {
      continue;
    } else {
      const Lane agent = lanes_of<Lane>([&](int lane) { return static_cast<double>(first + lane); });
      add_partner(j, agent == static_cast<double>(j));
    }
  }
  for (int j = first + width; j < in.n; ++j) add_partner(j, false);
  const WorldState& state = *in.state;
  for (int k = 0; k < kIssues; ++k) {
    const Lane totals = total[k], quotients = weighted[k] / totals;
    for (int lane = 0; lane < width; ++lane) {
      const int i = first + lane;
      const double social = lane_of(totals, lane) > 0 ? lane_of(quotients, lane) : state.x(i, issue + k);
      (*in.next)(i, issue + k) = state.lam(i) * social + (1 - state.lam(i)) * state.x0(i, issue + k);
    }
  }
}

// All issues of the agents [first, first + lanes), four issues at a time.
template <class Lane> [[gnu::always_inline]] inline void update_group(const Inputs& in, int first) {
  int issue = 0;
  for (; issue + 4 <= in.issues; issue += 4) update_issues<Lane, 4>(in, first, issue);
  switch (in.issues - issue) {
    case 3: update_issues<Lane, 3>(in, first, issue); break;
    case 2: update_issues<Lane, 2>(in, first, issue); break;
    case 1: update_issues<Lane, 1>(in, first, issue); break;
    default: break;
  }
}

// The agents [first, first + rows), groups of agents overlapping at the block's end
// (for_each_overlapping_group: an agent computed twice is computed to the same bits).
struct AgentGroups {
  const Inputs& in;
  template <class Lane> [[gnu::always_inline]] inline void run(int first) { update_group<Lane>(in, first); }
};

template <class Lane> [[gnu::always_inline]] inline void update_rows_in(const Inputs& in, int first, int rows) {
  AgentGroups groups{in};
  for_each_overlapping_group<Lane>(first, first + rows, groups);
}

// Two lanes (every processor) and four (AVX2, where cpu_has_avx2()): the same bits.
void update_rows_baseline(const Inputs& in, int first, int rows) { update_rows_in<Doubles2>(in, first, rows); }
GEOSIM_AVX2 void update_rows_avx2(const Inputs& in, int first, int rows) { update_rows_in<Doubles4>(in, first, rows); }

class FriedkinJohnsen final : public Rule {
 public:
  std::string_view name() const override { return "friedkin_johnsen"; }

  // MODEL.md P5, per issue k, with agents in vector lanes (update_issues). Large worlds run row
  // blocks on oneTBB's threads: each agent's row of the new positions is its own.
  void apply(TickContext& context) const override {
    WorldState& state = context.state;
    const int n = state.agents();
    std::vector<double>& shares = context.scratch.lanes_out;
    if (shares.size() < static_cast<std::size_t>(n)) shares.resize(static_cast<std::size_t>(n));
    Eigen::Map<Vector> chat(shares.data(), n);
    chat = state.c / state.c.sum();  // as WorldState::capability_share(), without allocating
    Inputs in;
    in.n = n;
    in.issues = state.issues();
    in.omega = state.params.self_weight;
    in.chat = shares.data();
    in.x = state.x.data();
    in.s = state.s.data();
    in.A = &state.A;
    in.h = &context.scratch.h;
    in.state = &state;
    in.next = &context.scratch.next_positions;
    const bool wide = cpu_has_avx2();
    for_each_row_block(n, [&](int, int first, int rows) {
      if (wide) {
        update_rows_avx2(in, first, rows);
      } else {
        update_rows_baseline(in, first, rows);
      }
    });
    state.x.swap(context.scratch.next_positions);
  }
};

}  // namespace

std::shared_ptr<const Rule> make_friedkin_johnsen() { return std::make_shared<FriedkinJohnsen>(); }

}  // namespace geosim::agents
