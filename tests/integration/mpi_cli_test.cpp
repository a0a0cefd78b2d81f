// Sweeps under Open MPI as a cluster user runs them: outputs byte-identical to one process at
// -np 2 and -np 3, a killed rank taking the job down without a hang, and --resume with
// another number of ranks. Skipped when geosim was built without MPI or mpirun is missing.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "geosim/cluster.h"
#include "support/cli.h"
#include "support/temp_dir.h"

namespace geosim {
namespace {

using test::read_text;
using test::run_cli;

const std::string kScenario = "scenarios/tests/sweep_world.yaml";
const std::string kMpirun = "timeout 120 mpirun --oversubscribe --allow-run-as-root";

bool have_mpirun() { return std::system("command -v mpirun > /dev/null 2>&1") == 0; }

class MpiCli : public test::TempDirTest {
 protected:
  MpiCli() : TempDirTest("mpicli") {}
  void SetUp() override {
    if (!built_with_mpi() || !have_mpirun()) GTEST_SKIP() << "built without MPI, or no mpirun";
    TempDirTest::SetUp();
  }

  // `geosim ARGS` under mpirun with `ranks` processes, from the repository root.
  static test::CliResult mpi(int ranks, const std::string& args) {
    const std::string command = "cd '" + test::source_dir().string() + "' && " + kMpirun + " -np " + std::to_string(ranks) +
                                " '" + GEOSIM_CLI + "' " + args + " > /dev/null 2>&1";
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, "", ""};
  }

  void expect_same(const std::string& a, const std::string& b, const std::vector<std::string>& files) const {
    for (const auto& file : files) {
      EXPECT_FALSE(read_text(dir_ / a / file).empty()) << file;
      EXPECT_EQ(read_text(dir_ / a / file), read_text(dir_ / b / file)) << a << " vs " << b << ": " << file;
    }
  }

};

const std::vector<std::string> kSweepFiles{"runs.csv", "bands.csv", "affinity.csv", "capability.csv"};

TEST_F(MpiCli, SweepOutputsAreByteIdenticalToOneProcessAtTwoAndThreeRanks) {
  const std::string args = "sweep " + kScenario + " --runs 150 --replicates 2 -q --no-report --out ";
  ASSERT_EQ(run_cli(args + out("one")).code, 0);
  ASSERT_EQ(mpi(2, args + out("two")).code, 0);
  ASSERT_EQ(mpi(3, args + out("three") + " --threads 1").code, 0);
  expect_same("one", "two", kSweepFiles);
  expect_same("one", "three", kSweepFiles);
  EXPECT_NE(read_text(dir_ / "three/manifest.json").find("\"ranks\": 3"), std::string::npos);
}

TEST_F(MpiCli, CompareExperimentAndSensitivityOutputsAreByteIdenticalToOneProcess) {
  const std::string compare = "compare " + kScenario + " scenarios/tests/sweep_world_b.yaml --runs 60 -q --no-report --out ";
  ASSERT_EQ(run_cli(compare + out("c1")).code, 0);
  ASSERT_EQ(mpi(3, compare + out("c3")).code, 0);
  expect_same("c1", "c3", {"compare.csv", "diff_bands.csv", "a/runs.csv", "b/runs.csv", "a/bands.csv", "b/bands.csv"});
  const std::string experiment = "experiment tests/data/experiments/small.yaml --runs 10 -q --no-report --out ";
  ASSERT_EQ(run_cli(experiment + out("e1")).code, 0);
  ASSERT_EQ(mpi(2, experiment + out("e2")).code, 0);
  expect_same("e1", "e2", {"contrasts.csv", "baseline/runs.csv", "pivot/runs.csv", "pivot/diff_bands.csv", "copy/bands.csv"});
  const std::string sensitivity = "sensitivity " + kScenario + " --samples 32 -q --no-report --out ";
  ASSERT_EQ(run_cli(sensitivity + out("s1")).code, 0);
  ASSERT_EQ(mpi(2, sensitivity + out("s2")).code, 0);
  expect_same("s1", "s2", {"sensitivity.csv", "runs.csv"});
}

// The pid of rank `rank` of the job writing into `folder`, from the processes' environments.
pid_t rank_pid(int rank, const std::string& folder) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string environ = read_text(entry.path() / "environ"), cmdline = read_text(entry.path() / "cmdline");
    if (cmdline.find(folder) == std::string::npos || cmdline.find("mpirun") != std::string::npos) continue;
    if (environ.find("OMPI_COMM_WORLD_RANK=" + std::to_string(rank) + '\0') != std::string::npos) return std::stoi(name);
  }
  return -1;
}

