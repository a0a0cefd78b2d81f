#include "tables_print.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>

#include "geosim/io.h"

namespace geosim::cli {
namespace {

double number(const std::string& text) {
  if (text == "inf") return INFINITY;
  if (text == "-inf") return -INFINITY;
  if (text == "nan" || text == "-nan") return NAN;
  return std::stod(text);
}

std::string fixed(double value) { return std::isfinite(value) ? fmt::format("{:.4f}", value) : fmt::format("{}", value); }

std::size_t width_of(const std::vector<std::vector<std::string>>& rows, std::size_t column) {
  std::size_t width = 6;
  for (const auto& row : rows) width = std::max(width, row[column].size());
  return width;
}

}  // namespace

bool is_headline_metric(const std::string& metric) {
  for (const char* prefix : {"cooperation", "balance", "blocs", "coop:", "affinity:", "alignment:", "dependence:",
                             "attention:", "invest_total:", "invest_share:", "outcome:"}) {
    if (metric.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

std::vector<std::vector<std::string>> read_simple_csv(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> fields;
  while (read_csv_record(in, fields)) rows.push_back(fields);
  return rows;
}

std::string sweep_table(const std::filesystem::path& bands_csv, int final_tick) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& row : read_simple_csv(bands_csv)) {
    if (row.size() < 10 || row[0] != std::to_string(final_tick) || !is_headline_metric(row[1])) continue;
    rows.push_back({row[1], fixed(number(row[3])), fixed(number(row[4])), fixed(number(row[5])), fixed(number(row[7])),
                    fixed(number(row[9]))});
  }
  const std::size_t width = width_of(rows, 0);
  std::string out = fmt::format("{:<{}}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}\n", fmt::format("metric (tick {})", final_tick),
                                width, "mean", "sd", "5%", "median", "95%");
  for (const auto& r : rows) {
    out += fmt::format("{:<{}}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}\n", r[0], width, r[1], r[2], r[3], r[4], r[5]);
  }
  return out;
}

std::string compare_table(const std::filesystem::path& compare_csv, const std::string& name_a,
                          const std::string& name_b) {
  struct Row {
    std::string metric;
    double a, b, diff, low, high, dz, p;
  };
  std::vector<Row> rows;
  for (const auto& f : read_simple_csv(compare_csv)) {
    if (f.size() < 9 || f[0].rfind("late:", 0) != 0 || !is_headline_metric(f[0].substr(5))) continue;
    rows.push_back({f[0].substr(5), number(f[2]), number(f[3]), number(f[4]), number(f[5]), number(f[6]), number(f[7]),
                    number(f[8])});
  }
  // Largest effects first; stable, so ties keep the metric order.
  std::stable_sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
    const double ax = std::isnan(x.dz) ? -1 : std::abs(x.dz), ay = std::isnan(y.dz) ? -1 : std::abs(y.dz);
    return ax > ay;
  });
  std::size_t width = 6;
  for (const Row& r : rows) width = std::max(width, r.metric.size());
  std::string out = fmt::format("A = {}\nB = {}\nlast-quarter means; 95 % CI of the paired mean difference\n", name_a, name_b);
  out += fmt::format("{:<{}}  {:>9}  {:>9}  {:>9}  {:>21}  {:>7}  {:>7}\n", "metric", width, "A", "B", "B - A",
                     "95 % CI", "d_z", "P(B>A)");
  constexpr std::size_t kShown = 30;
  for (std::size_t i = 0; i < rows.size() && i < kShown; ++i) {
    const Row& r = rows[i];
    out += fmt::format("{:<{}}  {:>9}  {:>9}  {:>+9.4f}  {:>21}  {:>7}  {:>7.3f}\n", r.metric, width, fixed(r.a),
                       fixed(r.b), r.diff, fmt::format("[{}, {}]", fixed(r.low), fixed(r.high)),
                       std::isfinite(r.dz) ? fmt::format("{:.2f}", r.dz) : fmt::format("{}", r.dz), r.p);
  }
  if (rows.size() > kShown) {
    out += fmt::format("({} more metrics, and the final values, in {})\n", rows.size() - kShown, compare_csv.string());
  }
  return out;
}

std::string csv_json(const std::filesystem::path& csv) {
  const auto rows = read_simple_csv(csv);
  nlohmann::ordered_json json = nlohmann::ordered_json::array();
  for (std::size_t i = 1; i < rows.size(); ++i) {
    nlohmann::ordered_json item;
    for (std::size_t c = 0; c < rows[0].size() && c < rows[i].size(); ++c) {
      const std::string& text = rows[i][c];
      double value = 0;
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      const bool numeric = !text.empty() && error == std::errc() && end == text.data() + text.size();
      if (text.empty()) {
        item[rows[0][c]] = nullptr;
      } else if (numeric && std::isfinite(value)) {
        item[rows[0][c]] = value;
      } else {
        item[rows[0][c]] = text;  // names, and "nan" / "inf", which JSON cannot hold as numbers
      }
    }
    json.push_back(item);
  }
  return json.dump(2) + "\n";
}

