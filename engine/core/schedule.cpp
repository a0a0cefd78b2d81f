#include "schedule.h"

#include <algorithm>
#include <fmt/format.h>

namespace geosim {
namespace {

std::string where(const SourceLocation& loc) {
  return loc.line > 0 ? fmt::format("{}:{}:{}", loc.file, loc.line, loc.column) : loc.file;
}

void renormalise_saliences(const ScenarioSpec& spec, WorldState& state, AgentIndex agent,
                           int tick, const SourceLocation& cause) {
  const double total = state.s.row(agent).sum();
  if (!(total > 0)) {
    throw Error(fmt::format("{}: error: at tick {} this change leaves every salience of {} at 0",
                            where(cause), tick, spec.agents[static_cast<std::size_t>(agent)].id));
  }
  state.s.row(agent) /= total;
}

struct PolicyApplier {
  const ScenarioSpec& spec;
  WorldState& state;
  const PolicySpec& policy;
  int tick;

  void operator()(const PivotPolicy& p) const { state.pivot[static_cast<std::size_t>(p.agent)] = p.shares; }
  void operator()(const AnchorPolicy& p) const {
    for (const auto& [issue, value] : p.anchors) state.x0(p.agent, issue) = value;
  }
  void operator()(const SaliencePolicy& p) const {
    for (const auto& [issue, value] : p.saliences) state.s(p.agent, issue) = value;
    renormalise_saliences(spec, state, p.agent, tick, policy.where);
  }
  void operator()(const ClimatePolicy& p) const { state.q(p.region) = p.climate; }
  void operator()(const MembershipPolicy& p) const {
    for (AgentIndex agent : p.join) state.M(agent, p.institution) = 1.0;
    for (AgentIndex agent : p.leave) state.M(agent, p.institution) = 0.0;
  }
  void operator()(const SanctionPolicy& p) const {
    state.sanctions.push_back({p.from, p.to, p.trade_factor, p.until});
  }
  void operator()(const SetParamsPolicy& p) const {
    for (const auto& [key, value] : p.values) {
      if (const ParamInfo* info = find_param(key)) state.params.*(info->field) = value;
    }
  }
};

struct EffectApplier {
  const ScenarioSpec& spec;
  WorldState& state;
  const EventSpec& event;
  int tick;

  void operator()(const AffinityEffect& e) const {
    state.A(e.from, e.to) = std::clamp(state.A(e.from, e.to) + e.delta, -1.0, 1.0);
    if (!e.directed) state.A(e.to, e.from) = std::clamp(state.A(e.to, e.from) + e.delta, -1.0, 1.0);
  }
  void operator()(const InterestEffect& e) const {
    switch (e.field) {
      case InterestEffect::Field::kPosition:
        state.x(e.agent, e.issue) = std::clamp(state.x(e.agent, e.issue) + e.delta, 0.0, 1.0);
        break;
      case InterestEffect::Field::kAnchor:
        state.x0(e.agent, e.issue) = std::clamp(state.x0(e.agent, e.issue) + e.delta, 0.0, 1.0);
        break;
      case InterestEffect::Field::kSalience:
        state.s(e.agent, e.issue) = std::max(0.0, state.s(e.agent, e.issue) + e.delta);
        renormalise_saliences(spec, state, e.agent, tick, event.where);
        break;
    }
  }
};

void fire(const ScenarioSpec& spec, WorldState& state, const EventSpec& event, int tick) {
  for (const Effect& effect : event.effects) std::visit(EffectApplier{spec, state, event, tick}, effect);
}

void draw_hazards(const ScenarioSpec& spec, WorldState& state, int tick, const Rng& rng) {
  for (std::size_t index = 0; index < spec.events.size(); ++index) {
    const EventSpec& event = spec.events[index];
    if (event.at || event.hazard <= 0 || state.hazard_fired[index] >= event.max_times) continue;
    const double u = rng.uniform2(static_cast<std::uint32_t>(tick), Stream::kHazard,
                                  static_cast<std::uint32_t>(index), 0, 0)[0];
    if (u < event.hazard) {
      ++state.hazard_fired[index];
      fire(spec, state, event, tick);
    }
  }
}

}  // namespace

void apply_schedule(const ScenarioSpec& spec, WorldState& state, int tick, Mode mode, const Rng& rng) {
  for (const PolicySpec& policy : spec.policies) {
    if (policy.at == tick) std::visit(PolicyApplier{spec, state, policy, tick}, policy.action);
  }
  for (const EventSpec& event : spec.events) {
    if (event.at && *event.at == tick) fire(spec, state, event, tick);
  }
  if (mode == Mode::kStochastic) draw_hazards(spec, state, tick, rng);
}

}  // namespace geosim
