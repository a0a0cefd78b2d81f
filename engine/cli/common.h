#pragma once
#include <string>

#include "geosim/scenario.h"

namespace geosim::cli {

/// Loads and validates a scenario with the registry's rule names (throws InputError, IoError).
ScenarioSpec load(const std::string& file);

}  // namespace geosim::cli
