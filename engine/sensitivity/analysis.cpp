// From a completed sensitivity sweep to its indices: the outcomes of every run are read back
// from runs.csv (in run-id order), averaged over replicates per design point, differenced for
// a comparison, and handed to the estimators of saltelli.h and morris.h.
#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <limits>

#include "geosim/io.h"
#include "geosim/sensitivity.h"
#include "sensitivity/morris.h"
#include "sensitivity/saltelli.h"

namespace geosim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
namespace fs = std::filesystem;

std::size_t column(const std::vector<std::string>& header, const std::string& name, const fs::path& file) {
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (header[c] == name) return c;
  }
  throw IoError(fmt::format("{}: error: no column '{}'", file.string(), name));
}

// Per outcome, per design point: the mean of the outcome over the point's replicates.
std::vector<std::vector<double>> point_outputs(const SweepPlan& plan, const fs::path& runs_csv) {
  std::ifstream in(runs_csv, std::ios::binary);
  std::vector<std::string> header, fields;
  if (!in || !read_csv_record(in, header)) throw IoError(fmt::format("cannot read '{}'", runs_csv.string()));
  const std::size_t status = column(header, "status", runs_csv);
  std::vector<std::size_t> columns;
  for (const Outcome& outcome : plan.outcomes) columns.push_back(column(header, "outcome:" + outcome.label(), runs_csv));
  const std::uint64_t points = plan.sampler->points(), replicates = plan.design.replicates;
  std::vector<std::vector<double>> sums(plan.outcomes.size(), std::vector<double>(points, 0.0));
  std::uint64_t run = 0;
  for (; read_csv_record(in, fields) && run < points * replicates; ++run) {
    const std::uint64_t point = run / replicates;
    for (std::size_t o = 0; o < columns.size(); ++o) {
      const bool ok = fields.size() > columns[o] && fields[status] == "ok" && !fields[columns[o]].empty();
      sums[o][point] += ok ? std::stod(fields[columns[o]]) : kNaN;  // NaN poisons the point
    }
  }
  if (run != points * replicates) throw IoError(fmt::format("'{}' has {} runs, expected {}", runs_csv.string(), run, points * replicates));
  for (auto& outcome : sums) {
    for (double& value : outcome) value /= static_cast<double>(replicates);
  }
  return sums;
}

std::vector<std::string> input_names(const SweepPlan& plan) {
  std::vector<std::string> names;
  for (const UncertainInput& input : plan.inputs) names.push_back(input.path);
  return names;
}

void add_sobol(SensitivityResult& result, const SweepPlan& plan, const std::string& outcome, const std::vector<double>& y,
               const SensitivityOptions& options) {
  sensitivity::SobolOptions sobol;
  sobol.resamples = options.resamples;
  sobol.seed = plan.design.seed;
  sobol.names = input_names(plan);
  const sensitivity::SobolIndices indices = sensitivity::sobol_indices(*plan.sampler->saltelli(), y, sobol);
  for (const auto& in : indices.inputs) {
    SensitivityRow row;
    row.outcome = outcome;
    row.input = in.name;
    row.s1 = in.first.value, row.s1_low = in.first.low, row.s1_high = in.first.high;
    row.st = in.total.value, row.st_low = in.total.low, row.st_high = in.total.high;
    row.s1_half = in.first_half, row.st_half = in.total_half, row.unstable = in.unstable;
    row.used = indices.used, row.dropped = indices.dropped;
    result.rows.push_back(row);
  }
  for (const auto& pair : indices.pairs) {
    result.pairs.push_back({outcome, sobol.names[pair.i], sobol.names[pair.j], pair.value.value, pair.value.low, pair.value.high});
  }
}

