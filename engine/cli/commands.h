#pragma once
#include <CLI/CLI.hpp>

#include <string>

namespace geosim::cli {

/// Process exit codes (STYLE.md): 0 ok, 1 runtime or I/O failure, 2 usage or invalid input.
enum ExitCode : int { kOk = 0, kFailure = 1, kInvalid = 2 };

/// Each command adds its subcommand to `app`; the subcommand's callback runs the command and
/// stores its exit code in `exit_code`. Commands throw geosim::InputError for invalid input
/// and geosim::Error for other failures; main() maps them to exit codes.
void register_validate(CLI::App& app, int& exit_code);
void register_run(CLI::App& app, int& exit_code);
void register_bdm(CLI::App& app, int& exit_code);
/// `command_line` (recorded in manifests) must outlive the parse.
void register_sweep(CLI::App& app, int& exit_code, const std::string& command_line);
void register_compare(CLI::App& app, int& exit_code, const std::string& command_line);
void register_experiment(CLI::App& app, int& exit_code, const std::string& command_line);
void register_batch(CLI::App& app, int& exit_code, const std::string& command_line);
void register_sensitivity(CLI::App& app, int& exit_code, const std::string& command_line);
void register_report(CLI::App& app, int& exit_code);
void register_bench(CLI::App& app, int& exit_code);

}  // namespace geosim::cli
