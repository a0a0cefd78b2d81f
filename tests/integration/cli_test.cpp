// The CLI as a user runs it: exit codes, outputs, messages.
#include <gtest/gtest.h>
#include <unistd.h>

#include "support/cli.h"

namespace geosim {
namespace {

using test::run_cli;

class CliOutput : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("geosim_cli_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string out(const std::string& name) const { return (dir_ / name).string(); }
  std::filesystem::path dir_;
};

TEST(Cli, HelpExitsZeroForEveryCommand) {
  for (const char* args : {"--help", "run --help", "validate --help"}) {
    const auto result = run_cli(args);
    EXPECT_EQ(result.code, 0) << args;
    EXPECT_NE(result.out.find("Usage"), std::string::npos) << args;
  }
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(run_cli("").code, 2);
  EXPECT_EQ(run_cli("frobnicate").code, 2);
  EXPECT_EQ(run_cli("run").code, 2);
  EXPECT_EQ(run_cli("run scenarios/tests/two_states.yaml --mode sideways").code, 2);
  EXPECT_EQ(run_cli("run scenarios/tests/two_states.yaml --ticks 0").code, 2);
  EXPECT_EQ(run_cli("run scenarios/tests/two_states.yaml --seed -3").code, 2);
}

TEST(Cli, ValidateAcceptsGoodScenarios) {
  const auto result = run_cli("validate scenarios/tests/two_states.yaml scenarios/tests/five_states.yaml");
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_NE(result.out.find("scenarios/tests/two_states.yaml: ok: 2 agents, 2 issues, 8 ticks"), std::string::npos);
}

TEST(Cli, MissingFileIsAnIoFailure) {
  const auto result = run_cli("validate scenarios/tests/no_such_file.yaml");
  EXPECT_EQ(result.code, 1);
  EXPECT_NE(result.err.find("no_such_file.yaml"), std::string::npos);
}

TEST_F(CliOutput, RunWritesTimeseriesAndSummary) {
  const auto result = run_cli("run scenarios/tests/two_states.yaml --out " + out("two"));
  ASSERT_EQ(result.code, 0) << result.err;
  EXPECT_NE(result.out.find("cooperation"), std::string::npos);
  EXPECT_NE(result.out.find("last-quarter mean"), std::string::npos);
  const std::string csv = test::read_text(out("two/timeseries.csv"));
  EXPECT_EQ(csv.substr(0, csv.find(',')), "tick");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 10);  // header + ticks 0..8
  const std::string json = test::read_text(out("two/summary.json"));
  for (const char* key : {"\"inputs_hash\"", "\"seed\": 1", "\"git_commit\"", "\"version\"", "\"late_mean\""}) {
    EXPECT_NE(json.find(key), std::string::npos) << key;
  }
}

TEST_F(CliOutput, RunFlagsOverrideTheScenario) {
  ASSERT_EQ(run_cli("run scenarios/tests/two_states.yaml --quiet --ticks 3 --record-every 2 --out " + out("a")).code, 0);
  const std::string csv = test::read_text(out("a/timeseries.csv"));
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 4);  // header + ticks 0, 2, 3
  const auto json = run_cli("run scenarios/tests/two_states.yaml --json --mode stochastic --seed 9 --out " + out("b"));
  EXPECT_NE(json.out.find("\"mode\": \"stochastic\""), std::string::npos);
  EXPECT_NE(json.out.find("\"seed\": 9"), std::string::npos);
}

TEST_F(CliOutput, RunTwiceGivesByteIdenticalOutputs) {
  ASSERT_EQ(run_cli("run scenarios/tests/five_states.yaml --quiet --out " + out("1")).code, 0);
  ASSERT_EQ(run_cli("run scenarios/tests/five_states.yaml --quiet --out " + out("2")).code, 0);
  EXPECT_EQ(test::read_text(out("1/timeseries.csv")), test::read_text(out("2/timeseries.csv")));
  EXPECT_EQ(test::read_text(out("1/summary.json")), test::read_text(out("2/summary.json")));
}

TEST(Cli, RunToStdoutWritesOnlyTheCsvThere) {
  const auto result = run_cli("run scenarios/tests/two_states.yaml --out -");
  ASSERT_EQ(result.code, 0);
  EXPECT_EQ(result.out.rfind("tick,cooperation,balance,blocs", 0), 0u);
  EXPECT_NE(result.err.find("last-quarter mean"), std::string::npos);
}

TEST(Cli, UnwritableOutputIsAnIoFailure) {
  const auto result = run_cli("run scenarios/tests/two_states.yaml --out /proc/geosim_cannot_write_here");
  EXPECT_EQ(result.code, 1);
  EXPECT_NE(result.err.find("error: cannot"), std::string::npos);
}

}  // namespace
}  // namespace geosim
