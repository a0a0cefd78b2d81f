#pragma once
#include <filesystem>
#include <string>

#include "geosim/engine.h"
#include "geosim/scenario.h"

namespace geosim {

/// Writes `content` to `path` atomically: a temporary file in the same folder, flushed and
/// renamed over `path`, so an interrupted write never leaves a file that looks complete.
/// Throws IoError.
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

/// The series as CSV: a header of column names, then one line per row. Numbers are printed
/// shortest-round-trip, so the text is the exact double.
std::string timeseries_csv(const TimeSeries& series);

/// summary.json for one run: scenario, inputs' hash, seed, mode, ticks, version, git commit,
/// and each metric's final value and late mean.
std::string summary_json(const ScenarioSpec& spec, const RunOptions& options, const RunResult& result);

}  // namespace geosim
