// Experiment files: what a good one loads to, and the exact located diagnostics of every file
// in tests/data/experiments/bad/ (GEOSIM_UPDATE_GOLDEN=1 rewrites the .err files; review them).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "geosim/engine.h"
#include "geosim/experiment.h"
#include "registry.h"

namespace geosim {
namespace {

namespace fs = std::filesystem;

const fs::path kBad = "tests/data/experiments/bad";

LoadOptions options() {
  LoadOptions o;
  o.rules = agents::rule_catalog();
  return o;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string load_error(const fs::path& file) {
  try {
    load_experiment(file.generic_string(), options());
    return "(loaded without error)";
  } catch (const InputError& e) {
    return e.formatted();
  }
}

class ExperimentLoader : public ::testing::Test {
 protected:
  void SetUp() override { fs::current_path(GEOSIM_SOURCE_DIR); }
};

TEST_F(ExperimentLoader, LoadsTheBaselineVariantsDesignAndOutcomes) {
  const ExperimentSpec spec = load_experiment("tests/data/experiments/small.yaml", options());
  EXPECT_EQ(spec.name, "small");
  ASSERT_EQ(spec.variants.size(), 4u);
  const std::vector<std::string> names{"baseline", "pivot", "inline_pivot", "copy"};
  for (std::size_t v = 0; v < names.size(); ++v) EXPECT_EQ(spec.variants[v].name, names[v]);
  EXPECT_EQ(spec.design.kind, DesignKind::kLhs);
  EXPECT_EQ(spec.design.points, 24u);
  EXPECT_EQ(spec.design.replicates, 2u);
  EXPECT_EQ(spec.design.seed, 7u);
  EXPECT_EQ(spec.ticks, 20);
  EXPECT_EQ(spec.record_every, 2);
  ASSERT_EQ(spec.outcomes.size(), 4u);
  EXPECT_EQ(spec.outcomes[2].label(), "late:dependence:P:Q");
  EXPECT_FALSE(spec.outcomes[2].higher_is_better);
  EXPECT_EQ(spec.outcomes[3].label(), "cross:cooperation>=0.6");
  EXPECT_EQ(spec.hash.size(), 16u);
  EXPECT_EQ(spec.variants[0].spec.inputs_hash, spec.variants[3].spec.inputs_hash) << "the copy is the same file";
}

TEST_F(ExperimentLoader, AnInlineOverlayRunsExactlyAsTheSameOverlayInAFile) {
  const ExperimentSpec spec = load_experiment("tests/data/experiments/small.yaml", options());
  const ScenarioSpec& inline_spec = spec.variants[2].spec;
  EXPECT_EQ(inline_spec.sources.front().path, "tests/data/experiments/small.yaml");
  RunOptions run;
  run.ticks = 12;
  run.mode = Mode::kStochastic;
  const auto a = run_scenario(inline_spec, agents::build_rules(inline_spec.rules), run);
  const auto b = run_scenario(spec.variants[1].spec, agents::build_rules(spec.variants[1].spec.rules), run);
  EXPECT_EQ(a.series.rows, b.series.rows);
}

TEST_F(ExperimentLoader, ReportsExactlyTheExpectedDiagnosticsForEveryBadFile) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kBad)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 10u);
  const char* update = std::getenv("GEOSIM_UPDATE_GOLDEN");
  for (const auto& yaml : files) {
    SCOPED_TRACE(yaml.string());
    const std::string actual = load_error(yaml);
    const fs::path err = fs::path(yaml).replace_extension(".err");
    if (update && std::string(update) == "1") {
      std::ofstream(err, std::ios::binary) << actual << '\n';
      continue;
    }
    std::string expected = read_file(err);
    if (!expected.empty() && expected.back() == '\n') expected.pop_back();
    EXPECT_EQ(actual, expected);
  }
}

TEST_F(ExperimentLoader, AMissingExperimentFileIsAnIoError) {
  EXPECT_THROW(load_experiment("tests/data/experiments/no_such_file.yaml", options()), IoError);
}

}  // namespace
}  // namespace geosim
