#pragma once
#include <cstdint>

namespace geosim::sweep {

/// A pseudo-random permutation of [0, n) chosen by a 64-bit key, evaluated one element at a
/// time in O(1) memory: a balanced Feistel network on the smallest even number of bits that
/// holds n - 1, restricted to [0, n) by cycle walking (Black and Rogaway, "Ciphers with
/// arbitrary finite domains", CT-RSA 2002). A Feistel network is a bijection whatever its
/// round function, and walking the cycle from x until it re-enters [0, n) keeps it one on
/// [0, n); the domain is below 4n, so a walk takes under 4 steps on average.
class KeyedPermutation {
 public:
  KeyedPermutation(std::uint64_t n, std::uint64_t key);

  /// The image of x; x must be in [0, n).
  std::uint64_t operator()(std::uint64_t x) const;

  std::uint64_t size() const { return n_; }

 private:
  /// One pass of the Feistel network over the full 2 * half_bits_ domain.
  std::uint64_t encrypt(std::uint64_t x) const;

  std::uint64_t n_;
  std::uint64_t key_;
  unsigned half_bits_ = 0;
  std::uint64_t half_mask_ = 0;
};

/// The splitmix64 finaliser (Steele, Lea and Flood, OOPSLA 2014): a bijective 64-bit mixer
/// with full avalanche, used as the Feistel round function.
std::uint64_t mix64(std::uint64_t z);

}  // namespace geosim::sweep
