// The report of an experiment folder: the ranking of the variants per outcome (contrasts.csv),
// one forest plot per outcome, and small multiples of each variant's paired difference from
// the baseline over time (diff_bands.csv).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "report.h"
#include "svg.h"

namespace geosim::report {
namespace {

using svg::escape;
constexpr std::size_t kMaxMetrics = 4;
constexpr std::string_view kGreen = "#009E73";

std::vector<std::string> outcomes_of(const Folder& folder) {
  std::vector<std::string> outcomes;
  for (const Contrast& c : folder.contrasts) {
    if (std::find(outcomes.begin(), outcomes.end(), c.outcome) == outcomes.end()) outcomes.push_back(c.outcome);
  }
  return outcomes;
}

std::string p_cell(const Contrast& c) {
  if (std::isnan(c.p_holm)) return "";
  const std::string p = c.p_holm < 0.001 ? std::string("&lt;0.001") : fmt::format("{:.3f}", c.p_holm);
  return c.significant ? fmt::format("<b>{}</b>", p) : p;
}

std::string ranking_table(const Folder& folder, const std::string& outcome) {
  std::vector<const Contrast*> rows;
  for (const Contrast& c : folder.contrasts) {
    if (c.outcome == outcome) rows.push_back(&c);
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Contrast* a, const Contrast* b) { return a->rank < b->rank; });
  std::string out = fmt::format("<table class=\"num\"><caption>{} ({} is better)</caption>"
                                "<tr><th>rank</th><th>variant</th><th>mean</th><th>diff</th><th>95 % CI</th>"
                                "<th>family-wise 95 % CI</th><th>P(better)</th><th>p (Holm)</th></tr>",
                                escape(outcome), rows.front()->higher_is_better ? "higher" : "lower");
  for (const Contrast* c : rows) {
    const bool base = c->variant == folder.variants.front().label;
    out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                       c->rank, escape(c->variant), cell(c->mean), base ? "(reference)" : cell(c->diff, "{:+.4f}"),
                       base ? "" : fmt::format("[{}, {}]", cell(c->low, "{:+.4f}"), cell(c->high, "{:+.4f}")),
                       base ? "" : fmt::format("[{}, {}]", cell(c->adj_low, "{:+.4f}"), cell(c->adj_high, "{:+.4f}")),
                       base ? "" : cell(c->p_better, "{:.3f}"), base ? "" : p_cell(*c));
  }
  return out + "</table>\n";
}

// Differences from the baseline with their intervals, one row per variant (file order).
std::string forest(const std::string& id, const Folder& folder, const std::string& outcome) {
  std::vector<const Contrast*> rows;
  for (const Contrast& c : folder.contrasts) {
    if (c.outcome == outcome && c.variant != folder.variants.front().label) rows.push_back(&c);
  }
  double lo = 0, hi = 0;
  std::size_t longest = 4;
  for (const Contrast* c : rows) {
    for (double v : {c->adj_low, c->adj_high, c->diff}) {
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
    longest = std::max(longest, c->variant.size());
  }
  const double pad = hi > lo ? 0.05 * (hi - lo) : 0.05;
  const auto n = static_cast<double>(rows.size());
  svg::Chart chart(id, outcome, {lo - pad, hi + pad}, {-0.7, n - 0.3}, 420, 60 + 24 * static_cast<int>(rows.size()));
  chart.set_left_margin(12 + 6.5 * static_cast<double>(longest));
  std::vector<svg::Tick> labels;
  for (std::size_t i = 0; i < rows.size(); ++i) labels.emplace_back(n - 1 - static_cast<double>(i), rows[i]->variant);
  chart.axis("difference from the baseline", "", {}, labels);
  chart.line({0, 0}, {-0.7, n - 0.3}, svg::kGrey, svg::Stroke::kThin);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const double y = n - 1 - static_cast<double>(i);
    const auto colour = rows[i]->significant ? svg::kBlue : svg::kGrey;
    chart.line({rows[i]->adj_low, rows[i]->adj_high}, {y, y}, colour, svg::Stroke::kThin);
    chart.line({rows[i]->low, rows[i]->high}, {y, y}, colour, svg::Stroke::kSolid);
    chart.line({rows[i]->diff, rows[i]->diff}, {y - 0.25, y + 0.25}, colour, svg::Stroke::kSolid);
  }
  return figure(chart.str(), fmt::format("{}: mean paired difference (tick), 95 % CI (thick), family-wise 95 % CI "
                                         "(thin); blue when significant after Holm's correction",
                                         escape(outcome)));
}

// The metrics named by the outcomes, each once, in order.
std::vector<std::string> outcome_metrics_of(const Folder& folder) {
  std::vector<std::string> metrics;
  for (const std::string& outcome : outcomes_of(folder)) {
    std::string metric = outcome.substr(outcome.find(':') + 1);
    metric = metric.substr(0, metric.find_first_of("<>"));
    if (std::find(metrics.begin(), metrics.end(), metric) == metrics.end() && metrics.size() < kMaxMetrics) {
      metrics.push_back(metric);
    }
  }
  return metrics;
}

// One panel per variant on a common y scale, so that the panels compare at a glance.
std::string small_multiples(const Folder& folder, const std::string& metric, std::size_t index) {
  std::vector<const Band*> bands;
  for (const auto& variant : folder.variants) {
    if (variant.diff.count(metric)) bands.push_back(&variant.diff.at(metric));
  }
  if (bands.empty()) return "";
  svg::Range range = value_range(bands);
  range.lo = std::min(range.lo, 0.0), range.hi = std::max(range.hi, 0.0);
  std::string out;
  for (std::size_t v = 0; v < folder.variants.size(); ++v) {
    const VariantData& variant = folder.variants[v];
    if (!variant.diff.count(metric)) continue;
    const Band& band = variant.diff.at(metric);
    const double last = band.tick.empty() ? 1 : band.tick.back();
    svg::Chart chart(fmt::format("fig-sm-{}-{}", index, v), variant.label, {0, last}, range, 300, 200);
    chart.axis(x_label(folder), fmt::format("{} - baseline", metric), quarter_ticks(folder.start, last));
    chart.rule(0, svg::kGrey);
    draw_band(chart, band, kGreen, false);
    out += figure(chart.str(), fmt::format("{}, {} minus the baseline", escape(metric), escape(variant.label)));
  }
  return out;
}

}  // namespace

std::string experiment_body(const Folder& folder) {
  if (folder.contrasts.empty()) return "";
  std::string tables, forests, multiples;
  const auto outcomes = outcomes_of(folder);
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    tables += ranking_table(folder, outcomes[i]);
    forests += forest(fmt::format("fig-forest-{}", i), folder, outcomes[i]);
  }
  std::string body = section("Ranking", "Variants against the baseline per outcome, paired over runs with common random "
                                        "numbers, from contrasts.csv. Intervals and p-values are corrected over the whole "
                                        "table: family-wise intervals by Bonferroni, p-values by Holm; bold: significant "
                                        "at family-wise 5 %. P(better): the share of runs where the variant does better "
                                        "(ties count half).",
                             tables, Layout::kPlain);
  body += section("Effects", "The difference from the baseline per outcome and variant.", forests);
  const auto metrics = outcome_metrics_of(folder);
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    body += section(fmt::format("Over time: {}", escape(metrics[i])),
                    "Per variant, the paired difference from the baseline at every recorded tick (each variant's "
                    "diff_bands.csv): median, 50 % band (shaded), 90 % band (thin lines); one scale for all panels.",
                    small_multiples(folder, metrics[i], i), Layout::kSmallGrid);
  }
  return body;
}

}  // namespace geosim::report
