#pragma once
// Tiny worlds built in code, so that unit tests of the engine do not depend on the loader.
#include <fmt/format.h>

#include "geosim/engine.h"
#include "geosim/scenario.h"
#include "geosim/state.h"
#include "registry.h"

namespace geosim::test {

/// N agents "A0".."A{N-1}" and K issues "k0".., capability 1, susceptibility 0.5, position 0.5,
/// uniform salience, zero affinity and trade, 4 ticks.
inline ScenarioSpec tiny_world(int agents, int issues) {
  ScenarioSpec spec;
  spec.name = fmt::format("tiny {}x{}", agents, issues);
  for (int k = 0; k < issues; ++k) spec.issues.push_back({fmt::format("k{}", k), "", "", ""});
  for (int i = 0; i < agents; ++i) {
    AgentSpec agent;
    agent.id = fmt::format("A{}", i);
    agent.capability = 1;
    agent.interests.assign(static_cast<std::size_t>(issues), {0.5, 0.5, 1.0 / issues});
    spec.agents.push_back(agent);
  }
  const auto cells = static_cast<std::size_t>(agents * agents);
  spec.affinity0.assign(cells, 0.0);
  spec.initial_affinity.assign(cells, 0.0);
  spec.trade.assign(cells, 0.0);
  spec.run.ticks = 4;
  return spec;
}

/// Sets a symmetric affinity (A0 and A(0)) between i and j.
inline void set_affinity(ScenarioSpec& spec, int i, int j, double value) {
  const int n = spec.agent_count();
  for (auto* m : {&spec.affinity0, &spec.initial_affinity}) {
    (*m)[static_cast<std::size_t>(i * n + j)] = value;
    (*m)[static_cast<std::size_t>(j * n + i)] = value;
  }
}

/// Sets symmetric trade between i and j.
inline void set_trade(ScenarioSpec& spec, int i, int j, double value) {
  const int n = spec.agent_count();
  spec.trade[static_cast<std::size_t>(i * n + j)] = value;
  spec.trade[static_cast<std::size_t>(j * n + i)] = value;
}

inline RuleSet default_rules() { return agents::build_rules(RuleSelection{}); }

}  // namespace geosim::test
