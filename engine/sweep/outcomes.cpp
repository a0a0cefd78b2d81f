// Experiment outcomes: one number per run and metric (the final value, the last-quarter mean,
// or the first tick a threshold is crossed), their labels and their parser.
#include "outcomes.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace geosim {
namespace {

constexpr std::string_view kSummaries[] = {"final", "late", "cross"};

std::optional<double> parse_number(std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

// Splits "M>=T" / "M<=T" of a cross outcome; false with `why` set when there is no threshold.
bool split_threshold(std::string_view rest, Outcome& outcome, std::string& why) {
  const std::size_t at = rest.find_first_of("<>");
  if (at == std::string_view::npos || at + 1 >= rest.size() || rest[at + 1] != '=') {
    why = "a cross outcome needs a threshold: cross:METRIC>=T or cross:METRIC<=T";
    return false;
  }
  outcome.above = rest[at] == '>';
  const auto threshold = parse_number(rest.substr(at + 2));
  if (!threshold) {
    why = fmt::format("'{}' is not a number", rest.substr(at + 2));
    return false;
  }
  outcome.threshold = *threshold;
  outcome.metric = std::string(rest.substr(0, at));
  return true;
}

}  // namespace

std::string Outcome::label() const {
  const std::string_view name = kSummaries[static_cast<int>(summary)];
  if (summary != Summary::kCross) return fmt::format("{}:{}", name, metric);
  return fmt::format("{}:{}{}{}", name, metric, above ? ">=" : "<=", threshold);
}

std::optional<Outcome> parse_outcome(const std::string& text, std::string& why) {
  std::string_view rest = text;
  Outcome outcome;
  std::optional<bool> higher;
  if (const std::size_t at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view better = rest.substr(at + 1);
    if (better != "higher" && better != "lower") {
      why = fmt::format("'@{}' must be '@higher' or '@lower' (which value is better)", better);
      return std::nullopt;
    }
    higher = better == "higher";
    rest = rest.substr(0, at);
  }
  const std::size_t colon = rest.find(':');
  const std::string_view summary = rest.substr(0, colon);
  std::size_t kind = 0;
  while (kind < 3 && kSummaries[kind] != summary) ++kind;
  if (colon == std::string_view::npos || kind == 3) {
    why = "expected SUMMARY:METRIC with SUMMARY final, late or cross (e.g. late:coop:USA:RUS)";
    return std::nullopt;
  }
  outcome.summary = static_cast<Outcome::Summary>(kind);
  rest = rest.substr(colon + 1);
  if (outcome.summary == Outcome::Summary::kCross) {
    if (!split_threshold(rest, outcome, why)) return std::nullopt;
  } else {
    outcome.metric = std::string(rest);
  }
  if (outcome.metric.empty()) {
    why = "the metric name is empty";
    return std::nullopt;
  }
  outcome.higher_is_better = higher.value_or(outcome.summary != Outcome::Summary::kCross);
  return outcome;
}

namespace sweep {

double outcome_value(const Outcome& outcome, const TimeSeries& series, int ticks) {
  std::size_t column = 1;
  while (column < series.columns.size() && series.columns[column] != outcome.metric) ++column;
  if (column == series.columns.size()) throw Error(fmt::format("no metric '{}' in this variant", outcome.metric));
  if (series.rows.empty()) throw Error("no recorded rows");
  switch (outcome.summary) {
    case Outcome::Summary::kFinal:
      return series.rows.back()[column];
    case Outcome::Summary::kLate:
      return late_mean(series, column, ticks);
    case Outcome::Summary::kCross:
      for (const auto& row : series.rows) {
        if (outcome.above ? row[column] >= outcome.threshold : row[column] <= outcome.threshold) return row[0];
      }
      return series.rows.back()[0];
  }
  return std::nan("");
}

}  // namespace sweep
}  // namespace geosim
