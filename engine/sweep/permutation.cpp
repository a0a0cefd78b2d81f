#include "sweep/permutation.h"

#include <bit>

namespace geosim::sweep {
namespace {

/// Luby and Rackoff: 4 rounds already give a pseudo-random permutation; 6 leave a margin
/// for the short halves of small domains.
constexpr int kRounds = 6;

}  // namespace

std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

KeyedPermutation::KeyedPermutation(std::uint64_t n, std::uint64_t key) : n_(n), key_(key) {
  // Bits for the largest element n - 1, rounded up to an even count so the halves balance.
  const unsigned bits = n > 1 ? static_cast<unsigned>(std::bit_width(n - 1)) : 0;
  half_bits_ = (bits + 1) / 2;
  half_mask_ = half_bits_ >= 64 ? ~0ULL : (1ULL << half_bits_) - 1;
}

std::uint64_t KeyedPermutation::encrypt(std::uint64_t x) const {
  std::uint64_t left = x >> half_bits_;
  std::uint64_t right = x & half_mask_;
  for (int round = 0; round < kRounds; ++round) {
    const std::uint64_t f = mix64(key_ ^ mix64(right + 0x9e3779b97f4a7c15ULL * (round + 1ULL)));
    const std::uint64_t next = left ^ (f & half_mask_);
    left = right;
    right = next;
  }
  return (left << half_bits_) | right;
}

std::uint64_t KeyedPermutation::operator()(std::uint64_t x) const {
  if (n_ <= 1) return 0;
  std::uint64_t y = encrypt(x);
  while (y >= n_) y = encrypt(y);
  return y;
}

}  // namespace geosim::sweep
