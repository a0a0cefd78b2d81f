// Designs: Latin hypercube strata, Sobol points against Boost, grid order, determinism.
#include <gtest/gtest.h>

#include <boost/random/sobol.hpp>

#include <cmath>
#include <set>
#include <vector>

#include "geosim/design.h"
#include "geosim/error.h"
#include "sweep/permutation.h"
#include "sweep/sobol_points.h"

namespace geosim {
namespace {

/// `count` inputs, each uniform on [0, 1) so that a design's values are its coordinates.
std::vector<UncertainInput> unit_inputs(std::size_t count) {
  std::vector<UncertainInput> out(count);
  for (std::size_t k = 0; k < count; ++k) out[k].path = "params.p" + std::to_string(k);
  return out;
}

DesignSpec design(DesignKind kind, std::uint64_t points, std::uint64_t seed = 7) {
  DesignSpec spec;
  spec.kind = kind;
  spec.points = points;
  spec.seed = seed;
  return spec;
}

/// The interval of width 1/P that u falls in.
std::uint64_t stratum(double u, std::uint64_t strata) {
  return static_cast<std::uint64_t>(std::floor(u * static_cast<double>(strata)));
}

TEST(KeyedPermutation, IsABijectionOnEveryDomainSize) {
  for (std::uint64_t n : {1u, 2u, 3u, 5u, 16u, 17u, 1000u, 4097u}) {
    const sweep::KeyedPermutation pi(n, 0x1234 + n);
    std::set<std::uint64_t> images;
    for (std::uint64_t x = 0; x < n; ++x) {
      const std::uint64_t y = pi(x);
      EXPECT_LT(y, n);
      images.insert(y);
    }
    EXPECT_EQ(images.size(), n) << "n = " << n;
  }
}

TEST(KeyedPermutation, DependsOnItsKey) {
  const sweep::KeyedPermutation a(1000, 1);
  const sweep::KeyedPermutation b(1000, 2);
  int same = 0;
  for (std::uint64_t x = 0; x < 1000; ++x) same += a(x) == b(x);
  EXPECT_LT(same, 20);  // about 1 expected for independent permutations
}

TEST(LatinHypercube, HitsEachOfThePStrataExactlyOncePerInput) {
  constexpr std::uint64_t kPoints = 1000;
  const Design lhs(design(DesignKind::kLhs, kPoints), unit_inputs(5));
  std::vector<std::set<std::uint64_t>> hit(5);
  for (std::uint64_t p = 0; p < kPoints; ++p) {
    const auto values = lhs.values(p);
    for (std::size_t k = 0; k < 5; ++k) {
      EXPECT_GE(values[k], 0.0);
      EXPECT_LT(values[k], 1.0);
      hit[k].insert(stratum(values[k], kPoints));
    }
  }
  for (const auto& strata : hit) EXPECT_EQ(strata.size(), kPoints);
}

TEST(LatinHypercube, PermutesTheStrataIndependentlyForEachInput) {
  const Design lhs(design(DesignKind::kLhs, 1000), unit_inputs(2));
  int same = 0;
  for (std::uint64_t p = 0; p < 1000; ++p) {
    const auto v = lhs.values(p);
    same += stratum(v[0], 1000) == stratum(v[1], 1000);
  }
  EXPECT_LT(same, 20);
}

TEST(Designs, GiveEachPointAsAPureFunctionOfSpecInputsAndPoint) {
  for (DesignKind kind : {DesignKind::kMc, DesignKind::kLhs, DesignKind::kSobol}) {
    SCOPED_TRACE(design_name(kind));
    const Design a(design(kind, 64), unit_inputs(3));
    const Design b(design(kind, 64), unit_inputs(3));
    const Design other_seed(design(kind, 64, 8), unit_inputs(3));
    EXPECT_EQ(a.values(37), b.values(37));
    EXPECT_EQ(a.values(37), a.values(37));
    EXPECT_NE(a.values(37), other_seed.values(37));
    EXPECT_NE(a.values(37), a.values(38));
  }
}

TEST(Designs, CountRunsAsPointsTimesReplicates) {
  DesignSpec spec = design(DesignKind::kMc, 10);
  spec.replicates = 3;
  EXPECT_EQ(Design(spec, unit_inputs(2)).runs(), 30u);
}

TEST(Designs, RefuseAPointBeyondTheLast) {
  const Design mc(design(DesignKind::kMc, 10), unit_inputs(1));
  EXPECT_THROW(mc.values(10), std::out_of_range);
}

TEST(Designs, RefuseZeroPoints) {
  EXPECT_THROW(Design(design(DesignKind::kLhs, 0), unit_inputs(1)), InputError);
}

TEST(Sobol, UnscrambledPointsEqualBoostsSobolGeneratorExactly) {
  constexpr std::size_t kDims = 5;
  boost::random::sobol boost_sobol(kDims);
  const sweep::SobolDirections directions(kDims);
  DesignSpec spec = design(DesignKind::kSobol, 1025);
  spec.scramble = false;
  const Design sobol(spec, unit_inputs(kDims));
  EXPECT_EQ(sobol.values(0), std::vector<double>(kDims, 0.0)) << "point 0 is the origin";
  for (std::uint64_t p = 1; p <= 1024; ++p) {
    const auto ints = directions.point(p);
    const auto values = sobol.values(p);
    for (std::size_t k = 0; k < kDims; ++k) {
      const std::uint64_t expected = boost_sobol();  // Boost's vector p - 1
      ASSERT_EQ(ints[k], expected) << "point " << p << " dimension " << k;
      ASSERT_EQ(values[k], sweep::to_unit_interval(expected));
      ASSERT_EQ(values[k], static_cast<double>(expected >> 11) / 9007199254740992.0);
    }
  }
}

/// Whether each dimension of points 0 .. 2^m - 1 puts one point in each [j/2^m, (j+1)/2^m).
void expect_one_point_per_elementary_interval(const Design& sobol, int m, std::size_t dims) {
  const std::uint64_t points = std::uint64_t{1} << m;
  std::vector<std::set<std::uint64_t>> hit(dims);
  for (std::uint64_t p = 0; p < points; ++p) {
    const auto values = sobol.values(p);
    for (std::size_t k = 0; k < dims; ++k) {
      ASSERT_GE(values[k], 0.0);
      ASSERT_LT(values[k], 1.0);
      hit[k].insert(stratum(values[k], points));
    }
  }
  for (const auto& intervals : hit) EXPECT_EQ(intervals.size(), points);
}

TEST(Sobol, ScrambledPointsStayInTheUnitIntervalAndKeepOnePointPerElementaryInterval) {
  for (int m : {1, 4, 10}) {
    SCOPED_TRACE(m);
    const Design sobol(design(DesignKind::kSobol, std::uint64_t{1} << m), unit_inputs(5));
    expect_one_point_per_elementary_interval(sobol, m, 5);
  }
}

TEST(Sobol, UnscrambledPointsAlsoKeepOnePointPerElementaryInterval) {
  DesignSpec spec = design(DesignKind::kSobol, 1024);
  spec.scramble = false;
  expect_one_point_per_elementary_interval(Design(spec, unit_inputs(5)), 10, 5);
}

TEST(Sobol, ScramblingShiftsEachDimensionDifferentlyForEachSeed) {
  const Design a(design(DesignKind::kSobol, 8, 1), unit_inputs(2));
  const Design b(design(DesignKind::kSobol, 8, 2), unit_inputs(2));
  EXPECT_NE(a.values(0), b.values(0));
  EXPECT_NE(a.values(0)[0], a.values(0)[1]);
}

TEST(Sobol, RefusesMoreInputsThanBoostsTableHasDimensions) {
  const std::size_t too_many = sweep::SobolDirections::max_dimension() + 1;
  try {
    Design(design(DesignKind::kSobol, 8), unit_inputs(too_many));
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.diagnostics().at(0).message,
              "a sobol design handles at most 3667 uncertain inputs (the dimensions of Boost's "
              "Sobol table), got 3668");
  }
  EXPECT_NO_THROW(Design(design(DesignKind::kSobol, 2), unit_inputs(too_many - 1)));
}

TEST(Grid, EnumeratesTheFullProductWithTheLastInputVaryingFastest) {
  std::vector<UncertainInput> inputs = unit_inputs(3);
  inputs[0].distribution.kind = DistributionKind::kChoice;
  inputs[0].distribution.values = {1, 2};
  inputs[1].grid = {10, 20, 30};
  DesignSpec spec = design(DesignKind::kGrid, 999);
  spec.levels = 2;  // input 2: the quantiles at 0.25 and 0.75
  const Design grid(spec, inputs);
  ASSERT_EQ(grid.points(), 12u);
  std::vector<std::vector<double>> expected;
  for (double a : {1, 2}) {
    for (double b : {10, 20, 30}) {
      for (double c : {0.25, 0.75}) expected.push_back({a, b, c});
    }
  }
  for (std::uint64_t p = 0; p < 12; ++p) EXPECT_EQ(grid.values(p), expected[p]) << "point " << p;
}

TEST(Grid, HasOnePointWithoutInputsAndRefusesLevelsBelowOne) {
  EXPECT_EQ(Design(design(DesignKind::kGrid, 5), {}).points(), 1u);
  DesignSpec spec = design(DesignKind::kGrid, 5);
  spec.levels = 0;
  EXPECT_THROW(Design(spec, unit_inputs(1)), InputError);
}

TEST(DesignName, NamesEachKindAsTheCommandLineDoes) {
  EXPECT_EQ(design_name(DesignKind::kMc), "mc");
  EXPECT_EQ(design_name(DesignKind::kLhs), "lhs");
  EXPECT_EQ(design_name(DesignKind::kSobol), "sobol");
  EXPECT_EQ(design_name(DesignKind::kGrid), "grid");
}

}  // namespace
}  // namespace geosim
