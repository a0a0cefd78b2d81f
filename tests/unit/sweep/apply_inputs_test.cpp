// apply_inputs: sampled values land in the right spec fields, clipped, rounded and
// renormalised as documented in include/geosim/uncertain.h.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <stdexcept>

#include "geosim/scenario.h"
#include "geosim/uncertain.h"

namespace geosim {
namespace {

namespace fs = std::filesystem;
using Kind = InputTarget::Kind;

// Agents: USA 0, RUS 1, JPN 2, CHN 3. Issues: korea 0, kurils 1, rfe 2 (uncertain_world.yaml).
constexpr std::size_t kUsaRus = 0 * 4 + 1, kRusUsa = 1 * 4 + 0, kChnJpn = 3 * 4 + 2,
                      kJpnChn = 2 * 4 + 3;

class ApplyInputs : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::current_path(GEOSIM_SOURCE_DIR);
    spec_ = load_scenario("tests/data/good/uncertain_world.yaml");
    // Values inside every range, in the order of the file's uncertain list.
    values_ = {0.45, 0.55, 0.3, 0.3, 0.12, 0.6, 3.6, 0.35, 0.7, 0.02, 6.0, 0.25,
               0.25, -0.1, 45, 0.45, 0.9, 0.5, 0.7, 0.4, 2.0, 9.4, 0.05};
  }
  ScenarioSpec applied() { return apply_inputs(spec_, values_); }

  ScenarioSpec spec_;
  std::vector<double> values_;
};

TEST_F(ApplyInputs, WritesParametersAndAgentFields) {
  const ScenarioSpec out = applied();
  EXPECT_EQ(out.params.coop_threshold, 0.45);
  EXPECT_EQ(out.params.balance_rate, 0.12);
  EXPECT_EQ(out.agents[0].capability, 0.35);
  EXPECT_EQ(out.agents[0].susceptibility, 0.7);
  EXPECT_EQ(out.agents[3].growth, 0.02);
  EXPECT_EQ(out.agents[1].capital, 6.0);
  EXPECT_EQ(out.regions[0].climate, 0.45);
}

TEST_F(ApplyInputs, MovesTheDefaultedAnchorWithAPositionButNotAGivenOne) {
  const ScenarioSpec out = applied();
  EXPECT_EQ(out.agents[1].interests[0].position, 0.55);
  EXPECT_EQ(out.agents[1].interests[0].anchor, 0.55);  // the anchor defaults to the position
  EXPECT_EQ(out.agents[1].interests[1].anchor, 0.25);  // sampled itself
  EXPECT_EQ(out.agents[1].interests[1].position, 0.1);
}

TEST_F(ApplyInputs, SetsA0AndTheDefaultedInitialAffinityOfOneDirectionOnly) {
  const ScenarioSpec out = applied();
  EXPECT_EQ(out.affinity0[kUsaRus], 0.3);
  EXPECT_EQ(out.initial_affinity[kUsaRus], 0.3);
  EXPECT_EQ(out.affinity0[kRusUsa], -0.2);  // directed: A_IJ only
  EXPECT_EQ(out.initial_affinity[kRusUsa], -0.2);
  EXPECT_EQ(out.affinity0[kChnJpn], 0.25);
  EXPECT_EQ(out.initial_affinity[kChnJpn], -0.3);  // given separately in the scenario
  EXPECT_EQ(out.initial_affinity[kJpnChn], -0.1);
  EXPECT_EQ(out.affinity0[kJpnChn], 0.1);
}

TEST_F(ApplyInputs, SetsTradeSymmetrically) {
  const ScenarioSpec out = applied();
  EXPECT_EQ(out.trade[kUsaRus], 45.0);
  EXPECT_EQ(out.trade[kRusUsa], 45.0);
}

