// Rng::uniform2_row: Philox4x32-10 on several counters at once, in vector lanes (geosim/philox_lanes.h:
// two on every x86-64 processor, four with AVX2). The uniforms are Rng::uniform2's values, to the
// bit (tests/unit/core/rng_test.cpp).
#include <cstdint>

#include "geosim/philox_lanes.h"
#include "geosim/rng.h"
#include "geosim/simd.h"

// The four-lane code is inlined into the AVX2 function only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

namespace geosim {
namespace {

template <class Doubles>
inline void row(std::uint64_t key, std::uint32_t tick, Stream stream, std::uint32_t i, std::uint32_t j_begin,
                std::uint32_t j_end, std::uint32_t issues, double* out) {
  using Words = philox::Words<Doubles>;
  constexpr std::size_t kWidth = sizeof(Words) / sizeof(std::uint64_t);
  constexpr int kGroups = 2;
  constexpr std::size_t kStep = kGroups * kWidth;
  const std::size_t count = static_cast<std::size_t>(j_end - j_begin) * issues;
  std::uint32_t j = j_begin, k = 0;  // the counter of the next lane
  std::size_t index = 0;
  // The last step runs on counters past the row's end too; only the row's lanes are stored.
  for (; index < count; index += kStep) {
    Words c1[kGroups], c3[kGroups];
    for (int g = 0; g < kGroups; ++g) {
      for (std::size_t lane = 0; lane < kWidth; ++lane) {
        c1[g][lane] = philox::stream_word(stream, k);
        c3[g][lane] = j;
        if (++k == issues) k = 0, ++j;
      }
    }
    Doubles u0[kGroups], u1[kGroups];
    philox::uniforms<Doubles, kGroups>(c1, c3, tick, i, key, u0, u1);
    if (index + kStep <= count) {
      for (int g = 0; g < kGroups; ++g) {
        for (std::size_t lane = 0; lane < kWidth; ++lane) {
          out[2 * (index + g * kWidth + lane)] = u0[g][lane];
          out[2 * (index + g * kWidth + lane) + 1] = u1[g][lane];
        }
      }
      continue;
    }
    for (std::size_t lane = 0; index + lane < count; ++lane) {
      out[2 * (index + lane)] = u0[lane / kWidth][lane % kWidth];
      out[2 * (index + lane) + 1] = u1[lane / kWidth][lane % kWidth];
    }
  }
}

}  // namespace

namespace rng_detail {

// flatten: everything the row calls is inlined into it, so the four-lane code is compiled
// for AVX2 inside row_avx2 only.
[[gnu::flatten]] void row_baseline(std::uint64_t key, std::uint32_t tick, Stream stream, std::uint32_t i, std::uint32_t j_begin,
                  std::uint32_t j_end, std::uint32_t issues, double* out) {
  row<logistic_detail::Doubles2>(key, tick, stream, i, j_begin, j_end, issues, out);
}

GEOSIM_AVX2 [[gnu::flatten]] void row_avx2(std::uint64_t key, std::uint32_t tick, Stream stream, std::uint32_t i,
                                      std::uint32_t j_begin, std::uint32_t j_end, std::uint32_t issues, double* out) {
  row<logistic_detail::Doubles4>(key, tick, stream, i, j_begin, j_end, issues, out);
}

}  // namespace rng_detail

void Rng::uniform2_row(std::uint32_t tick, Stream stream, std::uint32_t i, std::uint32_t j_begin, std::uint32_t j_end,
                       std::uint32_t issues, double* out) const {
  if (j_end <= j_begin || issues == 0) return;
  if (cpu_has_avx2()) {
    rng_detail::row_avx2(key_, tick, stream, i, j_begin, j_end, issues, out);
  } else {
    rng_detail::row_baseline(key_, tick, stream, i, j_begin, j_end, issues, out);
  }
}

}  // namespace geosim