// Morris: effects per unit of each input (the change of the output over the change of the
// input between consecutive points of a trajectory, exact for any distribution), and mu* per
// unit of the input's probability scale from the estimator of morris.h.
void add_morris(SensitivityResult& result, const SweepPlan& plan, const std::string& outcome, const std::vector<double>& y) {
  const sensitivity::MorrisDesign& design = *plan.sampler->morris();
  const std::size_t k = design.inputs();
  const auto unit = sensitivity::morris_indices(design, y);
  std::vector<std::vector<double>> effects(k);
  for (std::uint64_t t = 0; t < design.trajectories(); ++t) {
    const std::uint64_t first = t * design.block();
    const auto order = design.trajectory(t).order;
    std::vector<double> before = plan.sampler->values(first);
    for (std::size_t step = 1; step <= k; ++step) {
      const std::vector<double> after = plan.sampler->values(first + step);
      const std::size_t input = order[step - 1];
      const double dx = after[input] - before[input];
      const double dy = y[first + step] - y[first + step - 1];
      if (std::isfinite(dy) && dx != 0) effects[input].push_back(dy / dx);
      before = after;
    }
  }
  const auto names = input_names(plan);
  for (std::size_t i = 0; i < k; ++i) {
    SensitivityRow row;
    row.outcome = outcome;
    row.input = names[i];
    double sum = 0, sum_abs = 0;
    for (double e : effects[i]) sum += e, sum_abs += std::fabs(e);
    const auto n = static_cast<double>(effects[i].size());
    row.mu = n > 0 ? sum / n : kNaN;
    row.mu_star = n > 0 ? sum_abs / n : kNaN;
    double squares = 0;
    for (double e : effects[i]) squares += (e - row.mu) * (e - row.mu);
    row.sigma = n > 1 ? std::sqrt(squares / (n - 1)) : kNaN;
    row.mu_star_unit = unit[i].mu_star;
    row.used = effects[i].size();
    result.rows.push_back(row);
  }
}

}  // namespace

SensitivityResult sensitivity_indices(const SweepPlan& plan, const fs::path& dir, const SensitivityOptions& options) {
  const Design& design = *plan.sampler;
  if (!design.saltelli() && !design.morris()) throw Error("sensitivity indices need a saltelli or morris design");
  std::vector<std::vector<double>> y = point_outputs(plan, dir / plan.variants[0].name / "runs.csv");
  if (plan.variants.size() == 2) {
    const auto b = point_outputs(plan, dir / plan.variants[1].name / "runs.csv");
    for (std::size_t o = 0; o < y.size(); ++o) {
      for (std::size_t p = 0; p < y[o].size(); ++p) y[o][p] = b[o][p] - y[o][p];
    }
  }
  SensitivityResult result;
  result.morris = design.morris() != nullptr;
  for (std::size_t o = 0; o < plan.outcomes.size(); ++o) {
    if (result.morris) {
      add_morris(result, plan, plan.outcomes[o].label(), y[o]);
    } else {
      add_sobol(result, plan, plan.outcomes[o].label(), y[o], options);
    }
  }
  return result;
}

void write_sensitivity(const SensitivityResult& result, const fs::path& dir) {
  fmt::memory_buffer out;
  if (result.morris) {
    fmt::format_to(std::back_inserter(out), "outcome,input,mu,mu_star,sigma,mu_star_unit,effects\n");
    for (const auto& r : result.rows) {
      fmt::format_to(std::back_inserter(out), "{},{},{},{},{},{},{}\n", r.outcome, r.input, r.mu, r.mu_star, r.sigma,
                     r.mu_star_unit, r.used);
    }
  } else {
    fmt::format_to(std::back_inserter(out), "outcome,input,S1,S1_low,S1_high,ST,ST_low,ST_high,S1_half,ST_half,unstable,n,dropped\n");
    for (const auto& r : result.rows) {
      fmt::format_to(std::back_inserter(out), "{},{},{},{},{},{},{},{},{},{},{},{},{}\n", r.outcome, r.input, r.s1, r.s1_low,
                     r.s1_high, r.st, r.st_low, r.st_high, r.s1_half, r.st_half, r.unstable ? "yes" : "no", r.used, r.dropped);
    }
  }
  write_file_atomically(dir / "sensitivity.csv", fmt::to_string(out));
  if (result.pairs.empty()) return;
  fmt::memory_buffer pairs;
  fmt::format_to(std::back_inserter(pairs), "outcome,input_i,input_j,S2,S2_low,S2_high\n");
  for (const auto& p : result.pairs) {
    fmt::format_to(std::back_inserter(pairs), "{},{},{},{},{},{}\n", p.outcome, p.input_i, p.input_j, p.value, p.low, p.high);
  }
  write_file_atomically(dir / "sensitivity_pairs.csv", fmt::to_string(pairs));
}

}  // namespace geosim
