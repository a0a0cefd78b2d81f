// report.html: the figures of README "Reports", assembled from the folder's files (report.h)
// with the plotting primitives of svg.h. XHTML-compatible markup, so strict XML parsers read it.
#include <Eigen/Dense>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <numeric>
#include <set>

#include "geosim/io.h"
#include "geosim/report.h"
#include "clock.h"
#include "report.h"
#include "svg.h"

namespace geosim {
namespace report {
namespace {

using svg::escape;
using svg::number;
constexpr std::size_t kMaxPanels = 12;
constexpr double kEdgeThreshold = 0.2;

std::string_view colour_of(const VariantData& variant) { return variant.label == "B" ? svg::kVermillion : svg::kBlue; }

std::string display(const VariantData& variant) { return variant.label.empty() ? "runs" : variant.label; }

// Cooperation, balance, then the tracked dyads (each unordered pair once): affinity and coop.
std::vector<std::string> headline_metrics(const VariantData& variant) {
  std::vector<std::string> chosen;
  for (const char* name : {"cooperation", "balance"}) {
    if (variant.bands.count(name)) chosen.emplace_back(name);
  }
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& metric : variant.metrics) {
    if (metric.rfind("affinity:", 0) != 0 || chosen.size() + 2 > kMaxPanels) continue;
    const std::string dyad = metric.substr(9);
    const std::size_t colon = dyad.find(':');
    const auto a = dyad.substr(0, colon), b = dyad.substr(colon + 1);
    if (!seen.insert(std::minmax(a, b)).second) continue;
    chosen.push_back(metric);
    if (variant.bands.count(fmt::format("coop:{}", dyad))) chosen.push_back(fmt::format("coop:{}", dyad));
  }
  return chosen;
}

std::vector<std::string> outcome_metrics(const VariantData& variant) {
  std::vector<std::string> chosen;
  for (const auto& metric : variant.metrics) {
    if (metric.rfind("outcome:", 0) == 0 && chosen.size() < kMaxPanels) chosen.push_back(metric);
  }
  return chosen;
}

std::string unit_of(const std::string& metric) {
  if (metric == "cooperation" || metric.rfind("coop:", 0) == 0) return "net cooperation (-1 to 1)";
  if (metric == "balance") return "balanced triad share (-1 to 1)";
  if (metric.rfind("affinity:", 0) == 0) return "mean affinity (-1 to 1)";
  if (metric.rfind("outcome:", 0) == 0) return "position (0 to 1)";
  return "value";
}

std::string fan_chart(const Folder& folder, const std::string& id, const std::string& metric) {
  std::vector<const Band*> bands;
  std::vector<std::pair<std::string, std::string_view>> legend;
  for (const auto& variant : folder.variants) {
    if (!variant.bands.count(metric)) continue;
    bands.push_back(&variant.bands.at(metric));
    legend.emplace_back(display(variant), colour_of(variant));
  }
  if (bands.empty()) return "";
  const double last = bands.front()->tick.empty() ? 1 : bands.front()->tick.back();
  svg::Chart chart(id, metric, {0, last}, value_range(bands));
  chart.axis(x_label(folder), unit_of(metric), quarter_ticks(folder.start, last));
  for (std::size_t v = 0; v < bands.size(); ++v) draw_band(chart, *bands[v], legend[v].second, v == 1);
  if (folder.variants.size() > 1) chart.legend(legend);
  return figure(chart.str(), fmt::format("{}: median, 50 % band (shaded) and 90 % band (thin lines)", escape(metric)));
}

std::string diff_chart(const Folder& folder, const std::string& id, const std::string& metric) {
  if (!folder.diff.count(metric)) return "";
  const Band& band = folder.diff.at(metric);
  svg::Range range = value_range({&band});
  range.lo = std::min(range.lo, 0.0), range.hi = std::max(range.hi, 0.0);
  const double last = band.tick.empty() ? 1 : band.tick.back();
  svg::Chart chart(id, fmt::format("B - A: {}", metric), {0, last}, range);
  chart.axis(x_label(folder), "difference B - A", quarter_ticks(folder.start, last));
  chart.rule(0, svg::kGrey);
  draw_band(chart, band, "#009E73", false);
  return figure(chart.str(), fmt::format("paired difference B - A of {}: median, 50 % band (shaded), 90 % band (thin lines); zero line", escape(metric)));
}

// Agents by camp: the sign of the leading eigenvector of the symmetric mean affinity (positive
// camp first), then by the entry, so that each camp's core sits at its outer edge.
std::vector<std::size_t> camp_order(const VariantData& variant) {
  const std::size_t n = variant.agents.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (variant.end.size() != n * n || n == 0) return order;
  Eigen::MatrixXd bar(n, n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) bar(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = (variant.end[i * n + j] + variant.end[j * n + i]) / 2;
  }
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(bar);
  Eigen::VectorXd leading = solver.eigenvectors().col(static_cast<Eigen::Index>(n) - 1);
  if (leading(0) < 0) leading = -leading;  // orient: the first agent's camp is listed first
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return leading(static_cast<Eigen::Index>(a)) > leading(static_cast<Eigen::Index>(b));
  });
  return order;
}

