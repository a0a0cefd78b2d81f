#pragma once
#include <string_view>

namespace geosim {
/// The project version (semver), e.g. "0.1.0".
std::string_view version();
/// The git commit the binary was built from ("unknown" outside a checkout; "-dirty" suffix
/// when tracked files had uncommitted changes).
std::string_view git_commit();
/// The compiler id and version, e.g. "GNU-12.2.0".
std::string_view compiler();
}  // namespace geosim