// A rank killed in the middle of a sweep ends the job (mpirun reports it and stops the others;
// nothing hangs); --resume with three ranks then completes it to the one-process result.
TEST_F(MpiCli, AKilledRankEndsTheJobAndResumeWithAnotherRankCountCompletesIt) {
  const std::string args = " --runs 1500 --replicates 2 -q --checkpoint-seconds 0 --no-report --threads 1 --out ";
  ASSERT_EQ(run_cli("sweep " + kScenario + args + out("whole")).code, 0);
  const std::string folder = out("killed");
  const pid_t job = ::fork();
  if (job == 0) {
    ::chdir(test::source_dir().c_str());
    const int quiet = ::open("/dev/null", O_WRONLY);
    ::dup2(quiet, STDOUT_FILENO);
    ::dup2(quiet, STDERR_FILENO);
    const std::string command = "exec mpirun --oversubscribe --allow-run-as-root -np 2 '" + std::string(GEOSIM_CLI) +
                                "' sweep " + kScenario + args + folder;
    ::execl("/bin/sh", "sh", "-c", command.c_str(), nullptr);
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!std::filesystem::exists(dir_ / "killed/.checkpoint") && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const pid_t worker = rank_pid(1, folder);
  ASSERT_GT(worker, 0) << "rank 1 must still be running";
  ::kill(worker, SIGKILL);
  int status = 0;
  pid_t ended = 0;
  const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while ((ended = ::waitpid(job, &status, WNOHANG)) == 0 && std::chrono::steady_clock::now() < limit) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (ended == 0) ::kill(job, SIGKILL), ::waitpid(job, &status, 0);
  ASSERT_EQ(ended, job) << "the job must end by itself within a minute of losing a rank";
  EXPECT_FALSE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "killed/runs.csv")) << "no complete-looking output";
  ASSERT_EQ(mpi(3, "sweep " + kScenario + args + folder + " --resume").code, 0);
  expect_same("whole", "killed", kSweepFiles);
}

TEST_F(MpiCli, BadInputExitsTwoOnEveryRankWithoutOutput) {
  EXPECT_EQ(mpi(2, "sweep tests/data/bad/nan.yaml --out " + out("bad")).code, 2);
  EXPECT_EQ(mpi(2, "sweep " + kScenario + " --runs 0 --out " + out("bad")).code, 2);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "bad"));
  ASSERT_EQ(mpi(2, "sweep " + kScenario + " --runs 5 -q --no-report --out " + out("full")).code, 0);
  EXPECT_EQ(mpi(2, "sweep " + kScenario + " --runs 5 -q --out " + out("full")).code, 2) << "the folder guard";
}

// Commands that do not share runs are rank 0's alone; the other ranks leave at once, and
// nobody waits for anybody, whatever rank 0 does (print a version, fail, succeed).
TEST_F(MpiCli, OtherCommandsRunOnRankZeroAloneWithoutHanging) {
  EXPECT_EQ(mpi(2, "--version").code, 0);
  EXPECT_EQ(mpi(2, "validate " + kScenario).code, 0);
  EXPECT_EQ(mpi(2, "validate tests/data/bad/nan.yaml").code, 2);
  EXPECT_EQ(mpi(2, "sweep --help").code, 0);
  EXPECT_EQ(mpi(2, "report " + out("nothing")).code, 2);
}

}  // namespace
}  // namespace geosim