std::vector<double> permuted(const std::vector<double>& matrix, const std::vector<std::size_t>& order) {
  const std::size_t n = order.size();
  std::vector<double> out(n * n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) out[i * n + j] = matrix.size() == n * n ? matrix[order[i] * n + order[j]] : NAN;
  }
  return out;
}

template <typename T>
std::vector<T> picked(const std::vector<T>& values, const std::vector<std::size_t>& order) {
  std::vector<T> out;
  for (std::size_t i : order) out.push_back(i < values.size() ? values[i] : T{});
  return out;
}

std::string suffix(const VariantData& variant) {
  return variant.label.empty() ? std::string() : fmt::format("-{}", static_cast<char>(std::tolower(variant.label[0])));
}

std::string heatmaps(const Folder& folder, const std::vector<std::size_t>& order) {
  std::string out;
  for (const auto& variant : folder.variants) {
    if (variant.agents.size() != order.size()) continue;
    const auto labels = picked(variant.agents, order);
    const std::string who = variant.label.empty() ? std::string() : fmt::format("{}, ", variant.label);
    out += figure(svg::heatmap(fmt::format("fig-heat{}-start", suffix(variant)), fmt::format("{}start (tick 0)", who), labels, permuted(variant.start, order)),
                  "affinity A<sub>ij</sub> (row i toward column j), mean over runs");
    out += figure(svg::heatmap(fmt::format("fig-heat{}-end", suffix(variant)), fmt::format("{}end (last tick)", who), labels, permuted(variant.end, order)),
                  "affinity at the end; agents ordered by camp");
  }
  return out;
}

std::string networks(const Folder& folder, const std::vector<std::size_t>& order) {
  std::string out;
  for (const auto& variant : folder.variants) {
    if (variant.agents.size() != order.size()) continue;
    const std::string title = variant.label.empty() ? std::string("blocs at the end") : fmt::format("{}: blocs at the end", variant.label);
    out += figure(svg::network(fmt::format("fig-net{}", suffix(variant)), title, picked(variant.agents, order),
                               picked(variant.capability, order), permuted(variant.end, order), kEdgeThreshold),
                  fmt::format("node area: mean final capability share; edges: |mean affinity| &gt; {} "
                              "(solid blue positive, dashed red negative, width by strength)", kEdgeThreshold));
  }
  return out;
}

std::string compare_table(const Folder& folder, const std::vector<std::string>& metrics) {
  std::vector<const Paired*> rows;
  for (const auto& p : folder.compare) {
    if (std::find(metrics.begin(), metrics.end(), p.metric.substr(p.metric.find(':') + 1)) != metrics.end() &&
        p.metric.rfind("late:", 0) == 0) {
      rows.push_back(&p);
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Paired* a, const Paired* b) { return std::abs(a->d_z) > std::abs(b->d_z); });
  std::string out = "<table class=\"num\"><thead><tr><th>metric (last-quarter mean)</th><th>n</th><th>A</th><th>B</th>"
                    "<th>B - A</th><th>95 % CI</th><th>d<sub>z</sub></th><th>P(B &gt; A)</th></tr></thead><tbody>\n";
  for (const Paired* p : rows) {
    out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>[{}, {}]</td><td>{}</td><td>{}</td></tr>\n",
                       escape(p->metric.substr(5)), cell(p->n, "{:.0f}"), cell(p->mean_a), cell(p->mean_b),
                       cell(p->diff, "{:+.4f}"), cell(p->low), cell(p->high), cell(p->d_z, "{:.2f}"), cell(p->p_greater, "{:.3f}"));
  }
  return out + "</tbody></table>\n";
}

