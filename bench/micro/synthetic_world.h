#pragma once
// The synthetic worlds of the micro-benchmarks: N agents, K issues, every dyad with an affinity
// and trade drawn from Philox with a fixed key, so that the world is the same on every machine.
#include "geosim/rng.h"
#include "support/world.h"

namespace geosim::micro {

/// N agents, K issues, one investment region, `ticks` ticks recorded every 4.
inline ScenarioSpec synthetic_world(int agents, int issues, int ticks) {
  ScenarioSpec spec = test::tiny_world(agents, issues);
  const Rng rng(Rng::key_for(2013, 0, 0));
  for (int i = 0; i < agents; ++i) {
    auto& agent = spec.agents[static_cast<std::size_t>(i)];
    agent.capability = 0.1 + rng.uniform2(0, Stream::kHazard, 0, static_cast<std::uint32_t>(i), 0)[0];
    agent.susceptibility = 0.5;
    double total = 0;
    for (int k = 0; k < issues; ++k) {
      const auto u = rng.uniform2(1, Stream::kHazard, static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(i), 0);
      agent.interests[static_cast<std::size_t>(k)] = {u[0], u[0], 0.05 + u[1]};
      total += 0.05 + u[1];
    }
    for (auto& interest : agent.interests) interest.salience /= total;
    for (int j = i + 1; j < agents; ++j) {
      const auto u = rng.uniform2(2, Stream::kHazard, 0, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j));
      test::set_affinity(spec, i, j, 2 * u[0] - 1);
      test::set_trade(spec, i, j, 100 * u[1]);
    }
  }
  spec.regions.push_back({"R", "", 0, 0.5, std::vector<double>(static_cast<std::size_t>(agents), 1.0)});
  spec.track = {{{0, 1}, {1, 2}}, {0, 1}};
  spec.run.ticks = ticks;
  spec.run.record_every = 4;
  return spec;
}

/// Dyad-issue updates of one tick: N (N - 1) / 2 * K.
inline std::int64_t dyad_issue_updates(int agents, int issues) {
  return std::int64_t{agents} * (agents - 1) / 2 * issues;
}

}  // namespace geosim::micro
