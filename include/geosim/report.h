#pragma once
#include <filesystem>
#include <string>

namespace geosim {

/// report.html for the run, sweep or compare folder `dir` (README, "Reports"): one
/// self-contained page (inline SVG and CSS, no script, no external reference) with the
/// header, the headline table, fan charts, the B - A differences, affinity heatmaps, the bloc
/// network, issue outcomes and, for sweeps, the distributions of the run summaries.
/// Throws InputError when `dir` holds none of these, IoError when a file cannot be read.
std::string report_html(const std::filesystem::path& dir);

/// Writes report_html(dir) to dir/report.html atomically; returns that path.
std::filesystem::path write_report(const std::filesystem::path& dir);

}  // namespace geosim
