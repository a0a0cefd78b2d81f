#pragma once
#include <filesystem>
#include <string>

#include "geosim/scenario.h"

namespace geosim::cli {

/// Loads and validates a scenario with the registry's rule names (throws InputError, IoError).
ScenarioSpec load(const std::string& file);

/// The whole text of a file ("" when it cannot be read).
std::string read_text_file(const std::filesystem::path& path);

}  // namespace geosim::cli
