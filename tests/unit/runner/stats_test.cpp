// Streaming statistics against the exact ones.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>

#include "sweep/stats.h"

namespace geosim::sweep {
namespace {

std::vector<double> sample(std::size_t n, unsigned seed) {
  std::mt19937_64 gen(seed);
  std::lognormal_distribution<double> skewed(0.0, 1.0);
  std::vector<double> values(n);
  for (double& v : values) v = skewed(gen) - 1.5;
  return values;
}

double type7(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const double h = (static_cast<double>(values.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  return lo + 1 < values.size() ? values[lo] + (h - static_cast<double>(lo)) * (values[lo + 1] - values[lo]) : values.back();
}

TEST(RunningMoments, EqualsTwoPassMeanAndSd) {
  const auto values = sample(1000, 1);
  RunningMoments moments;
  for (double v : values) moments.add(v);
  double mean = 0;
  for (double v : values) mean += v;
  mean /= static_cast<double>(values.size());
  double ss = 0;
  for (double v : values) ss += (v - mean) * (v - mean);
  EXPECT_NEAR(moments.mean(), mean, 1e-12);
  EXPECT_NEAR(moments.sd(), std::sqrt(ss / static_cast<double>(values.size() - 1)), 1e-12);
  EXPECT_EQ(moments.count(), 1000u);
}

TEST(QuantileSketch, IsExactType7UpToTheExactLimit) {
  const auto values = sample(QuantileSketch::kExactLimit, 2);
  QuantileSketch sketch;
  for (double v : values) sketch.add(v);
  ASSERT_TRUE(sketch.exact());
  for (double p : kBandQuantiles) EXPECT_EQ(sketch.quantile(p), type7(values, p)) << p;
}

// The exact phase selects only the order statistics it reads: the values a full sort puts there,
// with ties (and -0 against +0) in any arrival order giving the same bits.
TEST(QuantileSketch, ExactQuantilesWithTiesAndSignedZerosIgnoreArrivalOrder) {
  std::mt19937_64 gen(11);
  const double levels[] = {-1.0, -0.0, 0.0, 0.5, 0.5, 2.0};
  const double ps[] = {0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0};
  for (std::size_t n = 1; n <= 40; ++n) {
    std::vector<double> values(n);
    for (double& v : values) v = levels[gen() % std::size(levels)];
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end(), [](double a, double b) { return a < b || (a == b && std::signbit(a) && !std::signbit(b)); });
    for (int order = 0; order < 3; ++order) {
      std::shuffle(values.begin(), values.end(), gen);
      QuantileSketch sketch;
      for (double v : values) sketch.add(v);
      const std::vector<double> got = sketch.quantiles(ps);
      for (std::size_t q = 0; q < std::size(ps); ++q) {
        const double h = (static_cast<double>(n) - 1) * ps[q];
        const auto lo = static_cast<std::size_t>(std::floor(h));
        const double expected = lo + 1 < n ? sorted[lo] + (h - static_cast<double>(lo)) * (sorted[lo + 1] - sorted[lo]) : sorted.back();
        EXPECT_EQ(got[q], expected) << n << " " << ps[q];
        EXPECT_EQ(std::signbit(got[q]), std::signbit(expected)) << n << " " << ps[q];
      }
    }
  }
}

// The bands' several quantiles at once are quantile(p) for each p, in both phases.
TEST(QuantileSketch, SeveralQuantilesAtOnceEqualOneAtATime) {
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{7}, QuantileSketch::kExactLimit, std::size_t{5000}}) {
    QuantileSketch sketch;
    for (double v : sample(n, 5)) sketch.add(v);
    const std::vector<double> together = sketch.quantiles(kBandQuantiles);
    ASSERT_EQ(together.size(), std::size(kBandQuantiles));
    for (std::size_t q = 0; q < together.size(); ++q) EXPECT_EQ(together[q], sketch.quantile(kBandQuantiles[q])) << n;
  }
}

// Beyond the exact limit, the Greenwald-Khanna guarantee: the returned value's rank is within
// epsilon n of ceil(p n).
TEST(QuantileSketch, StaysWithinItsRankErrorOnLargeStreams) {
  for (std::size_t n : {5000u, 100000u}) {
    auto values = sample(n, 3);
    QuantileSketch sketch;
    for (double v : values) sketch.add(v);
    std::sort(values.begin(), values.end());
    const double slack = QuantileSketch::kEpsilon * static_cast<double>(n);
    for (double p : {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99}) {
      const double q = sketch.quantile(p);
      const auto lo = static_cast<double>(std::lower_bound(values.begin(), values.end(), q) - values.begin()) + 1;
      const auto hi = static_cast<double>(std::upper_bound(values.begin(), values.end(), q) - values.begin());
      const double target = std::ceil(p * static_cast<double>(n));
      EXPECT_LE(lo - slack, target) << "n " << n << " p " << p;
      EXPECT_GE(hi + slack, target) << "n " << n << " p " << p;
    }
    EXPECT_LT(sketch.memory_entries(), 3000u) << "memory must not grow with n";
  }
}

TEST(QuantileSketch, SavedAndLoadedStateContinuesIdentically) {
  const auto values = sample(6000, 4);
  QuantileSketch whole, first;
  for (double v : values) whole.add(v);
  for (std::size_t i = 0; i < 4000; ++i) first.add(values[i]);
  std::stringstream buffer;
  first.save(buffer);
  QuantileSketch second;
  second.load(buffer);
  for (std::size_t i = 4000; i < values.size(); ++i) second.add(values[i]);
  for (double p : kBandQuantiles) EXPECT_EQ(second.quantile(p), whole.quantile(p));
}

}  // namespace
}  // namespace geosim::sweep
