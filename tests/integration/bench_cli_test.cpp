// `geosim bench` as a user runs it: the case list, the JSON document, checksums equal at every
// thread count, --check against pins of a first invocation and against a wrong pin, and every
// error a user can trigger. Small run counts keep each invocation well under a second; no
// checksum value is pinned here (they change with the model: bench/macro/checksums.txt).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "support/cli.h"
#include "support/temp_dir.h"

namespace geosim {
namespace {

using test::run_cli;

const std::vector<std::string> kCases{"baseline_expected",         "baseline_stochastic", "pivot_to_asia_expected",
                                      "baseline_sweep_stochastic", "scale_1000_expected", "baseline_yearly_sweep"};

// A small run of the first case and the 40-tick sweep, at 1 and 2 threads.
const std::string kSmall = "bench baseline_expected baseline_sweep_stochastic --runs 8 --threads 1,2 --repetitions 1";

class BenchCli : public test::TempDirTest {
 protected:
  BenchCli() : TempDirTest("benchcli") {}
  void SetUp() override {
    TempDirTest::SetUp();
    std::filesystem::create_directories(dir_);
  }
  // Writes `text` to the file `name` in the folder; returns its path.
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(out(name)) << text;
    return out(name);
  }
};

nlohmann::json parse_json(const std::string& text) {
  nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  EXPECT_FALSE(json.is_discarded()) << text;
  return json;
}

TEST_F(BenchCli, ListsTheStandardCases) {
  const auto all = run_cli("bench --list");
  ASSERT_EQ(all.code, 0) << all.err;
  for (const std::string& name : kCases) EXPECT_NE(all.out.find(name), std::string::npos) << name;
  const auto sweeps = run_cli("bench sweep --list --threads 1,4");
  ASSERT_EQ(sweeps.code, 0) << sweeps.err;
  EXPECT_NE(sweeps.out.find("baseline_yearly_sweep"), std::string::npos);
  EXPECT_NE(sweeps.out.find("1,4"), std::string::npos);
  EXPECT_EQ(sweeps.out.find("baseline_expected"), std::string::npos);
}

TEST_F(BenchCli, JsonHasEveryFieldAndTheSameChecksumAtEveryThreadCount) {
  const auto result = run_cli(kSmall + " --json");
  ASSERT_EQ(result.code, 0) << result.err;
  const nlohmann::json json = parse_json(result.out);
  EXPECT_EQ(json["repetitions"], 1);
  EXPECT_GE(json["machine"]["hardware_threads"].get<int>(), 0);
  for (const char* key : {"version", "git_commit", "compiler"}) EXPECT_TRUE(json["machine"][key].is_string()) << key;
  EXPECT_EQ(json["checksum_failures"], 0);
  const auto& results = json["results"];
  ASSERT_EQ(results.size(), 3u);
  for (const auto& entry : results) {
    for (const char* key :
         {"name", "threads", "runs", "seconds", "runs_per_second", "updates_per_second", "checksum"}) {
      EXPECT_TRUE(entry.contains(key)) << key;
    }
    EXPECT_EQ(entry["runs"], 8);
    EXPECT_GT(entry["runs_per_second"].get<double>(), 0);
    EXPECT_GT(entry["updates_per_second"].get<double>(), entry["runs_per_second"].get<double>());
    EXPECT_EQ(entry["checksum"].get<std::string>().size(), 16u);
    EXPECT_EQ(entry["check"], "not_checked");
  }
  EXPECT_EQ(results[0]["name"], "baseline_expected");
  EXPECT_EQ(results[0]["threads"], 1);
  EXPECT_EQ(results[1]["name"], "baseline_sweep_stochastic");
  EXPECT_EQ(results[1]["threads"], 1);
  EXPECT_EQ(results[2]["threads"], 2);
  EXPECT_EQ(results[1]["checksum"], results[2]["checksum"]);
}

TEST_F(BenchCli, TheYearlySweepRunsAndItsChecksumDoesNotDependOnTheThreads) {
  const auto result = run_cli("bench baseline_yearly_sweep --runs 4 --threads 2,1 --repetitions 1 --json");
  ASSERT_EQ(result.code, 0) << result.err;
  const nlohmann::json json = parse_json(result.out);
  ASSERT_EQ(json["results"].size(), 2u);
  EXPECT_EQ(json["results"][0]["threads"], 2);
  EXPECT_EQ(json["results"][0]["checksum"], json["results"][1]["checksum"]);
}

TEST_F(BenchCli, PrintsATableWithOneRowPerCaseAndThreadCount) {
  const auto result = run_cli(kSmall);
  ASSERT_EQ(result.code, 0) << result.err;
  for (const char* column : {"case", "threads", "median s", "runs/s", "updates/s", "checksum", "check"}) {
    EXPECT_NE(result.out.find(column), std::string::npos) << column;
  }
  EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 4);
  EXPECT_TRUE(result.err.empty()) << result.err;
}

