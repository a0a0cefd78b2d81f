#pragma once
// The text forms of a sweep's tables, shared by the runner and `geosim run --from`.
#include <string>
#include <vector>

#include "geosim/sweep.h"
#include "stats.h"

namespace geosim::sweep {

/// Metric columns of a variant (the timeseries columns without "tick").
std::vector<std::string> metric_columns(const Variant& variant);
/// Recorded ticks of the plan: 0, r, 2r, ... and always the last tick.
std::vector<int> recorded_ticks(const SweepPlan& plan);

/// runs.csv header for variant v: run_id, point, replicate, seed (the run key), status, error, the variant's
/// input paths, final:<metric>..., late:<metric>....
std::string runs_header(const SweepPlan& plan, std::size_t v);
/// One runs.csv line (with its newline) for variant v.
std::string runs_row(const SweepPlan& plan, std::size_t v, const RunId& id, const RunRecord& record);

/// bands.csv: tick, metric, n, mean, sd, q05, q25, q50, q75, q95; cells[row][metric].
std::string bands_csv(const std::vector<int>& ticks, const std::vector<std::string>& metrics,
                      const std::vector<std::vector<CellStats>>& cells);

/// A CSV field, quoted when it holds a comma, quote or newline (RFC 4180).
std::string csv_field(const std::string& text);

}  // namespace geosim::sweep
