#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace geosim::sweep {

/// Boost's Sobol direction numbers (boost::random::sobol: the Joe and Kuo 2008 table, 64-bit
/// words), read once so that any point can be computed alone in O(64 d).
class SobolDirections {
 public:
  /// The most dimensions Boost's default table has (3667 in Boost 1.74).
  static std::size_t max_dimension();

  /// Throws std::invalid_argument when `dimension` is 0 or above max_dimension().
  explicit SobolDirections(std::size_t dimension);

  /// Sobol point `index` in Gray-code order as 64-bit integer coordinates: the XOR of the
  /// direction words of the bits set in gray(index) = index ^ (index >> 1). Index 0 is the
  /// origin; Boost's generator starts at index 1, so its k-th vector (k = 0, 1, ...) is
  /// point(k + 1).
  std::vector<std::uint64_t> point(std::uint64_t index) const;

  std::size_t dimension() const { return dimension_; }

 private:
  std::size_t dimension_;
  std::vector<std::uint64_t> directions_;  ///< [bit * dimension + k]
};

/// A 64-bit coordinate as a double in [0, 1): its top 53 bits times 2^-53. Elementary
/// intervals of width 2^-m, m <= 53, are kept exactly.
double to_unit_interval(std::uint64_t word);

}  // namespace geosim::sweep
