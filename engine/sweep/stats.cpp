#include "stats.h"

#include <algorithm>
#include <cmath>
#include <istream>
#include <ostream>

#include "geosim/error.h"

namespace geosim::sweep {

void write_u64(std::ostream& out, std::uint64_t value) { out.write(reinterpret_cast<const char*>(&value), sizeof value); }
void write_f64(std::ostream& out, double value) { out.write(reinterpret_cast<const char*>(&value), sizeof value); }

std::uint64_t read_u64(std::istream& in) {
  std::uint64_t value = 0;
  if (!in.read(reinterpret_cast<char*>(&value), sizeof value)) throw IoError("checkpoint is truncated");
  return value;
}

double read_f64(std::istream& in) {
  double value = 0;
  if (!in.read(reinterpret_cast<char*>(&value), sizeof value)) throw IoError("checkpoint is truncated");
  return value;
}

void RunningMoments::add(double value) {
  ++n_;
  const double delta = value - mean_;
  mean_ += delta / static_cast<double>(n_);
  m2_ += delta * (value - mean_);
}

double RunningMoments::sd() const {
  return n_ > 1 ? std::sqrt(std::max(0.0, m2_ / static_cast<double>(n_ - 1))) : 0.0;
}

void RunningMoments::save(std::ostream& out) const {
  write_u64(out, n_);
  write_f64(out, mean_);
  write_f64(out, m2_);
}

void RunningMoments::load(std::istream& in) {
  n_ = read_u64(in);
  mean_ = read_f64(in);
  m2_ = read_f64(in);
}

void QuantileSketch::add(double value) {
  ++n_;
  if (summary_.empty() && values_.size() < kExactLimit) {
    values_.push_back(value);
    return;
  }
  if (summary_.empty()) start_summary();
  pending_.push_back(value);
  if (pending_.size() >= kBatch) flush();
}

// Leaving the exact phase: every kept value becomes an exact tuple (g = 1, delta = 0).
void QuantileSketch::start_summary() {
  std::sort(values_.begin(), values_.end());
  for (double kept : values_) summary_.push_back({kept, 1, 0});
  values_.clear();
  values_.shrink_to_fit();
}

// Greenwald-Khanna insertion of the pending values in ascending order, in one merge: the i-th
// of them is inserted as the (n0 + i)-th value, with rank uncertainty floor(2 eps (n0 + i))
// unless it becomes the new minimum or maximum.
void QuantileSketch::flush() {
  std::sort(pending_.begin(), pending_.end());
  std::vector<Tuple> merged;
  merged.reserve(summary_.size() + pending_.size());
  auto next = summary_.begin();
  auto count = static_cast<double>(n_ - pending_.size());
  for (double value : pending_) {
    while (next != summary_.end() && next->value <= value) merged.push_back(*next++);
    count += 1;
    const bool at_edge = merged.empty() || next == summary_.end();
    merged.push_back({value, 1, at_edge ? 0 : static_cast<std::uint64_t>(std::floor(2 * kEpsilon * count))});
  }
  merged.insert(merged.end(), next, summary_.end());
  summary_.swap(merged);
  pending_.clear();
  compress();
}

// Merges neighbours whose combined rank uncertainty stays within 2 eps n; keeps min and max.
void QuantileSketch::compress() {
  const auto band = static_cast<std::uint64_t>(std::floor(2 * kEpsilon * static_cast<double>(n_)));
  for (std::size_t i = summary_.size() - 2; i >= 1 && i < summary_.size(); --i) {
    Tuple& following = summary_[i + 1];
    if (summary_[i].g + following.g + following.delta <= band) {
      following.g += summary_[i].g;
      summary_.erase(summary_.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
}

double QuantileSketch::exact_quantile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0.0;
  const double h = (static_cast<double>(sorted.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= sorted.size()) return sorted.back();
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[lo + 1] - sorted[lo]);
}

std::vector<double> QuantileSketch::quantiles(std::span<const double> ps) const {
  std::vector<double> out;
  out.reserve(ps.size());
  if (!summary_.empty()) {
    for (double p : ps) out.push_back(quantile(p));
    return out;
  }
  if (values_.empty()) {
    out.assign(ps.size(), 0.0);
    return out;
  }
  // Only the order statistics that type 7 reads, selected in ascending order of position, each
  // selection over what lies above the previous one: the values that a full sort would put at
  // those positions. Ties of -0 and +0 are ordered -0 first, so the positions' values, signs
  // included, depend on the values alone, never on their arrival order.
  const auto below = [](double a, double b) { return a < b || (a == b && std::signbit(a) && !std::signbit(b)); };
  const std::size_t size = values_.size();
  std::vector<std::size_t> positions;
  for (double p : ps) {
    const double h = (static_cast<double>(size) - 1) * p;
    const auto lo = std::min(static_cast<std::size_t>(std::floor(h)), size - 1);
    positions.push_back(lo);
    if (lo + 1 < size) positions.push_back(lo + 1);
  }
  std::sort(positions.begin(), positions.end());
  positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
  std::vector<double> selected = values_;
  auto from = selected.begin();
  for (std::size_t position : positions) {
    const auto at = selected.begin() + static_cast<std::ptrdiff_t>(position);
    if (at == from && at != selected.begin()) {
      // Right after the previous one: the least of what lies above it.
      std::iter_swap(at, std::min_element(at, selected.end(), below));
    } else {
      std::nth_element(from, at, selected.end(), below);
    }
    from = at + 1;
  }
  for (double p : ps) out.push_back(exact_quantile(selected, p));
  return out;
}

double QuantileSketch::quantile(double p) const {
  if (summary_.empty()) return quantiles(std::span<const double>(&p, 1)).front();
  if (!pending_.empty()) {
    QuantileSketch flushed = *this;
    flushed.flush();
    return flushed.summary_quantile(p);
  }
  return summary_quantile(p);
}

double QuantileSketch::summary_quantile(double p) const {
  const double n = static_cast<double>(n_);
  const double rank = std::clamp(std::ceil(p * n), 1.0, n);
  const double slack = kEpsilon * n;
  double rmin = 0;
  for (std::size_t i = 0; i < summary_.size(); ++i) {
    rmin += static_cast<double>(summary_[i].g);
    if (rmin + static_cast<double>(summary_[i].delta) > rank + slack) return summary_[i == 0 ? 0 : i - 1].value;
  }
  return summary_.back().value;
}

void QuantileSketch::save(std::ostream& out) const {
  write_u64(out, n_);
  write_u64(out, values_.size());
  for (double value : values_) write_f64(out, value);
  write_u64(out, pending_.size());
  for (double value : pending_) write_f64(out, value);
  write_u64(out, summary_.size());
  for (const Tuple& t : summary_) {
    write_f64(out, t.value);
    write_u64(out, t.g);
    write_u64(out, t.delta);
  }
}

void QuantileSketch::load(std::istream& in) {
  n_ = read_u64(in);
  values_.resize(read_u64(in));
  for (double& value : values_) value = read_f64(in);
  pending_.resize(read_u64(in));
  for (double& value : pending_) value = read_f64(in);
  summary_.resize(read_u64(in));
  for (Tuple& t : summary_) t = {read_f64(in), read_u64(in), read_u64(in)};
}

}  // namespace geosim::sweep
