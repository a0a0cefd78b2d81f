#include <cmath>

#include "per_agent.h"
#include "rules.h"

namespace geosim::agents {
namespace {

struct Outcome {
  double mutual;     ///< m_ijk
  double defection;  ///< d_ijk
  double i_exploited;  ///< x_ijk: i cooperates, j defects
  double j_exploited;  ///< x_jik
};

Outcome expected_outcome(double p_i, double p_j) {
  return {p_i * p_j, (1 - p_i) * (1 - p_j), p_i * (1 - p_j), p_j * (1 - p_i)};
}

// u: i's draw, then j's.
Outcome drawn_outcome(double p_i, double p_j, const double* u) {
  const bool i_cooperates = u[0] < p_i;
  const bool j_cooperates = u[1] < p_j;
  return {double(i_cooperates && j_cooperates), double(!i_cooperates && !j_cooperates),
          double(i_cooperates && !j_cooperates), double(j_cooperates && !i_cooperates)};
}

// MODEL.md P3: formula letters as in the text. One agent i against every j > i: first the
// logistic arguments of all its dyad-issues (2 per (j, k), in lanes), then all the logistics in
// one block (logistic_block, bit for bit logistic()) and, in stochastic mode, all the draws
// (Rng::uniform2_row, bit for bit Rng::uniform2), then the outcomes in (j, k) order.
class PrisonersDilemma final : public Rule {
 public:
  std::string_view name() const override { return "prisoners_dilemma"; }

  // Rows are independent (row i writes the pairs (i, j > i) only): large worlds play them in
  // parallel, each with its own lanes.
  void apply(TickContext& context) const override {
    const int n = context.state.agents();
    const std::size_t row = 2 * static_cast<std::size_t>(n) * static_cast<std::size_t>(context.state.issues());
    if (context.scratch.lanes.size() < 3 * row) context.scratch.lanes.resize(3 * row);
    for_each_agent(n, context.scratch.lanes, [&](int i, double* lanes) {
      if (i + 1 < n) play_row(context, i, lanes, lanes + row, lanes + 2 * row);
    });
  }

 private:
  // z: the logistic arguments (then the propensities), u: the stochastic mode's draws; two per
  // (j, k), i's then j's.
  static void play_row(TickContext& context, int i, double* z, double* prob, double* u) {
    const WorldState& state = context.state;
    const Params& p = state.params;
    const int n = state.agents();
    const int issues = state.issues();
    std::size_t lane = 0;
    for (int j = i + 1; j < n; ++j) {
      for (int k = 0; k < issues; ++k) {
        const double compatibility = 1.0 - std::abs(state.x(i, k) - state.x(j, k));
        z[lane++] = p.coop_steepness * (compatibility - p.coop_threshold) + p.coop_affinity_weight * state.A(i, j);
        z[lane++] = p.coop_steepness * (compatibility - p.coop_threshold) + p.coop_affinity_weight * state.A(j, i);
      }
    }
    logistic_block(z, prob, lane);
    if (context.mode == Mode::kExpected) {
      sum_outcomes(context, i, prob, [](const double* pr, std::size_t at) { return expected_outcome(pr[at], pr[at + 1]); });
    } else {
      context.rng.uniform2_row(static_cast<std::uint32_t>(context.tick), Stream::kCooperation, static_cast<std::uint32_t>(i),
                               static_cast<std::uint32_t>(i + 1), static_cast<std::uint32_t>(n),
                               static_cast<std::uint32_t>(issues), u);
      sum_outcomes(context, i, prob, [u](const double* pr, std::size_t at) { return drawn_outcome(pr[at], pr[at + 1], u + at); });
    }
  }

  // o and X of the pairs (i, j > i) from the outcome of each (j, k), summed over k in order.
  template <typename OutcomeAt>
  static void sum_outcomes(TickContext& context, int i, const double* prob, OutcomeAt outcome_at) {
    const WorldState& state = context.state;
    const int n = state.agents();
    const int issues = state.issues();
    std::size_t lane = 0;
    for (int j = i + 1; j < n; ++j) {
      double o = 0, x_i = 0, x_j = 0;
      for (int k = 0; k < issues; ++k, lane += 2) {
        const double sig = (state.s(i, k) + state.s(j, k)) / 2.0;
        const Outcome out = outcome_at(prob, lane);
        o += sig * (out.mutual - out.defection);
        x_i += sig * out.i_exploited;
        x_j += sig * out.j_exploited;
      }
      context.scratch.o(i, j) = context.scratch.o(j, i) = o;
      context.scratch.X(i, j) = x_i;
      context.scratch.X(j, i) = x_j;
    }
  }
};

}  // namespace

std::shared_ptr<const Rule> make_prisoners_dilemma() { return std::make_shared<PrisonersDilemma>(); }

}  // namespace geosim::agents
