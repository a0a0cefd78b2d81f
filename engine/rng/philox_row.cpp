// Rng::uniform2_row: Philox4x32-10 on several counters at once, in vector lanes (two on every
// x86-64 processor, four with AVX2). Each lane holds one 32-bit word of one counter in 64 bits,
// so that the 32 x 32 -> 64-bit products of a round are one instruction for all lanes. The
// results are Rng::block's words, and the uniforms Rng::uniform2's values, to the bit
// (tests/unit/core/rng_test.cpp).
#include <cstdint>
#include <cstring>

#include "geosim/rng.h"
#include "geosim/simd.h"

#if GEOSIM_X86_DISPATCH
#include <immintrin.h>
#endif

// The four-lane code is inlined into the AVX2 function only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

namespace geosim {
namespace {

using Words2 = std::uint64_t __attribute__((vector_size(16)));
using Words4 = std::uint64_t __attribute__((vector_size(32)));
using Doubles2 = double __attribute__((vector_size(16)));
using Doubles4 = double __attribute__((vector_size(32)));

template <class Words> struct LaneDoubles;
template <> struct LaneDoubles<Words2> { using type = Doubles2; };
template <> struct LaneDoubles<Words4> { using type = Doubles4; };

// Philox4x32's multipliers and Weyl increments of the key (Salmon et al., SC'11).
constexpr std::uint32_t kMultiplier0 = 0xD2511F53u;
constexpr std::uint32_t kMultiplier1 = 0xCD9E8D57u;
constexpr std::uint32_t kWeyl0 = 0x9E3779B9u;
constexpr std::uint32_t kWeyl1 = 0xBB67AE85u;
constexpr int kRounds = 10;

// The full 64-bit products of the low 32 bits of each lane: one instruction for all lanes on
// x86-64 (pmuludq), the compiler's 64-bit vector product elsewhere.
#if GEOSIM_X86_DISPATCH
inline Words2 wide_product(Words2 a, Words2 b) {
  return reinterpret_cast<Words2>(_mm_mul_epu32(reinterpret_cast<__m128i>(a), reinterpret_cast<__m128i>(b)));
}
GEOSIM_AVX2 inline Words4 wide_product(Words4 a, Words4 b) {
  return reinterpret_cast<Words4>(_mm256_mul_epu32(reinterpret_cast<__m256i>(a), reinterpret_cast<__m256i>(b)));
}
#else
template <class Words> inline Words wide_product(Words a, Words b) {
  const Words low = Words{} + 0xffffffffULL;
  return (a & low) * (b & low);
}
#endif

// A 32-bit word (in a 64-bit lane) as a double, exactly: 2^52 + w has w in its low mantissa bits.
template <class Words> inline typename LaneDoubles<Words>::type to_double(Words w) {
  using Doubles = typename LaneDoubles<Words>::type;
  const Words two52 = Words{} + 0x4330000000000000ULL;
  return reinterpret_cast<Doubles>(w | two52) - 0x1.0p52;
}

// Ten Philox rounds on G groups of counters (c0, c1, c2, c3), the groups interleaved so that
// the processor overlaps their dependent chains; then the two uniforms of Rng::uniform2:
// ((hi << 32 | lo) >> 11) 2^-53 = hi 2^-32 + (lo >> 11) 2^-53, both terms and their sum exact.
template <class Words, int G>
inline void philox_uniforms(const Words (&c1_in)[G], const Words (&c3_in)[G], std::uint32_t tick, std::uint32_t i,
                            std::uint64_t key, typename LaneDoubles<Words>::type (&u0)[G],
                            typename LaneDoubles<Words>::type (&u1)[G]) {
  const Words low = Words{} + 0xffffffffULL;
  const Words m0 = Words{} + kMultiplier0;
  const Words m1 = Words{} + kMultiplier1;
  Words c0[G], c1[G], c2[G], c3[G];
  for (int g = 0; g < G; ++g) {
    c0[g] = Words{} + tick;
    c1[g] = c1_in[g];
    c2[g] = Words{} + i;
    c3[g] = c3_in[g];
  }
  auto k0 = static_cast<std::uint32_t>(key);
  auto k1 = static_cast<std::uint32_t>(key >> 32);
  for (int round = 0; round < kRounds; ++round) {
    if (round > 0) {
      k0 += kWeyl0;
      k1 += kWeyl1;
    }
    const Words key0 = Words{} + k0;
    const Words key1 = Words{} + k1;
    for (int g = 0; g < G; ++g) {
      const Words p0 = wide_product(c0[g], m0);
      const Words p1 = wide_product(c2[g], m1);
      c0[g] = (p1 >> 32) ^ c1[g] ^ key0;
      c2[g] = (p0 >> 32) ^ c3[g] ^ key1;
      c1[g] = p1 & low;
      c3[g] = p0 & low;
    }
  }
  for (int g = 0; g < G; ++g) {
    u0[g] = to_double(c0[g]) * 0x1.0p-32 + to_double(c1[g] >> 11) * 0x1.0p-53;
    u1[g] = to_double(c2[g]) * 0x1.0p-32 + to_double(c3[g] >> 11) * 0x1.0p-53;
  }
}

template <class Words>
inline void row(std::uint64_t key, std::uint32_t tick, Stream stream, std::uint32_t i, std::uint32_t j_begin,
                std::uint32_t j_end, std::uint32_t issues, double* out) {
  using Doubles = typename LaneDoubles<Words>::type;
  constexpr std::size_t kWidth = sizeof(Words) / sizeof(std::uint64_t);
  constexpr int kGroups = 2;
  constexpr std::size_t kStep = kGroups * kWidth;
  const std::size_t count = static_cast<std::size_t>(j_end - j_begin) * issues;
  const std::uint64_t stream_bits = static_cast<std::uint64_t>(stream) << 24;
  std::uint32_t j = j_begin, k = 0;  // the counter of the next lane
  std::size_t index = 0;
  // The last step runs on counters past the row's end too; only the row's lanes are stored.
  for (; index < count; index += kStep) {
    Words c1[kGroups], c3[kGroups];
    for (int g = 0; g < kGroups; ++g) {
      for (std::size_t lane = 0; lane < kWidth; ++lane) {
        c1[g][lane] = stream_bits | (k & 0xffffffu);
        c3[g][lane] = j;
        if (++k == issues) k = 0, ++j;
      }
    }
    Doubles u0[kGroups], u1[kGroups];
    philox_uniforms<Words, kGroups>(c1, c3, tick, i, key, u0, u1);
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
  row<Words2>(key, tick, stream, i, j_begin, j_end, issues, out);
}

GEOSIM_AVX2 [[gnu::flatten]] void row_avx2(std::uint64_t key, std::uint32_t tick, Stream stream, std::uint32_t i,
                                      std::uint32_t j_begin, std::uint32_t j_end, std::uint32_t issues, double* out) {
  row<Words4>(key, tick, stream, i, j_begin, j_end, issues, out);
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
