#pragma once
#include "geosim/sweep.h"

namespace geosim::sweep {

/// The value of `outcome` in a run's recorded series (`ticks`: the run length, for the
/// last-quarter window). Throws Error when the series lacks the metric.
double outcome_value(const Outcome& outcome, const TimeSeries& series, int ticks);

}  // namespace geosim::sweep
