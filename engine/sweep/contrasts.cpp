#include "contrasts.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <numeric>

namespace geosim::sweep {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kFamilyAlpha = 0.05;

void save_cell(std::ostream& out, const ContrastSink::Cell& cell) {
  cell.base.save(out);
  cell.value.save(out);
  cell.diff.save(out);
  write_u64(out, cell.better);
  write_u64(out, cell.ties);
}

void load_cell(std::istream& in, ContrastSink::Cell& cell) {
  cell.base.load(in);
  cell.value.load(in);
  cell.diff.load(in);
  cell.better = read_u64(in);
  cell.ties = read_u64(in);
}

// The half-width of a two-sided interval of level 1 - alpha for the mean difference.
double half_width(const RunningMoments& diff, double alpha) {
  if (diff.count() < 2) return kNaN;
  const boost::math::students_t t(static_cast<double>(diff.count() - 1));
  return boost::math::quantile(t, 1 - alpha / 2) * diff.sd() / std::sqrt(static_cast<double>(diff.count()));
}

double effect(const RunningMoments& diff) {
  if (diff.count() == 0) return kNaN;
  if (diff.sd() > 0) return diff.mean() / diff.sd();
  if (diff.mean() == 0) return 0.0;
  return diff.mean() > 0 ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
}

}  // namespace

ContrastSink::ContrastSink(const SweepPlan& plan)
    : plan_(plan), cells_(plan.variants.size(), std::vector<Cell>(plan.outcomes.size())) {}

void ContrastSink::commit(const std::vector<std::vector<const RunRecord*>>& records) {
  const std::size_t outcomes = plan_.outcomes.size();
  tbb::parallel_for(std::size_t{0}, cells_.size() * outcomes, [&](std::size_t index) {
    const std::size_t v = index / outcomes, o = index % outcomes;
    const bool higher = plan_.outcomes[o].higher_is_better;
    Cell& cell = cells_[v][o];
    for (std::size_t run = 0; run < records[0].size(); ++run) {
      const RunRecord& base = *records[0][run];
      const RunRecord& variant = *records[v][run];
      if (!base.ok || !variant.ok) continue;
      const double a = base.outcomes[o], b = variant.outcomes[o];
      cell.base.add(a);
      cell.value.add(b);
      if (v == 0) continue;
      cell.diff.add(b - a);
      cell.better += (higher ? b > a : b < a) ? 1 : 0;
      cell.ties += b == a ? 1 : 0;
    }
  });
}

std::string ContrastSink::contrasts_csv() const {
  const std::size_t outcomes = plan_.outcomes.size();
  // The family: every variant-against-baseline contrast with a p-value.
  std::vector<double> p;
  for (std::size_t v = 1; v < cells_.size(); ++v) {
    for (std::size_t o = 0; o < outcomes; ++o) p.push_back(paired_p_value(cells_[v][o].diff));
  }
  const std::vector<double> holm = holm_adjust(p);
  const auto family = static_cast<double>(std::count_if(p.begin(), p.end(), [](double x) { return !std::isnan(x); }));
  fmt::memory_buffer out;
  fmt::format_to(std::back_inserter(out),
                 "variant,outcome,better,rank,n,mean,sd,baseline_mean,diff,ci_low,ci_high,ci_adj_low,ci_adj_high,"
                 "d_z,p_better,p_value,p_holm,significant\n");
  for (std::size_t o = 0; o < outcomes; ++o) {
    const Outcome& outcome = plan_.outcomes[o];
    std::vector<double> means;
    for (const auto& cells : cells_) means.push_back(cells[o].value.count() ? cells[o].value.mean() : kNaN);
    const std::vector<int> ranks = competition_ranks(means, outcome.higher_is_better);
    for (std::size_t v = 0; v < cells_.size(); ++v) {
      const Cell& cell = cells_[v][o];
      fmt::format_to(std::back_inserter(out), "{},{},{},{},{},{},{},{}", plan_.variants[v].name, outcome.label(),
                     outcome.higher_is_better ? "higher" : "lower", ranks[v], cell.value.count(), means[v],
                     cell.value.sd(), cell.base.count() ? cell.base.mean() : kNaN);
      if (v == 0) {
        fmt::format_to(std::back_inserter(out), ",0,,,,,,,,,\n");
        continue;
      }
      const std::size_t index = (v - 1) * outcomes + o;
      const double mean = cell.diff.mean();
      const double half = half_width(cell.diff, kFamilyAlpha);
      const double adjusted = family > 0 ? half_width(cell.diff, kFamilyAlpha / family) : kNaN;
      const double n = static_cast<double>(cell.diff.count());
      const double p_better = n > 0 ? (static_cast<double>(cell.better) + 0.5 * static_cast<double>(cell.ties)) / n : kNaN;
      fmt::format_to(std::back_inserter(out), ",{},{},{},{},{},{},{},{},{},{}\n", mean, mean - half, mean + half,
                     mean - adjusted, mean + adjusted, effect(cell.diff), p_better, p[index], holm[index],
                     std::isnan(holm[index]) ? "" : (holm[index] < kFamilyAlpha ? "yes" : "no"));
    }
  }
  return fmt::to_string(out);
}

void ContrastSink::save(std::ostream& out) const {
  for (const auto& cells : cells_) {
    for (const Cell& cell : cells) save_cell(out, cell);
  }
}

void ContrastSink::load(std::istream& in) {
  for (auto& cells : cells_) {
    for (Cell& cell : cells) load_cell(in, cell);
  }
}

double paired_p_value(const RunningMoments& diff) {
  if (diff.count() < 2) return kNaN;
  if (diff.sd() == 0) return diff.mean() == 0 ? 1.0 : 0.0;
  const double t = diff.mean() / (diff.sd() / std::sqrt(static_cast<double>(diff.count())));
  const boost::math::students_t distribution(static_cast<double>(diff.count() - 1));
  return 2 * boost::math::cdf(boost::math::complement(distribution, std::fabs(t)));
}

std::vector<double> holm_adjust(const std::vector<double>& p) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (!std::isnan(p[i])) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  std::vector<double> adjusted(p.size(), kNaN);
  const std::size_t m = order.size();
  double running = 0;
  for (std::size_t k = 0; k < m; ++k) {
    running = std::max(running, std::min(1.0, static_cast<double>(m - k) * p[order[k]]));
    adjusted[order[k]] = running;
  }
  return adjusted;
}

std::vector<int> competition_ranks(const std::vector<double>& values, bool higher_is_better) {
  auto better = [&](double a, double b) {
    if (std::isnan(b)) return !std::isnan(a);
    if (std::isnan(a)) return false;
    return higher_is_better ? a > b : a < b;
  };
  std::vector<int> ranks(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    ranks[i] = 1 + static_cast<int>(std::count_if(values.begin(), values.end(), [&](double other) { return better(other, values[i]); }));
  }
  return ranks;
}

}  // namespace geosim::sweep