TEST_F(BenchCli, ChecksAgainstPinsFromAFirstInvocation) {
  const nlohmann::json first = parse_json(run_cli(kSmall + " --json").out);
  std::set<std::string> lines;  // one pin per case: the sweep's two thread counts share it
  for (const auto& entry : first["results"]) {
    lines.insert(entry["name"].get<std::string>() + " " + entry["checksum"].get<std::string>() + " 8\n");
  }
  std::string pins;
  for (const std::string& line : lines) pins += line;
  const auto checked = run_cli(kSmall + " --json --check " + write("pins.txt", pins));
  ASSERT_EQ(checked.code, 0) << checked.err;
  for (const auto& entry : parse_json(checked.out)["results"]) EXPECT_EQ(entry["check"], "ok");
}

TEST_F(BenchCli, WritesPinsThatCheckPasses) {
  const auto pinned = run_cli(kSmall + " --pin " + out("pins.txt"));
  ASSERT_EQ(pinned.code, 0) << pinned.err;
  EXPECT_NE(pinned.err.find("wrote " + out("pins.txt")), std::string::npos);
  const std::string pins = test::read_text(dir_ / "pins.txt");
  EXPECT_EQ(std::count(pins.begin(), pins.end(), '\n'), 2) << pins;  // one line per case
  const auto checked = run_cli(kSmall + " --check " + out("pins.txt"));
  EXPECT_EQ(checked.code, 0) << checked.err;
  EXPECT_NE(checked.out.find(" ok\n"), std::string::npos) << checked.out;
}

TEST_F(BenchCli, AWrongPinExitsOneNamingTheCaseAndBothChecksums) {
  const nlohmann::json first = parse_json(run_cli("bench baseline_expected --runs 3 --repetitions 1 --json").out);
  const std::string measured = first["results"][0]["checksum"];
  const std::string wrong = measured == "0123456789abcdef" ? "fedcba9876543210" : "0123456789abcdef";
  const std::string file = write("wrong.txt", "# pinned by hand\nbaseline_expected " + wrong + " 3\n");
  const auto result = run_cli("bench baseline_expected --runs 3 --repetitions 1 --check " + file);
  EXPECT_EQ(result.code, 1);
  const std::string message =
      ":2:1: error: baseline_expected: measured checksum " + measured + " (3 runs, 1 thread), pinned " + wrong;
  EXPECT_NE(result.err.find(file + message), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("1 checksum failure"), std::string::npos);
  EXPECT_NE(result.out.find("mismatch"), std::string::npos);
}

TEST_F(BenchCli, APinAtAnotherRunCountIsNotCheckedAndSaysSo) {
  const std::string file = write("other.txt", "baseline_expected 0123456789abcdef 3\n");
  const auto result = run_cli("bench baseline_expected --runs 2 --repetitions 1 --check " + file);
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_NE(result.err.find("note: baseline_expected: no pin at 2 runs; not checked"), std::string::npos) << result.err;
  EXPECT_NE(result.out.find("unpinned"), std::string::npos);
}

