// `geosim sweep` and `geosim compare` as a user runs them: determinism across threads, a real
// SIGKILL and --resume, reruns of single runs, the output-folder guard.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include "support/cli.h"
#include "support/temp_dir.h"

namespace geosim {
namespace {

using test::read_text;
using test::run_cli;

const std::string kScenario = "scenarios/tests/sweep_world.yaml";

class SweepCli : public test::TempDirTest {
 protected:
  SweepCli() : TempDirTest("sweepcli") {}

  // The standard interrupted sweep into `name`, sent `signal` after its first checkpoint.
  int interrupt_sweep(const std::string& name, int signal) const {
    return test::interrupt_cli({"sweep", kScenario, "--runs", "1500", "--replicates", "2", "-q", "--checkpoint-seconds",
                                "0", "--threads", "2", "--out", out(name)},
                               dir_ / name / ".checkpoint", signal);
  }

  // The interrupted sweep's arguments, for the uninterrupted reference and the resume.
  static constexpr const char* kInterruptedArgs = " --runs 1500 --replicates 2 -q --checkpoint-seconds 0 ";
};

TEST_F(SweepCli, OutputsAreByteIdenticalAtOneTwoAndEightThreads) {
  for (const char* threads : {"1", "2", "8"}) {
    const auto result = run_cli("sweep " + kScenario + " --runs 60 --replicates 3 --design lhs -q --threads " +
                                threads + " --out " + out(threads));
    ASSERT_EQ(result.code, 0) << result.err;
  }
  for (const char* file : {"runs.csv", "bands.csv", "affinity.csv", "capability.csv"}) {
    const std::string one = read_text(dir_ / "1" / file);
    EXPECT_EQ(one, read_text(dir_ / "2" / file)) << file;
    EXPECT_EQ(one, read_text(dir_ / "8" / file)) << file;
    EXPECT_GT(one.size(), 20u);
  }
}

TEST_F(SweepCli, WritesTheDocumentedFiles) {
  const auto result = run_cli("sweep " + kScenario + " --runs 20 --out " + out("s"));
  ASSERT_EQ(result.code, 0) << result.err;
  EXPECT_NE(result.out.find("median"), std::string::npos);
  const std::string runs = read_text(dir_ / "s/runs.csv");
  EXPECT_EQ(runs.rfind("run_id,point,replicate,seed,status,error,params.coop_threshold,", 0), 0u);
  EXPECT_EQ(std::count(runs.begin(), runs.end(), '\n'), 21);
  EXPECT_EQ(read_text(dir_ / "s/bands.csv").rfind("tick,metric,n,mean,sd,q05,q25,q50,q75,q95\n", 0), 0u);
  const std::string manifest = read_text(dir_ / "s/manifest.json");
  for (const char* key : {"\"status\": \"complete\"", "\"kind\": \"mc\"", "\"git_commit\"", "\"start_time\"", "\"text\""}) {
    EXPECT_NE(manifest.find(key), std::string::npos) << key;
  }
  const std::string affinity = read_text(dir_ / "s/affinity.csv");
  EXPECT_EQ(affinity.rfind("when,i,j,mean\n", 0), 0u);
  const std::string capability = read_text(dir_ / "s/capability.csv");
  EXPECT_EQ(capability.rfind("agent,mean\n", 0), 0u);
  const auto agents = std::count(capability.begin(), capability.end(), '\n') - 1;  // one line per agent
  EXPECT_GT(agents, 1);
  EXPECT_EQ(std::count(affinity.begin(), affinity.end(), '\n'), 1 + 2 * agents * (agents - 1));
  EXPECT_NE(affinity.find("\nend,"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "s/report.html"));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "s/results.sqlite"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "s/.checkpoint"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "s/runs.csv.partial"));
}

TEST_F(SweepCli, RefusesAFolderHoldingASweepUnlessResumedOrForced) {
  ASSERT_EQ(run_cli("sweep " + kScenario + " --runs 5 -q --out " + out("g")).code, 0);
  const auto again = run_cli("sweep " + kScenario + " --runs 5 -q --out " + out("g"));
  EXPECT_EQ(again.code, 2);
  EXPECT_NE(again.err.find("already holds a sweep"), std::string::npos);
  EXPECT_EQ(run_cli("sweep " + kScenario + " --runs 5 -q --force --out " + out("g")).code, 0);
  EXPECT_EQ(run_cli("sweep " + kScenario + " --runs 5 -q --resume --out " + out("g")).code, 0);
  const auto other = run_cli("sweep " + kScenario + " --runs 6 -q --resume --out " + out("g"));
  EXPECT_EQ(other.code, 2);
  EXPECT_NE(other.err.find("cannot resume: the folder holds a different sweep"), std::string::npos);
}

