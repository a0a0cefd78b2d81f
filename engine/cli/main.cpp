// The geosim command line: each command registers itself (see commands.h); main parses the
// flags with CLI11 and maps errors to exit codes.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

#include "commands.h"
#include "sweep_common.h"
#include "geosim/cluster.h"
#include "geosim/error.h"
#include "geosim/version.h"

int main(int argc, char** argv) {
  using geosim::cli::ExitCode;
  // Under mpirun, every rank runs this; rank 0 alone talks to the user and writes files
  // (README, "On a cluster"). Commands that do not share runs are left to rank 0.
  const std::unique_ptr<geosim::Cluster> cluster = geosim::launch_cluster(&argc, &argv);
  const bool distributed = geosim::cli::is_distributed_command(argc, argv);
  geosim::cli::set_cluster(cluster.get(), distributed);
  const bool worker = geosim::cli::is_worker();
  if (worker && !distributed) return ExitCode::kOk;
  if (worker && std::freopen("/dev/null", "w", stdout) == nullptr) return ExitCode::kFailure;
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
  geosim::cli::register_bench(app, exit_code);
  // Every rank of a distributed command meets the others once before the runs start; a rank
  // that fails before that tells them (and only rank 0 prints the error, which the other
  // ranks, reading the same input, share).
  try {
    app.parse(argc, argv);
    return exit_code;
  } catch (const geosim::cli::WorkerDone&) {
    return ExitCode::kOk;
  } catch (const CLI::ParseError& error) {
    geosim::cli::report_failure_to_ranks();
    if (worker) return ExitCode::kOk;
    return app.exit(error) == 0 ? ExitCode::kOk : ExitCode::kInvalid;
  } catch (const geosim::InputError& error) {
    geosim::cli::report_failure_to_ranks();
    if (!worker) std::cerr << error.formatted() << '\n';
    return ExitCode::kInvalid;
  } catch (const std::exception& error) {
    geosim::cli::report_failure_to_ranks();
    if (!worker) std::cerr << error.what() << '\n';
    return ExitCode::kFailure;
  }
}
