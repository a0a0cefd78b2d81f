// Morris elementary effects: the trajectories on the grid, and mu, mu* and sigma of models
// whose effects are known.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <set>
#include <vector>

#include "geosim/error.h"
#include "sensitivity/morris.h"

namespace geosim::sensitivity {
namespace {

MorrisSpec spec(std::size_t inputs, std::uint64_t trajectories, unsigned levels = 4, std::uint64_t seed = 5) {
  MorrisSpec out;
  out.inputs = inputs;
  out.trajectories = trajectories;
  out.levels = levels;
  out.seed = seed;
  return out;
}

std::vector<double> evaluate(const MorrisDesign& d, const std::function<double(const std::vector<double>&)>& model) {
  std::vector<double> out(d.runs());
  for (std::uint64_t run = 0; run < d.runs(); ++run) out[run] = model(d.point(run));
  return out;
}

TEST(MorrisDesign, UsesDeltaOfHalfTheLevelsOverLevelsLessOne) {
  EXPECT_DOUBLE_EQ(MorrisDesign(spec(2, 1)).delta(), 2.0 / 3);
  EXPECT_DOUBLE_EQ(MorrisDesign(spec(2, 1, 2)).delta(), 1.0);
  EXPECT_DOUBLE_EQ(MorrisDesign(spec(2, 1, 6)).delta(), 0.6);
  EXPECT_EQ(MorrisDesign(spec(4, 10)).runs(), 50u);
}

TEST(MorrisDesign, PointsLieOnTheGridAndEachStepMovesOneInputByDelta) {
  for (const unsigned p : {2u, 4u, 6u}) {
    const MorrisDesign d(spec(5, 40, p));
    const double top = p - 1;
    for (std::uint64_t t = 0; t < d.trajectories(); ++t) {
      std::set<std::size_t> moved;
      for (std::uint64_t s = 0; s <= 5; ++s) {
        const auto x = d.point(t * 6 + s);
        for (const double v : x) {
          EXPECT_GE(v, 0);
          EXPECT_LE(v, 1);
          EXPECT_NEAR(v * top, std::round(v * top), 1e-12) << "off the " << p << "-level grid";
        }
        if (s == 0) continue;
        const auto before = d.point(t * 6 + s - 1);
        std::size_t changed = 0;
        for (std::size_t i = 0; i < 5; ++i) {
          if (x[i] == before[i]) continue;
          ++changed;
          moved.insert(i);
          EXPECT_NEAR(std::fabs(x[i] - before[i]), d.delta(), 1e-12);
          EXPECT_EQ(i, d.trajectory(t).order[s - 1]);
        }
        EXPECT_EQ(changed, 1u) << "trajectory " << t << " step " << s;
      }
      EXPECT_EQ(moved.size(), 5u);  // every input moves exactly once
    }
  }
}

TEST(MorrisDesign, StartsFromEveryLevelAndMovesBothWays) {
  const MorrisDesign d(spec(3, 200));
  std::set<unsigned> starts;
  std::set<int> directions;
  for (std::uint64_t t = 0; t < d.trajectories(); ++t) {
    const auto path = d.trajectory(t);
    starts.insert(path.start.begin(), path.start.end());
    directions.insert(path.direction.begin(), path.direction.end());
  }
  EXPECT_EQ(starts, (std::set<unsigned>{0, 1, 2, 3}));
  EXPECT_EQ(directions, (std::set<int>{-1, 1}));
}

TEST(MorrisDesign, TrajectoryTIsAPureFunctionOfSeedAndT) {
  const MorrisDesign few(spec(4, 5));
  const MorrisDesign many(spec(4, 50));
  for (std::uint64_t run = 0; run < few.runs(); ++run) EXPECT_EQ(few.point(run), many.point(run));
  const MorrisDesign reseeded(spec(4, 5, 4, 6));
  int same = 0;
  for (std::uint64_t run = 0; run < few.runs(); ++run) same += few.point(run) == reseeded.point(run);
  EXPECT_LT(same, 25);
}

TEST(MorrisIndices, LinearModelGivesItsCoefficientsWithNoSpread) {
  const std::vector<double> c{2.5, -1, 0, 7};
  const MorrisDesign d(spec(4, 20));
  const auto y = evaluate(d, [&](const std::vector<double>& x) {
    double sum = 0;
    for (std::size_t i = 0; i < 4; ++i) sum += c[i] * x[i];
    return sum;
  });
  const auto m = morris_indices(d, y);
  // Each output rounds to within 4 ulps of sum |c_i| (10.5) and an effect divides a difference
  // of two outputs by Delta = 2/3: 8 eps * 10.5 * 1.5, about 3e-14.
  const double tolerance = 8 * std::numeric_limits<double>::epsilon() * 10.5 * 1.5;
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(m[i].effects, 20u);
    EXPECT_NEAR(m[i].mu, c[i], tolerance) << i;
    EXPECT_NEAR(m[i].mu_star, std::fabs(c[i]), tolerance) << i;
    EXPECT_NEAR(m[i].sigma, 0, tolerance) << i;
  }
}

TEST(MorrisIndices, NonlinearAndInteractingInputsSpreadTheirEffects) {
  const MorrisDesign d(spec(3, 30));
  const auto m = morris_indices(d, evaluate(d, [](const std::vector<double>& x) {
    return x[0] * x[0] + x[0] * x[1] + 3 * x[2];
  }));
  EXPECT_GT(m[0].sigma, 0.1);
  EXPECT_GT(m[1].sigma, 0.1);
  EXPECT_NEAR(m[2].sigma, 0, 1e-13);
  EXPECT_NEAR(m[2].mu_star, 3, 1e-13);
  // x1 moves between v and v + 2/3, v in {0, 1/3}: EE = 2 v + 2/3 + x2, between 2/3 and 7/3.
  EXPECT_GT(m[0].mu, 0.6);
  EXPECT_LT(m[0].mu, 2.4);
}

TEST(MorrisIndices, SkipEffectsWithANonFiniteOutputAndCarryNames) {
  const MorrisDesign d(spec(2, 3));
  auto y = evaluate(d, [](const std::vector<double>& x) { return x[0] - x[1]; });
  y[1] = std::numeric_limits<double>::quiet_NaN();  // step 1 of trajectory 0: two effects
  const std::vector<std::string> names{"a", "b"};
  const auto m = morris_indices(d, y, names);
  EXPECT_EQ(m[0].effects + m[1].effects, 4u);
  EXPECT_EQ(m[1].name, "b");
  EXPECT_NEAR(m[0].mu, 1, 1e-14);
}

TEST(MorrisDesign, RejectsNoInputsNoTrajectoriesAndBadLevels) {
  using testing::HasSubstr;
  try {
    MorrisDesign d(spec(2, 4, 1));
    FAIL() << "p = 1 accepted";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("Morris levels must be even and at least 2"));
    EXPECT_THAT(e.what(), HasSubstr("got 1"));
  }
  EXPECT_THROW(MorrisDesign(spec(2, 4, 3)), InputError);
  EXPECT_THROW(MorrisDesign(spec(2, 4, 0)), InputError);
  try {
    MorrisDesign d(spec(0, 4));
    FAIL() << "k = 0 accepted";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("a Morris design needs at least 1 input, got 0"));
  }
  EXPECT_THROW(MorrisDesign(spec(2, 0)), InputError);
  const MorrisDesign d(spec(2, 4));
  EXPECT_THROW(d.point(12), std::out_of_range);
  EXPECT_THROW(d.trajectory(4), std::out_of_range);
}

TEST(MorrisIndices, RejectOutputsOfTheWrongLengthAndWrongNames) {
  const MorrisDesign d(spec(2, 4));
  try {
    morris_indices(d, std::vector<double>(13, 0.0));
    FAIL() << "13 outputs accepted";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), testing::HasSubstr("the Morris design has 12 runs but 13 outputs were given"));
  }
  const std::vector<std::string> names{"a", "b", "c"};
  EXPECT_THROW(morris_indices(d, std::vector<double>(12, 0.0), names), InputError);
}

}  // namespace
}  // namespace geosim::sensitivity
