#include <algorithm>

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

// What P5 reads. `weight` and `position` are K x stride tables, issue by issue, zero past
// agent n - 1 (stride: n rounded up to a multiple of four).
struct Inputs {
  int n = 0;
  int issues = 0;
  int stride = 0;
  double omega = 0;
  const double* chat = nullptr;      ///< capability shares
  const double* weight = nullptr;    ///< chat_j s_jk at [k stride + j]
  const double* position = nullptr;  ///< x_jk at [k stride + j]
  const Matrix* A = nullptr;
  const Matrix* h = nullptr;
  const WorldState* state = nullptr;
  Matrix* next = nullptr;
};

// max(A_ij, 0) h_ij for the partners j = group, ..., group + 3 of row i (as std::max(A_ij, 0.0)
// takes it), 0 for j = i and for j >= n.
template <class Lane> [[gnu::always_inline]] inline void partner_factors(const Inputs& in, int i, int group, Lane (&f)[kParts<Lane>]) {
  constexpr int width = kWidth<Lane>;
  const double* a = in.A->row(i).data();
  const double* h = in.h->row(i).data();
  for (int part = 0; part < kParts<Lane>; ++part) {
    const int j = group + part * width;
    const bool whole = group + 4 <= in.n;
    const Lane affinity = row_lane<Lane>(a, j, in.n, whole), intensity = row_lane<Lane>(h, j, in.n, whole);
    f[part] = zero_lane_of(larger(Lane{}, affinity) * intensity, j, i);
  }
}

// The partial_sum of the issues k, ..., k + width - 1, one per lane (the lanes' partial sums
// transposed by shuffles, then added in partial_sum's order).
template <class Lane, int kIssues>
[[gnu::always_inline]] inline Lane issue_sums(const Lane (&sums)[kIssues][kParts<Lane>], int k) {
  if constexpr (kWidth<Lane> == 4) {
    const Lane first = __builtin_shufflevector(sums[k][0], sums[k + 1][0], 0, 4, 2, 6) +
                       __builtin_shufflevector(sums[k][0], sums[k + 1][0], 1, 5, 3, 7);
    const Lane second = __builtin_shufflevector(sums[k + 2][0], sums[k + 3][0], 0, 4, 2, 6) +
                        __builtin_shufflevector(sums[k + 2][0], sums[k + 3][0], 1, 5, 3, 7);
    return __builtin_shufflevector(first, second, 0, 1, 4, 5) + __builtin_shufflevector(first, second, 2, 3, 6, 7);
  } else {
    static_assert(kWidth<Lane> == 2);
    const Lane low = __builtin_shufflevector(sums[k][0], sums[k + 1][0], 0, 2) +
                     __builtin_shufflevector(sums[k][0], sums[k + 1][0], 1, 3);
    const Lane high = __builtin_shufflevector(sums[k][1], sums[k + 1][1], 0, 2) +
                      __builtin_shufflevector(sums[k][1], sums[k + 1][1], 1, 3);
    return low + high;
  }
}

// MODEL.md P5 for agent i and the issues k = issue, ..., issue + kIssues - 1: formula letters as
// in the text, with v_ijk = (chat_j s_jk) (max(A_ij, 0) h_ij). The sums over j != i are taken in
// four interleaved partial sums (partial r over j = r mod 4, in increasing j), added as
// (p0 + p1) + (p2 + p3) and then to the self term omega chat_i s_ik (times x_ik for the
// weighted sum): the same bits whatever the lane width.
template <class Lane, int kIssues>
[[gnu::always_inline]] inline void update_issues(const Inputs& in, int i, int issue) {
  constexpr int width = kWidth<Lane>;
  constexpr int parts = kParts<Lane>;
  Lane total[kIssues][parts], weighted[kIssues][parts];
  for (int k = 0; k < kIssues; ++k) {
    for (int part = 0; part < parts; ++part) total[k][part] = weighted[k][part] = splat<Lane>(0.0);
  }
  for (int group = 0; group < in.n; group += 4) {
    Lane f[parts];
    partner_factors(in, i, group, f);
    for (int k = 0; k < kIssues; ++k) {
      const std::size_t row = static_cast<std::size_t>(issue + k) * static_cast<std::size_t>(in.stride);
      for (int part = 0; part < parts; ++part) {
        const std::size_t at = row + static_cast<std::size_t>(group + part * width);
        const Lane v = load<Lane>(in.weight + at) * f[part];
        total[k][part] += v;
        weighted[k][part] += v * load<Lane>(in.position + at);
      }
    }
  }
  const WorldState& state = *in.state;
  const double own = in.omega * in.chat[i];
  const double keep = state.lam(i), anchor = 1 - state.lam(i);
  int k = 0;
  if constexpr (width > 1) {
    // `width` issues at a time, one per lane.
    const double* s = state.s.row(i).data() + issue;
    const double* x = state.x.row(i).data() + issue;
    const double* x0 = state.x0.row(i).data() + issue;
    double* next = in.next->row(i).data() + issue;
    for (; k + width <= kIssues; k += width) {
      const Lane self = splat<Lane>(own) * load<Lane>(s + k), current = load<Lane>(x + k);
      const Lane sum = self + issue_sums(total, k), weighted_sum = self * current + issue_sums(weighted, k);
      const Lane social = select(sum > 0.0, weighted_sum / sum, current);
      store(next + k, splat<Lane>(keep) * social + splat<Lane>(anchor) * load<Lane>(x0 + k));
    }
  }
  for (; k < kIssues; ++k) {
    const double self = own * state.s(i, issue + k);
    const double sum = self + partial_sum(total[k]);
    const double weighted_sum = self * state.x(i, issue + k) + partial_sum(weighted[k]);
    const double social = sum > 0 ? weighted_sum / sum : state.x(i, issue + k);
    (*in.next)(i, issue + k) = keep * social + anchor * state.x0(i, issue + k);
  }
}

