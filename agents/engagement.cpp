#include <algorithm>

#include "geosim/parallel.h"
#include "rules.h"

namespace geosim::agents {
namespace {

class PivotEngagement final : public Rule {
 public:
  std::string_view name() const override { return "pivot"; }

  // MODEL.md P1: a_i <- (1 - gamma) a_i + gamma a*_i, from one snapshot of a. Agents are
  // independent (agent i writes row i of `next` only). The agents without a pivot go by row
  // blocks (default_engagement; large worlds' blocks in parallel), then each agent with a pivot
  // takes its own target row. The same bits at any thread count.
  void apply(TickContext& context) const override {
    WorldState& state = context.state;
    const int n = state.agents();
    std::vector<double>& lanes = context.scratch.lanes;
    if (lanes.size() < static_cast<std::size_t>(n)) lanes.resize(static_cast<std::size_t>(n));
    Matrix& next = context.scratch.next;
    for_each_row_block(n, [&](int, int first, int rows) { default_engagement(state, first, rows, next); });
    for (int agent = 0; agent < n; ++agent) {
      if (state.pivot[static_cast<std::size_t>(agent)].empty()) continue;
      Eigen::Map<RowVector> target(lanes.data(), n);
      pivot_target(state, agent, target);
      const double gamma = state.params.engagement_rate;
      next.row(agent) = (1.0 - gamma) * state.a.row(agent) + gamma * target;
    }
    state.a.swap(next);
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