TEST_F(ApplyInputs, WritesPolicyAndEventFieldsAndRoundsTicks) {
  const ScenarioSpec out = applied();
  EXPECT_EQ(std::get<PivotPolicy>(out.policies[0].action).shares[1].second, 0.6);
  EXPECT_EQ(out.policies[0].at, 4);  // 3.6 rounded
  EXPECT_EQ(std::get<AnchorPolicy>(out.policies[1].action).anchors[0].second, 0.9);
  EXPECT_EQ(std::get<SaliencePolicy>(out.policies[2].action).saliences[0].second, 0.5);
  EXPECT_EQ(std::get<ClimatePolicy>(out.policies[3].action).climate, 0.7);
  EXPECT_EQ(std::get<SanctionPolicy>(out.policies[4].action).trade_factor, 0.4);
  EXPECT_EQ(out.policies[4].at, 2);
  EXPECT_EQ(out.events[0].at, 9);  // 9.4 rounded
  EXPECT_EQ(out.events[1].hazard, 0.05);
  EXPECT_EQ(values_[6], 4.0) << "the used value is written back";
  EXPECT_EQ(values_[21], 9.0);
}

TEST_F(ApplyInputs, ClipsToEachPathsRangeAndWritesTheUsedValuesBack) {
  values_[0] = 1.7;    // coop_threshold in [0, 1]
  values_[1] = -0.3;   // position in [0, 1]
  values_[6] = 12.5;   // policy tick in [0, 9]
  values_[7] = -0.1;   // capability > 0
  values_[8] = 1.0;    // susceptibility < 1
  values_[9] = -3;     // growth > -1
  values_[14] = -5;    // trade >= 0
  values_[20] = 7;     // the sanction starts before its until, 6
  values_[21] = -2.2;  // event tick >= 0
  const ScenarioSpec out = applied();
  EXPECT_EQ(out.params.coop_threshold, 1.0);
  EXPECT_EQ(values_[0], 1.0);
  EXPECT_EQ(out.agents[1].interests[0].position, 0.0);
  EXPECT_EQ(values_[1], 0.0);
  EXPECT_EQ(out.policies[0].at, 9);
  EXPECT_EQ(values_[6], 9.0);
  EXPECT_GT(out.agents[0].capability, 0.0);
  EXPECT_LT(out.agents[0].susceptibility, 1.0);
  EXPECT_GT(out.agents[3].growth, -1.0);
  EXPECT_EQ(out.trade[kUsaRus], 0.0);
  EXPECT_EQ(out.policies[4].at, 5);
  EXPECT_EQ(out.events[0].at, 0);
  EXPECT_EQ(values_[21], 0.0);
}

TEST_F(ApplyInputs, CapsAPivotShareAtWhatTheOtherSharesLeave) {
  values_[5] = 0.95;  // JPN already has 0.2
  const ScenarioSpec out = applied();
  EXPECT_DOUBLE_EQ(std::get<PivotPolicy>(out.policies[0].action).shares[1].second, 0.8);
  EXPECT_DOUBLE_EQ(values_[5], 0.8);
}

double salience_sum(const AgentSpec& agent) {
  double sum = 0;
  for (const auto& interest : agent.interests) sum += interest.salience;
  return sum;
}

TEST_F(ApplyInputs, RescalesTheSaliencesNotSampledSoThatTheySumToOne) {
  const ScenarioSpec out = applied();  // JPN kurils 0.3; korea 0.3 and rfe 0.2 share the rest
  const AgentSpec& jpn = out.agents[2];
  EXPECT_EQ(jpn.interests[1].salience, 0.3);
  EXPECT_NEAR(jpn.interests[0].salience, 0.42, 1e-15);
  EXPECT_NEAR(jpn.interests[2].salience, 0.28, 1e-15);
  EXPECT_NEAR(salience_sum(jpn), 1.0, 1e-12);
  for (const auto& agent : out.agents) EXPECT_NEAR(salience_sum(agent), 1.0, 1e-12);
}

/// The spec with a second and third sampled salience for JPN (korea, rfe).
ScenarioSpec with_more_saliences(ScenarioSpec spec) {
  for (int issue : {0, 2}) {
    UncertainInput input = spec.uncertain[2];
    input.path = "agents.JPN.interests." + spec.issues[static_cast<std::size_t>(issue)].id + ".salience";
    input.target.b = issue;
    spec.uncertain.push_back(input);
  }
  return spec;
}

