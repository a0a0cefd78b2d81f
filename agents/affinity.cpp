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

// MODEL.md P4's update of row i for j = first, ..., first + lanes - 1, one j per lane: the
// formula as the text writes it, each lane the serial formula's operations in its order (so the
// same bits at every lane width), then the clip to [-1, 1] (update_row sets A_ii = 0). `next`
// holds the row of A A, divided by N - 2 here.
struct UpdateRow {
  const WorldState& state;
  TickScratch& scratch;
  int i;
  double third_parties;  ///< N - 2

  template <class Lane> [[gnu::always_inline]] inline void run(int first) {
    const Params& p = state.params;
    const Lane a = load<Lane>(state.A.row(i).data() + first);
    const Lane h = load<Lane>(scratch.h.row(i).data() + first);
    const Lane o = load<Lane>(scratch.o.row(i).data() + first);
    const Lane X = load<Lane>(scratch.X.row(i).data() + first);
    const Lane balance = load<Lane>(scratch.next.row(i).data() + first) / third_parties;
    const Lane a0 = load<Lane>(state.A0.row(i).data() + first);
    const Lane updated = a + p.affinity_rate * h * (o - a) - p.exploitation_penalty * h * X +
                         p.balance_rate * (1 - a * a) * balance + p.affinity_reversion * (a0 - a);
    const Lane low = Lane{} - 1.0, high = Lane{} + 1.0;
    // std::clamp(updated, -1, 1), NaN included: high < updated ? high : updated, then
    // low > that ? low : that.
    store(scratch.next.row(i).data() + first, larger(low, smaller(high, updated)));
  }
};

// Row i of the new A into row i of `next` (which holds row i of A A): B_ij = (A A)_ij / (N - 2)
// (0 for N <= 2), the update, and A_ii = 0.
template <class Lane> [[gnu::always_inline]] inline void update_row_in(const WorldState& state, TickScratch& scratch, int i) {
  const int n = state.agents();
  if (n <= 2) scratch.next.row(i).setZero();
  UpdateRow row{state, scratch, i, n <= 2 ? 1.0 : static_cast<double>(n - 2)};
  for_each_group<Lane>(0, n, row);
  scratch.next(i, i) = 0;
}

// The rows [first, first + rows), one call per block.
void update_rows_baseline(const WorldState& state, TickScratch& scratch, int first, int rows) {
  for (int i = first; i < first + rows; ++i) update_row_in<Doubles2>(state, scratch, i);
}
GEOSIM_AVX2 void update_rows_avx2(const WorldState& state, TickScratch& scratch, int first, int rows) {
  for (int i = first; i < first + rows; ++i) update_row_in<Doubles4>(state, scratch, i);
}

// MODEL.md P4: formula letters as in the text; B = A A / (N - 2), B = 0 for N <= 2.
// Large worlds run row blocks on oneTBB's threads (per_agent.h): a block's rows of A A are one
// product of A's rows with A, followed by the update of those rows, which reads and writes only
// its own row of `next`.
class StructuralBalance final : public Rule {
 public:
  std::string_view name() const override { return "structural_balance"; }

  void apply(TickContext& context) const override {
    WorldState& state = context.state;
    Matrix& next = context.scratch.next;
    next.resize(state.agents(), state.agents());
    const bool wide = cpu_has_avx2();
    for_each_row_block(state.agents(), [&](int, int first, int rows) {
      if (state.agents() > 2) square_rows(state.A, next, first, rows);
      if (wide) {
        update_rows_avx2(state, context.scratch, first, rows);
      } else {
        update_rows_baseline(state, context.scratch, first, rows);
      }
    });
    state.A.swap(next);
  }
};

}  // namespace

std::shared_ptr<const Rule> make_structural_balance() { return std::make_shared<StructuralBalance>(); }

}  // namespace geosim::agents
