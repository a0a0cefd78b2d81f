// The geosim command line: each command registers itself (see commands.h); main parses the
// flags with CLI11 and maps errors to exit codes.
#include <CLI/CLI.hpp>

#include <iostream>

#include "commands.h"
#include "sweep_common.h"
#include "geosim/error.h"
#include "geosim/version.h"

int main(int argc, char** argv) {
  using geosim::cli::ExitCode;
  CLI::App app{"geosim: agent-based simulation of Asia-Pacific geopolitics"};
  app.set_version_flag("--version", std::string(geosim::version()) + " (" + std::string(geosim::git_commit()) + ")");
  app.require_subcommand(1);
  int exit_code = ExitCode::kOk;
  geosim::cli::register_validate(app, exit_code);
  geosim::cli::register_run(app, exit_code);
  geosim::cli::register_bdm(app, exit_code);
  const std::string command_line = geosim::cli::joined(argc, argv);
  geosim::cli::register_sweep(app, exit_code, command_line);
  geosim::cli::register_compare(app, exit_code, command_line);
  geosim::cli::register_experiment(app, exit_code, command_line);
  geosim::cli::register_batch(app, exit_code, command_line);
  geosim::cli::register_sensitivity(app, exit_code, command_line);
  geosim::cli::register_report(app, exit_code);
  try {
    app.parse(argc, argv);
    return exit_code;
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? ExitCode::kOk : ExitCode::kInvalid;
  } catch (const geosim::InputError& error) {
    std::cerr << error.formatted() << '\n';
    return ExitCode::kInvalid;
  } catch (const std::exception& error) {
    std::cerr << error.what() << '\n';
    return ExitCode::kFailure;
  }
}