TEST_F(ApplyInputs, DividesAllSaliencesByTheirSumWhenTheSampledOnesExceedOne) {
  const ScenarioSpec spec = with_more_saliences(spec_);
  values_.push_back(0.9);  // korea
  values_.push_back(0.3);  // rfe; with kurils 0.3 the sampled sum is 1.5
  const ScenarioSpec out = apply_inputs(spec, values_);
  const AgentSpec& jpn = out.agents[2];
  EXPECT_NEAR(jpn.interests[0].salience, 0.6, 1e-15);
  EXPECT_NEAR(jpn.interests[1].salience, 0.2, 1e-15);
  EXPECT_NEAR(jpn.interests[2].salience, 0.2, 1e-15);
  EXPECT_NEAR(salience_sum(jpn), 1.0, 1e-12);
  EXPECT_NEAR(values_[23], 0.6, 1e-15) << "the renormalised value is the one used";
}

TEST_F(ApplyInputs, GivesEqualSaliencesWhenEverySampledAndOtherSalienceIsZero) {
  const ScenarioSpec spec = with_more_saliences(spec_);
  values_[2] = 0;
  values_.push_back(0);
  values_.push_back(0);
  const ScenarioSpec out = apply_inputs(spec, values_);
  for (const auto& interest : out.agents[2].interests) EXPECT_NEAR(interest.salience, 1.0 / 3, 1e-15);
}

TEST_F(ApplyInputs, LeavesTheOriginalSpecUnchanged) {
  const ScenarioSpec before = spec_;
  applied();
  EXPECT_EQ(spec_.params.coop_threshold, before.params.coop_threshold);
  EXPECT_EQ(spec_.affinity0, before.affinity0);
  EXPECT_EQ(spec_.policies[0].at, before.policies[0].at);
}

TEST_F(ApplyInputs, RefusesAValueCountThatDiffersFromTheInputs) {
  values_.pop_back();
  EXPECT_THROW(applied(), std::invalid_argument);
}

/// A world of n agents and 3 issues with equal saliences, built in code.
ScenarioSpec big_world(int n) {
  ScenarioSpec spec;
  spec.issues = {{"a", "a", "", ""}, {"b", "b", "", ""}, {"c", "c", "", ""}};
  for (int i = 0; i < n; ++i) {
    AgentSpec agent;
    agent.id = "A" + std::to_string(i);
    agent.capability = 1;
    agent.interests.assign(3, InterestSpec{0.5, 0.5, 1.0 / 3});
    spec.agents.push_back(agent);
  }
  const auto cells = static_cast<std::size_t>(n) * static_cast<std::size_t>(n);
  spec.affinity0.assign(cells, 0.0);
  spec.initial_affinity.assign(cells, 0.0);
  spec.trade.assign(cells, 0.0);
  return spec;
}

UncertainInput input_at(Kind kind, int a, int b, double min, double max) {
  UncertainInput input;
  input.target.kind = kind;
  input.target.a = a;
  input.target.b = b;
  input.target.min = min;
  input.target.max = max;
  input.target.also_initial = true;
  return input;
}

TEST(ApplyInputsOnALargeWorld, WritesTheRightCellsOfAThousandAgentWorld) {
  ScenarioSpec spec = big_world(1000);
  spec.uncertain.push_back(input_at(Kind::kAffinity, 998, 999, -1, 1));
  spec.uncertain.push_back(input_at(Kind::kSalience, 999, 2, 0, 1));
  spec.uncertain.push_back(input_at(Kind::kTrade, 0, 999, 0, 1e9));
  std::vector<double> values{0.7, 0.5, 12};
  const auto start = std::chrono::steady_clock::now();
  const ScenarioSpec out = apply_inputs(spec, values);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(out.affinity0[998 * 1000 + 999], 0.7);
  EXPECT_EQ(out.initial_affinity[998 * 1000 + 999], 0.7);
  EXPECT_EQ(out.affinity0[999 * 1000 + 998], 0.0);
  EXPECT_EQ(out.trade[999 * 1000 + 0], 12.0);
  EXPECT_EQ(out.agents[999].interests[2].salience, 0.5);
  EXPECT_NEAR(out.agents[999].interests[0].salience, 0.25, 1e-15);
  EXPECT_NEAR(salience_sum(out.agents[999]), 1.0, 1e-12);
  EXPECT_EQ(out.agents[998].interests[2].salience, 1.0 / 3);
  // Three 1000 x 1000 matrices are copied; anything much slower than that is a bug.
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

}  // namespace
}  // namespace geosim
