// The `bdm` influence rule: Bueno de Mesquita's bargaining in place of P5 (MODEL.md section 7).
#include <tbb/parallel_for.h>

#include <algorithm>

#include "bdm.h"
#include "rules.h"

namespace geosim::agents {
namespace {

// The actors of issue k inside a scenario (MODEL.md section 7): c = chat_i, x = x_ik, s = s_ik.
bdm::Actors issue_actors(const WorldState& state, const Vector& chat, int k) {
  bdm::Actors actors;
  for (int i = 0; i < state.agents(); ++i) {
    actors.capability.push_back(chat(i));
    actors.position.push_back(state.x(i, k));
    actors.salience.push_back(state.s(i, k));
  }
  return actors;
}

// Parameters are reals (params.h); the cadence is the integer part of bdm_interval (>= 1 by its
// range), capped so that the conversion is defined for any value.
long long cadence(double interval) { return static_cast<long long>(std::clamp(interval, 1.0, 1e15)); }

class Bdm final : public Rule {
 public:
  std::string_view name() const override { return "bdm"; }

  // One round per issue on ticks 0, n, 2n, ... (n = bdm_interval); positions stay put otherwise.
  // Issues are independent: each task runs one issue serially and writes only its own column
  // of the buffer, so the result is bit-identical for any thread count.
  void apply(TickContext& context) const override {
    WorldState& state = context.state;
    if (context.tick % cadence(state.params.bdm_interval) != 0) return;
    const Vector chat = state.capability_share();
    Matrix& next = context.scratch.next_positions;
    tbb::parallel_for(0, state.issues(), [&](int k) {
      const bdm::Round round = bdm::play_round(issue_actors(state, chat, k));
      for (int i = 0; i < state.agents(); ++i) next(i, k) = round.position[static_cast<std::size_t>(i)];
    });
    state.x.swap(next);
  }
};

}  // namespace

std::shared_ptr<const Rule> make_bdm() { return std::make_shared<Bdm>(); }

}  // namespace geosim::agents
