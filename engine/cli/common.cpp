#include "common.h"

#include "registry.h"

namespace geosim::cli {

ScenarioSpec load(const std::string& file) {
  LoadOptions options;
  options.rules = agents::rule_catalog();
  return load_scenario(file, options);
}

}  // namespace geosim::cli
