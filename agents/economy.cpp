#include <algorithm>
#include <cmath>

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

bool contains(const std::vector<AgentIndex>& agents, AgentIndex agent) {
  return std::find(agents.begin(), agents.end(), agent) != agents.end();
}

// MODEL.md P6's trade growth for the pairs (i, j), j = first, ..., first + lanes - 1, one per
// lane: formula letters as in the text, the serial formula's operations in its order.
struct TradeGrowth {
  WorldState& state;
  int i;

  template <class Lane> [[gnu::always_inline]] inline void run(int first) {
    const Params& p = state.params;
    const Lane a_ji = lanes_of<Lane>([&](int lane) { return state.A(first + lane, i); });
    const Lane a0_ji = lanes_of<Lane>([&](int lane) { return state.A0(first + lane, i); });
    const Lane bar = (load<Lane>(state.A.row(i).data() + first) + a_ji) / 2.0;
    const Lane bar0 = (load<Lane>(state.A0.row(i).data() + first) + a0_ji) / 2.0;
    const Lane growth = 1.0 + p.trade_growth + p.trade_affinity * (bar - bar0);
    // std::max(0.0, growth), NaN included.
    const Lane factor = larger(growth, Lane{});
    const Lane trade = load<Lane>(state.e.row(i).data() + first) * factor;
    store(state.e.row(i).data() + first, trade);
    for (int lane = 0; lane < kWidth<Lane>; ++lane) state.e(first + lane, i) = lane_of(trade, lane);
  }
};

// The rows i in [first, first + count), each with its pairs (i, j > i).
template <class Lane> [[gnu::always_inline]] inline void grow_rows_in(WorldState& state, int first, int count) {
  for (int i = first; i < first + count; ++i) {
    TradeGrowth pairs{state, i};
    for_each_group<Lane>(i + 1, state.agents(), pairs);
  }
}
void grow_rows_baseline(WorldState& state, int first, int count) { grow_rows_in<Doubles2>(state, first, count); }
GEOSIM_AVX2 void grow_rows_avx2(WorldState& state, int first, int count) { grow_rows_in<Doubles4>(state, first, count); }

// MODEL.md P6, trade, for the rows i in [first, first + count) and their pairs (i, j > i)
// (TradeGrowth, in vector lanes). Row i writes e_ij and e_ji of its pairs only, and each entry
// gets the growth factor and then the sanctions in force in their order, as one pass over all
// pairs per factor would give it.
void grow_trade_rows(WorldState& state, int tick, int first, int count, bool wide) {
  const int n = state.agents();
  if (wide) {
    grow_rows_avx2(state, first, count);
  } else {
    grow_rows_baseline(state, first, count);
  }
  for (const ActiveSanction& sanction : state.sanctions) {
    if (sanction.until && tick >= *sanction.until) continue;
    for (int i = first; i < first + count; ++i) {
      for (int j = i + 1; j < n; ++j) {
        const bool applies = (contains(sanction.from, i) && contains(sanction.to, j)) ||
                             (contains(sanction.from, j) && contains(sanction.to, i));
        if (applies) state.e(i, j) = state.e(j, i) = state.e(i, j) * sanction.factor;
      }
    }
  }
}

// MODEL.md P6, investment in region r of the investors j = first, ..., first + lanes - 1, one
// per lane: formula letters as in the text (h the host), each lane the serial formula's
// operations in its order (the lanes' logistic is the scalar one's, geosim/logistic.h), and
// the host's own lane left as it was. S_rj depends on no other investor's flow.
struct Investment {
  WorldState& state;
  const double* chat;
  int r;

  template <class Lane> [[gnu::always_inline]] inline void run(int first) {
    const Params& p = state.params;
    const AgentIndex h = state.host[static_cast<std::size_t>(r)];
    Lane U{};
    for (int k = 0; k < state.issues(); ++k) {
      const Lane s = lanes_of<Lane>([&](int lane) { return state.s(first + lane, k); });
      const Lane x = lanes_of<Lane>([&](int lane) { return state.x(first + lane, k); });
      U += s * (1.0 - magnitude<Lane>(x - state.x(h, k)));
    }
    const Lane K = lanes_of<Lane>([&](int lane) {
      const auto& capital = state.capital[static_cast<std::size_t>(first + lane)];
      return capital ? *capital : p.capital_share * chat[first + lane];
    });
    const Lane affinity = lanes_of<Lane>([&](int lane) { return state.A(first + lane, h); });
    const Lane F = p.invest_rate * K * state.q(r) *
                   logistic_detail::logistic<Lane>(p.invest_steepness * (U - p.invest_threshold) + p.invest_affinity_weight * affinity);
    double* S = state.S.row(r).data() + first;
    const Lane stock = load<Lane>(S);
    store(S, kept_in_lane_of(stock, (1 - p.invest_depreciation) * stock + F, first, h));
  }

  // `updated`, with `kept`'s value in the lane of agent `index` (where it is one of them).
  template <class Lane> [[gnu::always_inline]] static inline Lane kept_in_lane_of(Lane kept, Lane updated, int first, int index) {
    if (index < first || index >= first + kWidth<Lane>) return updated;
    const Lane at = lanes_of<Lane>([&](int lane) { return static_cast<double>(first + lane); });
    return select(at == static_cast<double>(index), kept, updated);
  }
};

[[gnu::flatten]] void invest_baseline(Investment& investors, int first, int count) { for_each_group<Doubles2>(first, first + count, investors); }
GEOSIM_AVX2 [[gnu::flatten]] void invest_avx2(Investment& investors, int first, int count) {
  for_each_group<Doubles4>(first, first + count, investors);
}

// Rows and investors are independent: large worlds run them in parallel (per_agent.h). The
// capability shares, one sum over all agents, come first and serially.
void trade_and_invest(TickContext& context) {
  WorldState& state = context.state;
  const int n = state.agents();
  const bool wide = cpu_has_avx2();
  // Small worlds' rows in one call; large ones row by row in parallel (rows of unequal length).
  if (n < kParallelAgentsFrom) {
    grow_trade_rows(state, context.tick, 0, n, wide);
  } else {
    for_each_agent(n, [&](int i) { grow_trade_rows(state, context.tick, i, 1, wide); });
  }
  std::vector<double>& lanes = context.scratch.lanes;
  if (lanes.size() < static_cast<std::size_t>(n)) lanes.resize(static_cast<std::size_t>(n));
  Eigen::Map<Vector> chat(lanes.data(), n);
  chat = state.c / state.c.sum();  // as WorldState::capability_share(), without allocating
  for (int r = 0; r < state.regions(); ++r) {
    for_each_row_block(n, [&](int, int first, int count) {
      Investment investors{state, chat.data(), r};
      if (wide) {
        invest_avx2(investors, first, count);
      } else {
        invest_baseline(investors, first, count);
      }
    });
  }
}

class TradeInvestment final : public Rule {
 public:
  std::string_view name() const override { return "trade_investment"; }
  void apply(TickContext& context) const override { trade_and_invest(context); }
};

}  // namespace

std::shared_ptr<const Rule> make_trade_investment() { return std::make_shared<TradeInvestment>(); }

}  // namespace geosim::agents
