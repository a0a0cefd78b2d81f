#pragma once
// Helpers of the tests that compare results to the bit and across thread counts.
#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "geosim/engine.h"
#include "geosim/rng.h"
#include "geosim/simd.h"
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

/// While it lives, `flag` holds `on`; then its previous value again.
class ScopedSwitch {
 public:
  ScopedSwitch(std::atomic<bool>& flag, bool on) : flag_(flag), previous_(flag.exchange(on)) {}
  ~ScopedSwitch() { flag_.store(previous_); }
  ScopedSwitch(const ScopedSwitch&) = delete;
  ScopedSwitch& operator=(const ScopedSwitch&) = delete;

 private:
  std::atomic<bool>& flag_;
  bool previous_;
};

/// While it lives (and `on` is true), the vector paths run two lanes wide even where the
/// processor has AVX2, so that a test covers both widths on one machine.
struct ScopedTwoLanes : ScopedSwitch {
  explicit ScopedTwoLanes(bool on) : ScopedSwitch(avx2_paths_disabled(), on) {}
};

/// While it lives (and `on` is true), the paths compiled for AVX-512 give way to the AVX2 ones,
/// so that a test covers both on a processor with AVX-512.
struct ScopedNoAvx512 : ScopedSwitch {
  explicit ScopedNoAvx512(bool on) : ScopedSwitch(avx512_paths_disabled(), on) {}
};

/// Every recorded row of a run at one thread and at two and four: the same bits.
inline void expect_same_run_at_any_thread_count(const ScenarioSpec& spec, const RuleSet& rules, const RunOptions& options) {
  const RunResult one = on_threads(1, [&] { return run_scenario(spec, rules, options); });
  for (int threads : {2, 4}) {
    const RunResult many = on_threads(threads, [&] { return run_scenario(spec, rules, options); });
    ASSERT_EQ(one.series.rows.size(), many.series.rows.size());
    for (std::size_t row = 0; row < one.series.rows.size(); ++row) {
      ASSERT_EQ(one.series.rows[row].size(), many.series.rows[row].size());
      EXPECT_EQ(std::memcmp(one.series.rows[row].data(), many.series.rows[row].data(), one.series.rows[row].size() * sizeof(double)), 0)
          << threads << " threads, row " << row;
    }
    EXPECT_EQ(one.final_affinity, many.final_affinity) << threads << " threads";
  }
}

}  // namespace geosim::test
