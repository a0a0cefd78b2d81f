#pragma once
// Philox4x32-10 on several counters at once, in vector lanes: one counter per lane (one, two on
// every x86-64 processor, four with AVX2). Each lane holds one 32-bit word of its counter in 64
// bits, so that the 32 x 32 -> 64-bit products of a round are one instruction for all lanes.
// The words are Rng::block's and the uniforms Rng::uniform2's, to the bit (tests/unit/core/
// rng_test.cpp and portable_lanes_test.cpp, and P3 against the serial reference in
// fast_path_test.cpp). P3 draws its pairs' decisions this way, in the lanes that play them.
#include <bit>
#include <cstdint>

#include "geosim/logistic.h"
#include "geosim/rng.h"
#include "geosim/simd.h"

#if GEOSIM_X86_DISPATCH
#include <immintrin.h>
#endif

// The four-lane code is only ever inlined into functions compiled for AVX2.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

namespace geosim::philox {

/// The words of a lane type (std::uint64_t, or a vector of two or four): one counter per lane.
template <class Lane> using Words = typename logistic_detail::LaneBits<Lane>::type;

// Philox4x32's multipliers and Weyl increments of the key (Salmon et al., SC'11).
inline constexpr std::uint32_t kMultiplier0 = 0xD2511F53u;
inline constexpr std::uint32_t kMultiplier1 = 0xCD9E8D57u;
inline constexpr std::uint32_t kWeyl0 = 0x9E3779B9u;
inline constexpr std::uint32_t kWeyl1 = 0xBB67AE85u;
inline constexpr int kRounds = 10;

/// The full 64-bit products of the low 32 bits of each lane (the high 32 bits of the inputs are
/// ignored): one instruction for all lanes on x86-64 (pmuludq).
inline std::uint64_t wide_product(std::uint64_t a, std::uint64_t b) { return (a & 0xffffffffULL) * (b & 0xffffffffULL); }
#if GEOSIM_X86_DISPATCH
inline logistic_detail::Bits2 wide_product(logistic_detail::Bits2 a, logistic_detail::Bits2 b) {
  return reinterpret_cast<logistic_detail::Bits2>(_mm_mul_epu32(reinterpret_cast<__m128i>(a), reinterpret_cast<__m128i>(b)));
}
GEOSIM_AVX2 inline logistic_detail::Bits4 wide_product(logistic_detail::Bits4 a, logistic_detail::Bits4 b) {
  return reinterpret_cast<logistic_detail::Bits4>(_mm256_mul_epu32(reinterpret_cast<__m256i>(a), reinterpret_cast<__m256i>(b)));
}
#else
template <class W> [[gnu::always_inline]] inline W wide_product(W a, W b) {
  const W low = W{} + 0xffffffffULL;
  return (a & low) * (b & low);
}
#endif

/// A word below 2^32 (in a 64-bit lane) as a double, exactly: 2^52 + w has w in its low
/// mantissa bits.
template <class Lane> [[gnu::always_inline]] inline Lane to_double(Words<Lane> w) {
  const Words<Lane> two52 = Words<Lane>{} + 0x4330000000000000ULL;
  return std::bit_cast<Lane>(w | two52) - 0x1.0p52;
}

/// The key words of round r = 1, ..., 10.
inline std::uint32_t round_key0(std::uint64_t key, int r) { return static_cast<std::uint32_t>(key) + static_cast<std::uint32_t>(r - 1) * kWeyl0; }
inline std::uint32_t round_key1(std::uint64_t key, int r) {
  return static_cast<std::uint32_t>(key >> 32) + static_cast<std::uint32_t>(r - 1) * kWeyl1;
}

/// Rounds 4, ..., 10 on G groups of counters' words, the groups interleaved so that
/// the processor overlaps their dependent chains. Between rounds the lanes' high 32 bits hold
/// leftovers that no step reads (the products read the low halves, the exclusive ors keep halves
/// apart); to_uniforms clears them.
template <class Lane, int G>
[[gnu::always_inline]] inline void later_rounds(std::uint64_t key, Words<Lane> (&c0)[G], Words<Lane> (&c1)[G],
                                                Words<Lane> (&c2)[G], Words<Lane> (&c3)[G]) {
  using W = Words<Lane>;
  const W m0 = W{} + kMultiplier0;
  const W m1 = W{} + kMultiplier1;
  for (int round = 4; round <= kRounds; ++round) {
    const W key0 = W{} + round_key0(key, round);
    const W key1 = W{} + round_key1(key, round);
    for (int g = 0; g < G; ++g) {
      const W p0 = wide_product(c0[g], m0);
      const W p1 = wide_product(c2[g], m1);
      c0[g] = (p1 >> 32) ^ c1[g] ^ key0;
      c2[g] = (p0 >> 32) ^ c3[g] ^ key1;
      c1[g] = p1;
      c3[g] = p0;
    }
  }
}

/// The two uniforms of Rng::uniform2 from a block's words:
/// ((hi << 32 | lo) >> 11) 2^-53 = hi 2^-32 + (lo >> 11) 2^-53, both terms and their sum exact.
template <class Lane, int G>
[[gnu::always_inline]] inline void to_uniforms(const Words<Lane> (&c0)[G], const Words<Lane> (&c1)[G],
                                               const Words<Lane> (&c2)[G], const Words<Lane> (&c3)[G], Lane (&u0)[G],
                                               Lane (&u1)[G]) {
  const Words<Lane> low = Words<Lane>{} + 0xffffffffULL;
  for (int g = 0; g < G; ++g) {
    u0[g] = to_double<Lane>(c0[g] & low) * 0x1.0p-32 + to_double<Lane>((c1[g] & low) >> 11) * 0x1.0p-53;
    u1[g] = to_double<Lane>(c2[g] & low) * 0x1.0p-32 + to_double<Lane>((c3[g] & low) >> 11) * 0x1.0p-53;
  }
}

/// Philox's first three rounds for counters (tick, c1, i, c3) with tick and i fixed (as for one
/// agent's row of P3: c1 from the issue, c3 the partner j) keep c1's part and c3's part apart:
/// after them each word is a function of c1 alone, of c3 alone, or the exclusive or of one of
/// each. With round r's key words K0_r, K1_r, products split as hi(m x), lo(m x):
///   round 1: a1 = hi(m1 i) ^ c1 ^ K0_1, b1 = hi(m0 tick) ^ c3 ^ K1_1;
///   round 2: b2 = hi(m1 b1) ^ lo(m1 i) ^ K0_2, b2' = lo(m1 b1),
///            a2 = hi(m0 a1) ^ lo(m0 tick) ^ K1_2, a2' = lo(m0 a1);
///   round 3: words (hi(m1 a2) ^ K0_3 ^ b2', lo(m1 a2), hi(m0 b2) ^ a2' ^ K1_3, lo(m0 b2)).
/// So the c1 part (FirstWords) is computed once per c1 and the c3 part (SecondWords) once per c3,
/// and each counter runs the other seven rounds only (rest_of_rounds): the same words as the ten
/// rounds, to the bit (tests/unit/core/rng_test.cpp and fast_path_test.cpp, against Random123).
struct FirstWords {
  std::uint32_t x0;  ///< hi(m1 a2) ^ K0_3: word 0 is x0 ^ (SecondWords::y0)
  std::uint32_t w1;  ///< lo(m1 a2): word 1
  std::uint32_t x2;  ///< a2' ^ K1_3: word 2 is x2 ^ (SecondWords::y2)
};
template <class W> struct SecondWords {
  W y0;  ///< b2'
  W y2;  ///< hi(m0 b2)
  W w3;  ///< lo(m0 b2): word 3
};

inline FirstWords first_words(std::uint64_t key, std::uint32_t tick, std::uint32_t i, std::uint32_t c1) {
  const std::uint64_t tick_product = std::uint64_t{kMultiplier0} * tick;
  const std::uint64_t i_product = std::uint64_t{kMultiplier1} * i;
  const auto a1 = static_cast<std::uint32_t>(i_product >> 32) ^ c1 ^ round_key0(key, 1);
  const std::uint64_t a1_product = std::uint64_t{kMultiplier0} * a1;
  const auto a2 = static_cast<std::uint32_t>(a1_product >> 32) ^ static_cast<std::uint32_t>(tick_product) ^ round_key1(key, 2);
  const std::uint64_t a2_product = std::uint64_t{kMultiplier1} * a2;
  return {static_cast<std::uint32_t>(a2_product >> 32) ^ round_key0(key, 3), static_cast<std::uint32_t>(a2_product),
          static_cast<std::uint32_t>(a1_product) ^ round_key1(key, 3)};
}

template <class Lane>
[[gnu::always_inline]] inline SecondWords<Words<Lane>> second_words(std::uint64_t key, std::uint32_t tick, std::uint32_t i, Words<Lane> c3) {
  using W = Words<Lane>;
  const W low = W{} + 0xffffffffULL;
  const std::uint64_t tick_product = std::uint64_t{kMultiplier0} * tick;
  const std::uint64_t i_product = std::uint64_t{kMultiplier1} * i;
  const W b1 = (W{} + ((tick_product >> 32) ^ round_key1(key, 1))) ^ c3;
  const W b1_product = wide_product(b1, W{} + kMultiplier1);
  const W b2 = (b1_product >> 32) ^ (W{} + ((i_product & 0xffffffffULL) ^ round_key0(key, 2)));
  const W b2_product = wide_product(b2, W{} + kMultiplier0);
  return {b1_product & low, b2_product >> 32, b2_product & low};
}

/// Rounds 4 to 10 of the counters whose first three rounds `first` (broadcast to every lane, G
/// of them) and `second` (per lane) hold: the block's words, in the low halves of c0 to c3.
template <class Lane, int G>
[[gnu::always_inline]] inline void rest_of_rounds_words(const FirstWords (&first)[G], const SecondWords<Words<Lane>>& second,
                                                        std::uint64_t key, Words<Lane> (&c0)[G], Words<Lane> (&c1)[G],
                                                        Words<Lane> (&c2)[G], Words<Lane> (&c3)[G]) {
  using W = Words<Lane>;
  for (int g = 0; g < G; ++g) {
    c0[g] = (W{} + first[g].x0) ^ second.y0;
    c1[g] = W{} + first[g].w1;
    c2[g] = (W{} + first[g].x2) ^ second.y2;
    c3[g] = second.w3;
  }
  later_rounds<Lane, G>(key, c0, c1, c2, c3);
}

/// The same, then Rng::uniform2's two uniforms (to_uniforms).
template <class Lane, int G>
[[gnu::always_inline]] inline void rest_of_rounds(const FirstWords (&first)[G], const SecondWords<Words<Lane>>& second, std::uint64_t key, Lane (&u0)[G],
                           Lane (&u1)[G]) {
  Words<Lane> c0[G], c1[G], c2[G], c3[G];
  rest_of_rounds_words<Lane, G>(first, second, key, c0, c1, c2, c3);
  to_uniforms<Lane, G>(c0, c1, c2, c3, u0, u1);
}

/// A uniform's leading part, hi 2^-32, from its block's word `hi` (word 0 for the first uniform,
/// word 2 for the second): the uniform lies in [hi 2^-32, hi 2^-32 + 2^-32).
template <class Lane> [[gnu::always_inline]] inline Lane leading_part(Words<Lane> hi) {
  return to_double<Lane>(hi & (Words<Lane>{} + 0xffffffffULL)) * 0x1.0p-32;
}

/// The counters' second word for a stream and an issue k (below 2^24).
inline std::uint64_t stream_word(Stream stream, std::uint32_t k) {
  return (static_cast<std::uint64_t>(stream) << 24) | (k & 0xffffffu);
}

}  // namespace geosim::philox

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
