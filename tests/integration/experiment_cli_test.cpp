// `geosim experiment` and `geosim batch` as a user runs them: an exact zero contrast for a
// copy of the baseline, byte-identical outputs at 1 and 2 threads, a real SIGKILL and
// --resume, reruns of single runs, located errors for bad files.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <map>
#include <sstream>

#include "support/cli.h"
#include "support/temp_dir.h"
#include "geosim/io.h"

namespace geosim {
namespace {

using test::read_text;
using test::run_cli;

const std::string kExperiment = "tests/data/experiments/small.yaml";
const std::string kA = "scenarios/tests/sweep_world.yaml";
const std::string kB = "scenarios/tests/sweep_world_b.yaml";
const std::vector<std::string> kVariants{"baseline", "pivot", "inline_pivot", "copy"};

class ExperimentCli : public test::TempDirTest {
 protected:
  ExperimentCli() : TempDirTest("experimentcli") {}

  // contrasts.csv as rows of named fields.
  std::vector<std::map<std::string, std::string>> contrasts(const std::string& name) const {
    std::ifstream in(dir_ / name / "contrasts.csv", std::ios::binary);
    std::vector<std::vector<std::string>> rows;
    for (std::vector<std::string> fields; read_csv_record(in, fields);) rows.push_back(fields);
    std::vector<std::map<std::string, std::string>> named;
    for (std::size_t i = 1; i < rows.size(); ++i) {
      std::map<std::string, std::string> row;
      for (std::size_t c = 0; c < rows[0].size(); ++c) row[rows[0][c]] = rows[i][c];
      named.push_back(row);
    }
    return named;
  }

  // Every file the experiment writes, as (relative path, text).
  std::vector<std::pair<std::string, std::string>> outputs(const std::string& name) const {
    std::vector<std::pair<std::string, std::string>> files{{"contrasts.csv", read_text(dir_ / name / "contrasts.csv")}};
    for (const auto& variant : kVariants) {
      for (const char* file : {"runs.csv", "bands.csv", "affinity.csv", "capability.csv", "compare.csv", "diff_bands.csv"}) {
        if (variant == "baseline" && std::string(file).find("compare") != std::string::npos) continue;
        if (variant == "baseline" && std::string(file) == "diff_bands.csv") continue;
        const auto path = dir_ / name / variant / file;
        files.emplace_back(variant + "/" + file, read_text(path));
      }
    }
    return files;
  }

  int interrupt_experiment(const std::string& name, int signal) const {
    return test::interrupt_cli({"experiment", kExperiment, "--runs", "600", "-q", "--checkpoint-seconds", "0", "--threads",
                                "2", "--no-report", "--out", out(name)},
                               dir_ / name / ".checkpoint", signal);
  }

};

// batch A A B: the copy of A is simulated on the same run keys, so every paired difference is
// exactly zero, and its runs.csv is A's, byte for byte.
TEST_F(ExperimentCli, ABatchOfACopyOfTheBaselineReportsExactlyZeroContrast) {
  const auto result = run_cli("batch " + kA + " " + kA + " " + kB +
                              " --runs 30 --replicates 2 --metric late:cooperation --metric final:coop:P:Q"
                              " --metric 'cross:balance>=0.9' --out " + out("b"));
  ASSERT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(read_text(dir_ / "b/baseline/runs.csv"), read_text(dir_ / "b/sweep_world/runs.csv"));
  int copies = 0, others = 0;
  for (auto& row : contrasts("b")) {
    if (row["variant"] == "sweep_world") {
      ++copies;
      EXPECT_EQ(row["n"], "60");
      for (const char* zero : {"diff", "ci_low", "ci_high", "ci_adj_low", "ci_adj_high", "d_z"}) EXPECT_EQ(row[zero], "0") << zero;
      EXPECT_EQ(row["p_value"], "1");
      EXPECT_EQ(row["p_holm"], "1");
      EXPECT_EQ(row["p_better"], "0.5") << "every pair ties";
      EXPECT_EQ(row["significant"], "no");
      EXPECT_EQ(row["mean"], row["baseline_mean"]);
    } else if (row["variant"] == "sweep_world_b") {
      ++others;
      if (row["outcome"] == "late:cooperation") {
        EXPECT_NE(row["diff"], "0") << "B's pivot changes cooperation";
      }
    }
  }
  EXPECT_EQ(copies, 3);
  EXPECT_EQ(others, 3);
  EXPECT_NE(result.out.find("sweep_world_b"), std::string::npos) << "the ranking table";
  EXPECT_NE(result.out.find("Holm"), std::string::npos);
}

TEST_F(ExperimentCli, OutputsAreByteIdenticalAtOneAndTwoThreads) {
  ASSERT_EQ(run_cli("experiment " + kExperiment + " --threads 1 -q --no-report --out " + out("t1")).code, 0);
  ASSERT_EQ(run_cli("experiment " + kExperiment + " --threads 2 -q --no-report --out " + out("t2")).code, 0);
  const auto one = outputs("t1"), two = outputs("t2");
  ASSERT_EQ(one.size(), two.size());
  for (std::size_t i = 0; i < one.size(); ++i) {
    EXPECT_FALSE(one[i].second.empty()) << one[i].first;
    EXPECT_EQ(one[i].second, two[i].second) << one[i].first;
  }
  // The inline overlay is the pivot file's overlay: the same runs, byte for byte.
  EXPECT_EQ(read_text(dir_ / "t1/inline_pivot/runs.csv"), read_text(dir_ / "t1/pivot/runs.csv"));
}

TEST_F(ExperimentCli, RecordsTheExperimentFileAndItsOutcomesInTheManifest) {
  ASSERT_EQ(run_cli("experiment " + kExperiment + " --runs 4 -q --out " + out("m")).code, 0);
  const std::string manifest = read_text(dir_ / "m/manifest.json");
  EXPECT_NE(manifest.find("\"experiment\": {"), std::string::npos);
  EXPECT_NE(manifest.find("\"path\": \"" + kExperiment + "\""), std::string::npos);
  EXPECT_NE(manifest.find("experiment: small"), std::string::npos) << "the file's text";
  EXPECT_NE(manifest.find("\"outcome\": \"cross:cooperation>=0.6\""), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "m/results.sqlite"));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "m/report.html"));
  const std::string header = read_text(dir_ / "m/pivot/runs.csv").substr(0, 4000);
  EXPECT_NE(header.find("outcome:late:dependence:P:Q"), std::string::npos);
}

