#pragma once
#include <filesystem>

#include "geosim/scenario.h"
#include "scenario/yaml_tree.h"

namespace geosim::scenario {

/// Loads `base` with its extends chain and applies `child` (a map written in `child_source`,
/// e.g. an experiment's inline overlay) on top of it, as if `child` were a file that extends
/// `base`; validates the result. The spec's sources are `child_source`, then base's chain.
/// Throws as load_scenario does.
ScenarioSpec load_overlaid(const std::filesystem::path& base, const NodePtr& child, const SourceFile& child_source,
                           const LoadOptions& options);

}  // namespace geosim::scenario
