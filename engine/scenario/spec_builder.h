#pragma once
#include "geosim/scenario.h"
#include "scenario/diagnostics.h"
#include "scenario/yaml_tree.h"

namespace geosim::scenario {

/// Validates the merged scenario tree and turns it into a spec. Every problem is recorded in
/// `diags`; the returned spec is meaningful only when nothing was recorded. Fills everything
/// but `sources` and `inputs_hash`.
ScenarioSpec build_spec(const Node& root, const LoadOptions& options, Diagnostics& diags);

}  // namespace geosim::scenario
