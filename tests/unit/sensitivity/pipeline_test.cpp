// The whole sensitivity pipeline (design -> sweep runner -> runs.csv -> indices) on functions
// with known indices, through the plan's test-only surrogate in place of the simulation: the
// Ishigami and G functions at N = 2^14 inside their bootstrap intervals, Morris on a linear
// model giving its slopes, the published Saltelli matrices, determinism across threads.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <numbers>
#include <sstream>
#include <unistd.h>

#include "geosim/sensitivity.h"
#include "geosim/sweep.h"
#include "registry.h"
#include "sensitivity/morris.h"
#include "sensitivity/saltelli.h"
#include "sweep/distributions.h"
#include "unit/sensitivity/known_functions.h"

namespace geosim {
namespace {

namespace fs = std::filesystem;
using Surrogate = std::function<std::vector<double>(const std::vector<double>&)>;

class SensitivityPipeline : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::current_path(GEOSIM_SOURCE_DIR);
    dir_ = fs::temp_directory_path() / ("geosim_sensitivity_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static SweepPlan plan(const std::string& file, DesignKind kind, std::uint64_t points, Surrogate surrogate) {
    LoadOptions options;
    options.rules = agents::rule_catalog();
    ScenarioSpec spec = load_scenario(file, options);
    RuleSet rules = agents::build_rules(spec.rules);
    std::vector<Variant> variants;
    variants.push_back({"", std::move(spec), std::move(rules)});
    DesignSpec design;
    design.kind = kind;
    design.points = points;
    design.seed = 2024;
    design.levels = 4;
    SweepPlan plan = SweepPlan::make(std::move(variants), design, 1, 1, Mode::kExpected);
    std::string why;
    plan.outcomes = {*parse_outcome("final:cooperation", why)};
    plan.surrogate = std::move(surrogate);
    return plan;
  }

  SensitivityResult run(const SweepPlan& plan, const std::string& name, int threads = 2) const {
    SweepOptions options;
    options.out = dir_ / name;
    options.threads = threads;
    const SweepSummary summary = run_sweep(plan, options);
    EXPECT_EQ(summary.failed, 0u);
    return sensitivity_indices(plan, dir_ / name);
  }

