#pragma once
// Runs the geosim CLI as a user would, capturing stdout, stderr and the exit code.
#include <sys/wait.h>

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

}  // namespace geosim::test
