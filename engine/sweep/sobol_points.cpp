#include "sweep/sobol_points.h"

#include <boost/random/sobol.hpp>

#include <stdexcept>
#include <string>

namespace geosim::sweep {
namespace {

constexpr unsigned kBits = 64;

}  // namespace

std::size_t SobolDirections::max_dimension() {
  return boost::random::default_sobol_table::max_dimension;
}

SobolDirections::SobolDirections(std::size_t dimension) : dimension_(dimension) {
  if (dimension == 0 || dimension > max_dimension()) {
    throw std::invalid_argument("Sobol dimension must be in [1, " +
                                std::to_string(max_dimension()) + "], got " +
                                std::to_string(dimension));
  }
  // Boost keeps its direction table private. Seeding the generator at sequence position
  // 2^(r+1) - 2 puts it on Sobol index 2^(r+1) - 1, whose Gray code is the single bit r,
  // so the vector it yields is direction r itself.
  boost::random::sobol engine(dimension);
  directions_.resize(kBits * dimension);
  for (unsigned r = 0; r < kBits; ++r) {
    const std::uint64_t position = r + 1 < kBits ? (std::uint64_t{1} << (r + 1)) - 2 : ~std::uint64_t{1};
    engine.seed(position);
    for (std::size_t k = 0; k < dimension; ++k) directions_[r * dimension + k] = engine();
  }
}

std::vector<std::uint64_t> SobolDirections::point(std::uint64_t index) const {
  std::vector<std::uint64_t> out(dimension_, 0);
  std::uint64_t gray = index ^ (index >> 1);
  for (std::size_t r = 0; gray != 0; ++r, gray >>= 1) {
    if ((gray & 1) == 0) continue;
    for (std::size_t k = 0; k < dimension_; ++k) out[k] ^= directions_[r * dimension_ + k];
  }
  return out;
}

double to_unit_interval(std::uint64_t word) { return static_cast<double>(word >> 11) * 0x1.0p-53; }

}  // namespace geosim::sweep

