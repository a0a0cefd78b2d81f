#include "geosim/rng.h"

#include <Random123/philox.h>

namespace geosim {
namespace {

// The splitmix64 finaliser: a bijective 64-bit mixer with full avalanche.
std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t combine(std::uint64_t hash, std::uint64_t value) {
  return mix64(hash ^ mix64(value + 0x9e3779b97f4a7c15ULL));
}

double to_unit(std::uint32_t hi, std::uint32_t lo) {
  const std::uint64_t bits = ((static_cast<std::uint64_t>(hi) << 32) | lo) >> 11;
  return static_cast<double>(bits) * 0x1.0p-53;
}

}  // namespace

std::uint64_t Rng::key_for(std::uint64_t seed, std::uint64_t design_point, std::uint64_t replicate) {
  return combine(combine(combine(0x67656f73696dULL, seed), design_point), replicate);
}

std::array<std::uint32_t, 4> Rng::block(std::uint32_t tick, Stream stream, std::uint32_t k,
                                        std::uint32_t i, std::uint32_t j) const {
  using Philox = r123::Philox4x32;
  const Philox::ctr_type ctr{{tick, (static_cast<std::uint32_t>(stream) << 24) | (k & 0xffffffu), i, j}};
  const Philox::key_type key{{static_cast<std::uint32_t>(key_), static_cast<std::uint32_t>(key_ >> 32)}};
  const auto out = Philox{}(ctr, key);
  return {out[0], out[1], out[2], out[3]};
}

std::array<double, 2> Rng::uniform2(std::uint32_t tick, Stream stream, std::uint32_t k,
                                    std::uint32_t i, std::uint32_t j) const {
  const auto b = block(tick, stream, k, i, j);
  return {to_unit(b[0], b[1]), to_unit(b[2], b[3])};
}

}  // namespace geosim
