// The geosim command line: parses flags with CLI11 and maps errors to exit codes.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <iostream>

#include "commands.h"
#include "geosim/error.h"
#include "geosim/version.h"

namespace {

using geosim::cli::ExitCode;

void add_validate(CLI::App& app, geosim::cli::ValidateArgs& args) {
  CLI::App* cmd = app.add_subcommand("validate", "Parse, overlay and check scenarios; report every error at once");
  cmd->add_option("FILE", args.files, "Scenario YAML files")->required();
  cmd->add_flag("-q,--quiet", args.quiet, "Print nothing for valid files");
}

void add_run(CLI::App& app, geosim::cli::RunArgs& args) {
  CLI::App* cmd = app.add_subcommand("run", "Run a scenario once and write its trajectories");
  cmd->add_option("FILE", args.file, "Scenario YAML file")->required();
  cmd->add_option("--seed", args.seed, "Master seed, 0 to 2^64-1 (default: the scenario's run.seed)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--ticks", args.ticks, "Number of ticks T (default: the scenario's run.ticks)")
      ->check(CLI::Range(1, 100000000));
  cmd->add_option("--mode", args.mode, "expected or stochastic (default: the scenario's run.mode)")
      ->check(CLI::IsMember({"expected", "stochastic"}));
  cmd->add_option("--record-every", args.record_every, "Record metrics every R ticks (and at the last tick)")
      ->check(CLI::Range(1, 100000000));
  cmd->add_option("--out", args.out, "Output folder (default: out/<scenario name>); '-' writes the CSV to stdout");
  cmd->add_flag("--json", args.json, "Print summary.json instead of the summary table");
  cmd->add_flag("-q,--quiet", args.quiet, "Print no summary table");
}

int dispatch(const CLI::App& app, const geosim::cli::ValidateArgs& validate, const geosim::cli::RunArgs& run) {
  if (app.got_subcommand("validate")) return geosim::cli::validate_command(validate);
  if (app.got_subcommand("run")) return geosim::cli::run_command(run);
  return ExitCode::kInvalid;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"geosim: agent-based simulation of Asia-Pacific geopolitics"};
  app.set_version_flag("--version", std::string(geosim::version()) + " (" + std::string(geosim::git_commit()) + ")");
  app.require_subcommand(1);
  geosim::cli::ValidateArgs validate;
  geosim::cli::RunArgs run;
  add_validate(app, validate);
  add_run(app, run);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? ExitCode::kOk : ExitCode::kInvalid;
  }
  try {
    return dispatch(app, validate, run);
  } catch (const geosim::InputError& error) {
    std::cerr << error.formatted() << '\n';
    return ExitCode::kInvalid;
  } catch (const std::exception& error) {
    std::cerr << error.what() << '\n';
    return ExitCode::kFailure;
  }
}
