#pragma once
// The logistic function of MODEL.md (P3, P6) with an exponential of the project's own, written
// once over a "lane" type that is either a double or a vector of doubles (the compiler's vector
// extension). The scalar and the vector evaluations perform the same IEEE operations in the
// same order, so they agree to the last bit by construction, on every platform and with any C
// library (the project compiles with -ffp-contract=off, so no fused multiply-add changes that).
#include <bit>
#include <cstddef>
#include <cstdint>
#include <type_traits>

// The four-lane instantiations are always inlined into a function compiled for AVX, so no
// AVX vector crosses a call boundary; GCC still warns at their definition.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

namespace geosim {
namespace logistic_detail {

/// Two doubles (one SSE2 register, the baseline of x86-64) and four (one AVX register), with
/// their bits and a comparison's result (all ones or all zeros per lane).
using Doubles2 = double __attribute__((vector_size(16)));
using Bits2 = std::uint64_t __attribute__((vector_size(16)));
using Mask2 = std::int64_t __attribute__((vector_size(16)));
using Doubles4 = double __attribute__((vector_size(32)));
using Bits4 = std::uint64_t __attribute__((vector_size(32)));
using Mask4 = std::int64_t __attribute__((vector_size(32)));

template <class Lane> struct LaneBits;
template <> struct LaneBits<double> { using type = std::uint64_t; };
template <> struct LaneBits<Doubles2> { using type = Bits2; };
template <> struct LaneBits<Doubles4> { using type = Bits4; };

/// condition ? a : b, lane by lane (by masks for vectors: no branch, no scalar lowering).
/// Everything here is always inlined, so that a caller compiled for a wider instruction set
/// evaluates it with that set.
[[gnu::always_inline]] inline double select(bool condition, double a, double b) { return condition ? a : b; }
template <class Lane, class Mask>
[[gnu::always_inline]] inline Lane select(Mask condition, Lane a, Lane b) {
  using Bits = typename LaneBits<Lane>::type;
  const Bits mask = std::bit_cast<Bits>(condition);
  return std::bit_cast<Lane>((mask & std::bit_cast<Bits>(a)) | (~mask & std::bit_cast<Bits>(b)));
}

inline constexpr double k64OverLn2 = 0x1.71547652b82fep+6;  ///< 64 / ln 2
inline constexpr double kLn2Over64Hi = 0x1.62e42fec00000p-7;  ///< ln 2 / 64 to 30 bits: k * it is exact
inline constexpr double kLn2Over64Lo = 0x1.d1cf79abc9e3bp-38;  ///< ln 2 / 64 - kLn2Over64Hi
inline constexpr double kRound = 0x1.8p52;  ///< adding it rounds to an integer in the low bits
inline constexpr double kLowest = -708.0;  ///< exp(-708) = 3.3e-308, still a normal number
inline constexpr double kHighest = 700.0;  ///< exp(700) = 1.0e304, below the largest double

/// 2^(j / 64) for j = 0, ..., 63, each the double nearest the exact value (computed to 60
/// decimal digits).
inline constexpr double kExp2Sixtyfourths[64] = {
    0x1.0000000000000p+0, 0x1.02c9a3e778061p+0, 0x1.059b0d3158574p+0, 0x1.0874518759bc8p+0,
    0x1.0b5586cf9890fp+0, 0x1.0e3ec32d3d1a2p+0, 0x1.11301d0125b51p+0, 0x1.1429aaea92de0p+0,
    0x1.172b83c7d517bp+0, 0x1.1a35beb6fcb75p+0, 0x1.1d4873168b9aap+0, 0x1.2063b88628cd6p+0,
    0x1.2387a6e756238p+0, 0x1.26b4565e27cddp+0, 0x1.29e9df51fdee1p+0, 0x1.2d285a6e4030bp+0,
    0x1.306fe0a31b715p+0, 0x1.33c08b26416ffp+0, 0x1.371a7373aa9cbp+0, 0x1.3a7db34e59ff7p+0,
    0x1.3dea64c123422p+0, 0x1.4160a21f72e2ap+0, 0x1.44e086061892dp+0, 0x1.486a2b5c13cd0p+0,
    0x1.4bfdad5362a27p+0, 0x1.4f9b2769d2ca7p+0, 0x1.5342b569d4f82p+0, 0x1.56f4736b527dap+0,
    0x1.5ab07dd485429p+0, 0x1.5e76f15ad2148p+0, 0x1.6247eb03a5585p+0, 0x1.6623882552225p+0,
    0x1.6a09e667f3bcdp+0, 0x1.6dfb23c651a2fp+0, 0x1.71f75e8ec5f74p+0, 0x1.75feb564267c9p+0,
    0x1.7a11473eb0187p+0, 0x1.7e2f336cf4e62p+0, 0x1.82589994cce13p+0, 0x1.868d99b4492edp+0,
    0x1.8ace5422aa0dbp+0, 0x1.8f1ae99157736p+0, 0x1.93737b0cdc5e5p+0, 0x1.97d829fde4e50p+0,
    0x1.9c49182a3f090p+0, 0x1.a0c667b5de565p+0, 0x1.a5503b23e255dp+0, 0x1.a9e6b5579fdbfp+0,
    0x1.ae89f995ad3adp+0, 0x1.b33a2b84f15fbp+0, 0x1.b7f76f2fb5e47p+0, 0x1.bcc1e904bc1d2p+0,
    0x1.c199bdd85529cp+0, 0x1.c67f12e57d14bp+0, 0x1.cb720dcef9069p+0, 0x1.d072d4a07897cp+0,
    0x1.d5818dcfba487p+0, 0x1.da9e603db3285p+0, 0x1.dfc97337b9b5fp+0, 0x1.e502ee78b3ff6p+0,
    0x1.ea4afa2a490dap+0, 0x1.efa1bee615a27p+0, 0x1.f50765b6e4540p+0, 0x1.fa7c1819e90d8p+0,
};

/// kExp2Sixtyfourths[index] in each lane (index: the low 6 bits of each lane of `bits`).
[[gnu::always_inline]] inline double table_lanes(std::uint64_t bits) { return kExp2Sixtyfourths[bits & 63]; }
template <class Bits> [[gnu::always_inline]] inline auto table_lanes(Bits bits) {
  constexpr int kWidth = sizeof(Bits) / sizeof(std::uint64_t);
  double values[kWidth];
  for (int lane = 0; lane < kWidth; ++lane) values[lane] = kExp2Sixtyfourths[bits[lane] & 63];
  if constexpr (kWidth == 2) {
    return Doubles2{values[0], values[1]};
  } else {
    return Doubles4{values[0], values[1], values[2], values[3]};
  }
}

/// exp(y) for kLowest <= y <= kHighest, as exp_capped below computes it there (the same bits),
/// without its two selects: for callers that know the range.
template <class Lane> [[gnu::always_inline]] inline Lane exp_in_range(Lane x) {
  using Bits = typename LaneBits<Lane>::type;
  const Lane zero{};
  const Lane shifted = x * k64OverLn2 + kRound;
  const Lane k = shifted - kRound;
  const Lane r = (x - k * kLn2Over64Hi) - k * kLn2Over64Lo;
  const Lane r2 = r * r;
  const Lane low = r * (1.0 / 6.0) + 0.5;
  const Lane high = r * (1.0 / 120.0) + 1.0 / 24.0;
  const Lane expm1 = (high * r2 + low) * r2 + r;
  const Bits bits = std::bit_cast<Bits>(shifted);
  const Lane table = table_lanes(bits);
  const Bits scale = ((bits >> 6) << 52) + std::bit_cast<Bits>(zero + 1.0);
  return (table + table * expm1) * std::bit_cast<Lane>(scale);
}

/// exp_in_range(y) and exp_in_range(-y) together, to their bits: -y's reduction is y's negated
/// exactly (IEEE rounding is symmetric in sign, so -y rounds to -k and leaves -r), so the two share
/// the products of the reduction and the polynomial's r^2, r / 6 and r / 120.
template <class Lane> [[gnu::always_inline]] inline void exp_pair_in_range(Lane y, Lane& up, Lane& down) {
  using Bits = typename LaneBits<Lane>::type;
  const Lane zero{};
  const Lane scaled = y * k64OverLn2;
  const Lane shifted = scaled + kRound, shifted_down = kRound - scaled;
  const Lane k = shifted - kRound;
  const Lane high_part = k * kLn2Over64Hi, low_part = k * kLn2Over64Lo;
  const Lane r = (y - high_part) - low_part;
  const Lane r_down = (high_part - y) + low_part;  // -r
  const Lane r2 = r * r;
  const Lane sixth = r * (1.0 / 6.0), hundred_twentieth = r * (1.0 / 120.0);
  const Lane expm1 = ((hundred_twentieth + 1.0 / 24.0) * r2 + (sixth + 0.5)) * r2 + r;
  const Lane expm1_down = (((-hundred_twentieth) + 1.0 / 24.0) * r2 + ((-sixth) + 0.5)) * r2 + r_down;
  const Lane one = zero + 1.0;
  const Bits bits = std::bit_cast<Bits>(shifted), bits_down = std::bit_cast<Bits>(shifted_down);
  const Lane table = table_lanes(bits), table_down = table_lanes(bits_down);
  const Bits scale = ((bits >> 6) << 52) + std::bit_cast<Bits>(one);
  const Bits scale_down = ((bits_down >> 6) << 52) + std::bit_cast<Bits>(one);
  up = (table + table * expm1) * std::bit_cast<Lane>(scale);
  down = (table_down + table_down * expm1_down) * std::bit_cast<Lane>(scale_down);
}

/// exp(y) for y <= kHighest (0 below kLowest, where the exact value is under 3.3e-308; NaN gives
/// NaN; above kHighest the result is not defined). y = (64 m + j) ln 2 / 64 + r with
/// |r| <= ln 2 / 128 (a two-part ln 2 / 64, so the reduction is exact), then
/// exp(y) = 2^m 2^(j/64) exp(r): 2^(j/64) from a table of 64, exp(r) - 1 by its Taylor polynomial
/// of degree 5 (truncation error below 2^-54 on that interval), added to 1 as T + T (exp(r) - 1)
/// so that the last rounding is one addition, and 2^m built in the exponent bits
/// (-1022 <= m <= 1010). Within 2 units in the last place of the C library's exp (tested).
template <class Lane> [[gnu::always_inline]] inline Lane exp_capped(Lane y) {
  const Lane zero{};
  return select(y < kLowest, zero, exp_in_range<Lane>(select(y < kLowest, zero + kLowest, y)));
}

/// The logistic function as a fraction over 1 + e, e = exp(-|z|) <= 1 (never overflows):
/// logistic(z) = numerator / denominator and 1 - logistic(z) = complement / denominator.
template <class Lane> struct LogisticParts {
  Lane numerator;  ///< z >= 0 ? 1 : e
  Lane complement;  ///< z >= 0 ? e : 1
  Lane denominator;  ///< 1 + e, in [1, 2]
};

template <class Lane> [[gnu::always_inline]] inline LogisticParts<Lane> logistic_parts(Lane z) {
  const Lane negative = select(z < 0.0, z, -z);
  const Lane e = exp_capped<Lane>(negative);
  const Lane one = Lane{} + 1.0;
  return {select(z < 0.0, e, one), select(z < 0.0, one, e), one + e};
}

/// 1 / (1 + exp(-z)) as (z >= 0 ? 1 : e) / (1 + e) with e = exp(-|z|) <= 1: never overflows.
template <class Lane> [[gnu::always_inline]] inline Lane logistic(Lane z) {
  const LogisticParts<Lane> parts = logistic_parts<Lane>(z);
  return parts.numerator / parts.denominator;
}

/// logistic_block's two implementations, exposed for the tests: two lanes at a time (every
/// processor) and four (AVX2; chosen only where cpu_has_avx2(), geosim/simd.h).
void block_baseline(const double* z, double* out, std::size_t count);
void block_avx2(const double* z, double* out, std::size_t count);

}  // namespace logistic_detail

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/// The logistic function 1 / (1 + exp(-z)), without overflow for any z; within a few units in
/// the last place of the exact value (exactly 1 above z = 37, exactly 0 below z = -708).
inline double logistic(double z) { return logistic_detail::logistic<double>(z); }

/// out[i] = logistic(z[i]) for i < count, to the last bit, several at a time (four where the
/// processor has AVX2, else two). Thread-safe; `z` and `out` may be the same array.
void logistic_block(const double* z, double* out, std::size_t count);

}  // namespace geosim