// A real SIGKILL in the middle of an experiment, then --resume with another thread count.
TEST_F(ExperimentCli, ResumesAfterSigkillToTheUninterruptedResult) {
  ASSERT_EQ(run_cli("experiment " + kExperiment + " --runs 600 -q --checkpoint-seconds 0 --no-report --out " + out("whole")).code, 0);
  const int status = interrupt_experiment("killed", SIGKILL);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the experiment must still have been running when killed";
  ASSERT_FALSE(std::filesystem::exists(dir_ / "killed/contrasts.csv"));
  const auto resumed = run_cli("experiment " + kExperiment +
                               " --runs 600 -q --checkpoint-seconds 0 --no-report --threads 1 --resume --out " + out("killed"));
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  const auto whole = outputs("whole"), killed = outputs("killed");
  for (std::size_t i = 0; i < whole.size(); ++i) EXPECT_EQ(whole[i].second, killed[i].second) << whole[i].first;
}

TEST_F(ExperimentCli, RerunsAnySingleRunOfAnyVariant) {
  ASSERT_EQ(run_cli("experiment " + kExperiment + " --runs 5 -q --no-report --out " + out("r")).code, 0);
  std::istringstream in(read_text(dir_ / "r/inline_pivot/runs.csv"));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line + "\n");
  const auto rerun = run_cli("run --from " + out("r") + " --run-id 7 --variant inline_pivot");
  ASSERT_EQ(rerun.code, 0) << rerun.err;
  EXPECT_EQ(rerun.out, lines[0] + lines[8]);
}

TEST_F(ExperimentCli, RefusesAFolderHoldingAnExperimentUnlessResumedOrForced) {
  ASSERT_EQ(run_cli("experiment " + kExperiment + " --runs 3 -q --no-report --out " + out("g")).code, 0);
  EXPECT_EQ(run_cli("experiment " + kExperiment + " --runs 3 -q --out " + out("g")).code, 2);
  ASSERT_EQ(run_cli("experiment " + kExperiment + " --runs 4 -q --force --no-report --out " + out("g")).code, 0);
  EXPECT_NE(read_text(dir_ / "g/manifest.json").find("\"runs\": 8"), std::string::npos);
}

TEST_F(ExperimentCli, BadFilesAndFlagsExitTwoWithLocatedErrorsAndNoOutput) {
  const auto bad = run_cli("experiment tests/data/experiments/bad/unknown_metric.yaml --out " + out("bad"));
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("unknown_metric.yaml:5:5: error: variant 'baseline' records no metric 'cooperaton'"),
            std::string::npos)
      << bad.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "bad"));
  EXPECT_EQ(run_cli("experiment tests/data/experiments/no_such_file.yaml --out " + out("bad")).code, 1);
  const auto metric = run_cli("batch " + kA + " " + kB + " --metric average:cooperation --out " + out("bad"));
  EXPECT_EQ(metric.code, 2);
  EXPECT_NE(metric.err.find("--metric average:cooperation"), std::string::npos) << metric.err;
  EXPECT_EQ(run_cli("batch " + kA + " --out " + out("bad")).code, 2) << "a batch needs a variant";
  const auto missing = run_cli("batch " + kA + " scenarios/tests/no_such_world.yaml --out " + out("bad"));
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("cannot read scenario file 'scenarios/tests/no_such_world.yaml': no such file"), std::string::npos)
      << missing.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "bad"));
}

}  // namespace
}  // namespace geosim
