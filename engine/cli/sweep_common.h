#pragma once
// What `sweep`, `compare` and `run --from` share: design flags, the output-folder guard, the
// interrupt handler, progress, and rebuilding a sweep's plan from its manifest.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "geosim/sweep.h"

namespace geosim::cli {

struct SweepArgs {
  std::string design = "mc";
  std::uint64_t runs = 100;
  std::uint64_t replicates = 1;
  std::optional<std::uint64_t> seed;
  int threads = 0;
  std::optional<std::string> out;
  bool resume = false;
  bool force = false;
  bool no_scramble = false;
  int levels = 3;
  std::optional<int> ticks;
  std::optional<std::string> mode;
  std::optional<int> record_every;
  bool quiet = false;
  bool json = false;
  bool no_report = false;
  double checkpoint_seconds = 2.0;
};

/// Adds the flags shared by `sweep` and `compare`.
void add_sweep_options(CLI::App* cmd, SweepArgs& args);

/// --design's value as a kind (CLI11 has checked it); --mode's value as a mode.
DesignKind parse_design(const std::string& name);
std::optional<Mode> parse_mode(const std::optional<std::string>& mode);

/// The plan for these variants and flags (the seed defaults to the first scenario's run.seed).
SweepPlan make_plan(std::vector<Variant> variants, const SweepArgs& args);

/// Runs the sweep into `out` with progress on stderr and Ctrl-C handling; refuses a folder
/// that already holds a sweep unless --resume or --force. Returns the summary.
SweepSummary execute(const SweepPlan& plan, const SweepArgs& args, const std::filesystem::path& out,
                     const std::string& command_line, const SweepOptions::Experiment& experiment = {});

/// The exit code and closing message for a finished, failed or interrupted sweep; writes
/// report.html into a completed folder unless --no-report.
int report_outcome(const SweepSummary& summary, const std::filesystem::path& out, const SweepArgs& args);

/// Rebuilds the plan of the sweep in `dir` from its manifest.json, reloading each scenario from
/// its recorded path and checking that it has not changed since (InputError otherwise).
SweepPlan plan_from_manifest(const std::filesystem::path& dir);

/// The MPI cluster this process belongs to (null: one process) and whether the command shares
/// its runs between the ranks (is_distributed_command), set once by main.
void set_cluster(Cluster* cluster, bool distributed);
/// Whether this process is a rank other than 0 of a cluster of several.
bool is_worker();
/// Whether this command shares its runs between ranks (sweep, compare, experiment, batch,
/// sensitivity), from the command line.
bool is_distributed_command(int argc, char** argv);
/// For a rank that failed before the ranks agreed to start (execute does that): tells the
/// others, so that nobody waits for it. Does nothing without a cluster or once agreed.
void report_failure_to_ranks();
/// Thrown on a worker rank when its part is done: main exits 0 without printing anything.
struct WorkerDone {};

/// The command line as one string, for the manifest.
std::string joined(int argc, char** argv);

}  // namespace geosim::cli
