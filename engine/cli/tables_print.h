#pragma once
// Terminal tables for sweep and compare results, read back from the files just written.
#include <filesystem>
#include <cstdint>
#include <string>
#include <vector>

namespace geosim::cli {

/// Whether a metric is a headline one (cooperation, balance, blocs, dyad, region and issue
/// outcome columns; not dispersion, bloc_of or camp).
bool is_headline_metric(const std::string& metric);

/// Reads a CSV file into rows of fields, the header first.
std::vector<std::vector<std::string>> read_simple_csv(const std::filesystem::path& path);

/// The final-tick bands of the headline metrics: metric, mean, sd, q05, q50, q95.
std::string sweep_table(const std::filesystem::path& bands_csv, int final_tick);

/// compare.csv's late-mean rows of the headline metrics, sorted by |d_z|, as a table.
std::string compare_table(const std::filesystem::path& compare_csv, const std::string& name_a,
                          const std::string& name_b);

/// sensitivity.csv as one table per outcome, inputs sorted by total-order index (Sobol') or
/// by mu* per unit of probability (Morris).
std::string sensitivity_table(const std::filesystem::path& sensitivity_csv, std::uint64_t runs, std::uint64_t samples,
                              bool difference);

/// A CSV file as a JSON array of objects (numbers as numbers, empty fields as null).
std::string csv_json(const std::filesystem::path& csv);

/// contrasts.csv as one ranking per outcome: rank, variant, mean, the difference from the
/// baseline with its 95 % and family-wise (Bonferroni) intervals, P(better) and the Holm p-value.
std::string experiment_table(const std::filesystem::path& contrasts_csv);

}  // namespace geosim::cli
