#pragma once
// FNV-1a 64, the hash behind scenario and experiment hashes and sweep fingerprints: fast,
// stable across platforms and versions, and not for security.
#include <cstdint>
#include <string_view>

namespace geosim {

inline constexpr std::uint64_t kFnvOffsetBasis = 14695981039346656037ull;

/// `hash` extended by the bytes of `text`.
inline std::uint64_t fnv1a(std::uint64_t hash, std::string_view text) {
  for (unsigned char byte : text) hash = (hash ^ byte) * 1099511628211ull;
  return hash;
}

}  // namespace geosim