// All issues of agent i: up to six at once (their sums stay in registers), else four at a time.
template <class Lane> [[gnu::always_inline]] inline void update_row(const Inputs& in, int i) {
  int issue = 0;
  if (in.issues > 6) {
    for (; issue + 4 <= in.issues; issue += 4) update_issues<Lane, 4>(in, i, issue);
  }
  switch (in.issues - issue) {
    case 6: update_issues<Lane, 6>(in, i, issue); break;
    case 5: update_issues<Lane, 5>(in, i, issue); break;
    case 4: update_issues<Lane, 4>(in, i, issue); break;
    case 3: update_issues<Lane, 3>(in, i, issue); break;
    case 2: update_issues<Lane, 2>(in, i, issue); break;
    case 1: update_issues<Lane, 1>(in, i, issue); break;
    default: break;
  }
}

template <class Lane> [[gnu::always_inline]] inline void update_rows_in(const Inputs& in, int first, int rows) {
  for (int i = first; i < first + rows; ++i) update_row<Lane>(in, i);
}

// Two lanes (every processor) and four (AVX2, where cpu_has_avx2()): the same bits.
void update_rows_baseline(const Inputs& in, int first, int rows) { update_rows_in<Doubles2>(in, first, rows); }
GEOSIM_AVX2 [[gnu::flatten]] void update_rows_avx2(const Inputs& in, int first, int rows) { update_rows_in<Doubles4>(in, first, rows); }

class FriedkinJohnsen final : public Rule {
 public:
  std::string_view name() const override { return "friedkin_johnsen"; }

  // MODEL.md P5, per issue k, with agents in vector lanes (update_issues). Large worlds run row
  // blocks on oneTBB's threads: each agent's row of the new positions is its own.
  void apply(TickContext& context) const override {
    WorldState& state = context.state;
    const int n = state.agents();
    const int issues = state.issues();
    const int stride = (n + 3) / 4 * 4;
    // chat (n), then the K x stride tables of chat_j s_jk and x_jk, zero past n - 1.
    std::vector<double>& work = context.scratch.lanes_out;
    const std::size_t table = static_cast<std::size_t>(issues) * static_cast<std::size_t>(stride);
    if (work.size() < static_cast<std::size_t>(n) + 2 * table) work.resize(static_cast<std::size_t>(n) + 2 * table);
    Eigen::Map<Vector> chat(work.data(), n);
    chat = state.c / state.c.sum();  // as WorldState::capability_share(), without allocating
    double* weight = work.data() + n;
    double* position = weight + table;
    for (int j = 0; j < stride; ++j) {
      for (int k = 0; k < issues; ++k) {
        const std::size_t at = static_cast<std::size_t>(k) * static_cast<std::size_t>(stride) + static_cast<std::size_t>(j);
        weight[at] = j < n ? chat(j) * state.s(j, k) : 0.0;
        position[at] = j < n ? state.x(j, k) : 0.0;
      }
    }
    Inputs in;
    in.n = n;
    in.issues = issues;
    in.stride = stride;
    in.omega = state.params.self_weight;
    in.chat = work.data();
    in.weight = weight;
    in.position = position;
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
