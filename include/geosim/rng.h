#pragma once
#include <array>
#include <cstdint>

namespace geosim {

/// Streams separate the uses of randomness inside one tick (MODEL.md section 5).
/// kDesign: the uniforms of sweep designs (engine/sweep/design.cpp), never drawn by a run.
enum class Stream : std::uint32_t { kCooperation = 1, kHazard = 2, kDesign = 3 };

/// Counter-based random numbers (Philox4x32-10 from Random123). Stateless and const: the same
/// key and counter always give the same numbers, on any thread, in any order.
/// Counter layout: (tick, stream << 24 | k, i, j); one Philox block gives two draws.
class Rng {
 public:
  explicit Rng(std::uint64_t key) : key_(key) {}

  /// The run key: a 64-bit hash of (master seed, design point, replicate), never a sum.
  static std::uint64_t key_for(std::uint64_t seed, std::uint64_t design_point, std::uint64_t replicate);

  /// The raw Philox block for a counter (exposed for known-answer tests).
  std::array<std::uint32_t, 4> block(std::uint32_t tick, Stream stream, std::uint32_t k,
                                     std::uint32_t i, std::uint32_t j) const;

  /// Two independent uniforms in [0, 1) with 53 random bits each: draw 0 from words 0-1 of
  /// the block, draw 1 from words 2-3.
  std::array<double, 2> uniform2(std::uint32_t tick, Stream stream, std::uint32_t k,
                                 std::uint32_t i, std::uint32_t j) const;

  std::uint64_t key() const { return key_; }

 private:
  std::uint64_t key_;
};

}  // namespace geosim
