// The sensitivity section of report.html: per outcome, a bar chart of the first- and
// total-order Sobol' indices with their bootstrap intervals (or Morris mu* and sigma), read
// from sensitivity.csv.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "report.h"
#include "svg.h"

namespace geosim::report {
namespace {

using svg::escape;

struct Bar {
  std::string input;
  double first = 0, first_low = 0, first_high = 0, total = 0, total_low = 0, total_high = 0;
  bool unstable = false;
};

void draw_bar(svg::Chart& chart, double y, double value, double low, double high, std::string_view colour) {
  if (!std::isfinite(value)) return;
  chart.band({0, value}, {y - 0.17, y - 0.17}, {y + 0.17, y + 0.17}, colour, 0.8);
  if (std::isfinite(low) && std::isfinite(high)) chart.line({low, high}, {y, y}, svg::kGrey, svg::Stroke::kSolid);
}

std::string chart_of(const std::string& id, const std::string& outcome, std::vector<Bar> bars, bool morris) {
  std::stable_sort(bars.begin(), bars.end(), [](const Bar& a, const Bar& b) { return a.total > b.total; });
  double lo = 0, hi = morris ? 0 : 1;
  std::size_t longest = 4;
  for (const Bar& bar : bars) {
    for (double v : {bar.first_low, bar.first_high, bar.total_low, bar.total_high, bar.first, bar.total}) {
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
    longest = std::max(longest, bar.input.size());
  }
  const auto n = static_cast<double>(bars.size());
  svg::Chart chart(id, outcome, {lo, hi + 0.02 * (hi - lo)}, {-0.7, n - 0.3}, 460, 70 + 34 * static_cast<int>(bars.size()));
  chart.set_left_margin(12 + 6.5 * static_cast<double>(longest));
  std::vector<svg::Tick> labels;
  for (std::size_t i = 0; i < bars.size(); ++i) labels.emplace_back(n - 1 - static_cast<double>(i), bars[i].input + (bars[i].unstable ? " (!)" : ""));
  chart.axis(morris ? "per unit of probability" : "index", "", {}, labels);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const double y = n - 1 - static_cast<double>(i);
    draw_bar(chart, y + 0.19, bars[i].first, bars[i].first_low, bars[i].first_high, svg::kBlue);
    draw_bar(chart, y - 0.19, bars[i].total, bars[i].total_low, bars[i].total_high, svg::kVermillion);
  }
  chart.legend(morris ? std::vector<std::pair<std::string, std::string_view>>{{"sigma", svg::kBlue}, {"mu*", svg::kVermillion}}
                      : std::vector<std::pair<std::string, std::string_view>>{{"S1", svg::kBlue}, {"ST", svg::kVermillion}});
  return figure(chart.str(), morris ? fmt::format("{}: Morris mu* and sigma per unit of each input's probability scale",
                                                  escape(outcome))
                                    : fmt::format("{}: first-order (S1) and total-order (ST) Sobol' indices with 95 % "
                                                  "bootstrap intervals; (!) unstable between N/2 and N",
                                                  escape(outcome)));
}

}  // namespace

std::string sensitivity_section(const std::filesystem::path& dir) {
  const auto path = dir / "sensitivity.csv";
  if (!std::filesystem::exists(path)) return "";
  std::vector<std::pair<std::string, std::vector<Bar>>> outcomes;
  std::ifstream first(path);
  std::string header;
  std::getline(first, header);
  const bool morris = header.rfind("outcome,input,mu,", 0) == 0;
  read_csv_rows(path, [&](const Fields& f) {
    if (outcomes.empty() || outcomes.back().first != f[0]) outcomes.push_back({std::string(f[0]), {}});
    Bar bar;
    bar.input = std::string(f[1]);
    if (morris) {
      // mu*_unit as the long bar; sigma, rescaled to the same units, as the short one.
      const double scale = parse_number(f[3]) > 0 ? parse_number(f[5]) / parse_number(f[3]) : std::nan("");
      bar.total = parse_number(f[5]), bar.total_low = bar.total_high = std::nan("");
      bar.first = parse_number(f[4]) * scale, bar.first_low = bar.first_high = std::nan("");
    } else {
      bar.first = parse_number(f[2]), bar.first_low = parse_number(f[3]), bar.first_high = parse_number(f[4]);
      bar.total = parse_number(f[5]), bar.total_low = parse_number(f[6]), bar.total_high = parse_number(f[7]);
      bar.unstable = f[10] == "yes";
    }
    outcomes.back().second.push_back(bar);
  });
  std::string figures;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    figures += chart_of(fmt::format("fig-sens-{}", i), outcomes[i].first, outcomes[i].second, morris);
  }
  return section("Sensitivity",
                 morris ? "Morris screening (sensitivity.csv): inputs with a large mu* matter; a large sigma relative to "
                          "mu* means non-linear effects or interactions."
                        : "Sobol' indices (sensitivity.csv): S1 is the share of the outcome's variance an input explains "
                          "alone, ST its share including every interaction; an input with ST near 0 can be fixed "
                          "anywhere in its range without changing the answer.",
                 figures);
}

}  // namespace geosim::report