std::string experiment_table(const std::filesystem::path& contrasts_csv) {
  const auto rows = read_simple_csv(contrasts_csv);
  if (rows.size() < 2) return "";
  std::size_t width = 8;
  for (const auto& row : rows) width = std::max(width, row[0].size());
  std::string out;
  std::string outcome;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& f = rows[i];
    if (f.size() < 18) continue;
    if (f[1] != outcome) {
      outcome = f[1];
      out += fmt::format("\n{} ({} is better)\n{:>4}  {:<{}}  {:>9}  {:>9}  {:>31}  {:>9}  {:>9}\n", outcome, f[2], "rank",
                         "variant", width, "mean", "diff", "95 % CI; family-wise 95 % CI", "P(better)", "p (Holm)");
    }
    std::string diff, interval, better, p;
    const bool reference = f[9].empty();  // the baseline's lines leave the contrast columns empty
    if (!reference) {
      diff = fmt::format("{:+.4f}", number(f[8]));
      interval = fmt::format("[{:+.3f}, {:+.3f}]  [{:+.3f}, {:+.3f}]", number(f[9]), number(f[10]), number(f[11]), number(f[12]));
      better = fmt::format("{:.3f}", number(f[14]));
      const double holm = number(f[16]);
      p = fmt::format("{}{}", holm < 0.001 ? "<0.001" : fmt::format("{:.3f}", holm), f[17] == "yes" ? " *" : "  ");
    }
    out += fmt::format("{:>4}  {:<{}}  {:>9}  {:>9}  {:>31}  {:>9}  {:>9}\n", f[3], f[0], width, fixed(number(f[5])),
                       reference ? "(ref)" : diff, interval, better, p);
  }
  return out;
}

std::string sensitivity_table(const std::filesystem::path& sensitivity_csv, std::uint64_t runs, std::uint64_t samples,
                              bool difference) {
  const auto rows = read_simple_csv(sensitivity_csv);
  if (rows.size() < 2) return "";
  const bool morris = rows[0].size() > 2 && rows[0][2] == "mu";
  std::size_t width = 5;
  for (std::size_t i = 1; i < rows.size(); ++i) width = std::max(width, rows[i][1].size());
  std::string out = morris ? fmt::format("Morris elementary effects over {} trajectories ({} runs){}; per unit of each input, "
                                         "mu*_unit per unit of its probability scale; sorted by mu*_unit\n",
                                         samples, runs, difference ? ", of the difference B - A" : "")
                           : fmt::format("Sobol' indices from {} base samples ({} runs){}; 95 % bootstrap intervals; sorted "
                                         "by total order; ! = unstable (N/2 and N disagree)\n",
                                         samples, runs, difference ? ", of the difference B - A" : "");
  for (std::size_t i = 1; i < rows.size();) {
    const std::string outcome = rows[i][0];
    std::vector<const std::vector<std::string>*> block;
    for (; i < rows.size() && rows[i][0] == outcome; ++i) block.push_back(&rows[i]);
    const std::size_t key = 5;  // ST (Sobol'), mu*_unit (Morris)
    std::stable_sort(block.begin(), block.end(), [&](const auto* a, const auto* b) {
      const double x = number((*a)[key]), y = number((*b)[key]);
      return (std::isnan(y) && !std::isnan(x)) || x > y;
    });
    if (morris) {
      out += fmt::format("\n{}\n{:<{}}  {:>10}  {:>10}  {:>10}  {:>10}\n", outcome, "input", width, "mu", "mu*", "sigma", "mu*_unit");
      for (const auto* r : block) {
        out += fmt::format("{:<{}}  {:>10}  {:>10}  {:>10}  {:>10}\n", (*r)[1], width, fixed(number((*r)[2])),
                           fixed(number((*r)[3])), fixed(number((*r)[4])), fixed(number((*r)[5])));
      }
      continue;
    }
    out += fmt::format("\n{}\n{:<{}}  {:>26}  {:>26}\n", outcome, "input", width, "first order S1", "total order ST");
    for (const auto* r : block) {
      const auto& f = *r;
      out += fmt::format("{:<{}}  {:>7} [{:>7}, {:>7}]  {:>7} [{:>7}, {:>7}]{}\n", f[1], width, fmt::format("{:.3f}", number(f[2])),
                         fmt::format("{:.3f}", number(f[3])), fmt::format("{:.3f}", number(f[4])), fmt::format("{:.3f}", number(f[5])),
                         fmt::format("{:.3f}", number(f[6])), fmt::format("{:.3f}", number(f[7])), f[10] == "yes" ? " !" : "");
    }
  }
  return out;
}

}  // namespace geosim::cli
