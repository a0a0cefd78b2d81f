#pragma once
#include <filesystem>
#include <iosfwd>
#include <vector>
#include <string>

#include "geosim/engine.h"
#include "geosim/scenario.h"

namespace geosim {

/// Writes `content` to `path` atomically: a temporary file in the same folder, flushed and
/// renamed over `path`, so an interrupted write never leaves a file that looks complete.
/// Throws IoError.
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

/// Reads one CSV record (RFC 4180: quoted fields may hold commas, doubled quotes and newlines)
/// into `fields`; false at the end of the input.
bool read_csv_record(std::istream& in, std::vector<std::string>& fields);

/// The series as CSV: a header of column names, then one line per row. Numbers are printed
/// shortest-round-trip, so the text is the exact double.
std::string timeseries_csv(const TimeSeries& series);

/// affinity.csv: `when,i,j,mean`, one line per ordered pair i != j of agent ids at the start
/// (tick 0) and at the end; `initial` and `final` are N x N row-major (one run's values or the
/// mean over a sweep's successful runs).
std::string affinity_csv(const ScenarioSpec& spec, const std::vector<double>& initial, const std::vector<double>& final);
/// capability.csv: `agent,mean`, the final capability share of each agent.
std::string capability_csv(const ScenarioSpec& spec, const std::vector<double>& shares);

/// summary.json for one run: scenario, inputs' hash, seed, mode, ticks, version, git commit,
/// and each metric's final value and late mean.
std::string summary_json(const ScenarioSpec& spec, const RunOptions& options, const RunResult& result);

}  // namespace geosim
