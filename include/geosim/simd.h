#pragma once
// Vector code paths. On x86-64 the wide (four-lane) versions of the logistic, the phases' lanes and
// the products are compiled for AVX2 and chosen at run time where the processor has it; other
// processors (and builds with GEOSIM_PORTABLE_LANES defined) compile the same code without an
// instruction-set attribute and never choose it. Every path gives the same bits.
#if (defined(__x86_64__) || defined(__i386__)) && !defined(GEOSIM_PORTABLE_LANES)
#define GEOSIM_X86_DISPATCH 1
/// Compiles a function for AVX2 (no fused multiply-add: the bits stay those of the scalar code).
#define GEOSIM_AVX2 [[gnu::target("avx2")]]
/// Compiles a function for AVX2 with AVX-512's F, VL and DQ extensions, for the same four-lane
/// code: the compiler may then use three-input logic, masks and the 64-bit integer conversions.
/// Still no fused multiply-add (the project compiles with -ffp-contract=off), so the same bits.
#define GEOSIM_AVX512VL [[gnu::target("avx2,avx512f,avx512vl,avx512dq")]]
#else
#define GEOSIM_X86_DISPATCH 0
#define GEOSIM_AVX2
#define GEOSIM_AVX512VL
#endif

#include <atomic>

namespace geosim {

/// Set (by tests) to run the two-lane paths on a processor with AVX2 as well.
inline std::atomic<bool>& avx2_paths_disabled() {
  static std::atomic<bool> disabled{false};
  return disabled;
}

/// Whether this processor runs the AVX2 paths (false on other processors, in portable builds
/// and while avx2_paths_disabled()).
inline bool cpu_has_avx2() {
#if GEOSIM_X86_DISPATCH
  static const bool supported = __builtin_cpu_supports("avx2");
  return supported && !avx2_paths_disabled().load(std::memory_order_relaxed);
#else
  return false;
#endif
}

/// Set (by tests) to run the AVX2 paths on a processor with AVX-512 as well.
inline std::atomic<bool>& avx512_paths_disabled() {
  static std::atomic<bool> disabled{false};
  return disabled;
}

/// Whether this processor runs the paths compiled with GEOSIM_AVX512VL (where it has AVX-512 F,
/// VL and DQ and the system saves their registers; never while the AVX2 paths are off, in
/// portable builds or while avx512_paths_disabled()).
inline bool cpu_has_avx512vl() {
#if GEOSIM_X86_DISPATCH
  static const bool supported =
      __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
  return supported && cpu_has_avx2() && !avx512_paths_disabled().load(std::memory_order_relaxed);
#else
  return false;
#endif
}

}  // namespace geosim
