#include <algorithm>

#include "per_agent.h"
#include "rules.h"

namespace geosim::agents {
namespace {

class FriedkinJohnsen final : public Rule {
 public:
  std::string_view name() const override { return "friedkin_johnsen"; }

  // MODEL.md P5: formula letters as in the text, per issue k. Agent i's K sums run together
  // over j (issues contiguous in the row-major x and s), each in the order j = 0, 1, ...
  void apply(TickContext& context) const override {
    WorldState& state = context.state;
    const int n = state.agents();
    const int issues = state.issues();
    // The shares in lanes_out, each agent's 2K running sums in its own buffer (lanes, or a
    // thread's own in large worlds: agents are independent, see per_agent.h).
    std::vector<double>& shares = context.scratch.lanes_out;
    if (shares.size() < static_cast<std::size_t>(n)) shares.resize(static_cast<std::size_t>(n));
    Eigen::Map<Vector> chat(shares.data(), n);
    chat = state.c / state.c.sum();  // as WorldState::capability_share(), without allocating
    std::vector<double>& lanes = context.scratch.lanes;
    if (lanes.size() < 2 * static_cast<std::size_t>(issues)) lanes.resize(2 * static_cast<std::size_t>(issues));
    for_each_agent(n, lanes, [&](int i, double* sums) { update_agent(context, chat, i, sums, sums + issues); });
    state.x.swap(context.scratch.next_positions);
  }

 private:
  static void update_agent(TickContext& context, const Eigen::Map<Vector>& chat, int i, double* total,
                           double* weighted) {
    const WorldState& state = context.state;
    const Matrix& h = context.scratch.h;
    const double omega = state.params.self_weight;
    const int issues = state.issues();
    const double* x = state.x.data();
    const double* s = state.s.data();
    for (int k = 0; k < issues; ++k) {
      total[k] = omega * chat(i) * s[i * issues + k];
      weighted[k] = total[k] * x[i * issues + k];
    }
    for (int j = 0; j < state.agents(); ++j) {
      if (j == i) continue;
      const double affinity = std::max(state.A(i, j), 0.0);
      const double intensity = h(i, j);
      for (int k = 0; k < issues; ++k) {
        const double v = chat(j) * s[j * issues + k] * affinity * intensity;
        total[k] += v;
        weighted[k] += v * x[j * issues + k];
      }
    }
    Matrix& next = context.scratch.next_positions;
    for (int k = 0; k < issues; ++k) {
      const double social = total[k] > 0 ? weighted[k] / total[k] : state.x(i, k);
      next(i, k) = state.lam(i) * social + (1 - state.lam(i)) * state.x0(i, k);
    }
  }
};

}  // namespace

std::shared_ptr<const Rule> make_friedkin_johnsen() { return std::make_shared<FriedkinJohnsen>(); }

}  // namespace geosim::agents
