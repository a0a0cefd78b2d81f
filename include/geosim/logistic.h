#pragma once
// The logistic function of MODEL.md (P3, P6) with an exponential of the project's own, written
// once over a "lane" type that is either a double or a vector of doubles (the compiler's vector
// extension). The scalar and the vector evaluations perform the same IEEE operations in the
// same order, so they agree to the last bit by construction, on every platform and with any C
// library (the project compiles with -ffp-contract=off, so no fused multiply-add changes that).
#include <bit>
#include <cstddef>
#include <cstdint>

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

inline constexpr double kLog2e = 0x1.71547652b82fep0;
inline constexpr double kLn2Hi = 0x1.62e42fee00000p-1;  ///< ln 2 to 32 bits: n * kLn2Hi is exact
inline constexpr double kLn2Lo = 0x1.a39ef35793c76p-33;  ///< ln 2 - kLn2Hi
inline constexpr double kRound = 0x1.8p52;  ///< adding it rounds to an integer in the low bits
inline constexpr double kLowest = -708.0;  ///< exp(-708) = 3.3e-308, still a normal number

/// exp(y) for y <= 0 (0 below kLowest, where the exact value is under 3.3e-308; NaN gives NaN).
/// y = n ln 2 + r with |r| <= ln 2 / 2 (Cody and Waite's two-part ln 2), exp(r) by its Taylor
/// polynomial of degree 13 (truncation error below 2^-60 on that interval), then times 2^n built
/// in the exponent bits. Within 2 units in the last place of the C library's exp (tested).
template <class Lane> [[gnu::always_inline]] inline Lane exp_nonpositive(Lane y) {
  using Bits = typename LaneBits<Lane>::type;
  const Lane zero{};
  const Lane x = select(y < kLowest, zero + kLowest, y);
  const Lane shifted = x * kLog2e + kRound;
  const Lane n = shifted - kRound;
  const Lane r = (x - n * kLn2Hi) - n * kLn2Lo;
  // Estrin's scheme: independent pairs, then powers r^2, r^4, r^8, so that the dependent chain
  // is short and consecutive evaluations overlap in the processor.
  const Lane r2 = r * r;
  const Lane r4 = r2 * r2;
  const Lane r8 = r4 * r4;
  const Lane q0 = r + 1.0;
  const Lane q1 = r * (1.0 / 6.0) + 0.5;
  const Lane q2 = r * (1.0 / 120.0) + 1.0 / 24.0;
  const Lane q3 = r * (1.0 / 5040.0) + 1.0 / 720.0;
  const Lane q4 = r * (1.0 / 362880.0) + 1.0 / 40320.0;
  const Lane q5 = r * (1.0 / 39916800.0) + 1.0 / 3628800.0;
  const Lane q6 = r * (1.0 / 6227020800.0) + 1.0 / 479001600.0;
  const Lane s0 = q1 * r2 + q0;
  const Lane s1 = q3 * r2 + q2;
  const Lane s2 = q5 * r2 + q4;
  const Lane t0 = s1 * r4 + s0;
  const Lane t1 = q6 * r4 + s2;
  const Lane p = t1 * r8 + t0;
  // The low bits of `shifted` hold n (two's complement); moved into the exponent field and
  // added to the bits of 1.0 they make 2^n, for -1022 <= n <= 0.
  const Bits scale = (std::bit_cast<Bits>(shifted) << 52) + std::bit_cast<Bits>(zero + 1.0);
  return select(y < kLowest, zero, p * std::bit_cast<Lane>(scale));
}

/// 1 / (1 + exp(-z)) as (z >= 0 ? 1 : e) / (1 + e) with e = exp(-|z|) <= 1: never overflows.
template <class Lane> [[gnu::always_inline]] inline Lane logistic(Lane z) {
  const Lane negative = select(z < 0.0, z, -z);
  const Lane e = exp_nonpositive<Lane>(negative);
  const Lane one = Lane{} + 1.0;
  return select(z < 0.0, e, one) / (one + e);
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
