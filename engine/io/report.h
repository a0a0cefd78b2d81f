#pragma once
// What report.html is made of, read from a run, sweep or compare folder (report_data.cpp), and
// assembled into HTML in report.cpp. Everything is read from the files the commands wrote, so
// `geosim report` needs neither the scenarios nor a rerun.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "svg.h"

namespace geosim::report {

enum class FolderKind { kRun, kSweep, kCompare, kExperiment };

/// One metric over the recorded ticks: the band quantiles of bands.csv (a run: all equal).
struct Band {
  std::vector<double> tick, q05, q25, q50, q75, q95;
};

/// One variant's folder: its per-tick bands and its mean start and end affinity.
struct VariantData {
  std::string label;     ///< "A", "B", "" (a plain sweep or run) or an experiment's variant name
  std::string scenario;  ///< the scenario path as recorded
  std::filesystem::path dir;
  std::vector<std::string> metrics;  ///< in file order
  std::map<std::string, Band> bands;
  std::vector<std::string> agents;  ///< ids, scenario order
  std::vector<double> start, end;   ///< N x N row-major
  std::vector<double> capability;   ///< N final capability shares
  std::map<std::string, Band> diff;  ///< experiments: the paired difference from the baseline
};

/// One compare.csv line.
struct Paired {
  std::string metric;
  double n = 0, mean_a = 0, mean_b = 0, diff = 0, low = 0, high = 0, d_z = 0, p_greater = 0;
};

/// One contrasts.csv line (an experiment's variant against the baseline for one outcome).
struct Contrast {
  std::string variant, outcome;
  bool higher_is_better = true;
  int rank = 0;
  double n = 0, mean = 0, diff = 0, low = 0, high = 0, adj_low = 0, adj_high = 0, p_better = 0, p_holm = 0;
  bool significant = false;
};

struct Folder {
  FolderKind kind = FolderKind::kRun;
  std::filesystem::path dir;
  std::vector<std::pair<std::string, std::string>> facts;  ///< header rows: what, value
  std::optional<std::string> start;  ///< run.start, "YYYYQn"
  std::vector<VariantData> variants;
  std::vector<Paired> compare;
  std::map<std::string, Band> diff;
  std::vector<Contrast> contrasts;  ///< experiments, in file order
};

/// Reads the folder; throws InputError when it is not a run, sweep or compare folder.
Folder read_folder(const std::filesystem::path& dir);

/// Histograms of runs.csv columns, built by streaming the file twice (range, then counts), and
/// a bounded sample of (inputs, outcome) rows for the rank correlations and the scatter.
struct Histogram {
  std::string column;
  double lo = 0, hi = 0;
  std::vector<std::vector<double>> counts;  ///< per variant, per bin
};
struct Sample {
  std::vector<std::string> inputs;             ///< input column names (variant A's)
  std::vector<std::vector<std::vector<double>>> values;  ///< per variant, per row: inputs..., outcome
  std::uint64_t runs = 0;                      ///< successful runs of variant A streamed
};
inline constexpr std::size_t kBins = 30;
inline constexpr std::size_t kSampleRows = 20000;

/// Histograms of `columns` over every variant's runs.csv (common bins per column) and the
/// first kSampleRows successful rows of inputs and `outcome`.
std::vector<Histogram> histograms(const Folder& folder, const std::vector<std::string>& columns,
                                  const std::string& outcome, Sample& sample);

// Pieces of the page shared by report.cpp and report_experiment.cpp.

/// Quarter labels ("2013Q1") for the x axis when the scenario has a calendar start.
std::vector<svg::Tick> quarter_ticks(const std::optional<std::string>& start, double last_tick);
std::string x_label(const Folder& folder);
/// A y range covering the bands' 5-95 % and medians, widened to nice tick values.
svg::Range value_range(const std::vector<const Band*>& bands);
void draw_band(svg::Chart& chart, const Band& band, std::string_view colour, bool dashed);
std::string figure(const std::string& body, const std::string& caption);
/// A number for a table cell ("n/a" when not finite).
std::string cell(double value, const char* format = "{:.4f}");
enum class Layout { kPlain, kGrid, kSmallGrid };
/// A titled section with a note; empty when `body` is.
std::string section(const std::string& title, const std::string& note, const std::string& body,
                    Layout layout = Layout::kGrid);

/// The body of the report of an experiment folder (after the header).
std::string experiment_body(const Folder& folder);
/// The sensitivity section when `dir` holds sensitivity.csv, else "".
std::string sensitivity_section(const std::filesystem::path& dir);

/// A CSV line's fields (views into the line being read).
using Fields = std::vector<std::string_view>;
/// Calls `row` with the fields of every line after the header of a CSV file (RFC 4180 quoting;
/// lines with the wrong field count skipped); returns the header. Throws IoError.
std::vector<std::string> read_csv_rows(const std::filesystem::path& path, const std::function<void(const Fields&)>& row);
/// A CSV number ("" and unparsable text: NaN).
double parse_number(std::string_view text);

/// Spearman's rank correlation of x and y (average ranks for ties; NaN when either is constant).
double spearman(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace geosim::report