TEST_F(SweepCli, RerunsAnySingleRunAndReproducesItsRow) {
  ASSERT_EQ(run_cli("sweep " + kScenario + " --runs 10 --replicates 2 -q --out " + out("r")).code, 0);
  const std::string runs = read_text(dir_ / "r/runs.csv");
  std::vector<std::string> lines;
  std::istringstream in(runs);
  for (std::string line; std::getline(in, line);) lines.push_back(line + "\n");
  for (int id : {0, 7, 19}) {
    const auto rerun = run_cli("run --from " + out("r") + " --run-id " + std::to_string(id));
    ASSERT_EQ(rerun.code, 0) << rerun.err;
    EXPECT_EQ(rerun.out, lines[0] + lines[static_cast<std::size_t>(id) + 1]) << id;
  }
  EXPECT_EQ(run_cli("run --from " + out("r") + " --run-id 20").code, 2);
}

// A real SIGKILL in the middle of a sweep, then --resume (with another thread count): the
// outputs equal those of the uninterrupted sweep, byte for byte.
TEST_F(SweepCli, ResumesAfterSigkillToTheUninterruptedResult) {
  const std::string args = kInterruptedArgs;
  ASSERT_EQ(run_cli("sweep " + kScenario + args + "--out " + out("whole")).code, 0);
  const int status = interrupt_sweep("killed", SIGKILL);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the sweep must still have been running when killed";
  ASSERT_FALSE(std::filesystem::exists(dir_ / "killed/runs.csv")) << "no complete-looking file after a kill";
  const auto resumed = run_cli("sweep " + kScenario + args + "--threads 1 --resume --out " + out("killed"));
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  for (const char* file : {"runs.csv", "bands.csv", "affinity.csv", "capability.csv"}) {
    EXPECT_EQ(read_text(dir_ / "whole" / file), read_text(dir_ / "killed" / file)) << file;
  }
}

// Ctrl-C: the sweep stops after its chunk with a checkpoint, says how to resume, exits 1.
TEST_F(SweepCli, StopsCleanlyOnInterruptAndResumes) {
  const std::string args = kInterruptedArgs;
  ASSERT_EQ(run_cli("sweep " + kScenario + args + "--out " + out("whole")).code, 0);
  const int status = interrupt_sweep("stopped", SIGINT);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_NE(read_text(dir_ / "stopped/manifest.json").find("\"status\": \"interrupted\""), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "stopped/runs.csv"));
  ASSERT_EQ(run_cli("sweep " + kScenario + args + "--resume --out " + out("stopped")).code, 0);
  EXPECT_EQ(read_text(dir_ / "whole/runs.csv"), read_text(dir_ / "stopped/runs.csv"));
  EXPECT_EQ(read_text(dir_ / "whole/bands.csv"), read_text(dir_ / "stopped/bands.csv"));
}

TEST_F(SweepCli, CompareReportsPairedDifferences) {
  const auto result = run_cli("compare " + kScenario + " scenarios/tests/sweep_world_b.yaml --runs 30 --out " + out("c"));
  ASSERT_EQ(result.code, 0) << result.err;
  EXPECT_NE(result.out.find("95 % CI"), std::string::npos);
  EXPECT_NE(result.out.find("P(B>A)"), std::string::npos);
  for (const char* file : {"compare.csv", "diff_bands.csv", "a/runs.csv", "b/runs.csv", "a/bands.csv", "manifest.json",
                           "results.sqlite"}) {
    EXPECT_TRUE(std::filesystem::exists(dir_ / "c" / file)) << file;
  }
  const auto json = run_cli("compare " + kScenario + " " + kScenario + " --runs 10 --json --out " + out("j"));
  EXPECT_NE(json.out.find("\"mean_diff\": 0"), std::string::npos);
  const auto rerun = run_cli("run --from " + out("c") + " --run-id 3 --variant b");
  EXPECT_EQ(rerun.code, 0) << rerun.err;
}

TEST_F(SweepCli, BadFlagsAndScenariosExitTwo) {
  EXPECT_EQ(run_cli("sweep " + kScenario + " --design magic").code, 2);
  EXPECT_EQ(run_cli("sweep " + kScenario + " --runs 0").code, 2);
  EXPECT_EQ(run_cli("sweep " + kScenario + " --resume --force").code, 2);
  EXPECT_EQ(run_cli("sweep tests/data/bad/nan.yaml --out " + out("bad")).code, 2);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "bad"));
  EXPECT_EQ(run_cli("run --from " + out("nothing") + " --run-id 1").code, 2);
}

}  // namespace
}  // namespace geosim
