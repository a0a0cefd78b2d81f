#pragma once
#include <ctime>
#include <string>

namespace geosim {

/// The current UTC time formatted with strftime's `format` (manifests, report headers).
inline std::string utc_now(const char* format) {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[64];
  std::strftime(text, sizeof text, format, &tm);
  return text;
}

}  // namespace geosim
