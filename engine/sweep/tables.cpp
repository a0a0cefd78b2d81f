#include "tables.h"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include "geosim/metrics.h"

namespace geosim::sweep {

std::vector<std::string> metric_columns(const Variant& variant) {
  const MetricRecorder recorder(variant.spec);
  return {recorder.columns().begin() + 1, recorder.columns().end()};
}

std::vector<int> recorded_ticks(const SweepPlan& plan) {
  std::vector<int> ticks;
  for (int tick = 0; tick <= plan.ticks; ++tick) {
    if (tick % plan.record_every == 0 || tick == plan.ticks) ticks.push_back(tick);
  }
  return ticks;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

std::string runs_header(const SweepPlan& plan, std::size_t v) {
  fmt::memory_buffer out;
  fmt::format_to(std::back_inserter(out), "run_id,point,replicate,seed,status,error");
  for (std::size_t index : plan.input_index[v]) fmt::format_to(std::back_inserter(out), ",{}", csv_field(plan.inputs[index].path));
  const auto metrics = metric_columns(plan.variants[v]);
  for (const auto& metric : metrics) fmt::format_to(std::back_inserter(out), ",final:{}", metric);
  for (const auto& metric : metrics) fmt::format_to(std::back_inserter(out), ",late:{}", metric);
  for (const Outcome& outcome : plan.outcomes) {
    fmt::format_to(std::back_inserter(out), ",{}", csv_field(fmt::format("outcome:{}", outcome.label())));
  }
  out.push_back('\n');
  return fmt::to_string(out);
}

std::string runs_row(const SweepPlan& plan, std::size_t v, const RunId& id, const RunRecord& record) {
  fmt::memory_buffer out;
  fmt::format_to(std::back_inserter(out), "{},{},{},{},{},{}", id.id, id.point, id.replicate, id.key,
                 record.ok ? "ok" : "failed", csv_field(record.error));
  for (std::size_t index : plan.input_index[v]) fmt::format_to(std::back_inserter(out), ",{}", record.inputs[index]);
  if (record.ok) {
    for (double value : record.summary) fmt::format_to(std::back_inserter(out), ",{}", value);
    for (double value : record.outcomes) fmt::format_to(std::back_inserter(out), ",{}", value);
  } else {
    const std::size_t empty = 2 * metric_columns(plan.variants[v]).size() + plan.outcomes.size();
    for (std::size_t i = 0; i < empty; ++i) out.push_back(',');
  }
  out.push_back('\n');
  return fmt::to_string(out);
}

std::string bands_csv(const std::vector<int>& ticks, const std::vector<std::string>& metrics,
                      const std::vector<std::vector<CellStats>>& cells) {
  // Each cell's quantiles on its own (in parallel: a selection over up to thousands of values
  // per cell), then the lines in order.
  const std::size_t columns = metrics.size();
  std::vector<std::vector<double>> quantiles(ticks.size() * columns);
  tbb::parallel_for(std::size_t{0}, quantiles.size(), [&](std::size_t cell) {
    quantiles[cell] = cells[cell / columns][cell % columns].quantiles.quantiles(kBandQuantiles);
  });
  fmt::memory_buffer out;
  fmt::format_to(std::back_inserter(out), "tick,metric,n,mean,sd,q05,q25,q50,q75,q95\n");
  for (std::size_t row = 0; row < ticks.size(); ++row) {
    for (std::size_t metric = 0; metric < columns; ++metric) {
      const CellStats& cell = cells[row][metric];
      fmt::format_to(std::back_inserter(out), "{},{},{},{},{}", ticks[row], metrics[metric], cell.moments.count(),
                     cell.moments.mean(), cell.moments.sd());
      for (double q : quantiles[row * columns + metric]) fmt::format_to(std::back_inserter(out), ",{}", q);
      out.push_back('\n');
    }
  }
  return fmt::to_string(out);
}

}  // namespace geosim::sweep

namespace geosim {

std::string runs_csv_header(const SweepPlan& plan, std::size_t v) { return sweep::runs_header(plan, v); }

std::string runs_csv_row(const SweepPlan& plan, std::size_t v, const RunId& id, const RunRecord& record) {
  return sweep::runs_row(plan, v, id, record);
}

}  // namespace geosim
