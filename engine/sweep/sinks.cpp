#include "sinks.h"

#include <algorithm>
#include <fcntl.h>
#include <unistd.h>

#include <tbb/parallel_for.h>

#include <boost/math/distributions/students_t.hpp>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <istream>
#include <limits>
#include <ostream>

#include "geosim/io.h"
#include "tables.h"

namespace geosim::sweep {
namespace {

[[noreturn]] void io_fail(const std::filesystem::path& path, std::string_view what) {
  throw IoError(fmt::format("{}: error: cannot {}: {}", path.string(), what, std::strerror(errno)));
}

std::vector<std::vector<CellStats>> make_cells(std::size_t rows, std::size_t metrics) {
  return std::vector<std::vector<CellStats>>(rows, std::vector<CellStats>(metrics));
}

void save_cells(std::ostream& out, const std::vector<std::vector<CellStats>>& cells) {
  for (const auto& row : cells) {
    for (const CellStats& cell : row) {
      cell.moments.save(out);
      cell.quantiles.save(out);
    }
  }
}

void load_cells(std::istream& in, std::vector<std::vector<CellStats>>& cells) {
  for (auto& row : cells) {
    for (CellStats& cell : row) {
      cell.moments.load(in);
      cell.quantiles.load(in);
    }
  }
}

void add_to(std::vector<double>& sum, const std::vector<double>& values) {
  for (std::size_t i = 0; i < sum.size() && i < values.size(); ++i) sum[i] += values[i];
}

std::vector<double> divided(std::vector<double> sum, std::uint64_t n) {
  for (double& value : sum) value = n > 0 ? value / static_cast<double>(n) : std::nan("");
  return sum;
}

// Doubles travel through the checkpoint as their bits, so a resumed sum is exact.
void save_doubles(std::ostream& out, const std::vector<double>& values) {
  for (double value : values) write_u64(out, std::bit_cast<std::uint64_t>(value));
}

void load_doubles(std::istream& in, std::vector<double>& values) {
  for (double& value : values) value = std::bit_cast<double>(read_u64(in));
}

}  // namespace

VariantSink::VariantSink(const SweepPlan& plan, std::size_t v, const std::filesystem::path& dir)
    : plan_(plan), v_(v), dir_(dir), metrics_(metric_columns(plan.variants[v])), ticks_(recorded_ticks(plan)),
      cells_(make_cells(ticks_.size(), metrics_.size())) {
  const std::size_t n = plan.variants[v].spec.agents.size();
  initial_sum_.assign(n * n, 0.0);
  final_sum_.assign(n * n, 0.0);
  capability_sum_.assign(n, 0.0);
}

VariantSink::~VariantSink() {
  if (partial_ != nullptr) std::fclose(partial_);
}

void VariantSink::open(std::optional<std::uint64_t> resume_size) {
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  if (error) throw IoError(fmt::format("{}: error: cannot create folder: {}", dir_.string(), error.message()));
  const auto path = dir_ / "runs.csv.partial";
  if (resume_size) {
    // Rows past the checkpoint were written after it and will be computed again.
    if (::truncate(path.c_str(), static_cast<off_t>(*resume_size)) != 0) io_fail(path, "truncate");
    partial_ = std::fopen(path.c_str(), "ab");
  } else {
    partial_ = std::fopen(path.c_str(), "wb");
    if (partial_ != nullptr) std::fputs(runs_header(plan_, v_).c_str(), partial_);
  }
  if (partial_ == nullptr) io_fail(path, "write");
}

void VariantSink::commit(const std::string& row, const RunRecord& record) {
  if (std::fwrite(row.data(), 1, row.size(), partial_) != row.size()) io_fail(dir_ / "runs.csv.partial", "write");
  if (!record.ok) return;
  add_to(initial_sum_, record.initial_affinity);
  add_to(final_sum_, record.final_affinity);
  add_to(capability_sum_, record.final_capability);
  ++summed_;
}

std::uint64_t VariantSink::sync() {
  const auto path = dir_ / "runs.csv.partial";
  if (std::fflush(partial_) != 0 || ::fsync(::fileno(partial_)) != 0) io_fail(path, "write");
  return static_cast<std::uint64_t>(std::ftell(partial_));
}

// Each task takes one recorded tick and a block of metrics, and reads each run's row there once
// (a cell at a time would read every run's row once per metric). Each cell still sees the runs
// in run-id order.
void VariantSink::add_cells(const std::vector<const RunRecord*>& records) {
  constexpr std::size_t kMetricBlock = 16;
  const std::size_t metrics = metrics_.size();
  const std::size_t blocks = (metrics + kMetricBlock - 1) / kMetricBlock;
  tbb::parallel_for(std::size_t{0}, ticks_.size() * blocks, [&](std::size_t task) {
    const std::size_t r = task / blocks, first = task % blocks * kMetricBlock;
    const std::size_t last = std::min(first + kMetricBlock, metrics);
    for (const RunRecord* record : records) {
      if (!record->ok || r >= record->series.rows.size()) continue;
      const std::vector<double>& row = record->series.rows[r];
      for (std::size_t m = first; m < last; ++m) cells_[r][m].add(row[m + 1]);
    }
  });
}

void VariantSink::finish() {
  sync();
  std::fclose(partial_);
  partial_ = nullptr;
  write_file_atomically(dir_ / "bands.csv", bands_csv(ticks_, metrics_, cells_));
  const ScenarioSpec& spec = plan_.variants[v_].spec;
  write_file_atomically(dir_ / "affinity.csv",
                        affinity_csv(spec, divided(initial_sum_, summed_), divided(final_sum_, summed_)));
  write_file_atomically(dir_ / "capability.csv", capability_csv(spec, divided(capability_sum_, summed_)));
  std::error_code error;
  std::filesystem::rename(dir_ / "runs.csv.partial", runs_path(), error);
  if (error) throw IoError(fmt::format("{}: error: cannot rename: {}", runs_path().string(), error.message()));
}

void VariantSink::save(std::ostream& out) const {
  save_cells(out, cells_);
  write_u64(out, summed_);
  for (const auto* sum : {&initial_sum_, &final_sum_, &capability_sum_}) save_doubles(out, *sum);
}

void VariantSink::load(std::istream& in) {
  load_cells(in, cells_);
  summed_ = read_u64(in);
  for (auto* sum : {&initial_sum_, &final_sum_, &capability_sum_}) load_doubles(in, *sum);
}

CompareSink::CompareSink(const VariantSink& a, const VariantSink& b) : ticks_(a.ticks()) {
  for (std::size_t i = 0; i < a.metrics().size(); ++i) {
    for (std::size_t j = 0; j < b.metrics().size(); ++j) {
      if (a.metrics()[i] != b.metrics()[j]) continue;
      shared_.emplace_back(i, j);
      names_.push_back(a.metrics()[i]);
    }
  }
  for (const char* prefix : {"final:", "late:"}) {
    for (const auto& name : names_) paired_.push_back({prefix + name, {}, {}, {}, 0});
  }
  diff_cells_ = make_cells(ticks_.size(), names_.size());
}

void CompareSink::commit(const std::vector<const RunRecord*>& a, const std::vector<const RunRecord*>& b) {
  const std::size_t shared = shared_.size();
  tbb::parallel_for(std::size_t{0}, 2 * shared, [&](std::size_t column) {
    const std::size_t half = column / shared, s = column % shared;
    Paired& paired = paired_[column];
    for (std::size_t run = 0; run < a.size(); ++run) {
      if (!a[run]->ok || !b[run]->ok) continue;
      const double va = a[run]->summary[half * (a[run]->summary.size() / 2) + shared_[s].first];
      const double vb = b[run]->summary[half * (b[run]->summary.size() / 2) + shared_[s].second];
      paired.a.add(va);
      paired.b.add(vb);
      paired.diff.add(vb - va);
      paired.greater += vb > va ? 1 : 0;
    }
  });
  tbb::parallel_for(std::size_t{0}, ticks_.size() * shared, [&](std::size_t cell) {
    const std::size_t r = cell / shared, s = cell % shared;
    for (std::size_t run = 0; run < a.size(); ++run) {
      if (!a[run]->ok || !b[run]->ok || r >= a[run]->series.rows.size() || r >= b[run]->series.rows.size()) continue;
      diff_cells_[r][s].add(b[run]->series.rows[r][shared_[s].second + 1] - a[run]->series.rows[r][shared_[s].first + 1]);
    }
  });
}

double paired_half_width(const RunningMoments& diff) {
  if (diff.count() < 2) return std::numeric_limits<double>::quiet_NaN();
  const boost::math::students_t t(static_cast<double>(diff.count() - 1));
  return boost::math::quantile(t, 0.975) * diff.sd() / std::sqrt(static_cast<double>(diff.count()));
}

double effect_size(const RunningMoments& diff) {
  if (diff.sd() > 0) return diff.mean() / diff.sd();
  if (diff.mean() == 0) return 0.0;
  return diff.mean() > 0 ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
}

std::string CompareSink::compare_csv() const {
  fmt::memory_buffer out;
  fmt::format_to(std::back_inserter(out), "metric,n,mean_a,mean_b,mean_diff,ci_low,ci_high,d_z,p_b_greater\n");
  for (const Paired& p : paired_) {
    const double half = paired_half_width(p.diff);
    const double n = static_cast<double>(p.diff.count());
    fmt::format_to(std::back_inserter(out), "{},{},{},{},{},{},{},{},{}\n", p.column, p.diff.count(), p.a.mean(),
                   p.b.mean(), p.diff.mean(), p.diff.mean() - half, p.diff.mean() + half, effect_size(p.diff),
                   n > 0 ? static_cast<double>(p.greater) / n : 0.0);
  }
  return fmt::to_string(out);
}

std::string CompareSink::diff_bands_csv() const { return bands_csv(ticks_, names_, diff_cells_); }

void CompareSink::save(std::ostream& out) const {
  for (const Paired& p : paired_) {
    p.a.save(out);
    p.b.save(out);
    p.diff.save(out);
    write_u64(out, p.greater);
  }
  save_cells(out, diff_cells_);
}

void CompareSink::load(std::istream& in) {
  for (Paired& p : paired_) {
    p.a.load(in);
    p.b.load(in);
    p.diff.load(in);
    p.greater = read_u64(in);
  }
  load_cells(in, diff_cells_);
}

}  // namespace geosim::sweep
