#pragma once
// Runs the geosim CLI as a user would, capturing stdout, stderr and the exit code.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <vector>

#include <cstdlib>
#include <string>

#include "support/files.h"

namespace geosim::test {

struct CliResult {
  int code = -1;
  std::string out;
  std::string err;
};

/// Runs `geosim ARGS` in the repository root through the shell.
inline CliResult run_cli(const std::string& args, const std::string& tag = "cli") {
  const auto dir = std::filesystem::temp_directory_path() / ("geosim_test_" + tag + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto out = dir / "stdout", err = dir / "stderr";
  const std::string command = "cd '" + source_dir().string() + "' && '" + std::string(GEOSIM_CLI) + "' " + args +
                              " > '" + out.string() + "' 2> '" + err.string() + "'";
  const int status = std::system(command.c_str());
  CliResult result;
  result.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_text(out);
  result.err = read_text(err);
  std::filesystem::remove_all(dir);
  return result;
}

/// Starts `geosim ARGS` (stdout and stderr discarded) in the repository root as a child
/// process, waits (at most two minutes) until `checkpoint` exists, sends it `signal` and
/// returns its wait status: a real interruption in the middle of a sweep.
inline int interrupt_cli(const std::vector<std::string>& args, const std::filesystem::path& checkpoint, int signal) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(source_dir().c_str()) != 0) ::_exit(127);
    const int quiet = ::open("/dev/null", O_WRONLY);
    ::dup2(quiet, STDOUT_FILENO);
    ::dup2(quiet, STDERR_FILENO);
    std::vector<char*> argv{const_cast<char*>(GEOSIM_CLI)};
    for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    ::execv(GEOSIM_CLI, argv.data());
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!std::filesystem::exists(checkpoint) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ::kill(pid, signal);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

}  // namespace geosim::test
