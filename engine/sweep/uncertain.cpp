// apply_inputs: a scenario with sampled values written at their resolved paths. The loader
// resolves every path to an InputTarget (engine/scenario/uncertain_builder.cpp), so this
// code never parses a path or looks up an id: it runs once per run of a sweep.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <variant>

#include "geosim/scenario.h"

namespace geosim {
namespace {

using Kind = InputTarget::Kind;

/// `value` clipped to the target's range; ticks are rounded first, and exclusive bounds
/// clip to the nearest double inside.
double clip(const InputTarget& t, double value) {
  if (t.integer) value = std::nearbyint(value);
  const double lo = t.min_exclusive ? std::nextafter(t.min, t.max) : t.min;
  const double hi = t.max_exclusive ? std::nextafter(t.max, t.min) : t.max;
  return std::clamp(value, lo, hi);
}

std::size_t at(int index) { return static_cast<std::size_t>(index); }

std::size_t cell(const ScenarioSpec& spec, int i, int j) {
  return at(i) * spec.agents.size() + at(j);
}

template <typename Action>
Action& action(ScenarioSpec& spec, int policy) {
  return std::get<Action>(spec.policies[at(policy)].action);
}

/// The double field a non-tick target writes (capital is created when absent).
double& field(ScenarioSpec& spec, const InputTarget& t) {
  switch (t.kind) {
    case Kind::kParam: return spec.params.*(param_table()[at(t.a)].field);
    case Kind::kCapability: return spec.agents[at(t.a)].capability;
    case Kind::kSusceptibility: return spec.agents[at(t.a)].susceptibility;
    case Kind::kGrowth: return spec.agents[at(t.a)].growth;
    case Kind::kCapital: return spec.agents[at(t.a)].capital.emplace(spec.agents[at(t.a)].capital.value_or(0));
    case Kind::kPosition: return spec.agents[at(t.a)].interests[at(t.b)].position;
    case Kind::kAnchor: return spec.agents[at(t.a)].interests[at(t.b)].anchor;
    case Kind::kSalience: return spec.agents[at(t.a)].interests[at(t.b)].salience;
    case Kind::kAffinity: return spec.affinity0[cell(spec, t.a, t.b)];
    case Kind::kInitialAffinity: return spec.initial_affinity[cell(spec, t.a, t.b)];
    case Kind::kTrade: return spec.trade[cell(spec, t.a, t.b)];
    case Kind::kClimate: return spec.regions[at(t.a)].climate;
    case Kind::kPivotShare: return action<PivotPolicy>(spec, t.a).shares[at(t.b)].second;
    case Kind::kPolicyAnchor: return action<AnchorPolicy>(spec, t.a).anchors[at(t.b)].second;
    case Kind::kPolicySalience: return action<SaliencePolicy>(spec, t.a).saliences[at(t.b)].second;
    case Kind::kPolicyClimate: return action<ClimatePolicy>(spec, t.a).climate;
    case Kind::kTradeFactor: return action<SanctionPolicy>(spec, t.a).trade_factor;
    case Kind::kHazard: return spec.events[at(t.a)].hazard;
    case Kind::kPolicyAt:
    case Kind::kEventAt: break;
  }
  throw std::logic_error("apply_inputs: a tick target has no double field");
}

/// The tick a kPolicyAt or kEventAt target writes.
int& tick_field(ScenarioSpec& spec, const InputTarget& t) {
  if (t.kind == Kind::kPolicyAt) return spec.policies[at(t.a)].at;
  return *spec.events[at(t.a)].at;
}

/// The largest share a sampled pivot entry may take: 1 minus the policy's other shares, so
/// that the loader's "shares sum to at most 1" still holds.
double pivot_room(ScenarioSpec& spec, const InputTarget& t) {
  double others = 0;
  const auto& shares = action<PivotPolicy>(spec, t.a).shares;
  for (std::size_t e = 0; e < shares.size(); ++e) {
    if (e != at(t.b)) others += shares[e].second;
  }
  return std::max(0.0, 1.0 - others);
}

void set(ScenarioSpec& spec, const InputTarget& t, double value) {
  if (t.integer) {
    tick_field(spec, t) = static_cast<int>(value);  // clip() rounded it into the tick range
    return;
  }
  if (t.kind == Kind::kPivotShare) value = std::min(value, pivot_room(spec, t));
  field(spec, t) = value;
  if (t.also_initial && t.kind == Kind::kAffinity) spec.initial_affinity[cell(spec, t.a, t.b)] = value;
  if (t.also_initial && t.kind == Kind::kPosition) spec.agents[at(t.a)].interests[at(t.b)].anchor = value;
  if (t.kind == Kind::kTrade) spec.trade[cell(spec, t.b, t.a)] = value;  // trade is symmetric
}

double get(ScenarioSpec& spec, const InputTarget& t) {
  return t.integer ? static_cast<double>(tick_field(spec, t)) : field(spec, t);
}

/// Rescales agent a's saliences after some were sampled (`sampled[k]` marks issue k), as
/// documented on apply_inputs.
void renormalise(AgentSpec& agent, const std::vector<char>& sampled) {
  double fixed = 0;
  double free = 0;
  for (std::size_t k = 0; k < sampled.size(); ++k) {
    (sampled[k] ? fixed : free) += agent.interests[k].salience;
  }
  if (fixed <= 1 && free > 0) {
    const double scale = (1 - fixed) / free;
    for (std::size_t k = 0; k < sampled.size(); ++k) {
      if (!sampled[k]) agent.interests[k].salience *= scale;
    }
    return;
  }
  const double total = fixed + free;
  for (auto& interest : agent.interests) {
    interest.salience = total > 0 ? interest.salience / total : 1.0 / static_cast<double>(sampled.size());
  }
}

/// Renormalises the saliences of every agent with a sampled salience.
void renormalise_sampled(ScenarioSpec& spec) {
  std::vector<std::vector<char>> sampled(spec.agents.size());
  for (const auto& input : spec.uncertain) {
    if (input.target.kind != Kind::kSalience) continue;
    auto& marks = sampled[at(input.target.a)];
    marks.resize(spec.issues.size(), 0);
    marks[at(input.target.b)] = 1;
  }
  for (std::size_t i = 0; i < sampled.size(); ++i) {
    if (!sampled[i].empty()) renormalise(spec.agents[i], sampled[i]);
  }
}

}  // namespace

ScenarioSpec apply_inputs(const ScenarioSpec& spec, std::span<double> values) {
  if (values.size() != spec.uncertain.size()) {
    throw std::invalid_argument(fmt::format("apply_inputs: {} values for {} uncertain inputs",
                                            values.size(), spec.uncertain.size()));
  }
  ScenarioSpec out = spec;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const InputTarget& target = spec.uncertain[i].target;
    set(out, target, clip(target, values[i]));
  }
  renormalise_sampled(out);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = get(out, spec.uncertain[i].target);
  return out;
}

}  // namespace geosim
