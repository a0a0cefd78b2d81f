// Tiny scenarios with committed trajectories, compared byte for byte.
// Regenerate with GEOSIM_UPDATE_GOLDEN=1 and review the diff like code.
#include <gtest/gtest.h>

#include "geosim/io.h"
#include "registry.h"
#include "support/files.h"

namespace geosim {
namespace {

std::string run_to_csv(const std::string& scenario) {
  LoadOptions options;
  options.rules = agents::rule_catalog();
  const ScenarioSpec spec = load_scenario(test::source_dir() / "scenarios/tests" / (scenario + ".yaml"), options);
  return timeseries_csv(run_scenario(spec, agents::build_rules(spec.rules), RunOptions::from(spec)).series);
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, TrajectoryMatchesTheCommittedFileExactly) {
  const std::string csv = run_to_csv(GetParam());
  const auto golden = test::source_dir() / "tests/golden" / (GetParam() + ".csv");
  if (test::updating_golden()) test::write_text(golden, csv);
  ASSERT_TRUE(std::filesystem::exists(golden)) << golden << " is missing; run with GEOSIM_UPDATE_GOLDEN=1";
  EXPECT_EQ(csv, test::read_text(golden));
}

INSTANTIATE_TEST_SUITE_P(Scenarios, Golden, ::testing::Values("two_states", "three_states", "five_states"));

}  // namespace
}  // namespace geosim
