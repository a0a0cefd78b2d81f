#include <algorithm>
#include <cmath>

#include "rules.h"

namespace geosim::agents {
namespace {

bool contains(const std::vector<AgentIndex>& agents, AgentIndex agent) {
  return std::find(agents.begin(), agents.end(), agent) != agents.end();
}

// MODEL.md P6, trade: formula letters as in the text.
void grow_trade(WorldState& state, int tick) {
  const Params& p = state.params;
  const int n = state.agents();
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      const double bar = (state.A(i, j) + state.A(j, i)) / 2.0;
      const double bar0 = (state.A0(i, j) + state.A0(j, i)) / 2.0;
      state.e(i, j) *= std::max(0.0, 1.0 + p.trade_growth + p.trade_affinity * (bar - bar0));
      state.e(j, i) = state.e(i, j);
    }
  }
  for (const ActiveSanction& sanction : state.sanctions) {
    if (sanction.until && tick >= *sanction.until) continue;
    for (int i = 0; i < n; ++i) {
      for (int j = i + 1; j < n; ++j) {
        const bool applies = (contains(sanction.from, i) && contains(sanction.to, j)) ||
                             (contains(sanction.from, j) && contains(sanction.to, i));
        if (applies) state.e(i, j) = state.e(j, i) = state.e(i, j) * sanction.factor;
      }
    }
  }
}

// MODEL.md P6, investment: formula letters as in the text (h the host, j the investor).
void invest(WorldState& state, std::vector<double>& lanes) {
  const Params& p = state.params;
  if (lanes.size() < static_cast<std::size_t>(state.agents())) lanes.resize(static_cast<std::size_t>(state.agents()));
  Eigen::Map<Vector> chat(lanes.data(), state.agents());
  chat = state.c / state.c.sum();  // as WorldState::capability_share(), without allocating
  for (int r = 0; r < state.regions(); ++r) {
    const AgentIndex h = state.host[static_cast<std::size_t>(r)];
    for (int j = 0; j < state.agents(); ++j) {
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
}

class TradeInvestment final : public Rule {
 public:
  std::string_view name() const override { return "trade_investment"; }
  void apply(TickContext& context) const override {
    grow_trade(context.state, context.tick);
    invest(context.state, context.scratch.lanes);
  }
};

}  // namespace

std::shared_ptr<const Rule> make_trade_investment() { return std::make_shared<TradeInvestment>(); }

}  // namespace geosim::agents
