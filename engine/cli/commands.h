#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace geosim::cli {

/// Process exit codes (STYLE.md): 0 ok, 1 runtime or I/O failure, 2 usage or invalid input.
enum ExitCode : int { kOk = 0, kFailure = 1, kInvalid = 2 };

struct ValidateArgs {
  std::vector<std::string> files;
  bool quiet = false;
};

struct RunArgs {
  std::string file;
  std::optional<std::uint64_t> seed;
  std::optional<int> ticks;
  std::optional<std::string> mode;
  std::optional<int> record_every;
  std::optional<std::string> out;
  bool json = false;
  bool quiet = false;
};

/// `geosim validate FILE...`: every file, every error, exit 2 if any file is invalid.
int validate_command(const ValidateArgs& args);

/// `geosim run FILE ...`: one run; summary to stdout, timeseries.csv and summary.json to --out.
int run_command(const RunArgs& args);

}  // namespace geosim::cli
