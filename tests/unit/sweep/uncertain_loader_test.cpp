// The `uncertain:` section as the loader reads it: distributions, resolved paths, overlays.
#include <gtest/gtest.h>

#include <filesystem>
#include <limits>
#include <string_view>

#include "geosim/params.h"
#include "geosim/scenario.h"

namespace geosim {
namespace {

namespace fs = std::filesystem;
using Kind = InputTarget::Kind;

int param_index(std::string_view key) {
  const auto table = param_table();
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (table[i].key == key) return static_cast<int>(i);
  }
  return -1;
}

class UncertainSection : public ::testing::Test {
 protected:
  void SetUp() override { fs::current_path(GEOSIM_SOURCE_DIR); }
  static ScenarioSpec world() { return load_scenario("tests/data/good/uncertain_world.yaml"); }
};

TEST_F(UncertainSection, LoadsEveryInputInFileOrderWithItsExactDistribution) {
  const ScenarioSpec spec = world();
  ASSERT_EQ(spec.uncertain.size(), 23u);
  const auto& theta = spec.uncertain[0];
  EXPECT_EQ(theta.id, "theta");
  EXPECT_EQ(theta.path, "params.coop_threshold");
  EXPECT_EQ(theta.distribution.kind, DistributionKind::kUniform);
  EXPECT_EQ(theta.distribution.min, 0.4);
  EXPECT_EQ(theta.distribution.max, 0.6);
  EXPECT_EQ(theta.where.line, 55);
  const Distribution& normal = spec.uncertain[1].distribution;
  EXPECT_EQ(normal.kind, DistributionKind::kNormal);
  EXPECT_EQ(normal.mean, 0.5);
  EXPECT_EQ(normal.sd, 0.1);
  const Distribution& triangular = spec.uncertain[2].distribution;
  EXPECT_EQ(triangular.kind, DistributionKind::kTriangular);
  EXPECT_EQ(triangular.min, 0.1);
  EXPECT_EQ(triangular.mode, 0.2);
  EXPECT_EQ(triangular.max, 0.4);
  const Distribution& trunc = spec.uncertain[3].distribution;
  EXPECT_EQ(trunc.kind, DistributionKind::kTruncNormal);
  EXPECT_EQ(trunc.mean, 0.0);
  EXPECT_EQ(trunc.sd, 0.2);
  EXPECT_EQ(trunc.min, -0.5);
  EXPECT_EQ(trunc.max, 0.5);
  const Distribution& beta = spec.uncertain[4].distribution;
  EXPECT_EQ(beta.kind, DistributionKind::kBeta);
  EXPECT_EQ(beta.alpha, 2.0);
  EXPECT_EQ(beta.beta, 5.0);
  EXPECT_EQ(beta.max, 0.2);
  const Distribution& choice = spec.uncertain[5].distribution;
  EXPECT_EQ(choice.kind, DistributionKind::kChoice);
  EXPECT_EQ(choice.values, (std::vector<double>{0.4, 0.5, 0.6}));
  EXPECT_EQ(choice.weights, (std::vector<double>{1, 2, 1}));
  EXPECT_EQ(spec.uncertain[6].grid, (std::vector<double>{0, 4, 8}));
  EXPECT_TRUE(spec.uncertain[0].grid.empty());
}

TEST_F(UncertainSection, GivesTheBetaTheUnitIntervalAndChoiceEqualWeightsByDefault) {
  const ScenarioSpec spec = world();
  EXPECT_EQ(spec.uncertain[8].distribution.min, 0.0);
  EXPECT_EQ(spec.uncertain[8].distribution.max, 1.0);
  EXPECT_TRUE(spec.uncertain[18].distribution.weights.empty());
}

/// Expects input i to target (kind, a, b) with range [min, max].
void expect_target(const UncertainInput& input, Kind kind, int a, int b, double min, double max) {
  SCOPED_TRACE(input.path);
  EXPECT_EQ(input.target.kind, kind);
  EXPECT_EQ(input.target.a, a);
  EXPECT_EQ(input.target.b, b);
  EXPECT_EQ(input.target.min, min);
  EXPECT_EQ(input.target.max, max);
}

TEST_F(UncertainSection, ResolvesEveryPathToItsFieldAndTheLoadersRangeForIt) {
  const ScenarioSpec spec = world();
  const auto& u = spec.uncertain;
  constexpr double kInf = std::numeric_limits<double>::infinity();
  // Agents: USA 0, RUS 1, JPN 2, CHN 3. Issues: korea 0, kurils 1, rfe 2.
  expect_target(u[0], Kind::kParam, param_index("coop_threshold"), 0, 0, 1);
  expect_target(u[1], Kind::kPosition, 1, 0, 0, 1);
  expect_target(u[2], Kind::kSalience, 2, 1, 0, 1);
  expect_target(u[3], Kind::kAffinity, 0, 1, -1, 1);
  expect_target(u[4], Kind::kParam, param_index("balance_rate"), 0, 0, kInf);
  expect_target(u[5], Kind::kPivotShare, 0, 1, 0, 1);  // CHN is the second share
  expect_target(u[6], Kind::kPolicyAt, 0, 0, 0, 9);
  expect_target(u[7], Kind::kCapability, 0, 0, 0, kInf);
  EXPECT_TRUE(u[7].target.min_exclusive);
  expect_target(u[8], Kind::kSusceptibility, 0, 0, 0, 1);
  EXPECT_TRUE(u[8].target.max_exclusive);
  expect_target(u[9], Kind::kGrowth, 3, 0, -1, kInf);
  EXPECT_TRUE(u[9].target.min_exclusive);
  expect_target(u[10], Kind::kCapital, 1, 0, 0, kInf);
  expect_target(u[11], Kind::kAnchor, 1, 1, 0, 1);
  expect_target(u[12], Kind::kAffinity, 3, 2, -1, 1);
  expect_target(u[13], Kind::kInitialAffinity, 2, 3, -1, 1);
  expect_target(u[14], Kind::kTrade, 0, 1, 0, kInf);
  expect_target(u[15], Kind::kClimate, 0, 0, 0, 1);
  expect_target(u[16], Kind::kPolicyAnchor, 1, 0, 0, 1);
  expect_target(u[17], Kind::kPolicySalience, 2, 0, 0, 1);
  expect_target(u[18], Kind::kPolicyClimate, 3, 0, 0, 1);
  expect_target(u[19], Kind::kTradeFactor, 4, 0, 0, kInf);
  expect_target(u[20], Kind::kPolicyAt, 4, 0, 0, 5);  // the sanction must start before until: 6
  expect_target(u[21], Kind::kEventAt, 0, 0, 0, 9);
  expect_target(u[22], Kind::kHazard, 1, 0, 0, 1);
  EXPECT_TRUE(u[6].target.integer);
  EXPECT_TRUE(u[21].target.integer);
  EXPECT_FALSE(u[0].target.integer);
}

TEST_F(UncertainSection, LinksAffinityToA0AndPositionToTheAnchorOnlyWhereTheyDefault) {
  const ScenarioSpec spec = world();
  EXPECT_TRUE(spec.uncertain[3].target.also_initial);    // USA->RUS: no initial_affinity given
  EXPECT_FALSE(spec.uncertain[12].target.also_initial);  // CHN->JPN: initial_affinity given
  EXPECT_TRUE(spec.uncertain[1].target.also_initial);    // RUS korea: anchor not given
}

TEST_F(UncertainSection, MergesAnOverlaysItemIntoTheParentsByIdAndAppendsNewOnes) {
  const ScenarioSpec spec = load_scenario("tests/data/good/uncertain_overlay.yaml");
  ASSERT_EQ(spec.uncertain.size(), 24u);
  EXPECT_EQ(spec.uncertain[0].distribution.kind, DistributionKind::kUniform);
  EXPECT_EQ(spec.uncertain[0].distribution.min, 0.4);
  EXPECT_EQ(spec.uncertain[0].distribution.max, 0.7);
  EXPECT_EQ(spec.uncertain[23].path, "agents.CHN.capability");
}

TEST_F(UncertainSection, KeepsOnlyTheParentItemsPathWhenTheOverlayGivesANewDistribution) {
  const ScenarioSpec spec = load_scenario("tests/data/good/uncertain_overlay_replace.yaml");
  ASSERT_EQ(spec.uncertain.size(), 23u);
  EXPECT_EQ(spec.uncertain[0].path, "params.coop_threshold");
  EXPECT_EQ(spec.uncertain[0].distribution.kind, DistributionKind::kNormal);
  EXPECT_EQ(spec.uncertain[0].distribution.sd, 0.05);
  EXPECT_EQ(spec.uncertain[0].where.file, "tests/data/good/uncertain_overlay_replace.yaml");
}

TEST_F(UncertainSection, LeavesTheListEmptyWhenTheScenarioHasNone) {
  EXPECT_TRUE(load_scenario("tests/data/good/small_world.yaml").uncertain.empty());
}

}  // namespace
}  // namespace geosim
