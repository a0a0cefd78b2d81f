// Saltelli sampling: the run layout and the A, B, AB^(i), BA^(i) rows against Boost's Sobol
// generator.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/random/sobol.hpp>

#include <cmath>
#include <set>
#include <vector>

#include "geosim/error.h"
#include "sensitivity/saltelli.h"
#include "sweep/sobol_points.h"

namespace geosim::sensitivity {
namespace {

SaltelliSpec spec(std::size_t inputs, std::uint64_t samples, bool second_order, bool scramble) {
  SaltelliSpec out;
  out.inputs = inputs;
  out.samples = samples;
  out.second_order = second_order;
  out.scramble = scramble;
  out.seed = 11;
  return out;
}

/// Boost's first `count` vectors of dimension `dimension`, as unit-interval values.
std::vector<std::vector<double>> boost_vectors(std::size_t dimension, std::size_t count) {
  boost::random::sobol engine(dimension);
  std::vector<std::vector<double>> out(count, std::vector<double>(dimension));
  for (auto& row : out) {
    for (double& value : row) value = sweep::to_unit_interval(engine());
  }
  return out;
}

TEST(SaltelliDesign, LaysRunsOutByBaseSampleAsAThenABThenBAThenB) {
  const SaltelliDesign design(spec(3, 4, true, false));
  EXPECT_EQ(design.block(), 8u);
  EXPECT_EQ(design.runs(), 32u);
  for (std::uint64_t j = 0; j < 4; ++j) {
    EXPECT_EQ(design.run(j, Matrix::kA), j * 8);
    EXPECT_EQ(design.run(j, Matrix::kB), j * 8 + 7);
    for (std::size_t i = 0; i < 3; ++i) {
      EXPECT_EQ(design.run(j, Matrix::kAB, i), j * 8 + 1 + i);
      EXPECT_EQ(design.run(j, Matrix::kBA, i), j * 8 + 4 + i);
    }
  }
  for (std::uint64_t run = 0; run < design.runs(); ++run) {
    const RunRole role = design.role(run);
    EXPECT_EQ(design.run(role.sample, role.matrix, role.input), run);
  }
}

TEST(SaltelliDesign, WithoutSecondOrderHasKPlusTwoRunsPerBaseSample) {
  const SaltelliDesign design(spec(5, 16, false, true));
  EXPECT_EQ(design.block(), 7u);
  EXPECT_EQ(design.runs(), 112u);
  EXPECT_EQ(design.role(6).matrix, Matrix::kB);
  EXPECT_EQ(design.role(7).matrix, Matrix::kA);
  EXPECT_EQ(design.role(7).sample, 1u);
  EXPECT_THROW(design.run(0, Matrix::kBA, 0), std::out_of_range);
}

TEST(SaltelliDesign, MatricesAreTheHalvesOfBoostsSobolVectorsWithOneColumnSwapped) {
  constexpr std::size_t kInputs = 3;
  constexpr std::uint64_t kSamples = 8;
  const SaltelliDesign design(spec(kInputs, kSamples, true, false));
  const auto sobol = boost_vectors(2 * kInputs, kSamples);  // Boost skips the origin
  for (std::uint64_t j = 0; j < kSamples; ++j) {
    const std::vector<double> a(sobol[j].begin(), sobol[j].begin() + kInputs);
    const std::vector<double> b(sobol[j].begin() + kInputs, sobol[j].end());
    EXPECT_EQ(design.point(j * design.block()), a) << "A row " << j;
    EXPECT_EQ(design.point(design.run(j, Matrix::kB)), b) << "B row " << j;
    for (std::size_t i = 0; i < kInputs; ++i) {
      auto ab = a;
      ab[i] = b[i];
      auto ba = b;
      ba[i] = a[i];
      EXPECT_EQ(design.point(design.run(j, Matrix::kAB, i)), ab) << "AB row " << j << " column " << i;
      EXPECT_EQ(design.point(design.run(j, Matrix::kBA, i)), ba) << "BA row " << j << " column " << i;
    }
  }
}

TEST(SaltelliDesign, ScrambledPointsStayANetInEveryDimension) {
  constexpr std::uint64_t kSamples = 64;
  const SaltelliDesign design(spec(2, kSamples, false, true));
  EXPECT_EQ(design.sobol_index(0), 0u);  // the shifted origin is kept
  std::vector<std::set<std::uint64_t>> strata(4);
  for (std::uint64_t j = 0; j < kSamples; ++j) {
    const auto a = design.point(design.run(j, Matrix::kA));
    const auto b = design.point(design.run(j, Matrix::kB));
    for (std::size_t i = 0; i < 2; ++i) {
      strata[i].insert(static_cast<std::uint64_t>(std::floor(a[i] * kSamples)));
      strata[2 + i].insert(static_cast<std::uint64_t>(std::floor(b[i] * kSamples)));
    }
  }
  for (const auto& hit : strata) EXPECT_EQ(hit.size(), kSamples);
}

TEST(SaltelliDesign, ScramblingDependsOnTheSeed) {
  auto other = spec(2, 8, false, true);
  other.seed = 12;
  const SaltelliDesign one(spec(2, 8, false, true));
  const SaltelliDesign two(other);
  const SaltelliDesign plain(spec(2, 8, false, false));
  EXPECT_NE(one.point(0), two.point(0));
  EXPECT_NE(one.point(0), plain.point(0));
  EXPECT_EQ(one.point(5), SaltelliDesign(spec(2, 8, false, true)).point(5));
}

TEST(SaltelliDesign, RejectsRunsBeyondTheLast) {
  const SaltelliDesign design(spec(2, 4, false, true));
  EXPECT_THROW(design.point(16), std::out_of_range);
  EXPECT_THROW(design.role(16), std::out_of_range);
  EXPECT_THROW(design.run(4, Matrix::kA), std::out_of_range);
  EXPECT_THROW(design.run(0, Matrix::kAB, 2), std::out_of_range);
}

TEST(SaltelliDesign, RejectsNoInputsNoSamplesAndTooManyInputs) {
  using testing::HasSubstr;
  try {
    SaltelliDesign design(spec(0, 8, false, true));
    FAIL() << "k = 0 accepted";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("a Saltelli design needs between 1 and 1833 inputs, got 0"));
  }
  try {
    SaltelliDesign design(spec(2, 0, false, true));
    FAIL() << "N = 0 accepted";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("a Saltelli design needs at least 1 base sample, got 0"));
  }
  EXPECT_THROW(SaltelliDesign(spec(1834, 8, false, true)), InputError);
  EXPECT_NO_THROW(SaltelliDesign(spec(1833, 1, false, true)));
}

}  // namespace
}  // namespace geosim::sensitivity
