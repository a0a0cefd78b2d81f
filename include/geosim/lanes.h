#pragma once
// Vector lanes for the phases' loops: the same template code runs on one double, two (SSE2, every
// x86-64 processor) or four (AVX2), with the same IEEE operations in the same order per lane, so
// every width gives the scalar code's bits (the lane types and `select` are geosim/logistic.h's).
// Everything here is always inlined, so that a caller compiled for AVX2 evaluates it with AVX2.
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "geosim/logistic.h"
#include "geosim/simd.h"

#if GEOSIM_X86_DISPATCH
#include <immintrin.h>
#endif

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

namespace geosim::lanes {

using logistic_detail::Doubles2;
using logistic_detail::Doubles4;
using logistic_detail::LaneBits;
using logistic_detail::select;

/// Doubles per lane value: 1, 2 or 4.
template <class Lane> inline constexpr int kWidth = sizeof(Lane) / sizeof(double);

/// The lane types at the alignment of a double, for loads and stores at any double's address.
/// (A store of one of these may change only doubles, where a std::memcpy may change any object:
/// the compiler then keeps the rows' addresses and sizes in registers across a loop's stores.)
template <class Lane> struct Unaligned;
template <> struct Unaligned<double> { using type = double; };
template <> struct Unaligned<Doubles2> { typedef Doubles2 type __attribute__((aligned(alignof(double)))); };
template <> struct Unaligned<Doubles4> { typedef Doubles4 type __attribute__((aligned(alignof(double)))); };

template <class Lane> [[gnu::always_inline]] inline Lane load(const double* from) {
  return *reinterpret_cast<const typename Unaligned<Lane>::type*>(from);
}

template <class Lane> [[gnu::always_inline]] inline void store(double* to, Lane lane) {
  *reinterpret_cast<typename Unaligned<Lane>::type*>(to) = lane;
}

/// The lanes (value(0), value(1), ...), built in registers. (Storing the values one by one and
/// loading them as a vector would stall the load on store forwarding.)
template <class Lane, class Value> [[gnu::always_inline]] inline Lane lanes_of(Value value) {
  if constexpr (kWidth<Lane> == 4) {
    return Lane{value(0), value(1), value(2), value(3)};
  } else if constexpr (kWidth<Lane> == 2) {
    return Lane{value(0), value(1)};
  } else {
    return value(0);
  }
}

/// v in every lane: a broadcast (`Lane{} + v` would cost an addition, which the compiler must
/// keep because 0 + -0 is +0).
template <class Lane> [[gnu::always_inline]] inline Lane splat(double v) {
  return lanes_of<Lane>([v](int) { return v; });
}

/// condition ? v : +0 per lane, by one and of the bits (select's result, in one operation).
template <class Lane, class Mask> [[gnu::always_inline]] inline Lane where(Mask condition, Lane v) {
  if constexpr (kWidth<Lane> == 1) {
    return condition ? v : 0.0;
  } else {
    using Bits = typename LaneBits<Lane>::type;
    return std::bit_cast<Lane>(std::bit_cast<Bits>(condition) & std::bit_cast<Bits>(v));
  }
}

/// v, with 0 in the lane of `index` where index is one of the lanes' indices first, first + 1,
/// ... (a branch, taken in one group of a row: the other groups pay no comparison).
template <class Lane> [[gnu::always_inline]] inline Lane zero_lane_of(Lane v, int first, int index) {
  if (index < first || index >= first + kWidth<Lane>) return v;
  const Lane at = lanes_of<Lane>([&](int lane) { return static_cast<double>(first + lane); });
  return where(at != static_cast<double>(index), v);
}

/// Lane `lane` of v.
template <class Lane> [[gnu::always_inline]] inline double lane_of(Lane v, int lane) {
  if constexpr (kWidth<Lane> == 1) {
    return v;
  } else {
    return v[lane];
  }
}

/// |v| as std::abs computes it: the sign bit cleared.
template <class Lane> [[gnu::always_inline]] inline Lane magnitude(Lane v) {
  using Bits = typename LaneBits<Lane>::type;
  return std::bit_cast<Lane>(std::bit_cast<Bits>(v) & (Bits{} + 0x7fffffffffffffffULL));
}

/// Whether any lane of a comparison's result is true. The four-lane form is compiled for AVX2
/// (one test instruction): it is inlined only into functions compiled for AVX2 that are
/// flattened ([[gnu::flatten]]).
#if GEOSIM_X86_DISPATCH
[[gnu::always_inline]] inline bool any_lane(logistic_detail::Mask2 condition) {
  return _mm_movemask_pd(reinterpret_cast<__m128d>(condition)) != 0;
}
GEOSIM_AVX2 inline bool any_lane(logistic_detail::Mask4 condition) {
  const auto bits = reinterpret_cast<__m256i>(condition);
  return _mm256_testz_si256(bits, bits) == 0;
}
#endif
template <class Mask> [[gnu::always_inline]] inline bool any_lane(Mask condition) {
  if constexpr (std::is_arithmetic_v<Mask>) {
    return condition != 0;  // one lane: a bool, or bools combined by | (an int)
  } else {
    auto all = condition[0];
    for (int lane = 1; lane < static_cast<int>(sizeof(Mask) / sizeof(all)); ++lane) all |= condition[lane];
    return all != 0;
  }
}

/// Bit `lane` set where lane `lane` of a comparison's result is true (bits above the width 0).
/// The four-lane form is compiled for AVX2, like any_lane's.
#if GEOSIM_X86_DISPATCH
[[gnu::always_inline]] inline unsigned lane_bits(logistic_detail::Mask2 condition) {
  return static_cast<unsigned>(_mm_movemask_pd(reinterpret_cast<__m128d>(condition)));
}
GEOSIM_AVX2 inline unsigned lane_bits(logistic_detail::Mask4 condition) {
  return static_cast<unsigned>(_mm256_movemask_pd(reinterpret_cast<__m256d>(condition)));
}
#endif
template <class Mask> [[gnu::always_inline]] inline unsigned lane_bits(Mask condition) {
  if constexpr (std::is_arithmetic_v<Mask>) {
    return condition != 0 ? 1u : 0u;
  } else {
    unsigned bits = 0;
    for (int lane = 0; lane < static_cast<int>(sizeof(Mask) / sizeof(condition[0])); ++lane) {
      bits |= condition[lane] != 0 ? 1u << lane : 0u;
    }
    return bits;
  }
}

/// The larger and the smaller of a and b per lane (b where either is NaN, or where both are
/// zeros): the maximum and minimum instructions on x86-64, whose rule this is. The four-lane
/// forms are compiled for AVX2, like any_lane's.
#if GEOSIM_X86_DISPATCH
[[gnu::always_inline]] inline __m128d x86(Doubles2 v) { return reinterpret_cast<__m128d>(v); }
GEOSIM_AVX2 inline __m256d x86(Doubles4 v) { return reinterpret_cast<__m256d>(v); }
[[gnu::always_inline]] inline Doubles2 larger(Doubles2 a, Doubles2 b) { return reinterpret_cast<Doubles2>(_mm_max_pd(x86(a), x86(b))); }
GEOSIM_AVX2 inline Doubles4 larger(Doubles4 a, Doubles4 b) { return reinterpret_cast<Doubles4>(_mm256_max_pd(x86(a), x86(b))); }
[[gnu::always_inline]] inline Doubles2 smaller(Doubles2 a, Doubles2 b) { return reinterpret_cast<Doubles2>(_mm_min_pd(x86(a), x86(b))); }
GEOSIM_AVX2 inline Doubles4 smaller(Doubles4 a, Doubles4 b) { return reinterpret_cast<Doubles4>(_mm256_min_pd(x86(a), x86(b))); }
#endif
template <class Lane> [[gnu::always_inline]] inline Lane larger(Lane a, Lane b) { return select(a > b, a, b); }
template <class Lane> [[gnu::always_inline]] inline Lane smaller(Lane a, Lane b) { return select(a < b, a, b); }

/// sqrt(v) per lane. IEEE square roots are correctly rounded, so the vector instructions give
/// std::sqrt's bits (NaN for negative lanes). The four-lane form is compiled for AVX2: it is
/// inlined only into functions compiled for AVX2 that are flattened ([[gnu::flatten]]).
[[gnu::always_inline]] inline double square_root(double v) { return std::sqrt(v); }
#if GEOSIM_X86_DISPATCH
[[gnu::always_inline]] inline Doubles2 square_root(Doubles2 v) { return reinterpret_cast<Doubles2>(_mm_sqrt_pd(reinterpret_cast<__m128d>(v))); }
GEOSIM_AVX2 inline Doubles4 square_root(Doubles4 v) { return reinterpret_cast<Doubles4>(_mm256_sqrt_pd(reinterpret_cast<__m256d>(v))); }
#else
template <class Lane> [[gnu::always_inline]] inline Lane square_root(Lane v) {
  return lanes_of<Lane>([&](int lane) { return std::sqrt(lane_of(v, lane)); });
}
#endif

/// Lane values per group of four consecutive indices: one four-lane value, two two-lane values
/// or four doubles.
template <class Lane> inline constexpr int kParts = 4 / kWidth<Lane>;

/// A row's sum in the phases' fixed order: four interleaved partial sums p_r (over the indices
/// j = r mod 4, in increasing j, each from +0), added as (p0 + p1) + (p2 + p3). `parts` holds p_r
/// in lane r % width of parts[r / width], so every lane width gives the same bits.
template <class Lane> [[gnu::always_inline]] inline double partial_sum(const Lane (&parts)[kParts<Lane>]) {
  constexpr int width = kWidth<Lane>;
  const auto p = [&](int r) { return lane_of(parts[r / width], r % width); };
  return (p(0) + p(1)) + (p(2) + p(3));
}

/// A row's entries from, ..., from + width - 1 as a lane: loaded whole when the group of four they
/// belong to lies inside the row (`whole`), else lane by lane with 0 from entry n on (no read
/// past the row).
template <class Lane> [[gnu::always_inline]] inline Lane row_lane(const double* row, int from, int n, bool whole) {
  if (whole) return load<Lane>(row + from);
  return lanes_of<Lane>([&](int lane) { return from + lane < n ? row[from + lane] : 0.0; });
}

/// `value`'s lanes into row[from, ...), up to entry n - 1.
template <class Lane> [[gnu::always_inline]] inline void store_row_lane(double* row, int from, int n, bool whole, Lane value) {
  if (whole) {
    store(row + from, value);
    return;
  }
  for (int lane = 0; lane < kWidth<Lane> && from + lane < n; ++lane) row[from + lane] = lane_of(value, lane);
}

/// body(part, from, whole) for a row's entries [begin, n) by groups of four from `begin`, each in
/// kParts<Lane> lane values from entry `from`; `whole` where the group lies inside the row. The
/// group's entry begin + 4 g + r is in partial sum r (partial_sum).
template <class Lane, class Body> [[gnu::always_inline]] inline void for_each_part(int begin, int n, Body body) {
  for (int group = begin; group < n; group += 4) {
    const bool whole = group + 4 <= n;
    for (int part = 0; part < kParts<Lane>; ++part) body(part, group + part * kWidth<Lane>, whole);
  }
}

/// The partial_sum of value(from, whole) over a row's entries [begin, n) (for_each_part).
template <class Lane, class Value> [[gnu::always_inline]] inline double row_sum(int begin, int n, Value value) {
  Lane partial[kParts<Lane>];
  for (Lane& sum : partial) sum = splat<Lane>(0.0);
  for_each_part<Lane>(begin, n, [&](int part, int from, bool whole) __attribute__((always_inline)) {
    partial[part] += value(from, whole);
  });
  return partial_sum(partial);
}

/// body.template run<L>(index) for index = begin, begin + width, ... covering [begin, end) once:
/// lanes of type Lane while a whole group fits, then two lanes, then one, for the rest.
template <class Lane, class Body> [[gnu::always_inline]] inline void for_each_group(int begin, int end, Body& body) {
  int index = begin;
  for (; index + kWidth<Lane> <= end; index += kWidth<Lane>) body.template run<Lane>(index);
  if constexpr (kWidth<Lane> == 4) {
    if (index + 2 <= end) {
      body.template run<Doubles2>(index);
      index += 2;
    }
  }
  if constexpr (kWidth<Lane> >= 2) {
    if (index < end) body.template run<double>(index);
  }
}

/// body.template run<L>(index) for groups covering [begin, end), for bodies that may run an index
/// twice (each writes only its own results, the same bits again): whole groups of Lane, the last
/// one ending at `end` and overlapping the one before it, so no narrow tail; a range shorter
/// than one group takes narrower lanes, down to one.
template <class Lane, class Body> [[gnu::always_inline]] inline void for_each_overlapping_group(int begin, int end, Body& body) {
  constexpr int width = kWidth<Lane>;
  if (end - begin < width) {
    if constexpr (width > 2) {
      for_each_overlapping_group<Doubles2>(begin, end, body);
    } else {
      for (int index = begin; index < end; ++index) body.template run<double>(index);
    }
    return;
  }
  for (int index = begin;; index += width) {
    const int first = index + width <= end ? index : end - width;
    body.template run<Lane>(first);
    if (first + width >= end) break;
  }
}

}  // namespace geosim::lanes

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