std::string final_table(const VariantData& variant, const std::vector<std::string>& metrics) {
  std::string out = "<table class=\"num\"><thead><tr><th>metric (last tick)</th><th>5 %</th><th>25 %</th><th>median</th>"
                    "<th>75 %</th><th>95 %</th></tr></thead><tbody>\n";
  for (const auto& metric : metrics) {
    if (!variant.bands.count(metric) || variant.bands.at(metric).tick.empty()) continue;
    const Band& b = variant.bands.at(metric);
    out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", escape(metric),
                       cell(b.q05.back()), cell(b.q25.back()), cell(b.q50.back()), cell(b.q75.back()), cell(b.q95.back()));
  }
  return out + "</tbody></table>\n";
}

std::string histogram_figures(const Folder& folder, const std::vector<Histogram>& hists) {
  std::string out;
  for (std::size_t k = 0; k < hists.size(); ++k) {
    const Histogram& h = hists[k];
    if (!std::isfinite(h.lo)) continue;
    const double hi = h.hi > h.lo ? h.hi : h.lo + 1, width = (hi - h.lo) / kBins;
    std::vector<double> edges;
    for (std::size_t b = 0; b <= kBins; ++b) edges.push_back(h.lo + width * static_cast<double>(b));
    double top = 1;
    for (const auto& counts : h.counts) top = std::max(top, *std::max_element(counts.begin(), counts.end()));
    svg::Chart chart(fmt::format("fig-hist-{}", k), h.column, {h.lo, hi}, {0, top * 1.08});
    chart.axis(unit_of(h.column.substr(5)), "runs");
    std::vector<std::pair<std::string, std::string_view>> legend;
    for (std::size_t v = 0; v < h.counts.size(); ++v) {
      chart.histogram(edges, h.counts[v], colour_of(folder.variants[v]), v, h.counts.size());
      legend.emplace_back(display(folder.variants[v]), colour_of(folder.variants[v]));
    }
    if (h.counts.size() > 1) chart.legend(legend);
    out += figure(chart.str(), fmt::format("distribution over runs of {} ({} bins)", escape(h.column), kBins));
  }
  return out;
}

