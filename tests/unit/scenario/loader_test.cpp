// load_scenario on the valid scenarios in tests/data/good, and the loader's contract.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "geosim/scenario.h"

namespace geosim {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Paths in specs and messages are relative to the repository root, like a user's would be.
class ScenarioLoader : public ::testing::Test {
 protected:
  void SetUp() override { fs::current_path(GEOSIM_SOURCE_DIR); }
  static ScenarioSpec small_world() { return load_scenario("tests/data/good/small_world.yaml"); }
  static ScenarioSpec chain() { return load_scenario("tests/data/good/chain_top.yaml"); }
  /// The diagnostics of a scenario that must fail to load.
  static std::vector<Diagnostic> errors_of(const fs::path& file) {
    try {
      load_scenario(file);
    } catch (const InputError& e) {
      return e.diagnostics();
    }
    ADD_FAILURE() << file << " loaded without error";
    return {};
  }
};

TEST_F(ScenarioLoader, ReadsRunSettingsIncludingTheLargestSeed) {
  const RunSettings run = small_world().run;
  EXPECT_EQ(run.ticks, 20);
  EXPECT_EQ(run.record_every, 2);
  EXPECT_EQ(run.mode, Mode::kStochastic);
  EXPECT_EQ(run.seed, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(run.start, "2013Q1");
}

TEST_F(ScenarioLoader, ReadsIssuesWithNamesDefaultingToTheirIds) {
  const ScenarioSpec spec = small_world();
  EXPECT_EQ(spec.name, "Small world");
  EXPECT_EQ(spec.description, "Three agents, two issues.");
  ASSERT_EQ(spec.issue_count(), 2);
  EXPECT_EQ(spec.issues[0].id, "korea");
  EXPECT_EQ(spec.issues[0].name, "Korean Peninsula");
  EXPECT_EQ(spec.issues[0].low, "status quo");
  EXPECT_EQ(spec.issues[0].high, "unification");
  EXPECT_EQ(spec.issues[1].name, "trade_bloc");
  EXPECT_EQ(spec.issues[1].low, "");
}

TEST_F(ScenarioLoader, ReadsAgentsWithDefaultsAndInterestsInIssueOrder) {
  const ScenarioSpec spec = small_world();
  ASSERT_EQ(spec.agent_count(), 3);
  const AgentSpec& usa = spec.agents[0];
  EXPECT_EQ(usa.name, "United States");
  EXPECT_EQ(usa.capability, 0.14);
  EXPECT_EQ(usa.susceptibility, 0.3);
  EXPECT_EQ(usa.growth, 0.005);
  EXPECT_EQ(usa.capital, 10.0);
  EXPECT_EQ(usa.interests[0].position, 0.2);
  EXPECT_EQ(usa.interests[0].anchor, 0.25);
  EXPECT_EQ(usa.interests[0].salience, 0.7);
  EXPECT_EQ(usa.interests[1].anchor, 1.0);  // defaults to the position
  const AgentSpec& chn = spec.agents[1];
  EXPECT_EQ(chn.name, "CHN");
  EXPECT_EQ(chn.capability, 0.2);  // written `.2`
  EXPECT_EQ(chn.susceptibility, 0.5);
  EXPECT_EQ(chn.growth, 0.0);
  EXPECT_FALSE(chn.capital.has_value());
  const AgentSpec& jpn = spec.agents[2];
  EXPECT_EQ(jpn.capability, 0.1);  // written `1e-1`
  EXPECT_EQ(jpn.growth, -0.2);
  // JPN lists trade_bloc first; interests still follow issue order.
  EXPECT_EQ(jpn.interests[0].position, 0.1);
  EXPECT_EQ(jpn.interests[1].position, 0.9);
  EXPECT_EQ(jpn.interests[1].salience, 0.6);
}

TEST_F(ScenarioLoader, BuildsRowMajorMatricesFromRelations) {
  const ScenarioSpec spec = small_world();
  auto at = [](const std::vector<double>& m, int i, int j) { return m[static_cast<std::size_t>(i * 3 + j)]; };
  const int usa = 0, chn = 1, jpn = 2;
  EXPECT_EQ(at(spec.affinity0, usa, jpn), 0.8);
  EXPECT_EQ(at(spec.affinity0, jpn, usa), 0.8);
  EXPECT_EQ(at(spec.affinity0, usa, chn), -0.3);
  EXPECT_EQ(at(spec.affinity0, chn, usa), -0.3);
  EXPECT_EQ(at(spec.affinity0, chn, jpn), 0.5);  // directed: only one way
  EXPECT_EQ(at(spec.affinity0, jpn, chn), 0.0);
  EXPECT_EQ(at(spec.initial_affinity, usa, chn), -0.5);
  EXPECT_EQ(at(spec.initial_affinity, chn, usa), -0.5);
  EXPECT_EQ(at(spec.initial_affinity, usa, jpn), 0.8);  // defaults to A0
  EXPECT_EQ(at(spec.initial_affinity, chn, jpn), 0.5);
  EXPECT_EQ(at(spec.trade, usa, jpn), 200.0);
  EXPECT_EQ(at(spec.trade, jpn, usa), 200.0);
  EXPECT_EQ(at(spec.trade, usa, chn), 0.0);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(at(spec.affinity0, i, i), 0.0);
}

TEST_F(ScenarioLoader, ReadsInstitutionsRegionsParamsAndRules) {
  const ScenarioSpec spec = small_world();
  ASSERT_EQ(spec.institutions.size(), 1u);
  EXPECT_EQ(spec.institutions[0].name, "East Asia Summit");
  EXPECT_EQ(spec.institutions[0].members, (std::vector<AgentIndex>{0, 2}));  // ascending
  ASSERT_EQ(spec.regions.size(), 1u);
  EXPECT_EQ(spec.regions[0].name, "RFE");
  EXPECT_EQ(spec.regions[0].host, 1);
  EXPECT_EQ(spec.regions[0].climate, 0.4);
  EXPECT_EQ(spec.regions[0].stock, (std::vector<double>{0, 20, 3}));
  EXPECT_EQ(spec.params.engagement_rate, 0.2);
  EXPECT_EQ(spec.params.bloc_threshold, -0.5);
  EXPECT_EQ(spec.params.affinity_rate, Params{}.affinity_rate);
  EXPECT_EQ(spec.rules.influence.name, "none");
  EXPECT_EQ(spec.rules.influence.where.file, "tests/data/good/small_world.yaml");
  EXPECT_EQ(spec.rules.influence.where.line, 59);
  EXPECT_EQ(spec.rules.influence.where.column, 14);
  EXPECT_EQ(spec.rules.engagement.name, "pivot");
  EXPECT_EQ(spec.rules.engagement.where.line, 0);
}

TEST_F(ScenarioLoader, ReadsEveryKindOfPolicyInFileOrder) {
  const ScenarioSpec spec = small_world();
  ASSERT_EQ(spec.policies.size(), 8u);
  EXPECT_EQ(spec.policies[0].at, 4);
  EXPECT_EQ(spec.policies[0].where.line, 62);
  const auto& pivot = std::get<PivotPolicy>(spec.policies[0].action);
  EXPECT_EQ(pivot.agent, 1);
  EXPECT_EQ(pivot.shares, (std::vector<std::pair<AgentIndex, double>>{{2, 0.5}, {0, 0.5}}));
  const auto& anchor = std::get<AnchorPolicy>(spec.policies[1].action);
  EXPECT_EQ(anchor.anchors, (std::vector<std::pair<IssueIndex, double>>{{0, 0.5}}));
  const auto& salience = std::get<SaliencePolicy>(spec.policies[2].action);
  EXPECT_EQ(salience.agent, 2);
  EXPECT_EQ(salience.saliences, (std::vector<std::pair<IssueIndex, double>>{{0, 0.1}}));
  const auto& climate = std::get<ClimatePolicy>(spec.policies[3].action);
  EXPECT_EQ(climate.region, 0);
  EXPECT_EQ(climate.climate, 0.6);
  const auto& membership = std::get<MembershipPolicy>(spec.policies[4].action);
  EXPECT_EQ(membership.join, (std::vector<AgentIndex>{1}));
  EXPECT_EQ(membership.leave, (std::vector<AgentIndex>{0}));
  const auto& sanction = std::get<SanctionPolicy>(spec.policies[5].action);
  EXPECT_EQ(sanction.from, (std::vector<AgentIndex>{0}));
  EXPECT_EQ(sanction.to, (std::vector<AgentIndex>{1, 2}));
  EXPECT_EQ(sanction.trade_factor, 0.95);
  EXPECT_EQ(sanction.until, 20);
  const auto& set = std::get<SetParamsPolicy>(spec.policies[6].action);
  EXPECT_EQ(set.values, (std::vector<std::pair<std::string, double>>{{"engagement_rate", 0.3},
                                                                     {"trade_growth", -1}}));
  EXPECT_EQ(spec.policies[6].at, 19);
  EXPECT_TRUE(std::get<PivotPolicy>(spec.policies[7].action).shares.empty());  // clears
}

TEST_F(ScenarioLoader, ReadsScheduledAndHazardEventsWithEveryEffect) {
  const ScenarioSpec spec = small_world();
  ASSERT_EQ(spec.events.size(), 2u);
  const EventSpec& crisis = spec.events[0];
  EXPECT_EQ(crisis.id, "crisis");
  EXPECT_EQ(crisis.at, 12);
  EXPECT_EQ(crisis.max_times, 1);
  ASSERT_EQ(crisis.effects.size(), 5u);
  const auto& both_ways = std::get<AffinityEffect>(crisis.effects[0]);
  EXPECT_EQ(both_ways.from, 1);
  EXPECT_EQ(both_ways.to, 2);
  EXPECT_EQ(both_ways.delta, -0.3);
  EXPECT_FALSE(both_ways.directed);
  EXPECT_TRUE(std::get<AffinityEffect>(crisis.effects[1]).directed);
  const auto& position = std::get<InterestEffect>(crisis.effects[2]);
  EXPECT_EQ(position.field, InterestEffect::Field::kPosition);
  EXPECT_EQ(position.agent, 1);
  EXPECT_EQ(position.issue, 0);
  EXPECT_EQ(position.delta, 0.1);
  EXPECT_EQ(std::get<InterestEffect>(crisis.effects[3]).field, InterestEffect::Field::kAnchor);
  EXPECT_EQ(std::get<InterestEffect>(crisis.effects[3]).delta, -0.1);
  EXPECT_EQ(std::get<InterestEffect>(crisis.effects[4]).field, InterestEffect::Field::kSalience);
  const EventSpec& hazard = spec.events[1];
  EXPECT_EQ(hazard.id, "");
  EXPECT_FALSE(hazard.at.has_value());
  EXPECT_EQ(hazard.hazard, 0.01);
  EXPECT_EQ(hazard.max_times, 3);
}

TEST_F(ScenarioLoader, ReadsTrackedDyadsInTheOrderGiven) {
  const TrackSpec track = small_world().track;
  EXPECT_EQ(track.dyads, (std::vector<std::pair<AgentIndex, AgentIndex>>{{0, 1}, {2, 0}}));
  EXPECT_EQ(track.agents, (std::vector<AgentIndex>{2, 1}));
}

TEST_F(ScenarioLoader, FindsAgentsAndIssuesById) {
  const ScenarioSpec spec = small_world();
  EXPECT_EQ(spec.find_agent("JPN"), 2);
  EXPECT_EQ(spec.find_agent("jpn"), std::nullopt);
  EXPECT_EQ(spec.find_issue("trade_bloc"), 1);
  EXPECT_EQ(spec.find_issue("taiwan"), std::nullopt);
}

TEST_F(ScenarioLoader, MergesMapsKeyByKeyAcrossAnExtendsChain) {
  const ScenarioSpec spec = chain();
  EXPECT_EQ(spec.name, "top");
  EXPECT_EQ(spec.run.ticks, 30);        // from chain_mid
  EXPECT_EQ(spec.run.record_every, 4);  // kept from chain_base
}

TEST_F(ScenarioLoader, MergesListItemsByIdAndAppendsNewOnes) {
  const ScenarioSpec spec = chain();
  ASSERT_EQ(spec.issue_count(), 2);
  EXPECT_EQ(spec.issues[0].name, "Korea");
  EXPECT_EQ(spec.issues[1].name, "Kuril Islands");
  ASSERT_EQ(spec.agent_count(), 3);
  EXPECT_EQ(spec.agents[1].id, "JPN");
  EXPECT_EQ(spec.agents[1].capability, 0.25);
  EXPECT_EQ(spec.agents[1].interests[1].position, 0.9);
  EXPECT_EQ(spec.agents[1].interests[1].salience, 0.5);  // kept from chain_base
  EXPECT_EQ(spec.agents[2].id, "USA");
  EXPECT_EQ(spec.institutions[0].members, (std::vector<AgentIndex>{0, 1}));  // appended
}

TEST_F(ScenarioLoader, LetsAnOverlayOverrideARelationGivenInTheOtherOrder) {
  const ScenarioSpec spec = chain();
  auto at = [&](const std::vector<double>& m, int i, int j) { return m[static_cast<std::size_t>(i * 3 + j)]; };
  EXPECT_EQ(at(spec.affinity0, 0, 1), 0.3);
  EXPECT_EQ(at(spec.affinity0, 1, 0), 0.3);
  EXPECT_EQ(at(spec.trade, 0, 1), 30.0);  // kept from chain_base
  EXPECT_EQ(at(spec.affinity0, 2, 1), 0.9);
}

TEST_F(ScenarioLoader, AppendsPoliciesParentFirstAndKeepsEachFilesLocation) {
  const ScenarioSpec spec = chain();
  ASSERT_EQ(spec.policies.size(), 3u);
  EXPECT_EQ(spec.policies[0].at, 1);
  EXPECT_EQ(spec.policies[0].where.file, "tests/data/good/chain_base.yaml");
  EXPECT_EQ(spec.policies[1].at, 2);
  EXPECT_EQ(spec.policies[1].where.file, "tests/data/good/chain_mid.yaml");
  EXPECT_EQ(spec.policies[2].at, 3);
  EXPECT_EQ(spec.policies[2].where.file, "tests/data/good/chain_top.yaml");
  EXPECT_TRUE(std::holds_alternative<PivotPolicy>(spec.policies[2].action));
}

TEST_F(ScenarioLoader, MergesEventsByIdAppendingTheirEffects) {
  const ScenarioSpec spec = chain();
  ASSERT_EQ(spec.events.size(), 2u);
  EXPECT_EQ(spec.events[0].id, "summit");
  EXPECT_EQ(spec.events[0].at, 10);
  ASSERT_EQ(spec.events[0].effects.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<InterestEffect>(spec.events[0].effects[1]));
  EXPECT_EQ(spec.events[1].id, "later");
}

TEST_F(ScenarioLoader, ListsSourcesRootFirstAndHashesThemWithFnv1a) {
  const ScenarioSpec spec = chain();
  ASSERT_EQ(spec.sources.size(), 3u);
  EXPECT_EQ(spec.sources[0].path, "tests/data/good/chain_top.yaml");
  EXPECT_EQ(spec.sources[1].path, "tests/data/good/chain_mid.yaml");
  EXPECT_EQ(spec.sources[2].path, "tests/data/good/chain_base.yaml");
  std::uint64_t hash = 14695981039346656037ull;
  for (const auto& source : spec.sources) {
    EXPECT_EQ(source.text, read_file(source.path));
    for (const std::string& part : {source.path, source.text}) {
      for (char c : part + '\0') {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ull;
      }
    }
  }
  char expected[17];
  std::snprintf(expected, sizeof expected, "%016llx", static_cast<unsigned long long>(hash));
  EXPECT_EQ(spec.inputs_hash, expected);
  EXPECT_NE(spec.inputs_hash, small_world().inputs_hash);
}

TEST_F(ScenarioLoader, ThrowsIoErrorWhenTheRootFileCannotBeRead) {
  EXPECT_THROW(load_scenario("tests/data/good/no_such_file.yaml"), IoError);
  EXPECT_THROW(load_scenario("tests/data/good"), IoError);
}

TEST_F(ScenarioLoader, ReportsEverySalienceErrorAtOnce) {
  const auto errors = errors_of("tests/data/bad/salience_errors_all_reported.yaml");
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].message,
            "agents[RUS] saliences sum to 0.8 (0.2 below 1); they must sum to 1");
  EXPECT_EQ(errors[1].message,
            "agents[JPN] saliences sum to 0.8 (0.2 below 1); they must sum to 1");
  EXPECT_EQ(errors[2].message, "agents[CHN].interests.korea.salience must be in [0, 1], got 1.7");
}

TEST_F(ScenarioLoader, LocatesErrorsOneBasedWithTheirSourceLine) {
  const auto errors = errors_of("tests/data/bad/nan.yaml");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where.file, "tests/data/bad/nan.yaml");
  EXPECT_EQ(errors[0].where.line, 13);
  EXPECT_EQ(errors[0].where.column, 17);
  EXPECT_EQ(errors[0].source_line, "    capability: .nan");
}

TEST_F(ScenarioLoader, AcceptsAnyRuleNameWhenNoCatalogIsGiven) {
  // Without a catalog only the slot is checked; the engine resolves names later.
  const auto errors = errors_of("tests/data/bad/unknown_rule_slot.yaml");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "rules has unknown key 'influense'; did you mean 'influence'?");
  const ScenarioSpec spec = load_scenario("tests/data/bad/unknown_rule.yaml");
  EXPECT_EQ(spec.rules.influence.name, "friedkin_johnson");
  EXPECT_EQ(spec.rules.affinity.name, "balance");
}

}  // namespace
}  // namespace geosim
