#include <algorithm>
#include <cmath>

#include "per_agent.h"
#include "rules.h"

namespace geosim::agents {
namespace {

bool contains(const std::vector<AgentIndex>& agents, AgentIndex agent) {
  return std::find(agents.begin(), agents.end(), agent) != agents.end();
}

// MODEL.md P6, trade, for the pairs (i, j > i): formula letters as in the text. Row i writes
// e_ij and e_ji of its pairs only, and each entry gets the growth factor and then the sanctions
// in force in their order, as one pass over all pairs per factor would give it.
void grow_trade_row(WorldState& state, int tick, int i) {
  const Params& p = state.params;
  const int n = state.agents();
  for (int j = i + 1; j < n; ++j) {
    const double bar = (state.A(i, j) + state.A(j, i)) / 2.0;
    const double bar0 = (state.A0(i, j) + state.A0(j, i)) / 2.0;
    state.e(i, j) *= std::max(0.0, 1.0 + p.trade_growth + p.trade_affinity * (bar - bar0));
    state.e(j, i) = state.e(i, j);
  }
  for (const ActiveSanction& sanction : state.sanctions) {
    if (sanction.until && tick >= *sanction.until) continue;
    for (int j = i + 1; j < n; ++j) {
      const bool applies = (contains(sanction.from, i) && contains(sanction.to, j)) ||
                           (contains(sanction.from, j) && contains(sanction.to, i));
      if (applies) state.e(i, j) = state.e(j, i) = state.e(i, j) * sanction.factor;
    }
  }
}

// MODEL.md P6, investment of investor j in every region but its own: formula letters as in the
// text (h the host). S_rj depends on no other investor's flow.
void invest_agent(WorldState& state, const Eigen::Map<Vector>& chat, int j) {
  const Params& p = state.params;
  for (int r = 0; r < state.regions(); ++r) {
    const AgentIndex h = state.host[static_cast<std::size_t>(r)];
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

// Rows and investors are independent: large worlds run them in parallel (per_agent.h). The
// capability shares, one sum over all agents, come first and serially.
void trade_and_invest(TickContext& context) {
  WorldState& state = context.state;
  const int n = state.agents();
  for_each_agent(n, [&](int i) { grow_trade_row(state, context.tick, i); });
  std::vector<double>& lanes = context.scratch.lanes;
  if (lanes.size() < static_cast<std::size_t>(n)) lanes.resize(static_cast<std::size_t>(n));
  Eigen::Map<Vector> chat(lanes.data(), n);
  chat = state.c / state.c.sum();  // as WorldState::capability_share(), without allocating
  if (state.regions() > 0) for_each_agent(n, [&](int j) { invest_agent(state, chat, j); });
}

class TradeInvestment final : public Rule {
 public:
  std::string_view name() const override { return "trade_investment"; }
  void apply(TickContext& context) const override { trade_and_invest(context); }
};

}  // namespace

std::shared_ptr<const Rule> make_trade_investment() { return std::make_shared<TradeInvestment>(); }

}  // namespace geosim::agents