// The input with the largest |Spearman rho| with the outcome (over variant A's sample).
std::string scatter_figure(const Folder& folder, const Sample& sample, const std::string& outcome, std::string& ranking) {
  const auto& rows = sample.values.front();
  if (sample.inputs.empty() || rows.size() < 3) return "";
  std::vector<std::pair<double, std::size_t>> rho;
  const std::size_t out_col = sample.inputs.size();
  for (std::size_t k = 0; k < sample.inputs.size(); ++k) {
    std::vector<double> x, y;
    for (const auto& row : rows) x.push_back(row[k]), y.push_back(row[out_col]);
    const double r = spearman(x, y);
    if (std::isfinite(r)) rho.emplace_back(r, k);
  }
  if (rho.empty()) return "";
  std::stable_sort(rho.begin(), rho.end(), [](auto a, auto b) { return std::abs(a.first) > std::abs(b.first); });
  ranking = fmt::format("<table class=\"num\"><thead><tr><th>input</th><th>Spearman &#961; with {}</th></tr></thead><tbody>", escape(outcome));
  for (std::size_t i = 0; i < rho.size() && i < 8; ++i) {
    ranking += fmt::format("<tr><td>{}</td><td>{:+.3f}</td></tr>", escape(sample.inputs[rho[i].second]), rho[i].first);
  }
  ranking += "</tbody></table>\n";
  const std::size_t k = rho.front().second;
  constexpr std::size_t kPoints = 2000;
  svg::Range xr{INFINITY, -INFINITY}, yr{INFINITY, -INFINITY};
  for (const auto& variant_rows : sample.values) {
    for (std::size_t i = 0; i < variant_rows.size() && i < kPoints; ++i) {
      xr.lo = std::min(xr.lo, variant_rows[i][k]), xr.hi = std::max(xr.hi, variant_rows[i][k]);
      yr.lo = std::min(yr.lo, variant_rows[i][out_col]), yr.hi = std::max(yr.hi, variant_rows[i][out_col]);
    }
  }
  svg::Chart chart("fig-scatter", fmt::format("{} against {}", outcome, sample.inputs[k]), xr, yr, 520, 300);
  chart.axis(sample.inputs[k], unit_of(outcome.substr(5)));
  std::vector<std::pair<std::string, std::string_view>> legend;
  for (std::size_t v = 0; v < sample.values.size(); ++v) {
    std::vector<double> x, y;
    for (std::size_t i = 0; i < sample.values[v].size() && i < kPoints; ++i) {
      x.push_back(sample.values[v][i][k]), y.push_back(sample.values[v][i][out_col]);
    }
    chart.scatter(x, y, colour_of(folder.variants[v]));
    legend.emplace_back(display(folder.variants[v]), colour_of(folder.variants[v]));
  }
  if (sample.values.size() > 1) chart.legend(legend);
  return figure(chart.str(), fmt::format("the first {} successful runs; Spearman &#961; = {:+.3f} over the first {}",
                                         std::min(kPoints, rows.size()), rho.front().first, rows.size()));
}