  fs::path dir_;
};

template <typename Function>
Surrogate scalar(Function f) {
  return [f](const std::vector<double>& x) { return std::vector<double>{f(x)}; };
}

void expect_inside(double low, double high, double analytic, const std::string& what) {
  EXPECT_LE(low, analytic) << what;
  EXPECT_GE(high, analytic) << what;
}

TEST_F(SensitivityPipeline, IshigamiIndicesLieInsideTheirBootstrapIntervals) {
  const sensitivity::Ishigami f;
  const SweepPlan p = plan("tests/data/sensitivity/three_inputs.yaml", DesignKind::kSaltelli, 1 << 14, scalar(f));
  const SensitivityResult result = run(p, "ishigami");
  ASSERT_EQ(result.rows.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const SensitivityRow& row = result.rows[i];
    expect_inside(row.s1_low, row.s1_high, f.first()[i], "S1 of " + row.input);
    expect_inside(row.st_low, row.st_high, f.total()[i], "ST of " + row.input);
    EXPECT_FALSE(row.unstable) << row.input;
    EXPECT_EQ(row.used, 1u << 14);
  }
  // The published values (a = 7, b = 0.1) to the precision they are quoted with.
  EXPECT_NEAR(f.first()[0], 0.3139, 5e-5);
  EXPECT_NEAR(f.first()[1], 0.4424, 5e-5);
  EXPECT_NEAR(f.total()[0], 0.5576, 5e-5);
  EXPECT_NEAR(f.total()[2], 0.2437, 5e-5);
}

TEST_F(SensitivityPipeline, SobolGFunctionIndicesLieInsideTheirBootstrapIntervals) {
  const sensitivity::SobolG f{{0, 1, 4.5, 9, 99, 99}};
  const SweepPlan p = plan("tests/data/sensitivity/six_inputs.yaml", DesignKind::kSaltelli, 1 << 14, scalar(f));
  const SensitivityResult result = run(p, "g");
  ASSERT_EQ(result.rows.size(), 6u);
  for (std::size_t i = 0; i < 6; ++i) {
    expect_inside(result.rows[i].s1_low, result.rows[i].s1_high, f.first()[i], "S1 of " + result.rows[i].input);
    expect_inside(result.rows[i].st_low, result.rows[i].st_high, f.total()[i], "ST of " + result.rows[i].input);
  }
}

TEST_F(SensitivityPipeline, MorrisOnALinearModelReturnsItsSlopesPerUnitOfEachInput) {
  const std::vector<double> slopes{3.0, -2.0, 0.5, 0.0};
  auto linear = [slopes](const std::vector<double>& x) {
    double y = 1;
    for (std::size_t i = 0; i < slopes.size(); ++i) y += slopes[i] * x[i];
    return y;
  };
  const SweepPlan p = plan("tests/data/sensitivity/mixed_inputs.yaml", DesignKind::kMorris, 40, scalar(linear));
  const SensitivityResult result = run(p, "morris");
  ASSERT_TRUE(result.morris);
  ASSERT_EQ(result.rows.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(result.rows[i].mu, slopes[i], 1e-9) << result.rows[i].input;
    EXPECT_NEAR(result.rows[i].mu_star, std::fabs(slopes[i]), 1e-9) << result.rows[i].input;
    EXPECT_NEAR(result.rows[i].sigma, 0, 1e-9) << result.rows[i].input;
    EXPECT_EQ(result.rows[i].used, 40u);
  }
}

// Through the sweep's Design: run j (k + 2) is A_j, the last run of the block is B_j, and
// AB^(i)_j is A_j with input i from B_j, each value the input's quantile of the unit point.
TEST_F(SensitivityPipeline, DesignValuesFollowTheSaltelliConstruction) {
  const SweepPlan p = plan("tests/data/sensitivity/mixed_inputs.yaml", DesignKind::kSaltelli, 8, scalar([](auto&) { return 0.0; }));
  const Design& design = *p.sampler;
  const sensitivity::SaltelliDesign& saltelli = *design.saltelli();
  const std::size_t k = p.inputs.size();
  ASSERT_EQ(design.points(), 8 * (k + 2));
  for (std::uint64_t j = 0; j < 8; ++j) {
    const auto a = design.values(j * (k + 2)), b = design.values(j * (k + 2) + k + 1);
    const auto unit = saltelli.point(j * (k + 2));
    for (std::size_t input = 0; input < k; ++input) EXPECT_EQ(a[input], p.inputs[input].distribution.quantile(unit[input]));
    for (std::size_t i = 0; i < k; ++i) {
      const auto ab = design.values(j * (k + 2) + 1 + i);
      for (std::size_t input = 0; input < k; ++input) EXPECT_EQ(ab[input], input == i ? b[input] : a[input]) << j << " " << i;
    }
    EXPECT_EQ(design.key_point(j * (k + 2) + 3), j * (k + 2)) << "a base sample shares its run keys";
  }
}

TEST_F(SensitivityPipeline, IndicesAreBitIdenticalAtOneAndTwoThreads) {
  const sensitivity::Ishigami f;
  const SweepPlan p = plan("tests/data/sensitivity/three_inputs.yaml", DesignKind::kSaltelli, 1 << 10, scalar(f));
  write_sensitivity(run(p, "one", 1), dir_ / "one");
  write_sensitivity(run(p, "two", 2), dir_ / "two");
  auto text = [](const fs::path& path) {
    std::ifstream in(path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  };
  EXPECT_FALSE(text(dir_ / "one/sensitivity.csv").empty());
  EXPECT_EQ(text(dir_ / "one/sensitivity.csv"), text(dir_ / "two/sensitivity.csv"));
}

}  // namespace
}  // namespace geosim
