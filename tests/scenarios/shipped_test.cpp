// Every shipped scenario (scenarios/*.yaml) loads, and runs a few ticks in expected and
// stochastic mode through the library API with every invariant kept after every tick.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "geosim/engine.h"
#include "geosim/scenario.h"
#include "geosim/state.h"
#include "registry.h"
#include "support/files.h"

namespace geosim {
namespace {

namespace fs = std::filesystem;

fs::path scenarios_dir() { return test::source_dir() / "scenarios"; }

// The YAML files at the top level of scenarios/ (not illustrative/ or tests/), sorted.
std::vector<std::string> shipped_scenarios() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(scenarios_dir())) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
      names.push_back(entry.path().stem().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

ScenarioSpec load(const std::string& name) {
  LoadOptions options;
  options.rules = agents::rule_catalog();
  return load_scenario(scenarios_dir() / (name + ".yaml"), options);
}

// The synthetic 1000-state world runs 2 ticks, every other scenario 4.
int ticks_for(const std::string& name) { return name == "scale_1000" ? 2 : 4; }

void expect_invariants(const WorldState& state, const TickScratch& scratch, int tick) {
  SCOPED_TRACE(::testing::Message() << "after tick " << tick);
  ASSERT_TRUE(state.x.allFinite() && state.x0.allFinite() && state.s.allFinite());
  ASSERT_TRUE(state.A.allFinite() && state.a.allFinite() && state.e.allFinite());
  ASSERT_TRUE(state.S.allFinite() && state.c.allFinite());
  ASSERT_TRUE(scratch.o.allFinite() && scratch.w.allFinite() && scratch.h.allFinite());
  for (int i = 0; i < state.agents(); ++i) {
    ASSERT_NEAR(state.s.row(i).sum(), 1.0, 1e-9) << "salience row " << i;
    ASSERT_NEAR(state.a.row(i).sum(), 1.0, 1e-9) << "attention row " << i;
    ASSERT_EQ(state.A(i, i), 0.0);
    ASSERT_EQ(state.a(i, i), 0.0);
  }
  EXPECT_GE(state.x.minCoeff(), 0.0);
  EXPECT_LE(state.x.maxCoeff(), 1.0);
  EXPECT_GE(state.x0.minCoeff(), 0.0);
  EXPECT_LE(state.x0.maxCoeff(), 1.0);
  EXPECT_GE(state.s.minCoeff(), 0.0);
  EXPECT_GE(state.a.minCoeff(), 0.0);
  EXPECT_GE(state.A.minCoeff(), -1.0);
  EXPECT_LE(state.A.maxCoeff(), 1.0);
  EXPECT_GE(state.e.minCoeff(), 0.0);
  EXPECT_LT((state.e - state.e.transpose()).cwiseAbs().maxCoeff(), 1e-9);
  EXPECT_GE(state.S.minCoeff(), 0.0);
  EXPECT_GT(state.c.minCoeff(), 0.0);
  EXPECT_LE(scratch.o.cwiseAbs().maxCoeff(), 1.0 + 1e-12);
}

class Shipped : public ::testing::TestWithParam<std::tuple<std::string, Mode>> {};

TEST_P(Shipped, RunsWithEveryInvariantKept) {
  const auto& [name, mode] = GetParam();
  const ScenarioSpec spec = load(name);
  const RuleSet rules = agents::build_rules(spec.rules);
  RunOptions options = RunOptions::from(spec);
  options.mode = mode;
  options.ticks = ticks_for(name);

  // The state after every tick.
  Simulation simulation(spec, rules, options);
  expect_invariants(simulation.state(), simulation.scratch(), 0);
  while (simulation.ticks_done() < options.ticks) {
    simulation.step();
    expect_invariants(simulation.state(), simulation.scratch(), simulation.ticks_done());
    if (HasFatalFailure()) return;
  }

  // The recorded series: one row per tick, every value finite, bounded metrics in range.
  const RunResult result = run_scenario(spec, rules, options);
  ASSERT_EQ(result.series.rows.size(), static_cast<std::size_t>(options.ticks + 1));
  for (const auto& row : result.series.rows) {
    ASSERT_EQ(row.size(), result.series.columns.size());
    for (std::size_t c = 0; c < row.size(); ++c) {
      const std::string& column = result.series.columns[c];
      ASSERT_TRUE(std::isfinite(row[c])) << column << " at tick " << row[0];
      if (column == "cooperation" || column == "balance" || column.rfind("coop:", 0) == 0 ||
          column.rfind("affinity:", 0) == 0) {
        EXPECT_LE(std::abs(row[c]), 1.0 + 1e-12) << column;
      }
      if (column.rfind("alignment:", 0) == 0 || column.rfind("dependence:", 0) == 0 ||
          column.rfind("attention:", 0) == 0 || column.rfind("invest_share:", 0) == 0 ||
          column.rfind("invest_hhi:", 0) == 0 || column.rfind("outcome:", 0) == 0) {
        EXPECT_GE(row[c], -1e-12) << column;
        EXPECT_LE(row[c], 1.0 + 1e-12) << column;
      }
    }
  }
  // The same run twice is bit-identical (expected mode draws nothing; stochastic mode is keyed).
  // Skipped for the 1000-state world, whose ticks take seconds.
  if (name != "scale_1000") {
    EXPECT_EQ(run_scenario(spec, rules, options).series.rows, result.series.rows);
  }
}

std::string param_name(const ::testing::TestParamInfo<Shipped::ParamType>& info) {
  return std::get<0>(info.param) + (std::get<1>(info.param) == Mode::kExpected ? "_expected" : "_stochastic");
}

INSTANTIATE_TEST_SUITE_P(Scenarios, Shipped,
                         ::testing::Combine(::testing::ValuesIn(shipped_scenarios()),
                                            ::testing::Values(Mode::kExpected, Mode::kStochastic)),
                         param_name);

TEST(ShippedSet, HoldsTheScenariosTheIssueAsksFor) {
  const auto names = shipped_scenarios();
  const std::set<std::string> have(names.begin(), names.end());
  for (const char* name : {"baseline_2013", "pivot_to_china", "pivot_to_asia", "us_containment",
                           "us_inclusive", "korea_infrastructure_deal", "kurils_compromise",
                           "eas_centerpiece", "freedom_of_navigation", "hindcast_2013_2019",
                           "scale_1000"}) {
    EXPECT_TRUE(have.count(name)) << name;
  }
}

TEST(Baseline, HasTheTwentyStatesFiveIssuesAndInstitutions) {
  const ScenarioSpec spec = load("baseline_2013");
  EXPECT_EQ(spec.agent_count(), 20);
  for (const char* id : {"USA", "RUS", "CHN", "JPN", "KOR", "PRK", "TWN", "VNM", "PHL", "IDN", "MYS",
                         "SGP", "THA", "BRN", "MMR", "KHM", "LAO", "IND", "AUS", "NZL"}) {
    EXPECT_TRUE(spec.find_agent(id).has_value()) << id;
  }
  for (const char* id : {"korea", "scs", "kurils", "rfe", "architecture"}) {
    const auto k = spec.find_issue(id);
    ASSERT_TRUE(k.has_value()) << id;
    EXPECT_FALSE(spec.issues[static_cast<std::size_t>(*k)].low.empty());
    EXPECT_FALSE(spec.issues[static_cast<std::size_t>(*k)].high.empty());
  }
  std::set<std::string> institutions;
  for (const auto& g : spec.institutions) institutions.insert(g.id);
  for (const char* id : {"EAS", "APEC", "ASEAN", "ARF", "SCO", "TPP", "SixParty"}) {
    EXPECT_TRUE(institutions.count(id)) << id;
  }
  ASSERT_EQ(spec.regions.size(), 1u);
  EXPECT_EQ(spec.regions[0].host, *spec.find_agent("RUS"));
  EXPECT_EQ(spec.run.start, std::optional<std::string>("2013Q1"));
}

TEST(Hindcast, RunsTwentyEightQuartersAndTracksEveryDyadOfTheThreePowers) {
  const ScenarioSpec spec = load("hindcast_2013_2019");
  EXPECT_EQ(spec.run.ticks, 28);
  EXPECT_EQ(spec.run.start, std::optional<std::string>("2013Q1"));
  const std::set<std::pair<AgentIndex, AgentIndex>> tracked(spec.track.dyads.begin(), spec.track.dyads.end());
  EXPECT_EQ(tracked.size(), spec.track.dyads.size()) << "a dyad is tracked twice";
  for (const char* power : {"USA", "RUS", "CHN"}) {
    const AgentIndex i = *spec.find_agent(power);
    for (AgentIndex j = 0; j < spec.agent_count(); ++j) {
      if (j != i) {
        EXPECT_TRUE(tracked.count({i, j})) << power << " with " << spec.agents[static_cast<std::size_t>(j)].id;
      }
    }
  }
  // Every event is scheduled (nothing random in the hindcast): the inherited hazard is off.
  for (const auto& event : spec.events) {
    EXPECT_TRUE(event.at.has_value() || event.hazard == 0.0) << event.id;
  }
}

// pivot_to_china and pivot_to_asia repeat the US halves of us_containment and us_inclusive; the
// copies must stay in step.
bool same_action(const PolicyAction& a, const PolicyAction& b) {
  if (a.index() != b.index()) return false;
  if (const auto* p = std::get_if<PivotPolicy>(&a)) {
    const auto& q = std::get<PivotPolicy>(b);
    return p->agent == q.agent && p->shares == q.shares;
  }
  if (const auto* p = std::get_if<AnchorPolicy>(&a)) {
    const auto& q = std::get<AnchorPolicy>(b);
    return p->agent == q.agent && p->anchors == q.anchors;
  }
  if (const auto* p = std::get_if<SaliencePolicy>(&a)) {
    const auto& q = std::get<SaliencePolicy>(b);
    return p->agent == q.agent && p->saliences == q.saliences;
  }
  return false;
}

void expect_contains_policies_of(const std::string& pivot, const std::string& us_half) {
  const ScenarioSpec whole = load(pivot);
  const ScenarioSpec part = load(us_half);
  for (const auto& policy : part.policies) {
    const bool found = std::any_of(whole.policies.begin(), whole.policies.end(), [&](const PolicySpec& p) {
      return p.at == policy.at && same_action(p.action, policy.action);
    });
    EXPECT_TRUE(found) << pivot << " lacks the policy of " << us_half << " at line " << policy.where.line;
  }
  EXPECT_EQ(whole.affinity0, part.affinity0) << pivot << " and " << us_half << " differ in A0";
}

TEST(PivotOverlays, RepeatTheUsHalvesExactly) {
  expect_contains_policies_of("pivot_to_china", "us_containment");
  expect_contains_policies_of("pivot_to_asia", "us_inclusive");
}

}  // namespace
}  // namespace geosim
