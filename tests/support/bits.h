#pragma once
// Helpers of the tests that compare results to the bit and across thread counts.
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "geosim/rng.h"
#include "geosim/state.h"

namespace geosim::test {

inline bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

inline bool same_bits(const Matrix& a, const Matrix& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())) == 0;
}

/// `body` run on `threads` of oneTBB's threads, as a run confined to that many would be.
template <typename Body>
auto on_threads(int threads, Body body) {
  const tbb::global_control cap(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  tbb::task_arena arena(threads);
  return arena.execute(body);
}

/// A uniform in [0, 1) for test data, a pure function of (rng, i, j).
inline double uniform(const Rng& rng, std::uint32_t i, std::uint32_t j) {
  return rng.uniform2(0, Stream::kDesign, 0, i, j)[0];
}

}  // namespace geosim::test
