#include "common.h"

#include <fstream>
#include <sstream>

#include "registry.h"

namespace geosim::cli {

ScenarioSpec load(const std::string& file) {
  LoadOptions options;
  options.rules = agents::rule_catalog();
  return load_scenario(file, options);
}

std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace geosim::cli
