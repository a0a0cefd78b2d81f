#include "geosim/logistic.h"

#include <cstring>

#include "geosim/simd.h"

// See logistic.h: the four-lane code is inlined into block_avx2 only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

namespace geosim {
namespace logistic_detail {
namespace {

template <class Lane> [[gnu::always_inline]] inline void evaluate(const double* z, double* out, std::size_t count) {
  constexpr std::size_t kWidth = sizeof(Lane) / sizeof(double);
  std::size_t index = 0;
  for (; index + kWidth <= count; index += kWidth) {
    Lane lane;
    std::memcpy(&lane, z + index, sizeof lane);
    lane = logistic<Lane>(lane);
    std::memcpy(out + index, &lane, sizeof lane);
  }
  for (; index < count; ++index) out[index] = logistic<double>(z[index]);
}

}  // namespace

void block_baseline(const double* z, double* out, std::size_t count) { evaluate<Doubles2>(z, out, count); }

// The same operations on four lanes in AVX registers: without fused multiply-add (no "fma" in
// the target), so every lane's result is the scalar one.
GEOSIM_AVX2 void block_avx2(const double* z, double* out, std::size_t count) {
  evaluate<Doubles4>(z, out, count);
}

}  // namespace logistic_detail

void logistic_block(const double* z, double* out, std::size_t count) {
  if (cpu_has_avx2()) {
    logistic_detail::block_avx2(z, out, count);
  } else {
    logistic_detail::block_baseline(z, out, count);
  }
}

}  // namespace geosim
