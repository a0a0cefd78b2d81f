#include <algorithm>

#include "per_agent.h"
#include "rules.h"

namespace geosim::agents {
namespace {

class PivotEngagement final : public Rule {
 public:
  std::string_view name() const override { return "pivot"; }

  // MODEL.md P1: a_i <- (1 - gamma) a_i + gamma a*_i, from one snapshot of a. Agents are
  // independent (agent i writes row i of `next` only). Small worlds take them two at a time
  // (two default rows side by side, so that their chains of additions overlap); large worlds
  // run them in parallel, each with its own target row (per_agent.h). The same bits either way.
  void apply(TickContext& context) const override {
    WorldState& state = context.state;
    const int n = state.agents();
    std::vector<double>& lanes = context.scratch.lanes;
    if (lanes.size() < 2 * static_cast<std::size_t>(n)) lanes.resize(2 * static_cast<std::size_t>(n));
    Matrix& next = context.scratch.next;
    if (n < kParallelAgentsFrom) {
      for (int first = 0; first < n; first += 2) engage_pair(state, next, first, lanes.data());
    } else {
      for_each_agent(n, lanes, [&](int agent, double* row) { engage(state, next, agent, row); });
    }
    state.a.swap(next);
  }

 private:
  // Agents `first` and first + 1 (where there is one), with target rows rows[0, n) and rows[n, 2n).
  static void engage_pair(const WorldState& state, Matrix& next, AgentIndex first, double* rows) {
    const int n = state.agents();
    const AgentIndex second = first + 1;
    const auto pivots = [&state](AgentIndex agent) { return !state.pivot[static_cast<std::size_t>(agent)].empty(); };
    if (second >= n || pivots(first) || pivots(second)) {
      engage(state, next, first, rows);
      if (second < n) engage(state, next, second, rows + n);
      return;
    }
    Eigen::Map<RowVector> target_first(rows, n), target_second(rows + n, n);
    default_attention_pair(state, first, second, target_first, target_second);
    blend(state, next, first, target_first);
    blend(state, next, second, target_second);
  }

  static void engage(const WorldState& state, Matrix& next, AgentIndex agent, double* row) {
    Eigen::Map<RowVector> target(row, state.agents());
    if (state.pivot[static_cast<std::size_t>(agent)].empty()) {
      default_attention(state, agent, target);
    } else {
      pivot_target(state, agent, target);
    }
    blend(state, next, agent, target);
  }

  static void blend(const WorldState& state, Matrix& next, AgentIndex agent, const Eigen::Map<RowVector>& target) {
    const double gamma = state.params.engagement_rate;
    next.row(agent) = (1.0 - gamma) * state.a.row(agent) + gamma * target;
  }
};

}  // namespace

// MODEL.md P1, pivot target: formula letters as in the text.
void pivot_target(const WorldState& state, AgentIndex i, Eigen::Ref<RowVector> out) {
  const int n = state.agents();
  default_attention(state, i, out);
  const auto& shares = state.pivot[static_cast<std::size_t>(i)];
  // A short list searched in place: a tick allocates nothing.
  const auto listed = [&shares](int j) {
    return std::any_of(shares.begin(), shares.end(), [j](const auto& entry) { return entry.first == j; });
  };
  double listed_total = 0;
  for (const auto& entry : shares) listed_total += entry.second;
  double unlisted_d = 0;
  int unlisted = 0;
  for (int j = 0; j < n; ++j) {
    if (j == i || listed(j)) continue;
    unlisted_d += out(j);
    ++unlisted;
  }
  const double remainder = std::max(0.0, 1.0 - listed_total);
  for (int j = 0; j < n; ++j) {
    if (j == i || listed(j)) continue;
    out(j) = remainder * (unlisted_d > 0 ? out(j) / unlisted_d : 1.0 / unlisted);
  }
  out(i) = 0;
  for (const auto& [partner, share] : shares) out(partner) = share;
}

std::shared_ptr<const Rule> make_pivot_engagement() { return std::make_shared<PivotEngagement>(); }

}  // namespace geosim::agents