TEST_F(BenchCli, AnUnknownCaseExitsTwoListingTheCases) {
  const auto unknown = run_cli("bench nosuch --runs 1");
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("error: no benchmark case is named or contains 'nosuch' (the cases: baseline_expected, "),
            std::string::npos)
      << unknown.err;
  const auto typo = run_cli("bench baselin_expected --runs 1");
  EXPECT_EQ(typo.code, 2);
  EXPECT_NE(typo.err.find("did you mean 'baseline_expected'?"), std::string::npos) << typo.err;
  EXPECT_TRUE(typo.out.empty());
}

TEST_F(BenchCli, BadFlagValuesExitTwo) {
  for (const char* flags : {"--threads 0", "--threads x", "--threads 1,0", "--threads ''", "--runs 0", "--runs x",
                            "--repetitions 0", "--root " GEOSIM_SOURCE_DIR "/no_such_folder"}) {
    const auto result = run_cli(std::string("bench baseline_expected --runs 1 --repetitions 1 ") + flags);
    EXPECT_EQ(result.code, 2) << flags;
    EXPECT_FALSE(result.err.empty()) << flags;
    EXPECT_TRUE(result.out.empty()) << flags;
  }
}

TEST_F(BenchCli, AMissingOrUnreadablePinFileFailsBeforeAnyRun) {
  const auto missing = run_cli("bench baseline_expected --runs 1 --check " + out("nothing.txt"));
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find(out("nothing.txt") + ": error: cannot read the pin file: no such file"), std::string::npos)
      << missing.err;
  EXPECT_TRUE(missing.out.empty());
  const auto folder = run_cli("bench baseline_expected --runs 1 --check " + dir_.string());
  EXPECT_EQ(folder.code, 1);
  EXPECT_NE(folder.err.find("cannot read the pin file"), std::string::npos) << folder.err;
}

TEST_F(BenchCli, AMalformedPinFileIsReportedLineByLine) {
  const std::string file = write("bad.txt",
                                 "baseline_expected 0123456789abcdef\n"
                                 "baselin_stochastic 0123456789abcdef\n"
                                 "baseline_stochastic 0123456789ABCDEF\n"
                                 "pivot_to_asia_expected\n"
                                 "baseline_sweep_stochastic 0123456789abcdef 0\n"
                                 "baseline_expected 0123456789abcdef 200\n");
  const auto result = run_cli("bench baseline_expected --runs 1 --check " + file);
  EXPECT_EQ(result.code, 2);
  EXPECT_TRUE(result.out.empty());
  for (const char* message :
       {":2:1: error: unknown benchmark case 'baselin_stochastic'; did you mean 'baseline_stochastic'?",
        ":3:21: error: expected a checksum of 16 lowercase hex digits, got '0123456789ABCDEF'",
        ":4:1: error: expected 'NAME CHECKSUM' or 'NAME CHECKSUM RUNS', got 1 field",
        ":5:44: error: expected a run count >= 1, got '0'",
        ":6:1: error: a second pin for 'baseline_expected' at 200 runs (the first is on line 1)"}) {
    EXPECT_NE(result.err.find(file + message), std::string::npos) << message << "\n" << result.err;
  }
}

TEST_F(BenchCli, AMissingScenarioUnderTheRootIsReportedNotCrashed) {
  const auto result = run_cli("bench baseline_expected --runs 1 --root " + dir_.string());
  EXPECT_EQ(result.code, 1);
  EXPECT_NE(result.err.find("cannot read scenario file '" + (dir_ / "scenarios/baseline_2013.yaml").string()),
            std::string::npos)
      << result.err;
  EXPECT_TRUE(result.out.empty());
}

TEST_F(BenchCli, APinFileThatCannotBeWrittenFails) {
  const auto result =
      run_cli("bench baseline_expected --runs 1 --repetitions 1 --pin " + out("no/such/folder/pins.txt"));
  EXPECT_EQ(result.code, 1);
  EXPECT_NE(result.err.find("pins.txt"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace geosim
