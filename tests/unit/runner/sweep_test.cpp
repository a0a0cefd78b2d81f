// The sweep runner through the library API: paired comparisons and failed runs.
#include <gtest/gtest.h>
#include <fmt/format.h>
#include <unistd.h>

#include <map>
#include <sstream>

#include "geosim/sweep.h"
#include "registry.h"
#include "support/files.h"
#include "sweep/tables.h"

namespace geosim {
namespace {

class SweepRunner : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("geosim_sweep_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static Variant variant(const std::string& name, ScenarioSpec spec) {
    RuleSet rules = agents::build_rules(spec.rules);
    return {name, std::move(spec), std::move(rules)};
  }
  static ScenarioSpec five_states() {
    return load_scenario(test::source_dir() / "scenarios/tests/five_states.yaml");
  }
  SweepSummary run(std::vector<Variant> variants, std::uint64_t points) {
    DesignSpec design;
    design.points = points;
    design.replicates = 2;
    const SweepPlan plan = SweepPlan::make(std::move(variants), design, std::nullopt, std::nullopt, std::nullopt);
    SweepOptions options;
    options.out = dir_;
    options.threads = 2;
    return run_sweep(plan, options);
  }
  // compare.csv rows by metric name.
  std::map<std::string, std::vector<double>> compare_rows() const {
    std::map<std::string, std::vector<double>> rows;
    std::istringstream in(test::read_text(dir_ / "compare.csv"));
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string name, field;
      std::getline(fields, name, ',');
      while (std::getline(fields, field, ',')) rows[name].push_back(std::stod(field));
    }
    return rows;
  }
  std::filesystem::path dir_;
};

TEST_F(SweepRunner, ComparingAScenarioWithItselfGivesExactlyZeroDifferences) {
  std::vector<Variant> variants;
  variants.push_back(variant("a", five_states()));
  variants.push_back(variant("b", five_states()));
  const SweepSummary summary = run(std::move(variants), 50);
  EXPECT_EQ(summary.done, 100u);
  const auto rows = compare_rows();
  ASSERT_FALSE(rows.empty());
  for (const auto& [metric, v] : rows) {
    // n, mean_a, mean_b, mean_diff, ci_low, ci_high, d_z, p_b_greater
    EXPECT_EQ(v[0], 100.0) << metric;
    EXPECT_EQ(v[1], v[2]) << metric;
    EXPECT_EQ(v[3], 0.0) << metric;
    EXPECT_EQ(v[4], 0.0) << metric;
    EXPECT_EQ(v[5], 0.0) << metric;
    EXPECT_EQ(v[6], 0.0) << metric;
    EXPECT_EQ(v[7], 0.0) << metric;
  }
  EXPECT_EQ(test::read_text(dir_ / "a/runs.csv"), test::read_text(dir_ / "b/runs.csv"));
}

// The host's own stock enters the investment totals but nothing else: raising it by 10 is an
// effect of exactly +10 on invest_total and of zero on every metric that ignores it.
TEST_F(SweepRunner, RecoversAKnownInjectedEffectWithinItsInterval) {
  ScenarioSpec b = five_states();
  b.regions[0].stock[2] += 10;  // R hosts FAR
  std::vector<Variant> variants;
  variants.push_back(variant("a", five_states()));
  variants.push_back(variant("b", std::move(b)));
  run(std::move(variants), 50);
  const auto rows = compare_rows();
  for (const char* metric : {"final:invest_total:FAR", "late:invest_total:FAR"}) {
    const auto& v = rows.at(metric);
    EXPECT_NEAR(v[3], 10.0, 1e-9) << metric;
    EXPECT_LE(v[4], 10.0 + 1e-9) << metric;
    EXPECT_GE(v[5], 10.0 - 1e-9) << metric;
    EXPECT_EQ(v[7], 1.0) << metric;
  }
  for (const char* metric : {"final:cooperation", "late:affinity:P:Q", "final:outcome:sea"}) {
    EXPECT_EQ(rows.at(metric)[3], 0.0) << metric;
  }
}

// An event that zeroes an agent's only salience makes the run fail; the sweep records it and
// goes on, and failed runs stay out of the statistics.
TEST_F(SweepRunner, RecordsFailedRunsAndCarriesOn) {
  ScenarioSpec spec = five_states();
  EventSpec fatal;
  fatal.id = "collapse";
  fatal.hazard = 0.05;
  for (int issue = 0; issue < 3; ++issue) fatal.effects.push_back(InterestEffect{InterestEffect::Field::kSalience, 4, issue, -1.0});
  fatal.where = {"five_states.yaml", 40, 3};
  spec.events.push_back(fatal);
  std::vector<Variant> variants;
  variants.push_back(variant("", std::move(spec)));
  const SweepSummary summary = run(std::move(variants), 100);
  EXPECT_EQ(summary.done, 200u);
  EXPECT_GT(summary.failed, 0u);
  EXPECT_LT(summary.failed, 200u);
  const std::string runs = test::read_text(dir_ / "runs.csv");
  std::uint64_t failed = 0;
  for (auto at = runs.find(",failed,"); at != std::string::npos; at = runs.find(",failed,", at + 1)) ++failed;
  EXPECT_EQ(failed, summary.failed);
  EXPECT_NE(runs.find(",failed,five_states.yaml:40:3: error: at tick "), std::string::npos);
  const std::string bands = test::read_text(dir_ / "bands.csv");
  EXPECT_NE(bands.find(fmt::format("16,cooperation,{},", 200 - summary.failed)), std::string::npos);
}

}  // namespace
}  // namespace geosim
