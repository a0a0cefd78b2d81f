#pragma once
#include "geosim/rng.h"
#include "geosim/scenario.h"
#include "geosim/state.h"

namespace geosim {

/// MODEL.md P0: applies the policies of tick `tick`, then its scheduled events, each in file
/// order, then (stochastic mode only) draws the hazard events. Throws Error when a salience
/// change would leave an agent with every salience 0.
void apply_schedule(const ScenarioSpec& spec, WorldState& state, int tick, Mode mode, const Rng& rng);

}  // namespace geosim
