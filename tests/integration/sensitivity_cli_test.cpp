// `geosim sensitivity` as a user runs it: Sobol' and Morris tables, identical outputs at 1 and
// 2 threads, the indices of a difference with --compare, the report section, bad input.
#include <gtest/gtest.h>

#include "support/cli.h"
#include "support/temp_dir.h"

namespace geosim {
namespace {

using test::read_text;
using test::run_cli;

const std::string kScenario = "scenarios/tests/sweep_world.yaml";

class SensitivityCli : public test::TempDirTest {
 protected:
  SensitivityCli() : TempDirTest("sensitivitycli") {}
};

TEST_F(SensitivityCli, SobolIndicesAreByteIdenticalAtOneAndTwoThreads) {
  const std::string args = "sensitivity " + kScenario + " --samples 64 --metric late:cooperation --metric final:coop:P:Q";
  const auto one = run_cli(args + " --threads 1 --out " + out("one"));
  ASSERT_EQ(one.code, 0) << one.err;
  ASSERT_EQ(run_cli(args + " --threads 2 -q --out " + out("two")).code, 0);
  for (const char* file : {"sensitivity.csv", "runs.csv", "bands.csv"}) {
    EXPECT_FALSE(read_text(dir_ / "one" / file).empty()) << file;
    EXPECT_EQ(read_text(dir_ / "one" / file), read_text(dir_ / "two" / file)) << file;
  }
  EXPECT_NE(one.out.find("Sobol' indices from 64 base samples (320 runs)"), std::string::npos) << one.out;
  EXPECT_NE(one.out.find("params.coop_threshold"), std::string::npos);
  const std::string csv = read_text(dir_ / "one/sensitivity.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "outcome,input,S1,S1_low,S1_high,ST,ST_low,ST_high,S1_half,ST_half,unstable,n,dropped");
  EXPECT_NE(read_text(dir_ / "one/report.html").find("<h2>Sensitivity</h2>"), std::string::npos);
  EXPECT_NE(read_text(dir_ / "one/manifest.json").find("\"kind\": \"saltelli\""), std::string::npos);
}

TEST_F(SensitivityCli, MorrisScreensAndSecondOrderAddsPairs) {
  const auto morris = run_cli("sensitivity " + kScenario + " --method morris --samples 10 --out " + out("m"));
  ASSERT_EQ(morris.code, 0) << morris.err;
  EXPECT_NE(morris.out.find("Morris elementary effects over 10 trajectories (40 runs)"), std::string::npos) << morris.out;
  EXPECT_EQ(read_text(dir_ / "m/sensitivity.csv").rfind("outcome,input,mu,mu_star,sigma,mu_star_unit,effects\n", 0), 0u);
  const auto second = run_cli("sensitivity " + kScenario + " --samples 16 --second-order -q --out " + out("s"));
  ASSERT_EQ(second.code, 0) << second.err;
  EXPECT_NE(read_text(dir_ / "s/sensitivity_pairs.csv").find("params.coop_threshold,agents.P.interests.sea.position"),
            std::string::npos);
}

TEST_F(SensitivityCli, CompareGivesTheIndicesOfTheDifference) {
  const auto result = run_cli("sensitivity --compare " + kScenario + " scenarios/tests/sweep_world_b.yaml --samples 32 --json --out " + out("c"));
  ASSERT_EQ(result.code, 0) << result.err;
  EXPECT_NE(result.out.find("\"outcome\": \"late:cooperation\""), std::string::npos) << result.out;
  for (const char* file : {"sensitivity.csv", "a/runs.csv", "b/runs.csv", "contrasts.csv", "report.html"}) {
    EXPECT_TRUE(std::filesystem::exists(dir_ / "c" / file)) << file;
  }
}

TEST_F(SensitivityCli, BadInputExitsTwoWithAClearMessage) {
  const auto none = run_cli("sensitivity scenarios/tests/five_states.yaml --out " + out("bad"));
  EXPECT_EQ(none.code, 2);
  EXPECT_NE(none.err.find("declares no uncertain inputs"), std::string::npos) << none.err;
  const auto both = run_cli("sensitivity " + kScenario + " --compare " + kScenario + " " + kScenario + " --out " + out("bad"));
  EXPECT_EQ(both.code, 2);
  EXPECT_NE(both.err.find("either a scenario FILE or --compare A B"), std::string::npos) << both.err;
  const auto metric = run_cli("sensitivity " + kScenario + " --metric late:cooperaton --out " + out("bad"));
  EXPECT_EQ(metric.code, 2);
  EXPECT_NE(metric.err.find("did you mean 'cooperation'"), std::string::npos) << metric.err;
  const auto odd = run_cli("sensitivity " + kScenario + " --method morris --levels 3 --out " + out("bad"));
  EXPECT_EQ(odd.code, 2);
  EXPECT_NE(odd.err.find("even"), std::string::npos) << odd.err;
  EXPECT_EQ(run_cli("sensitivity " + kScenario + " --samples 0").code, 2);
  EXPECT_EQ(run_cli("sensitivity " + kScenario + " --method fast").code, 2);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "bad"));
}

}  // namespace
}  // namespace geosim
