#include <algorithm>

#include "rules.h"

namespace geosim::agents {
namespace {

class StructuralBalance final : public Rule {
 public:
  std::string_view name() const override { return "structural_balance"; }

  // MODEL.md P4: formula letters as in the text; B = A A / (N - 2), B = 0 for N <= 2.
  void apply(TickContext& context) const override {
    WorldState& state = context.state;
    const TickScratch& scratch = context.scratch;
    const Params& p = state.params;
    const int n = state.agents();
    Matrix& next = context.scratch.next;
    if (n > 2) {
      next.noalias() = state.A * state.A;
      next /= static_cast<double>(n - 2);
    } else {
      next.setZero();
    }
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < n; ++j) {
        if (i == j) {
          next(i, j) = 0;
          continue;
        }
        const double a = state.A(i, j);
        const double h = scratch.h(i, j);
        const double updated = a + p.affinity_rate * h * (scratch.o(i, j) - a) - p.exploitation_penalty * h * scratch.X(i, j) +
                               p.balance_rate * (1 - a * a) * next(i, j) + p.affinity_reversion * (state.A0(i, j) - a);
        next(i, j) = std::clamp(updated, -1.0, 1.0);
      }
    }
    state.A.swap(next);
  }
};

}  // namespace

std::shared_ptr<const Rule> make_structural_balance() { return std::make_shared<StructuralBalance>(); }

}  // namespace geosim::agents
