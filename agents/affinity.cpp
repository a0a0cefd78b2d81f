#include <algorithm>

#include "per_agent.h"
#include "rules.h"

namespace geosim::agents {
namespace {

// MODEL.md P4: formula letters as in the text; B = A A / (N - 2), B = 0 for N <= 2.
// Large worlds run row blocks on oneTBB's threads (per_agent.h): a block's rows of B are one
// product of A's rows with A, followed by the update of those rows, which reads and writes only
// its own row of `next`.
class StructuralBalance final : public Rule {
 public:
  std::string_view name() const override { return "structural_balance"; }

  void apply(TickContext& context) const override {
    WorldState& state = context.state;
    Matrix& next = context.scratch.next;
    next.resize(state.agents(), state.agents());
    for_each_row_block(state.agents(), [&](int, int first, int rows) {
      balance_rows(state.A, next, first, rows);
      for (int i = first; i < first + rows; ++i) update_row(state, context.scratch, i);
    });
    state.A.swap(next);
  }

 private:
  // Rows [first, first + rows) of B into `next`.
  static void balance_rows(const Matrix& A, Matrix& next, int first, int rows) {
    const auto n = A.rows();
    if (n <= 2) {
      next.middleRows(first, rows).setZero();
      return;
    }
    square_rows(A, next, first, rows);
    next.middleRows(first, rows) /= static_cast<double>(n - 2);
  }

  // Row i of the new A, over row i of B in `next`.
  static void update_row(const WorldState& state, TickScratch& scratch, int i) {
    const Params& p = state.params;
    Matrix& next = scratch.next;
    for (int j = 0; j < state.agents(); ++j) {
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
};

}  // namespace

std::shared_ptr<const Rule> make_structural_balance() { return std::make_shared<StructuralBalance>(); }

}  // namespace geosim::agents