constexpr const char* kStyle = R"(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#222;margin:24px auto;max-width:1360px;padding:0 16px}
h1{font-size:22px;margin:0 0 8px}h2{font-size:18px;margin:28px 0 6px;border-bottom:1px solid #ccc;padding-bottom:3px}
p.note{color:#444;margin:4px 0 10px;max-width:980px}
table{border-collapse:collapse;margin:6px 0 12px;font-size:13px}th,td{padding:3px 9px;border-bottom:1px solid #e2e2e2;text-align:left}
table.num td+td,table.num th+th{text-align:right;font-variant-numeric:tabular-nums}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(430px,1fr));gap:10px 14px}
.grid.small{grid-template-columns:repeat(auto-fill,minmax(315px,1fr))}
figure{margin:0;break-inside:avoid;page-break-inside:avoid}figcaption{font-size:12px;color:#555;margin:0 0 6px}
svg{display:block;max-width:100%;height:auto}svg text{font-size:11px;fill:#222;font-family:inherit}
svg .title{font-size:12.5px;font-weight:600}svg .label{font-size:11.5px;fill:#333}
svg .grid{stroke:#e8e8e8;stroke-width:1}svg .frame{fill:none;stroke:#999}svg .tick{stroke:#999}
svg .node{fill:#d9d9d9;stroke:#333;stroke-width:1.2}svg .nodelabel{font-size:12px;font-weight:600}
.key span{display:inline-block;width:14px;height:10px;margin:0 5px 0 14px}
@media print{body{margin:0;max-width:none;font-size:11px}h2{break-after:avoid}.grid{grid-template-columns:repeat(2,1fr)}}
)";

std::string header(const Folder& folder) {
  static const char* kKinds[] = {"run", "sweep", "comparison", "experiment"};
  std::string out = fmt::format("<h1>geosim report: {}</h1>\n<table>", kKinds[static_cast<int>(folder.kind)]);
  out += fmt::format("<tr><th>folder</th><td>{}</td></tr>", escape(folder.dir.string()));
  for (const auto& [what, value] : folder.facts) out += fmt::format("<tr><th>{}</th><td>{}</td></tr>", escape(what), escape(value));
  out += fmt::format("<tr><th>start</th><td>{}</td></tr>", escape(folder.start.value_or("no calendar start (ticks are quarters)")));
  out += fmt::format("<tr><th>report written</th><td>{}</td></tr></table>\n", utc_now("%Y-%m-%d %H:%M UTC"));
  if (folder.variants.size() > 1 && folder.kind != FolderKind::kExperiment) {
    out += "<p class=\"key\">";
    for (const auto& v : folder.variants) {
      out += fmt::format("<span style=\"background:{}\"></span><b>{}</b> = {}{}", colour_of(v), v.label, escape(v.scenario),
                         v.label == "B" ? " (dashed median)" : " (solid median)");
    }
    out += "</p>\n";
  }
  return out;
}

std::string panels(const Folder& folder, const std::vector<std::string>& metrics, const std::string& prefix, bool diff) {
  std::string out;
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    const std::string id = fmt::format("fig-{}-{}", prefix, i);
    out += diff ? diff_chart(folder, id, metrics[i]) : fan_chart(folder, id, metrics[i]);
  }
  return out;
}

std::string joined_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + escape(name);
  return out;
}

std::string distribution_sections(const Folder& folder, const std::vector<std::string>& headline) {
  std::vector<std::string> columns;
  for (const auto& metric : headline) columns.push_back(fmt::format("late:{}", metric));
  Sample sample;
  const auto hists = histograms(folder, columns, "late:cooperation", sample);
  std::string out = section("Distributions over runs",
                            fmt::format("Last-quarter means (late:) of the headline metrics over the {} successful runs{}.",
                                        sample.runs, folder.variants.size() > 1 ? " of A; B overlaid" : ""),
                            histogram_figures(folder, hists));
  std::string ranking;
  const std::string scatter = scatter_figure(folder, sample, "late:cooperation", ranking);
  out += section("Most influential input",
                 "The sampled input with the largest |Spearman rank correlation| with late:cooperation"
                 " (computed on the first runs, at most 20,000, of A), plotted against it.",
                 fmt::format("{}<div class=\"grid\">\n{}</div>\n", ranking, scatter), Layout::kPlain);
  return scatter.empty() ? section("Distributions over runs", "", histogram_figures(folder, hists)) : out;
}

}  // namespace

// Tick t is the quarter t after run.start ("2013Q1"); ticks fall on first quarters, every
// 1, 2, 5, 10... years, so that at most six labels fit a panel.
std::vector<svg::Tick> quarter_ticks(const std::optional<std::string>& start, double last_tick) {
  std::vector<svg::Tick> ticks;
  if (!start || start->size() != 6 || (*start)[4] != 'Q') return ticks;
  const int year = std::atoi(start->substr(0, 4).c_str()), quarter = (*start)[5] - '1';
  if (quarter < 0 || quarter > 3) return ticks;
  const int base = year * 4 + quarter;
  int step = 1;
  for (int candidate : {1, 2, 5, 10, 20, 50, 100, 200, 500}) {
    step = candidate;
    if (last_tick / 4 / candidate <= 5) break;
  }
  for (int t = 0; t <= static_cast<int>(last_tick); ++t) {
    if ((base + t) % 4 == 0 && ((base + t) / 4) % step == 0) ticks.emplace_back(t, fmt::format("{}Q1", (base + t) / 4));
  }
  return ticks;
}

std::string x_label(const Folder& folder) {
  return folder.start ? fmt::format("quarter (tick 0 = {})", *folder.start) : std::string("tick (quarters)");
}

// A range covering the bands, widened to nice tick values.
svg::Range value_range(const std::vector<const Band*>& bands) {
  double lo = INFINITY, hi = -INFINITY;
  for (const Band* band : bands) {
    for (const auto* q : {&band->q05, &band->q95, &band->q50}) {
      for (double v : *q) {
        if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
      }
    }
  }
  if (!(hi >= lo)) return {0, 1};
  if (hi - lo < 1e-9) lo -= 0.05, hi += 0.05;
  const auto ticks = svg::nice_ticks(lo, hi, 5);
  const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : hi - lo;
  return {std::min(lo, ticks.front()) - (ticks.front() > lo ? step : 0), std::max(hi, ticks.back()) + (ticks.back() < hi ? step : 0)};
}

// The 90 % band as two thin edges (filled, two overlaid variants would mix into an
// indistinguishable brown), the 50 % band shaded, the median on top.
void draw_band(svg::Chart& chart, const Band& band, std::string_view colour, bool dashed) {
  chart.band(band.tick, band.q25, band.q75, colour, 0.25);
  chart.line(band.tick, band.q05, colour, svg::Stroke::kThin);
  chart.line(band.tick, band.q95, colour, svg::Stroke::kThin);
  chart.line(band.tick, band.q50, colour, dashed ? svg::Stroke::kDashed : svg::Stroke::kSolid);
}

std::string figure(const std::string& body, const std::string& caption) {
  return fmt::format("<figure>{}<figcaption>{}</figcaption></figure>\n", body, caption);
}

std::string cell(double value, const char* format) {
  return std::isfinite(value) ? fmt::format(fmt::runtime(format), value) : std::string("n/a");
}

std::string section(const std::string& title, const std::string& note, const std::string& body, Layout layout) {
  if (body.empty()) return "";
  static const char* kOpen[] = {"", "<div class=\"grid\">\n", "<div class=\"grid small\">\n"};
  return fmt::format("<section>\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n{}{}{}</section>\n", title, note,
                     kOpen[static_cast<int>(layout)], body, layout == Layout::kPlain ? "" : "</div>\n");
}

}  // namespace report

std::string report_html(const std::filesystem::path& dir) {
  using namespace report;
  const Folder folder = read_folder(dir);
  const VariantData& first = folder.variants.front();
  const auto headline = headline_metrics(first);
  const auto outcomes = outcome_metrics(first);
  const bool many = folder.kind != FolderKind::kRun;
  std::string body = header(folder);
  const auto page = [&dir](const std::string& content) {
    return fmt::format("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>\n<title>geosim report: {}</title>\n"
                       "<style>{}</style></head>\n<body>\n{}</body></html>\n",
                       escape(dir.filename().string()), kStyle, content);
  };
  // An experiment's many variants would make the per-variant sections of a comparison
  // unreadable; its report is the ranking, the effects and their small multiples.
  if (folder.kind == FolderKind::kExperiment) return page(body + sensitivity_section(dir) + experiment_body(folder));
  body += sensitivity_section(dir);
  if (folder.kind == FolderKind::kCompare) {
    body += section("Headline comparison", "Paired over runs with common random numbers, sorted by |d<sub>z</sub>|; from compare.csv.",
                    compare_table(folder, [&] { auto all = headline; all.insert(all.end(), outcomes.begin(), outcomes.end()); return all; }()), Layout::kPlain);
  } else if (many) {
    body += section("Headline metrics", "Distribution over runs at the last recorded tick; from bands.csv.", final_table(first, headline), Layout::kPlain);
  }
  body += section("Trajectories", fmt::format("Headline metrics (at most {} panels): {}. {}", kMaxPanels, joined_names(headline),
                                              many ? "Thick line: median over runs (B dashed); shaded: 25-75 %; thin lines: 5 % and 95 %." : "One run."),
                  panels(folder, headline, "fan", false));
  if (folder.kind == FolderKind::kCompare) {
    body += section("Difference B - A", "Per-tick distribution of the paired difference (diff_bands.csv); the grey line is zero.",
                    panels(folder, headline, "diff", true));
  }
  const auto order = camp_order(first);
  body += section("Affinity",
                  fmt::format("Agents ordered by camp: the sign, then the value, of their entry in the leading eigenvector "
                              "of the symmetric mean affinity at the end{}. Blue: friendly, red: hostile.",
                              folder.variants.size() > 1 ? " of A" : ""),
                  heatmaps(folder, order), Layout::kSmallGrid);
  body += section("Bloc network at the end", "Agents on a circle in camp order.", networks(folder, order));
  body += section("Issue outcomes", "Compromise forecast per issue (capability- and salience-weighted mean position).",
                  panels(folder, outcomes, "outcome", false));
  if (many) body += distribution_sections(folder, headline);
  return page(body);
}

std::filesystem::path write_report(const std::filesystem::path& dir) {
  const auto path = dir / "report.html";
  write_file_atomically(path, report_html(dir));
  return path;
}

}  // namespace geosim
