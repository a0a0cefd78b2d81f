#include <algorithm>

#include "rules.h"

namespace geosim::agents {
namespace {

class FriedkinJohnsen final : public Rule {
 public:
  std::string_view name() const override { return "friedkin_johnsen"; }

  // MODEL.md P5: formula letters as in the text, per issue k.
  void apply(TickContext& context) const override {
    WorldState& state = context.state;
    const Matrix& h = context.scratch.h;
    Matrix& next = context.scratch.next_positions;
    const Vector chat = state.capability_share();
    const double omega = state.params.self_weight;
    const int n = state.agents();
    for (int i = 0; i < n; ++i) {
      for (int k = 0; k < state.issues(); ++k) {
        double total = omega * chat(i) * state.s(i, k);
        double weighted = total * state.x(i, k);
        for (int j = 0; j < n; ++j) {
          if (j == i) continue;
          const double v = chat(j) * state.s(j, k) * std::max(state.A(i, j), 0.0) * h(i, j);
          total += v;
          weighted += v * state.x(j, k);
        }
        const double social = total > 0 ? weighted / total : state.x(i, k);
        next(i, k) = state.lam(i) * social + (1 - state.lam(i)) * state.x0(i, k);
      }
    }
    state.x.swap(next);
  }
};

}  // namespace

std::shared_ptr<const Rule> make_friedkin_johnsen() { return std::make_shared<FriedkinJohnsen>(); }

}  // namespace geosim::agents
