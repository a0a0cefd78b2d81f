#pragma once
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace geosim::test {

inline std::filesystem::path source_dir() { return GEOSIM_SOURCE_DIR; }

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

/// GEOSIM_UPDATE_GOLDEN=1 rewrites golden files instead of comparing (review the diff!).
inline bool updating_golden() {
  const char* value = std::getenv("GEOSIM_UPDATE_GOLDEN");
  return value != nullptr && std::string(value) == "1";
}

}  // namespace geosim::test
